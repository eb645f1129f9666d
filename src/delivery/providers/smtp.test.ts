import crypto from 'node:crypto';
import net, { type AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toMime } from '../../emails/mime.ts';
import { ManualClock } from '../../shared/clock.ts';
import { SmtpProvider, SmtpSettings } from './smtp.ts';
import { outbound, outboundMany } from './testing.ts';

type DkimResult = { results: Array<{ signingDomain: string; selector: string; status: { result: string } }> };
// mailauth ships no type declarations.
const { dkimVerify } = createRequire(import.meta.url)('mailauth/lib/dkim/verify.js') as {
  dkimVerify(message: Buffer, opts: { resolver: (name: string, type: string) => Promise<string[][]> }): Promise<DkimResult>;
};

interface Received {
  from: string;
  to: string[];
  raw: Buffer;
}

/** A real SMTP server on loopback; recipients' local parts script its answers (see `replyFor`). */
async function smtpServer(options: Partial<SMTPServerOptions> = {}) {
  const received: Received[] = [];
  let open = 0;
  let mostOpenAtOnce = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, done) {
      mostOpenAtOnce = Math.max(mostOpenAtOnce, ++open);
      done();
    },
    onClose() {
      open--;
    },
    onRcptTo(address, _session, done) {
      const scripted = replyFor(address.address);
      done(scripted && scripted.stage === 'rcpt' ? scripted.error : undefined);
    },
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const scripted = session.envelope.rcptTo.map((r) => replyFor(r.address)).find((s) => s?.stage === 'data');
        if (scripted?.error === 'hang') return;
        if (scripted) return done(scripted.error);
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        done(null, 'Ok: queued as Q1');
      });
    },
    ...options,
  });
  // Clients that hang up mid-handshake (the TLS refusal test) are expected here, not failures.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    mostOpenAtOnce: () => mostOpenAtOnce,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const reply = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

/** `later@` is greylisted, `nobody@` unknown, `big@` too large at DATA, `stall@` never answered at DATA. */
function replyFor(address: string): { stage: 'rcpt'; error: Error } | { stage: 'data'; error: Error | 'hang' } | null {
  const local = address.split('@')[0];
  if (local === 'later') return { stage: 'rcpt', error: reply(450, '4.2.0 Greylisted, try again later') };
  if (local === 'nobody') return { stage: 'rcpt', error: reply(550, '5.1.1 No such user here') };
  if (local === 'big') return { stage: 'data', error: reply(552, '5.3.4 Message size exceeds fixed limit') };
  if (local === 'stall') return { stage: 'data', error: 'hang' };
  return null;
}

const clock = new ManualClock('2026-03-01T12:00:00Z');
const smtp = (port: number, extra: Record<string, unknown> = {}) => new SmtpProvider(SmtpSettings.parse({ kind: 'smtp', host: '127.0.0.1', port, tls: 'none', ...extra }), { clock });

