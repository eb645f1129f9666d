import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';
import { address } from './frame.ts';

/**
 * A small SMTP client on node:net for finished (raw) messages, with a pool of long-lived connections.
 * It exists because nodemailer's send path costs ~0.9 ms of CPU per message (reference/smtp-bench.md);
 * this one does only what sending a finished message needs:
 * - EHLO (HELO when refused), STARTTLS (required or opportunistic) or TLS from the first byte,
 *   AUTH PLAIN or LOGIN;
 * - PIPELINING (RFC 2920) when advertised: MAIL FROM, every RCPT TO and DATA go out in one write,
 *   then the dot-stuffed message and its terminating dot in one more, so a message costs two round
 *   trips; without it each command waits for its reply;
 * - SIZE: a message over the server's advertised limit is refused before it is sent;
 * - RSET after a failed transaction, QUIT on close, Nagle off (`setNoDelay`).
 *
 * Failures are SmtpErrors in nodemailer's vocabulary (`code`, `command`, `responseCode`, `response`,
 * `originalCode`) so the SMTP provider classifies both paths with the same `smtpFailure`: a reply
 * decides by its code, and without one the failed command tells whether the server can have the
 * message (no connection, or still in MAIL/RCPT: it cannot; after DATA: it may).
 */

export interface SmtpClientOptions {
  host: string;
  port: number;
  /** As in the SMTP provider's settings: `none` never upgrades, `opportunistic` upgrades when offered. */
  tls: 'none' | 'starttls' | 'opportunistic' | 'implicit';
  rejectUnauthorized: boolean;
  username?: string;
  password?: string;
  maxConnections: number;
  /** After this many messages a connection says QUIT and a fresh one takes over. */
  maxMessagesPerConnection: number;
  /** Transactions started per second across the pool; unlimited when absent. */
  rateLimitPerSecond?: number;
  /** How long any reply may take, the greeting included. */
  timeoutMs: number;
  /** The EHLO name; this machine's host name when absent. */
  clientName?: string;
}

export interface Envelope {
  /** '' sends the null reverse-path `<>`. */
  from: string;
  to: string[];
}

export interface SmtpSent {
  /** The server's final reply, e.g. "250 2.0.0 Ok: queued as 4F2". */
  response: string;
  accepted: string[];
  /** Recipients refused at RCPT TO while others were accepted. */
  rejected: string[];
}

interface Reply {
  code: number;
  lines: string[];
}

/** Commands named the way nodemailer names them, so `smtpFailure` reads both alike. */
type Stage = 'GREETING' | 'EHLO' | 'HELO' | 'STARTTLS' | 'AUTH PLAIN' | 'AUTH LOGIN' | 'MAIL FROM' | 'RCPT TO' | 'DATA' | 'RSET' | 'QUIT';

export class SmtpError extends Error {
  readonly responseCode?: number;
  readonly response?: string;

  constructor(
    message: string,
    /** ECONNECTION, ETIMEDOUT, ETLS, EAUTH, EENVELOPE, EMESSAGE, EPROTOCOL. */
    readonly code: string,
    /** The command whose reply was awaited when it failed. */
    readonly command: Stage,
    reply?: Reply,
    /** The socket's own error code (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT…). */
    readonly originalCode?: string,
  ) {
    super(reply ? `${message}: ${reply.lines.join(' ')}` : message);
    this.name = 'SmtpError';
    if (reply) {
      this.responseCode = reply.code;
      this.response = reply.lines.join('\n');
    }
  }
}

const CRLF = '\r\n';
const LF = 10;
const DOT = 46;
const DOT_BUF = Buffer.from('.');
const NEWLINE_DOT = Buffer.from('\n.');
const END = Buffer.from('.\r\n');
const CRLF_END = Buffer.from('\r\n.\r\n');

// ---- one connection ------------------------------------------------------------------------

interface Waiter {
  command: Stage;
  resolve: (reply: Reply) => void;
  reject: (err: SmtpError) => void;
}

