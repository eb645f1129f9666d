import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toMime } from '../../emails/mime.ts';
import type { RenderedMessage } from '../../emails/model.ts';
import { prepareMessage } from '../../emails/render.ts';
import { DkimSigner } from './dkim.ts';
import { assemble, frame, frameTemplate } from './frame.ts';
import { compiledEmail, DKIM, dkimComment, dkimVerdicts, recipient, RENDER, signedHeaderNames } from './testing.ts';

const DATE = new Date('2026-03-04T05:06:07.000Z');
const signer = new DkimSigner(DKIM);

function signed(msg: RenderedMessage): Buffer {
  const template = frameTemplate({ from: msg.from, replyTo: msg.replyTo, text: msg.text, html: msg.html }, { messageIdDomain: 'acme.test' });
  const framed = frame(template, msg, { messageRef: 'msg_1', date: DATE });
  return assemble(framed, [signer.sign(framed)]);
}

const rendered = (kb: number, contact: Record<string, unknown> = {}) => prepareMessage(compiledEmail(kb)).render(recipient(1, contact), RENDER);

describe('DKIM signing of framed messages, checked by a receiver (mailauth)', () => {
  it('passes for a small message', async () => {
    expect(await dkimVerdicts(signed(rendered(1)))).toEqual([['acme.test', 'tid1', 'pass']]);
  });

  it('passes for a 40 KB message', async () => {
    const raw = signed(rendered(40));
    expect(raw.length).toBeGreaterThan(40 * 1024);
    expect(await dkimVerdicts(raw)).toEqual([['acme.test', 'tid1', 'pass']]);
  });

  it('passes with non-ASCII in the subject, the sender name and the body, over folded header fields', async () => {
    const msg: RenderedMessage = {
      ...rendered(4, { first_name: 'Zoë' }),
      from: { name: 'Acme Kaffeerösterei — Frische Bohnen aus eigener Röstung, jede Woche', email: 'news@acme.test' },
      subject: `Grüße, Zoë — ${'eine sehr lange Betreffzeile, die gefaltet werden muss, '.repeat(3)}✨`,
    };
    const raw = signed(msg);
    const head = raw.subarray(0, raw.indexOf('\r\n\r\n')).toString('latin1');
    expect(head).toMatch(/^Subject: =\?UTF-8\?B\?[^\r]*\r\n =\?UTF-8\?B\?/m);
    expect(head).toMatch(/^From: =\?UTF-8\?B\?[^\r]*\r\n /m);
    expect(await dkimVerdicts(raw)).toEqual([['acme.test', 'tid1', 'pass']]);
  });

  it('passes for a single HTML part whose content ends in blank lines', async () => {
    expect(await dkimVerdicts(signed({ ...rendered(1), text: '', html: '<p>Hi</p>\n\n\n' }))).toEqual([['acme.test', 'tid1', 'pass']]);
  });

  it('fails once a signed header field or the body is changed in transit', async () => {
    const raw = signed(rendered(4)).toString('latin1');
    const tamperedHeader = raw.replace('List-Unsubscribe-Post: List-Unsubscribe=One-Click', 'List-Unsubscribe-Post: List-Unsubscribe=Two-Click');
    const tamperedBody = raw.replace('Hello Reader1', 'Hello Mallory');
    expect(tamperedHeader).not.toBe(raw);
    expect(tamperedBody).not.toBe(raw);
    expect(await dkimVerdicts(Buffer.from(tamperedHeader, 'latin1'))).toEqual([['acme.test', 'tid1', 'fail']]);
    // mailauth calls a body that no longer matches its hash "neutral", with this comment.
    expect(await dkimVerdicts(Buffer.from(tamperedBody, 'latin1'))).toEqual([['acme.test', 'tid1', 'neutral']]);
    expect(await dkimComment(Buffer.from(tamperedBody, 'latin1'))).toMatch(/body hash did not verify/);
  });

  it('covers the same header fields as the nodemailer path (emails/mime.ts) for the same message', async () => {
    const msg = rendered(2);
    const theirs = await toMime(msg, { messageIdDomain: 'acme.test', messageId: 'msg_1', date: DATE, dkim: DKIM });
    expect(await signedHeaderNames(signed(msg))).toEqual(await signedHeaderNames(theirs));
  });

  it('takes RSA keys only, saying which domain the key was for', () => {
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    expect(() => new DkimSigner({ domain: 'acme.test', selector: 'tid1', privateKey })).toThrow(/acme\.test must be an RSA key/);
  });
});
