import { useState } from 'react';
import { ActionIcon, Badge, Button, Card, Code, EmptyState, Group, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconKey, IconPlus, IconTrash } from '@tabler/icons-react';
import { api, type ApiKey } from '../../api.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { formatDate, formatDateTime, timeAgo } from '../../lib/format.ts';
import { useBrandQuery, useInvalidateBrand } from '../../lib/queries.ts';
import { useSignedIn } from '../../session.tsx';
import { sectionAt } from '../../sections.ts';
import { CreateKeyModal } from './CreateKeyModal.tsx';
import { ALL_SCOPES, SCOPE_INFO } from './scopes.ts';

const section = sectionAt('/settings/api-keys');

export function ApiKeysPage() {
  const { isManager } = useSignedIn();
  const keys = useBrandQuery(['keys'], api.keys);
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title="API keys"
        description={section.summary}
        actions={
          isManager && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              Create API key
            </Button>
          )
        }
      />
      <QueryState query={keys}>
        {({ data }) =>
          data.length === 0 ? (
            <Card padding={48}>
              <EmptyState
                variant="light"
                icon={<IconKey size={26} stroke={1.6} />}
                title="No API keys yet"
                description="Create a key to use the REST API, the tidings CLI from another machine, or the MCP server."
              >
                <EmptyState.Actions>
                  <Button onClick={() => setCreating(true)} leftSection={<IconPlus size={16} />}>
                    Create API key
                  </Button>
                </EmptyState.Actions>
              </EmptyState>
            </Card>
          ) : (
            <KeyTable keys={data} />
          )
        }
      </QueryState>
      <CreateKeyModal opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}

function KeyTable({ keys }: { keys: ApiKey[] }) {
  const invalidate = useInvalidateBrand();
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [busy, setBusy] = useState(false);

  async function revoke(key: ApiKey) {
    setBusy(true);
    try {
      await api.revokeKey(key.id);
      await invalidate('keys');
      notifications.show({ color: 'teal', message: `The key “${key.name}” was revoked. Requests using it now fail.` });
      setRevoking(null);
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not revoked', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card padding={0}>
      <Table.ScrollContainer minWidth={760} type="native">
        <Table highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Key</Table.Th>
              <Table.Th>Scopes</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th w={60} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {keys.map((k) => (
              <Table.Tr key={k.id} data-testid={`key-${k.name}`} style={k.revokedAt ? { opacity: 0.55 } : undefined}>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Text size="sm" fw={500}>
                      {k.name}
                    </Text>
                    {k.revokedAt && (
                      <Tooltip label={`Revoked ${formatDateTime(k.revokedAt)}`}>
                        <Badge color="gray" variant="light" radius="sm" size="sm" tt="none">
                          Revoked
                        </Badge>
                      </Tooltip>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Code>{k.prefix}…</Code>
                </Table.Td>
                <Table.Td maw={300}>
                  <ScopeBadges scopes={k.scopes} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed" title={formatDateTime(k.createdAt)}>
                    {formatDate(k.createdAt)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed" title={k.lastUsedAt ? formatDateTime(k.lastUsedAt) : undefined}>
                    {k.lastUsedAt ? timeAgo(k.lastUsedAt) : 'Never'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {!k.revokedAt && (
                    <Tooltip label="Revoke">
                      <ActionIcon variant="subtle" color="gray" aria-label={`Revoke ${k.name}`} onClick={() => setRevoking(k)}>
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Tooltip>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ConfirmModal opened={revoking !== null} title="Revoke API key" confirmLabel="Revoke key" loading={busy} onClose={() => setRevoking(null)} onConfirm={() => void revoke(revoking!)}>
        {revoking && `Anything using “${revoking.name}” (${revoking.prefix}…) will stop working immediately. This cannot be undone.`}
      </ConfirmModal>
    </Card>
  );
}

const SHOWN_SCOPES = 3;

/** A few scopes by name and a count of the rest, so a broad key does not turn its row into a wall of badges. */
function ScopeBadges({ scopes }: { scopes: ApiKey['scopes'] }) {
  if (ALL_SCOPES.every((s) => scopes.includes(s))) {
    return (
      <Badge variant="light" radius="sm" tt="none">
        All scopes
      </Badge>
    );
  }
  const rest = scopes.slice(SHOWN_SCOPES);
  return (
    <Group gap={4}>
      {scopes.slice(0, SHOWN_SCOPES).map((s) => (
        <Tooltip key={s} label={SCOPE_INFO[s]?.description ?? s}>
          <Badge variant="default" radius="sm" tt="none" fw={500}>
            {s}
          </Badge>
        </Tooltip>
      ))}
      {rest.length > 0 && (
        <Tooltip label={rest.join(', ')} multiline maw={280}>
          <Badge variant="light" color="gray" radius="sm" tt="none" fw={500}>
            +{rest.length} more
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}
