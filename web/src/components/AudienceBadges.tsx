import { Badge, Box, Group, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCircleX } from '@tabler/icons-react';
import type { ContactStatus, Tag, Validation } from '../api.ts';

export const STATUS_INFO: Record<ContactStatus, { label: string; color: string; meaning: string }> = {
  subscribed: { label: 'Subscribed', color: 'teal', meaning: 'Receives marketing email' },
  'non-subscribed': { label: 'Non-subscribed', color: 'gray', meaning: 'Known, but never opted in: transactional email only' },
  unsubscribed: { label: 'Unsubscribed', color: 'yellow', meaning: 'Opted out of marketing email' },
  bounced: { label: 'Bounced', color: 'red', meaning: 'The address hard-bounced; nothing is sent to it' },
  complained: { label: 'Complained', color: 'orange', meaning: 'Marked an email as spam; nothing is sent to it' },
};
export const CONTACT_STATUSES = Object.keys(STATUS_INFO) as ContactStatus[];
export const STATUS_OPTIONS = CONTACT_STATUSES.map((s) => ({ value: s, label: STATUS_INFO[s].label }));

export function StatusBadge({ status }: { status: ContactStatus }) {
  const info = STATUS_INFO[status];
  return (
    <Tooltip label={info.meaning}>
      <Badge color={info.color} variant="light" radius="sm" tt="none" fw={500}>
        {info.label}
      </Badge>
    </Tooltip>
  );
}

type TagLike = Pick<Tag, 'name' | 'color'>;

/** A tag as a small pill with its colour as a dot, readable whatever the colour. */
export function TagBadge({ tag, size = 'sm' }: { tag: TagLike; size?: 'xs' | 'sm' | 'md' }) {
  return (
    <Badge
      variant="default"
      radius="xl"
      size={size}
      tt="none"
      fw={500}
      leftSection={<Box w={8} h={8} style={{ borderRadius: 99, background: tag.color }} />}
      styles={{ root: { maxWidth: 180 } }}
    >
      {tag.name}
    </Badge>
  );
}

export function TagList({ tags, max = 3 }: { tags: TagLike[]; max?: number }) {
  if (tags.length === 0) return <Text size="sm" c="dimmed">—</Text>;
  const rest = tags.slice(max);
  return (
    <Group gap={4} wrap="wrap">
      {tags.slice(0, max).map((t) => (
        <TagBadge key={t.name} tag={t} />
      ))}
      {rest.length > 0 && (
        <Tooltip label={rest.map((t) => t.name).join(', ')} multiline maw={260}>
          <Badge variant="light" color="gray" radius="xl" size="sm" tt="none" fw={500}>
            +{rest.length}
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}

const VALIDATION_INFO: Record<Exclude<Validation, 'valid' | 'unknown'>, { label: string; color: string; icon: typeof IconCircleX }> = {
  invalid: { label: 'Invalid', color: 'red', icon: IconCircleX },
  risky: { label: 'Risky', color: 'orange', icon: IconAlertTriangle },
};

/** Only the verdicts worth a look (invalid, risky) are shown; valid and unknown stay quiet. */
export function ValidationMark({ validation, reason }: { validation: Validation; reason: string | null }) {
  if (validation === 'valid' || validation === 'unknown') return null;
  const info = VALIDATION_INFO[validation];
  const Icon = info.icon;
  return (
    <Tooltip label={`${info.label} address${reason ? `: ${reason}` : ''}`}>
      <Icon size={16} color={`var(--mantine-color-${info.color}-6)`} aria-label={`${info.label} address`} />
    </Tooltip>
  );
}
