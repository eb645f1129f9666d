import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock.ts';
import { CaptureInbox, CaptureSettings, captureProvider, type CapturedMessage, type CaptureStore } from './capture.ts';
import type { EmailProvider } from './model.ts';
import { outbound } from './testing.ts';

/** Stands in for the database table the app wires later: keeps what it is given, or fails on demand. */
class ListStore implements CaptureStore {
  saved: CapturedMessage[] = [];
  failWith: Error | null = null;
  async save(msg: CapturedMessage): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.saved.push(msg);
  }
}

describe('capture inbox', () => {
  const clock = new ManualClock('2026-03-01T12:00:00Z');
  const store = new ListStore();
  let inbox: CaptureInbox;
  let provider: EmailProvider;

  beforeAll(async () => {
    inbox = new CaptureInbox({ port: 0, maxMessageBytes: 64 * 1024 }, store, clock);
    const port = await inbox.start();
    provider = captureProvider(CaptureSettings.parse({ kind: 'capture', port, maxMessageBytes: 128 * 1024 }), { clock });
  });
  beforeEach(() => {
    store.saved.length = 0;
    store.failWith = null;
  });
  afterAll(async () => {
    await provider?.close();
    await inbox?.stop();
  });

  it('listens on a free loopback port when given 0', () => {
    expect(inbox.port).toBeGreaterThan(0);
  });

  it('receives over SMTP, parses and hands the message to the store', async () => {
    const out = await provider.send(outbound());
    expect(provider.id).toBe('capture');
    expect(store.saved).toHaveLength(1);
    const got = store.saved[0];
    expect(out).toEqual({ status: 'accepted', providerMessageId: got.messageId, acceptedAt: clock.now() });
    expect(got).toMatchObject({
      envelope: { from: 'hello@acme.test', to: ['ann@example.com'] },
      from: '"Acme Coffee" <hello@acme.test>',
      to: ['ann@example.com'],
      subject: 'Fresh beans are here',
      html: expect.stringContaining('shop now'),
      text: expect.stringContaining('https://acme.test/shop'),
      receivedAt: clock.now(),
    });
    expect(got.headers).toContainEqual({ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' });
    // Folded on the wire, unfolded here.
    expect(got.headers).toContainEqual({ name: 'List-Unsubscribe', value: '<https://t.acme.test/u/abc>, <mailto:unsub@acme.test?subject=abc>' });
    expect(got.raw.toString()).toContain('Subject: Fresh beans are here');
  });

  it('keeps a finished message as sent and reports its Message-ID', async () => {
    const raw = Buffer.from('From: hello@acme.test\r\nTo: ann@example.com\r\nSubject: Raw one\r\nMessage-ID: <raw-1@acme.test>\r\nContent-Type: text/plain\r\n\r\nJust text.\r\n');
    const out = await provider.send(outbound({ raw }));
    expect(out).toMatchObject({ status: 'accepted', providerMessageId: 'raw-1@acme.test' });
    expect(store.saved[0]).toMatchObject({ messageId: 'raw-1@acme.test', subject: 'Raw one', html: null, text: 'Just text.\n' });
    expect(store.saved[0].raw.toString().replace(/\r\n$/, '')).toBe(raw.toString().replace(/\r\n$/, ''));
  });

  it('refuses a message over its size limit with 552, which the sender sees as too large', async () => {
    const out = await provider.send(outbound({ html: 'x'.repeat(100 * 1024) }));
    expect(out).toMatchObject({ status: 'rejected', error: { kind: 'payload_too_large', providerCode: '5.3.4' } });
    expect(store.saved).toHaveLength(0);
  });

  it('answers 451 when the store cannot keep a message, so the sender retries instead of losing it', async () => {
    store.failWith = new Error('database is locked');
    const out = await provider.send(outbound());
    expect(out).toMatchObject({ status: 'retry', error: { kind: 'transient', providerCode: '4.3.0', message: expect.stringContaining('database is locked') } });
  });
});

describe('capture inbox lifecycle', () => {
  const clock = new ManualClock();

  it('stops listening on stop(), and the provider then sees a connection failure', async () => {
    const store = new ListStore();
    const inbox = new CaptureInbox({ port: 0 }, store, clock);
    const port = await inbox.start();
    expect(await inbox.start()).toBe(port);
    await inbox.stop();
    expect(() => inbox.port).toThrow(/not started/);

    const provider = captureProvider(CaptureSettings.parse({ kind: 'capture', port }), { clock });
    const out = await provider.send(outbound());
    await provider.close();
    expect(out).toMatchObject({ status: 'retry', error: { kind: 'connection', providerCode: 'ECONNREFUSED' } });
    expect(store.saved).toHaveLength(0);
  });

  it('fails to start when the port is taken', async () => {
    const first = new CaptureInbox({ port: 0 }, new ListStore(), clock);
    const port = await first.start();
    const second = new CaptureInbox({ port }, new ListStore(), clock);
    await expect(second.start()).rejects.toThrow(/EADDRINUSE/);
    await first.stop();
  });
});
