/**
 * Sending providers (S9.1): one interface over SMTP, Amazon SES v2, Resend, SendGrid, Mailgun,
 * Postmark and the built-in capture inbox. A provider moves ONE rendered message (or a batch of them)
 * and says what became of it; it never decides whether to try again. Retries, backoff, rate limits
 * and the circuit breaker belong to the dispatcher that owns the outbox.
 *
 * Outcomes
 * - `accepted`: the provider took the message; `providerMessageId` is what its events will carry
 *   (SES MessageId, Resend id, SendGrid X-Message-Id, Mailgun id without <>, Postmark MessageID,
 *   the Message-ID header for SMTP and capture).
 * - `rejected`: sending this message again cannot succeed without a change (bad credentials, invalid
 *   content or address, too large, recipient suppressed at the provider). Never retried.
 * - `retry`: a passing condition (rate limit, quota, 5xx, 4xx SMTP reply, timeout, connection
 *   failure). `retryAfterMs` is set when the provider said how long to wait (Retry-After in seconds or
 *   as an HTTP date, Resend's ratelimit-reset). Which kinds retry is decided in one place:
 *   {@link RETRYABLE_KINDS}.
 *
 * Idempotency
 * - The dispatcher writes the outbox row, with a unique deterministic `idempotencyKey`, BEFORE calling
 *   `send`, and reuses the same key on every retry of that row. A crash therefore never loses a
 *   recipient; what it can do is leave a row whose call may or may not have reached the provider.
 * - Only Resend deduplicates natively: the key goes out as its `Idempotency-Key` header (24 h window),
 *   so a retry of an ambiguous call is safe there. (Brevo has one too, but is not an adapter here.)
 *   SES, SendGrid, Mailgun, Postmark and SMTP have none: a retry after an ambiguous failure can send
 *   twice. Such failures are flagged `maybeDelivered` (timeouts, a connection lost after the request
 *   went out) so the dispatcher can reconcile from webhooks by `messageRef`, or report the bounded
 *   in-flight window, instead of blindly resending.
 * - `messageRef` (our id) travels with every message in each provider's own field (SES EmailTags,
 *   Resend tags, SendGrid custom_args, Mailgun v: variables, Postmark Metadata) so events map back.
 * - Pooled SMTP is told never to requeue a message on its own after a dropped connection
 *   (`maxRequeues: 0`): the server may already have it, and that call is the outbox's to make.
 */
import { z } from 'zod';
import type { RenderedMessage } from '../../emails/model.ts';
import type { Clock } from '../../shared/clock.ts';

