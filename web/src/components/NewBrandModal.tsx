import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { api } from '../api.ts';
import { useFormErrors } from '../lib/forms.ts';
import { useSession } from '../session.tsx';

const FIELDS = ['name', 'fromEmail', 'postalAddress'] as const;

/** Creates a brand (the creator becomes its manager) and switches to it. */
export function NewBrandModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const { refresh } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const errors = useFormErrors(FIELDS);
  const [values, setValues] = useState({ name: '', fromEmail: '', postalAddress: '' });
  const [saving, setSaving] = useState(false);

  const set = (field: (typeof FIELDS)[number]) => (value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    errors.clearField(field);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    try {
      const brand = await api.createBrand({ name: values.name, fromEmail: values.fromEmail || undefined, postalAddress: values.postalAddress || undefined });
      await refresh(brand.id);
      await queryClient.invalidateQueries({ queryKey: ['brands'] });
      notifications.show({ color: 'teal', title: 'Brand created', message: `You are now working in ${brand.name}.` });
      setValues({ name: '', fromEmail: '', postalAddress: '' });
      errors.clear();
      onClose();
      navigate('/settings/brand');
    } catch (err) {
      errors.show(err);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>New brand</Text>} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            A brand has its own audience, emails, kit and members. You will be its manager.
          </Text>
          {errors.message && (
            <Alert color="red" variant="light">
              {errors.message}
            </Alert>
          )}
          <TextInput label="Brand name" placeholder="Acme Coffee" value={values.name} onChange={(e) => set('name')(e.currentTarget.value)} error={errors.fields.name} data-autofocus />
          <TextInput label="From email" placeholder="hello@acme.com" value={values.fromEmail} onChange={(e) => set('fromEmail')(e.currentTarget.value)} error={errors.fields.fromEmail} />
          <Textarea
            label="Postal address"
            description="Printed in the footer of every marketing email."
            autosize
            minRows={2}
            value={values.postalAddress}
            onChange={(e) => set('postalAddress')(e.currentTarget.value)}
            error={errors.fields.postalAddress}
          />
          <Group justify="flex-end" gap="sm" mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              Create brand
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
