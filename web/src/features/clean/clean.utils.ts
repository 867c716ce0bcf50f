import type { CleanOperation } from '../../api/types';

/**
 * Why a preview may no longer be applied, or null. Apply sends exactly what was previewed,
 * on the version it was previewed on: a moved head or an edited recipe needs a new preview.
 */
export function previewStaleReason({
  previewVersion,
  headVersion,
  previewed,
  current,
}: {
  previewVersion: number;
  headVersion: number;
  /** The recipe operations previewed; null when a suggestion was previewed. */
  previewed: readonly CleanOperation[] | null;
  current: readonly CleanOperation[];
}): string | null {
  if (previewVersion !== headVersion) {
    return `The dataset is now at version ${headVersion}; this preview was made on version ${previewVersion}. Preview again to apply.`;
  }
  if (previewed && JSON.stringify(previewed) !== JSON.stringify(current)) {
    return 'The recipe changed since this preview. Preview it again to apply.';
  }
  return null;
}
