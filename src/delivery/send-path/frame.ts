import crypto from 'node:crypto';
import { domainToASCII } from 'node:url';
import type { CompiledEmail, RenderedMessage } from '../../emails/model.ts';

/**
 * RFC 5322 / MIME framing of one rendered message, without nodemailer (whose per-message MIME
 * build costs 0.7–1.6 ms; see reference/smtp-bench.md).
 *
 * Everything that is the same for every recipient of one compiled email is decided once in
 * {@link frameTemplate}: the From and Reply-To fields, the MIME skeleton and its boundary, and the
 * transfer encoding of each part. Per recipient only the personal fields (To, Subject, Message-ID,
 * Date, the render's List-Unsubscribe and friends) are encoded, and the two bodies.
 *
 * The body is written so that DKIM's relaxed body canonicalisation leaves it unchanged: quoted-
 * printable output never has a tab, two spaces in a row or a space before a line end (such a space is
 * written as =20, which decodes to the same text), and base64 has no spaces at all. The signer can
 * then hash the bytes as they are, with no second pass over 40 KB.

 */

export interface HeaderField {
  /** As written, e.g. `Subject`. */
  name: string;
  /** The whole field as it goes on the wire, folded with CRLF + space where long, without its final CRLF. */
  line: string;
}

export interface FramedMessage {
  headers: HeaderField[];
  /** Everything after the blank line; CRLF line ends; every line already in relaxed canonical form. */
  body: Buffer;
}

/** The per-compiled-email half of the work. */
export interface FrameTemplate {
  readonly from: HeaderField;
  readonly replyTo: HeaderField | null;
  readonly mimeVersion: HeaderField;
  /** multipart/alternative with the boundary; or, when the text rendered empty, a single text/html part. */
  readonly contentType: { multipart: HeaderField; html: HeaderField };
  readonly textEncoding: TransferEncoding;
  readonly htmlEncoding: TransferEncoding;
  /** Static body pieces: before the text part, between text and HTML, after the HTML. */
  readonly parts: { open: Buffer; middle: Buffer; close: Buffer };
  readonly messageIdDomain: string;
}

export type TransferEncoding = 'quoted-printable' | 'base64';

export interface FrameIds {
  /** Left-hand side of the Message-ID: the outbox message id, so every retry carries the same one. */
  messageRef: string;
  date: Date;
}

const CRLF = '\r\n';
/** RFC 5322's recommended line length; fields are folded to stay within it where they can be. */
const FOLD_AT = 78;
/** RFC 5322's hard limit per line, CRLF excluded. */
const MAX_LINE = 998;
const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]+$/;
/** What may stand between `<` and `@` in our Message-IDs (RFC 5322 dot-atom text). */
const MESSAGE_ID_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
/** Characters that force an encoded word: anything outside printable ASCII, or text that would read as one. */
const NEEDS_ENCODING = /[^\x20-\x7e]|=\?/;
/** Display names made of these need neither quotes nor encoding (atext plus spaces). */
const PLAIN_PHRASE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+$/;

export function frameTemplate(compiled: Pick<CompiledEmail, 'from' | 'replyTo' | 'text' | 'html'>, opts: { messageIdDomain: string }): FrameTemplate {
  // "=_" can appear neither in quoted-printable output (a literal "=" is always =3D) nor in base64,
  // so no body can ever contain this boundary, however its text reads.
  const boundary = `=_tidings_${crypto.randomBytes(12).toString('hex')}`;
  const textEncoding = encodingFor(compiled.text);
  const htmlEncoding = encodingFor(compiled.html);
  const partHead = (type: string, encoding: TransferEncoding) => `--${boundary}${CRLF}Content-Type: ${type}; charset=utf-8${CRLF}Content-Transfer-Encoding: ${encoding}${CRLF}${CRLF}`;
  const html = partHead('text/html', htmlEncoding);
  return {
    from: { name: 'From', line: `From: ${mailbox(compiled.from.name, compiled.from.email, 'From: '.length)}` },
    replyTo: compiled.replyTo ? field('Reply-To', address(compiled.replyTo)) : null,
    mimeVersion: field('MIME-Version', '1.0'),
    contentType: {
      multipart: { name: 'Content-Type', line: `Content-Type: multipart/alternative;${CRLF} boundary="${boundary}"` },
      html: field('Content-Type', 'text/html; charset=utf-8'),
    },
    textEncoding,
    htmlEncoding,
    parts: {
      open: Buffer.from(partHead('text/plain', textEncoding), 'latin1'),
      middle: Buffer.from(`${CRLF}${html}`, 'latin1'),
      close: Buffer.from(`${CRLF}--${boundary}--${CRLF}`, 'latin1'),
    },
    messageIdDomain: opts.messageIdDomain,
  };
}

