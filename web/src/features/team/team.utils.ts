import type { Member, Role } from '../../api/types';

export const ROLES: { role: Role; label: string; description: string }[] = [
  { role: 'admin', label: 'Admin', description: 'Everything, including members' },
  { role: 'manager', label: 'Manager', description: 'Manages projects and data' },
  { role: 'analyst', label: 'Analyst', description: 'Uploads and changes data' },
  { role: 'viewer', label: 'Viewer', description: 'Reads only' },
];

export function roleLabel(role: string): string {
  return ROLES.find((r) => r.role === role)?.label ?? role;
}

/** The last admin cannot be demoted or removed: the organization would lose its manager. */
export function isLastAdmin(members: readonly Member[], userId: string): boolean {
  const admins = members.filter((m) => m.role === 'admin');
  return admins.length === 1 && admins[0]?.user_id === userId;
}

export function sortMembers(members: readonly Member[]): Member[] {
  const rank = (r: string) => {
    const i = ROLES.findIndex((x) => x.role === r);
    return i < 0 ? ROLES.length : i;
  };
  return [...members].sort((a, b) => rank(a.role) - rank(b.role) || a.email.localeCompare(b.email));
}