describe('SMTP provider against a real SMTP server', () => {
  let server: Awaited<ReturnType<typeof smtpServer>>;
  let provider: SmtpProvider;

  beforeAll(async () => {
    server = await smtpServer();
    provider = smtp(server.port, { timeoutMs: 500 });
  });
  beforeEach(() => {
    server.received.length = 0;
  });
  afterAll(async () => {
    await provider?.close();
    await server?.close();
  });

  it('sends the message built from its fields, with List-Unsubscribe, and answers with its Message-ID', async () => {
    const out = await provider.send(outbound());
    expect(server.received).toHaveLength(1);
    const mail = await simpleParser(server.received[0].raw);
    expect(out).toEqual({ status: 'accepted', providerMessageId: mail.messageId!.replace(/^<|>$/g, ''), acceptedAt: clock.now() });
    expect([server.received[0].from, server.received[0].to]).toEqual(['hello@acme.test', ['ann@example.com']]);
    expect(mail.from?.value).toEqual([{ address: 'hello@acme.test', name: 'Acme Coffee' }]);
    expect(mail.subject).toBe('Fresh beans are here');
    expect(mail.html).toContain('shop now');
    expect(mail.text).toContain('https://acme.test/shop');
    const header = (name: string) => mail.headerLines.find((h) => h.key === name)?.line.replace(/\r?\n[ \t]+/g, ' ');
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(header('list-unsubscribe')).toBe('List-Unsubscribe: <https://t.acme.test/u/abc>, <mailto:unsub@acme.test?subject=abc>');
  });

  it('shares a pool of at most maxConnections connections between concurrent sends', async () => {
    const own = await smtpServer();
    const pooled = smtp(own.port, { maxConnections: 2 });
    const outcomes = await Promise.all(outboundMany(8).map((m) => pooled.send(m)));
    await pooled.close();
    await own.close();
    expect(outcomes.map((o) => o.status)).toEqual(Array(8).fill('accepted'));
    expect(own.received).toHaveLength(8);
    expect(own.mostOpenAtOnce()).toBeLessThanOrEqual(2);
  });

  it('retries a 4xx reply, keeping its enhanced status code', async () => {
    expect(await provider.send(outbound({ to: [{ email: 'later@example.com' }] }))).toMatchObject({
      status: 'retry',
      error: { kind: 'transient', providerCode: '4.2.0', message: expect.stringContaining('Greylisted') },
    });
  });

  it('rejects a 5xx reply with its enhanced status code', async () => {
    expect(await provider.send(outbound({ to: [{ email: 'nobody@example.com' }] }))).toMatchObject({
      status: 'rejected',
      error: { kind: 'validation', providerCode: '5.1.1', message: expect.stringContaining('No such user') },
    });
  });

  it('rejects a 552 at DATA as too large', async () => {
    expect(await provider.send(outbound({ to: [{ email: 'big@example.com' }] }))).toMatchObject({ status: 'rejected', error: { kind: 'payload_too_large', providerCode: '5.3.4' } });
  });

  it('flags a timeout after DATA as possibly delivered', async () => {
    const stalling = smtp(server.port, { timeoutMs: 300 });
    const out = await stalling.send(outbound({ to: [{ email: 'stall@example.com' }] }));
    await stalling.close();
    expect(out).toMatchObject({ status: 'retry', error: { kind: 'timeout', maybeDelivered: true } });
  });

  it('refuses a message over its size cap before connecting', async () => {
    const small = smtp(server.port, { maxMessageBytes: 2048 });
    const out = await small.send(outbound({ html: 'x'.repeat(4096) }));
    await small.close();
    expect(out).toMatchObject({ status: 'rejected', error: { kind: 'payload_too_large' } });
    expect(server.received).toHaveLength(0);
  });
});

describe('SMTP authentication and TLS', () => {
  it('logs in with the configured credentials, and rejects the send when they are wrong (535)', async () => {
    const server = await smtpServer({
      authOptional: false,
      allowInsecureAuth: true,
      onAuth(auth, _session, done) {
        if (auth.username === 'relay-user' && auth.password === 'relay-pass') return done(null, { user: auth.username });
        done(reply(535, '5.7.8 Authentication credentials invalid'));
      },
    });
    const good = smtp(server.port, { username: 'relay-user', password: 'relay-pass' });
    const bad = smtp(server.port, { username: 'relay-user', password: 'wrong' });
    const [ok, refused] = [await good.send(outbound()), await bad.send(outbound())];
    await Promise.all([good.close(), bad.close(), server.close()]);
    expect(ok.status).toBe('accepted');
    expect(refused).toMatchObject({ status: 'rejected', error: { kind: 'auth' } });
    expect(server.received).toHaveLength(1);
  });

  it('speaks implicit TLS, verifying the certificate unless told not to', async () => {
    // smtp-server's built-in certificate is self-signed.
    const server = await smtpServer({ secure: true });
    const trusting = smtp(server.port, { tls: 'implicit', rejectUnauthorized: false });
    const verifying = smtp(server.port, { tls: 'implicit' });
    const [ok, untrusted] = [await trusting.send(outbound()), await verifying.send(outbound())];
    await Promise.all([trusting.close(), verifying.close(), server.close()]);
    expect(ok.status).toBe('accepted');
    expect(untrusted).toMatchObject({ status: 'retry', error: { kind: 'connection', providerCode: expect.stringMatching(/CERT/) } });
    expect(untrusted.status === 'retry' && untrusted.error.maybeDelivered).toBeUndefined();
  });

  it('does not send in the clear when STARTTLS is required and the server does not offer it', async () => {
    const server = await smtpServer();
    const strict = smtp(server.port, { tls: 'starttls' });
    const out = await strict.send(outbound());
    await Promise.all([strict.close(), server.close()]);
    expect(out).toMatchObject({ status: 'rejected', error: { kind: 'auth', message: expect.stringContaining('would not start TLS') } });
    expect(server.received).toHaveLength(0);
  });
});

