import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../shared/clock.ts';
import { vendorServer, type VendorServer } from '../../../test/helpers/vendor-server.ts';
import { SendgridProvider, SendgridSettings } from './sendgrid.ts';
import { outbound } from './testing.ts';

/** The mail/send fields we use, as documented (esp.md §2.3); strict, so an invented field fails. */
const Email = z.strictObject({ email: z.email(), name: z.string().optional() });
const MailSend = z.strictObject({
  personalizations: z.array(z.strictObject({ to: z.array(Email).min(1) })).min(1).max(1000),
  from: Email,
  reply_to: Email.optional(),
  subject: z.string(),
  content: z.array(z.strictObject({ type: z.enum(['text/plain', 'text/html']), value: z.string() })).min(1),
  headers: z.record(z.string(), z.string()).optional(),
  custom_args: z.record(z.string(), z.string()),
  tracking_settings: z.strictObject({
    click_tracking: z.strictObject({ enable: z.boolean(), enable_text: z.boolean() }),
    open_tracking: z.strictObject({ enable: z.boolean() }),
    subscription_tracking: z.strictObject({ enable: z.boolean() }),
  }),
});

describe('SendGrid', () => {
  let server: VendorServer;
  let sendgrid: SendgridProvider;
  const clock = new ManualClock('2026-03-01T12:00:00Z');

  beforeAll(async () => {
    // 202 Accepted with an empty body; the id is only in the header.
    server = await vendorServer(() => ({ status: 202, headers: { 'x-message-id': 'sg-abc123' } }));
    sendgrid = new SendgridProvider(SendgridSettings.parse({ kind: 'sendgrid', apiKey: 'SG.secret', baseUrl: server.baseUrl }), { clock });
  });
  beforeEach(() => {
    server.requests.length = 0;
  });
  afterAll(async () => {
    await sendgrid?.close();
    await server?.close();
  });

  it('posts mail/send with Bearer auth, text before HTML, our headers, the message ref in custom_args and its own tracking off', async () => {
    expect(await sendgrid.send(outbound())).toEqual({ status: 'accepted', providerMessageId: 'sg-abc123', acceptedAt: clock.now() });

    const [req] = server.requests;
    expect([req.method, req.path, req.headers.authorization]).toEqual(['POST', '/v3/mail/send', 'Bearer SG.secret']);
    const body = MailSend.parse(req.json());
    expect(body.personalizations).toEqual([{ to: [{ email: 'ann@example.com', name: 'Ann' }] }]);
    expect(body.from).toEqual({ email: 'hello@acme.test', name: 'Acme Coffee' });
    expect(body.reply_to).toEqual({ email: 'support@acme.test' });
    expect(body.content.map((c) => c.type)).toEqual(['text/plain', 'text/html']);
    expect(body.headers).toMatchObject({ 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'List-Unsubscribe': expect.stringContaining('https://t.acme.test/u/abc') });
    expect(body.custom_args).toEqual({ campaign: 'cmp_1', message_ref: 'msg_01' });
    expect(body.tracking_settings.click_tracking.enable).toBe(false);
    expect(body.tracking_settings.open_tracking.enable).toBe(false);
  });

  it('sends only the HTML part when there is no text', async () => {
    await sendgrid.send(outbound({ text: undefined, headers: {} }));
    const body = MailSend.parse(server.requests[0].json());
    expect(body.content.map((c) => c.type)).toEqual(['text/html']);
    expect(body.headers).toBeUndefined();
  });

  it('treats a 202 without X-Message-Id as possibly sent, not as a success it cannot correlate', async () => {
    server.script({ status: 202 });
    expect(await sendgrid.send(outbound())).toMatchObject({ status: 'retry', error: { kind: 'transient', maybeDelivered: true } });
  });

  it('names the field from SendGrid’s errors array', async () => {
    server.script({ status: 400, json: { errors: [{ message: 'Does not contain a valid address.', field: 'from.email', help: null }] } });
    expect(await sendgrid.send(outbound())).toMatchObject({ status: 'rejected', error: { kind: 'validation', message: 'HTTP 400: from.email: Does not contain a valid address.' } });
  });

  it('rejects a sender identity SendGrid has not verified (403) as an account problem', async () => {
    server.script({ status: 403, json: { errors: [{ message: 'The from address does not match a verified Sender Identity.', field: 'from' }] } });
    expect(await sendgrid.send(outbound())).toMatchObject({ status: 'rejected', error: { kind: 'auth', httpStatus: 403 } });
  });
});
