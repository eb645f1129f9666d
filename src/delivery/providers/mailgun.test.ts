import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock.ts';
import { vendorServer, type VendorServer } from '../../../test/helpers/vendor-server.ts';
import { MailgunProvider, MailgunSettings } from './mailgun.ts';
import { outbound } from './testing.ts';

describe('Mailgun', () => {
  let server: VendorServer;
  let mailgun: MailgunProvider;
  const clock = new ManualClock('2026-03-01T12:00:00Z');

  beforeAll(async () => {
    server = await vendorServer(() => ({ status: 200, json: { id: '<20260301120000.1.ABC@mg.acme.test>', message: 'Queued. Thank you.' } }));
    mailgun = new MailgunProvider(MailgunSettings.parse({ kind: 'mailgun', apiKey: 'key-secret', domain: 'mg.acme.test', baseUrl: server.baseUrl }), { clock });
  });
  beforeEach(() => {
    server.requests.length = 0;
  });
  afterAll(async () => {
    await mailgun?.close();
    await server?.close();
  });

  it('posts a multipart form to /v3/{domain}/messages with Basic api:key, h: headers, v: variables and tracking off', async () => {
    expect(await mailgun.send(outbound())).toEqual({ status: 'accepted', providerMessageId: '20260301120000.1.ABC@mg.acme.test', acceptedAt: clock.now() });

    const [req] = server.requests;
    expect([req.method, req.path]).toEqual(['POST', '/v3/mg.acme.test/messages']);
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from('api:key-secret').toString('base64')}`);
    expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const form = await req.form();
    expect(Object.fromEntries(form.entries())).toEqual({
      from: '"Acme Coffee" <hello@acme.test>',
      to: '"Ann" <ann@example.com>',
      subject: 'Fresh beans are here',
      html: expect.stringContaining('shop now'),
      text: expect.stringContaining('https://acme.test/shop'),
      'h:Reply-To': 'support@acme.test',
      'h:List-Unsubscribe': '<https://t.acme.test/u/abc>, <mailto:unsub@acme.test?subject=abc>',
      'h:List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'v:campaign': 'cmp_1',
      'v:message_ref': 'msg_01',
      'o:tracking': 'no',
      'o:tracking-clicks': 'no',
      'o:tracking-opens': 'no',
    });
  });

  it('repeats the to field for each recipient', async () => {
    await mailgun.send(outbound({ to: [{ email: 'a@example.com' }, { email: 'b@example.com' }] }));
    expect((await server.requests[0].form()).getAll('to')).toEqual(['a@example.com', 'b@example.com']);
  });

  it('reads the plain-text "Forbidden" Mailgun gives for a bad key', async () => {
    server.script({ status: 401, body: 'Forbidden' });
    expect(await mailgun.send(outbound())).toMatchObject({ status: 'rejected', error: { kind: 'auth', message: 'HTTP 401: Forbidden' } });
  });

  it('uses the region’s API host when no base URL is given', async () => {
    const urls: string[] = [];
    // Only the URL matters here; the request itself is covered against the local server above.
    const recordUrl: typeof fetch = async (input) => {
      urls.push(String(input));
      return new Response(JSON.stringify({ id: '<x@mg.acme.test>' }), { status: 200 });
    };
    for (const region of ['us', 'eu'] as const) {
      const p = new MailgunProvider(MailgunSettings.parse({ kind: 'mailgun', apiKey: 'k', domain: 'mg.acme.test', region }), { clock, fetch: recordUrl });
      await p.send(outbound());
    }
    expect(urls).toEqual(['https://api.mailgun.net/v3/mg.acme.test/messages', 'https://api.eu.mailgun.net/v3/mg.acme.test/messages']);
  });
});
