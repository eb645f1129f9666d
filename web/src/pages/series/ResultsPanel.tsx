import { Card, Center, Group, SimpleGrid, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconChartBar } from '@tabler/icons-react';
import { StatCard } from '../../components/campaign/StatCard.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useBrandQuery } from '../../lib/queries.ts';
import { seriesApi, type Series, type SeriesStats } from './api.ts';
import { DropOffChart } from './DropOffChart.tsx';
import { emailLabel, exitLabel, percent, stepSubject } from './labels.tsx';
import { isLive, SERIES } from './queries.ts';

/** S6.4: the whole series (enrolled, active, completed, exited by reason) and each step, with the drop-off. */
export function ResultsPanel({ series }: { series: Series }) {
  const stats = useBrandQuery([SERIES, series.id, 'stats'], () => seriesApi.stats(series.id), { refetchInterval: isLive(series) ? 5000 : 30_000 });
  return (
    <QueryState query={stats} skeletonRows={4}>
      {(s) => (
        <Stack gap="lg" data-testid="series-results">
          <Totals stats={s} />
          <Card>
            <Title order={2} mb="md">
              Drop-off by step
            </Title>
            {s.enrolled === 0 ? (
              <Center h={180}>
                <Stack align="center" gap={6}>
                  <IconChartBar size={26} stroke={1.5} color="var(--mantine-color-gray-5)" />
                  <Text size="sm" c="dimmed">
                    Nothing to chart yet: once contacts are enrolled, each step’s reach shows here.
                  </Text>
                </Stack>
              </Center>
            ) : (
              <DropOffChart stats={s} />
            )}
          </Card>
          <Steps series={series} stats={s} />
        </Stack>
      )}
    </QueryState>
  );
}

function Totals({ stats: s }: { stats: SeriesStats }) {
  const exits = Object.entries(s.exited).filter(([, n]) => n > 0);
  const exited = exits.reduce((n, [, c]) => n + c, 0);
  return (
    <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
      <StatCard label="Enrolled" value={s.enrolled.toLocaleString()} detail="Contacts who entered the series" testId="stat-enrolled" />
      <StatCard label="Active" value={s.active.toLocaleString()} detail="Still waiting for a step" testId="stat-active" />
      <StatCard label="Completed" value={s.completed.toLocaleString()} detail={`${percent(s.enrolled ? s.completed / s.enrolled : null)} got every email`} testId="stat-completed" />
      <StatCard
        label="Exited"
        value={exited.toLocaleString()}
        detail={exits.length === 0 ? 'Nobody left early' : exits.map(([reason, n]) => `${n.toLocaleString()} ${exitLabel(reason).toLowerCase()}`).join(' · ')}
        testId="stat-exited"
      />
    </SimpleGrid>
  );
}

function Steps({ series, stats }: { series: Series; stats: SeriesStats }) {
  const subject = (stepId: string) => {
    const step = series.steps.find((s) => s.id === stepId);
    return step ? stepSubject(step) : 'Removed from the series';
  };
  const rate = (n: number, of: number) => (of > 0 ? percent(n / of) : '—');
  return (
    <Card padding={0}>
      <Group px="lg" pt="lg" pb="sm">
        <Title order={2}>Each step</Title>
      </Group>
      <Table.ScrollContainer minWidth={760} type="native">
        <Table layout="fixed" data-testid="step-stats">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Email</Table.Th>
              <Table.Th w={80} ta="right">
                Sent
              </Table.Th>
              <Table.Th w={90} ta="right">
                Skipped
              </Table.Th>
              <Table.Th w={110} ta="right">
                Opened
              </Table.Th>
              <Table.Th w={110} ta="right">
                Clicked
              </Table.Th>
              <Table.Th w={120} ta="right">
                Unsubscribed
              </Table.Th>
              <Table.Th w={90} ta="right">
                Bounced
              </Table.Th>
              <Table.Th w={90} ta="right">
                <Tooltip label="Of the contacts this email reached, the share that left the series before the next one" multiline maw={260}>
                  <span>Drop-off</span>
                </Tooltip>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {stats.steps.map((s) => (
              <Table.Tr key={s.stepId} data-testid={`step-stats-${s.position + 1}`}>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {emailLabel(s.position)}
                  </Text>
                  <Text size="xs" c="dimmed" truncate>
                    {subject(s.stepId)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right" fw={600} data-testid="step-sent">
                  {s.sent.toLocaleString()}
                </Table.Td>
                <Table.Td ta="right" c="dimmed">
                  {s.skipped.toLocaleString()}
                </Table.Td>
                <Table.Td ta="right">
                  {s.opens.toLocaleString()}{' '}
                  <Text span size="xs" c="dimmed">
                    {rate(s.opens, s.sent)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  {s.clicks.toLocaleString()}{' '}
                  <Text span size="xs" c="dimmed">
                    {rate(s.clicks, s.sent)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">{s.unsubscribes.toLocaleString()}</Table.Td>
                <Table.Td ta="right">{s.bounces.toLocaleString()}</Table.Td>
                <Table.Td ta="right" c={s.dropOff > 0 ? 'red.8' : 'dimmed'}>
                  {percent(s.dropOff)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
