import { Badge, Tooltip } from '@mantine/core';
import { SERIES_KINDS, type EnrolmentStatus, type SeriesKind, type SeriesStatus, type SeriesTrigger } from './api.ts';

const STATUS_INFO: Record<SeriesStatus, { label: string; color: string; hint: string }> = {
  draft: { label: 'Draft', color: 'gray', hint: 'Not started: refine it, check it, then start it' },
  active: { label: 'Running', color: 'teal', hint: 'Contacts are enrolled and their steps go out when due' },
  paused: { label: 'Paused', color: 'orange', hint: 'No step goes out until it is resumed; due steps wait' },
  archived: { label: 'Archived', color: 'gray', hint: 'Stopped for good; every enrolment has ended' },
};

export function SeriesStatusBadge({ status, size = 'md' }: { status: SeriesStatus; size?: 'sm' | 'md' | 'lg' }) {
  const info = STATUS_INFO[status] ?? { label: status, color: 'gray', hint: '' };
  return (
    <Tooltip label={info.hint} multiline maw={300}>
      <Badge variant="light" color={info.color} radius="sm" tt="none" fw={600} size={size} data-testid="series-status">
        {info.label}
      </Badge>
    </Tooltip>
  );
}

const KIND_LABELS: Record<SeriesKind, string> = {
  welcome: 'Welcome',
  onboarding: 'Onboarding',
  launch: 'Launch',
  nurture: 'Nurture',
  winback: 'Winback',
  'post-purchase': 'Post-purchase',
  event: 'Event',
  dunning: 'Dunning',
};
export const kindLabel = (kind: string) => KIND_LABELS[kind as SeriesKind] ?? kind;
export const KIND_OPTIONS = SERIES_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }));

const ENROLMENT_INFO: Record<EnrolmentStatus, { label: string; color: string }> = {
  active: { label: 'Active', color: 'brand' },
  completed: { label: 'Completed', color: 'teal' },
  exited: { label: 'Exited', color: 'gray' },
};
export const ENROLMENT_STATUSES = Object.keys(ENROLMENT_INFO) as EnrolmentStatus[];

export function EnrolmentStatusBadge({ status }: { status: EnrolmentStatus }) {
  const info = ENROLMENT_INFO[status] ?? { label: status, color: 'gray' };
  return (
    <Badge variant="light" color={info.color} radius="sm" tt="none" fw={500}>
      {info.label}
    </Badge>
  );
}

const EXIT_REASONS: Record<string, string> = {
  unsubscribed: 'Unsubscribed',
  bounced: 'Bounced',
  complained: 'Marked as spam',
  goal: 'Reached the goal',
  'goal-event': 'Reached the goal event',
  'goal-tag': 'Got the goal tag',
  manual: 'Removed by hand',
  removed: 'Removed by hand',
  archived: 'Series archived',
  suppressed: 'Suppressed',
};
export const exitLabel = (reason: string) => EXIT_REASONS[reason] ?? reason.replace(/[-_]/g, ' ').replace(/^./, (c) => c.toUpperCase());

/** "Day 0" is the day of enrolment: offsets count days from it. */
export const dayLabel = (offsetDays: number) => `Day ${offsetDays}`;

/** 0 → "Email 1": positions are 0-based in the API, people count from one. */
export const emailLabel = (position: number) => `Email ${position + 1}`;

/** The trigger in a few words, for the header and the list. */
export function triggerLabel(trigger: SeriesTrigger, names: { segment?(id: string): string | undefined; tag?(id: string): string | undefined } = {}): string {
  switch (trigger.type) {
    case 'manual':
      return 'Started by hand for an audience';
    case 'segment':
      return `Contacts who enter ${names.segment?.(trigger.segmentId) ?? 'a segment'}`;
    case 'tag':
      return `Contacts tagged ${names.tag?.(trigger.tagId) ?? 'with a tag'}`;
    case 'api':
      return 'Contacts enrolled through the API';
    case 'event':
      return `Contacts with the event “${trigger.name}”`;
  }
}

/** 0.4213 → "42 %"; rates arrive as fractions. */
export function percent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  return `${Math.round(fraction * 100)} %`;
}

/** A clock hour as people read it: 9 → "09:00". */
export const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** A step's subject; its email can be gone (deleted from the Emails page), which the series says plainly. */
export const stepSubject = (step: { email: { subject: string; name: string } | null }) => (step.email ? step.email.subject || step.email.name : 'Its email was deleted');
