import { z } from 'zod';
import { sha256 } from '../../shared/crypto.ts';
import { issuesFromZod, validationError } from '../../shared/errors.ts';
import { classifyBounce, type BounceClass, type BounceInput, type BounceReason } from '../bounces.ts';
import { MESSAGE_REF_KEY, type BounceDetail, type EventType, type NormalizedEvent, type VerifiedEvents } from './model.ts';

/**
 * Verified provider payloads → NormalizedEvent[] (esp.md §5.1 mapping). Pure: same input, same events,
 * same dedupe keys. A payload whose shape we cannot read throws a validation DomainError naming the
 * field; an event type we do not know becomes `unknown` (kept, never dropped silently).
 */
export function parseEvents(verified: VerifiedEvents): NormalizedEvent[] {
  switch (verified.provider) {
    case 'sendgrid':
      return parseSendgrid(verified.body);
    case 'resend':
      return parseResend(verified.body, verified.deliveryId);
    case 'mailgun':
      return parseMailgun(verified.body);
    case 'postmark':
      return parsePostmark(verified.body);
    case 'ses':
      return parseSes(verified.body);
  }
}

function read<T extends z.ZodType>(schema: T, value: unknown, prefix: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(issuesFromZod(parsed.error.issues, prefix));
  return parsed.data;
}

/** A stable id from the parts that identify an event, for providers that give no event id. */
const hashOf = (...parts: Array<string | number | undefined>) => sha256(parts.map((p) => p ?? '').join('\u0000')).slice(0, 32);

const lower = (email: string) => email.trim().toLowerCase();

/** "Name <a@b>" or "a@b" → "a@b". */
const addressOf = (value: string) => lower(/<([^>]+)>/.exec(value)?.[1] ?? value);

const refFrom = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** `forced`: a provider fact that outranks the classifier unless codes or text reach the same class with better words. */
function bounceDetail(input: BounceInput, forced?: { class: BounceClass; reason: BounceReason }): BounceDetail {
  const verdict = classifyBounce(input);
  const evidenced = verdict.basis !== 'provider' && verdict.basis !== 'none';
  const chosen = forced && (verdict.class !== forced.class || !evidenced) ? forced : verdict;
  const detail: BounceDetail = { class: chosen.class, reason: chosen.reason };
  const code = verdict.code ?? input.status;
  if (code) detail.code = code;
  if (input.diagnostic?.trim()) detail.diagnostic = input.diagnostic.trim();
  return detail;
}

function event(fields: NormalizedEvent): NormalizedEvent {
  // Drop absent optional fields so events compare and serialise cleanly.
  return Object.fromEntries(Object.entries({ ...fields, recipient: lower(fields.recipient) }).filter(([, v]) => v !== undefined)) as unknown as NormalizedEvent;
}

/**
 * SES (and Resend, which sends through SES and reuses its words) bounce types as a provider verdict.
 * Suppressed addresses were never attempted: no code will ever say more.
 */
function sesBounceVerdict(type: string | undefined, subType: string | undefined): { hint: BounceClass; forced?: { class: BounceClass; reason: BounceReason } } {
  if (subType === 'Suppressed' || subType === 'OnAccountSuppressionList') return { hint: 'hard', forced: { class: 'hard', reason: 'suppressed' } };
  if (type === 'Permanent') return { hint: 'hard' };
  if (type === 'Transient') return { hint: ['MessageTooLarge', 'ContentRejected', 'AttachmentRejected'].includes(subType ?? '') ? 'block' : 'soft' };
  return { hint: 'undetermined' };
}

// ---------------------------------------------------------------------------------------------- SendGrid

const SendgridEvent = z.looseObject({
  email: z.string().min(1),
  timestamp: z.number(),
  event: z.string(),
  sg_event_id: z.string().optional(),
  sg_message_id: z.string().optional(),
  reason: z.string().optional(),
  status: z.string().optional(),
  type: z.string().optional(),
  bounce_classification: z.string().optional(),
  response: z.string().optional(),
  url: z.string().optional(),
  useragent: z.string().optional(),
  ip: z.string().optional(),
  sg_machine_open: z.boolean().optional(),
});

