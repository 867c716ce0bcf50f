import type { Me, Permission } from '../../api/types';

export function hasPermission(me: Me | undefined | null, permission: Permission): boolean {
  return !!me && Array.isArray(me.permissions) && me.permissions.includes(permission);
}

/** Create, rename and archive projects. */
export const canWriteProjects = (me: Me | undefined | null) => hasPermission(me, 'project:write');
/** Upload files, delete datasets. */
export const canWriteData = (me: Me | undefined | null) => hasPermission(me, 'data:write');
/** Manage organization members. */
export const canManageOrg = (me: Me | undefined | null) => hasPermission(me, 'org:manage');

/** True when the person can change nothing: the UI hides every write control. */
export function isReadOnly(me: Me | undefined | null): boolean {
  return !canWriteProjects(me) && !canWriteData(me) && !canManageOrg(me);
}
