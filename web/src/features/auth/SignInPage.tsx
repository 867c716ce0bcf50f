import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useLogin } from '../../api/auth/useLogin';
import { Button, TextField, useDocumentTitle } from '../../ui';
import { AuthLayout } from './AuthLayout';
import {
  safeNextPath,
  signInErrorMessage,
  validateCredentials,
  type CredentialErrors,
} from './auth.utils';

export function SignInPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<CredentialErrors>({});
  const next = safeNextPath(params.get('next'));
  useDocumentTitle('Sign in');

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const v = validateCredentials(email, password, 'sign-in');
    setErrors(v);
    if (v.email || v.password) return;
    login.mutate(
      { email: email.trim(), password },
      { onSuccess: () => void navigate(next, { replace: true }) },
    );
  };

  return (
    <AuthLayout
      title="Sign in"
      subtitle="Welcome back. Sign in to your workspace."
      footer={
        <>
          New to DataMorph? <Link to="/register">Create an account</Link>
        </>
      }
    >
      <form
        className="form"
        onSubmit={onSubmit}
        noValidate
        aria-describedby={login.isError ? 'signin-error' : undefined}
      >
        {login.isError && (
          <div className="alert alert--error" role="alert" id="signin-error">
            {signInErrorMessage(login.error)}
          </div>
        )}
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.email}
          autoFocus
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.password}
        />
        <Button type="submit" variant="primary" busy={login.isPending} className="btn--block">
          Sign in
        </Button>
      </form>
    </AuthLayout>
  );
}
