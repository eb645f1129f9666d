import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../shared/clock.ts';
import { vendorServer, type RecordedRequest, type VendorServer } from '../../../test/helpers/vendor-server.ts';
import { ResendProvider, ResendSettings } from './resend.ts';
import { outbound, outboundMany } from './testing.ts';

/** POST /emails as documented (esp.md §2.2); strict, so a misspelt or invented field fails. */
const Tag = z.strictObject({ name: z.string().regex(/^[A-Za-z0-9_-]+$/), value: z.string().regex(/^[A-Za-z0-9_-]+$/) });
const ResendEmail = z.strictObject({
  from: z.string(),
  to: z.array(z.string()).min(1).max(50),
  reply_to: z.string().optional(),
  subject: z.string(),
  html: z.string(),
  text: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  tags: z.array(Tag).optional(),
});

describe('Resend', () => {
  let server: VendorServer;
  let resend: ResendProvider;
  const clock = new ManualClock('2026-03-01T12:00:00Z');
  let nextId = 0;

  beforeAll(async () => {
    server = await vendorServer((req) => {
      if (req.path === '/emails/batch') return { status: 200, json: { data: req.json().map(() => ({ id: `re_${++nextId}` })) } };
      return { status: 200, json: { id: `re_${++nextId}` } };
    });
    resend = new ResendProvider(ResendSettings.parse({ kind: 'resend', apiKey: 're_secret', baseUrl: `${server.baseUrl}/` }), { clock });
  });
  beforeEach(() => {
    server.requests.length = 0;
  });
  afterAll(async () => {
    await resend?.close();
    await server?.close();
  });

  const only = (): RecordedRequest => {
    expect(server.requests).toHaveLength(1);
    return server.requests[0];
  };

  it('posts one email with Bearer auth, its idempotency key, List-Unsubscribe headers and the message ref as a tag', async () => {
    const out = await resend.send(outbound());
    expect(out).toEqual({ status: 'accepted', providerMessageId: expect.stringMatching(/^re_\d+$/), acceptedAt: clock.now() });

    const req = only();
    expect([req.method, req.path]).toEqual(['POST', '/emails']);
    expect(req.headers.authorization).toBe('Bearer re_secret');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['idempotency-key']).toBe('cmp_1:msg_01');
    const body = ResendEmail.parse(req.json());
    expect(body).toEqual({
      from: '"Acme Coffee" <hello@acme.test>',
      to: ['"Ann" <ann@example.com>'],
      reply_to: 'support@acme.test',
      subject: 'Fresh beans are here',
      html: expect.stringContaining('shop now'),
      text: expect.stringContaining('https://acme.test/shop'),
      headers: { 'List-Unsubscribe': '<https://t.acme.test/u/abc>, <mailto:unsub@acme.test?subject=abc>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      tags: [
        { name: 'campaign', value: 'cmp_1' },
        { name: 'message_ref', value: 'msg_01' },
      ],
    });
  });

  it('sends the same Idempotency-Key on every retry of a message, so Resend sends it once', async () => {
    server.script({ status: 500, json: { statusCode: 500, name: 'application_error', message: 'oops' } });
    expect((await resend.send(outbound())).status).toBe('retry');
    expect((await resend.send(outbound())).status).toBe('accepted');
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['cmp_1:msg_01', 'cmp_1:msg_01']);
  });

  it('hashes an over-long key into Resend’s 256 characters, the same way each time', async () => {
    const long = outbound({ idempotencyKey: 'k'.repeat(300) });
    await resend.send(long);
    await resend.send(long);
    const [a, b] = server.requests.map((r) => String(r.headers['idempotency-key']));
    expect(a).toMatch(/^sha256-[0-9a-f]{64}$/);
    expect(b).toBe(a);
  });

  it('refuses more than 50 recipients before calling Resend', async () => {
    const out = await resend.send(outbound({ to: Array.from({ length: 51 }, (_, i) => ({ email: `r${i}@example.com` })) }));
    expect(out).toMatchObject({ status: 'rejected', error: { kind: 'validation', message: expect.stringContaining('at most 50') } });
    expect(server.requests).toHaveLength(0);
  });

  it('maps Resend’s quota and in-flight idempotency errors to retries', async () => {
    server.script(
      { status: 429, json: { statusCode: 429, name: 'daily_quota_exceeded', message: 'You have reached your daily email sending quota.' } },
      { status: 409, json: { statusCode: 409, name: 'concurrent_idempotent_requests', message: 'Same idempotency key in flight' } },
      { status: 409, json: { statusCode: 409, name: 'invalid_idempotent_request', message: 'Same key, different payload' } },
    );
    expect(await resend.send(outbound())).toMatchObject({ status: 'retry', error: { kind: 'quota_exhausted', providerCode: 'daily_quota_exceeded' } });
    expect(await resend.send(outbound())).toMatchObject({ status: 'retry', error: { kind: 'transient', providerCode: 'concurrent_idempotent_requests' } });
    expect(await resend.send(outbound())).toMatchObject({ status: 'rejected', error: { kind: 'validation', providerCode: 'invalid_idempotent_request' } });
  });

  it('sends batches of at most 100 in permissive mode, with a key per batch, outcomes in input order', async () => {
    const msgs = outboundMany(250);
    const outcomes = await resend.sendBatch(msgs);

    expect(server.requests.map((r) => [r.path, r.json().length])).toEqual([
      ['/emails/batch', 100],
      ['/emails/batch', 100],
      ['/emails/batch', 50],
    ]);
    for (const req of server.requests) {
      expect(req.headers['x-batch-validation']).toBe('permissive');
      expect(req.headers['idempotency-key']).toMatch(/^batch-[0-9a-f]{64}$/);
      z.array(ResendEmail).parse(req.json());
    }
    expect(new Set(server.requests.map((r) => r.headers['idempotency-key'])).size).toBe(3);
    expect(outcomes).toHaveLength(250);
    expect(outcomes.every((o) => o.status === 'accepted')).toBe(true);
    // Item i of the request got the i-th id: order survives the split.
    expect(server.requests[1].json()[0].to).toEqual(['r100@example.com']);
    const ids = outcomes.map((o) => (o.status === 'accepted' ? Number(o.providerMessageId.slice(3)) : 0));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('reuses a batch key when the same chunk is retried', async () => {
    const msgs = outboundMany(3);
    server.script({ status: 503, json: { statusCode: 503, name: 'internal_server_error', message: 'busy' } });
    expect((await resend.sendBatch(msgs)).map((o) => o.status)).toEqual(['retry', 'retry', 'retry']);
    expect((await resend.sendBatch(msgs)).map((o) => o.status)).toEqual(['accepted', 'accepted', 'accepted']);
    const [first, second] = server.requests.map((r) => r.headers['idempotency-key']);
    expect(second).toBe(first);
  });

  it('maps permissive per-item errors back to their messages; the rest get the ids in order', async () => {
    server.script({ status: 200, json: { data: [{ id: 're_a' }, { id: 're_c' }], errors: [{ index: 1, message: 'The `to` field is invalid.' }] } });
    const outcomes = await resend.sendBatch(outboundMany(3));
    expect(outcomes).toMatchObject([
      { status: 'accepted', providerMessageId: 're_a' },
      { status: 'rejected', error: { kind: 'validation', message: expect.stringContaining('The `to` field is invalid.') } },
      { status: 'accepted', providerMessageId: 're_c' },
    ]);
  });

  it('keeps a message that breaks a cap out of the batch and sends the others', async () => {
    const msgs = outboundMany(3);
    msgs[1] = { ...msgs[1], to: [] };
    const outcomes = await resend.sendBatch(msgs);
    expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'rejected', 'accepted']);
    expect(only().json().map((e: { to: string[] }) => e.to[0])).toEqual(['r0@example.com', 'r2@example.com']);
  });

  it('stops a split batch after an auth failure instead of sending every chunk with a bad key', async () => {
    server.script({ status: 401, json: { statusCode: 401, name: 'missing_api_key', message: 'Missing API key' } });
    const outcomes = await resend.sendBatch(outboundMany(150));
    expect(server.requests).toHaveLength(1);
    expect(outcomes.every((o) => o.status === 'rejected' && o.error.kind === 'auth')).toBe(true);
    expect(outcomes[120]).toMatchObject({ error: { message: expect.stringContaining('not attempted') } });
  });
});
