import nodemailer from 'nodemailer';
import { z } from 'zod';
import { PipelinedSmtpClient } from '../send-path/smtp-client.ts';
import { NOT_CONNECTED } from './http.ts';
import { overLimit } from './limits.ts';
import { Secret, TimeoutMs, accepted, failed, type EmailProvider, type OutboundMessage, type ProviderCapabilities, type ProviderDeps, type ProviderError, type SendOptions, type SendOutcome } from './model.ts';

/**
 * SMTP through one pooled nodemailer transport (esp.md §2.7): a few long-lived connections, each
 * reused for many messages. DKIM is either ours already (a signed `raw` message, sent byte for byte)
 * or done here from `dkim` for messages built from their fields. Raw messages skip nodemailer and go
 * through the pipelined client of send-path/smtp-client.ts, with the same settings.
 */
export const SmtpSettings = z
  .strictObject({
    kind: z.literal('smtp'),
    host: z.string().trim().min(1, 'is required'),
    port: z.number().int().min(1).max(65535).default(587),
    username: z.string().trim().min(1, 'is required').optional(),
    password: Secret.optional(),
    /**
     * `starttls` requires the upgrade (submission on 587), `implicit` is TLS from the first byte (465),
     * `opportunistic` upgrades when offered, `none` never does (loopback relays, the capture inbox).
     */
    tls: z.enum(['starttls', 'implicit', 'opportunistic', 'none']).default('starttls'),
    /** Turn off only for a relay with a self-signed certificate on a network you control. */
    rejectUnauthorized: z.boolean().default(true),
    maxConnections: z.number().int().min(1).max(50).default(5),
    maxMessagesPerConnection: z.number().int().min(1).max(100_000).default(100),
    /** Messages per second across all connections; unlimited when absent. */
    rateLimitPerSecond: z.number().int().min(1).optional(),
    dkim: z
      .strictObject({
        domain: z.string().trim().min(1, 'is required'),
        selector: z.string().trim().min(1, 'is required'),
        privateKey: z.string().includes('PRIVATE KEY', { error: 'must be a PEM private key' }),
      })
      .optional(),
    maxRecipientsPerMessage: z.number().int().min(1).max(1000).default(100),
    maxMessageBytes: z.number().int().min(1024).default(25 * 1024 * 1024),
    timeoutMs: TimeoutMs,
  })
  .superRefine((s, ctx) => {
    if (s.username && !s.password) ctx.addIssue({ code: 'custom', path: ['password'], message: 'is required with username' });
    if (s.password && !s.username) ctx.addIssue({ code: 'custom', path: ['username'], message: 'is required with password' });
  });
export type SmtpSettings = z.infer<typeof SmtpSettings>;

/**
 * Commands that come before DATA: a failure while one is pending means the server cannot have the
 * message. nodemailer names socket-level failures 'CONN' whatever the stage, so 'CONN' proves nothing.
 */
const BEFORE_DATA = new Set(['GREETING', 'EHLO', 'HELO', 'LHLO', 'STARTTLS', 'AUTH', 'AUTH PLAIN', 'AUTH LOGIN', 'AUTH CRAM-MD5', 'AUTH XOAUTH2', 'MAIL FROM', 'RCPT TO']);
const AUTH_REPLIES = new Set([530, 534, 535, 538]);
const CONNECTION_CODES = new Set(['ECONNECTION', 'ESOCKET', 'EDNS', 'ETLS', 'EPROTOCOL']);

type Transporter = ReturnType<typeof createPool>;

export class SmtpProvider implements EmailProvider {
  readonly capabilities: ProviderCapabilities;
  private readonly transporter: Transporter;
  /** Finished (raw) messages go through our pipelined client: nodemailer's send path costs ~0.9 ms each. */
  private readonly pipelined: PipelinedSmtpClient;

  /** `id` is 'capture' when this is the hop into the built-in capture inbox. */
  constructor(
    private readonly settings: SmtpSettings,
    private readonly deps: ProviderDeps,
    readonly id: 'smtp' | 'capture' = 'smtp',
  ) {
    this.capabilities = {
      maxRecipientsPerMessage: settings.maxRecipientsPerMessage,
      maxMessagesPerBatch: 1,
      maxMessageBytes: settings.maxMessageBytes,
      sendsRawMime: true,
      idempotency: { native: false },
      rate: { concurrency: settings.maxConnections, requestsPerSec: settings.rateLimitPerSecond },
    };
    this.transporter = createPool(settings);
    this.pipelined = new PipelinedSmtpClient(settings);
  }

