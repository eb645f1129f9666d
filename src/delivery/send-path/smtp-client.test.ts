import net, { type AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock.ts';
import { outbound } from '../providers/testing.ts';
import { SmtpProvider, SmtpSettings } from '../providers/smtp.ts';
import { PipelinedSmtpClient, type SmtpClientOptions } from './smtp-client.ts';

interface Received {
  to: string[];
  raw: Buffer;
  secure: boolean;
}

const reply = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

/**
 * A real SMTP server on loopback (smtp-server). Recipients' local parts script its answers:
 * `later@` greylisted at RCPT (451), `nobody@` unknown (550), `big@` too large at the end of DATA
 * (552), `drop@` hangs up in the middle of DATA, `stall@` never answers the end of DATA.
 * It also records what came over the wire, chunk by chunk, for plain (non-TLS) sessions.
 */
async function smtpServer(options: Partial<SMTPServerOptions> = {}) {
  const received: Received[] = [];
  const wire: string[] = [];
  const sockets = new Map<number, net.Socket>();
  let open = 0;
  let sessions = 0;
  let mostOpenAtOnce = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, done) {
      sessions++;
      mostOpenAtOnce = Math.max(mostOpenAtOnce, ++open);
      done();
    },
    onClose() {
      open--;
    },
    onRcptTo(address, _session, done) {
      const local = address.address.split('@')[0];
      if (local === 'later') return done(reply(451, '4.7.1 Greylisted, try again later'));
      if (local === 'nobody') return done(reply(550, '5.1.1 No such user here'));
      done();
    },
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      const locals = session.envelope.rcptTo.map((r) => r.address.split('@')[0]);
      stream.on('data', (c: Buffer) => {
        chunks.push(c);
        if (locals.includes('drop')) sockets.get(session.remotePort)?.destroy();
      });
      stream.on('end', () => {
        if (locals.includes('stall')) return;
        if (locals.includes('big')) return done(reply(552, '5.3.4 Message size exceeds fixed limit'));
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks), secure: session.secure });
        done(null, 'Ok: queued as Q1');
      });
    },
    ...options,
  });
  server.server.on('connection', (socket: net.Socket) => {
    sockets.set(socket.remotePort!, socket);
    socket.on('data', (c: Buffer) => wire.push(c.toString('latin1')));
  });
  // Clients that hang up on purpose (TLS refusals, dropped connections) are expected here.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    wire,
    sessions: () => sessions,
    mostOpenAtOnce: () => mostOpenAtOnce,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Server = Awaited<ReturnType<typeof smtpServer>>;

const options = (port: number, extra: Partial<SmtpClientOptions> = {}): SmtpClientOptions => ({
  host: '127.0.0.1',
  port,
  tls: 'none',
  rejectUnauthorized: true,
  maxConnections: 1,
  maxMessagesPerConnection: 100,
  timeoutMs: 2000,
  clientName: 'tidings.test',
  ...extra,
});

const clock = new ManualClock('2026-03-01T12:00:00Z');
/** The SMTP provider, which sends raw messages through the pipelined client. */
const provider = (port: number, extra: Record<string, unknown> = {}) => new SmtpProvider(SmtpSettings.parse({ kind: 'smtp', host: '127.0.0.1', port, tls: 'none', ...extra }), { clock });

const message = (body: string, messageId = 'm1@acme.test') =>
  Buffer.from(`From: news@acme.test\r\nTo: ann@example.com\r\nSubject: Test\r\nMessage-ID: <${messageId}>\r\nContent-Type: text/plain\r\n\r\n${body}`, 'latin1');
const raw = (to: string, extra: Record<string, unknown> = {}) => outbound({ to: [{ email: to }], raw: message('Hello.\r\n'), ...extra });

