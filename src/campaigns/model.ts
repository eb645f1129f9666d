import { z } from 'zod';
import { PageQuery } from '../http/pagination.ts';
import type { Actor } from '../brands/model.ts';
import type { CampaignStatus, SkipReason } from '../store/schema.ts';

export type { CampaignStatus, SkipReason };

/**
 * Campaigns (S5.1): one email to one audience, now or later. The lifecycle:
 *
 *   draft ──send──────────────▶ sending ⇄ throttled ──(outbox drained)──▶ sent | failed
 *     │  ◀──edit── scheduled ──(send_at)──▶   │ ▲
 *     └──schedule──▶ │                    pause │ │ resume
 *                    │                          ▼ │
 *                    └────────cancel────────▶ paused ──cancel──▶ cancelled
 *
 * `throttled` is `sending` held back by a rate limit or a provider asking us to slow down; the
 * dispatcher moves a campaign between the two by itself. Editing a scheduled campaign takes it back
 * to draft (it must be scheduled again, with a fresh preflight). Duplicate works from any status;
 * archive hides a campaign that is not going to send any more.
 */

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'throttled', 'paused', 'sent', 'failed', 'cancelled'] as const satisfies readonly CampaignStatus[];

/** Statuses whose content and audience may still change. */
export const EDITABLE: readonly CampaignStatus[] = ['draft', 'scheduled'];
/** Statuses a send or a schedule may start from. */
export const STARTABLE: readonly CampaignStatus[] = ['draft', 'scheduled'];
/** Statuses in which the dispatcher works on the campaign's messages. */
export const DISPATCHING: readonly CampaignStatus[] = ['sending', 'throttled'];
export const PAUSABLE: readonly CampaignStatus[] = DISPATCHING;
export const CANCELLABLE: readonly CampaignStatus[] = ['scheduled', 'sending', 'throttled', 'paused'];
/** Statuses of a campaign that will never send again. */
export const SETTLED: readonly CampaignStatus[] = ['draft', 'sent', 'failed', 'cancelled'];

export interface CampaignAudience {
  segmentIds: string[];
  tagIds: string[];
}

export interface CampaignSchedule {
  /** Local date and time, without offset: `zone` (or each recipient's own zone) says where. */
  at: string;
  /** IANA zone of `at`; with perRecipientZone, the zone of contacts whose own zone is unknown. */
  zone: string;
  perRecipientZone: boolean;
}

export interface PreflightOverride {
  by: Actor;
  at: string;
  /** The critical findings that were overridden: what the audit trail must be able to show. */
  findings: Array<{ id: string; message: string }>;
}

