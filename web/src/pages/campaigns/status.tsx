import { Badge, Tooltip } from '@mantine/core';
import type { CampaignStatus, SkipReason } from './api.ts';

const STATUS_INFO: Record<CampaignStatus, { label: string; color: string; hint: string }> = {
  draft: { label: 'Draft', color: 'gray', hint: 'Not sent or scheduled yet' },
  scheduled: { label: 'Scheduled', color: 'blue', hint: 'Waiting for its send time' },
  sending: { label: 'Sending', color: 'brand', hint: 'Messages are going out now' },
  throttled: { label: 'Throttled', color: 'yellow', hint: 'Held back by a rate or health limit; it resumes by itself' },
  paused: { label: 'Paused', color: 'orange', hint: 'Nothing more goes out until it is resumed' },
  sent: { label: 'Sent', color: 'teal', hint: 'Every recipient is accounted for' },
  failed: { label: 'Failed', color: 'red', hint: 'Sending stopped on an error' },
  cancelled: { label: 'Cancelled', color: 'gray', hint: 'Stopped before every message went out' },
};

export const STATUS_OPTIONS = (Object.keys(STATUS_INFO) as CampaignStatus[]).map((s) => ({ value: s, label: STATUS_INFO[s].label }));

export function CampaignStatusBadge({ status, reason, size = 'md' }: { status: CampaignStatus; reason?: string | null; size?: 'sm' | 'md' | 'lg' }) {
  const info = STATUS_INFO[status] ?? { label: status, color: 'gray', hint: '' };
  return (
    <Tooltip label={reason || info.hint} multiline maw={320} disabled={!reason && !info.hint}>
      <Badge variant="light" color={info.color} radius="sm" tt="none" fw={600} size={size} data-testid="campaign-status">
        {info.label}
      </Badge>
    </Tooltip>
  );
}

export const SKIP_REASON_INFO: Record<SkipReason, { label: string; hint: string }> = {
  bounced: { label: 'Bounced before', hint: 'The address hard-bounced earlier' },
  complained: { label: 'Complained', hint: 'Marked an earlier email as spam' },
  unsubscribed: { label: 'Unsubscribed', hint: 'Opted out of marketing email' },
  'non-subscribed': { label: 'Not subscribed', hint: 'Never gave consent to marketing email' },
  invalid: { label: 'Invalid address', hint: 'The address cannot receive mail' },
  risky: { label: 'Risky address', hint: 'Disposable, role or otherwise risky address' },
  'topic-opt-out': { label: 'Opted out of topic', hint: 'Opted out of this campaign’s topic' },
  duplicate: { label: 'Duplicate', hint: 'Already in the audience through another segment or tag' },
};

export const skipLabel = (reason: string) => SKIP_REASON_INFO[reason as SkipReason]?.label ?? reason;

/** 0.4213 → "42.1 %"; rates arrive as fractions. */
export function percent(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  return `${(fraction * 100).toFixed(fraction === 0 ? 0 : digits)} %`;
}

/** 75 → "1 min 15 s", 5400 → "1 h 30 min". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return `${h} h${m ? ` ${m} min` : ''}`;
}

/** A scheduled time in its own zone, e.g. "Dec 1, 2026, 9:00 AM (Europe/Berlin)". */
export function formatSchedule(schedule: { at: string; zone: string; perRecipientZone?: boolean }): string {
  const [date, time] = schedule.at.split('T');
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi] = (time ?? '00:00').split(':').map(Number);
  const local = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(y, mo - 1, d, h, mi)));
  return schedule.perRecipientZone ? `${local} in each recipient’s time zone` : `${local} (${schedule.zone})`;
}
