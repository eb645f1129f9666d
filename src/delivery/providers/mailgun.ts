import { z } from 'zod';
import { field, messageOf, postToVendor, unreadableSuccess, type VendorErrorDetail, type VendorResponse } from './http.ts';
import { overLimit } from './limits.ts';
import { BaseUrl, Secret, TimeoutMs, accepted, formatAddress, tagsOf, type EmailProvider, type OutboundMessage, type ProviderCapabilities, type ProviderDeps, type SendOptions, type SendOutcome } from './model.ts';

/** Mailgun (esp.md §2.4): POST /v3/{domain}/messages as multipart form data, HTTP Basic `api:<key>`. */
const REGION_URLS = { us: 'https://api.mailgun.net', eu: 'https://api.eu.mailgun.net' } as const;

export const MailgunSettings = z.strictObject({
  kind: z.literal('mailgun'),
  apiKey: Secret,
  domain: z
    .string()
    .trim()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'must be the sending domain as set up in Mailgun, e.g. mg.example.com'),
  /** Where the domain lives; the EU region has its own API host. */
  region: z.enum(['us', 'eu']).default('us'),
  /** Overrides the region's host (tests, proxies). */
  baseUrl: BaseUrl.optional(),
  timeoutMs: TimeoutMs,
});
export type MailgunSettings = z.infer<typeof MailgunSettings>;

const CAPABILITIES: ProviderCapabilities = {
  maxRecipientsPerMessage: 1000,
  maxMessagesPerBatch: 1,
  maxMessageBytes: 25 * 1024 * 1024,
  sendsRawMime: false,
  idempotency: { native: false },
  rate: {},
};

export class MailgunProvider implements EmailProvider {
  readonly id = 'mailgun' as const;
  readonly capabilities = CAPABILITIES;

  constructor(
    private readonly settings: MailgunSettings,
    private readonly deps: ProviderDeps,
  ) {}

  async send(msg: OutboundMessage, opts: SendOptions = {}): Promise<SendOutcome> {
    const refusal = overLimit(msg, this.capabilities, 'Mailgun');
    if (refusal) return refusal;
    const base = this.settings.baseUrl ?? REGION_URLS[this.settings.region];
    const result = await postToVendor({
      url: `${base}/v3/${encodeURIComponent(this.settings.domain)}/messages`,
      // fetch sets the multipart Content-Type with its boundary from the FormData body.
      headers: { authorization: `Basic ${Buffer.from(`api:${this.settings.apiKey}`).toString('base64')}` },
      body: messageForm(msg),
      timeoutMs: this.settings.timeoutMs,
      signal: opts.signal,
      fetch: this.deps.fetch ?? fetch,
      clock: this.deps.clock,
      explain,
    });
    if ('outcome' in result) return result.outcome;
    // Events carry the id without angle brackets (event-data.message.headers.message-id).
    const id = field(result.response.json, 'id')?.replace(/^<|>$/g, '');
    return id ? accepted(id, this.deps.clock.now()) : unreadableSuccess(result.response);
  }

  async close(): Promise<void> {}
}

function messageForm(msg: OutboundMessage): FormData {
  const form = new FormData();
  form.append('from', formatAddress(msg.from));
  for (const to of msg.to) form.append('to', formatAddress(to));
  form.append('subject', msg.subject);
  form.append('html', msg.html);
  if (msg.text) form.append('text', msg.text);
  if (msg.replyTo) form.append('h:Reply-To', formatAddress(msg.replyTo));
  for (const [name, value] of Object.entries(msg.headers ?? {})) form.append(`h:${name}`, value);
  for (const [name, value] of Object.entries(tagsOf(msg))) form.append(`v:${name}`, value);
  // Opens and clicks are ours (tracking/): Mailgun's would wrap our signed links again.
  form.append('o:tracking', 'no');
  form.append('o:tracking-clicks', 'no');
  form.append('o:tracking-opens', 'no');
  return form;
}

/** Mailgun answers JSON `{message}` for most errors, but a bare "Forbidden" for a bad key. */
function explain(res: VendorResponse): VendorErrorDetail {
  return { message: messageOf(res, field(res.json, 'message')) };
}
