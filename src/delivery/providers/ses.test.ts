import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock.ts';
import { vendorServer, type Reply, type VendorServer } from '../../../test/helpers/vendor-server.ts';
import { SesProvider, SesSettings } from './ses.ts';
import { outbound } from './testing.ts';

/** An SES error as the AWS JSON protocol sends it: the exception name in x-amzn-ErrorType. */
const sesError = (status: number, type: string, message: string): Reply => ({ status, headers: { 'x-amzn-errortype': type }, json: { message } });

describe('Amazon SES v2', () => {
  let server: VendorServer;
  let ses: SesProvider;
  const clock = new ManualClock('2026-03-01T12:00:00Z');

  beforeAll(async () => {
    server = await vendorServer(() => ({ status: 200, json: { MessageId: '0100018e-ses-id' } }));
    const settings = SesSettings.parse({ kind: 'ses', region: 'eu-west-1', accessKeyId: 'AKIATEST', secretAccessKey: 'test-secret', endpoint: server.baseUrl, configurationSetName: 'tidings-events', timeoutMs: 300 });
    ses = new SesProvider(settings, { clock });
  });
  beforeEach(() => {
    server.requests.length = 0;
  });
  afterAll(async () => {
    await ses?.close();
    await server?.close();
  });

  it('calls SendEmail signed with SigV4, Simple content with our headers, the message ref as an email tag', async () => {
    expect(await ses.send(outbound())).toEqual({ status: 'accepted', providerMessageId: '0100018e-ses-id', acceptedAt: clock.now() });

    const [req] = server.requests;
    expect([req.method, req.path]).toEqual(['POST', '/v2/email/outbound-emails']);
    expect(req.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIATEST\/\d{8}\/eu-west-1\/ses\/aws4_request/);
    const body = req.json();
    expect(body).toMatchObject({
      FromEmailAddress: '"Acme Coffee" <hello@acme.test>',
      Destination: { ToAddresses: ['"Ann" <ann@example.com>'] },
      ReplyToAddresses: ['support@acme.test'],
      ConfigurationSetName: 'tidings-events',
      EmailTags: [
        { Name: 'campaign', Value: 'cmp_1' },
        { Name: 'message_ref', Value: 'msg_01' },
      ],
    });
    expect(body.Content.Simple).toEqual({
      Subject: { Data: 'Fresh beans are here', Charset: 'UTF-8' },
      Body: { Html: { Data: expect.stringContaining('shop now'), Charset: 'UTF-8' }, Text: { Data: expect.stringContaining('shop now'), Charset: 'UTF-8' } },
      Headers: [
        { Name: 'List-Unsubscribe', Value: '<https://t.acme.test/u/abc>, <mailto:unsub@acme.test?subject=abc>' },
        { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
      ],
    });
  });

  it('sends a finished MIME message as Content.Raw, byte for byte', async () => {
    const raw = Buffer.from('From: hello@acme.test\r\nTo: ann@example.com\r\nSubject: Raw\r\nMessage-ID: <r1@acme.test>\r\n\r\nHello\r\n');
    await ses.send(outbound({ raw }));
    const body = server.requests[0].json();
    expect(Buffer.from(body.Content.Raw.Data, 'base64').equals(raw)).toBe(true);
    expect(body.Content.Simple).toBeUndefined();
  });

  it('encodes a non-ASCII display name as SES requires', async () => {
    await ses.send(outbound({ from: { email: 'hello@acme.test', name: 'Café Zoë' } }));
    expect(server.requests[0].json().FromEmailAddress).toBe(`=?UTF-8?B?${Buffer.from('Café Zoë').toString('base64')}?= <hello@acme.test>`);
  });

  it.each([
    ['TooManyRequestsException', 429, 'retry', 'rate_limited'],
    ['MessageRejected', 400, 'rejected', 'validation'],
    ['SendingPausedException', 400, 'rejected', 'auth'],
    ['AccountSuspendedException', 400, 'rejected', 'auth'],
    ['MailFromDomainNotVerifiedException', 400, 'rejected', 'auth'],
    ['UnrecognizedClientException', 403, 'rejected', 'auth'],
    ['InternalFailure', 500, 'retry', 'transient'],
  ] as const)('maps %s (HTTP %i) to %s (%s)', async (type, httpStatus, status, kind) => {
    server.script(sesError(httpStatus, type, `${type} from SES`));
    expect(await ses.send(outbound())).toMatchObject({ status, error: { kind, providerCode: type, httpStatus } });
  });

  it('says what to do when sending is paused', async () => {
    server.script(sesError(400, 'SendingPausedException', 'Sending is paused for this account.'));
    const out = await ses.send(outbound());
    expect(out.status === 'rejected' && out.error.message).toMatch(/^sending is paused for this SES account or its configuration set; resume it in SES/);
  });

  it('retries a call SES never answers as a timeout that may have been delivered', async () => {
    server.script('hang');
    expect(await ses.send(outbound())).toMatchObject({ status: 'retry', error: { kind: 'timeout', maybeDelivered: true } });
  });

  it('refuses more than 50 recipients before calling SES', async () => {
    const out = await ses.send(outbound({ to: Array.from({ length: 51 }, (_, i) => ({ email: `r${i}@example.com` })) }));
    expect(out).toMatchObject({ status: 'rejected', error: { kind: 'validation' } });
    expect(server.requests).toHaveLength(0);
  });

  it('retries when SES cannot be reached, knowing nothing was sent', async () => {
    const closed = await vendorServer(() => ({ status: 200 }));
    const endpoint = closed.baseUrl;
    await closed.close();
    const unreachable = new SesProvider(SesSettings.parse({ kind: 'ses', region: 'eu-west-1', accessKeyId: 'AKIATEST', secretAccessKey: 's', endpoint }), { clock });
    const out = await unreachable.send(outbound());
    await unreachable.close();
    expect(out).toMatchObject({ status: 'retry', error: { kind: 'connection', providerCode: 'ECONNREFUSED' } });
    expect(out.status === 'retry' && out.error.maybeDelivered).toBeUndefined();
  });
});
