import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { linkUrl, messageUrls, signLink, signMessage, verifyLink, verifyMessage, type LinkClaims, type MessageClaims } from './tokens.ts';

const SECRET = 'test-secret-0123456789abcdef';
const TOKEN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/;

const MESSAGE: MessageClaims = { messageId: 'msg_01', contactId: 'ctc_01', sourceId: 'cmp_01', emailId: 'eml_01', version: 3 };
const LINK: LinkClaims = { ...MESSAGE, link: 4, url: 'https://shop.example.com/p?a=1&b=ü\nx' };

/** The token with its body replaced by `body` (re-encoded) and the original MAC kept. */
function withBody(token: string, body: string): string {
  return `${Buffer.from(body).toString('base64url')}.${token.split('.')[1]}`;
}

describe('message tokens', () => {
  it.each([
    ['a campaign message', MESSAGE],
    ['a message outside any campaign', { ...MESSAGE, sourceId: '' }],
    ['a preview or test send (no message id)', { ...MESSAGE, messageId: '', contactId: '', sourceId: '' }],
  ])('round-trips %s', (_name, claims) => {
    const token = signMessage(SECRET, claims);
    expect(token).toMatch(TOKEN);
    expect(verifyMessage(SECRET, token)).toEqual(claims);
  });

  it('is the same for the same claims (one signature serves every endpoint of a message)', () => {
    expect(signMessage(SECRET, MESSAGE)).toBe(signMessage(SECRET, { ...MESSAGE }));
    expect(signMessage(SECRET, MESSAGE)).not.toBe(signMessage(SECRET, { ...MESSAGE, contactId: 'ctc_02' }));
  });

  it('rejects a token signed with another secret', () => {
    expect(verifyMessage('another-secret', signMessage(SECRET, MESSAGE))).toBeNull();
  });

  it('rejects a token whose contact was swapped, even with a re-encoded body', () => {
    const token = signMessage(SECRET, MESSAGE);
    expect(verifyMessage(SECRET, withBody(token, 'msg_01\nctc_02\ncmp_01\neml_01\n3'))).toBeNull();
  });

  it('rejects every single-character change of a token', () => {
    const token = signMessage(SECRET, MESSAGE);
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const changed = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      expect(verifyMessage(SECRET, changed), `position ${i}`).toBeNull();
    }
  });

  it('rejects a truncated token', () => {
    const token = signMessage(SECRET, MESSAGE);
    expect(verifyMessage(SECRET, token.slice(0, -1))).toBeNull();
    expect(verifyMessage(SECRET, token.slice(1))).toBeNull();
  });

  it('rejects a MAC spelled differently that decodes to the same bytes', () => {
    const token = signMessage(SECRET, MESSAGE);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet[alphabet.indexOf(token[token.length - 1]) ^ 1]; // the lowest 4 bits of the 22nd character are padding
    const respelled = token.slice(0, -1) + last;
    expect(Buffer.from(respelled.split('.')[1], 'base64url')).toEqual(Buffer.from(token.split('.')[1], 'base64url'));
    expect(verifyMessage(SECRET, respelled)).toBeNull();
  });

  it('refuses to sign ids that would break the body format', () => {
    expect(() => signMessage(SECRET, { ...MESSAGE, messageId: 'a\nb' })).toThrow(/line break/);
    expect(() => signLink(SECRET, { ...LINK, contactId: 'a\nb' })).toThrow(/line break/);
  });
});

describe('link tokens', () => {
  it('round-trips the claims and the URL, line breaks included', () => {
    const token = signLink(SECRET, LINK);
    expect(token).toMatch(TOKEN);
    expect(verifyLink(SECRET, token)).toEqual(LINK);
  });

  it('round-trips the longest URL the renderer signs, even in non-Latin script', () => {
    const long: LinkClaims = { ...MESSAGE, messageId: 'msg_01h0000000000000000000000', contactId: 'ctc_01h0000000000000000000000', link: 99, url: `https://例え.jp/${'パ'.repeat(1980)}` };
    expect(verifyLink(SECRET, signLink(SECRET, long))).toEqual(long);
  });

  it('rejects a token whose URL was swapped for another domain', () => {
    const token = signLink(SECRET, LINK);
    expect(verifyLink(SECRET, withBody(token, 'msg_01\nctc_01\ncmp_01\neml_01\n3\n4\nhttps://evil.example.com/'))).toBeNull();
  });

  it('never yields a URL that is not http or https, even when genuinely signed', () => {
    expect(verifyLink(SECRET, signLink(SECRET, { ...LINK, url: 'javascript:alert(1)' }))).toBeNull();
    expect(verifyLink(SECRET, signLink(SECRET, { ...LINK, url: 'mailto:a@example.com' }))).toBeNull();
  });

  it('rejects every single-character change of a token', () => {
    const token = signLink(SECRET, { ...LINK, url: 'https://a.example/x' });
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const changed = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      expect(verifyLink(SECRET, changed), `position ${i}`).toBeNull();
    }
  });
});

