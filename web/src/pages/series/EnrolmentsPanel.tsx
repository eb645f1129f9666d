import { useState } from 'react';
import { Anchor, Badge, Button, Card, Code, Drawer, EmptyState, Group, SegmentedControl, Stack, Table, Text, Timeline, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData } from '@tanstack/react-query';
import { IconCheck, IconDoorExit, IconFlag, IconUserPlus, IconUsers, IconX } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { CursorPager } from '../../components/CursorPager.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { formatDateTime, timeAgo } from '../../lib/format.ts';
import { useCursorPages } from '../../lib/paging.ts';
import { useBrandQuery } from '../../lib/queries.ts';
import { useSignedIn } from '../../session.tsx';
import { skipLabel } from '../campaigns/status.tsx';
import { MESSAGE_EVENTS, type EventInfo } from '../../components/campaign/messageEvents.ts';
import { seriesApi, type Enrolment, type EnrolmentStatus, type Series, type TrailEntry } from './api.ts';
import { EnrolmentStatusBadge, emailLabel, ENROLMENT_STATUSES, exitLabel } from './labels.tsx';
import { isLive, SERIES, useSeriesUpdated } from './queries.ts';

const PAGE_SIZE = 50;
type Filter = EnrolmentStatus | 'all';

/** Who is in the series, how far each got, and (in a drawer) each enrolment's trail. */
export function EnrolmentsPanel({ series }: { series: Series }) {
  const [filter, setFilter] = useState<Filter>('all');
  const pages = useCursorPages(filter);
  const list = useBrandQuery(
    [SERIES, series.id, 'enrolments', filter, pages.cursor ?? ''],
    () => seriesApi.enrolments(series.id, { status: filter === 'all' ? undefined : filter, limit: PAGE_SIZE, cursor: pages.cursor }),
    { placeholderData: keepPreviousData, refetchInterval: isLive(series) ? 5000 : false },
  );
  const [open, setOpen] = useState<Enrolment | null>(null);
  const counts: Record<Filter, number> = { all: series.counts.enrolled, ...series.counts };
  const label = (f: Filter) => `${f === 'all' ? 'All' : f[0].toUpperCase() + f.slice(1)} · ${counts[f].toLocaleString()}`;

  return (
    <>
      <Group mb="md" justify="space-between">
        <SegmentedControl
          aria-label="Enrolments by status"
          value={filter}
          onChange={(v) => setFilter(v as Filter)}
          data={(['all', ...ENROLMENT_STATUSES] as Filter[]).map((f) => ({ value: f, label: label(f) }))}
        />
      </Group>
      <QueryState query={list} skeletonRows={5}>
        {({ data, nextCursor }) =>
          data.length === 0 ? (
            <Card padding={40}>
              <EmptyState
                icon={<IconUsers size={24} stroke={1.6} />}
                withIndicatorBackground
                title={filter === 'all' ? 'Nobody enrolled yet' : `No ${filter} enrolments`}
                description={
                  filter === 'all'
                    ? series.status === 'draft'
                      ? 'Start the series to enrol an audience, or turn on its trigger. Each contact shows here with how far they got.'
                      : 'Contacts show here as they are enrolled.'
                    : 'Try another status.'
                }
              />
            </Card>
          ) : (
            <>
              <Card padding={0} style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
                <Table.ScrollContainer minWidth={720} type="native">
                  <Table highlightOnHover layout="fixed" data-testid="enrolments">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Contact</Table.Th>
                        <Table.Th w={200}>Status</Table.Th>
                        <Table.Th w={220}>Next</Table.Th>
                        <Table.Th w={130}>Enrolled</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.map((e) => (
                        <Table.Tr key={e.id} onClick={() => setOpen(e)} style={{ cursor: 'pointer' }} data-testid={`enrolment-${e.email ?? e.contactId}`}>
                          <Table.Td>
                            <Text size="sm" truncate>
                              {e.email ?? 'Contact deleted'}
                            </Text>
                            <Text size="xs" c="dimmed">
                              {e.lastPosition < 0 ? 'Nothing sent yet' : `Up to ${emailLabel(e.lastPosition).toLowerCase()} of ${series.steps.length}`}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            <Group gap={6} wrap="nowrap">
                              <EnrolmentStatusBadge status={e.status} />
                              {e.exitReason && (
                                <Text size="xs" c="dimmed" truncate>
                                  {exitLabel(e.exitReason)}
                                </Text>
                              )}
                            </Group>
                          </Table.Td>
                          <Table.Td>
                            <NextStep enrolment={e} series={series} />
                          </Table.Td>
                          <Table.Td>
                            <Tooltip label={formatDateTime(e.enrolledAt)}>
                              <Text size="sm" c="dimmed" span>
                                {timeAgo(e.enrolledAt)}
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
      <TrailDrawer series={series} enrolment={open} onClose={() => setOpen(null)} />
    </>
  );
}

function NextStep({ enrolment: e, series }: { enrolment: Enrolment; series: Series }) {
  if (e.status !== 'active')
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  const step = series.steps.find((s) => s.id === e.nextStepId);
  if (!step || !e.nextDueAt)
    return (
      <Text size="sm" c="dimmed">
        Nothing due
      </Text>
    );
  return (
    <Stack gap={0}>
      <Text size="sm">{emailLabel(step.position)}</Text>
      <Text size="xs" c="dimmed">
        {series.status === 'paused' ? 'Waiting for resume · ' : ''}due {formatDateTime(e.nextDueAt)}
      </Text>
    </Stack>
  );
}

/** A series trail: its enrolment's own entries, and its steps' message events. */
const TRAIL_INFO: Record<string, EventInfo> = {
  ...MESSAGE_EVENTS,
  enrolled: { label: 'Enrolled', color: 'brand', icon: IconUserPlus },
  withdrawn: { label: 'Withdrawn', color: 'gray', icon: IconX },
  exited: { label: 'Exited', color: 'gray', icon: IconDoorExit },
  completed: { label: 'Completed the series', color: 'teal', icon: IconFlag },
};

/** How a contact came in, after the enrolment's time. */
const SOURCES: Record<string, string> = {
  manual: 'with the audience the series started for',
  api: 'through the API',
  segment: 'on entering the segment',
  tag: 'on getting the tag',
  event: 'after the event',
};

/** "Email 2 sent", "Opened email 1", "Exited: reached the goal". */
function trailTitle(e: TrailEntry): string {
  const type = e.type.replace(/^step[._-]/, '');
  const info = TRAIL_INFO[type];
  const email = e.position !== null && e.position !== undefined ? emailLabel(e.position) : null;
  const reason = typeof e.detail?.reason === 'string' ? e.detail.reason : null;
  switch (type) {
    case 'sent':
    case 'queued':
    case 'delivered':
    case 'failed':
    case 'withdrawn':
      return email ? `${email} ${info.label.toLowerCase()}` : info.label;
    case 'skipped':
      return `${email ?? 'Step'} skipped${reason ? `: ${skipLabel(reason)}` : ''}`;
    case 'opened':
    case 'clicked':
    case 'bounced':
      return email ? `${info.label} ${email.toLowerCase()}` : info.label;
    case 'exited':
      return `Exited${reason ? `: ${exitLabel(reason).toLowerCase()}` : ''}`;
    default:
      return info?.label ?? type.replace(/[-_.]/g, ' ');
  }
}

function TrailDrawer({ series, enrolment, onClose }: { series: Series; enrolment: Enrolment | null; onClose(): void }) {
  return (
    <Drawer opened={enrolment !== null} onClose={onClose} position="right" size="md" title={<Text fw={600}>{enrolment?.email ?? 'Contact deleted'}</Text>}>
      {enrolment && <Trail series={series} enrolment={enrolment} onRemoved={onClose} />}
    </Drawer>
  );
}

function Trail({ series, enrolment, onRemoved }: { series: Series; enrolment: Enrolment; onRemoved(): void }) {
  const { canWrite } = useSignedIn();
  const updated = useSeriesUpdated();
  const detail = useBrandQuery([SERIES, series.id, 'enrolment', enrolment.id], () => seriesApi.enrolment(series.id, enrolment.id), { refetchInterval: isLive(series) ? 5000 : false });
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);

  async function remove() {
    setBusy(true);
    try {
      await seriesApi.removeEnrolment(series.id, enrolment.id);
      await updated(await seriesApi.get(series.id));
      notifications.show({ color: 'teal', message: `${enrolment.email ?? 'The contact'} left the series.` });
      onRemoved();
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not removed', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
      setConfirm(false);
    }
  }

  const current = detail.data ?? enrolment;
  return (
    <Stack gap="md">
      <Group gap="xs" justify="space-between">
        <Group gap="xs">
          <EnrolmentStatusBadge status={current.status} />
          {current.exitReason && (
            <Badge variant="outline" color="gray" radius="sm" tt="none">
              {exitLabel(current.exitReason)}
            </Badge>
          )}
          <Anchor component={Link} to={`/audience/contacts/${enrolment.contactId}`} size="sm">
            Open contact
          </Anchor>
        </Group>
        {canWrite && current.status === 'active' && (
          <Button size="xs" variant="default" color="red" leftSection={<IconDoorExit size={14} />} onClick={() => setConfirm(true)}>
            Remove from series
          </Button>
        )}
      </Group>
      <QueryState query={detail} skeletonRows={4}>
        {(d) =>
          d.trail.length === 0 ? (
            <Text size="sm" c="dimmed">
              No events yet.
            </Text>
          ) : (
            <Timeline active={d.trail.length - 1} bulletSize={26} lineWidth={2} data-testid="enrolment-trail">
              {d.trail.map((e, i) => {
                const info = TRAIL_INFO[e.type.replace(/^step[._-]/, '')] ?? { color: 'gray', icon: IconCheck };
                const Icon = info.icon;
                const extra = [e.detail?.url, e.detail?.error].filter((v): v is string => typeof v === 'string');
                return (
                  <Timeline.Item
                    key={`${e.type}-${e.at}-${i}`}
                    bullet={<Icon size={14} />}
                    color={info.color}
                    title={
                      <Text size="sm" fw={600}>
                        {trailTitle(e)}
                      </Text>
                    }
                  >
                    <Text size="xs" c="dimmed">
                      {formatDateTime(e.at)}
                      {e.type === 'enrolled' && typeof e.detail?.source === 'string' ? ` · ${SOURCES[e.detail.source] ?? e.detail.source}` : ''}
                    </Text>
                    {extra.map((x) => (
                      <Code key={x} block fz={11} mt={4} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                        {x}
                      </Code>
                    ))}
                  </Timeline.Item>
                );
              })}
            </Timeline>
          )
        }
      </QueryState>
      {current.status === 'active' && current.nextDueAt && (
        <Text size="xs" c="dimmed">
          Next: {emailLabel(series.steps.find((s) => s.id === current.nextStepId)?.position ?? 0)} due {formatDateTime(current.nextDueAt)}
        </Text>
      )}
      <ConfirmModal opened={confirm} title="Remove from the series?" confirmLabel="Remove" loading={busy} onClose={() => setConfirm(false)} onConfirm={() => void remove()}>
        {enrolment.email ?? 'This contact'} gets no more emails from this series. What was already sent stays sent.
      </ConfirmModal>
    </Stack>
  );
}