const SENDGRID_TYPES: Record<string, EventType> = {
  processed: 'sent',
  delivered: 'delivered',
  deferred: 'deferred',
  bounce: 'bounced',
  dropped: 'dropped',
  open: 'opened',
  click: 'clicked',
  spamreport: 'complained',
  unsubscribe: 'unsubscribed',
  group_unsubscribe: 'unsubscribed',
};

/** SendGrid's own bounce_classification, used only when codes and text say nothing. */
const SENDGRID_CLASSIFICATION: Record<string, BounceClass> = {
  'Invalid Address': 'hard',
  'Mailbox Unavailable': 'soft',
  Technical: 'soft',
  'Frequency or Volume Too High': 'soft',
  Content: 'block',
  Reputation: 'block',
};

function parseSendgrid(body: unknown): NormalizedEvent[] {
  return read(z.array(SendgridEvent), body, 'body').map((e) => {
    const type = SENDGRID_TYPES[e.event] ?? 'unknown';
    // sg_message_id is "<X-Message-Id returned at send>.<relay suffix>".
    const providerMessageId = e.sg_message_id?.split('.')[0];
    const bounceInput = { status: e.status, diagnostic: e.reason, hint: SENDGRID_CLASSIFICATION[e.bounce_classification ?? ''] };
    return event({
      dedupeKey: `sendgrid:${e.sg_event_id ?? hashOf(e.event, e.sg_message_id, e.email, e.timestamp)}`,
      provider: 'sendgrid',
      type,
      providerEventType: e.event,
      recipient: e.email,
      occurredAt: new Date(e.timestamp * 1000),
      providerMessageId,
      messageRef: refFrom(e[MESSAGE_REF_KEY]),
      // type=blocked: the receiver refused the sender (IP, content, reputation), whatever the code says.
      bounce: type === 'bounced' ? bounceDetail(bounceInput, e.type === 'blocked' ? { class: 'block', reason: 'policy' } : undefined) : undefined,
      detail: type === 'dropped' || type === 'deferred' ? (e.reason ?? e.response) : undefined,
      click: type === 'clicked' && e.url ? { url: e.url } : undefined,
      userAgent: e.useragent,
      ip: e.ip,
      machineOpen: type === 'opened' ? (e.sg_machine_open ?? false) : undefined,
      raw: e,
    });
  });
}

// ---------------------------------------------------------------------------------------------- Resend

const ResendEvent = z.looseObject({
  type: z.string(),
  created_at: z.string(),
  data: z.looseObject({
    email_id: z.string().optional(),
    to: z.union([z.array(z.string()), z.string()]).optional(),
    // Tags arrive as an object in current payloads and as [{name, value}] in older ones.
    tags: z.union([z.record(z.string(), z.string()), z.array(z.object({ name: z.string(), value: z.string() }))]).optional(),
    bounce: z.looseObject({ message: z.string().optional(), type: z.string().optional(), subType: z.string().optional() }).optional(),
    click: z.looseObject({ link: z.string(), ipAddress: z.string().optional(), userAgent: z.string().optional(), timestamp: z.string().optional() }).optional(),
    failed: z.looseObject({ reason: z.string().optional() }).optional(),
  }),
});

const RESEND_TYPES: Record<string, EventType> = {
  'email.sent': 'sent',
  'email.delivered': 'delivered',
  'email.delivery_delayed': 'deferred',
  'email.bounced': 'bounced',
  'email.complained': 'complained',
  'email.opened': 'opened',
  'email.clicked': 'clicked',
  'email.failed': 'failed',
  'email.suppressed': 'dropped',
};

