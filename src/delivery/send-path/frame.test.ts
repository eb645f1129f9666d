import { simpleParser, type ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { toMime } from '../../emails/mime.ts';
import type { RenderedMessage } from '../../emails/model.ts';
import { prepareMessage } from '../../emails/render.ts';
import { assemble, field, frame, frameTemplate, qpPieces, quotedPrintable } from './frame.ts';
import { compiledEmail, recipient, RENDER } from './testing.ts';

const DATE = new Date('2026-03-04T05:06:07.000Z');
const IDS = { messageRef: 'msg_01', date: DATE };

const MESSAGE: RenderedMessage = {
  to: 'ada@example.com',
  from: { name: 'Acme Ünïcode', email: 'news@acme.example' },
  replyTo: 'help@acme.example',
  subject: 'Grüße, Ada — 50% off ✨ on everything in the spring collection, this week only, while stocks last',
  html: `<!DOCTYPE html><html><body><p>Héllo Ada</p>\n${'<p style="color:red">A long line of text = that goes on and on.  Two spaces,\ta tab, trailing space </p>'.repeat(60)}\n.starts with a dot\n</body></html>`,
  text: 'Héllo Ada\n\nA line with trailing spaces   \n\tand a tab\n.dot at the start\r\nWindows line\rold Mac line\n',
  headers: {
    'List-Unsubscribe': '<https://mail.acme.example/u/abc.def>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'Feedback-ID': 'cmp_1:eml_1:brd_1:tidings',
  },
};

function framed(msg: RenderedMessage = MESSAGE, extra: Record<string, string> = {}): Buffer {
  const template = frameTemplate({ from: msg.from, replyTo: msg.replyTo, text: msg.text, html: msg.html }, { messageIdDomain: 'acme.example' });
  return assemble(frame(template, msg, IDS, extra));
}

const headerOf = (mail: ParsedMail, name: string) => mail.headerLines.find((h) => h.key === name)?.line.replace(/\r?\n[ \t]+/g, ' ');
/** Bare LF and lone CR become CRLF in a text part; mailparser hands back LF. */
const lineEnds = (s: string) => s.replace(/\r\n?/g, '\n');

describe('frame', () => {
  it('round-trips subject, addresses, bodies and headers exactly through a MIME parser', async () => {
    const mail = await simpleParser(framed());
    expect(mail.subject).toBe(MESSAGE.subject);
    expect(mail.from?.value).toEqual([{ name: 'Acme Ünïcode', address: 'news@acme.example' }]);
    expect(mail.to && !Array.isArray(mail.to) && mail.to.value).toEqual([{ name: '', address: 'ada@example.com' }]);
    expect(mail.replyTo?.value).toEqual([{ name: '', address: 'help@acme.example' }]);
    expect(mail.messageId).toBe('<msg_01@acme.example>');
    expect(mail.date?.toISOString()).toBe(DATE.toISOString());
    expect(mail.html).toBe(lineEnds(MESSAGE.html));
    expect(mail.text).toBe(lineEnds(MESSAGE.text));
    expect(headerOf(mail, 'list-unsubscribe')).toBe('List-Unsubscribe: <https://mail.acme.example/u/abc.def>');
    expect(headerOf(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(headerOf(mail, 'feedback-id')).toBe('Feedback-ID: cmp_1:eml_1:brd_1:tidings');
  });

  it('says the same as nodemailer says for the same message', async () => {
    // nodemailer drops a lone CR where we break the line; everything else must read the same.
    const msg = { ...MESSAGE, text: MESSAGE.text.replace('\rold', '\nold') };
    const ours = await simpleParser(framed(msg));
    const theirs = await simpleParser(await toMime(msg, { messageIdDomain: 'acme.example', messageId: 'msg_01', date: DATE }));
    const gist = (m: ParsedMail) => ({
      subject: m.subject,
      from: m.from?.value,
      to: m.to && !Array.isArray(m.to) && m.to.value,
      replyTo: m.replyTo?.value,
      messageId: m.messageId,
      date: m.date?.toISOString(),
      html: m.html,
      text: m.text,
      contentType: m.headers.get('content-type') && (m.headers.get('content-type') as { value: string }).value,
      extra: ['list-unsubscribe', 'list-unsubscribe-post', 'feedback-id'].map((k) => headerOf(m, k)),
    });
    expect(gist(ours)).toEqual(gist(theirs));
  });

  it('writes only 7-bit CRLF lines: header lines within 78 characters, body lines within 76', () => {
    const raw = framed();
    const text = raw.toString('latin1');
    expect(text).not.toMatch(/[^\x00-\x7f]/);
    expect(text).not.toMatch(/[^\r]\n|\r[^\n]/);
    const [head, ...body] = text.split('\r\n\r\n');
    for (const line of head.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    for (const line of body.join('\r\n\r\n').split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
  });

  it('leaves nothing for relaxed body canonicalisation to change: no tabs, no space runs, no trailing space', () => {
    const raw = framed();
    const body = raw.subarray(raw.indexOf('\r\n\r\n') + 4).toString('latin1');
    expect(body).not.toMatch(/\t|  | \r\n/);
    expect(body.endsWith('--\r\n')).toBe(true);
    expect(body).not.toMatch(/\r\n\r\n$/);
  });

  it('uses base64 for a part mostly in a non-Latin script, and still round-trips it', async () => {
    const japanese = { ...MESSAGE, subject: '春のコレクション', text: '春のコレクションが届きました。'.repeat(30), html: `<p>${'春のコレクションが届きました。'.repeat(30)}</p>` };
    const raw = framed(japanese);
    expect(raw.toString('latin1')).toMatch(/Content-Transfer-Encoding: base64/);
    const mail = await simpleParser(raw);
    expect([mail.subject, mail.text, mail.html]).toEqual([japanese.subject, japanese.text, japanese.html]);
  });

  it('sends a single HTML part when the text part rendered empty', async () => {
    const raw = framed({ ...MESSAGE, text: '' });
    const mail = await simpleParser(raw);
    expect(raw.toString('latin1')).not.toContain('multipart');
    expect(mail.html).toBe(lineEnds(MESSAGE.html));
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'text/html' });
  });

  it('keeps merge values from adding header fields, and extra headers from replacing the framing', async () => {
    const raw = framed({ ...MESSAGE, subject: 'Hi\r\nBcc: victim@example.com' }, { 'X-Tidings-Brand': 'brd_1', From: 'spoof@evil.example', 'content-type': 'text/plain' });
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe('Hi Bcc: victim@example.com');
    expect(mail.bcc).toBeUndefined();
    expect(mail.from?.value[0].address).toBe('news@acme.example');
    expect(mail.headerLines.filter((h) => h.key === 'from' || h.key === 'content-type')).toHaveLength(2);
    expect(headerOf(mail, 'x-tidings-brand')).toBe('X-Tidings-Brand: brd_1');
  });

  it('folds a long ASCII subject at spaces and a parser unfolds it to the same text', async () => {
    const subject = 'A plain subject that is long enough to need folding because it runs well past seventy-eight characters';
    const raw = framed({ ...MESSAGE, subject });
    expect(raw.toString('latin1')).toMatch(/^Subject: A plain subject[^\r]*\r\n [^\r]+$/m);
    expect((await simpleParser(raw)).subject).toBe(subject);
  });

  it('encodes text that would read as an encoded word', async () => {
    const subject = 'Literally =?UTF-8?B?SGk=?= here';
    expect((await simpleParser(framed({ ...MESSAGE, subject }))).subject).toBe(subject);
  });

  it('refuses a message reference that cannot stand in a Message-ID', () => {
    const template = frameTemplate(compiledEmail(), { messageIdDomain: 'acme.test' });
    expect(() => frame(template, MESSAGE, { messageRef: 'msg_1@evil>', date: DATE })).toThrow(/cannot be a Message-ID/);
  });

  it('refuses a header name that is not one', () => {
    expect(() => field('Bad Name', 'x')).toThrow(/not a header field name/);
  });

  it('frames what the renderer produced for a recipient, tracking links and all', async () => {
    const compiled = compiledEmail(8);
    const rendered = prepareMessage(compiled).render(recipient(7, { first_name: 'Zoë' }), RENDER);
    const template = frameTemplate(compiled, { messageIdDomain: 'acme.test' });
    const mail = await simpleParser(assemble(frame(template, rendered, IDS)));
    expect([mail.subject, mail.html, mail.text]).toEqual([rendered.subject, rendered.html, rendered.text]);
    expect(mail.subject).toBe('Fresh beans for Zoë');
    expect(mail.html).toContain('https://t.acme.test/t/c/');
  });
});

describe('quoted-printable', () => {
  it('never splits an escape across a soft line break, and decodes back exactly', async () => {
    const text = `${'é'.repeat(200)}=${'x'.repeat(150)} 😀 ${'y '.repeat(60)}`;
    const encoded = quotedPrintable(text).toString('latin1');
    for (const line of encoded.split('\r\n')) expect(line).toMatch(/^([^=]|=[0-9A-F]{2})*=?$/);
    const raw = Buffer.from(`Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${encoded}`, 'latin1');
    expect((await simpleParser(raw)).text).toBe(text);
  });

  it('encodes in pieces that join into a valid encoding of the joined text, whatever falls on a boundary', async () => {
    const pieces = ['Hello ', 'Chloé', ' ', '\n', `${'a'.repeat(74)} `, '=', 'x'.repeat(300), ' 😀', 'line\n', '', ' trailing '];
    const encoded = Buffer.concat(pieces.map((p) => qpPieces.encode(p))).toString('latin1');
    for (const line of encoded.split('\r\n')) {
      expect(line.length).toBeLessThanOrEqual(76);
      expect(line).not.toMatch(/[ \t]$/);
    }
    const raw = Buffer.from(`Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${encoded}`, 'latin1');
    expect((await simpleParser(raw)).text).toBe(pieces.join(''));
  });
});
