import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../shared/clock.ts';
import { vendorServer, type VendorServer } from '../../../test/helpers/vendor-server.ts';
import { PostmarkProvider, PostmarkSettings } from './postmark.ts';
import { outbound, outboundMany } from './testing.ts';

/** The /email fields we use, as documented (esp.md §2.5); strict, so an invented field fails. */
const PostmarkEmail = z.strictObject({
  From: z.string(),
  To: z.string(),
  ReplyTo: z.string().optional(),
  Subject: z.string(),
  HtmlBody: z.string(),
  TextBody: z.string().optional(),
  Headers: z.array(z.strictObject({ Name: z.string(), Value: z.string() })),
  Metadata: z.record(z.string(), z.string()),
  MessageStream: z.string(),
  TrackOpens: z.boolean(),
  TrackLinks: z.enum(['None', 'HtmlAndText', 'HtmlOnly', 'TextOnly']),
});

const ok = (to: string, id: string) => ({ To: to, SubmittedAt: '2026-03-01T12:00:00Z', MessageID: id, ErrorCode: 0, Message: 'OK' });

describe('Postmark', () => {
  let server: VendorServer;
  let postmark: PostmarkProvider;
  const clock = new ManualClock('2026-03-01T12:00:00Z');

  beforeAll(async () => {
    server = await vendorServer((req) => {
      if (req.path === '/email/batch') return { status: 200, json: req.json().map((e: { To: string }, i: number) => ok(e.To, `pm-${i}`)) };
      return { status: 200, json: ok(req.json().To, 'pm-single') };
    });
    postmark = new PostmarkProvider(PostmarkSettings.parse({ kind: 'postmark', serverToken: 'pm-secret', baseUrl: server.baseUrl }), { clock });
  });
  beforeEach(() => {
    server.requests.length = 0;
  });
  afterAll(async () => {
    await postmark?.close();
    await server?.close();
  });

  it('posts /email with the server token, Headers, Metadata, tracking off and the broadcast stream for marketing', async () => {
    expect(await postmark.send(outbound())).toEqual({ status: 'accepted', providerMessageId: 'pm-single', acceptedAt: clock.now() });

    const [req] = server.requests;
    expect([req.method, req.path]).toEqual(['POST', '/email']);
    expect(req.headers['x-postmark-server-token']).toBe('pm-secret');
    expect(req.headers.accept).toBe('application/json');
    const body = PostmarkEmail.parse(req.json());
    expect(body).toMatchObject({
      From: '"Acme Coffee" <hello@acme.test>',
      To: '"Ann" <ann@example.com>',
      ReplyTo: 'support@acme.test',
      MessageStream: 'broadcast',
      Metadata: { campaign: 'cmp_1', message_ref: 'msg_01' },
      TrackOpens: false,
      TrackLinks: 'None',
    });
    expect(body.Headers).toContainEqual({ Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' });
  });

  it('puts transactional mail on the transactional stream', async () => {
    await postmark.send(outbound({ category: 'transactional' }));
    expect(server.requests[0].json().MessageStream).toBe('outbound');
  });

  it('maps request-level ErrorCodes: 10 is a bad token, 406 an inactive recipient', async () => {
    server.script(
      { status: 401, json: { ErrorCode: 10, Message: 'Bad or missing Server API token.' } },
      { status: 422, json: { ErrorCode: 406, Message: 'You tried to send to recipient(s) that have been marked as inactive.' } },
      { status: 422, json: { ErrorCode: 300, Message: 'Invalid email request' } },
      { status: 422, json: { ErrorCode: 405, Message: 'Not allowed to send: you have run out of credits.' } },
    );
    expect(await postmark.send(outbound())).toMatchObject({ status: 'rejected', error: { kind: 'auth', providerCode: '10' } });
    expect(await postmark.send(outbound())).toMatchObject({ status: 'rejected', error: { kind: 'suppressed', providerCode: '406', httpStatus: 422 } });
    expect(await postmark.send(outbound())).toMatchObject({ status: 'rejected', error: { kind: 'validation', providerCode: '300' } });
    expect(await postmark.send(outbound())).toMatchObject({ status: 'retry', error: { kind: 'quota_exhausted', providerCode: '405' } });
  });

  it('sends batches of at most 500 to /email/batch, outcomes in input order', async () => {
    const outcomes = await postmark.sendBatch(outboundMany(501));
    expect(server.requests.map((r) => [r.path, r.json().length])).toEqual([
      ['/email/batch', 500],
      ['/email/batch', 1],
    ]);
    z.array(PostmarkEmail).parse(server.requests[0].json());
    expect(outcomes[499]).toMatchObject({ status: 'accepted', providerMessageId: 'pm-499' });
    expect(outcomes[500]).toMatchObject({ status: 'accepted', providerMessageId: 'pm-0' });
  });

  it('splits a batch that would pass 50 MB, Postmark’s request limit', async () => {
    const big = 'x'.repeat(9 * 1024 * 1024);
    await postmark.sendBatch(outboundMany(6, { html: big }));
    expect(server.requests.map((r) => r.json().length)).toEqual([5, 1]);
  });

  it('maps each batch item’s own ErrorCode', async () => {
    server.script({
      status: 200,
      json: [
        ok('r0@example.com', 'pm-a'),
        { ErrorCode: 406, Message: 'You tried to send to a recipient that has been marked as inactive. Found inactive addresses: r1@example.com.' },
        { ErrorCode: 300, Message: 'Invalid email request' },
        { ErrorCode: 100, Message: 'Maintenance' },
      ],
    });
    const outcomes = await postmark.sendBatch(outboundMany(4));
    expect(outcomes).toMatchObject([
      { status: 'accepted', providerMessageId: 'pm-a' },
      { status: 'rejected', error: { kind: 'suppressed', providerCode: '406', message: expect.stringContaining('r1@example.com') } },
      { status: 'rejected', error: { kind: 'validation', providerCode: '300' } },
      { status: 'retry', error: { kind: 'transient', providerCode: '100' } },
    ]);
  });

  it('refuses a message over 10 MB before calling Postmark', async () => {
    const out = await postmark.send(outbound({ html: 'x'.repeat(10 * 1024 * 1024 + 1) }));
    expect(out).toMatchObject({ status: 'rejected', error: { kind: 'payload_too_large' } });
    expect(server.requests).toHaveLength(0);
  });
});
