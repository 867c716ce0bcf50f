import type { CleanOperation, DatasetVersion, HistoryStep } from '../../api/types';

export interface VersionEntry {
  kind: 'version';
  key: string;
  version: number;
  parentVersion: number | null;
  createdAt: string;
  createdBy: string | null;
  rowCount: number;
  columnCount: number;
  quality: number | null;
  isHead: boolean;
  /** The cleaning steps that made this version (empty for the uploaded version). */
  steps: HistoryStep[];
  /** Operations from the version record when the history has no steps for it. */
  operations: CleanOperation[];
  message: string | null;
  qualityBefore: number | null;
}

export interface RestoreEntry {
  kind: 'restore';
  key: string;
  version: number;
  from: number | null;
  createdAt: string;
  createdBy: string | null;
  rowsBefore: number | null;
  rowsAfter: number | null;
  qualityBefore: number | null;
  qualityAfter: number | null;
}

export type TimelineEntry = VersionEntry | RestoreEntry;

/**
 * One timeline, newest first: every version (with the clean steps that produced it) and
 * every restore. Versions come from /versions, steps and restores from /history.
 */
export function buildTimeline(
  versions: readonly DatasetVersion[],
  history: readonly HistoryStep[],
  headVersion: number,
): TimelineEntry[] {
  const stepsByVersion = new Map<number, HistoryStep[]>();
  for (const s of history) {
    if (s.kind !== 'clean') continue;
    const list = stepsByVersion.get(s.version) ?? [];
    list.push(s);
    stepsByVersion.set(s.version, list);
  }
  const entries: { entry: TimelineEntry; order: number }[] = [];
  versions.forEach((v, i) => {
    const steps = (stepsByVersion.get(v.version) ?? []).sort((a, b) => a.op_index - b.op_index);
    entries.push({
      order: i,
      entry: {
        kind: 'version',
        key: `v${v.version}`,
        version: v.version,
        parentVersion: v.parent_version,
        createdAt: v.created_at,
        createdBy: v.created_by ?? steps[0]?.created_by ?? null,
        rowCount: v.row_count,
        columnCount: v.column_count,
        quality: v.quality_score ?? steps[0]?.quality_after ?? null,
        isHead: v.version === headVersion,
        steps,
        operations: (v.operations ?? []).filter((op) => op?.type !== 'ingest'),
        message: steps.find((s) => s.message)?.message ?? null,
        qualityBefore: steps[0]?.quality_before ?? null,
      },
    });
  });
  history.forEach((s, i) => {
    if (s.kind !== 'restore') return;
    entries.push({
      order: versions.length + i,
      entry: {
        kind: 'restore',
        key: `r${s.id}`,
        version: s.version,
        from: s.parent_version,
        createdAt: s.created_at,
        createdBy: s.created_by ?? null,
        rowsBefore: s.rows_before,
        rowsAfter: s.rows_after,
        qualityBefore: s.quality_before,
        qualityAfter: s.quality_after,
      },
    });
  });
  const time = (iso: string) => {
    const t = Date.parse(iso);
    return Number.isNaN(t) ? 0 : t;
  };
  return entries
    .sort((a, b) => time(b.entry.createdAt) - time(a.entry.createdAt) || b.order - a.order)
    .map((e) => e.entry);
}

/** A user id as a name: "you", the member's name or email, else a short id. */
export function personLabel(
  id: string | null | undefined,
  meId: string | null | undefined,
  names: ReadonlyMap<string, string>,
): string {
  if (!id) return 'someone';
  if (meId && id === meId) return 'you';
  return names.get(id) ?? `user ${id.slice(0, 8)}`;
}