class Connection {
  private socket: net.Socket;
  private buffer = '';
  private lines: string[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly extensions = new Map<string, string>();
  private handshaking = false;
  /** Why the connection became unusable; every later command fails for the same reason. */
  private broken: Breakage | null = null;
  /** Transactions completed on this connection. */
  sent = 0;
  /** Resolves when the socket is closed, however that happened. */
  readonly closed: Promise<void>;
  private markClosed!: () => void;
  /** Told once, when the connection can no longer be used. */
  onGone: () => void = () => {};

  private constructor(private readonly opts: SmtpClientOptions) {
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
    const servername = net.isIP(opts.host) ? undefined : opts.host;
    this.handshaking = opts.tls === 'implicit';
    this.socket =
      opts.tls === 'implicit'
        ? tls.connect({ host: opts.host, port: opts.port, servername, rejectUnauthorized: opts.rejectUnauthorized }, () => (this.handshaking = false))
        : net.connect({ host: opts.host, port: opts.port });
    this.listen(this.socket);
  }

  /** Connects, reads the greeting, says EHLO, upgrades to TLS and logs in as the options say. */
  static async open(opts: SmtpClientOptions): Promise<Connection> {
    const conn = new Connection(opts);
    try {
      const greeting = await conn.expect('GREETING');
      if (greeting.code !== 220) throw new SmtpError('the server refused the session', 'EPROTOCOL', 'GREETING', greeting);
      await conn.hello();
      if (opts.tls === 'starttls' || (opts.tls === 'opportunistic' && conn.extensions.has('STARTTLS'))) await conn.startTls();
      if (opts.username) await conn.login(opts.username, opts.password ?? '');
      return conn;
    } catch (err) {
      conn.end({ message: (err as Error).message, code: 'ECONNECTION' });
      throw err;
    }
  }

  get usable(): boolean {
    return this.broken === null;
  }

  /** One message: envelope, then the dot-stuffed bytes. Leaves the connection ready for the next. */
  async transaction(envelope: Envelope, raw: Buffer): Promise<SmtpSent> {
    const limit = Number(this.extensions.get('SIZE'));
    if (limit > 0 && raw.length > limit) {
      throw new SmtpError(`the message is ${raw.length} bytes`, 'EMESSAGE', 'MAIL FROM', { code: 552, lines: [`552 5.3.4 Message size exceeds the server's limit of ${limit} bytes`] });
    }
    const { from, to, params } = this.envelopeOf(envelope, raw.length);
    const commands: Array<[string, Stage]> = [[`MAIL FROM:<${from}>${params}`, 'MAIL FROM'], ...to.map((r): [string, Stage] => [`RCPT TO:<${r}>`, 'RCPT TO']), ['DATA', 'DATA']];
    const replies = this.extensions.has('PIPELINING') ? await Promise.all(this.send(commands)) : await this.oneByOne(commands);
    try {
      const accepted = await this.checkEnvelope(commands, replies);
      const final = this.expect('DATA');
      this.writeMessage(raw);
      const reply = await final;
      if (reply.code !== 250) throw new SmtpError('the server did not take the message', 'EMESSAGE', 'DATA', reply);
      this.sent++;
      return { response: reply.lines[reply.lines.length - 1], accepted, rejected: to.filter((r) => !accepted.includes(r)) };
    } catch (err) {
      // A refusal leaves the session mid-transaction; RSET makes it ready for the next message.
      if (this.usable && err instanceof SmtpError && err.responseCode !== undefined) await this.reset();
      throw err;
    }
  }

  /** QUIT, then close; a connection that is already broken just closes. */
  async quit(): Promise<void> {
    if (this.usable) {
      const bye = this.expect('QUIT').catch(() => undefined);
      this.socket.write(`QUIT${CRLF}`);
      await bye;
    }
    this.end({ message: 'the connection was closed', code: 'ECONNECTION' });
    await this.closed;
  }

  /** Idle connections must not keep the process alive; busy ones must. */
  hold(busy: boolean): void {
    if (busy) this.socket.ref();
    else this.socket.unref();
  }

  // ---- session set-up ----

  private async hello(): Promise<void> {
    const name = this.opts.clientName ?? os.hostname();
    const ehlo = await this.command(`EHLO ${name}`, 'EHLO');
    this.extensions.clear();
    if (ehlo.code === 250) {
      for (const line of ehlo.lines.slice(1)) {
        const [keyword, ...rest] = line.slice(4).trim().split(/[ =]/);
        this.extensions.set(keyword.toUpperCase(), rest.join(' '));
      }
      return;
    }
    const helo = await this.command(`HELO ${name}`, 'HELO');
    if (helo.code !== 250) throw new SmtpError('the server refused HELO', 'EPROTOCOL', 'HELO', helo);
  }

  private async startTls(): Promise<void> {
    if (!this.extensions.has('STARTTLS')) {
      throw new SmtpError('the server does not offer STARTTLS', 'ETLS', 'STARTTLS', { code: 250, lines: ['250 STARTTLS is not among the extensions the server offers'] });
    }
    const reply = await this.command('STARTTLS', 'STARTTLS');
    if (reply.code !== 220) throw new SmtpError('the server refused STARTTLS', 'ETLS', 'STARTTLS', reply);
    const plain = this.socket;
    plain.removeAllListeners();
    this.handshaking = true;
    const servername = net.isIP(this.opts.host) ? undefined : this.opts.host;
    this.socket = tls.connect({ socket: plain, servername, rejectUnauthorized: this.opts.rejectUnauthorized });
    this.listen(this.socket);
    await new Promise<void>((resolve, reject) => {
      this.socket.once('secureConnect', () => {
        this.handshaking = false;
        resolve();
      });
      this.closed.then(() => reject(this.errorAt('STARTTLS')));
    });
    await this.hello();
  }

  private async login(user: string, pass: string): Promise<void> {
    const mechanisms = (this.extensions.get('AUTH') ?? '').toUpperCase().split(/\s+/);
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
    if (mechanisms.includes('PLAIN')) {
      const reply = await this.command(`AUTH PLAIN ${b64(`\0${user}\0${pass}`)}`, 'AUTH PLAIN');
      if (reply.code !== 235) throw new SmtpError('the server refused the credentials', 'EAUTH', 'AUTH PLAIN', reply);
      return;
    }
    if (mechanisms.includes('LOGIN')) {
      for (const [line, expected] of [['AUTH LOGIN', 334], [b64(user), 334], [b64(pass), 235]] as const) {
        const reply = await this.command(line, 'AUTH LOGIN');
        if (reply.code !== expected) throw new SmtpError('the server refused the credentials', 'EAUTH', 'AUTH LOGIN', reply);
      }
      return;
    }
    throw new SmtpError('the server offers neither AUTH PLAIN nor AUTH LOGIN', 'EAUTH', 'AUTH PLAIN');
  }

  // ---- transaction pieces ----

  private envelopeOf(envelope: Envelope, size: number): { from: string; to: string[]; params: string } {
    const from = envelope.from ? address(envelope.from) : '';
    const to = envelope.to.map(address);
    for (const a of [from, ...to]) {
      // Anything that could end the command line or the path would let an address inject commands.
      if (/[\s<>]/.test(a)) throw new SmtpError(`${JSON.stringify(a)} is not an address SMTP can carry`, 'EENVELOPE', 'MAIL FROM');
    }
    if (to.length === 0) throw new SmtpError('the message has no recipient', 'EENVELOPE', 'RCPT TO');
    let params = this.extensions.has('SIZE') ? ` SIZE=${size}` : '';
    if ([from, ...to].some((a) => /[^\x00-\x7f]/.test(a))) {
      if (!this.extensions.has('SMTPUTF8')) throw new SmtpError('the server does not take internationalised addresses (SMTPUTF8)', 'EENVELOPE', 'MAIL FROM');
      params += ' SMTPUTF8';
    }
    return { from, to, params };
  }

  /** Without PIPELINING: each command waits for its reply; a refused sender, or no recipient taken, ends it early. */
  private async oneByOne(commands: Array<[string, Stage]>): Promise<Reply[]> {
    const replies: Reply[] = [];
    for (const [line, stage] of commands) {
      if (stage !== 'MAIL FROM' && replies[0].code !== 250) break;
      if (stage === 'DATA' && !replies.slice(1).some(accepting)) break;
      replies.push(await this.command(line, stage));
    }
    return replies;
  }

  /** The recipients the server took, once it is ready for the message; throws for a refused envelope. */
  private async checkEnvelope(commands: Array<[string, Stage]>, replies: Reply[]): Promise<string[]> {
    const [mail, ...rest] = replies;
    const rcpts = rest.slice(0, commands.length - 2);
    const data: Reply | undefined = rest[commands.length - 2];
    const accepted = commands.slice(1, -1).flatMap(([line], i) => (rcpts[i] && accepting(rcpts[i]) ? [line.slice(9, -1)] : []));
    if (data?.code === 354 && (mail.code !== 250 || accepted.length === 0)) {
      // Some servers answer DATA with 354 even when MAIL or every RCPT failed: an empty message ends it.
      const done = this.expect('DATA');
      this.socket.write(`.${CRLF}`);
      await done;
    }
    if (mail.code !== 250) throw new SmtpError('the server refused the sender', 'EENVELOPE', 'MAIL FROM', mail);
    if (accepted.length === 0) throw new SmtpError('the server refused every recipient', 'EENVELOPE', 'RCPT TO', rcpts.find((r) => !accepting(r)));
    if (data!.code !== 354) throw new SmtpError('the server refused DATA', 'EMESSAGE', 'DATA', data);
    return accepted;
  }

  /** The message with every line that starts with "." doubled (RFC 5321 §4.5.2), then the final dot, in one write. */
  private writeMessage(raw: Buffer): void {
    const s = this.socket;
    s.cork();
    if (raw[0] === DOT) s.write(DOT_BUF);
    let from = 0;
    for (let i = raw.indexOf(NEWLINE_DOT); i !== -1; i = raw.indexOf(NEWLINE_DOT, i + 1)) {
      s.write(raw.subarray(from, i + 1));
      s.write(DOT_BUF);
      from = i + 1;
    }
    s.write(from === 0 ? raw : raw.subarray(from));
    s.write(raw[raw.length - 1] === LF ? END : CRLF_END);
    s.uncork();
  }

  private async reset(): Promise<void> {
    try {
      const reply = await this.command('RSET', 'RSET');
      if (reply.code !== 250) this.end({ message: 'the server refused RSET', code: 'EPROTOCOL', reply });
    } catch {
      // The connection is gone already; the pool replaces it.
    }
  }

  // ---- replies ----

  private command(line: string, stage: Stage): Promise<Reply> {
    return this.send([[line, stage]])[0];
  }

  /** Writes the commands in one go; one promise per command, for its reply. */
  private send(commands: Array<[string, Stage]>): Array<Promise<Reply>> {
    const replies = commands.map(([, stage]) => this.expect(stage));
    if (this.usable) this.socket.write(commands.map(([line]) => line + CRLF).join(''));
    return replies;
  }

  private expect(command: Stage): Promise<Reply> {
    if (this.broken) return Promise.reject(this.errorAt(command));
    return new Promise((resolve, reject) => this.waiters.push({ command, resolve, reject }));
  }

  private listen(socket: net.Socket): void {
    socket.setNoDelay(true);
    socket.setTimeout(this.opts.timeoutMs);
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    // The timer runs all the time (refreshed by traffic); only a wait for a reply can time out.
    socket.on('timeout', () => {
      if (this.waiters.length) this.end({ message: `no reply within ${this.opts.timeoutMs} ms`, code: 'ETIMEDOUT' });
    });
    socket.on('error', (err: NodeJS.ErrnoException) => this.end({ message: err.message, code: this.handshaking ? 'ETLS' : 'ECONNECTION', originalCode: err.code }));
    socket.on('close', () => {
      this.end({ message: 'the server closed the connection', code: 'ECONNECTION' });
      this.markClosed();
    });
  }

  private read(chunk: Buffer): void {
    this.buffer += chunk.toString('latin1');
    for (let nl = this.buffer.indexOf('\n'); nl !== -1; nl = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, this.buffer[nl - 1] === '\r' ? nl - 1 : nl);
      this.buffer = this.buffer.slice(nl + 1);
      this.lines.push(line);
      // "250-…" continues a multi-line reply; "250 …" (or a bare "250") ends it.
      if (line[3] === '-') continue;
      const reply = { code: Number(line.slice(0, 3)), lines: this.lines };
      this.lines = [];
      const waiter = this.waiters.shift();
      if (!waiter || !(reply.code >= 200 && reply.code < 600)) {
        if (waiter) this.waiters.unshift(waiter);
        // An unsolicited reply is usually "421 closing": the connection is over either way.
        this.end({ message: 'unexpected reply from the server', code: 'EPROTOCOL', reply });
        return;
      }
      waiter.resolve(reply);
    }
  }

