import type { BounceClass, BounceReason } from '../bounces.ts';

/**
 * Inbound provider events (S9.2, S5.4): every provider's webhook is verified against its own scheme
 * (verify.ts), then mapped to this one event model (parse.ts). Both steps are pure given their inputs
 * (keys, an injected clock, an injected certificate fetcher), so they are tested with fixtures alone.
 */

export const WEBHOOK_PROVIDERS = ['ses', 'resend', 'sendgrid', 'mailgun', 'postmark'] as const;
export type WebhookProvider = (typeof WEBHOOK_PROVIDERS)[number];

export const EVENT_TYPES = [
  'sent',
  'delivered',
  'deferred',
  'bounced',
  'dropped',
  'complained',
  'opened',
  'clicked',
  'unsubscribed',
  'failed',
  'unknown',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * The key under which the sending side stores our message reference in each provider's custom data
 * (SendGrid custom_args, Mailgun `v:` user variables, Resend tags, SES message tags, Postmark Metadata),
 * so that events find their outbox row without a provider-id lookup. Must equal the key providers/
 * `tagsOf` writes.
 */
export const MESSAGE_REF_KEY = 'message_ref';

export interface BounceDetail {
  class: BounceClass;
  reason: BounceReason;
  /** Enhanced (`5.1.1`) or reply (`550`) code when one was given. */
  code?: string;
  /** What the receiver or provider said, verbatim. */
  diagnostic?: string;
}

export interface NormalizedEvent {
  /** Unique per provider event and stable across the provider's retries: the database dedupes on it. */
  dedupeKey: string;
  provider: WebhookProvider;
  type: EventType;
  /** The provider's own name for the event (`bounce`, `email.bounced`, `Bounce`…), kept for the trail. */
  providerEventType: string;
  /** Lower-cased address the event is about. */
  recipient: string;
  occurredAt: Date;
  /** The id the provider returned at send time (SES MessageId, SendGrid X-Message-Id, Mailgun Message-Id without <>…). */
  providerMessageId?: string;
  /** Our outbox reference, read back from the provider's custom data under {@link MESSAGE_REF_KEY}. */
  messageRef?: string;
  /** Only on `bounced`. */
  bounce?: BounceDetail;
  /** Human-readable context: a drop or failure reason, a complaint feedback type, a deferral diagnostic. */
  detail?: string;
  click?: { url: string };
  userAgent?: string;
  ip?: string;
  /** The provider's own verdict that an open came from a machine (SendGrid `sg_machine_open`). */
  machineOpen?: boolean;
  raw: unknown;
}

/** A request as the HTTP layer received it: header names in any case, the body as raw bytes or text. */
export interface RawWebhook {
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: string | Uint8Array;
}

export type RejectionReason =
  | 'missing_signature'
  | 'malformed'
  | 'bad_signature'
  | 'bad_credentials'
  | 'stale_timestamp'
  | 'untrusted_url'
  | 'certificate_unavailable'
  | 'topic_not_allowed'
  | 'unsupported_signature_version';

export interface Rejection {
  ok: false;
  provider: WebhookProvider;
  reason: RejectionReason;
  /** Names the header or field and the problem; safe to log (never contains secrets). */
  message: string;
}

/** A verified batch of provider events, ready for parse.ts. */
export interface VerifiedEvents {
  ok: true;
  kind: 'events';
  provider: WebhookProvider;
  body: unknown;
  /** The delivery id from the transport (svix-id), when the provider puts it outside the body. */
  deliveryId?: string;
}

/**
 * SNS asks the endpoint to confirm (or tells it about removal of) a subscription; the caller confirms by
 * fetching `subscribeUrl`, which was checked to be an https URL on an SNS host.
 */
export interface SnsSubscriptionMessage {
  ok: true;
  kind: 'subscription-confirmation' | 'unsubscribe-confirmation';
  provider: 'ses';
  topicArn: string;
  subscribeUrl: string;
  token: string;
  messageId: string;
}

export type Verification = VerifiedEvents | SnsSubscriptionMessage | Rejection;

export interface WebhookVerifier {
  readonly provider: WebhookProvider;
  /** Never throws: a bad request comes back as a {@link Rejection} with a reason. */
  verify(raw: RawWebhook): Promise<Verification>;
}
