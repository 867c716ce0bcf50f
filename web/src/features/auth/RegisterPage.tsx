import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useRegister } from '../../api/auth/useRegister';
import { errorMessage } from '../../api/errors';
import { Button, TextField, useDocumentTitle } from '../../ui';
import { AuthLayout } from './AuthLayout';
import { validateCredentials, type CredentialErrors } from './auth.utils';

export function RegisterPage() {
  const navigate = useNavigate();
  const register = useRegister();
  const [fullName, setFullName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [org, setOrg] = useState('');
  const [errors, setErrors] = useState<CredentialErrors>({});
  useDocumentTitle('Create account');

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const v = validateCredentials(email, password, 'register');
    setErrors(v);
    if (v.email || v.password) return;
    register.mutate(
      {
        email: email.trim(),
        password,
        full_name: fullName.trim() || undefined,
        organization_name: org.trim() || undefined,
      },
      { onSuccess: () => void navigate('/projects', { replace: true }) },
    );
  };

  return (
    <AuthLayout
      title="Create your account"
      subtitle="You will be the admin of a new organization."
      footer={
        <>
          Already have an account? <Link to="/sign-in">Sign in</Link>
        </>
      }
    >
      <form className="form" onSubmit={onSubmit} noValidate>
        {register.isError && (
          <div className="alert alert--error" role="alert">
            {errorMessage(register.error)}
          </div>
        )}
        <TextField
          label="Full name"
          name="full_name"
          autoComplete="name"
          value={fullName}
          onChange={(e) => setFullName(e.target.value)}
          autoFocus
        />
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.email}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="new-password"
          hint="At least 8 characters."
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.password}
        />
        <TextField
          label="Organization name"
          name="organization_name"
          autoComplete="organization"
          hint="Optional. You can invite your team later."
          value={org}
          onChange={(e) => setOrg(e.target.value)}
        />
        <Button type="submit" variant="primary" busy={register.isPending} className="btn--block">
          Create account
        </Button>
      </form>
    </AuthLayout>
  );
}
