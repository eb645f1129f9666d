import { useState } from 'react';
import { Badge, Card, EmptyState, Group, SegmentedControl, Select, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { keepPreviousData } from '@tanstack/react-query';
import { IconSearch, IconUsers } from '@tabler/icons-react';
import { CursorPager } from '../../../components/CursorPager.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { formatDateTime, timeAgo } from '../../../lib/format.ts';
import { useCursorPages } from '../../../lib/paging.ts';
import { useBrandQuery } from '../../../lib/queries.ts';
import { campaignsApi, type Campaign, type Recipient, type RecipientStatus } from '../api.ts';
import { CAMPAIGNS, LIVE_STATUSES } from '../queries.ts';
import { SKIP_REASON_INFO, skipLabel } from '../status.tsx';
import { TrailDrawer } from './TrailDrawer.tsx';

const PAGE_SIZE = 50;

/** S5.2: every recipient accounted for — sent, skipped with its one reason, or failed with the error. */
export function RecipientsPanel({ campaign }: { campaign: Campaign }) {
  const live = LIVE_STATUSES.has(campaign.status);
  // Four or five counts do not fit side by side on a phone.
  const narrow = useMediaQuery('(max-width: 36em)');
  const [status, setStatus] = useState<RecipientStatus>('sent');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const pages = useCursorPages(`${status}|${debounced}`);
  const list = useBrandQuery(
    [CAMPAIGNS, campaign.id, 'recipients', status, debounced, pages.cursor ?? ''],
    () => campaignsApi.recipients(campaign.id, { status, search: debounced, limit: PAGE_SIZE, cursor: pages.cursor }),
    { placeholderData: keepPreviousData, refetchInterval: live ? 3000 : false },
  );
  const [trail, setTrail] = useState<Recipient | null>(null);

  const c = campaign;
  const counts: Record<RecipientStatus, number> = { sent: c.sent, skipped: c.skipped, failed: c.failed, cancelled: c.cancelled, queued: Math.max(0, c.recipients - c.skipped - c.sent - c.failed - c.cancelled) };
  const tabs: RecipientStatus[] = ['sent', ...(live ? (['queued'] as const) : []), 'skipped', 'failed', ...(c.cancelled > 0 ? (['cancelled'] as const) : [])];
  const label = (s: RecipientStatus) => `${s[0].toUpperCase()}${s.slice(1)} · ${counts[s].toLocaleString()}`;

  return (
    <>
      <Group mb="md" gap="sm" justify="space-between" wrap="wrap">
        {narrow ? (
          <Select aria-label="Recipients by status" value={status} onChange={(v) => v && setStatus(v as RecipientStatus)} data={tabs.map((s) => ({ value: s, label: label(s) }))} allowDeselect={false} w="100%" />
        ) : (
          <SegmentedControl value={status} onChange={(v) => setStatus(v as RecipientStatus)} data={tabs.map((s) => ({ value: s, label: label(s) }))} aria-label="Recipients by status" />
        )}
        <TextInput aria-label="Search recipients" placeholder="Search by email" leftSection={<IconSearch size={16} />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={{ base: '100%', xs: 260 }} />
      </Group>
      <QueryState query={list} skeletonRows={5}>
        {({ data, nextCursor }) =>
          data.length === 0 ? (
            <Card padding={40}>
              <EmptyState icon={<IconUsers size={24} stroke={1.6} />} withIndicatorBackground title={debounced ? 'Nobody matches' : emptyTitle(status)} description={debounced ? `No ${status} recipient’s address contains “${debounced}”.` : emptyHint(status)} />
            </Card>
          ) : (
            <>
              <Card padding={0} style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
                <Table.ScrollContainer minWidth={640} type="native">
                  <Table highlightOnHover layout="fixed" data-testid="recipients">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Recipient</Table.Th>
                        {status === 'skipped' ? <Table.Th w={220}>Reason</Table.Th> : status === 'failed' ? <Table.Th w={280}>Error</Table.Th> : <Table.Th w={230}>Engagement</Table.Th>}
                        <Table.Th w={140}>{status === 'sent' ? 'Sent' : status === 'queued' ? 'Due' : 'When'}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.map((r) => (
                        <Table.Tr key={r.messageId} onClick={() => setTrail(r)} style={{ cursor: 'pointer' }} data-testid={`recipient-${r.email}`}>
                          <Table.Td>
                            <Text size="sm" truncate>
                              {r.email}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            {status === 'skipped' ? (
                              <Tooltip label={r.skipReason ? (SKIP_REASON_INFO[r.skipReason]?.hint ?? r.skipReason) : ''} disabled={!r.skipReason}>
                                <Badge variant="light" color="gray" radius="sm" tt="none" fw={500}>
                                  {r.skipReason ? skipLabel(r.skipReason) : 'Skipped'}
                                </Badge>
                              </Tooltip>
                            ) : status === 'failed' ? (
                              <Text size="xs" c="red.8" lineClamp={2}>
                                {r.error ?? 'Failed'}
                              </Text>
                            ) : (
                              <Engagement recipient={r} />
                            )}
                          </Table.Td>
                          <Table.Td>
                            {r.sentAt ? (
                              <Tooltip label={formatDateTime(r.sentAt)}>
                                <Text size="sm" c="dimmed" span>
                                  {timeAgo(r.sentAt)}
                                </Text>
                              </Tooltip>
                            ) : (
                              <Text size="sm" c="dimmed">
                                —
                              </Text>
                            )}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Card>
              <CursorPager page={pages.page} hasPrevious={pages.hasPrevious} nextCursor={nextCursor} busy={list.isPlaceholderData} onPrevious={pages.previous} onNext={pages.next} />
            </>
          )
        }
      </QueryState>
      <TrailDrawer recipient={trail} onClose={() => setTrail(null)} />
    </>
  );
}

/** The furthest a sent message got: bounced or complained trump opened and clicked. */
function Engagement({ recipient: r }: { recipient: Recipient }) {
  const marks: { label: string; color: string }[] = [];
  if (r.bouncedAt) marks.push({ label: r.bounceClass ? `Bounced (${r.bounceClass})` : 'Bounced', color: 'red' });
  if (r.complainedAt) marks.push({ label: 'Complained', color: 'red' });
  if (r.unsubscribedAt) marks.push({ label: 'Unsubscribed', color: 'orange' });
  if (r.clickedAt) marks.push({ label: 'Clicked', color: 'teal' });
  if (r.openedAt) marks.push({ label: 'Opened', color: 'brand' });
  if (marks.length === 0) marks.push(r.deliveredAt ? { label: 'Delivered', color: 'gray' } : { label: 'Sent', color: 'gray' });
  return (
    <Group gap={4} wrap="wrap">
      {marks.map((m) => (
        <Badge key={m.label} variant="light" color={m.color} radius="sm" tt="none" fw={500} size="sm">
          {m.label}
        </Badge>
      ))}
    </Group>
  );
}

const emptyTitle = (s: RecipientStatus) => ({ sent: 'Nothing sent yet', skipped: 'Nobody was skipped', failed: 'No failures', queued: 'Nothing waiting', cancelled: 'Nothing cancelled' })[s];
const emptyHint = (s: RecipientStatus) =>
  ({
    sent: 'Recipients show here as soon as the provider accepts their message.',
    skipped: 'Everyone in the audience could receive this campaign.',
    failed: 'Every message the provider was given was accepted.',
    queued: 'Every recipient has been handled.',
    cancelled: 'No message was dropped by a cancel.',
  })[s];
