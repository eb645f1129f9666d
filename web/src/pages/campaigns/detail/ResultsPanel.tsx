import { useState } from 'react';
import { Anchor, Card, Center, Group, SegmentedControl, SimpleGrid, Skeleton, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconChartLine } from '@tabler/icons-react';
import { StatCard } from '../../../components/campaign/StatCard.tsx';
import { TimelineChart } from '../../../components/campaign/TimelineChart.tsx';
import { ErrorAlert, QueryState } from '../../../components/QueryState.tsx';
import { useBrandQuery } from '../../../lib/queries.ts';
import { campaignsApi, type Campaign, type CampaignStats } from '../api.ts';
import { CAMPAIGNS, LIVE_STATUSES } from '../queries.ts';
import { percent } from '../status.tsx';

const SERIES = [
  { key: 'sent', label: 'Sent', color: 'gray' },
  { key: 'opens', label: 'Opens', color: 'brand' },
  { key: 'clicks', label: 'Clicks', color: 'teal' },
];

/** Results: the headline figures, engagement over time and clicks per link. */
export function ResultsPanel({ campaign }: { campaign: Campaign }) {
  // Opens and clicks keep arriving long after the send; while sending they arrive every second.
  const refetchInterval = LIVE_STATUSES.has(campaign.status) ? 3000 : 30_000;
  const stats = useBrandQuery([CAMPAIGNS, campaign.id, 'stats'], () => campaignsApi.stats(campaign.id), { refetchInterval });
  return (
    <Stack gap="lg">
      <QueryState query={stats} skeletonRows={2}>
        {(s) => <StatCards stats={s} />}
      </QueryState>
      <Timeline campaign={campaign} refetchInterval={refetchInterval} />
      <Links campaign={campaign} refetchInterval={refetchInterval} />
    </Stack>
  );
}

const count = (n: number, noun: string) => `${n.toLocaleString()} ${noun}${n === 1 ? '' : 's'}`;

function StatCards({ stats: s }: { stats: CampaignStats }) {
  const bounces = s.bounces.hard + s.bounces.soft + s.bounces.undetermined;
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} spacing="md" data-testid="stat-cards">
      <StatCard label="Sent" value={s.sent.toLocaleString()} detail="Accepted by the provider" testId="stat-sent" />
      <StatCard
        label="Delivered"
        value={s.delivered.toLocaleString()}
        // SMTP relays and the capture inbox send no delivery reports: say so rather than show 0 % as a failure.
        detail={s.delivered === 0 && s.sent > 0 ? 'This provider reports no deliveries' : `${percent(s.rates.delivery)} of sent`}
        testId="stat-delivered"
      />
      <StatCard
        label="Opened"
        value={s.opens.unique.toLocaleString()}
        detail={`${percent(s.rates.open)} · ${count(s.opens.total, 'open')} in all`}
        hint="People who opened at least once. Opens by Apple Mail Privacy Protection and image prefetchers are not counted here: see Machine activity."
        testId="stat-opens"
      />
      <StatCard
        label="Clicked"
        value={s.clicks.unique.toLocaleString()}
        detail={`${percent(s.rates.click)} · ${count(s.clicks.total, 'click')} in all`}
        hint="People who clicked at least once. Clicks by security scanners are not counted here: see Machine activity."
        testId="stat-clicks"
      />
      <StatCard label="Unsubscribed" value={s.unsubscribes.toLocaleString()} detail={`${percent(s.rates.unsubscribe, 2)} of delivered`} testId="stat-unsubscribes" />
      <StatCard
        label="Bounced"
        value={bounces.toLocaleString()}
        detail={`${percent(s.rates.bounce, 2)} · ${s.bounces.hard} hard · ${s.bounces.soft} soft${s.bounces.undetermined ? ` · ${s.bounces.undetermined} unclassified` : ''}`}
        color={s.rates.bounce > 0.02 ? 'red' : undefined}
        hint="Hard bounces suppress the address at once. Campaigns pause when hard bounces pass 2 % after the first 1,000 sends."
        testId="stat-bounces"
      />
      <StatCard
        label="Complaints"
        value={s.complaints.toLocaleString()}
        detail={`${percent(s.rates.complaint, 2)} of delivered`}
        color={s.rates.complaint > 0.003 ? 'red' : undefined}
        hint="Marked as spam. Campaigns pause when complaints pass 0.3 % after the first 1,000 sends."
        testId="stat-complaints"
      />
      <StatCard
        label="Machine activity"
        value={(s.opens.machine + s.clicks.machine).toLocaleString()}
        detail={`${count(s.opens.machine, 'machine open')} · ${count(s.clicks.machine, 'scanner click')}`}
        hint="Apple Mail Privacy Protection and prefetchers load images without anyone reading; security scanners follow links before the recipient sees them. Counted apart from people."
        color="dimmed"
        testId="stat-machine"
      />
    </SimpleGrid>
  );
}

