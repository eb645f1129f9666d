import { useState, type FormEvent } from 'react';
import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { api } from '../../api.ts';
import { AuthLayout } from '../../components/AuthLayout.tsx';
import { useFormErrors } from '../../lib/forms.ts';
import { useSession } from '../../session.tsx';

const FIELDS = ['email', 'password'] as const;

export function SignInPage() {
  const { begin } = useSession();
  const errors = useFormErrors(FIELDS);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    errors.clear();
    try {
      begin(await api.signIn(email, password));
    } catch (err) {
      errors.show(err);
      setBusy(false);
    }
  }

  return (
    <AuthLayout title="Sign in to Tidings" subtitle="Plan, write, check and send your email.">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {errors.message && (
            <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
              {errors.message}
            </Alert>
          )}
          <TextInput label="Email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={errors.fields.email} autoFocus />
          <PasswordInput label="Password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} error={errors.fields.password} />
          <Button type="submit" loading={busy} fullWidth mt="xs">
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