/** Bodies already in the template's transfer encodings (see {@link qpPieces}). */
export interface EncodedBodies {
  html: Buffer;
  text: Buffer;
}

/**
 * One recipient's message: the template's constant pieces around the personal fields and bodies.
 * The bodies are encoded here unless `encoded` brings them ready.
 */
export function frame(t: FrameTemplate, msg: RenderedMessage, ids: FrameIds, extraHeaders: Record<string, string> = {}, encoded?: EncodedBodies): FramedMessage {
  if (!MESSAGE_ID_LOCAL.test(ids.messageRef)) throw new Error(`message reference ${JSON.stringify(ids.messageRef)} cannot be a Message-ID`);
  const withText = encoded ? encoded.text.length > 0 : msg.text !== '';
  const headers: HeaderField[] = [t.from, field('To', address(msg.to))];
  if (t.replyTo) headers.push(t.replyTo);
  headers.push(field('Subject', msg.subject), { name: 'Message-ID', line: `Message-ID: <${ids.messageRef}@${t.messageIdDomain}>` }, { name: 'Date', line: `Date: ${rfc5322Date(ids.date)}` });
  headers.push(t.mimeVersion, withText ? t.contentType.multipart : t.contentType.html);
  if (!withText) headers.push(field('Content-Transfer-Encoding', t.htmlEncoding));
  const seen = new Set(headers.map((h) => h.name.toLowerCase()));
  for (const [name, value] of [...Object.entries(msg.headers), ...Object.entries(extraHeaders)]) {
    // The framing's own fields are not the caller's to replace: a second From or Content-Type would break the message.
    if (seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    headers.push(field(name, value));
  }

  const html = encoded?.html ?? encodeBody(msg.html, t.htmlEncoding);
  // A single part ends where its content ends: a line break after it would be content too.
  if (!withText) return { headers, body: html };
  const text = encoded?.text ?? encodeBody(msg.text, t.textEncoding);
  return { headers, body: Buffer.concat([t.parts.open, text, t.parts.middle, html, t.parts.close]) };
}

/**
 * The finished message: the given leading fields (a DKIM-Signature), the header block, the body. It
 * has an ArrayBuffer of its own, so a worker thread can hand it over without a copy.
 */
export function assemble(msg: FramedMessage, leading: string[] = []): Buffer {
  let head = '';
  for (const line of leading) head += line + CRLF;
  for (const h of msg.headers) head += h.line + CRLF;
  head += CRLF;
  const headBytes = Buffer.byteLength(head);
  const out = Buffer.allocUnsafeSlow(headBytes + msg.body.length);
  out.write(head, 0, 'utf8');
  msg.body.copy(out, headBytes);
  return out;
}

// ---- header fields ---------------------------------------------------------------------------

/** A header field with its value made safe: one logical line, encoded when not plain ASCII, folded when long. */
export function field(name: string, value: string): HeaderField {
  if (!HEADER_NAME.test(name)) throw new Error(`${JSON.stringify(name)} is not a header field name`);
  // A value must never start a new field: line breaks become spaces.
  const clean = value.replace(/[\r\n]+/g, ' ').trim();
  const prefix = `${name}: `;
  const plain = !NEEDS_ENCODING.test(clean) && clean.split(' ').every((w) => w.length <= MAX_LINE - prefix.length);
  return { name, line: prefix + (plain ? foldAscii(clean, prefix.length) : encodedWords(clean, prefix.length)) };
}

/** Breaks before spaces so lines stay near 78 characters; unfolding gives back the value exactly. */
function foldAscii(value: string, used: number): string {
  if (used + value.length <= FOLD_AT) return value;
  const words = value.split(' ');
  let out = words[0];
  let lineLength = used + words[0].length;
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (w !== '' && lineLength + 1 + w.length > FOLD_AT) {
      out += `${CRLF} ${w}`;
      lineLength = 1 + w.length;
    } else {
      out += ` ${w}`;
      lineLength += 1 + w.length;
    }
  }
  return out;
}

