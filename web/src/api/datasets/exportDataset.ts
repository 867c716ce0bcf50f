import { buildUrl } from '../client';
import { fetchMe } from '../auth/useMe';
import type { ExportFormat } from '../types';

export const EXPORT_FORMATS: { format: ExportFormat; label: string }[] = [
  { format: 'csv', label: 'CSV' },
  { format: 'xlsx', label: 'Excel (.xlsx)' },
  { format: 'json', label: 'JSON' },
  { format: 'parquet', label: 'Parquet' },
];

export function exportUrl(id: string, format: ExportFormat): string {
  return buildUrl(`/datasets/${encodeURIComponent(id)}/export`, { format });
}

/**
 * Starts a streamed download. The browser downloads straight from the server (nothing is
 * buffered in the page); a cheap authenticated call first renews an expired access cookie.
 */
export async function startExport(id: string, format: ExportFormat): Promise<void> {
  await fetchMe();
  const a = document.createElement('a');
  a.href = exportUrl(id, format);
  a.download = '';
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}
