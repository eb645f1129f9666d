import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/stores.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { smtpSink, type SmtpSink } from '../../test/helpers/smtp-sink.ts';

const E = '/api/v1/emails';

type DkimResult = { results: Array<{ signingDomain: string; selector: string; status: { result: string } }> };
// mailauth ships no type declarations.
const { dkimVerify } = createRequire(import.meta.url)('mailauth/lib/dkim/verify.js') as {
  dkimVerify(message: Buffer, opts: { resolver: (name: string, type: string) => Promise<string[][]> }): Promise<DkimResult>;
};

describe.each(DIALECTS)('test send on %s', (dialect) => {
  let sink: SmtpSink;
  let t: TestApp;
  const dkim = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dkimKey = dkim.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  /** DNS as the receiver would see it: only the selector's TXT record exists. */
  const resolver = async (name: string, type: string) => {
    if (name === 'tid1._domainkey.acme.test' && type === 'TXT') return [[`v=DKIM1; k=rsa; p=${dkim.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`]];
    throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
  };

  beforeAll(async () => {
    sink = await smtpSink();
    t = await createTestApp(dialect, { TIDINGS_SMTP_URL: sink.url, TIDINGS_DKIM_DOMAIN: 'acme.test', TIDINGS_DKIM_SELECTOR: 'tid1', TIDINGS_DKIM_PRIVATE_KEY: dkimKey });
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  it("sends the current version to each address with a contact's data, '[Test] ' subject, both parts and a DKIM signature", async () => {
    const ann = await t.api('POST', '/api/v1/contacts', { email: 'ann@example.com', firstName: 'Ann' });
    const email = await t.api('POST', E, { name: 'Launch', subject: 'Hello {{ contact.first_name | default: "there" }}' });
    const before = sink.received.length;

    const res = await t.api('POST', `${E}/${email.body.id}/test-send`, { to: ['qa@example.com', 'boss@example.com'], contactId: ann.body.id });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.sent.map((s: any) => s.to)).toEqual(['qa@example.com', 'boss@example.com']);

    const got = sink.received.slice(before);
    expect(got.map((m) => [m.from, m.to])).toEqual([
      ['hello@acme.test', ['qa@example.com']],
      ['hello@acme.test', ['boss@example.com']],
    ]);
    const mail = await simpleParser(got[0].raw);
    expect(mail.subject).toBe('[Test] Hello Ann');
    expect(mail.to).toMatchObject({ value: [{ address: 'qa@example.com' }] });
    expect(mail.from).toMatchObject({ value: [{ address: 'hello@acme.test', name: 'Acme Coffee' }] });
    expect(mail.headers.get('content-type')).toMatchObject({ value: expect.stringMatching(/^multipart\//) });
    expect(mail.html).toContain('Hi Ann,');
    expect(mail.text).toContain('Hi Ann,');
    expect(mail.messageId).toBe(res.body.sent[0].messageId);
    const signed = await dkimVerify(got[0].raw, { resolver });
    expect(signed.results.map((r) => [r.signingDomain, r.selector, r.status.result])).toEqual([['acme.test', 'tid1', 'pass']]);

    const audit = await t.api('GET', '/api/v1/audit');
    expect(audit.body.data[0]).toMatchObject({ action: 'email.test_sent', targetId: email.body.id, details: { version: 1, to: ['qa@example.com', 'boss@example.com'], contactId: ann.body.id } });
  });

  it('fills merge tags from the full sample persona when no contact is chosen', async () => {
    const email = await t.api('POST', E, { name: 'Sample', subject: 'Hi {{ contact.first_name | default: "there" }}' });
    const before = sink.received.length;
    expect((await t.api('POST', `${E}/${email.body.id}/test-send`, { to: ['qa@example.com'] })).status).toBe(200);
    const mail = await simpleParser(sink.received[before].raw);
    expect(mail.subject).toMatch(/^\[Test\] Hi (?!there)\S+/);
  });

  it('refuses bad recipient lists and unknown contacts before sending anything', async () => {
    const email = await t.api('POST', E, { name: 'Guarded' });
    const before = sink.received.length;
    const send = (body: unknown) => t.api('POST', `${E}/${email.body.id}/test-send`, body);
    const fields = (res: { body: any }) => res.body.error.details.issues.map((i: any) => i.field);
    expect(fields(await send({ to: [] }))).toEqual(['to']);
    expect(fields(await send({ to: Array.from({ length: 11 }, (_, i) => `a${i}@example.com`) }))).toEqual(['to']);
    expect(fields(await send({ to: ['qa@example.com', 'not an address'] }))).toEqual(['to.1']);
    expect((await send({ to: ['qa@example.com'], contactId: 'ctc_nope' })).status).toBe(404);
    expect((await t.api('POST', `${E}/eml_nope/test-send`, { to: ['qa@example.com'] })).status).toBe(404);
    expect(sink.received.length).toBe(before);
  });

  it('tells the user to set TIDINGS_SMTP_URL when no SMTP server is configured', async () => {
    const bare = await createTestApp(dialect);
    try {
      const email = await bare.api('POST', E, { name: 'Nowhere' });
      const res = await bare.api('POST', `${E}/${email.body.id}/test-send`, { to: ['qa@example.com'] });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('set TIDINGS_SMTP_URL');
    } finally {
      await bare.close();
    }
  });
});
