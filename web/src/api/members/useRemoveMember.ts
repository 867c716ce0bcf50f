import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../client';
import { memberKeys } from './keys';

export function removeMember(userId: string): Promise<void> {
  return api<void>(`/organization/members/${encodeURIComponent(userId)}`, { method: 'DELETE' });
}

export function useRemoveMember() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: removeMember,
    onSuccess: () => qc.invalidateQueries({ queryKey: memberKeys.all }),
  });
}
