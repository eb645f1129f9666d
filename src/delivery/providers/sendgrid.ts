import { z } from 'zod';
import { messageOf, postToVendor, unreadableSuccess, type VendorErrorDetail, type VendorResponse } from './http.ts';
import { overLimit } from './limits.ts';
import { BaseUrl, Secret, TimeoutMs, accepted, tagsOf, type Address, type EmailProvider, type OutboundMessage, type ProviderCapabilities, type ProviderDeps, type SendOptions, type SendOutcome } from './model.ts';

/**
 * SendGrid v3 mail/send (esp.md §2.3): Bearer key, 202 with an empty body, the message id in the
 * X-Message-Id header. No batch here: personalizations share one body, and ours is per recipient.
 */
export const SendgridSettings = z.strictObject({
  kind: z.literal('sendgrid'),
  apiKey: Secret,
  /** Regional EU subusers use https://api.eu.sendgrid.com. */
  baseUrl: BaseUrl.default('https://api.sendgrid.com'),
  timeoutMs: TimeoutMs,
});
export type SendgridSettings = z.infer<typeof SendgridSettings>;

const CAPABILITIES: ProviderCapabilities = {
  maxRecipientsPerMessage: 1000,
  maxMessagesPerBatch: 1,
  maxMessageBytes: 30 * 1024 * 1024,
  sendsRawMime: false,
  idempotency: { native: false },
  rate: {},
};

export class SendgridProvider implements EmailProvider {
  readonly id = 'sendgrid' as const;
  readonly capabilities = CAPABILITIES;

  constructor(
    private readonly settings: SendgridSettings,
    private readonly deps: ProviderDeps,
  ) {}

  async send(msg: OutboundMessage, opts: SendOptions = {}): Promise<SendOutcome> {
    const refusal = overLimit(msg, this.capabilities, 'SendGrid');
    if (refusal) return refusal;
    const result = await postToVendor({
      url: `${this.settings.baseUrl}/v3/mail/send`,
      headers: { authorization: `Bearer ${this.settings.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(mailSend(msg)),
      timeoutMs: this.settings.timeoutMs,
      signal: opts.signal,
      fetch: this.deps.fetch ?? fetch,
      clock: this.deps.clock,
      explain,
    });
    if ('outcome' in result) return result.outcome;
    const id = result.response.headers.get('x-message-id');
    return id ? accepted(id, this.deps.clock.now()) : unreadableSuccess(result.response);
  }

  async close(): Promise<void> {}
}

const address = (a: Address) => (a.name ? { email: a.email, name: a.name } : { email: a.email });

function mailSend(msg: OutboundMessage) {
  return {
    personalizations: [{ to: msg.to.map(address) }],
    from: address(msg.from),
    reply_to: msg.replyTo ? address(msg.replyTo) : undefined,
    subject: msg.subject,
    // SendGrid requires text/plain before text/html.
    content: [...(msg.text ? [{ type: 'text/plain', value: msg.text }] : []), { type: 'text/html', value: msg.html }],
    headers: msg.headers && Object.keys(msg.headers).length > 0 ? msg.headers : undefined,
    custom_args: tagsOf(msg),
    // Opens, clicks and unsubscribes are ours (tracking/): SendGrid's would wrap our signed links again.
    tracking_settings: { click_tracking: { enable: false, enable_text: false }, open_tracking: { enable: false }, subscription_tracking: { enable: false } },
  };
}

function explain(res: VendorResponse): VendorErrorDetail {
  const errors = (res.json as { errors?: Array<{ message?: string; field?: string | null }> } | undefined)?.errors;
  const first = errors?.[0];
  const text = first?.message ? (first.field ? `${first.field}: ${first.message}` : first.message) : undefined;
  return { message: messageOf(res, text) };
}