export const PROVIDER_KINDS = ['smtp', 'ses', 'resend', 'sendgrid', 'mailgun', 'postmark', 'capture'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export interface Address {
  email: string;
  name?: string;
}

export type MessageCategory = 'marketing' | 'transactional';

/** One rendered message, usually for one recipient; personalisation is already done. */
export interface OutboundMessage {
  /** Deterministic per outbox row, identical on every retry of it. */
  idempotencyKey: string;
  /** Our id for this message; comes back in provider events. */
  messageRef: string;
  category: MessageCategory;
  from: Address;
  replyTo?: Address;
  to: Address[];
  subject: string;
  html: string;
  text?: string;
  /** Extra headers: List-Unsubscribe, List-Unsubscribe-Post, Feedback-ID… */
  headers?: Record<string, string>;
  /** Round-trip with `messageRef`; providers that restrict the charset get a sanitised copy. */
  tags?: Record<string, string>;
  /**
   * The finished RFC 5322 message (already DKIM-signed when signing is ours). SMTP, SES and capture
   * send these bytes unchanged; HTTP APIs that build their own MIME use the fields above instead.
   */
  raw?: Buffer;
}

export interface ProviderCapabilities {
  /** To-recipients one message may have. */
  maxRecipientsPerMessage: number;
  /** Messages one API call may carry; 1 when the provider has no batch endpoint. */
  maxMessagesPerBatch: number;
  /** Largest message the provider takes (raw MIME, or the content fields for HTTP APIs). */
  maxMessageBytes: number;
  /** Largest batch request, when the provider caps it separately (Postmark: 50 MB). */
  maxBatchBytes?: number;
  /** Whether `raw` is sent as given (SMTP, SES, capture) or ignored for the content fields. */
  sendsRawMime: boolean;
  idempotency: { native: false } | { native: true; windowSec: number };
  /** Documented starting points for the dispatcher's limiter; it adapts from responses. */
  rate: { requestsPerSec?: number; concurrency?: number; fromHeaders?: string[] };
}

export type ProviderErrorKind =
  | 'auth'
  | 'validation'
  | 'payload_too_large'
  | 'suppressed'
  | 'rate_limited'
  | 'quota_exhausted'
  | 'transient'
  | 'timeout'
  | 'connection';

/** The kinds worth trying again later, unchanged. Every other kind is a rejection. */
export const RETRYABLE_KINDS: ReadonlySet<ProviderErrorKind> = new Set(['rate_limited', 'quota_exhausted', 'transient', 'timeout', 'connection']);

export interface ProviderError {
  kind: ProviderErrorKind;
  message: string;
  httpStatus?: number;
  /** The provider's own code: SES exception name, Postmark ErrorCode, SMTP enhanced status (5.1.1)… */
  providerCode?: string;
  /** The request may have reached the provider and been acted on (timeout, dropped connection). */
  maybeDelivered?: true;
}

export type SendOutcome =
  | { status: 'accepted'; providerMessageId: string; acceptedAt: Date }
  | { status: 'rejected'; error: ProviderError }
  | { status: 'retry'; error: ProviderError; retryAfterMs?: number };

export interface SendOptions {
  /** Cancels the call (shutdown); a cancelled call throws instead of returning an outcome. */
  signal?: AbortSignal;
}

export interface EmailProvider {
  readonly id: ProviderKind;
  readonly capabilities: ProviderCapabilities;
  send(msg: OutboundMessage, opts?: SendOptions): Promise<SendOutcome>;
  /** Present when the provider has a batch endpoint; outcomes come back in input order. */
  sendBatch?(msgs: OutboundMessage[], opts?: SendOptions): Promise<SendOutcome[]>;
  /** Releases pooled connections. */
  close(): Promise<void>;
}

/** What every adapter is built with besides its settings. */
export interface ProviderDeps {
  clock: Clock;
  /** The HTTP adapters' fetch; the global one when not given. */
  fetch?: typeof fetch;
}

// ---- Settings pieces shared by the adapters' schemas (each adapter owns its schema) ----

export const TimeoutMs = z.number().int().min(100, 'must be at least 100 ms').max(300_000, 'must be at most 300000 ms (5 minutes)').default(30_000);

/** An http(s) base URL without its trailing slash, so paths can be appended. */
export const BaseUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .transform((u) => u.replace(/\/+$/, ''));

export const Secret = z.string().trim().min(1, 'is required');

export function accepted(providerMessageId: string, at: Date): SendOutcome {
  return { status: 'accepted', providerMessageId, acceptedAt: at };
}

/** The outcome for a failure: retry or rejection follows from the kind alone. */
export function failed(error: ProviderError, retryAfterMs?: number): SendOutcome {
  if (!RETRYABLE_KINDS.has(error.kind)) return { status: 'rejected', error };
  return retryAfterMs === undefined ? { status: 'retry', error } : { status: 'retry', error, retryAfterMs };
}

/** Tags as the dispatcher attaches them: our message reference plus the caller's own tags. */
export function tagsOf(msg: OutboundMessage): Record<string, string> {
  return { ...msg.tags, message_ref: msg.messageRef };
}

/** Resend and SES tags take ASCII letters, digits, "_" and "-" only, at most 256 characters. */
export const asciiTag = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);

/** `"Name" <email>` for APIs that take a single address string (Resend, Mailgun, Postmark). */
export function formatAddress(a: Address): string {
  if (!a.name) return a.email;
  return `"${a.name.replace(/["\\]/g, (c) => `\\${c}`)}" <${a.email}>`;
}

/** What the emails capability renders, plus the outbox's identifiers, as an outbound message. */
export function fromRendered(
  rendered: RenderedMessage,
  meta: Pick<OutboundMessage, 'idempotencyKey' | 'messageRef' | 'category'> & Pick<Partial<OutboundMessage>, 'tags' | 'raw'>,
): OutboundMessage {
  return {
    ...meta,
    from: { email: rendered.from.email, name: rendered.from.name || undefined },
    replyTo: rendered.replyTo ? { email: rendered.replyTo } : undefined,
    to: [{ email: rendered.to }],
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    headers: rendered.headers,
  };
}
