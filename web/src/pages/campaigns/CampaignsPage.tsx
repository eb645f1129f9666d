import { useEffect, useState } from 'react';
import { Anchor, Button, Card, EmptyState, Group, Loader, Progress, Select, Stack, Switch, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData } from '@tanstack/react-query';
import { IconFilterOff, IconPlus, IconSearch, IconSend } from '@tabler/icons-react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { CursorPager } from '../../components/CursorPager.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { formatDateTime, timeAgo } from '../../lib/format.ts';
import { useCursorPages } from '../../lib/paging.ts';
import { useBrandQuery } from '../../lib/queries.ts';
import { useSignedIn } from '../../session.tsx';
import { sectionAt } from '../../sections.ts';
import { campaignsApi, type Campaign, type CampaignStatus } from './api.ts';
import { CAMPAIGNS, LIVE_STATUSES } from './queries.ts';
import { CampaignStatusBadge, formatSchedule, percent, STATUS_OPTIONS } from './status.tsx';

const section = sectionAt('/campaigns');
const PAGE_SIZE = 30;

export function CampaignsPage() {
  const { canWrite } = useSignedIn();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const query = params.get('q') ?? '';
  const status = (params.get('status') as CampaignStatus | null) ?? null;
  const archived = params.get('archived') === '1';
  const [search, setSearch] = useState(query);
  const [debounced] = useDebouncedValue(search, 300);

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  useEffect(() => {
    if (debounced !== query) setParam('q', debounced || null);
  }, [debounced]);

  const filterKey = `${query}|${status ?? ''}|${archived}`;
  const pages = useCursorPages(filterKey);
  const list = useBrandQuery(
    [CAMPAIGNS, 'list', filterKey, pages.cursor ?? ''],
    () => campaignsApi.list({ search: query, status: status ?? undefined, archived, limit: PAGE_SIZE, cursor: pages.cursor }),
    {
      placeholderData: keepPreviousData,
      // Campaigns on their way out move: keep their progress bars current.
      refetchInterval: (q) => (q.state.data?.data.some((c) => LIVE_STATUSES.has(c.status)) ? 3000 : false),
    },
  );
  const filtered = Boolean(query || status || archived);

  const newButton = canWrite && (
    <Button component={Link} to="/campaigns/new" leftSection={<IconPlus size={16} />}>
      New campaign
    </Button>
  );

  return (
    <>
      <PageHeader title="Campaigns" description={section.summary} actions={newButton} />
      <Group mb="md" gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          aria-label="Search campaigns"
          placeholder="Search by name"
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          style={{ flex: '1 1 220px' }}
          maw={360}
        />
        <Select aria-label="Status" placeholder="Any status" data={STATUS_OPTIONS} value={status} onChange={(v) => setParam('status', v)} clearable w={170} />
        <Switch label="Archived" checked={archived} onChange={(e) => setParam('archived', e.currentTarget.checked ? '1' : null)} mb={8} />
      </Group>
      <QueryState query={list} skeletonRows={6}>
        {({ data, nextCursor }) =>
          data.length === 0 ? (
            filtered ? (
              <Card padding={48}>
                <EmptyState
                  icon={<IconFilterOff size={26} stroke={1.6} />}
                  withIndicatorBackground
                  title={archived && !query && !status ? 'No archived campaigns' : 'No campaigns match'}
                  description={archived && !query && !status ? 'Campaigns you archive are kept here, with their results.' : 'Try another name or status.'}
                >
                  <EmptyState.Actions>
                    <Button
                      variant="default"
                      onClick={() => {
                        setSearch('');
                        setParams({}, { replace: true });
                      }}
                    >
                      Show all campaigns
                    </Button>
                  </EmptyState.Actions>
                </EmptyState>
              </Card>
            ) : (
              <Card padding={48}>
                <EmptyState
                  variant="light"
                  icon={<IconSend size={26} stroke={1.6} />}
                  title="No campaigns yet"
                  description="A campaign delivers one email to one audience — a segment or a tag — now or at a time you choose. You will pick the email, check it with preflight and see every open and click come in."
                >
                  {canWrite && <EmptyState.Actions>{newButton}</EmptyState.Actions>}
                </EmptyState>
              </Card>
            )
          ) : (
            <>
              <Card padding={0} style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
                <Table.ScrollContainer minWidth={720} type="native">
                  <Table highlightOnHover layout="fixed">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Campaign</Table.Th>
                        <Table.Th w={130}>Status</Table.Th>
                        <Table.Th w={260}>Progress and results</Table.Th>
                        <Table.Th w={130}>Updated</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.map((c) => (
                        <Table.Tr key={c.id} onClick={() => navigate(`/campaigns/${c.id}`)} style={{ cursor: 'pointer' }} data-testid={`campaign-${c.name}`}>
                          <Table.Td>
                            <Anchor component={Link} to={`/campaigns/${c.id}`} size="sm" fw={500} c="inherit" truncate display="block" onClick={(e) => e.stopPropagation()}>
                              {c.name}
                            </Anchor>
                            <Text size="xs" c="dimmed" truncate>
                              {c.recipients > 0 ? `${c.recipients.toLocaleString()} recipients` : c.status === 'draft' ? 'Not sent yet' : 'Audience resolved when it starts'}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            <CampaignStatusBadge status={c.status} reason={c.statusReason} />
                          </Table.Td>
                          <Table.Td>
                            <StatusDetail campaign={c} />
                          </Table.Td>
                          <Table.Td>
                            <Tooltip label={formatDateTime(c.updatedAt)}>
                              <Text size="sm" c="dimmed" span>
                                {timeAgo(c.updatedAt)}
                              </Text>
                            </Tooltip>
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
    </>
  );
}

/** What matters about a campaign in its current state, in one cell. */
function StatusDetail({ campaign: c }: { campaign: Campaign }) {
  switch (c.status) {
    case 'draft':
      return (
        <Text size="xs" c="dimmed">
          Created {timeAgo(c.createdAt)}
        </Text>
      );
    case 'scheduled':
      return (
        <Text size="xs" data-testid="scheduled-for">
          {c.schedule ? formatSchedule(c.schedule) : c.sendAt ? formatDateTime(c.sendAt) : 'Scheduled'}
        </Text>
      );
    case 'sending':
    case 'throttled':
    case 'paused': {
      const done = c.sent + c.failed;
      const total = Math.max(1, c.recipients);
      return (
        <Stack gap={4}>
          <Progress value={(done / total) * 100} size="sm" color={c.status === 'sending' ? 'brand' : c.status === 'paused' ? 'orange' : 'yellow'} striped={c.status === 'sending'} animated={c.status === 'sending'} aria-label="Sent so far" />
          <Text size="xs" c={c.status === 'sending' ? 'dimmed' : 'orange.8'} truncate>
            {c.status === 'sending' ? `${c.sent.toLocaleString()} of ${c.recipients.toLocaleString()} sent` : (c.statusReason ?? `${c.sent.toLocaleString()} of ${c.recipients.toLocaleString()} sent`)}
          </Text>
        </Stack>
      );
    }
    case 'sent':
      return <SentRates campaign={c} />;
    case 'failed':
    case 'cancelled':
      return (
        <Text size="xs" c="dimmed" lineClamp={2}>
          {c.statusReason ?? (c.recipients > 0 ? `${c.sent.toLocaleString()} of ${c.recipients.toLocaleString()} sent` : 'Nothing was sent')}
        </Text>
      );
  }
}

/** Opens and clicks of a sent campaign, read when the row shows (the list itself carries counters only). */
function SentRates({ campaign }: { campaign: Campaign }) {
  const stats = useBrandQuery([CAMPAIGNS, campaign.id, 'stats'], () => campaignsApi.stats(campaign.id), { staleTime: 60_000 });
  if (stats.isPending) return <Loader size={14} />;
  if (stats.isError)
    return (
      <Text size="xs" c="dimmed">
        {campaign.sent.toLocaleString()} sent
      </Text>
    );
  const s = stats.data;
  return (
    <Group gap="md" wrap="nowrap">
      <Rate label="Sent" value={s.sent.toLocaleString()} />
      <Rate label="Opened" value={percent(s.rates.open)} />
      <Rate label="Clicked" value={percent(s.rates.click)} />
    </Group>
  );
}

function Rate({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text size="sm" fw={600} lh={1.2}>
        {value}
      </Text>
      <Text size="xs" c="dimmed" lh={1.2}>
        {label}
      </Text>
    </Stack>
  );
}