/**
 * RFC 2047 "B" encoded words, one per line, each within 78 characters and never splitting a
 * character's UTF-8 bytes between two words (decoders would show replacement characters).
 */
function encodedWords(value: string, used: number): string {
  const words: string[] = [];
  // 12 = "=?UTF-8?B?" + "?="; base64 turns every 3 bytes into 4 characters.
  const bytesFor = (room: number) => Math.floor((room - 12) / 4) * 3;
  let budget = bytesFor(FOLD_AT - used);
  let chunk = '';
  let chunkBytes = 0;
  for (const ch of value) {
    const n = Buffer.byteLength(ch);
    if (chunkBytes + n > budget && chunk) {
      words.push(encodedWord(chunk));
      chunk = '';
      chunkBytes = 0;
      budget = bytesFor(FOLD_AT - 1);
    }
    chunk += ch;
    chunkBytes += n;
  }
  if (chunk || words.length === 0) words.push(encodedWord(chunk));
  return words.join(`${CRLF} `);
}

const encodedWord = (s: string) => `=?UTF-8?B?${Buffer.from(s).toString('base64')}?=`;

/** `Name <address>`, the name quoted or encoded only when it has to be. */
function mailbox(name: string, email: string, used: number): string {
  const addr = address(email);
  const phrase = name.replace(/[\r\n]+/g, ' ').trim();
  if (!phrase) return addr;
  if (NEEDS_ENCODING.test(phrase)) {
    const words = encodedWords(phrase, used);
    const fits = !words.includes(CRLF) && used + words.length + addr.length + 3 <= FOLD_AT;
    return `${words}${fits ? ' ' : `${CRLF} `}<${addr}>`;
  }
  if (PLAIN_PHRASE.test(phrase)) return `${phrase} <${addr}>`;
  return `"${phrase.replace(/["\\]/g, (c) => `\\${c}`)}" <${addr}>`;
}

/** An address for a header or the envelope: an internationalised domain goes out as punycode. */
export function address(email: string): string {
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1);
  if (at < 1 || /^[\x21-\x7e]+$/.test(domain)) return email;
  return `${email.slice(0, at)}@${domainToASCII(domain) || domain}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
let dateCache = { second: NaN, text: '' };

/** `Fri, 27 Nov 2026 03:24:23 +0000`; many messages share a second, so the text is kept for it. */
export function rfc5322Date(d: Date): string {
  const second = Math.floor(d.getTime() / 1000);
  if (second === dateCache.second) return dateCache.text;
  const p = (n: number) => String(n).padStart(2, '0');
  const text = `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
  dateCache = { second, text };
  return text;
}

// ---- bodies ----------------------------------------------------------------------------------

/**
 * Quoted-printable suits mostly-Latin text; base64 is smaller for scripts that are mostly
 * non-ASCII. Decided on the compiled part: merge values rarely change what a part is written in.
 */
function encodingFor(text: string): TransferEncoding {
  let other = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) other++;
  return other * 3 < text.length ? 'quoted-printable' : 'base64';
}

function encodeBody(text: string, encoding: TransferEncoding): Buffer {
  return encoding === 'base64' ? base64Lines(Buffer.from(text, 'utf8')) : quotedPrintable(text);
}

/** Base64 in lines of 76 characters (RFC 2045 §6.8), CRLF between them, none after the last. */
function base64Lines(bytes: Buffer): Buffer {
  const b64 = bytes.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return Buffer.from(lines.join(CRLF), 'latin1');
}

