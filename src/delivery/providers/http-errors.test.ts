import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock.ts';
import { vendorServer, type Reply, type VendorServer } from '../../../test/helpers/vendor-server.ts';
import { MailgunProvider, MailgunSettings } from './mailgun.ts';
import type { EmailProvider, ProviderDeps } from './model.ts';
import { PostmarkProvider, PostmarkSettings } from './postmark.ts';
import { ResendProvider, ResendSettings } from './resend.ts';
import { SendgridProvider, SendgridSettings } from './sendgrid.ts';
import { outbound } from './testing.ts';

/**
 * Every HTTP adapter meets the same documented failures; each vendor words them its own way (the
 * error bodies below are the documented shapes), and each must come out as the same outcome.
 */
interface Vendor {
  name: string;
  make(baseUrl: string, deps: ProviderDeps): EmailProvider;
  errorBody(status: number, message: string): unknown;
}

const TIMEOUT_MS = 300;

const VENDORS: Vendor[] = [
  {
    name: 'resend',
    make: (baseUrl, deps) => new ResendProvider(ResendSettings.parse({ kind: 'resend', apiKey: 're_test', baseUrl, timeoutMs: TIMEOUT_MS }), deps),
    errorBody: (status, message) => ({ statusCode: status, name: status === 429 ? 'rate_limit_exceeded' : 'validation_error', message }),
  },
  {
    name: 'sendgrid',
    make: (baseUrl, deps) => new SendgridProvider(SendgridSettings.parse({ kind: 'sendgrid', apiKey: 'SG.test', baseUrl, timeoutMs: TIMEOUT_MS }), deps),
    errorBody: (_status, message) => ({ errors: [{ message, field: null, help: null }] }),
  },
  {
    name: 'mailgun',
    make: (baseUrl, deps) => new MailgunProvider(MailgunSettings.parse({ kind: 'mailgun', apiKey: 'key-test', domain: 'mg.acme.test', baseUrl, timeoutMs: TIMEOUT_MS }), deps),
    errorBody: (_status, message) => ({ message }),
  },
  {
    name: 'postmark',
    make: (baseUrl, deps) => new PostmarkProvider(PostmarkSettings.parse({ kind: 'postmark', serverToken: 'pm-test', baseUrl, timeoutMs: TIMEOUT_MS }), deps),
    // Postmark's ErrorCode for these is generic (maintenance/unknown), so the HTTP status decides.
    errorBody: (_status, message) => ({ ErrorCode: 1, Message: message }),
  },
];

describe.each(VENDORS)('$name: HTTP failures', (vendor) => {
  let server: VendorServer;
  let provider: EmailProvider;
  const clock = new ManualClock('2026-03-01T12:00:00Z');

  beforeAll(async () => {
    server = await vendorServer(() => ({ status: 500, body: 'no script' }));
    provider = vendor.make(server.baseUrl, { clock });
  });
  afterAll(async () => {
    await provider?.close();
    await server?.close();
  });

  const answer = (status: number, message: string, headers?: Record<string, string>): Reply => ({ status, json: vendor.errorBody(status, message), headers });

  it('rejects a 400 as invalid, with the vendor message', async () => {
    server.script(answer(400, 'The to field is invalid'));
    const out = await provider.send(outbound());
    expect(out).toMatchObject({ status: 'rejected', error: { kind: 'validation', httpStatus: 400 } });
    expect(out.status === 'rejected' && out.error.message).toContain('The to field is invalid');
  });

  it('rejects a 401 as an auth failure', async () => {
    server.script(answer(401, 'bad key'));
    expect(await provider.send(outbound())).toMatchObject({ status: 'rejected', error: { kind: 'auth', httpStatus: 401 } });
  });

  it('rejects a 413, even when a proxy answers it as HTML', async () => {
    server.script({ status: 413, body: '<html><h1>413 Request Entity Too Large</h1></html>', headers: { 'content-type': 'text/html' } });
    const out = await provider.send(outbound());
    expect(out).toMatchObject({ status: 'rejected', error: { kind: 'payload_too_large', httpStatus: 413 } });
    expect(out.status === 'rejected' && out.error.message).toContain('413 Request Entity Too Large');
  });

  it('retries a 429 after the seconds in Retry-After', async () => {
    server.script(answer(429, 'slow down', { 'retry-after': '7' }));
    expect(await provider.send(outbound())).toMatchObject({ status: 'retry', retryAfterMs: 7000, error: { kind: 'rate_limited', httpStatus: 429 } });
  });

  it('retries a 429 until the HTTP date in Retry-After', async () => {
    server.script(answer(429, 'slow down', { 'retry-after': 'Sun, 01 Mar 2026 12:01:30 GMT' }));
    expect(await provider.send(outbound())).toMatchObject({ status: 'retry', retryAfterMs: 90_000, error: { kind: 'rate_limited' } });
  });

  it('retries a 500 as transient', async () => {
    server.script(answer(500, 'internal error'));
    const out = await provider.send(outbound());
    expect(out).toMatchObject({ status: 'retry', error: { kind: 'transient', httpStatus: 500 } });
    expect(out.status === 'retry' && out.retryAfterMs).toBeUndefined();
  });

  it('retries a call that never answers as a timeout that may have been delivered', async () => {
    server.script('hang');
    expect(await provider.send(outbound())).toMatchObject({ status: 'retry', error: { kind: 'timeout', maybeDelivered: true } });
  });
});
