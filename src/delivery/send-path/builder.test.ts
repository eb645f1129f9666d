import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { BuildError, type MessageBuilder } from './model.ts';
import { createMessageBuilder } from './pool.ts';
import { compiledEmail, dkimVerdicts, jobsFor, recipient, RENDER } from './testing.ts';

const builders: Array<[string, MessageBuilder]> = [
  ['on the calling thread (pool size 0)', createMessageBuilder({ workers: 0 })],
  ['on two worker threads', createMessageBuilder({ workers: 2 })],
];

afterAll(async () => {
  await Promise.all(builders.map(([, b]) => b.close()));
});

describe.each(builders)('message builder %s', (_, builder) => {
  it('builds one signed, parseable message per job, in job order, as the renderer rendered it', async () => {
    const jobs = jobsFor(compiledEmail(6), 40);
    const messages = await builder.build(jobs);
    expect(messages.map((m) => m.messageRef)).toEqual(jobs.map((j) => j.messageRef));
    for (const i of [0, 17, 39]) {
      const m = messages[i];
      const expected = jobs[i].prepared.render(jobs[i].recipient, RENDER);
      const mail = await simpleParser(m.raw!);
      expect([mail.subject, mail.html, mail.text]).toEqual([expected.subject, expected.html, expected.text]);
      expect(mail.messageId).toBe(`<msg_${i}@acme.test>`);
      expect(m).toMatchObject({ idempotencyKey: `cmp_1:ctc_${i}`, category: 'marketing', subject: expected.subject, html: expected.html, to: [{ email: `reader${i}@example.com` }], from: { email: 'news@acme.test', name: 'Acme Coffee' } });
      expect(await dkimVerdicts(m.raw!)).toEqual([['acme.test', 'tid1', 'pass']]);
    }
  });

  it('leaves out what the caller does not need: the bytes for an HTTP API, the content fields for SMTP', async () => {
    const jobs = jobsFor(compiledEmail(2), 10);
    const [fields] = await builder.build(jobs, { content: 'fields' });
    const [raw] = await builder.build(jobs, { content: 'raw' });
    expect(fields.raw).toBeUndefined();
    expect(fields.html).toContain('Hello Reader0');
    expect(raw).toMatchObject({ html: '', text: undefined, subject: 'Fresh beans for Reader0' });
    expect((await simpleParser(raw.raw!)).html).toContain('Hello Reader0');
  });

  it('frames raw-only messages from pieces encoded once per send, decoding to exactly what the renderer rendered', async () => {
    const jobs = jobsFor(compiledEmail(6), 3);
    jobs[1].recipient = recipient(1, { first_name: ' Chloé  Ünal ', last_name: 'a=b' });
    const messages = await builder.build(jobs, { content: 'raw' });
    for (const [i, m] of messages.entries()) {
      const expected = jobs[i].prepared.render(jobs[i].recipient, RENDER);
      const mail = await simpleParser(m.raw!);
      expect([mail.subject, mail.html, mail.text]).toEqual([expected.subject, expected.html, expected.text]);
      expect(await dkimVerdicts(m.raw!)).toEqual([['acme.test', 'tid1', 'pass']]);
    }
  });

  it('builds jobs of several sends in one call, unsigned where no key is given, with extra header fields', async () => {
    const a = jobsFor(compiledEmail(2), 12);
    const b = jobsFor(compiledEmail(2, { emailId: 'eml_2', subject: 'Second email' }), 12, { dkim: null, headers: { 'X-Tidings-Brand': 'brd_1' } });
    const mixed = a.flatMap((job, i) => [job, b[i]]);
    const messages = await builder.build(mixed);
    const second = await simpleParser(messages[1].raw!);
    expect(second.subject).toBe('Second email');
    expect(second.headers.get('x-tidings-brand')).toBe('brd_1');
    expect(second.headers.has('dkim-signature')).toBe(false);
    expect(messages[1].headers).toMatchObject({ 'X-Tidings-Brand': 'brd_1', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    expect((await simpleParser(messages[0].raw!)).subject).toBe('Fresh beans for Reader0');
    expect(await dkimVerdicts(messages[22].raw!)).toEqual([['acme.test', 'tid1', 'pass']]);
  });

  it('fails the call with the message a job could not be built for', async () => {
    const jobs = jobsFor(compiledEmail(1), 20);
    jobs[13] = { ...jobs[13], messageRef: 'msg 13' };
    const err = await builder.build(jobs).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildError);
    expect(err).toMatchObject({ messageRef: 'msg 13', message: expect.stringContaining('cannot be a Message-ID') });
  });

  it('names the first job of a send whose DKIM key cannot be read, every time it is tried', async () => {
    const jobs = jobsFor(compiledEmail(1), 3, { dkim: { domain: 'acme.test', selector: 'tid1', privateKey: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----' } });
    const first = await builder.build(jobs).catch((e: BuildError) => e);
    const again = await builder.build(jobs).catch((e: BuildError) => e);
    expect(first).toMatchObject({ name: 'BuildError', messageRef: 'msg_0' });
    expect(again).toMatchObject({ name: 'BuildError', messageRef: 'msg_0', reason: (first as BuildError).reason });
  });
});

describe('worker pool', () => {
  it('builds the same messages as the calling thread, apart from the MIME boundary', async () => {
    const jobs = jobsFor(compiledEmail(3), 16);
    const [here, there] = await Promise.all([builders[0][1].build(jobs), builders[1][1].build(jobs)]);
    // The signature (first) covers the boundary, which each thread draws at random; the rest must match byte for byte.
    const comparable = (raw: Buffer) => {
      const text = raw.toString('latin1');
      return text.slice(text.indexOf('\r\nFrom: ') + 2).replace(/=_tidings_[0-9a-f]+/g, 'BOUNDARY');
    };
    expect(there.map((m) => comparable(m.raw!))).toEqual(here.map((m) => comparable(m.raw!)));
  });

  it('keeps working after a prepared email changes identity (a new version), sending the new setup', async () => {
    const pool = builders[1][1];
    const v1 = jobsFor(compiledEmail(1), 10);
    const v2 = jobsFor(compiledEmail(1, { version: 4, subject: 'Version four' }), 10);
    await pool.build(v1);
    const [m] = await pool.build(v2);
    expect((await simpleParser(m.raw!)).subject).toBe('Version four');
  });

  // Last: it closes the shared pool.
  it('fails the builds in progress when closed, and refuses new ones', async () => {
    const pool = builders[1][1];
    const pending = expect(pool.build(jobsFor(compiledEmail(4), 100))).rejects.toThrow('the message builder was closed');
    await pool.close();
    await pending;
    await expect(pool.build(jobsFor(compiledEmail(1), 1))).rejects.toThrow('the message builder is closed');
  });
});
