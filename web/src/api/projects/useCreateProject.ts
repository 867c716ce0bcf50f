import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../client';
import type { CreateProjectInput, Project } from '../types';
import { projectKeys } from './keys';

export function createProject(input: CreateProjectInput): Promise<Project> {
  return api<Project>('/projects', { method: 'POST', body: input });
}

export function useCreateProject() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createProject,
    onSuccess: () => qc.invalidateQueries({ queryKey: projectKeys.all }),
  });
}