/** Resend signs one event per request; events about contacts or domains concern no recipient and yield none. */
function parseResend(body: unknown, deliveryId: string | undefined): NormalizedEvent[] {
  const e = read(ResendEvent, body, 'body');
  if (!e.type.startsWith('email.')) return [];
  const type = RESEND_TYPES[e.type] ?? 'unknown';
  const { data } = e;
  const tags = Array.isArray(data.tags) ? Object.fromEntries(data.tags.map((t) => [t.name, t.value])) : data.tags;
  const recipients = (Array.isArray(data.to) ? data.to : data.to ? [data.to] : []).map(addressOf);
  if (recipients.length === 0) throw validationError([{ field: 'body.data.to', message: 'an email event needs at least one recipient' }]);
  const id = deliveryId ?? hashOf(e.type, data.email_id, e.created_at);
  const verdict = sesBounceVerdict(data.bounce?.type, data.bounce?.subType);
  return recipients.map((recipient) =>
    event({
      dedupeKey: `resend:${id}:${recipient}`,
      provider: 'resend',
      type,
      providerEventType: e.type,
      recipient,
      occurredAt: new Date(data.click?.timestamp ?? e.created_at),
      providerMessageId: data.email_id,
      messageRef: refFrom(tags?.[MESSAGE_REF_KEY]),
      bounce: type === 'bounced' ? bounceDetail({ diagnostic: data.bounce?.message, hint: verdict.hint }, verdict.forced) : undefined,
      detail: type === 'failed' ? data.failed?.reason : undefined,
      click: data.click ? { url: data.click.link } : undefined,
      userAgent: data.click?.userAgent,
      ip: data.click?.ipAddress,
      raw: e,
    }),
  );
}

// ---------------------------------------------------------------------------------------------- Mailgun

const MailgunBody = z.looseObject({
  signature: z.looseObject({ token: z.string() }),
  'event-data': z.looseObject({
    event: z.string(),
    id: z.string().optional(),
    timestamp: z.number(),
    recipient: z.string().optional(),
    severity: z.string().optional(),
    reason: z.string().optional(),
    'delivery-status': z
      .looseObject({ code: z.union([z.number(), z.string()]).optional(), message: z.string().optional(), description: z.string().optional() })
      .optional(),
    message: z.looseObject({ headers: z.looseObject({ 'message-id': z.string().optional(), to: z.string().optional() }).optional() }).optional(),
    'user-variables': z.record(z.string(), z.unknown()).optional(),
    url: z.string().optional(),
    ip: z.string().optional(),
    'client-info': z.looseObject({ 'user-agent': z.string().optional() }).optional(),
    reject: z.looseObject({ reason: z.string().optional() }).optional(),
  }),
});

const MAILGUN_TYPES: Record<string, EventType> = {
  accepted: 'sent',
  delivered: 'delivered',
  opened: 'opened',
  clicked: 'clicked',
  unsubscribed: 'unsubscribed',
  complained: 'complained',
  rejected: 'failed',
};

/** `failed` splits by severity (anymail's mapping): temporary → deferred; suppress-* → dropped; else bounced. */
function mailgunType(event: string, severity?: string, reason?: string): EventType {
  if (event !== 'failed') return MAILGUN_TYPES[event] ?? 'unknown';
  if (severity === 'temporary') return 'deferred';
  return reason?.startsWith('suppress-') ? 'dropped' : 'bounced';
}

/** Mailgun's `reason` as a provider verdict: `old` = retries expired, `espblock` = Mailgun itself refused. */
const MAILGUN_HINT: Record<string, BounceClass> = { old: 'soft', espblock: 'block' };

