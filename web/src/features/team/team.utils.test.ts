import { describe, expect, it } from 'vitest';
import type { Member } from '../../api/types';
import { isLastAdmin, roleLabel, sortMembers } from './team.utils';

const m = (id: string, role: Member['role'], email = `${id}@x.io`): Member => ({
  user_id: id,
  email,
  role,
});

describe('team', () => {
  it('protects the last admin', () => {
    expect(isLastAdmin([m('a', 'admin'), m('b', 'viewer')], 'a')).toBe(true);
    expect(isLastAdmin([m('a', 'admin'), m('b', 'admin')], 'a')).toBe(false);
    expect(isLastAdmin([m('a', 'admin'), m('b', 'viewer')], 'b')).toBe(false);
  });

  it('sorts by role then email', () => {
    expect(
      sortMembers([m('v', 'viewer'), m('z', 'admin'), m('a', 'admin')]).map((x) => x.user_id),
    ).toEqual(['a', 'z', 'v']);
  });

  it('labels roles', () => {
    expect(roleLabel('analyst')).toBe('Analyst');
    expect(roleLabel('custom')).toBe('custom');
  });
});
