import type { AddressInfo } from 'node:net';
import type { AddressObject, ParsedMail } from 'mailparser';
import { parseMail } from '../../shared/mail-parser.ts';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { z } from 'zod';
import type { Clock } from '../../shared/clock.ts';
import type { ProviderDeps } from './model.ts';
import { SmtpProvider, SmtpSettings } from './smtp.ts';

/**
 * The built-in capture inbox (S9.1), the default in the embedded setup: a real SMTP server on
 * loopback that keeps every message instead of delivering it, and a `capture` provider that sends
 * there through the same pooled SMTP code as any relay, so a campaign exercises a real SMTP hop.
 * Where messages are kept is the `CaptureStore`'s business (a database table, wired by the app).
 */

export interface CapturedMessage {
  /** What the sender said in MAIL FROM / RCPT TO, which can differ from the headers. */
  envelope: { from: string; to: string[] };
  /** The From header as written, e.g. `"Acme" <hello@acme.test>`. */
  from: string;
  to: string[];
  subject: string;
  /** Without angle brackets, like providerMessageId. */
  messageId: string | null;
  html: string | null;
  text: string | null;
  /** Every header line in order, unfolded; repeated names repeat. */
  headers: Array<{ name: string; value: string }>;
  raw: Buffer;
  receivedAt: Date;
}

export interface CaptureStore {
  save(msg: CapturedMessage): Promise<void>;
}

export const CAPTURE_DEFAULT_MAX_BYTES = 25 * 1024 * 1024;

export interface CaptureInboxOptions {
  /** 0 picks a free port; read it from `start()`. */
  port: number;
  maxMessageBytes?: number;
}

export class CaptureInbox {
  private server: SMTPServer | null = null;
  private boundPort: number | null = null;
  private readonly maxBytes: number;

  constructor(
    private readonly opts: CaptureInboxOptions,
    private readonly store: CaptureStore,
    private readonly clock: Clock,
  ) {
    this.maxBytes = opts.maxMessageBytes ?? CAPTURE_DEFAULT_MAX_BYTES;
  }

  /** Listens on 127.0.0.1 only: a capture inbox must never become a relay others can reach. */
  async start(): Promise<number> {
    if (this.boundPort !== null) return this.boundPort;
    const server = new SMTPServer({
      name: 'tidings-capture',
      banner: 'Tidings capture inbox: messages are kept, never delivered',
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      size: this.maxBytes,
      logger: false,
      onData: (stream, session, done) => this.receive(stream, session, done),
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, '127.0.0.1', () => {
        server.off('error', reject);
        // Once listening, errors are single connections failing (a client hanging up mid-command);
        // the session is already over and the inbox keeps serving everyone else.
        server.on('error', () => {});
        resolve();
      });
    });
    this.server = server;
    this.boundPort = (server.server.address() as AddressInfo).port;
    return this.boundPort;
  }

  get port(): number {
    if (this.boundPort === null) throw new Error('the capture inbox is not started');
    return this.boundPort;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.boundPort = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private receive(stream: SMTPServerDataStream, session: SMTPServerSession, done: (err?: Error | null) => void): void {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      if (stream.sizeExceeded) return done(smtpReply(552, `5.3.4 Message exceeds the capture inbox limit of ${this.maxBytes} bytes`));
      const raw = Buffer.concat(chunks);
      const envelope = {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        to: session.envelope.rcptTo.map((r) => r.address),
      };
      parseMail(raw, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true })
        .then((parsed) => this.store.save(captured(parsed, envelope, raw, this.clock.now())))
        // 451 asks the sender to try again: a message the store could not keep is not lost.
        .then(
          () => done(),
          (err: Error) => done(smtpReply(451, `4.3.0 The capture inbox could not keep the message: ${err.message}`)),
        );
    });
  }
}

function captured(parsed: ParsedMail, envelope: CapturedMessage['envelope'], raw: Buffer, receivedAt: Date): CapturedMessage {
  return {
    envelope,
    from: parsed.from?.text ?? '',
    to: addresses(parsed.to),
    subject: parsed.subject ?? '',
    messageId: parsed.messageId?.replace(/^<|>$/g, '') ?? null,
    html: typeof parsed.html === 'string' ? parsed.html : null,
    text: parsed.text ?? null,
    headers: parsed.headerLines.map(({ line }) => {
      const colon = line.indexOf(':');
      return { name: line.slice(0, colon).trim(), value: line.slice(colon + 1).replace(/\r?\n[ \t]+/g, ' ').trim() };
    }),
    raw,
    receivedAt,
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  if (!field) return [];
  return (Array.isArray(field) ? field : [field]).flatMap((f) => f.value.map((a) => a.address ?? '')).filter(Boolean);
}

function smtpReply(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** Settings of the `capture` provider: where the running inbox listens. */
export const CaptureSettings = z.strictObject({
  kind: z.literal('capture'),
  port: z.number().int().min(1).max(65535),
  maxMessageBytes: z.number().int().min(1024).default(CAPTURE_DEFAULT_MAX_BYTES),
});
export type CaptureSettings = z.infer<typeof CaptureSettings>;

/** The provider that hands messages to the capture inbox over loopback SMTP. */
export function captureProvider(settings: CaptureSettings, deps: ProviderDeps): SmtpProvider {
  // Loopback without TLS; two connections keep the inbox's parser busy without queueing behind each other.
  const smtp = SmtpSettings.parse({ kind: 'smtp', host: '127.0.0.1', port: settings.port, tls: 'none', maxConnections: 2, maxMessageBytes: settings.maxMessageBytes });
  return new SmtpProvider(smtp, deps, 'capture');
}
