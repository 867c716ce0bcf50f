import { useState, type FormEvent } from 'react';
import { useMe } from '../../api/auth/useMe';
import { useAddMember } from '../../api/members/useAddMember';
import { useMembers } from '../../api/members/useMembers';
import { useRemoveMember } from '../../api/members/useRemoveMember';
import { useUpdateMember } from '../../api/members/useUpdateMember';
import type { Member, Role } from '../../api/types';
import {
  Button,
  Dialog,
  EmptyState,
  ErrorState,
  InlineError,
  LoadingState,
  SelectField,
  TextField,
  useDocumentTitle,
} from '../../ui';
import { canManageOrg } from '../auth/permissions.utils';
import { validateCredentials } from '../auth/auth.utils';
import { isLastAdmin, ROLES, roleLabel, sortMembers } from './team.utils';

export default function TeamPage() {
  const me = useMe();
  const allowed = canManageOrg(me.data);
  useDocumentTitle('Team');
  const members = useMembers(allowed);
  const update = useUpdateMember();
  const remove = useRemoveMember();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Member | null>(null);

  if (!allowed) {
    return (
      <div className="page">
        <EmptyState title="Admins only" icon="🔒">
          Only organization admins can manage members. Ask an admin to change your role.
        </EmptyState>
      </div>
    );
  }

  const list = members.data ? sortMembers(members.data.items) : [];
  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1 className="page__title">Team</h1>
          <p className="page__subtitle">
            Members of {me.data?.organization.name} and what they can do.
          </p>
        </div>
        <Button variant="primary" onClick={() => setAdding(true)}>
          Add member
        </Button>
      </header>
      {members.isPending && <LoadingState label="Loading members…" />}
      {members.isError && (
        <ErrorState
          error={members.error}
          title="Could not load members"
          onRetry={() => void members.refetch()}
        />
      )}
      <InlineError error={update.error ?? remove.error} />
      {members.data && (
        <table className="table" aria-label="Members">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((m) => {
              const locked = isLastAdmin(list, m.user_id);
              const isMe = m.user_id === me.data?.user.id;
              return (
                <tr key={m.user_id}>
                  <td>
                    {m.full_name || '—'} {isMe && <span className="muted">(you)</span>}
                  </td>
                  <td>{m.email}</td>
                  <td>
                    <select
                      className="input select input--sm"
                      aria-label={`Role of ${m.email}`}
                      value={m.role}
                      disabled={locked || update.isPending}
                      title={locked ? 'The last admin keeps the admin role' : undefined}
                      onChange={(e) =>
                        update.mutate({ userId: m.user_id, role: e.target.value as Role })
                      }
                    >
                      {ROLES.map((r) => (
                        <option key={r.role} value={r.role}>
                          {r.label}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="table__actions">
                    <Button
                      size="sm"
                      variant="ghost"
                      disabled={locked || isMe}
                      onClick={() => setRemoving(m)}
                      aria-label={`Remove ${m.email}`}
                    >
                      Remove
                    </Button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Dialog open={adding} title="Add member" onClose={() => setAdding(false)}>
        {adding && <AddMemberForm onDone={() => setAdding(false)} />}
      </Dialog>
      <Dialog open={removing != null} title="Remove member" onClose={() => setRemoving(null)}>
        {removing && (
          <div className="form">
            <p>
              Remove <strong>{removing.email}</strong> from the organization? They lose access
              immediately.
            </p>
            <div className="form__actions">
              <Button onClick={() => setRemoving(null)}>Cancel</Button>
              <Button
                variant="danger"
                busy={remove.isPending}
                onClick={() =>
                  remove.mutate(removing.user_id, { onSettled: () => setRemoving(null) })
                }
              >
                Remove
              </Button>
            </div>
          </div>
        )}
      </Dialog>
    </div>
  );
}

function AddMemberForm({ onDone }: { onDone: () => void }) {
  const add = useAddMember();
  const [email, setEmail] = useState('');
  const [fullName, setFullName] = useState('');
  const [role, setRole] = useState<Role>('analyst');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({});

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const v = validateCredentials(email, password || 'placeholder', 'register');
    const errs = {
      email: v.email,
      password: password && password.length < 8 ? 'Use at least 8 characters.' : undefined,
    };
    setErrors(errs);
    if (errs.email || errs.password) return;
    add.mutate(
      {
        email: email.trim(),
        role,
        password: password || undefined,
        full_name: fullName.trim() || undefined,
      },
      { onSuccess: onDone },
    );
  };

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <InlineError error={add.error} />
      <TextField
        label="Email"
        type="email"
        name="member_email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={errors.email}
        autoFocus
      />
      <TextField
        label="Full name"
        name="member_full_name"
        hint="Optional"
        value={fullName}
        onChange={(e) => setFullName(e.target.value)}
      />
      <SelectField
        label="Role"
        name="member_role"
        value={role}
        onChange={(e) => setRole(e.target.value as Role)}
        hint={ROLES.find((r) => r.role === role)?.description}
      >
        {ROLES.map((r) => (
          <option key={r.role} value={r.role}>
            {roleLabel(r.role)}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Initial password"
        type="password"
        name="member_password"
        autoComplete="new-password"
        hint="For a new user. Leave empty to add someone who already has an account."
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.password}
      />
      <div className="form__actions">
        <Button onClick={onDone}>Cancel</Button>
        <Button type="submit" variant="primary" busy={add.isPending}>
          Add member
        </Button>
      </div>
    </form>
  );
}
