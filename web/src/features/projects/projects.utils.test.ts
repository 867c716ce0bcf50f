import { describe, expect, it } from 'vitest';
import type { Project } from '../../api/types';
import { sortProjects, validateProjectName, visibleProjects } from './projects.utils';

const p = (id: string, status: string, updated: string, name = id): Project => ({
  id,
  name,
  status,
  created_at: updated,
  updated_at: updated,
});

describe('projects', () => {
  it('validates names', () => {
    expect(validateProjectName('  ')).toBe('Give the project a name.');
    expect(validateProjectName('Sales')).toBeNull();
    expect(validateProjectName('x'.repeat(121))).toMatch(/120/);
  });

  it('lists active projects first, newest first', () => {
    const list = [
      p('a', 'archived', '2025-03-01'),
      p('b', 'active', '2025-01-01'),
      p('c', 'active', '2025-02-01'),
    ];
    expect(sortProjects(list).map((x) => x.id)).toEqual(['c', 'b', 'a']);
  });

  it('hides archived unless asked and filters by text', () => {
    const list = [
      p('a', 'archived', '2025-03-01', 'Old sales'),
      p('b', 'active', '2025-01-01', 'Sales'),
      p('c', 'active', '2025-02-01', 'HR'),
    ];
    expect(visibleProjects(list, false, '').map((x) => x.id)).toEqual(['c', 'b']);
    expect(visibleProjects(list, true, 'sales').map((x) => x.id)).toEqual(['b', 'a']);
  });
});
