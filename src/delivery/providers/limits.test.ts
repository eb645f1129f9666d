import { describe, expect, it } from 'vitest';
import { overLimit, sendInChunks } from './limits.ts';
import { accepted, failed, fromRendered, formatAddress, type OutboundMessage, type ProviderCapabilities, type SendOutcome } from './model.ts';
import { outbound, outboundMany } from './testing.ts';

const caps: ProviderCapabilities = {
  maxRecipientsPerMessage: 2,
  maxMessagesPerBatch: 3,
  maxMessageBytes: 1000,
  maxBatchBytes: 2000,
  sendsRawMime: false,
  idempotency: { native: false },
  rate: {},
};
const at = new Date('2026-03-01T12:00:00Z');
const small = (n: number) => outboundMany(n, { html: '<p>hi</p>', text: 'hi', headers: {} });

describe('outcomes', () => {
  it('retries exactly the passing kinds and rejects the rest', () => {
    expect(failed({ kind: 'rate_limited', message: 'slow' }, 5000)).toEqual({ status: 'retry', error: { kind: 'rate_limited', message: 'slow' }, retryAfterMs: 5000 });
    for (const kind of ['quota_exhausted', 'transient', 'timeout', 'connection'] as const) expect(failed({ kind, message: '' }).status).toBe('retry');
    for (const kind of ['auth', 'validation', 'payload_too_large', 'suppressed'] as const) expect(failed({ kind, message: '' }, 1000)).toEqual({ status: 'rejected', error: { kind, message: '' } });
  });
});

describe('addresses and rendered messages', () => {
  it('quotes display names and escapes quotes in them', () => {
    expect(formatAddress({ email: 'a@x.test' })).toBe('a@x.test');
    expect(formatAddress({ email: 'a@x.test', name: 'Ann "The Bean" Lee' })).toBe('"Ann \\"The Bean\\" Lee" <a@x.test>');
  });

  it('turns a rendered message and its outbox identifiers into an outbound message', () => {
    const msg = fromRendered(
      { to: 'ann@example.com', from: { name: 'Acme', email: 'hello@acme.test' }, replyTo: null, subject: 'S', html: '<p>H</p>', text: 'H', headers: { 'List-Unsubscribe': '<https://u>' } },
      { idempotencyKey: 'cmp_1:ctc_1', messageRef: 'msg_1', category: 'marketing' },
    );
    expect(msg).toMatchObject({ idempotencyKey: 'cmp_1:ctc_1', messageRef: 'msg_1', to: [{ email: 'ann@example.com' }], from: { email: 'hello@acme.test', name: 'Acme' }, headers: { 'List-Unsubscribe': '<https://u>' } });
    expect(msg.replyTo).toBeUndefined();
  });
});

describe('caps', () => {
  it('refuses a message with no recipient, too many, or too many bytes, and passes one that fits', () => {
    expect(overLimit(outbound({ to: [] }), caps, 'X')).toMatchObject({ status: 'rejected', error: { kind: 'validation', message: 'the message has no recipient' } });
    expect(overLimit(outbound({ to: [{ email: 'a@x' }, { email: 'b@x' }, { email: 'c@x' }] }), caps, 'X')).toMatchObject({ error: { message: 'the message has 3 recipients; X takes at most 2 per message' } });
    expect(overLimit(outbound({ html: 'x'.repeat(1001) }), caps, 'X')).toMatchObject({ status: 'rejected', error: { kind: 'payload_too_large' } });
    expect(overLimit(small(1)[0], caps, 'X')).toBeNull();
  });

  it('counts the raw message when the provider sends raw MIME, and the fields when it does not', () => {
    const msg = outbound({ html: '<p>hi</p>', text: '', headers: {}, raw: Buffer.alloc(5000) });
    expect(overLimit(msg, { ...caps, sendsRawMime: true }, 'X')?.status).toBe('rejected');
    expect(overLimit(msg, caps, 'X')).toBeNull();
  });
});

describe('sending in chunks', () => {
  /** A fake batch endpoint that accepts everything and remembers each call's refs. */
  function endpoint(answer?: (chunk: OutboundMessage[], call: number) => SendOutcome[]) {
    const calls: string[][] = [];
    const send = async (chunk: OutboundMessage[]) => {
      calls.push(chunk.map((m) => m.messageRef));
      return answer ? answer(chunk, calls.length) : chunk.map((m) => accepted(`id-${m.messageRef}`, at));
    };
    return { calls, send };
  }

  it('splits by message count and returns outcomes in input order', async () => {
    const { calls, send } = endpoint();
    const outcomes = await sendInChunks(small(7), caps, 'X', send);
    expect(calls).toEqual([
      ['msg_0', 'msg_1', 'msg_2'],
      ['msg_3', 'msg_4', 'msg_5'],
      ['msg_6'],
    ]);
    expect(outcomes.map((o) => o.status === 'accepted' && o.providerMessageId)).toEqual(['id-msg_0', 'id-msg_1', 'id-msg_2', 'id-msg_3', 'id-msg_4', 'id-msg_5', 'id-msg_6']);
  });

  it('splits by request bytes as well', async () => {
    const { calls, send } = endpoint();
    await sendInChunks(outboundMany(3, { html: 'x'.repeat(900), text: '', headers: {} }), caps, 'X', send);
    expect(calls.map((c) => c.length)).toEqual([2, 1]);
  });

  it('answers for an over-cap message locally and sends the others', async () => {
    const msgs = small(3);
    msgs[1] = { ...msgs[1], html: 'x'.repeat(2000) };
    const { calls, send } = endpoint();
    const outcomes = await sendInChunks(msgs, caps, 'X', send);
    expect(calls).toEqual([['msg_0', 'msg_2']]);
    expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'rejected', 'accepted']);
  });

  it('stops after a chunk hits a rate limit: later chunks are not sent and inherit the wait', async () => {
    const limited = failed({ kind: 'rate_limited', httpStatus: 429, message: 'slow down' }, 3000);
    const { calls, send } = endpoint((chunk) => chunk.map(() => limited));
    const outcomes = await sendInChunks(small(7), caps, 'X', send);
    expect(calls).toHaveLength(1);
    expect(outcomes[6]).toEqual({ status: 'retry', retryAfterMs: 3000, error: { kind: 'rate_limited', httpStatus: 429, providerCode: undefined, message: 'not attempted: an earlier chunk failed (slow down)' } });
  });

  it('keeps going after a chunk with only content problems or a timeout', async () => {
    const answers = [failed({ kind: 'validation', message: 'bad' }), failed({ kind: 'timeout', message: 'slow', maybeDelivered: true })];
    const { calls, send } = endpoint((chunk, call) => chunk.map(() => answers[call - 1] ?? accepted('ok', at)));
    const outcomes = await sendInChunks(small(7), caps, 'X', send);
    expect(calls).toHaveLength(3);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected', 'retry', 'retry', 'retry', 'accepted']);
  });
});
