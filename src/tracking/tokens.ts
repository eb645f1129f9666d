import crypto from 'node:crypto';

/**
 * Signed, self-contained tokens for the public endpoints a sent email links to (click, open pixel,
 * unsubscribe, preferences, view in browser). Everything the endpoint needs is in the token, so it
 * can act without a database lookup, and the MAC makes it impossible to forge one: a click token
 * redirects only to a URL we signed, so the click endpoint can never be an open redirect.
 *
 * Format: base64url(body) "." base64url(first 16 bytes of HMAC-SHA256(secret, kind "." body64)).
 * The kind is inside the MAC input, so a token of one kind never verifies as another.
 * An empty messageId/contactId marks a token from a preview or test send (sample data).
 */

export const TOKEN_KINDS = ['click', 'open', 'unsubscribe', 'preferences', 'view'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

interface TokenBase {
  messageId: string;
  contactId: string;
}
export type ClickToken = TokenBase & { kind: 'click'; link: number; url: string };
export type ViewToken = TokenBase & { kind: 'view'; emailId: string; version: number };
export type TokenPayload = ClickToken | ViewToken | (TokenBase & { kind: 'open' | 'unsubscribe' | 'preferences' });

const CODE: Record<TokenKind, string> = { click: 'c', open: 'o', unsubscribe: 'u', preferences: 'p', view: 'v' };
const KIND_OF_CODE = new Map(Object.entries(CODE).map(([kind, code]) => [code, kind as TokenKind]));
/** Field separator inside the body; ids never contain it and the URL, which may, comes last. */
const SEP = '\n';
const MAC_BYTES = 16;
const MAC_CHARS = 22; // base64url of 16 bytes, no padding
/** Room for the longest URL we sign (2,000 characters, up to 3 UTF-8 bytes each) plus ids, base64url-encoded; anything longer is garbage. */
const MAX_TOKEN_CHARS = 8_500;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function signToken(secret: string, payload: TokenPayload): string {
  const body = Buffer.from(encodeBody(payload)).toString('base64url');
  return `${body}.${mac(secret, payload.kind, body)}`;
}

/** The payload of a genuine token, or null for anything tampered, truncated, of another kind or garbage. Never throws. */
export function verifyToken(secret: string, token: unknown, expectedKind?: TokenKind): TokenPayload | null {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS) return null;
  const dot = token.indexOf('.');
  const body = token.slice(0, dot);
  const given = token.slice(dot + 1);
  if (dot <= 0 || given.length !== MAC_CHARS || !BASE64URL.test(body) || !BASE64URL.test(given)) return null;
  const payload = decodeBody(Buffer.from(body, 'base64url').toString('utf8'));
  if (!payload || (expectedKind && payload.kind !== expectedKind)) return null;
  // Compared as text, not decoded bytes: base64url has several spellings of the same last byte.
  const expected = Buffer.from(mac(secret, payload.kind, body));
  return crypto.timingSafeEqual(Buffer.from(given), expected) ? payload : null;
}

function mac(secret: string, kind: TokenKind, body: string): string {
  return crypto.createHmac('sha256', secret).update(`${kind}.${body}`).digest().toString('base64url', 0, MAC_BYTES);
}

function encodeBody(p: TokenPayload): string {
  if (p.messageId.includes(SEP) || p.contactId.includes(SEP)) throw new Error('token ids must not contain a line break');
  const head = `${CODE[p.kind]}${SEP}${p.messageId}${SEP}${p.contactId}`;
  switch (p.kind) {
    case 'click':
      return `${head}${SEP}${p.link}${SEP}${p.url}`;
    case 'view':
      if (p.emailId.includes(SEP)) throw new Error('token ids must not contain a line break');
      return `${head}${SEP}${p.emailId}${SEP}${p.version}`;
    default:
      return head;
  }
}

function decodeBody(text: string): TokenPayload | null {
  const [code, messageId, contactId, ...rest] = text.split(SEP);
  const kind = KIND_OF_CODE.get(code);
  if (!kind || messageId === undefined || contactId === undefined) return null;
  const base = { messageId, contactId };
  switch (kind) {
    case 'click': {
      const link = Number(rest[0]);
      const url = rest.slice(1).join(SEP);
      if (!Number.isSafeInteger(link) || link < 0 || !/^https?:\/\//i.test(url)) return null;
      return { kind, ...base, link, url };
    }
    case 'view': {
      const version = Number(rest[1]);
      if (rest.length !== 2 || !rest[0] || !Number.isSafeInteger(version) || version < 1) return null;
      return { kind, ...base, emailId: rest[0], version };
    }
    default:
      return rest.length === 0 ? { kind, ...base } : null;
  }
}
