import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Modal, MultiSelect, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { api, type ContactStatus } from '../../../api.ts';
import { STATUS_OPTIONS } from '../../../components/AudienceBadges.tsx';
import { useFormErrors } from '../../../lib/forms.ts';
import { useRefreshAudience, useTags } from '../queries.ts';

const FIELDS = ['email', 'firstName', 'lastName', 'status', 'tagIds'] as const;
const EMPTY = { email: '', firstName: '', lastName: '', status: 'subscribed' as ContactStatus, tagIds: [] as string[] };

export function AddContactModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const refresh = useRefreshAudience();
  const tags = useTags();
  const errors = useFormErrors(FIELDS);
  const [values, setValues] = useState(EMPTY);
  const [busy, setBusy] = useState(false);

  const set = <K extends keyof typeof EMPTY>(key: K, value: (typeof EMPTY)[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    errors.clearField(key);
  };

  function close() {
    setValues(EMPTY);
    errors.clear();
    onClose();
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    errors.clear();
    try {
      const contact = await api.contacts.create({
        email: values.email,
        firstName: values.firstName || null,
        lastName: values.lastName || null,
        status: values.status,
        tagIds: values.tagIds,
      });
      await refresh();
      notifications.show({ color: 'teal', title: 'Contact added', message: `${contact.email} is in your audience.` });
      close();
    } catch (err) {
      errors.show(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>Add contact</Text>} centered size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {errors.message && (
            <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
              {errors.message}
            </Alert>
          )}
          <TextInput label="Email" type="email" value={values.email} onChange={(e) => set('email', e.currentTarget.value)} error={errors.fields.email} data-autofocus />
          <SimpleGrid cols={{ base: 1, xs: 2 }}>
            <TextInput label="First name" value={values.firstName} onChange={(e) => set('firstName', e.currentTarget.value)} error={errors.fields.firstName} />
            <TextInput label="Last name" value={values.lastName} onChange={(e) => set('lastName', e.currentTarget.value)} error={errors.fields.lastName} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, xs: 2 }}>
            <Select
              label="Status"
              description="Subscribed records consent as given now, by you."
              data={STATUS_OPTIONS}
              value={values.status}
              onChange={(v) => v && set('status', v as ContactStatus)}
              allowDeselect={false}
              error={errors.fields.status}
            />
            <MultiSelect
              label="Tags"
              description="Optional"
              data={(tags.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
              value={values.tagIds}
              onChange={(v) => set('tagIds', v)}
              searchable
              error={errors.fields.tagIds}
            />
          </SimpleGrid>
          <Group justify="flex-end" gap="sm" mt="xs">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Add contact
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