function parseMailgun(body: unknown): NormalizedEvent[] {
  const { signature, 'event-data': e } = read(MailgunBody, body, 'body');
  const type = mailgunType(e.event, e.severity, e.reason);
  const status = e['delivery-status'];
  const diagnostic = status?.message || status?.description || undefined;
  const headers = e.message?.headers;
  const recipient = e.recipient ?? (headers?.to ? addressOf(headers.to) : undefined);
  if (!recipient) throw validationError([{ field: 'body.event-data.recipient', message: 'the event names no recipient' }]);
  return [
    event({
      // Mailgun's HMAC covers timestamp + token but not event-data, so a token must count once: keying on it
      // makes the database refuse a captured token replayed with altered data (event-data.id repeats daily).
      dedupeKey: `mailgun:${signature.token}`,
      provider: 'mailgun',
      type,
      providerEventType: e.severity ? `${e.event}/${e.severity}` : e.event,
      recipient,
      occurredAt: new Date(Math.round(e.timestamp * 1000)),
      providerMessageId: headers?.['message-id']?.replace(/^<|>$/g, ''),
      messageRef: refFrom(e['user-variables']?.[MESSAGE_REF_KEY]),
      bounce: type === 'bounced' ? bounceDetail({ smtpCode: status?.code, diagnostic, hint: MAILGUN_HINT[e.reason ?? ''] ?? 'hard' }) : undefined,
      detail: type === 'deferred' || type === 'dropped' ? (diagnostic ?? e.reason) : type === 'failed' ? e.reject?.reason : undefined,
      click: type === 'clicked' && e.url ? { url: e.url } : undefined,
      userAgent: e['client-info']?.['user-agent'],
      ip: e.ip,
      raw: body,
    }),
  ];
}

// ---------------------------------------------------------------------------------------------- Postmark

const PostmarkRecord = z.looseObject({
  RecordType: z.string(),
  MessageID: z.string().optional(),
  Email: z.string().optional(),
  Recipient: z.string().optional(),
  Type: z.string().optional(),
  Details: z.string().optional(),
  Description: z.string().optional(),
  BouncedAt: z.string().optional(),
  DeliveredAt: z.string().optional(),
  ReceivedAt: z.string().optional(),
  ChangedAt: z.string().optional(),
  Metadata: z.record(z.string(), z.unknown()).nullish(),
  UserAgent: z.string().optional(),
  OriginalLink: z.string().optional(),
  Geo: z.looseObject({ IP: z.string().optional() }).nullish(),
  SuppressSending: z.boolean().optional(),
  SuppressionReason: z.string().nullish(),
});

/** Postmark's bounce `Type`s (postmarkapp.com/developer/api/bounce-api#bounce-types). */
const POSTMARK_BOUNCES: Record<string, { type: EventType; hint?: BounceClass }> = {
  HardBounce: { type: 'bounced', hint: 'hard' },
  BadEmailAddress: { type: 'bounced', hint: 'hard' },
  SoftBounce: { type: 'bounced', hint: 'soft' },
  Blocked: { type: 'bounced', hint: 'block' },
  SpamNotification: { type: 'bounced', hint: 'block' },
  VirusNotification: { type: 'bounced', hint: 'block' },
  DMARCPolicy: { type: 'bounced', hint: 'block' },
  Unknown: { type: 'bounced', hint: 'undetermined' },
  Transient: { type: 'deferred' },
  DnsError: { type: 'deferred' },
  ManuallyDeactivated: { type: 'dropped' },
  Unsubscribe: { type: 'unsubscribed' },
  SpamComplaint: { type: 'complained' },
  SMTPApiError: { type: 'failed' },
  TemplateRenderingFailed: { type: 'failed' },
  Unconfirmed: { type: 'failed' },
};

