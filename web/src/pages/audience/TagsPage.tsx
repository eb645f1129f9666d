import { useState, type FormEvent } from 'react';
import { ActionIcon, Alert, Anchor, Button, Card, ColorInput, EmptyState, Group, Modal, Stack, Table, Text, TextInput, Textarea, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconEdit, IconPlus, IconTags, IconTrash } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { api, type Tag } from '../../api.ts';
import { TagBadge } from '../../components/AudienceBadges.tsx';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { formatDate } from '../../lib/format.ts';
import { useFormErrors } from '../../lib/forms.ts';
import { useSignedIn } from '../../session.tsx';
import { sectionAt } from '../../sections.ts';
import { useRefreshAudience, useTags } from './queries.ts';

const section = sectionAt('/audience/tags');
const SWATCHES = ['#4c6ef5', '#228be6', '#15aabf', '#12b886', '#40c057', '#fab005', '#fd7e14', '#fa5252', '#e64980', '#7950f2', '#868e96'];

export function TagsPage() {
  const { canWrite } = useSignedIn();
  const tags = useTags();
  const refresh = useRefreshAudience();
  const [editing, setEditing] = useState<Tag | 'new' | null>(null);
  const [removing, setRemoving] = useState<Tag | null>(null);
  const [busy, setBusy] = useState(false);

  async function remove(tag: Tag) {
    setBusy(true);
    try {
      await api.tags.remove(tag.id);
      await refresh();
      notifications.show({ color: 'teal', message: `The tag “${tag.name}” was deleted.` });
      setRemoving(null);
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not deleted', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeader
        title="Tags"
        description={section.summary}
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
              New tag
            </Button>
          )
        }
      />
      <QueryState query={tags}>
        {({ data }) =>
          data.length === 0 ? (
            <Card padding={48}>
              <EmptyState variant="light" icon={<IconTags size={26} stroke={1.6} />} title="No tags yet" description="Tags group contacts: “customer”, “beta”, “from the spring fair”. Send a campaign or start a series for a tag.">
                {canWrite && (
                  <EmptyState.Actions>
                    <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
                      New tag
                    </Button>
                  </EmptyState.Actions>
                )}
              </EmptyState>
            </Card>
          ) : (
            <Card padding={0}>
              <Table.ScrollContainer minWidth={640} type="native">
                <Table highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Tag</Table.Th>
                      <Table.Th>Description</Table.Th>
                      <Table.Th w={120} ta="right">
                        Contacts
                      </Table.Th>
                      <Table.Th w={130}>Created</Table.Th>
                      {canWrite && <Table.Th w={90} />}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.map((t) => (
                      <Table.Tr key={t.id} data-testid={`tag-${t.name}`}>
                        <Table.Td>
                          <TagBadge tag={t} size="md" />
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" c={t.description ? undefined : 'dimmed'} lineClamp={2}>
                            {t.description || '—'}
                          </Text>
                        </Table.Td>
                        <Table.Td ta="right">
                          <Anchor component={Link} to={`/audience/contacts?tag=${encodeURIComponent(t.id)}`} size="sm" fw={500}>
                            {t.count.toLocaleString()}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" c="dimmed">
                            {formatDate(t.createdAt)}
                          </Text>
                        </Table.Td>
                        {canWrite && (
                          <Table.Td>
                            <Group gap={2} justify="flex-end" wrap="nowrap">
                              <Tooltip label="Edit">
                                <ActionIcon variant="subtle" color="gray" aria-label={`Edit ${t.name}`} onClick={() => setEditing(t)}>
                                  <IconEdit size={16} />
                                </ActionIcon>
                              </Tooltip>
                              <Tooltip label="Delete">
                                <ActionIcon variant="subtle" color="gray" aria-label={`Delete ${t.name}`} onClick={() => setRemoving(t)}>
                                  <IconTrash size={16} />
                                </ActionIcon>
                              </Tooltip>
                            </Group>
                          </Table.Td>
                        )}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Card>
          )
        }
      </QueryState>
      {editing && <TagModal tag={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      <ConfirmModal opened={removing !== null} title="Delete tag" confirmLabel="Delete tag" loading={busy} onClose={() => setRemoving(null)} onConfirm={() => void remove(removing!)}>
        {removing && `“${removing.name}” is removed from ${removing.count.toLocaleString()} ${removing.count === 1 ? 'contact' : 'contacts'}. Segments that use it will stop working until you edit them.`}
      </ConfirmModal>
    </>
  );
}

function TagModal({ tag, onClose }: { tag: Tag | null; onClose(): void }) {
  const refresh = useRefreshAudience();
  const errors = useFormErrors(['name', 'color', 'description']);
  const [name, setName] = useState(tag?.name ?? '');
  const [color, setColor] = useState(tag?.color ?? SWATCHES[0]);
  const [description, setDescription] = useState(tag?.description ?? '');
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    errors.clear();
    try {
      const input = { name: name.trim(), color, description };
      if (tag) await api.tags.update(tag.id, input);
      else await api.tags.create(input);
      await refresh();
      onClose();
    } catch (err) {
      errors.show(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened onClose={onClose} title={<Text fw={600}>{tag ? 'Edit tag' : 'New tag'}</Text>} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {errors.message && (
            <Alert color="red" variant="light">
              {errors.message}
            </Alert>
          )}
          <TextInput label="Name" placeholder="customer" value={name} onChange={(e) => {
              setName(e.currentTarget.value);
              errors.clearField('name');
            }} error={errors.fields.name} data-autofocus />
          <ColorInput label="Colour" format="hex" swatches={SWATCHES} swatchesPerRow={11} value={color} onChange={setColor} error={errors.fields.color} withEyeDropper={false} />
          <Textarea label="Description" placeholder="Who carries this tag, and why" autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={errors.fields.description} />
          <Group justify="space-between" mt="xs">
            <TagBadge tag={{ name: name || 'Preview', color }} size="md" />
            <Group gap="sm">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={busy}>
                {tag ? 'Save' : 'Create tag'}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
