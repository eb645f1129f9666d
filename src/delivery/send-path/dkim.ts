import crypto from 'node:crypto';
import type { FramedMessage, HeaderField } from './frame.ts';
import type { DkimKey } from './model.ts';

/**
 * DKIM-Signature (RFC 6376), rsa-sha256, relaxed/relaxed, over a message from `frame()`.
 *
 * The key is parsed once per signer (`createPrivateKey`); parsing a PEM per message would cost as
 * much as the signature. The lines of a body from `frame()` are already in relaxed canonical form,
 * so its hash is one native pass over the bytes. The RSA-2048 signature itself (~0.5 ms) is the main CPU cost
 * per message, which is why building runs on worker threads (see pool.ts).
 */

/**
 * The fields we sign, in this order, when present: the same list as src/emails/mime.ts
 * (SIGNED_HEADERS), so a message signs alike whichever path built it; dkim.test.ts holds them equal.
 */
export const SIGNED_HEADERS = ['From', 'Sender', 'Reply-To', 'Subject', 'Date', 'Message-ID', 'To', 'MIME-Version', 'Content-Type', 'List-Unsubscribe', 'List-Unsubscribe-Post', 'Feedback-ID'];

const SIGNED = SIGNED_HEADERS.map((h) => h.toLowerCase());

export class DkimSigner {
  private readonly key: crypto.KeyObject;

  constructor(private readonly opts: Pick<DkimKey, 'domain' | 'selector'> & { privateKey: string | crypto.KeyObject }) {
    this.key = typeof opts.privateKey === 'string' ? crypto.createPrivateKey(opts.privateKey) : opts.privateKey;
    if (this.key.asymmetricKeyType !== 'rsa') throw new Error(`the DKIM key for ${opts.domain} must be an RSA key, not ${this.key.asymmetricKeyType}`);
  }

  /** The DKIM-Signature field to put first in the message, folded, without its final CRLF. */
  sign(msg: FramedMessage): string {
    const bodyHash = relaxedBodyHash(msg.body);
    const signed = signedFields(msg.headers);
    const names = signed.map((h) => h.name.toLowerCase()).join(':');
    const unsigned = `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${this.opts.domain}; q=dns/txt;\r\n s=${this.opts.selector}; bh=${bodyHash};\r\n h=${names};\r\n b=`;
    let input = '';
    for (const h of signed) input += relaxedHeader(h.line) + '\r\n';
    // The signature field itself is hashed last, with an empty b= and no CRLF (RFC 6376 §3.7).
    input += relaxedHeader(unsigned);
    const signature = crypto.sign('sha256', Buffer.from(input, 'utf8'), this.key).toString('base64');
    return unsigned + fold(signature);
  }
}

/**
 * SHA-256 of the body in relaxed canonical form. Inside lines a framed body is canonical already
 * (see frame.ts); only its end may need work: empty lines there do not count, and a non-empty body
 * ends with exactly one CRLF.
 */
function relaxedBodyHash(body: Buffer): string {
  let end = body.length;
  while (end >= 2 && body[end - 2] === CR && body[end - 1] === LF && (end === 2 || (body[end - 4] === CR && body[end - 3] === LF))) end -= 2;
  const hash = crypto.createHash('sha256');
  if (end > 0) {
    hash.update(body.subarray(0, end));
    if (!(body[end - 2] === CR && body[end - 1] === LF)) hash.update('\r\n');
  }
  return hash.digest('base64');
}

const CR = 13;
const LF = 10;

/** Signed fields in SIGNED_HEADERS order; a message from `frame()` has each at most once. */
function signedFields(headers: HeaderField[]): HeaderField[] {
  const byName = new Map(headers.map((h) => [h.name.toLowerCase(), h]));
  const out: HeaderField[] = [];
  for (const name of SIGNED) {
    const h = byName.get(name);
    if (h) out.push(h);
  }
  return out;
}

/** Relaxed header canonicalisation (RFC 6376 §3.4.2): lower-case name, unfolded value, one space per run of whitespace, trimmed. */
export function relaxedHeader(line: string): string {
  const colon = line.indexOf(':');
  const value = line
    .slice(colon + 1)
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${line.slice(0, colon).trim().toLowerCase()}:${value}`;
}

/** The b= value in lines of 72 characters; verifiers ignore the whitespace inside it. */
function fold(b64: string): string {
  let out = '';
  for (let i = 0; i < b64.length; i += 72) out += (i ? '\r\n ' : '') + b64.slice(i, i + 72);
  return out;
}
