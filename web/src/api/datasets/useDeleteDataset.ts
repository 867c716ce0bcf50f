import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../client';
import { datasetKeys } from './keys';

export function deleteDataset(id: string): Promise<void> {
  return api<void>(`/datasets/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useDeleteDataset() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: deleteDataset,
    onSuccess: () => qc.invalidateQueries({ queryKey: datasetKeys.all }),
  });
}
