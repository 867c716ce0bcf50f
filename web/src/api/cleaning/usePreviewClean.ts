import { useMutation } from '@tanstack/react-query';
import { api } from '../client';
import type { CleanOperation, CleanPreview } from '../types';

export function previewClean(id: string, operations: CleanOperation[]): Promise<CleanPreview> {
  return api<CleanPreview>(`/datasets/${encodeURIComponent(id)}/clean/preview`, {
    method: 'POST',
    body: { operations },
  });
}

/** A preview changes nothing on the server, so nothing is invalidated. */
export function usePreviewClean(id: string) {
  return useMutation({
    mutationFn: (operations: CleanOperation[]) => previewClean(id, operations),
  });
}
