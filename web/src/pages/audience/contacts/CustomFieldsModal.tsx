import { useState, type FormEvent } from 'react';
import { ActionIcon, Alert, Badge, Button, Code, Group, Modal, Select, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTrash } from '@tabler/icons-react';
import { api, type CustomFieldDef, type FieldType } from '../../../api.ts';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { useFormErrors } from '../../../lib/forms.ts';
import { useInvalidateBrand } from '../../../lib/queries.ts';
import { AUDIENCE_KEYS, useFields } from '../queries.ts';

export const FIELD_TYPE_LABELS: Record<FieldType, string> = { string: 'Text', number: 'Number', boolean: 'Yes / no', date: 'Date' };
const TYPE_OPTIONS = (Object.keys(FIELD_TYPE_LABELS) as FieldType[]).map((t) => ({ value: t, label: FIELD_TYPE_LABELS[t] }));

/** The brand's typed custom fields: what imports and the API may store beyond the built-in columns. */
export function CustomFieldsModal({ opened, onClose, canWrite }: { opened: boolean; onClose(): void; canWrite: boolean }) {
  const fields = useFields();
  const invalidate = useInvalidateBrand();
  const [removing, setRemoving] = useState<CustomFieldDef | null>(null);
  const [busy, setBusy] = useState(false);

  async function remove(f: CustomFieldDef) {
    setBusy(true);
    try {
      await api.fields.remove(f.id);
      await Promise.all([invalidate(AUDIENCE_KEYS.fields), invalidate(AUDIENCE_KEYS.contacts)]);
      notifications.show({ color: 'teal', message: `The field ${f.key} and its values were deleted.` });
      setRemoving(null);
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not deleted', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened && !removing} onClose={onClose} title={<Text fw={600}>Custom fields</Text>} size="lg" centered>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          Typed values stored on every contact, usable in segments and as merge tags such as <Code>{'{{ contact.plan }}'}</Code>.
        </Text>
        <QueryState query={fields} skeletonRows={2}>
          {({ data }) =>
            data.length === 0 ? (
              <Text size="sm" c="dimmed" ta="center" py="md">
                No custom fields yet. Imports create them from unmapped columns, or add one here.
              </Text>
            ) : (
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Key</Table.Th>
                    <Table.Th>Label</Table.Th>
                    <Table.Th>Type</Table.Th>
                    {canWrite && <Table.Th w={40} />}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.map((f) => (
                    <Table.Tr key={f.id}>
                      <Table.Td>
                        <Code>{f.key}</Code>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{f.label}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color="gray" radius="sm" tt="none" fw={500}>
                          {FIELD_TYPE_LABELS[f.type]}
                        </Badge>
                      </Table.Td>
                      {canWrite && (
                        <Table.Td>
                          <Tooltip label="Delete field and values">
                            <ActionIcon variant="subtle" color="gray" aria-label={`Delete ${f.key}`} onClick={() => setRemoving(f)}>
                              <IconTrash size={16} />
                            </ActionIcon>
                          </Tooltip>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )
          }
        </QueryState>
        {canWrite && <AddField />}
      </Stack>
      <ConfirmModal opened={removing !== null} title="Delete custom field" confirmLabel="Delete field" loading={busy} onClose={() => setRemoving(null)} onConfirm={() => void remove(removing!)}>
        {removing && `Every contact's value for ${removing.key} will be deleted, and segments using it will stop working. This cannot be undone.`}
      </ConfirmModal>
    </Modal>
  );
}

function AddField() {
  const invalidate = useInvalidateBrand();
  const errors = useFormErrors(['key', 'label', 'type']);
  const [key, setKey] = useState('');
  const [label, setLabel] = useState('');
  const [type, setType] = useState<FieldType>('string');
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    errors.clear();
    try {
      await api.fields.create({ key: key.trim(), label: label.trim() || undefined, type });
      await invalidate(AUDIENCE_KEYS.fields);
      setKey('');
      setLabel('');
    } catch (err) {
      errors.show(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      {errors.message && !Object.keys(errors.fields).length && (
        <Alert color="red" variant="light" mb="sm">
          {errors.message}
        </Alert>
      )}
      <Group align="flex-start" gap="sm" wrap="nowrap">
        <TextInput aria-label="Key" placeholder="plan" value={key} onChange={(e) => {
            setKey(e.currentTarget.value);
            errors.clearField('key');
          }} error={errors.fields.key} style={{ flex: 1 }} />
        <TextInput aria-label="Label" placeholder="Plan (optional label)" value={label} onChange={(e) => setLabel(e.currentTarget.value)} error={errors.fields.label} style={{ flex: 1 }} />
        <Select aria-label="Type" data={TYPE_OPTIONS} value={type} onChange={(v) => v && setType(v as FieldType)} allowDeselect={false} w={120} />
        <Button type="submit" loading={busy} variant="light">
          Add field
        </Button>
      </Group>
    </form>
  );
}
