import crypto from 'node:crypto';

/**
 * Signed, self-contained tokens for the public endpoints a sent email links to (open pixel, click,
 * unsubscribe, preferences, view in browser). Everything an endpoint needs is in the token, so it
 * acts without a per-message database lookup, and the MAC makes a token impossible to forge.
 *
 * One message token per sent message serves all of its endpoints: every one of them is a link the
 * recipient was given in the same email, so a token that opens one door for that message may open
 * the others. Signing once per message instead of once per link is what keeps per-recipient
 * rendering cheap (an HMAC costs about as much as the rest of a render).
 *
 * Clicks: a link whose URL is the same for everyone is addressed by its index in the email
 * version (`/t/c/{message token}/{index}`); the click endpoint looks the URL up in that version, so
 * it can only ever redirect to a URL that is in the email (never an open redirect). A link whose URL
 * holds merge tags differs per recipient, so its URL travels signed in its own link token
 * (`/t/l/{link token}`).
 *
 * Format: base64url(body) "." base64url(first 16 bytes of HMAC-SHA256(secret, kind "." body64)).
 * The kind is inside the MAC input, so a link token never verifies as a message token or back.
 * An empty messageId marks a token from a preview or test send (sample data): endpoints answer it
 * but record nothing.
 */

export interface MessageClaims {
  /** The outbox message id; empty for previews and test sends. */
  messageId: string;
  contactId: string;
  /** The campaign or series the message belongs to; empty when none. */
  sourceId: string;
  emailId: string;
  version: number;
}

export interface LinkClaims extends MessageClaims {
  /** Index of the link in the email version (document order). */
  link: number;
  url: string;
}

type Kind = 'm' | 'l';
/** Field separator inside the body; ids never contain it and the URL, which may, comes last. */
const SEP = '\n';
const MAC_CHARS = 22; // base64url of 16 bytes, no padding
/** Room for the longest URL we sign (2,000 characters, up to 3 UTF-8 bytes each) plus ids, base64url-encoded; anything longer is garbage. */
const MAX_TOKEN_CHARS = 8_500;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function signMessage(secret: string, claims: MessageClaims): string {
  return sign(secret, 'm', encodeMessage(claims));
}

export function signLink(secret: string, claims: LinkClaims): string {
  return sign(secret, 'l', `${encodeMessage(claims)}${SEP}${claims.link}${SEP}${claims.url}`);
}

/** The claims of a genuine message token, or null for anything tampered, truncated, of the other kind or garbage. Never throws. */
export function verifyMessage(secret: string, token: unknown): MessageClaims | null {
  const fields = verified(secret, 'm', token);
  return fields && fields.length === 5 ? decodeMessage(fields) : null;
}

/** The claims of a genuine link token (the signed URL is always http or https), or null. Never throws. */
export function verifyLink(secret: string, token: unknown): LinkClaims | null {
  const fields = verified(secret, 'l', token);
  if (!fields || fields.length < 7) return null;
  const message = decodeMessage(fields.slice(0, 5));
  const link = Number(fields[5]);
  const url = fields.slice(6).join(SEP);
  if (!message || !Number.isSafeInteger(link) || link < 0 || !/^https?:\/\//i.test(url)) return null;
  return { ...message, link, url };
}

/** The public URLs of one message, all carrying its one token. */
export function messageUrls(baseUrl: string, token: string) {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    open: `${base}/t/o/${token}`,
    click: (link: number) => `${base}/t/c/${token}/${link}`,
    unsubscribe: `${base}/u/${token}`,
    preferences: `${base}/p/${token}`,
    view: `${base}/v/${token}`,
  };
}

export function linkUrl(baseUrl: string, linkToken: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/t/l/${linkToken}`;
}

// ---- internals ----------------------------------------------------------------------------

/** HMAC keys as KeyObjects, made once per secret: importing the key is a visible share of each MAC. */
const keys = new Map<string, crypto.KeyObject>();

function mac(secret: string, kind: Kind, body64: string): string {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = crypto.createSecretKey(Buffer.from(secret))));
  return firstMacBytes(crypto.createHmac('sha256', key).update(`${kind}.${body64}`).digest('base64url'));
}

const BASE64URL_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The first 16 bytes of a base64url-encoded digest, as base64url: 21 whole digits, then
 * a digit holding the 16th byte's last 2 bits over 4 zero bits. Letting the digest encode itself
 * and cutting the text costs a third less than a Buffer of the digest encoded in part (the MAC is
 * the largest share of answering an open or a click).
 */
function firstMacBytes(digest64: string): string {
  return digest64.slice(0, MAC_CHARS - 1) + BASE64URL_DIGITS[BASE64URL_DIGITS.indexOf(digest64[MAC_CHARS - 1]) & 0b110000];
}

function sign(secret: string, kind: Kind, body: string): string {
  const body64 = Buffer.from(body).toString('base64url');
  return `${body64}.${mac(secret, kind, body64)}`;
}

/** A token's body and MAC when it has the shape of a signed token: what can be told without the secret. */
function partsOf(token: unknown): [body64: string, given: string] | null {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS) return null;
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length - dot - 1 !== MAC_CHARS) return null;
  const body64 = token.slice(0, dot);
  const given = token.slice(dot + 1);
  return BASE64URL.test(body64) && BASE64URL.test(given) ? [body64, given] : null;
}

/** Whether a token has the shape of a signed token; its MAC is still to be checked (verifyMessage, verifyLink). */
export const wellFormed = (token: unknown): token is string => partsOf(token) !== null;

/** The body's fields when the token is well-formed and its MAC is right. */
function verified(secret: string, kind: Kind, token: unknown): string[] | null {
  const parts = partsOf(token);
  if (!parts) return null;
  const [body64, given] = parts;
  // Compared as text, not decoded bytes: base64url has several spellings of the same last byte.
  if (!sameMac(given, mac(secret, kind, body64))) return null;
  return Buffer.from(body64, 'base64url').toString('utf8').split(SEP);
}

/**
 * Whether two MACs (MAC_CHARS characters each) are equal, in a time that does not depend on where
 * they differ: every character is compared, and nothing ends early. It does what
 * crypto.timingSafeEqual does, without the two Buffers that cost each click and open more.
 */
function sameMac(given: string, expected: string): boolean {
  let differs = 0;
  for (let i = 0; i < MAC_CHARS; i++) differs |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return differs === 0;
}

function encodeMessage(c: MessageClaims): string {
  const ids = [c.messageId, c.contactId, c.sourceId, c.emailId];
  if (ids.some((id) => id.includes(SEP))) throw new Error('token ids must not contain a line break');
  return [...ids, String(c.version)].join(SEP);
}

function decodeMessage([messageId, contactId, sourceId, emailId, v]: string[]): MessageClaims | null {
  const version = Number(v);
  if (!emailId || !Number.isSafeInteger(version) || version < 1) return null;
  return { messageId, contactId, sourceId, emailId, version };
}