  /** The first breakage wins: every waiting command fails with it, each at its own stage, and the socket goes. */
  private end(breakage: Breakage): void {
    if (this.broken) return;
    this.broken = breakage;
    for (const w of this.waiters.splice(0)) w.reject(this.errorAt(w.command));
    this.socket.destroy();
    this.onGone();
  }

  private errorAt(command: Stage): SmtpError {
    const b = this.broken!;
    return new SmtpError(b.message, b.code, command, b.reply, b.originalCode);
  }
}

interface Breakage {
  message: string;
  code: string;
  originalCode?: string;
  reply?: Reply;
}

const accepting = (r: Reply) => r.code === 250 || r.code === 251;

// ---- the pool ---------------------------------------------------------------------------

interface Queued {
  envelope: Envelope;
  raw: Buffer;
  resolve: (sent: SmtpSent) => void;
  reject: (err: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * Up to `maxConnections` connections, opened as the queue needs them; each carries one transaction
 * at a time. A message waits in the queue until a connection is free.
 */
export class PipelinedSmtpClient {
  private readonly queue: Queued[] = [];
  private readonly idle: Connection[] = [];
  private readonly connections = new Set<Connection>();
  private readonly opening = new Set<Promise<unknown>>();
  private closed = false;
  private nextStartAt = 0;
  private rateTimer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: SmtpClientOptions) {}

  /** Resolves when the server accepted the message; rejects with an SmtpError (or the signal's reason) otherwise. */
  send(envelope: Envelope, raw: Buffer, signal?: AbortSignal): Promise<SmtpSent> {
    if (this.closed) return Promise.reject(new Error('the SMTP client is closed'));
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<SmtpSent>((resolve, reject) => {
      const item: Queued = { envelope, raw, resolve, reject, signal };
      if (signal) {
        // Only a message still waiting can be withdrawn; one on the wire finishes.
        item.onAbort = () => {
          const i = this.queue.indexOf(item);
          if (i >= 0) this.queue.splice(i, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', item.onAbort, { once: true });
      }
      this.queue.push(item);
      this.pump();
    });
  }

  /** Fails what still waits, lets transactions on the wire finish, then QUITs every connection. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.rateTimer) clearTimeout(this.rateTimer);
    for (const item of this.queue.splice(0)) this.settle(item, new Error('the SMTP client was closed'));
    await Promise.allSettled([...this.opening]);
    for (const conn of this.idle.splice(0)) void conn.quit();
    await Promise.all([...this.connections].map((c) => c.closed));
  }

  private pump(): void {
    while (this.queue.length && this.idle.length) {
      if (!this.startAllowed()) return;
      this.run(this.idle.pop()!, this.queue.shift()!);
    }
    const wanted = Math.min(this.opts.maxConnections - this.connections.size - this.opening.size, this.queue.length - this.opening.size);
    for (let i = 0; i < wanted; i++) this.open();
  }

  /** The rate limit, when set: transactions start at least 1/rate seconds apart. */
  private startAllowed(): boolean {
    if (!this.opts.rateLimitPerSecond) return true;
    const now = Date.now();
    if (now < this.nextStartAt) {
      this.rateTimer ??= setTimeout(() => {
        this.rateTimer = null;
        this.pump();
      }, this.nextStartAt - now);
      return false;
    }
    this.nextStartAt = Math.max(now, this.nextStartAt) + 1000 / this.opts.rateLimitPerSecond;
    return true;
  }

  private open(): void {
    const attempt = Connection.open(this.opts).then(
      (conn) => {
        this.opening.delete(attempt);
        this.connections.add(conn);
        conn.onGone = () => this.forget(conn);
        if (this.closed) return void conn.quit();
        conn.hold(false);
        this.idle.push(conn);
        this.pump();
      },
      (err: SmtpError) => {
        this.opening.delete(attempt);
        // With no connection left to carry them, the waiting messages fail now (and are retried by
        // the outbox) rather than wait on a server that cannot be reached.
        if (this.connections.size === 0 && this.opening.size === 0) for (const item of this.queue.splice(0)) this.settle(item, err);
      },
    );
    this.opening.add(attempt);
  }

  private run(conn: Connection, item: Queued): void {
    if (item.onAbort) item.signal!.removeEventListener('abort', item.onAbort);
    conn.hold(true);
    conn.transaction(item.envelope, item.raw).then(
      (sent) => this.settle(item, null, sent),
      (err: Error) => this.settle(item, err),
    ).finally(() => {
      if (!conn.usable) return this.pump();
      if (this.closed || conn.sent >= this.opts.maxMessagesPerConnection) {
        void conn.quit();
      } else {
        conn.hold(false);
        this.idle.push(conn);
      }
      this.pump();
    });
  }

  private forget(conn: Connection): void {
    this.connections.delete(conn);
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
    // A dropped connection may leave messages waiting that need a new one.
    if (!this.closed) queueMicrotask(() => this.pump());
  }

  private settle(item: Queued, err: Error | null, sent?: SmtpSent): void {
    if (item.onAbort) item.signal!.removeEventListener('abort', item.onAbort);
    if (err) item.reject(err);
    else item.resolve(sent!);
  }
}