function postmarkType(r: z.infer<typeof PostmarkRecord>): { type: EventType; hint?: BounceClass } {
  switch (r.RecordType) {
    case 'Delivery':
      return { type: 'delivered' };
    case 'Open':
      return { type: 'opened' };
    case 'Click':
      return { type: 'clicked' };
    case 'SpamComplaint':
      return { type: 'complained' };
    case 'Bounce':
      // AutoResponder, AddressChange, ChallengeVerification, OpenRelayTest… are mail about mail, not failures.
      return POSTMARK_BOUNCES[r.Type ?? ''] ?? { type: 'unknown' };
    case 'SubscriptionChange':
      // A recipient's own opt-out; suppressions after a bounce or complaint arrive as their own records.
      return { type: r.SuppressSending && r.SuppressionReason === 'ManualSuppression' ? 'unsubscribed' : 'unknown' };
    default:
      return { type: 'unknown' };
  }
}

function parsePostmark(body: unknown): NormalizedEvent[] {
  const r = read(PostmarkRecord, body, 'body');
  const recipient = r.Email ?? r.Recipient;
  if (!recipient) throw validationError([{ field: 'body.Recipient', message: 'the record names no recipient' }]);
  const at = r.BouncedAt ?? r.DeliveredAt ?? r.ReceivedAt ?? r.ChangedAt;
  if (!at) throw validationError([{ field: 'body.ReceivedAt', message: 'the record has no time' }]);
  const { type, hint } = postmarkType(r);
  return [
    event({
      // Postmark documents no event id: these four fields identify a record and repeat on retries.
      dedupeKey: `postmark:${hashOf(r.RecordType, r.MessageID, lower(recipient), at)}`,
      provider: 'postmark',
      type,
      providerEventType: r.Type && r.RecordType === 'Bounce' ? `Bounce/${r.Type}` : r.RecordType,
      recipient,
      occurredAt: new Date(at),
      providerMessageId: r.MessageID,
      messageRef: refFrom(r.Metadata?.[MESSAGE_REF_KEY]),
      bounce: type === 'bounced' ? bounceDetail({ diagnostic: r.Details || r.Description, hint }) : undefined,
      detail: type === 'deferred' || type === 'dropped' || type === 'failed' || type === 'complained' ? r.Details || r.Description : undefined,
      click: r.OriginalLink ? { url: r.OriginalLink } : undefined,
      userAgent: r.UserAgent,
      ip: r.Geo?.IP,
      raw: r,
    }),
  ];
}

// ---------------------------------------------------------------------------------------------- SES

const SesEnvelopeForEvents = z.looseObject({ MessageId: z.string(), Message: z.string(), Timestamp: z.string() });

const at = { timestamp: z.string().optional() };
const SesEvent = z.looseObject({
  eventType: z.string().optional(),
  notificationType: z.string().optional(),
  mail: z.looseObject({
    messageId: z.string(),
    timestamp: z.string().optional(),
    destination: z.array(z.string()).default([]),
    tags: z.record(z.string(), z.array(z.string())).optional(),
  }),
  bounce: z
    .looseObject({
      ...at,
      bounceType: z.string(),
      bounceSubType: z.string().optional(),
      bouncedRecipients: z.array(z.looseObject({ emailAddress: z.string(), status: z.string().optional(), diagnosticCode: z.string().optional() })),
    })
    .optional(),
  complaint: z.looseObject({ ...at, complainedRecipients: z.array(z.looseObject({ emailAddress: z.string() })), complaintFeedbackType: z.string().optional() }).optional(),
  delivery: z.looseObject({ ...at, recipients: z.array(z.string()), smtpResponse: z.string().optional() }).optional(),
  deliveryDelay: z
    .looseObject({ ...at, delayType: z.string().optional(), delayedRecipients: z.array(z.looseObject({ emailAddress: z.string(), diagnosticCode: z.string().optional() })) })
    .optional(),
  open: z.looseObject({ ...at, userAgent: z.string().optional(), ipAddress: z.string().optional() }).optional(),
  click: z.looseObject({ ...at, link: z.string(), userAgent: z.string().optional(), ipAddress: z.string().optional() }).optional(),
  reject: z.looseObject({ reason: z.string().optional() }).optional(),
  failure: z.looseObject({ errorMessage: z.string().optional() }).optional(),
  subscription: z.looseObject({ ...at, newTopicPreferences: z.looseObject({ unsubscribeAll: z.boolean().optional() }).optional() }).optional(),
});
type SesEvent = z.infer<typeof SesEvent>;

