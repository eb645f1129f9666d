import { useState, type FormEvent } from 'react';
import { ActionIcon, Alert, Badge, Button, Card, EmptyState, Group, Modal, Stack, Switch, Table, Text, TextInput, Textarea, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconEdit, IconPlus, IconToggleRight, IconTrash } from '@tabler/icons-react';
import { api, type Topic } from '../../api.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useFormErrors } from '../../lib/forms.ts';
import { useSignedIn } from '../../session.tsx';
import { sectionAt } from '../../sections.ts';
import { useRefreshAudience, useTopics } from './queries.ts';

const section = sectionAt('/audience/topics');

export function TopicsPage() {
  const { canWrite } = useSignedIn();
  const topics = useTopics();
  const refresh = useRefreshAudience();
  const [editing, setEditing] = useState<Topic | 'new' | null>(null);
  const [removing, setRemoving] = useState<Topic | null>(null);
  const [busy, setBusy] = useState(false);

  async function remove(topic: Topic) {
    setBusy(true);
    try {
      await api.topics.remove(topic.id);
      await refresh();
      notifications.show({ color: 'teal', message: `The topic “${topic.name}” was deleted.` });
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
        title="Topics"
        description={section.summary}
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
              New topic
            </Button>
          )
        }
      />
      <QueryState query={topics}>
        {({ data }) =>
          data.length === 0 ? (
            <Card padding={48}>
              <EmptyState
                variant="light"
                icon={<IconToggleRight size={26} stroke={1.6} />}
                title="No topics yet"
                description="Topics such as “Product news” or “Weekly deals” let people choose what they hear about. A campaign can carry a topic, and contacts who opted out of it are skipped."
              >
                {canWrite && (
                  <EmptyState.Actions>
                    <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
                      New topic
                    </Button>
                  </EmptyState.Actions>
                )}
              </EmptyState>
            </Card>
          ) : (
            <Card padding={0}>
              <Table.ScrollContainer minWidth={680} type="native">
                <Table highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Topic</Table.Th>
                      <Table.Th w={150}>Default</Table.Th>
                      <Table.Th w={120}>Visibility</Table.Th>
                      <Table.Th w={120} ta="right">
                        Opted in
                      </Table.Th>
                      {canWrite && <Table.Th w={90} />}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.map((t) => (
                      <Table.Tr key={t.id} data-testid={`topic-${t.name}`}>
                        <Table.Td>
                          <Text size="sm" fw={500}>
                            {t.name}
                          </Text>
                          {t.description && (
                            <Text size="xs" c="dimmed" lineClamp={2}>
                              {t.description}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Tooltip label={t.defaultOptIn ? 'Everyone receives it until they opt out' : 'Only people who opt in receive it'}>
                            <Badge variant="light" color={t.defaultOptIn ? 'teal' : 'gray'} radius="sm" tt="none" fw={500}>
                              {t.defaultOptIn ? 'On by default' : 'Off by default'}
                            </Badge>
                          </Tooltip>
                        </Table.Td>
                        <Table.Td>
                          <Tooltip label={t.isPublic ? 'Listed on the preferences page' : 'Not listed; set by you or the API'}>
                            <Badge variant="outline" color="gray" radius="sm" tt="none" fw={500}>
                              {t.isPublic ? 'Public' : 'Private'}
                            </Badge>
                          </Tooltip>
                        </Table.Td>
                        <Table.Td ta="right">
                          <Text size="sm" fw={500}>
                            {t.optedInCount.toLocaleString()}
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
      {editing && <TopicModal topic={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      <ConfirmModal opened={removing !== null} title="Delete topic" confirmLabel="Delete topic" loading={busy} onClose={() => setRemoving(null)} onConfirm={() => void remove(removing!)}>
        {removing && `“${removing.name}” and every contact's choice for it are deleted. Campaigns that carry it will send without a topic check.`}
      </ConfirmModal>
    </>
  );
}

function TopicModal({ topic, onClose }: { topic: Topic | null; onClose(): void }) {
  const refresh = useRefreshAudience();
  const errors = useFormErrors(['name', 'description', 'defaultOptIn', 'isPublic']);
  const [name, setName] = useState(topic?.name ?? '');
  const [description, setDescription] = useState(topic?.description ?? '');
  const [defaultOptIn, setDefaultOptIn] = useState(topic?.defaultOptIn ?? false);
  const [isPublic, setIsPublic] = useState(topic?.isPublic ?? true);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    errors.clear();
    try {
      const input = { name: name.trim(), description, defaultOptIn, isPublic };
      if (topic) await api.topics.update(topic.id, input);
      else await api.topics.create(input);
      await refresh();
      onClose();
    } catch (err) {
      errors.show(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened onClose={onClose} title={<Text fw={600}>{topic ? 'Edit topic' : 'New topic'}</Text>} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {errors.message && (
            <Alert color="red" variant="light">
              {errors.message}
            </Alert>
          )}
          <TextInput label="Name" placeholder="Product news" value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.fields.name} data-autofocus />
          <Textarea label="Description" description="Shown to contacts on the preferences page." autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={errors.fields.description} />
          <Switch label="Subscribed by default" description="On: everyone receives it until they opt out. Off: only people who opt in." checked={defaultOptIn} onChange={(e) => setDefaultOptIn(e.currentTarget.checked)} />
          <Switch label="Public" description="Listed on the preferences page, where contacts choose for themselves." checked={isPublic} onChange={(e) => setIsPublic(e.currentTarget.checked)} />
          <Group justify="flex-end" gap="sm" mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              {topic ? 'Save' : 'Create topic'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
