import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { DIALECTS } from '../../../test/helpers/stores.ts';
import { newId } from '../../shared/ids.ts';
import { toJson } from '../../shared/json.ts';
import { outbound } from '../providers/testing.ts';
import { secondBrand } from '../settings/testing.ts';
import { CAPTURE_STAMP_HEADER } from './model.ts';

/** Another program on this machine writing straight to the inbox port, with no help from Tidings. */
async function sendDirect(port: number, raw: string): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ envelope: { from: 'someone@local.test', to: ['ann@example.com'] }, raw });
  } finally {
    transport.close();
  }
}

const rawMessage = (subject: string, extra = '') => `From: someone@local.test\r\nTo: ann@example.com\r\nSubject: ${subject}\r\n${extra}Content-Type: text/plain\r\n\r\nHello.\r\n`;

describe.each(DIALECTS)('capture inbox (%s)', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(dialect, { TIDINGS_CAPTURE_KEEP: '3' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const sendAs = async (brandId: string, subject: string, extra: Parameters<typeof outbound>[0] = {}) => {
    const { provider } = await t.ctx.providers.resolve(brandId, null);
    const outcome = await provider.send(outbound({ subject, messageRef: newId('msg'), ...extra }));
    expect(outcome.status).toBe('accepted');
    return outcome;
  };

  it('keeps what the capture provider sends, with HTML, text, headers and the raw bytes', async () => {
    await t.api('DELETE', '/api/v1/inbox');
    const ref = newId('msg');
    await sendAs(t.brandId, 'Fresh beans are here', { messageRef: ref });
    const list = await t.api('GET', '/api/v1/inbox');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ data: [{ from: '"Acme Coffee" <hello@acme.test>', to: ['ann@example.com'], subject: 'Fresh beans are here', messageRef: ref }], nextCursor: null });
    const id = list.body.data[0].id;
    expect(id).toMatch(/^cap_/);

    const one = await t.api('GET', `/api/v1/inbox/${id}`);
    expect(one.body).toMatchObject({
      id,
      envelope: { from: 'hello@acme.test', to: ['ann@example.com'] },
      html: expect.stringContaining('shop now'),
      text: expect.stringContaining('https://acme.test/shop'),
    });
    expect(one.body.headers).toContainEqual({ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' });

    const raw = await t.app.inject({ method: 'GET', url: `/api/v1/inbox/${id}/raw`, headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['content-type']).toBe('message/rfc822');
    expect(raw.rawPayload.toString()).toMatch(/^Subject: Fresh beans are here\r$/m);
    expect(raw.rawPayload.length).toBe(one.body.size);
  });

  it('stamps finished raw messages too, and keeps their bytes after the stamp', async () => {
    const raw = Buffer.from(rawMessage('Raw and signed', `Message-ID: <raw-1@acme.test>\r\n`));
    await sendAs(t.brandId, 'ignored for raw', { raw });
    const [latest] = (await t.api('GET', '/api/v1/inbox')).body.data;
    expect(latest).toMatchObject({ subject: 'Raw and signed', messageId: 'raw-1@acme.test' });
    const stored = await t.ctx.inbox.raw(t.brandId, latest.id);
    expect(stored.toString()).toMatch(new RegExp(`^${CAPTURE_STAMP_HEADER}: brand=${t.brandId}; ref=msg_\\w+; sig=[\\w-]+\\r\\n`));
    expect(stored.toString()).toContain(raw.toString().trimEnd());
  });

  it('files each message under its own brand only', async () => {
    const other = await secondBrand(t);
    await sendAs(other.brandId, 'For the other brand');
    const mine = (await t.api('GET', '/api/v1/inbox')).body.data.map((m: { subject: string }) => m.subject);
    const theirs = (await other.api('GET', '/api/v1/inbox')).body.data;
    expect(mine).not.toContain('For the other brand');
    expect(theirs.map((m: { subject: string }) => m.subject)).toEqual(['For the other brand']);
    expect((await t.api('GET', `/api/v1/inbox/${theirs[0].id}`)).status).toBe(404);
    expect((await t.api('DELETE', `/api/v1/inbox/${theirs[0].id}`)).status).toBe(404);
    expect((await other.api('GET', `/api/v1/inbox/${theirs[0].id}`)).status).toBe(200);
  });

  it('files mail from other programs nowhere, even with a forged stamp, unless its Message-ID names one of our messages', async () => {
    const port = await t.ctx.inbox.start();
    await t.api('DELETE', '/api/v1/inbox');
    await sendDirect(port, rawMessage('No stamp'));
    await sendDirect(port, rawMessage('Forged stamp', `${CAPTURE_STAMP_HEADER}: brand=${t.brandId}; ref=x; sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n`));
    expect((await t.api('GET', '/api/v1/inbox')).body.data).toEqual([]);
    const orphans = await t.ctx.store.db.selectFrom('capture_messages').select(['subject', 'brand_id']).where('brand_id', 'is', null).execute();
    expect(orphans.map((o) => o.subject).sort()).toEqual(['Forged stamp', 'No stamp']);

    // A raw SMTP client of the send path that bypasses the provider still lands in the right inbox.
    const messageId = newId('msg');
    const at = t.clock.now().toISOString();
    await t.ctx.store.db
      .insertInto('messages')
      .values({ id: messageId, brand_id: t.brandId, dedupe_key: `test:${messageId}`, contact_id: 'ctc_1', email: 'ann@example.com', status: 'sending', due_at: at, created_at: at, updated_at: at })
      .execute();
    await sendDirect(port, rawMessage('From the outbox', `Message-ID: <${messageId}@acme.test>\r\n`));
    expect((await t.api('GET', '/api/v1/inbox')).body.data).toMatchObject([{ subject: 'From the outbox', messageRef: messageId }]);
  });

  it('searches subject, from and to, and pages newest first', async () => {
    await t.api('DELETE', '/api/v1/inbox');
    await sendAs(t.brandId, 'Spring blend');
    await sendAs(t.brandId, 'Summer blend', { to: [{ email: 'bob@example.com' }] });
    await sendAs(t.brandId, 'Autumn 100% roast');
    const subjects = async (query: string) => (await t.api('GET', `/api/v1/inbox${query}`)).body.data.map((m: { subject: string }) => m.subject);
    expect(await subjects('')).toEqual(['Autumn 100% roast', 'Summer blend', 'Spring blend']);
    expect(await subjects('?search=BLEND')).toEqual(['Summer blend', 'Spring blend']);
    expect(await subjects('?search=bob@')).toEqual(['Summer blend']);
    expect(await subjects('?search=100%25')).toEqual(['Autumn 100% roast']);
    expect(await subjects('?search=acme.test')).toHaveLength(3);

    const first = (await t.api('GET', '/api/v1/inbox?limit=2')).body;
    expect(first.data.map((m: { subject: string }) => m.subject)).toEqual(['Autumn 100% roast', 'Summer blend']);
    const second = (await t.api('GET', `/api/v1/inbox?limit=2&cursor=${first.nextCursor}`)).body;
    expect(second).toMatchObject({ data: [{ subject: 'Spring blend' }], nextCursor: null });
  });

  it('keeps only the newest messages per brand (TIDINGS_CAPTURE_KEEP=3)', async () => {
    for (const n of [1, 2, 3, 4, 5]) await sendAs(t.brandId, `Kept? ${n}`);
    const subjects = (await t.api('GET', '/api/v1/inbox')).body.data.map((m: { subject: string }) => m.subject);
    expect(subjects).toEqual(['Kept? 5', 'Kept? 4', 'Kept? 3']);
  });

  it('deletes one message, then empties the inbox', async () => {
    const [latest] = (await t.api('GET', '/api/v1/inbox')).body.data;
    expect((await t.api('DELETE', `/api/v1/inbox/${latest.id}`)).status).toBe(204);
    expect((await t.api('DELETE', `/api/v1/inbox/${latest.id}`)).body.error.message).toBe(`captured message ${latest.id} was not found`);
    expect((await t.api('DELETE', '/api/v1/inbox')).body).toEqual({ deleted: 2 });
    expect((await t.api('GET', '/api/v1/inbox')).body.data).toEqual([]);
  });
});
