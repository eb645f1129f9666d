import type { ReactNode } from 'react';
import { Avatar, Badge, Card, Code, EmptyState, Group, Table, Text, Tooltip } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { IconHistory, IconKey, IconRobot } from '@tabler/icons-react';
import { api, type AuditEntry } from '../../api.ts';
import { CursorPager } from '../../components/CursorPager.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { formatDateTime, initials, timeAgo } from '../../lib/format.ts';
import { useCursorPages } from '../../lib/paging.ts';
import { brandKey, useBrandQuery } from '../../lib/queries.ts';
import { useSignedIn } from '../../session.tsx';
import { sectionAt } from '../../sections.ts';

const section = sectionAt('/settings/audit');
const PAGE_SIZE = 25;

export function AuditLogPage() {
  const { brandId } = useSignedIn();
  const pages = useCursorPages('audit');
  const { cursor } = pages;
  const page = useQuery({
    queryKey: brandKey(brandId, 'audit', cursor ?? 'first'),
    queryFn: () => api.audit({ limit: PAGE_SIZE, cursor }),
    placeholderData: keepPreviousData,
  });
  const names = useActorNames();

  return (
    <>
      <PageHeader title="Audit log" description={section.summary} />
      <QueryState query={page}>
        {({ data, nextCursor }) =>
          data.length === 0 ? (
            <Card padding={48}>
              <EmptyState variant="light" icon={<IconHistory size={26} stroke={1.6} />} title="Nothing recorded yet" description="Sends, schedules, cancellations, deletions and settings changes will appear here." />
            </Card>
          ) : (
            <>
              <Card padding={0} style={{ opacity: page.isPlaceholderData ? 0.6 : 1 }}>
                <Table.ScrollContainer minWidth={720} type="native">
                  <Table>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th w={170}>When</Table.Th>
                        <Table.Th w={200}>Who</Table.Th>
                        <Table.Th>What</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.map((e) => (
                        <Table.Tr key={e.id}>
                          <Table.Td>
                            <Tooltip label={formatDateTime(e.createdAt)}>
                              <Text size="sm" c="dimmed" span>
                                {timeAgo(e.createdAt)}
                              </Text>
                            </Tooltip>
                          </Table.Td>
                          <Table.Td>
                            <Actor entry={e} names={names} />
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{describe(e, names)}</Text>
                            <Group gap={6} mt={2}>
                              <Code fz={11}>{e.action}</Code>
                              {e.targetId && (
                                <Text size="xs" c="dimmed" ff="monospace">
                                  {e.targetId}
                                </Text>
                              )}
                            </Group>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Card>
              <CursorPager
                page={pages.page}
                hasPrevious={pages.hasPrevious}
                nextCursor={nextCursor}
                busy={page.isPlaceholderData}
                onPrevious={pages.previous}
                onNext={pages.next}
                previousLabel="Newer"
                nextLabel="Older"
              />
            </>
          )
        }
      </QueryState>
    </>
  );
}

interface ActorNames {
  users: Map<string, string>;
  keys: Map<string, string>;
}

/** Names for the ids the log records: members of the brand and its API keys. */
function useActorNames(): ActorNames {
  const members = useBrandQuery(['members'], api.members);
  const keys = useBrandQuery(['keys'], api.keys);
  return {
    users: new Map((members.data?.data ?? []).map((m) => [m.userId, m.name])),
    keys: new Map((keys.data?.data ?? []).map((k) => [k.id, k.name])),
  };
}

function Actor({ entry, names }: { entry: AuditEntry; names: ActorNames }) {
  const { type, id } = entry.actor;
  if (type === 'api_key') {
    return (
      <Group gap="xs" wrap="nowrap">
        <Avatar size={26} radius="xl" color="gray" variant="light">
          <IconKey size={14} />
        </Avatar>
        <Text size="sm" truncate>
          {(id && names.keys.get(id)) ?? 'API key'}
        </Text>
      </Group>
    );
  }
  if (type === 'system' || !id) {
    return (
      <Group gap="xs" wrap="nowrap">
        <Avatar size={26} radius="xl" color="gray" variant="light">
          <IconRobot size={14} />
        </Avatar>
        <Text size="sm">Tidings</Text>
      </Group>
    );
  }
  const name = names.users.get(id);
  return (
    <Group gap="xs" wrap="nowrap">
      <Avatar size={26} radius="xl" color="brand" variant="light">
        {initials(name ?? '?')}
      </Avatar>
      <Text size="sm" truncate c={name ? undefined : 'dimmed'}>
        {name ?? 'Former member'}
      </Text>
    </Group>
  );
}

/** A sentence for the actions this capability records; other actions show their code and target. */
function describe(e: AuditEntry, names: ActorNames): ReactNode {
  const d = (e.details ?? {}) as Record<string, unknown>;
  const who = (id: string | null) => (id && names.users.get(id)) ?? 'a former member';
  switch (e.action) {
    case 'brand.created':
      return 'Created the brand';
    case 'brand.updated':
      return Array.isArray(d.fields) && d.fields.length > 0 ? `Updated the brand kit: ${d.fields.join(', ')}` : 'Updated the brand kit';
    case 'member.set':
      return d.previous ? `Changed ${who(e.targetId)} from ${d.previous} to ${d.role}` : `Added ${who(e.targetId)} as ${d.role}`;
    case 'member.removed':
      return `Removed ${who(e.targetId)} from the brand`;
    case 'api_key.created':
      return (
        <>
          Created API key “{String(d.name)}”{' '}
          {Array.isArray(d.scopes) && (
            <Badge size="sm" variant="light" radius="sm" tt="none" fw={500}>
              {d.scopes.length === 1 ? '1 scope' : `${d.scopes.length} scopes`}
            </Badge>
          )}
        </>
      );
    case 'api_key.revoked':
      return `Revoked API key “${(e.targetId && names.keys.get(e.targetId)) ?? e.targetId}”`;
    default:
      return `${e.action.replace(/[._]/g, ' ')}${e.targetType ? ` (${e.targetType})` : ''}`;
  }
}
