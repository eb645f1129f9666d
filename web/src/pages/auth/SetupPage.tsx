import { useState, type FormEvent } from 'react';
import { Alert, Button, Divider, PasswordInput, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { api } from '../../api.ts';
import { AuthLayout } from '../../components/AuthLayout.tsx';
import { useFormErrors } from '../../lib/forms.ts';
import { useSession } from '../../session.tsx';

const FIELDS = ['user.name', 'user.email', 'user.password', 'brand.name', 'brand.fromEmail', 'brand.postalAddress'] as const;
type Field = (typeof FIELDS)[number];

/** First run: the first user (who becomes the manager) and the first brand, in one step. */
export function SetupPage() {
  const { begin } = useSession();
  const errors = useFormErrors(FIELDS);
  const [values, setValues] = useState<Record<Field, string>>(Object.fromEntries(FIELDS.map((f) => [f, ''])) as Record<Field, string>);
  const [busy, setBusy] = useState(false);

  const field = (name: Field) => ({
    value: values[name],
    error: errors.fields[name],
    onChange: (e: { currentTarget: { value: string } }) => {
      const value = e.currentTarget.value;
      setValues((v) => ({ ...v, [name]: value }));
      errors.clearField(name);
    },
  });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    errors.clear();
    try {
      const optional = (v: string) => (v.trim() === '' ? undefined : v);
      begin(
        await api.setup({
          user: { name: values['user.name'], email: values['user.email'], password: values['user.password'] },
          brand: { name: values['brand.name'], fromEmail: optional(values['brand.fromEmail']), postalAddress: optional(values['brand.postalAddress']) },
        }),
      );
    } catch (err) {
      errors.show(err);
      setBusy(false);
    }
  }

  return (
    <AuthLayout title="Welcome to Tidings" subtitle="Create your account and your first brand. You can add more brands and people later." width={520}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {errors.message && (
            <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
              {errors.message}
            </Alert>
          )}
          <Text size="xs" fw={600} tt="uppercase" c="dimmed" lts={0.6}>
            Your account
          </Text>
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
            <TextInput label="Your name" autoComplete="name" autoFocus {...field('user.name')} />
            <TextInput label="Email" type="email" autoComplete="email" {...field('user.email')} />
          </SimpleGrid>
          <PasswordInput label="Password" description="At least 10 characters." autoComplete="new-password" {...field('user.password')} />
          <Divider my={4} />
          <Text size="xs" fw={600} tt="uppercase" c="dimmed" lts={0.6}>
            Your first brand
          </Text>
          <TextInput label="Brand name" placeholder="Acme Coffee" {...field('brand.name')} />
          <TextInput label="From email" placeholder="hello@acme.com" description="The address your emails come from. You can change it later." {...field('brand.fromEmail')} />
          <Textarea label="Postal address" description="Printed in the footer of every marketing email, as anti-spam laws require." autosize minRows={2} {...field('brand.postalAddress')} />
          <Button type="submit" loading={busy} fullWidth mt="sm" size="md">
            Create account and brand
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
