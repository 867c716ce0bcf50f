import { describe, expect, it } from 'vitest';
import type { Me } from '../../api/types';
import {
  canManageOrg,
  canWriteData,
  canWriteProjects,
  hasPermission,
  isReadOnly,
} from './permissions.utils';

const me = (permissions: string[]): Me => ({
  user: { id: 'u', email: 'a@b.c' },
  organization: { id: 'o', name: 'Org' },
  role: 'viewer',
  permissions,
});

describe('permissions', () => {
  it('reads permissions from /auth/me', () => {
    const admin = me(['project:write', 'data:write', 'org:manage']);
    expect(canWriteProjects(admin)).toBe(true);
    expect(canWriteData(admin)).toBe(true);
    expect(canManageOrg(admin)).toBe(true);
    expect(isReadOnly(admin)).toBe(false);
  });

  it('treats a viewer (no write permission) as read-only', () => {
    const viewer = me(['project:read', 'data:read']);
    expect(canWriteProjects(viewer)).toBe(false);
    expect(canWriteData(viewer)).toBe(false);
    expect(isReadOnly(viewer)).toBe(true);
  });

  it('denies everything without a session', () => {
    expect(hasPermission(undefined, 'data:write')).toBe(false);
    expect(isReadOnly(null)).toBe(true);
  });
});
