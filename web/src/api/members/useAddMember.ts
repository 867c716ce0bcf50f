import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../client';
import type { AddMemberInput, Member } from '../types';
import { memberKeys } from './keys';

export function addMember(input: AddMemberInput): Promise<Member> {
  return api<Member>('/organization/members', { method: 'POST', body: input });
}

export function useAddMember() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: addMember,
    onSuccess: () => qc.invalidateQueries({ queryKey: memberKeys.all }),
  });
}
