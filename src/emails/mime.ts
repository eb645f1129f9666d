import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import DKIM from 'nodemailer/lib/dkim';
import type { RenderedMessage } from './model.ts';

export interface MimeOptions {
  /** Right-hand side of the Message-ID, normally the sending domain. */
  messageIdDomain: string;
  /** Left-hand side of the Message-ID; random when not given. */
  messageId?: string;
  date?: Date;
  dkim?: { domain: string; selector: string; privateKey: string } | null;
}

/**
 * Nodemailer's DKIM defaults (RFC 4871 list) already cover From, Subject, Date, Message-ID, To,
 * List-Unsubscribe and List-Unsubscribe-Post; we name them anyway so the signature's coverage is a
 * decision made here, not a library default that could change.
 */
const SIGNED_HEADERS = ['From', 'Sender', 'Reply-To', 'Subject', 'Date', 'Message-ID', 'To', 'MIME-Version', 'Content-Type', 'List-Unsubscribe', 'List-Unsubscribe-Post', 'Feedback-ID'].join(':');

/** One rendered message as an RFC 5322 message: multipart/alternative (text, HTML), UTF-8, DKIM-signed when a key is given. */
export async function toMime(msg: RenderedMessage, opts: MimeOptions): Promise<Buffer> {
  const id = opts.messageId ?? crypto.randomUUID();
  const composer = new MailComposer({
    from: { name: msg.from.name, address: msg.from.email },
    to: msg.to,
    replyTo: msg.replyTo ?? undefined,
    subject: msg.subject,
    date: opts.date ?? new Date(),
    messageId: `<${id}@${opts.messageIdDomain}>`,
    text: msg.text,
    html: msg.html,
    headers: msg.headers,
    // The content is always given inline; never let a value make the composer read a file or URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    newline: 'windows',
    // Decided once here: left to itself the composer rescans the whole body for every header and
    // part to choose, and draws fresh random bytes for every multipart boundary.
    textEncoding: mostlyAscii(msg.text) ? 'Q' : 'B',
    baseBoundary: crypto.createHash('sha256').update(id).digest('hex').slice(0, 24),
  });
  const raw = await composer.compile().build();
  if (!opts.dkim) return raw;
  const signer = new DKIM({
    domainName: opts.dkim.domain,
    keySelector: opts.dkim.selector,
    privateKey: opts.dkim.privateKey,
    headerFieldNames: SIGNED_HEADERS,
  });
  return collect(signer.sign(raw));
}

/** Quoted-printable suits mostly-Latin text; base64 is smaller for scripts that are mostly non-ASCII. */
function mostlyAscii(text: string): boolean {
  let other = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) other++;
  return other * 3 < text.length;
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
