import type { Project } from '../../api/types';

export function validateProjectName(name: string): string | null {
  const trimmed = name.trim();
  if (!trimmed) return 'Give the project a name.';
  if (trimmed.length > 120) return 'Keep the name under 120 characters.';
  return null;
}

/** Active projects first, then by most recently updated. */
export function sortProjects(projects: readonly Project[]): Project[] {
  return [...projects].sort((a, b) => {
    const aa = a.status === 'archived' ? 1 : 0;
    const ba = b.status === 'archived' ? 1 : 0;
    if (aa !== ba) return aa - ba;
    return (b.updated_at ?? '').localeCompare(a.updated_at ?? '');
  });
}

export function visibleProjects(
  projects: readonly Project[],
  showArchived: boolean,
  filter: string,
): Project[] {
  const f = filter.trim().toLowerCase();
  return sortProjects(projects).filter(
    (p) =>
      (showArchived || p.status !== 'archived') &&
      (!f || p.name.toLowerCase().includes(f) || (p.description ?? '').toLowerCase().includes(f)),
  );
}
