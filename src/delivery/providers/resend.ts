import crypto from 'node:crypto';
import { z } from 'zod';
import { field, messageOf, postToVendor, unreadableSuccess, type VendorErrorDetail, type VendorResponse } from './http.ts';
import { sendInChunks, overLimit } from './limits.ts';
import {
  BaseUrl,
  Secret,
  TimeoutMs,
  accepted,
  asciiTag,
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

/** Resend (esp.md §2.2): POST /emails and /emails/batch, Bearer key, native Idempotency-Key. */
export const ResendSettings = z.strictObject({
  kind: z.literal('resend'),
  apiKey: Secret,
  baseUrl: BaseUrl.default('https://api.resend.com'),
  timeoutMs: TimeoutMs,
});
export type ResendSettings = z.infer<typeof ResendSettings>;

const CAPABILITIES: ProviderCapabilities = {
  maxRecipientsPerMessage: 50,
  maxMessagesPerBatch: 100,
  maxMessageBytes: 40 * 1024 * 1024,
  sendsRawMime: false,
  idempotency: { native: true, windowSec: 24 * 3600 },
  rate: { requestsPerSec: 2, fromHeaders: ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after'] },
};

/** Resend's error names that say more than their HTTP status. */
const KIND_BY_NAME: Record<string, ProviderErrorKind> = {
  daily_quota_exceeded: 'quota_exhausted',
  monthly_quota_exceeded: 'quota_exhausted',
  // Another request with the same key is still in flight: its result will be ours on retry.
  concurrent_idempotent_requests: 'transient',
};

export class ResendProvider implements EmailProvider {
  readonly id = 'resend' as const;
  readonly capabilities = CAPABILITIES;

  constructor(
    private readonly settings: ResendSettings,
    private readonly deps: ProviderDeps,
  ) {}

  async send(msg: OutboundMessage, opts: SendOptions = {}): Promise<SendOutcome> {
    const refusal = overLimit(msg, this.capabilities, 'Resend');
    if (refusal) return refusal;
    const result = await this.post('/emails', resendEmail(msg), idempotencyKey(msg.idempotencyKey), opts);
    if ('outcome' in result) return result.outcome;
    const id = field(result.response.json, 'id');
    return id ? accepted(id, this.deps.clock.now()) : unreadableSuccess(result.response);
  }

  sendBatch(msgs: OutboundMessage[], opts: SendOptions = {}): Promise<SendOutcome[]> {
    return sendInChunks(msgs, this.capabilities, 'Resend', (chunk) => this.sendChunk(chunk, opts));
  }

  async close(): Promise<void> {}

  /**
   * Permissive validation: valid emails are sent and invalid ones come back in `errors` by index, so
   * one bad address does not hold back the other 99. `data` lists the created emails in request order.
   * The batch's key is derived from its messages' keys: retrying the same chunk is deduplicated.
   */
  private async sendChunk(chunk: OutboundMessage[], opts: SendOptions): Promise<SendOutcome[]> {
    const key = `batch-${crypto.createHash('sha256').update(chunk.map((m) => m.idempotencyKey).join('\n')).digest('hex')}`;
    const result = await this.post('/emails/batch', chunk.map(resendEmail), key, opts, { 'x-batch-validation': 'permissive' });
    if ('outcome' in result) return chunk.map(() => result.outcome);
    const body = result.response.json as { data?: Array<{ id?: string }>; errors?: Array<{ index?: number; message?: string }> } | undefined;
    const invalid = new Map((body?.errors ?? []).map((e) => [e.index, e.message ?? 'invalid']));
    const ids = (body?.data ?? []).map((d) => d.id);
    const now = this.deps.clock.now();
    return chunk.map((_, i) => {
      if (invalid.has(i)) return failed({ kind: 'validation', message: `Resend refused this email: ${invalid.get(i)}` });
      const id = ids.shift();
      return id ? accepted(id, now) : unreadableSuccess(result.response);
    });
  }

  private post(path: string, body: unknown, key: string, opts: SendOptions, extraHeaders: Record<string, string> = {}) {
    return postToVendor({
      url: `${this.settings.baseUrl}${path}`,
      headers: {
        authorization: `Bearer ${this.settings.apiKey}`,
        'content-type': 'application/json',
        'idempotency-key': key,
        ...extraHeaders,
      },
      body: JSON.stringify(body),
      timeoutMs: this.settings.timeoutMs,
      signal: opts.signal,
      fetch: this.deps.fetch ?? fetch,
      clock: this.deps.clock,
      explain,
    });
  }
}

function resendEmail(msg: OutboundMessage) {
  return {
    from: formatAddress(msg.from),
    to: msg.to.map(formatAddress),
    reply_to: msg.replyTo ? formatAddress(msg.replyTo) : undefined,
    subject: msg.subject,
    html: msg.html,
    text: msg.text,
    headers: msg.headers,
    tags: Object.entries(tagsOf(msg)).map(([name, value]) => ({ name: asciiTag(name), value: asciiTag(value) })),
  };
}

/** Resend keys are 1–256 characters; a longer key is hashed, which keeps it deterministic. */
function idempotencyKey(key: string): string {
  return key.length <= 256 ? key : `sha256-${crypto.createHash('sha256').update(key).digest('hex')}`;
}

function explain(res: VendorResponse): VendorErrorDetail {
  const name = field(res.json, 'name');
  return { message: messageOf(res, field(res.json, 'message')), providerCode: name, kind: name ? KIND_BY_NAME[name] : undefined };
}
