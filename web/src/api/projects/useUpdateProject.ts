import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../client';
import type { Project, UpdateProjectInput } from '../types';
import { projectKeys } from './keys';

export function updateProject(id: string, input: UpdateProjectInput): Promise<Project> {
  return api<Project>(`/projects/${encodeURIComponent(id)}`, { method: 'PATCH', body: input });
}

export function useUpdateProject() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: UpdateProjectInput }) =>
      updateProject(id, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: projectKeys.all }),
  });
}