describe('token kinds', () => {
  it('does not accept a message token as a link token or back (the kind is inside the MAC)', () => {
    const message = signMessage(SECRET, MESSAGE);
    const link = signLink(SECRET, LINK);
    expect(verifyLink(SECRET, message)).toBeNull();
    expect(verifyMessage(SECRET, link)).toBeNull();
  });

  it('rejects a body of the right shape under the MAC of the other kind', () => {
    const macOf = (kind: string, body64: string) => crypto.createHmac('sha256', SECRET).update(`${kind}.${body64}`).digest().toString('base64url', 0, 16);
    const linkBody = Buffer.from('msg_01\nctc_01\ncmp_01\neml_01\n3\n4\nhttps://a.example/').toString('base64url');
    const messageBody = Buffer.from('msg_01\nctc_01\ncmp_01\neml_01\n3').toString('base64url');
    expect(verifyLink(SECRET, `${linkBody}.${macOf('l', linkBody)}`)).toMatchObject({ link: 4, url: 'https://a.example/' }); // the construction is right…
    expect(verifyLink(SECRET, `${linkBody}.${macOf('m', linkBody)}`)).toBeNull(); // …and only the kind differs
    expect(verifyMessage(SECRET, `${messageBody}.${macOf('m', messageBody)}`)).toEqual(MESSAGE);
    expect(verifyMessage(SECRET, `${messageBody}.${macOf('l', messageBody)}`)).toBeNull();
  });
});

describe('garbage', () => {
  const huge = 'A'.repeat(10_000) + '.' + 'A'.repeat(22);
  it.each([
    ['empty', ''],
    ['no dot', 'abc'],
    ['only a dot', '.'],
    ['dot first', '.' + 'A'.repeat(22)],
    ['short mac', 'YWJj.abc'],
    ['two dots', 'YWJj.' + 'A'.repeat(11) + '.' + 'A'.repeat(10)],
    ['non-base64 body', '!!!.' + 'A'.repeat(22)],
    ['huge', huge],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['object', { messageId: 'msg_01' }],
  ])('returns null for %s without throwing', (_name, input) => {
    expect(verifyMessage(SECRET, input)).toBeNull();
    expect(verifyLink(SECRET, input)).toBeNull();
  });

  it('rejects a genuinely signed body without an email id or with a bad version', () => {
    expect(verifyMessage(SECRET, signMessage(SECRET, { ...MESSAGE, emailId: '' }))).toBeNull();
    expect(verifyMessage(SECRET, signMessage(SECRET, { ...MESSAGE, version: 0 }))).toBeNull();
    expect(verifyLink(SECRET, signLink(SECRET, { ...LINK, link: -1 }))).toBeNull();
  });
});

describe('URLs', () => {
  it('puts one message token on every endpoint of a message, with or without a trailing slash on the base', () => {
    for (const base of ['https://mail.example.com', 'https://mail.example.com//']) {
      const urls = messageUrls(base, 'TOKEN');
      expect(urls.open).toBe('https://mail.example.com/t/o/TOKEN');
      expect(urls.click(7)).toBe('https://mail.example.com/t/c/TOKEN/7');
      expect(urls.unsubscribe).toBe('https://mail.example.com/u/TOKEN');
      expect(urls.preferences).toBe('https://mail.example.com/p/TOKEN');
      expect(urls.view).toBe('https://mail.example.com/v/TOKEN');
      expect(linkUrl(base, 'LINK')).toBe('https://mail.example.com/t/l/LINK');
    }
  });
});