  async send(msg: OutboundMessage, opts: SendOptions = {}): Promise<SendOutcome> {
    const refusal = overLimit(msg, this.capabilities, this.id === 'capture' ? 'the capture inbox' : 'this SMTP server');
    if (refusal) return refusal;
    const envelope = { from: msg.from.email, to: msg.to.map((a) => a.email) };
    try {
      if (msg.raw) {
        const { response } = await this.pipelined.send(envelope, msg.raw, opts.signal);
        // The Message-ID that travels is in the bytes; without one, the server's reply identifies the message ("250 Ok: queued as …").
        return accepted((rawMessageId(msg.raw) ?? response).replace(/^<|>$/g, ''), this.deps.clock.now());
      }
      const info = await this.transporter.sendMail({
        envelope,
        from: { name: msg.from.name ?? '', address: msg.from.email },
        to: msg.to.map((a) => ({ name: a.name ?? '', address: a.email })),
        replyTo: msg.replyTo ? { name: msg.replyTo.name ?? '', address: msg.replyTo.email } : undefined,
        subject: msg.subject,
        html: msg.html,
        text: msg.text,
        headers: msg.headers,
        // Signed per message, never at the transport, so a raw message keeps its own signature only.
        dkim: this.settings.dkim && { domainName: this.settings.dkim.domain, keySelector: this.settings.dkim.selector, privateKey: this.settings.dkim.privateKey },
        disableFileAccess: true,
        disableUrlAccess: true,
        signal: opts.signal,
      });
      return accepted(info.messageId.replace(/^<|>$/g, ''), this.deps.clock.now());
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      return failed(smtpFailure(err));
    }
  }

  async close(): Promise<void> {
    this.transporter.close();
    await this.pipelined.close();
  }
}

function createPool(s: SmtpSettings) {
  return nodemailer.createTransport({
    pool: true,
    host: s.host,
    port: s.port,
    secure: s.tls === 'implicit',
    requireTLS: s.tls === 'starttls',
    ignoreTLS: s.tls === 'none',
    tls: { rejectUnauthorized: s.rejectUnauthorized },
    auth: s.username ? { user: s.username, pass: s.password } : undefined,
    maxConnections: s.maxConnections,
    maxMessages: s.maxMessagesPerConnection,
    ...(s.rateLimitPerSecond ? { rateLimit: s.rateLimitPerSecond, rateDelta: 1000 } : {}),
    // A message whose connection dropped mid-send may already be accepted: the outbox decides, not the pool.
    maxRequeues: 0,
    connectionTimeout: s.timeoutMs,
    greetingTimeout: s.timeoutMs,
    socketTimeout: s.timeoutMs,
    logger: false,
  });
}

/** The Message-ID header of a finished message, looked up in its header block only. */
function rawMessageId(raw: Buffer): string | null {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end === -1 ? Math.min(raw.length, 64 * 1024) : end).toString('latin1');
  return /^message-id:\s*(<[^>\r\n]+>)/im.exec(head)?.[1] ?? null;
}

/**
 * SMTP reply codes decide: 4xx is temporary, 5xx permanent (with the RFC 3463 enhanced status kept
 * for the bounce classifier), authentication replies and a refused STARTTLS are account or setup
 * problems. Without a reply the connection failed, and unless it provably failed before DATA (never
 * connected, TLS handshake refused, a pre-DATA command pending) the server may already have the message.
 */
export function smtpFailure(err: unknown): ProviderError {
  const e = err as { code?: string; originalCode?: string; responseCode?: number; response?: string; command?: string; message?: string };
  const reply = e.responseCode;
  const enhanced = e.response ? /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(e.response)?.[1] : undefined;
  const base = { message: e.response ?? e.message ?? String(err), ...(enhanced ? { providerCode: enhanced } : reply ? { providerCode: String(reply) } : {}) };
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH' || (reply !== undefined && AUTH_REPLIES.has(reply))) return { kind: 'auth', ...base };
  if (e.code === 'ETLS' && reply !== undefined) return { kind: 'auth', ...base, message: `the server would not start TLS, which these settings require: ${base.message}` };
  if (reply !== undefined && reply >= 400 && reply < 500) return { kind: 'transient', ...base };
  if (reply === 552 || enhanced === '5.3.4') return { kind: 'payload_too_large', ...base };
  if (reply !== undefined && reply >= 500) return { kind: 'validation', ...base };
  const delivered = neverReachedData(e) ? {} : { maybeDelivered: true as const };
  const code = e.originalCode ? { providerCode: e.originalCode } : {};
  if (e.code === 'ETIMEDOUT') return { kind: 'timeout', ...base, ...delivered };
  if (e.code && CONNECTION_CODES.has(e.code)) return { kind: 'connection', ...base, ...code, ...delivered };
  if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') return { kind: 'validation', ...base };
  return { kind: 'transient', ...base, maybeDelivered: true };
}

function neverReachedData(e: { code?: string; originalCode?: string; command?: string }): boolean {
  if (e.originalCode && (NOT_CONNECTED.has(e.originalCode) || /CERT|SIGNATURE/.test(e.originalCode))) return true;
  return e.code === 'ETLS' || (e.command !== undefined && BEFORE_DATA.has(e.command));
}