const CR = 13;
const LF = 10;
const SP = 32;
const TAB = 9;
const EQ = 61;
/** Content characters per line; the 76th is the "=" of a soft break (RFC 2045 §6.7 rule 5). */
const QP_LINE = 75;
/** Bytes written as themselves: printable ASCII except "=". Space is decided by its neighbour. */
const LITERAL = new Uint8Array(256);
for (let b = 33; b <= 126; b++) LITERAL[b] = b === EQ ? 0 : 1;
/** The two hex digits of "=XX" for each byte, as character codes. */
const HEX_HIGH = new Uint8Array(256);
const HEX_LOW = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  HEX_HIGH[b] = '0123456789ABCDEF'.charCodeAt(b >> 4);
  HEX_LOW[b] = '0123456789ABCDEF'.charCodeAt(b & 15);
}

const SOFT_BREAK = Buffer.from('=\r\n', 'latin1');

/**
 * Quoted-printable in pieces (for PreparedMessage.renderEncoded): each piece is encoded on its own
 * and ends with a soft line break unless it already ends a line, so the next piece starts a line
 * and the pieces joined decode to the text joined. A line break split across two pieces (CR | LF)
 * would decode as two; our compiled HTML and text use LF alone, so that never happens.
 */
export const qpPieces = {
  encode(piece: string): Buffer {
    const qp = quotedPrintable(piece);
    if (qp.length === 0 || (qp[qp.length - 2] === CR && qp[qp.length - 1] === LF)) return qp;
    return Buffer.concat([qp, SOFT_BREAK]);
  },
};

const utf8 = new TextEncoder();
/** Reused between calls (one message is framed at a time per thread): the UTF-8 input and the encoded output. */
let input = new Uint8Array(64 * 1024);
let output = new Uint8Array(256 * 1024);

/**
 * Quoted-printable (RFC 2045 §6.7) with CRLF hard line breaks for any of CRLF, LF or CR in the text.
 * A space is written as itself only when something other than whitespace or a line end follows it,
 * and a tab never is, so the output has no whitespace runs and no trailing whitespace (see the
 * module comment). Runs of printable ASCII, the bulk of any HTML, are copied in an inner loop.
 */
export function quotedPrintable(text: string): Buffer {
  // UTF-8 takes at most 3 bytes per UTF-16 unit.
  if (input.length < text.length * 3) input = new Uint8Array(text.length * 3);
  const bytes = input;
  const n = utf8.encodeInto(text, bytes).written;
  // Worst case: every byte as "=XX", plus a soft break every 24 of them.
  const worst = n * 3 + Math.ceil(n / 24) * 3 + 3;
  if (output.length < worst) output = new Uint8Array(worst);
  const out = output;
  let o = 0;
  let col = 0;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (LITERAL[b] === 1) {
      if (col === QP_LINE) {
        out[o++] = EQ;
        out[o++] = CR;
        out[o++] = LF;
        col = 0;
      }
      const end = Math.min(n, i + QP_LINE - col);
      let j = i;
      do out[o++] = bytes[j++];
      while (j < end && LITERAL[bytes[j]] === 1);
      col += j - i;
      i = j;
      continue;
    }
    if (b === CR || b === LF) {
      i += b === CR && i + 1 < n && bytes[i + 1] === LF ? 2 : 1;
      out[o++] = CR;
      out[o++] = LF;
      col = 0;
      continue;
    }
    const next = i + 1 < n ? bytes[i + 1] : -1;
    if (b === SP && next !== -1 && next !== SP && next !== TAB && next !== CR && next !== LF) {
      if (col === QP_LINE) {
        out[o++] = EQ;
        out[o++] = CR;
        out[o++] = LF;
        col = 0;
      }
      out[o++] = SP;
      col++;
    } else {
      // An escape is never split by a soft break.
      if (col > QP_LINE - 3) {
        out[o++] = EQ;
        out[o++] = CR;
        out[o++] = LF;
        col = 0;
      }
      out[o++] = EQ;
      out[o++] = HEX_HIGH[b];
      out[o++] = HEX_LOW[b];
      col += 3;
    }
    i++;
  }
  return Buffer.from(out.subarray(0, o));
}
