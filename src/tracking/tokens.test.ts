import { describe, expect, it } from 'vitest';
import { signToken, verifyToken, type TokenPayload } from './tokens.ts';

const SECRET = 'test-secret-0123456789abcdef';

const PAYLOADS: TokenPayload[] = [
  { kind: 'click', messageId: 'msg_01', contactId: 'ctc_01', link: 3, url: 'https://shop.example.com/p?a=1&b=ü\nx' },
  { kind: 'open', messageId: 'msg_01', contactId: 'ctc_01' },
  { kind: 'unsubscribe', messageId: 'msg_01', contactId: 'ctc_01' },
  { kind: 'preferences', messageId: '', contactId: 'ctc_01' },
  { kind: 'view', messageId: '', contactId: '', emailId: 'eml_01', version: 4 },
];

describe('tracking tokens', () => {
  it.each(PAYLOADS)('round-trips a $kind token', (payload) => {
    const token = signToken(SECRET, payload);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(verifyToken(SECRET, token)).toEqual(payload);
    expect(verifyToken(SECRET, token, payload.kind)).toEqual(payload);
  });

  it('round-trips the longest URL the renderer signs, even in non-Latin script', () => {
    const payload: TokenPayload = { kind: 'click', messageId: 'msg_01h0000000000000000000000', contactId: 'ctc_01h0000000000000000000000', link: 99, url: `https://例え.jp/${'パ'.repeat(1980)}` };
    expect(verifyToken(SECRET, signToken(SECRET, payload))).toEqual(payload);
  });

  it('rejects a token of another kind where a kind is expected', () => {
    const open = signToken(SECRET, { kind: 'open', messageId: 'msg_01', contactId: 'ctc_01' });
    expect(verifyToken(SECRET, open, 'unsubscribe')).toBeNull();
  });

  it('rejects a token signed with another secret', () => {
    expect(verifyToken('another-secret', signToken(SECRET, PAYLOADS[0]))).toBeNull();
  });

  it('rejects a click token whose URL was swapped, even with a re-encoded body', () => {
    const token = signToken(SECRET, PAYLOADS[0]);
    const [, mac] = token.split('.');
    const forged = Buffer.from('c\nmsg_01\nctc_01\n3\nhttps://evil.example.com/').toString('base64url');
    expect(verifyToken(SECRET, `${forged}.${mac}`)).toBeNull();
  });

  it('rejects a token whose kind letter was changed (the kind is inside the MAC)', () => {
    const token = signToken(SECRET, { kind: 'open', messageId: 'msg_01', contactId: 'ctc_01' });
    const [body, mac] = token.split('.');
    const asUnsubscribe = Buffer.from(Buffer.from(body, 'base64url').toString().replace(/^o/, 'u')).toString('base64url');
    expect(verifyToken(SECRET, `${asUnsubscribe}.${mac}`)).toBeNull();
  });

  it('rejects every single-character change of a token', () => {
    const token = signToken(SECRET, PAYLOADS[1]);
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const changed = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      expect(verifyToken(SECRET, changed), `position ${i}`).toBeNull();
    }
  });

  it('rejects a MAC spelled differently that decodes to the same bytes', () => {
    const token = signToken(SECRET, PAYLOADS[2]);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet[alphabet.indexOf(token[token.length - 1]) ^ 1]; // the lowest 4 bits of the 22nd character are padding
    const respelled = token.slice(0, -1) + last;
    expect(Buffer.from(respelled.split('.')[1], 'base64url')).toEqual(Buffer.from(token.split('.')[1], 'base64url'));
    expect(verifyToken(SECRET, respelled)).toBeNull();
  });

  it.each([
    ['empty', ''],
    ['no dot', 'abc'],
    ['only a dot', '.'],
    ['short mac', 'YWJj.abc'],
    ['non-base64 body', '!!!.' + 'A'.repeat(22)],
    ['huge', 'A'.repeat(10_000) + '.' + 'A'.repeat(22)],
    ['a number', 42],
    ['null', null],
    ['object', { kind: 'click' }],
  ])('returns null for garbage (%s) without throwing', (_name, input) => {
    expect(verifyToken(SECRET, input)).toBeNull();
  });

  it('refuses to sign ids that would break the body format', () => {
    expect(() => signToken(SECRET, { kind: 'open', messageId: 'a\nb', contactId: 'c' })).toThrow(/line break/);
  });
});
