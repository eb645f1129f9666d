import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import type { RenderedMessage } from './model.ts';
import { toMime } from './mime.ts';

type DkimResult = {
  results: Array<{ signingDomain: string; selector: string; status: { result: string; comment?: string | false }; signingHeaders: { keys: string } }>;
};
// mailauth ships no type declarations.
const { dkimVerify } = createRequire(import.meta.url)('mailauth/lib/dkim/verify.js') as {
  dkimVerify(message: Buffer, opts: { resolver: (name: string, type: string) => Promise<string[][]> }): Promise<DkimResult>;
};

const MESSAGE: RenderedMessage = {
  to: 'ada@example.com',
  from: { name: 'Acme Ünïcode', email: 'news@acme.example' },
  replyTo: 'help@acme.example',
  subject: 'Grüße, Ada — 50% off ✨',
  html: `<!DOCTYPE html><html><body><p>Héllo Ada</p>${'<p>A long line of text that goes on and on. '.repeat(40)}</p></body></html>`,
  text: 'Héllo Ada\n\nShop (https://mail.acme.example/t/c/abc)',
  headers: { 'List-Unsubscribe': '<https://mail.acme.example/u/abc.def>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
};
const DATE = new Date('2026-03-04T05:06:07.000Z');

describe('toMime', () => {
  it('builds a UTF-8 multipart/alternative message with the headers given', async () => {
    const raw = await toMime(MESSAGE, { messageIdDomain: 'acme.example', messageId: 'msg_1', date: DATE });
    const head = raw.subarray(0, raw.indexOf('\r\n\r\n')).toString();
    expect(head).toMatch(/^Subject: =\?UTF-8\?[QB]\?/m); // RFC 2047
    expect(head).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(head).toContain('Message-ID: <msg_1@acme.example>');
    expect(head).toContain('List-Unsubscribe: <https://mail.acme.example/u/abc.def>');
    expect(head).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(raw.toString('latin1')).not.toMatch(/[^\r]\n/); // CRLF line ends only
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(MESSAGE.subject);
    expect(parsed.from?.value).toEqual([{ name: 'Acme Ünïcode', address: 'news@acme.example' }]);
    expect(parsed.replyTo?.text).toBe('help@acme.example');
    expect(parsed.date?.toISOString()).toBe(DATE.toISOString());
    expect(parsed.text?.trim()).toBe(MESSAGE.text);
    expect(parsed.html).toContain('<p>Héllo Ada</p>');
  });

  it('gives each message its own Message-ID when none is chosen', async () => {
    const ids = await Promise.all([1, 2].map(async () => (await simpleParser(await toMime(MESSAGE, { messageIdDomain: 'acme.example' }))).messageId));
    expect(ids[0]).toMatch(/^<[0-9a-f-]{36}@acme\.example>$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('DKIM-signs so that a receiver verifies it, covering the headers that matter', async () => {
    const keys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const dkim = { domain: 'acme.example', selector: 's2026', privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
    const txt = `v=DKIM1; k=rsa; p=${keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
    const resolver = async (name: string, type: string) => {
      if (name === 's2026._domainkey.acme.example' && type === 'TXT') return [[txt]];
      throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
    };
    const raw = await toMime(MESSAGE, { messageIdDomain: 'acme.example', date: DATE, dkim });
    const { results } = await dkimVerify(raw, { resolver });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ signingDomain: 'acme.example', selector: 's2026', status: { result: 'pass' } });
    const signed = results[0].signingHeaders.keys.toLowerCase().split(/:\s*/);
    expect(signed).toEqual(expect.arrayContaining(['from', 'subject', 'date', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post']));

    const tampered = Buffer.from(raw.toString('latin1').replace('List-Unsubscribe-Post: List-Unsubscribe=One-Click', 'List-Unsubscribe-Post: List-Unsubscribe=Two-Click'), 'latin1');
    expect((await dkimVerify(tampered, { resolver })).results[0].status.result).toBe('fail');
  });
});
