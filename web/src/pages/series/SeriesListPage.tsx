import { useState } from 'react';
import { Anchor, Button, Card, EmptyState, Group, Loader, Table, Text, Tooltip } from '@mantine/core';
import { keepPreviousData } from '@tanstack/react-query';
import { IconSparkles, IconStack2 } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router-dom';
import { CursorPager } from '../../components/CursorPager.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { formatDateTime, timeAgo } from '../../lib/format.ts';
import { useCursorPages } from '../../lib/paging.ts';
import { useBrandQuery } from '../../lib/queries.ts';
import { useSignedIn } from '../../session.tsx';
import { sectionAt } from '../../sections.ts';
import { seriesApi, type SeriesSummary } from './api.ts';
import { GenerateSeriesModal } from './GenerateSeriesModal.tsx';
import { kindLabel, SeriesStatusBadge } from './labels.tsx';
import { SERIES } from './queries.ts';

const section = sectionAt('/series');
const PAGE_SIZE = 30;

export function SeriesListPage() {
  const { canWrite } = useSignedIn();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const pages = useCursorPages('all');
  const list = useBrandQuery([SERIES, 'list', pages.cursor ?? ''], () => seriesApi.list({ limit: PAGE_SIZE, cursor: pages.cursor }), {
    placeholderData: keepPreviousData,
    // Enrolment counts of running series move.
    refetchInterval: (q) => (q.state.data?.data.some((s) => s.status === 'active') ? 10_000 : false),
  });

  const newButton = canWrite && (
    <Button leftSection={<IconSparkles size={16} />} onClick={() => setCreating(true)}>
      New series
    </Button>
  );

  return (
    <>
      <PageHeader title="Series" description={section.summary} actions={newButton} />
      <QueryState query={list} skeletonRows={6}>
        {({ data, nextCursor }) =>
          data.length === 0 ? (
            <Card padding={48}>
              <EmptyState
                variant="light"
                icon={<IconStack2 size={26} stroke={1.6} />}
                title="No series yet"
                description="A series is several emails planned together from one brief — a welcome flow, onboarding, a launch arc, a winback — sent one after another to each contact, days apart. Describe the journey and the composer plans the arc and writes every email."
              >
                {canWrite && <EmptyState.Actions>{newButton}</EmptyState.Actions>}
              </EmptyState>
            </Card>
          ) : (
            <>
              <Card padding={0} style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
                <Table.ScrollContainer minWidth={720} type="native">
                  <Table highlightOnHover layout="fixed" data-testid="series-list">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Series</Table.Th>
                        <Table.Th w={130}>Kind</Table.Th>
                        <Table.Th w={110}>Status</Table.Th>
                        <Table.Th w={80} ta="right">
                          Emails
                        </Table.Th>
                        <Table.Th w={150} ta="right">
                          Enrolled · active
                        </Table.Th>
                        <Table.Th w={130}>Updated</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.map((s) => (
                        <Table.Tr key={s.id} onClick={() => navigate(`/series/${s.id}`)} style={{ cursor: 'pointer' }} data-testid={`series-${s.name}`}>
                          <Table.Td>
                            <Anchor component={Link} to={`/series/${s.id}`} size="sm" fw={500} c="inherit" truncate display="block" onClick={(e) => e.stopPropagation()}>
                              {s.name}
                            </Anchor>
                            <Text size="xs" c="dimmed" truncate>
                              {s.startedAt ? `Started ${formatDateTime(s.startedAt)}` : 'Not started yet'}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{kindLabel(s.kind)}</Text>
                          </Table.Td>
                          <Table.Td>
                            <SeriesStatusBadge status={s.status} />
                          </Table.Td>
                          <Table.Td ta="right">
                            <Text size="sm">{s.steps}</Text>
                          </Table.Td>
                          <Table.Td ta="right">
                            <Enrolled summary={s} />
                          </Table.Td>
                          <Table.Td>
                            <Tooltip label={formatDateTime(s.updatedAt)}>
                              <Text size="sm" c="dimmed" span>
                                {timeAgo(s.updatedAt)}
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
      <GenerateSeriesModal opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}

/** Enrolled and active contacts: from the row when the list carries them, else read when the row shows. */
function Enrolled({ summary }: { summary: SeriesSummary }) {
  const detail = useBrandQuery([SERIES, summary.id], () => seriesApi.get(summary.id), { enabled: !summary.counts && summary.status !== 'draft', staleTime: 30_000 });
  const counts = summary.counts ?? detail.data?.counts ?? (summary.status === 'draft' ? { enrolled: 0, active: 0 } : null);
  if (!counts)
    return detail.isError ? (
      <Text size="sm" c="dimmed">
        —
      </Text>
    ) : (
      <Loader size={14} />
    );
  return (
    <Group gap={4} justify="flex-end" wrap="nowrap" data-testid="series-enrolled">
      <Text size="sm" fw={600}>
        {counts.enrolled.toLocaleString()}
      </Text>
      <Text size="sm" c="dimmed">
        · {counts.active.toLocaleString()}
      </Text>
    </Group>
  );
}
