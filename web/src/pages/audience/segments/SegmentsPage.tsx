import { Anchor, Button, Card, EmptyState, Loader, Table, Text, Tooltip } from '@mantine/core';
import { IconChartDots3, IconPlus } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router-dom';
import { api, type Segment } from '../../../api.ts';
import { CursorPager } from '../../../components/CursorPager.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { formatDateTime, timeAgo } from '../../../lib/format.ts';
import { useCursorPages } from '../../../lib/paging.ts';
import { useBrandQuery } from '../../../lib/queries.ts';
import { useSignedIn } from '../../../session.tsx';
import { sectionAt } from '../../../sections.ts';
import { AUDIENCE_KEYS } from '../queries.ts';

const section = sectionAt('/audience/segments');

export function SegmentsPage() {
  const { canWrite } = useSignedIn();
  const navigate = useNavigate();
  const pages = useCursorPages('segments');
  const list = useBrandQuery([AUDIENCE_KEYS.segments, 'list', pages.cursor ?? ''], () => api.segments.list({ limit: 50, cursor: pages.cursor }));
  return (
    <>
      <PageHeader
        title="Segments"
        description={section.summary}
        actions={
          canWrite && (
            <Button component={Link} to="/audience/segments/new" leftSection={<IconPlus size={16} />}>
              New segment
            </Button>
          )
        }
      />
      <QueryState query={list}>
        {({ data, nextCursor }) =>
          data.length === 0 ? (
            <Card padding={48}>
              <EmptyState
                variant="light"
                icon={<IconChartDots3 size={26} stroke={1.6} />}
                title="No segments yet"
                description="A segment is a saved filter — “subscribed customers in Germany who opened in the last 30 days” — that stays current as your audience changes."
              >
                {canWrite && (
                  <EmptyState.Actions>
                    <Button component={Link} to="/audience/segments/new" leftSection={<IconPlus size={16} />}>
                      New segment
                    </Button>
                  </EmptyState.Actions>
                )}
              </EmptyState>
            </Card>
          ) : (
            <>
              <Card padding={0}>
                <Table.ScrollContainer minWidth={600} type="native">
                  <Table highlightOnHover>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Segment</Table.Th>
                        <Table.Th w={140} ta="right">
                          Contacts now
                        </Table.Th>
                        <Table.Th w={160}>Updated</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.map((s) => (
                        <Table.Tr key={s.id} onClick={() => navigate(`/audience/segments/${s.id}`)} style={{ cursor: 'pointer' }} data-testid={`segment-${s.name}`}>
                          <Table.Td>
                            <Anchor component={Link} to={`/audience/segments/${s.id}`} size="sm" fw={500} c="inherit" onClick={(e) => e.stopPropagation()}>
                              {s.name}
                            </Anchor>
                            {s.description && (
                              <Text size="xs" c="dimmed" lineClamp={1}>
                                {s.description}
                              </Text>
                            )}
                          </Table.Td>
                          <Table.Td ta="right">
                            <SegmentCount segment={s} />
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
              <CursorPager page={pages.page} hasPrevious={pages.hasPrevious} nextCursor={nextCursor} onPrevious={pages.previous} onNext={pages.next} />
            </>
          )
        }
      </QueryState>
    </>
  );
}

/** Each segment's live size, counted when the list is shown (segments store filters, not members). */
function SegmentCount({ segment }: { segment: Segment }) {
  const count = useBrandQuery([AUDIENCE_KEYS.segments, 'count', segment.id, segment.updatedAt], () => api.segments.countOf(segment.id));
  if (count.isPending) return <Loader size={14} />;
  if (count.isError)
    return (
      <Tooltip label={count.error instanceof Error ? count.error.message : 'Cannot count'} multiline maw={300}>
        <Text size="sm" c="red">
          Needs attention
        </Text>
      </Tooltip>
    );
  return (
    <Text size="sm" fw={500}>
      {count.data.count.toLocaleString()}
    </Text>
  );
}
