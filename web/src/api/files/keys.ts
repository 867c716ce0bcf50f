export const fileKeys = {
  all: ['files'] as const,
  detail: (id: string) => [...fileKeys.all, 'detail', id] as const,
  byProject: (projectId: string) => [...fileKeys.all, 'project', projectId] as const,
};