function Timeline({ campaign, refetchInterval }: { campaign: Campaign; refetchInterval: number }) {
  const [bucket, setBucket] = useState<'hour' | 'day'>('hour');
  const timeline = useBrandQuery([CAMPAIGNS, campaign.id, 'timeline', bucket], () => campaignsApi.timeline(campaign.id, bucket), { refetchInterval });
  return (
    <Card>
      <Group justify="space-between" mb="md" gap="sm">
        <Title order={2}>Over time</Title>
        <SegmentedControl
          size="xs"
          value={bucket}
          onChange={(v) => setBucket(v as 'hour' | 'day')}
          data={[
            { value: 'hour', label: 'By hour' },
            { value: 'day', label: 'By day' },
          ]}
        />
      </Group>
      {timeline.isError ? (
        <ErrorAlert error={timeline.error} onRetry={() => void timeline.refetch()} />
      ) : timeline.isPending ? (
        <Skeleton h={260} />
      ) : timeline.data.length === 0 ? (
        <Center h={200}>
          <Stack align="center" gap={6}>
            <IconChartLine size={26} stroke={1.5} color="var(--mantine-color-gray-5)" />
            <Text size="sm" c="dimmed">
              Nothing to chart yet: sends, opens and clicks show here as they happen.
            </Text>
          </Stack>
        </Center>
      ) : (
        <TimelineChart points={timeline.data} series={SERIES} bucket={bucket} />
      )}
    </Card>
  );
}

function Links({ campaign, refetchInterval }: { campaign: Campaign; refetchInterval: number }) {
  const links = useBrandQuery([CAMPAIGNS, campaign.id, 'links'], () => campaignsApi.links(campaign.id), { refetchInterval });
  return (
    <Card padding={0}>
      <Group px="lg" pt="lg" pb="sm" justify="space-between">
        <Title order={2}>Clicks per link</Title>
        {!campaign.trackClicks && (
          <Text size="xs" c="dimmed">
            Click tracking is off for this campaign
          </Text>
        )}
      </Group>
      {links.isError ? (
        <ErrorAlert error={links.error} onRetry={() => void links.refetch()} />
      ) : links.isPending ? (
        <Skeleton h={120} />
      ) : links.data.length === 0 ? (
        <Text size="sm" c="dimmed" px="lg" pb="lg">
          This email has no tracked links.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={520} type="native">
          <Table layout="fixed" data-testid="link-clicks">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Link</Table.Th>
                <Table.Th w={110} ta="right">
                  Unique
                </Table.Th>
                <Table.Th w={100} ta="right">
                  Total
                </Table.Th>
                <Table.Th w={110} ta="right">
                  <Tooltip label="Clicks by security scanners, not counted as human clicks">
                    <span>Scanners</span>
                  </Tooltip>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...links.data]
                .sort((a, b) => b.uniqueClicks - a.uniqueClicks || a.index - b.index)
                .map((l) => (
                  <Table.Tr key={`${l.index}-${l.url}`} data-testid={`link-${l.index}`}>
                    <Table.Td>
                      <Group gap={8} wrap="nowrap">
                        {/* The same URL can appear twice (a button and a text link): the number tells them apart, in document order. */}
                        <Text size="xs" c="dimmed" w={22} style={{ flexShrink: 0 }}>
                          #{l.index + 1}
                        </Text>
                        <Anchor href={l.url} target="_blank" rel="noreferrer noopener" size="sm" truncate display="block" style={{ minWidth: 0 }}>
                          {l.url}
                        </Anchor>
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right" fw={600} data-testid="link-unique">
                      {l.uniqueClicks.toLocaleString()}
                    </Table.Td>
                    <Table.Td ta="right">{l.clicks.toLocaleString()}</Table.Td>
                    <Table.Td ta="right" c="dimmed">
                      {l.machineClicks.toLocaleString()}
                    </Table.Td>
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
