import { z } from 'zod';
import { field, messageOf, postToVendor, unreadableSuccess, type VendorErrorDetail, type VendorResponse } from './http.ts';
import { overLimit, sendInChunks } from './limits.ts';
import {
  BaseUrl,
  Secret,
  TimeoutMs,
  accepted,
  failed,
  formatAddress,
  tagsOf,
  type EmailProvider,
  type OutboundMessage,
  type ProviderCapabilities,
  type ProviderDeps,
  type ProviderErrorKind,
  type SendOptions,
  type SendOutcome,
} from './model.ts';

/** Postmark (esp.md §2.5): POST /email and /email/batch (≤500), X-Postmark-Server-Token, message streams. */
export const PostmarkSettings = z.strictObject({
  kind: z.literal('postmark'),
  serverToken: Secret,
  baseUrl: BaseUrl.default('https://api.postmarkapp.com'),
  /**
   * Postmark keeps bulk and transactional mail on separate streams and requires marketing mail on a
   * broadcast stream; these are the stream ids of this server.
   */
  streams: z
    .strictObject({
      marketing: z.string().trim().min(1, 'is required').default('broadcast'),
      transactional: z.string().trim().min(1, 'is required').default('outbound'),
    })
    .default({ marketing: 'broadcast', transactional: 'outbound' }),
  timeoutMs: TimeoutMs,
});
export type PostmarkSettings = z.infer<typeof PostmarkSettings>;

const CAPABILITIES: ProviderCapabilities = {
  maxRecipientsPerMessage: 50,
  maxMessagesPerBatch: 500,
  maxMessageBytes: 10 * 1024 * 1024,
  maxBatchBytes: 50 * 1024 * 1024,
  sendsRawMime: false,
  idempotency: { native: false },
  rate: {},
};

/**
 * Postmark's ErrorCode, which it also returns per message of a batch. Codes not listed fall back to
 * the HTTP status (a batch item with an unknown code is a validation failure).
 */
const KIND_BY_CODE: Record<string, ProviderErrorKind> = {
  '10': 'auth', // bad or missing server token
  '100': 'transient', // maintenance
  '300': 'validation', // invalid email request
  '400': 'auth', // sender signature not found
  '401': 'auth', // sender signature not confirmed
  '405': 'quota_exhausted', // not allowed to send: out of credits
  '406': 'suppressed', // inactive recipient (hard bounce, complaint or manual suppression)
  '412': 'auth', // account pending approval
  '413': 'auth', // account may not send
  '429': 'rate_limited',
};

export class PostmarkProvider implements EmailProvider {
  readonly id = 'postmark' as const;
  readonly capabilities = CAPABILITIES;

  constructor(
    private readonly settings: PostmarkSettings,
    private readonly deps: ProviderDeps,
  ) {}

  async send(msg: OutboundMessage, opts: SendOptions = {}): Promise<SendOutcome> {
    const refusal = overLimit(msg, this.capabilities, 'Postmark');
    if (refusal) return refusal;
    const result = await this.post('/email', this.email(msg), opts);
    if ('outcome' in result) return result.outcome;
    return this.itemOutcome(result.response.json, result.response);
  }

  sendBatch(msgs: OutboundMessage[], opts: SendOptions = {}): Promise<SendOutcome[]> {
    return sendInChunks(msgs, this.capabilities, 'Postmark', (chunk) => this.sendChunk(chunk, opts));
  }

  async close(): Promise<void> {}

  /** A batch answers 200 with one result per message, in request order, each with its own ErrorCode. */
  private async sendChunk(chunk: OutboundMessage[], opts: SendOptions): Promise<SendOutcome[]> {
    const result = await this.post('/email/batch', chunk.map((m) => this.email(m)), opts);
    if ('outcome' in result) return chunk.map(() => result.outcome);
    const items = Array.isArray(result.response.json) ? result.response.json : [];
    return chunk.map((_, i) => this.itemOutcome(items[i], result.response));
  }

  private itemOutcome(item: unknown, res: VendorResponse): SendOutcome {
    const code = field(item, 'ErrorCode');
    const id = field(item, 'MessageID');
    if (code === '0' && id) return accepted(id, this.deps.clock.now());
    if (code === undefined) return unreadableSuccess(res);
    return failed({ kind: KIND_BY_CODE[code] ?? 'validation', providerCode: code, message: `Postmark ErrorCode ${code}: ${field(item, 'Message') ?? 'no message'}` });
  }

  private email(msg: OutboundMessage) {
    return {
      From: formatAddress(msg.from),
      To: msg.to.map(formatAddress).join(', '),
      ReplyTo: msg.replyTo ? formatAddress(msg.replyTo) : undefined,
      Subject: msg.subject,
      HtmlBody: msg.html,
      TextBody: msg.text,
      Headers: Object.entries(msg.headers ?? {}).map(([Name, Value]) => ({ Name, Value })),
      Metadata: tagsOf(msg),
      MessageStream: this.settings.streams[msg.category],
      // Opens and clicks are ours (tracking/): Postmark's would wrap our signed links again.
      TrackOpens: false,
      TrackLinks: 'None',
    };
  }

  private post(path: string, body: unknown, opts: SendOptions) {
    return postToVendor({
      url: `${this.settings.baseUrl}${path}`,
      headers: { accept: 'application/json', 'content-type': 'application/json', 'x-postmark-server-token': this.settings.serverToken },
      body: JSON.stringify(body),
      timeoutMs: this.settings.timeoutMs,
      signal: opts.signal,
      fetch: this.deps.fetch ?? fetch,
      clock: this.deps.clock,
      explain,
    });
  }
}

/** Request-level errors come as 422 (or 401) with `{ErrorCode, Message}`. */
function explain(res: VendorResponse): VendorErrorDetail {
  const code = field(res.json, 'ErrorCode');
  return { message: messageOf(res, field(res.json, 'Message')), providerCode: code, kind: code === undefined ? undefined : KIND_BY_CODE[code] };
}
