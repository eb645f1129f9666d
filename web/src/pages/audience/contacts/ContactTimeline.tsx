import { Button, Text, ThemeIcon, Timeline, Tooltip } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import {
  IconBan,
  IconCircleCheck,
  IconClick,
  IconEdit,
  IconFileImport,
  IconMailForward,
  IconMailOpened,
  IconMoodSad,
  IconPlus,
  IconTag,
  IconTagOff,
  IconToggleRight,
  IconUserMinus,
  IconAlertTriangle,
  IconPoint,
} from '@tabler/icons-react';
import { api, type TimelineEvent } from '../../../api.ts';
import { ErrorAlert } from '../../../components/QueryState.tsx';
import { formatDateTime, timeAgo } from '../../../lib/format.ts';
import { brandKey } from '../../../lib/queries.ts';
import { useSignedIn } from '../../../session.tsx';
import { AUDIENCE_KEYS } from '../queries.ts';

const PAGE_SIZE = 20;
type Icon = typeof IconPoint;

const CHANNEL: Record<string, string> = { manual: 'by hand', api: 'through the API', cli: 'from the command line', import: 'by import', system: 'by Tidings' };
const via = (source: unknown) => (typeof source === 'string' ? ` ${CHANNEL[source] ?? `via ${source}`}` : '');

/** How each event type reads: an icon and a sentence built from the event's data. */
const DESCRIBE: Record<string, { icon: Icon; color?: string; text(d: Record<string, unknown>): string }> = {
  created: { icon: IconPlus, text: (d) => `Added${via(d.source)}${d.status ? ` as ${d.status}` : ''}` },
  imported: { icon: IconFileImport, text: (d) => `Imported${d.fileName ? ` from ${d.fileName}` : ''}` },
  updated: { icon: IconEdit, text: (d) => `Updated ${Array.isArray(d.changed) ? d.changed.join(', ') : 'profile'}` },
  tag_added: { icon: IconTag, text: (d) => `Tagged ${d.tag ?? d.tagId}` },
  tag_removed: { icon: IconTagOff, text: (d) => `Untagged ${d.tag ?? d.tagId}` },
  status_changed: { icon: IconCircleCheck, text: (d) => `Status changed from ${d.from} to ${d.to}${via(d.source)}` },
  topic_changed: { icon: IconToggleRight, text: (d) => `${d.optedIn ? 'Opted in to' : 'Opted out of'} ${d.topic ?? d.topicId}` },
  suppressed: { icon: IconBan, color: 'orange', text: (d) => `Suppressed (${d.reason})` },
  unsuppressed: { icon: IconBan, text: () => 'Removed from the suppression list' },
  received: { icon: IconMailForward, text: () => 'Received an email' },
  opened: { icon: IconMailOpened, text: () => 'Opened an email' },
  clicked: { icon: IconClick, text: () => 'Clicked a link' },
  bounced: { icon: IconAlertTriangle, color: 'red', text: (d) => `Bounced${d.kind ? ` (${d.kind})` : ''}` },
  unsubscribed: { icon: IconUserMinus, color: 'yellow', text: () => 'Unsubscribed' },
  complained: { icon: IconMoodSad, color: 'orange', text: () => 'Marked an email as spam' },
};

function describe(e: TimelineEvent) {
  return DESCRIBE[e.type] ?? { icon: IconPoint, text: () => e.type.replace(/_/g, ' ') };
}

export function ContactTimeline({ contactId }: { contactId: string }) {
  const { brandId } = useSignedIn();
  const events = useInfiniteQuery({
    queryKey: brandKey(brandId, AUDIENCE_KEYS.contacts, 'timeline', contactId),
    queryFn: ({ pageParam }) => api.contacts.timeline(contactId, { limit: PAGE_SIZE, cursor: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  if (events.isPending) return <Text size="sm" c="dimmed">Loading activity…</Text>;
  if (events.isError) return <ErrorAlert error={events.error} />;
  const all = events.data.pages.flatMap((p) => p.data);
  if (all.length === 0) return <Text size="sm" c="dimmed">No activity yet.</Text>;
  return (
    <>
      <Timeline bulletSize={26} lineWidth={2}>
        {all.map((e) => {
          const d = describe(e);
          const Icon = d.icon;
          return (
            <Timeline.Item
              key={e.id}
              bullet={
                <ThemeIcon size={26} radius="xl" variant="light" color={d.color ?? 'gray'}>
                  <Icon size={14} />
                </ThemeIcon>
              }
              title={<Text size="sm">{d.text(e.data)}</Text>}
            >
              <Tooltip label={formatDateTime(e.occurredAt)}>
                <Text size="xs" c="dimmed" span>
                  {timeAgo(e.occurredAt)}
                </Text>
              </Tooltip>
            </Timeline.Item>
          );
        })}
      </Timeline>
      {events.hasNextPage && (
        <Button variant="subtle" size="xs" mt="sm" onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage}>
          Show older activity
        </Button>
      )}
    </>
  );
}