export interface Campaign {
  id: string;
  name: string;
  emailId: string | null;
  /** The email version that goes out, pinned when the campaign is committed (sent or scheduled). */
  emailVersion: number | null;
  subject: string | null;
  preheader: string | null;
  fromName: string | null;
  fromEmail: string | null;
  replyTo: string | null;
  audience: CampaignAudience;
  topicId: string | null;
  providerId: string | null;
  trackOpens: boolean;
  trackClicks: boolean;
  status: CampaignStatus;
  /** Why the campaign is paused, throttled or failed, in words a user can act on. */
  statusReason: string | null;
  schedule: CampaignSchedule | null;
  /** When sending starts (UTC). */
  sendAt: string | null;
  preflightOverride: PreflightOverride | null;
  /** Everyone the audience resolved to: skipped + queued + sending + sent + failed + cancelled. */
  recipients: number;
  skipped: number;
  sent: number;
  failed: number;
  cancelled: number;
  /** The whole audience is in the outbox. */
  fanoutDone: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  archivedAt: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CampaignProgress {
  status: CampaignStatus;
  statusReason: string | null;
  fanoutDone: boolean;
  recipients: number;
  skipped: number;
  queued: number;
  sending: number;
  sent: number;
  failed: number;
  cancelled: number;
  /** Messages accepted by the provider per second over the last half minute. */
  ratePerSec: number;
  /** Seconds until the queue drains at that rate; null while nothing is moving or nothing is left. */
  etaSeconds: number | null;
}

export interface AudiencePreview {
  /** Everyone the audience resolves to, skipped ones included. */
  recipients: number;
  /** Who would get the email now. */
  sendable: number;
  skipped: Partial<Record<SkipReason, number>>;
  /** The first few sendable contacts. */
  sample: Array<{ contactId: string; email: string; name: string | null }>;
}

/** One outbox row as the campaign log shows it. */
export interface CampaignMessage {
  id: string;
  contactId: string;
  email: string;
  status: string;
  skipReason: SkipReason | null;
  attempts: number;
  dueAt: string;
  sentAt: string | null;
  error: string | null;
}

// ---- inputs ---------------------------------------------------------------------------------

const strict = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject(shape, { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')}` : undefined) });

const ref = z.string().trim().min(1, 'is required').max(100);
const address = z.email('must be an email address').max(320);

export const AUDIENCE_LIMITS = { segments: 20, tags: 100 } as const;

export const AudienceInput = strict({
  segmentIds: z.array(ref).max(AUDIENCE_LIMITS.segments, `at most ${AUDIENCE_LIMITS.segments} segments`).default([]),
  tagIds: z.array(ref).max(AUDIENCE_LIMITS.tags, `at most ${AUDIENCE_LIMITS.tags} tags`).default([]),
});

const campaignFields = {
  name: z.string({ error: 'is required' }).trim().min(1, 'is required').max(200),
  emailId: ref,
  audience: AudienceInput,
  topicId: ref.nullable(),
  providerId: ref.nullable(),
  subject: z.string().trim().min(1, 'must not be empty').max(300).nullable(),
  preheader: z.string().trim().max(300).nullable(),
  fromName: z.string().trim().min(1, 'must not be empty').max(120).nullable(),
  fromEmail: address.nullable(),
  replyTo: address.nullable(),
  trackOpens: z.boolean(),
  trackClicks: z.boolean(),
};

export const CampaignInput = strict({
  ...campaignFields,
  audience: AudienceInput.default({ segmentIds: [], tagIds: [] }),
  topicId: campaignFields.topicId.optional(),
  providerId: campaignFields.providerId.optional(),
  subject: campaignFields.subject.optional(),
  preheader: campaignFields.preheader.optional(),
  fromName: campaignFields.fromName.optional(),
  fromEmail: campaignFields.fromEmail.optional(),
  replyTo: campaignFields.replyTo.optional(),
  trackOpens: campaignFields.trackOpens.default(true),
  trackClicks: campaignFields.trackClicks.default(true),
});
export type CampaignInput = z.infer<typeof CampaignInput>;

export const CampaignPatch = strict(campaignFields).partial();
export type CampaignPatch = z.infer<typeof CampaignPatch>;

const overridePreflight = z.boolean().optional().describe('send despite critical preflight findings (managers only; audited)');

export const SendInput = strict({ overridePreflight });
export type SendInput = z.infer<typeof SendInput>;

export const ScheduleInput = strict({
  at: z.string({ error: 'is required' }).describe('local date and time without offset, e.g. 2026-12-01T09:00'),
  zone: z.string().optional().describe('IANA time zone of `at`, e.g. Europe/Berlin; with perRecipientZone, the zone of contacts whose zone is unknown (default: the brand zone)'),
  perRecipientZone: z.boolean().default(false).describe("send at `at` in each recipient's own time zone"),
  overridePreflight,
});
export type ScheduleInput = z.infer<typeof ScheduleInput>;

export const CampaignTestSendInput = strict({
  to: z.array(address).min(1, 'needs at least one address').max(10, 'at most 10 addresses'),
  contactId: ref.optional(),
});

export const CampaignListQuery = PageQuery.extend({
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  search: z.string().trim().max(200).optional(),
  archived: z
    .union([z.boolean(), z.enum(['0', '1', 'true', 'false'])])
    .optional()
    .transform((v) => v === true || v === '1' || v === 'true')
    .describe('list archived campaigns instead of the others'),
});
export type CampaignListQuery = z.input<typeof CampaignListQuery>;

export const MESSAGE_LOG_STATUSES = ['failed', 'queued', 'sending', 'sent', 'skipped', 'cancelled'] as const;
export const MessageLogQuery = PageQuery.extend({
  status: z.enum(MESSAGE_LOG_STATUSES).optional(),
});
export type MessageLogQuery = z.input<typeof MessageLogQuery>;
