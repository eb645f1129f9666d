import { Anchor, Badge, Code, Drawer, Group, Stack, Text, Timeline } from '@mantine/core';
import { IconCheck, IconRobot } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { QueryState } from '../../../components/QueryState.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useBrandQuery } from '../../../lib/queries.ts';
import { campaignsApi, type Recipient, type TrailEntry } from '../api.ts';
import { CAMPAIGNS } from '../queries.ts';
import { skipLabel } from '../status.tsx';
import { MESSAGE_EVENTS } from '../../../components/campaign/messageEvents.ts';

/** S5.4: one recipient's trail — queued → sent → delivered → opened → clicked, or where it stopped. */
export function TrailDrawer({ recipient, onClose }: { recipient: Recipient | null; onClose(): void }) {
  return (
    <Drawer opened={recipient !== null} onClose={onClose} position="right" size="md" title={<Text fw={600}>{recipient?.email}</Text>}>
      {recipient && <Trail recipient={recipient} />}
    </Drawer>
  );
}

function Trail({ recipient }: { recipient: Recipient }) {
  const trail = useBrandQuery([CAMPAIGNS, 'trail', recipient.messageId], () => campaignsApi.trail(recipient.messageId));
  return (
    <Stack gap="md">
      <Group gap="xs">
        {recipient.skipReason && (
          <Badge variant="light" color="gray" radius="sm" tt="none">
            Skipped: {skipLabel(recipient.skipReason)}
          </Badge>
        )}
        <Anchor component={Link} to={`/audience/contacts/${recipient.contactId}`} size="sm">
          Open contact
        </Anchor>
      </Group>
      <QueryState query={trail} skeletonRows={4}>
        {(events) =>
          events.length === 0 ? (
            <Text size="sm" c="dimmed">
              {recipient.skipReason ? 'This contact was skipped when the campaign was sent, so nothing was sent to them.' : 'No events yet.'}
            </Text>
          ) : (
            <Timeline active={events.length - 1} bulletSize={26} lineWidth={2} data-testid="trail">
              {events.map((e, i) => (
                <TrailItem key={`${e.type}-${e.at}-${i}`} event={e} />
              ))}
            </Timeline>
          )
        }
      </QueryState>
    </Stack>
  );
}

function TrailItem({ event: e, ...rest }: { event: TrailEntry }) {
  const info = MESSAGE_EVENTS[e.type] ?? { label: e.type, color: 'gray', icon: IconCheck };
  const Icon = e.machine ? IconRobot : info.icon;
  const data = e.data ?? {};
  const detail = [data.url, data.bounceClass && `${String(data.bounceClass)} bounce`, data.code, data.diagnostic, data.detail, data.reason].filter(Boolean).map(String);
  return (
    <Timeline.Item
      {...rest}
      bullet={<Icon size={14} />}
      color={e.machine ? 'gray' : info.color}
      title={
        <Group gap={6}>
          <Text size="sm" fw={600}>
            {info.label}
          </Text>
          {e.machine && (
            <Badge size="xs" variant="outline" color="gray" radius="sm" tt="none">
              {e.type === 'clicked' ? 'scanner' : 'machine'}
            </Badge>
          )}
        </Group>
      }
    >
      <Text size="xs" c="dimmed">
        {formatDateTime(e.at)}
      </Text>
      {detail.map((d) => (
        <Code key={d} block fz={11} mt={4} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
          {d}
        </Code>
      ))}
      {typeof data.userAgent === 'string' && (
        <Text size="xs" c="dimmed" mt={2} lineClamp={1}>
          {data.userAgent}
        </Text>
      )}
    </Timeline.Item>
  );
}