describe('pipelined SMTP client', () => {
  let server: Server;

  beforeAll(async () => {
    server = await smtpServer();
  });
  beforeEach(() => {
    server.received.length = 0;
    server.wire.length = 0;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('sends MAIL FROM, RCPT TO and DATA in one write when the server offers PIPELINING', async () => {
    const client = new PipelinedSmtpClient(options(server.port));
    const sent = await client.send({ from: 'news@acme.test', to: ['ann@example.com', 'bob@example.com'] }, message('Hi.\r\n'));
    await client.close();
    expect(sent).toEqual({ response: '250 Ok: queued as Q1', accepted: ['ann@example.com', 'bob@example.com'], rejected: [] });
    expect(server.wire).toContain('MAIL FROM:<news@acme.test>\r\nRCPT TO:<ann@example.com>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\n');
    expect(server.wire.at(-1)).toBe('QUIT\r\n');
  });

  it('waits for each reply when the server does not offer PIPELINING', async () => {
    const plain = await smtpServer({ hidePIPELINING: true });
    const client = new PipelinedSmtpClient(options(plain.port));
    await client.send({ from: 'news@acme.test', to: ['ann@example.com'] }, message('Hi.\r\n'));
    await client.close();
    await plain.close();
    expect(plain.received).toHaveLength(1);
    expect(plain.wire).toEqual(expect.arrayContaining(['MAIL FROM:<news@acme.test>\r\n', 'RCPT TO:<ann@example.com>\r\n', 'DATA\r\n']));
  });

  it('dot-stuffs lines that start with "." so the server receives the message byte for byte', async () => {
    const body = '.starts the message\r\nmiddle\r\n.\r\n..two dots\r\n.\r\nlast line, no line break';
    const bytes = Buffer.concat([Buffer.from('.'), message(body)]);
    const client = new PipelinedSmtpClient(options(server.port));
    await client.send({ from: 'news@acme.test', to: ['ann@example.com'] }, bytes);
    await client.close();
    expect(server.received[0].raw.toString('latin1').replace(/\r\n$/, '')).toBe(bytes.toString('latin1'));
    expect(server.wire.join('')).toContain('\r\n..\r\n...two dots\r\n');
  });

  it('sends to the recipients the server takes and reports the ones it refused', async () => {
    const client = new PipelinedSmtpClient(options(server.port));
    const sent = await client.send({ from: 'news@acme.test', to: ['ann@example.com', 'nobody@example.com'] }, message('Hi.\r\n'));
    await client.close();
    expect(sent).toMatchObject({ accepted: ['ann@example.com'], rejected: ['nobody@example.com'] });
    expect(server.received.map((r) => r.to)).toEqual([['ann@example.com']]);
  });

  it('keeps at most maxConnections open, queueing the rest', async () => {
    const own = await smtpServer();
    const client = new PipelinedSmtpClient(options(own.port, { maxConnections: 2 }));
    await Promise.all(Array.from({ length: 8 }, (_, i) => client.send({ from: 'news@acme.test', to: [`r${i}@example.com`] }, message(`Message ${i}\r\n`))));
    await client.close();
    await own.close();
    expect(own.received).toHaveLength(8);
    expect(own.mostOpenAtOnce()).toBe(2);
  });

  it('opens a fresh connection after maxMessagesPerConnection messages', async () => {
    const own = await smtpServer();
    const client = new PipelinedSmtpClient(options(own.port, { maxMessagesPerConnection: 2 }));
    for (let i = 0; i < 5; i++) await client.send({ from: 'news@acme.test', to: ['ann@example.com'] }, message(`Message ${i}\r\n`));
    await client.close();
    await own.close();
    expect([own.received.length, own.sessions()]).toEqual([5, 3]);
  });

  it('withdraws a message still waiting for a connection when its signal aborts', async () => {
    const client = new PipelinedSmtpClient(options(server.port, { timeoutMs: 400 }));
    const stalled = client.send({ from: 'news@acme.test', to: ['stall@example.com'] }, message('Hi.\r\n'));
    const controller = new AbortController();
    const waiting = client.send({ from: 'news@acme.test', to: ['ann@example.com'] }, message('Hi.\r\n'), controller.signal);
    controller.abort(new Error('shutting down'));
    await expect(waiting).rejects.toThrow('shutting down');
    await expect(stalled).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    await client.close();
    expect(server.received).toHaveLength(0);
  });

  it('refuses an address that could smuggle commands', async () => {
    const client = new PipelinedSmtpClient(options(server.port));
    await expect(client.send({ from: 'news@acme.test', to: ['ann@example.com>\r\nRCPT TO:<x@evil.test'] }, message('Hi.\r\n'))).rejects.toMatchObject({ code: 'EENVELOPE' });
    await client.close();
  });
});

describe('SMTP provider outcomes for raw messages (pipelined client)', () => {
  let server: Server;

  beforeAll(async () => {
    server = await smtpServer();
  });
  beforeEach(() => {
    server.received.length = 0;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('accepts with the Message-ID in the bytes', async () => {
    const smtp = provider(server.port);
    const out = await smtp.send(raw('ann@example.com'));
    await smtp.close();
    expect(out).toEqual({ status: 'accepted', providerMessageId: 'm1@acme.test', acceptedAt: clock.now() });
  });

  it('retries a 451, rejects a 550 and a 552, and resets the session so the same connection sends the next message', async () => {
    const own = await smtpServer();
    const smtp = provider(own.port, { maxConnections: 1 });
    const later = await smtp.send(raw('later@example.com'));
    const nobody = await smtp.send(raw('nobody@example.com'));
    const big = await smtp.send(raw('big@example.com'));
    const fine = await smtp.send(raw('ann@example.com'));
    await smtp.close();
    await own.close();
    expect(later).toMatchObject({ status: 'retry', error: { kind: 'transient', providerCode: '4.7.1', message: expect.stringContaining('Greylisted') } });
    expect(nobody).toMatchObject({ status: 'rejected', error: { kind: 'validation', providerCode: '5.1.1' } });
    expect(big).toMatchObject({ status: 'rejected', error: { kind: 'payload_too_large', providerCode: '5.3.4' } });
    expect(fine.status).toBe('accepted');
    expect([own.received.length, own.sessions()]).toEqual([1, 1]);
  });

  it('retries a message whose connection dropped in the middle of DATA, flagged as possibly delivered, and sends on over a new connection', async () => {
    const smtp = provider(server.port, { maxConnections: 1 });
    const dropped = await smtp.send(outbound({ to: [{ email: 'drop@example.com' }], raw: message('x'.repeat(200_000)) }));
    const next = await smtp.send(raw('ann@example.com'));
    await smtp.close();
    expect(dropped).toMatchObject({ status: 'retry', error: { kind: 'connection', maybeDelivered: true } });
    expect(next.status).toBe('accepted');
  });

  it('flags a message whose final reply never came as possibly delivered', async () => {
    const smtp = provider(server.port, { timeoutMs: 300 });
    const out = await smtp.send(raw('stall@example.com'));
    await smtp.close();
    expect(out).toMatchObject({ status: 'retry', error: { kind: 'timeout', maybeDelivered: true } });
  });

  it('retries without doubt when nothing listens, or the server never greets', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const refused = provider(closedPort);
    const mute = provider((silent.address() as AddressInfo).port, { timeoutMs: 300 });
    const [a, b] = [await refused.send(raw('ann@example.com')), await mute.send(raw('ann@example.com'))];
    await Promise.all([refused.close(), mute.close()]);
    silent.close();
    expect(a).toMatchObject({ status: 'retry', error: { kind: 'connection', providerCode: 'ECONNREFUSED' } });
    expect(b).toMatchObject({ status: 'retry', error: { kind: 'timeout' } });
    expect([a, b].map((o) => o.status === 'retry' && o.error.maybeDelivered)).toEqual([undefined, undefined]);
  });

  it('refuses a message over the size the server advertises, before sending it', async () => {
    const small = await smtpServer({ size: 1024 });
    const smtp = provider(small.port);
    const out = await smtp.send(outbound({ raw: message('x'.repeat(4096)) }));
    await smtp.close();
    await small.close();
    expect(out).toMatchObject({ status: 'rejected', error: { kind: 'payload_too_large', providerCode: '5.3.4' } });
    expect(small.received).toHaveLength(0);
  });
});

describe('pipelined SMTP client: authentication and TLS', () => {
  const login = (methods: string[]) =>
    smtpServer({
      authOptional: false,
      allowInsecureAuth: true,
      authMethods: methods,
      onAuth(auth, _session, done) {
        if (auth.username === 'relay-user' && auth.password === 'relay-pass') return done(null, { user: auth.username });
        done(reply(535, '5.7.8 Authentication credentials invalid'));
      },
    });

  it.each([['PLAIN'], ['LOGIN']])('logs in with AUTH %s, and rejects the send when the password is wrong', async (method) => {
    const server = await login([method]);
    const good = provider(server.port, { username: 'relay-user', password: 'relay-pass' });
    const bad = provider(server.port, { username: 'relay-user', password: 'wrong' });
    const [ok, refused] = [await good.send(raw('ann@example.com')), await bad.send(raw('ann@example.com'))];
    await Promise.all([good.close(), bad.close()]);
    await server.close();
    expect(ok.status).toBe('accepted');
    expect(refused).toMatchObject({ status: 'rejected', error: { kind: 'auth', providerCode: '5.7.8' } });
    expect(server.received).toHaveLength(1);
  });

  it('upgrades with STARTTLS, verifying the certificate unless told not to', async () => {
    // smtp-server's built-in certificate is self-signed.
    const server = await smtpServer({ disabledCommands: [] });
    const trusting = provider(server.port, { tls: 'starttls', rejectUnauthorized: false });
    const verifying = provider(server.port, { tls: 'starttls' });
    const [ok, untrusted] = [await trusting.send(raw('ann@example.com')), await verifying.send(raw('ann@example.com'))];
    await Promise.all([trusting.close(), verifying.close()]);
    await server.close();
    expect(ok.status).toBe('accepted');
    expect(server.received.map((r) => r.secure)).toEqual([true]);
    expect(untrusted).toMatchObject({ status: 'retry', error: { kind: 'connection', providerCode: expect.stringMatching(/CERT/) } });
  });

  it('does not send in the clear when STARTTLS is required and not offered', async () => {
    const server = await smtpServer();
    const strict = provider(server.port, { tls: 'starttls' });
    const out = await strict.send(raw('ann@example.com'));
    await strict.close();
    await server.close();
    expect(out).toMatchObject({ status: 'rejected', error: { kind: 'auth', message: expect.stringContaining('would not start TLS') } });
    expect(server.received).toHaveLength(0);
  });

  it('speaks TLS from the first byte', async () => {
    const server = await smtpServer({ secure: true });
    const smtp = provider(server.port, { tls: 'implicit', rejectUnauthorized: false });
    const out = await smtp.send(raw('ann@example.com'));
    await smtp.close();
    await server.close();
    expect(out.status).toBe('accepted');
    expect(server.received.map((r) => r.secure)).toEqual([true]);
  });
});
