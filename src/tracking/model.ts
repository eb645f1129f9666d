import { z } from 'zod';
import type { MessageStatus, SkipReason } from '../store/schema.ts';

/**
 * Tracking (S5.4): what recipients and providers did with sent messages, and the results read
 * from it. Event types in `events.type` are shared with the segment engine's engagement
 * conditions; `received` is "the provider accepted the message" (shown as sent).
 */
export const TRACKING_EVENT_TYPES = ['received', 'delivered', 'opened', 'clicked', 'bounced', 'complained', 'unsubscribed', 'deferred', 'failed'] as const;
export type TrackingEventType = (typeof TRACKING_EVENT_TYPES)[number];

/** How an unsubscribe arrived: the RFC 8058 header POST, the page's button, the preferences page, or a provider's report. */
export type UnsubscribeHow = 'one-click' | 'page' | 'preferences' | 'provider';

/** Where a tracked link goes: the URL as the email has it (recorded with the click) and its normalised form (the redirect). */
export interface ClickTarget {
  url: string;
  href: string;
}

/** The normalised form of a URL to redirect to, or null when it does not parse. */
export function hrefOf(url: string): string | null {
  try {
    return new URL(url).href;
  } catch {
    return null;
  }
}

/** A message the dispatcher handed to a provider, for `recordSent`. */
export interface SentMessage {
  id: string;
  brandId: string;
  contactId: string;
  campaignId: string | null;
  sentAt: string;
  /** Provider account id or 'capture', kept on the event for the trail. */
  provider?: string;
}

export interface CampaignStats {
  sent: number;
  delivered: number;
  /** unique: messages a person opened (or clicked); total: human open events; machine: machine open events. */
  opens: { unique: number; total: number; machine: number };
  clicks: { unique: number; total: number; machine: number };
  unsubscribes: number;
  /** Per message, its worst bounce; `block` (the receiver refused the sender, not the address) counts as soft. */
  bounces: { hard: number; soft: number; undetermined: number };
  complaints: number;
  /**
   * Fractions (0..1). delivery and bounce are of sent; open, click, unsubscribe and complaint are
   * of the messages that did not bounce (providers without delivery reports, like SMTP and the
   * capture inbox, never report "delivered").
   */
  rates: { delivery: number; open: number; click: number; unsubscribe: number; bounce: number; complaint: number };
}

export const TIMELINE_BUCKETS = ['hour', 'day'] as const;
export type TimelineBucket = (typeof TIMELINE_BUCKETS)[number];

export interface TimelinePoint {
  /** Start of the bucket, UTC ISO. */
  at: string;
  sent: number;
  delivered: number;
  opens: number;
  machineOpens: number;
  clicks: number;
  machineClicks: number;
  bounces: number;
  complaints: number;
  unsubscribes: number;
}

export interface LinkStats {
  index: number;
  /** The URL as written in the email (merge tags unrendered for personalised links). */
  url: string;
  /** Human clicks. */
  clicks: number;
  /** Messages with at least one human click on this link. */
  uniqueClicks: number;
  machineClicks: number;
}

export const RECIPIENT_STATUSES = ['sent', 'skipped', 'failed', 'queued', 'cancelled'] as const;

export const RecipientsQuery = z.object({
  /** `queued` includes messages being sent right now. */
  status: z.enum(RECIPIENT_STATUSES).optional(),
  /** Part of the email address. */
  search: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});
export type RecipientsQuery = z.input<typeof RecipientsQuery>;

export interface Recipient {
  messageId: string;
  contactId: string;
  email: string;
  status: MessageStatus;
  skipReason: SkipReason | null;
  error: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  openedAt: string | null;
  clickedAt: string | null;
  bouncedAt: string | null;
  bounceClass: string | null;
  complainedAt: string | null;
  unsubscribedAt: string | null;
}

/** One step of a message's trail: `queued` / `skipped` from the outbox row, then its events in order. */
export interface TrailEntry {
  type: string;
  at: string;
  data: Record<string, unknown>;
  machine: boolean;
}

/** What a preferences page shows: the brand's public topics with this contact's choices. */
export interface PreferencesView {
  brandName: string;
  email: string;
  unsubscribed: boolean;
  topics: Array<{ id: string; name: string; description: string; optedIn: boolean }>;
}