describe('SMTP connection failures', () => {
  it('retries when nothing listens, knowing nothing was sent', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const provider = smtp(port);
    const out = await provider.send(outbound());
    await provider.close();
    expect(out).toMatchObject({ status: 'retry', error: { kind: 'connection', providerCode: 'ECONNREFUSED' } });
    expect(out.status === 'retry' && out.error.maybeDelivered).toBeUndefined();
  });

  it('times out a server that never greets', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const provider = smtp((silent.address() as AddressInfo).port, { timeoutMs: 300 });
    const out = await provider.send(outbound());
    await provider.close();
    silent.close();
    // nodemailer does not say at which stage a socket timed out, so the outcome stays cautious.
    expect(out).toMatchObject({ status: 'retry', error: { kind: 'timeout', maybeDelivered: true } });
  });
});

describe('SMTP and DKIM', () => {
  const key = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKey = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  /** DNS as a receiver would see it: only the selector's TXT record exists. */
  const resolver = async (name: string, type: string) => {
    if (name === 'tid1._domainkey.acme.test' && type === 'TXT') return [[`v=DKIM1; k=rsa; p=${key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`]];
    throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
  };
  const dkim = { domain: 'acme.test', selector: 'tid1', privateKey };
  let server: Awaited<ReturnType<typeof smtpServer>>;

  beforeAll(async () => {
    server = await smtpServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  const verdicts = async (raw: Buffer) => (await dkimVerify(raw, { resolver })).results.map((r) => [r.signingDomain, r.selector, r.status.result]);

  it('signs messages built from fields with the configured key; a receiver verifies it', async () => {
    const signing = smtp(server.port, { dkim });
    expect((await signing.send(outbound())).status).toBe('accepted');
    await signing.close();
    expect(await verdicts(server.received.at(-1)!.raw)).toEqual([['acme.test', 'tid1', 'pass']]);
  });

  it('sends a message we signed ourselves byte for byte, without a second signature, and reports its Message-ID', async () => {
    const raw = await toMime(
      { to: 'ann@example.com', from: { name: 'Acme Coffee', email: 'hello@acme.test' }, replyTo: null, subject: 'Signed upstream', html: '<p>Hi</p>', text: 'Hi', headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } },
      { messageIdDomain: 'acme.test', messageId: 'signed-1', dkim },
    );
    // The transport also has a key: it must still leave a finished message alone.
    const signing = smtp(server.port, { dkim });
    const out = await signing.send(outbound({ raw }));
    await signing.close();
    expect(out).toMatchObject({ status: 'accepted', providerMessageId: 'signed-1@acme.test' });
    const got = server.received.at(-1)!.raw;
    expect(got.toString().replace(/\r\n$/, '')).toBe(raw.toString().replace(/\r\n$/, ''));
    expect(await verdicts(got)).toEqual([['acme.test', 'tid1', 'pass']]);
  });
});
