import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../client';
import type { Member, Role } from '../types';
import { memberKeys } from './keys';

export function updateMemberRole(userId: string, role: Role): Promise<Member> {
  return api<Member>(`/organization/members/${encodeURIComponent(userId)}`, {
    method: 'PATCH',
    body: { role },
  });
}

export function useUpdateMember() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) =>
      updateMemberRole(userId, role),
    onSuccess: () => qc.invalidateQueries({ queryKey: memberKeys.all }),
  });
}