interface SesRecipientEvent {
  recipient: string;
  type: EventType;
  at?: string;
  bounce?: BounceDetail;
  detail?: string;
}

/** One SES notification covers every recipient of a message; each affected recipient gets its own event. */
function sesRecipientEvents(e: SesEvent, kind: string): SesRecipientEvent[] {
  const everyone = (type: EventType, at?: string, detail?: string) => e.mail.destination.map((recipient) => ({ recipient, type, at, detail }));
  switch (kind) {
    case 'Send':
      return everyone('sent', e.mail.timestamp);
    case 'Delivery':
      return (e.delivery?.recipients ?? []).map((recipient) => ({ recipient, type: 'delivered', at: e.delivery?.timestamp }));
    case 'Bounce': {
      const b = e.bounce;
      const verdict = sesBounceVerdict(b?.bounceType, b?.bounceSubType);
      return (b?.bouncedRecipients ?? []).map((r) => ({
        recipient: r.emailAddress,
        type: 'bounced',
        at: b?.timestamp,
        bounce: bounceDetail({ status: r.status, diagnostic: r.diagnosticCode, hint: verdict.hint }, verdict.forced),
      }));
    }
    case 'Complaint':
      return (e.complaint?.complainedRecipients ?? []).map((r) => ({ recipient: r.emailAddress, type: 'complained', at: e.complaint?.timestamp, detail: e.complaint?.complaintFeedbackType }));
    case 'DeliveryDelay':
      return (e.deliveryDelay?.delayedRecipients ?? []).map((r) => ({
        recipient: r.emailAddress,
        type: 'deferred',
        at: e.deliveryDelay?.timestamp,
        detail: [e.deliveryDelay?.delayType, r.diagnosticCode].filter(Boolean).join(': ') || undefined,
      }));
    case 'Reject':
      return everyone('failed', e.mail.timestamp, e.reject?.reason);
    case 'Rendering Failure':
      return everyone('failed', e.mail.timestamp, e.failure?.errorMessage);
    case 'Open':
      return everyone('opened', e.open?.timestamp);
    case 'Click':
      return everyone('clicked', e.click?.timestamp);
    case 'Subscription':
      return everyone(e.subscription?.newTopicPreferences?.unsubscribeAll ? 'unsubscribed' : 'unknown', e.subscription?.timestamp);
    default:
      return everyone('unknown', e.mail.timestamp);
  }
}

function parseSes(body: unknown): NormalizedEvent[] {
  const envelope = read(SesEnvelopeForEvents, body, 'body');
  let message: unknown;
  try {
    message = JSON.parse(envelope.Message);
  } catch {
    throw validationError([{ field: 'body.Message', message: 'is not the JSON of an SES event' }]);
  }
  const e = read(SesEvent, message, 'body.Message');
  // Event publishing says eventType; the older identity notifications say notificationType.
  const kind = e.eventType ?? e.notificationType ?? 'unknown';
  const messageRef = refFrom(e.mail.tags?.[MESSAGE_REF_KEY]?.[0]);
  const engagement = e.click ?? e.open;
  return sesRecipientEvents(e, kind).map((r) =>
    event({
      dedupeKey: `ses:${envelope.MessageId}:${lower(r.recipient)}`,
      provider: 'ses',
      type: r.type,
      providerEventType: kind,
      recipient: r.recipient,
      occurredAt: new Date(r.at ?? envelope.Timestamp),
      providerMessageId: e.mail.messageId,
      messageRef,
      bounce: r.bounce,
      detail: r.detail,
      click: e.click ? { url: e.click.link } : undefined,
      userAgent: engagement?.userAgent,
      ip: engagement?.ipAddress,
      raw: e,
    }),
  );
}
