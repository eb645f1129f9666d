import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/stores.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { SCOPES } from '../brands/model.ts';
import { EmailDocument, LIMITS, type Email } from './model.ts';

const E = '/api/v1/emails';
const FIXTURES = path.resolve(import.meta.dirname, '../../test/fixtures/emails');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

/** A multipart/form-data body as a browser sends it. */
function multipart(content: Buffer | string, fileName: string, fields: Record<string, string> = {}) {
  const boundary = `----tidings${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  const body = Buffer.concat([
    ...parts,
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const issueFields = (res: { body: any }) => res.body.error.details.issues.map((i: any) => i.field);

/** A document with one section of the given blocks, in the shape the API accepts. */
const documentWith = (blocks: unknown[]) => ({
  theme: { primary: '#112233', text: '#222222', background: '#f0f0f0', contentBackground: '#ffffff', headingFont: 'Georgia, serif', bodyFont: 'Arial, sans-serif' },
  sections: [{ id: 's1', blocks }],
});

describe.each(DIALECTS)('emails API on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { TIDINGS_API_RATE_LIMIT: '100000' });
  });
  afterAll(async () => t?.close());

  const create = async (body: Record<string, unknown>): Promise<Email> => {
    const res = await t.api('POST', E, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const upload = (content: Buffer | string, fileName: string, fields?: Record<string, string>) => {
    const m = multipart(content, fileName, fields);
    return t.api('POST', `${E}/import`, m.body, m.headers);
  };

  it('creates an email from the brand kit: From, language, category and a starter document in its colours', async () => {
    const brand = await t.ctx.brands.getBrand(t.brandId);
    const e = await create({ name: 'Welcome' });
    expect(e).toMatchObject({
      brandId: t.brandId,
      name: 'Welcome',
      subject: '',
      fromName: 'Acme Coffee',
      fromEmail: 'hello@acme.test',
      replyTo: null,
      category: 'marketing',
      language: 'en',
      format: 'blocks',
      source: null,
      version: 1,
    });
    expect(e.id).toMatch(/^eml_/);
    expect(e.document!.theme).toMatchObject({ primary: brand.colors.primary, text: brand.colors.text, contentBackground: brand.colors.background, headingFont: brand.headingFont, bodyFont: brand.bodyFont });
    expect(EmailDocument.safeParse(e.document).success).toBe(true);
    expect((await t.api('GET', `${E}/${e.id}`)).body).toEqual(e);

    const given = await create({ name: 'Receipt', category: 'transactional', language: 'de-AT', fromName: 'Acme Billing', replyTo: 'billing@acme.test', subject: 'Your receipt' });
    expect(given).toMatchObject({ category: 'transactional', language: 'de-AT', fromName: 'Acme Billing', fromEmail: 'hello@acme.test', replyTo: 'billing@acme.test' });
  });

  it('lists newest first in keyset pages, searches name and subject, and leaves bodies out', async () => {
    const a = await create({ name: 'List alpha', subject: 'Spring sale' });
    const b = await create({ name: 'List beta', subject: 'Summer news' });
    const c = await create({ name: 'List gamma', subject: 'SPRING roast' });
    const first = await t.api('GET', `${E}?limit=2&search=list`);
    expect(first.body.data.map((e: any) => e.id)).toEqual([c.id, b.id]);
    expect(first.body.data[0]).not.toHaveProperty('document');
    expect(first.body.data[0]).not.toHaveProperty('source');
    expect(first.body.data[0].lastPreflight).toBeNull();
    const second = await t.api('GET', `${E}?limit=2&search=list&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ data: [expect.objectContaining({ id: a.id })], nextCursor: null });
    const spring = await t.api('GET', `${E}?search=spring`);
    expect(spring.body.data.map((e: any) => e.id)).toEqual([c.id, a.id]);
    expect((await t.api('GET', `${E}?search=${encodeURIComponent('100%_')}`)).body.data).toEqual([]);
  });

  it('shows the latest preflight result in lists until the content changes', async () => {
    const e = await create({ name: 'Checked email', subject: 'Before' });
    const summary = { score: 87, critical: 0, important: 1, suggested: 2, at: t.clock.now().toISOString() };
    await t.ctx.emails.recordPreflight(t.brandId, e.id, summary);
    const listed = async () => (await t.api('GET', `${E}?search=checked`)).body.data[0];
    expect(await listed()).toMatchObject({ id: e.id, lastPreflight: summary });
    await t.api('PATCH', `${E}/${e.id}`, { name: 'Checked email renamed' });
    expect((await listed()).lastPreflight).toEqual(summary);
    await t.api('PATCH', `${E}/${e.id}`, { subject: 'After' });
    expect((await listed()).lastPreflight).toBeNull();
    await expect(t.ctx.emails.recordPreflight(t.brandId, 'eml_nope', summary)).rejects.toThrow('email eml_nope was not found');
  });

  it('makes a version per content change (not per rename), compares versions and restores one', async () => {
    const e = await create({ name: 'Versioned', subject: 'First subject' });
    const renamed = await t.api('PATCH', `${E}/${e.id}`, { name: 'Versioned email', fromName: 'Acme Team' });
    expect(renamed.body).toMatchObject({ name: 'Versioned email', fromName: 'Acme Team', version: 1 });

    const v2 = await t.api('PATCH', `${E}/${e.id}`, { subject: 'Second subject', note: 'shorter subject' });
    expect(v2.body).toMatchObject({ subject: 'Second subject', version: 2 });
    const doc = structuredClone(e.document!);
    const headline = doc.sections[1].blocks[0] as { text: string };
    const before = headline.text;
    headline.text = 'A brand new headline';
    const v3 = await t.api('PATCH', `${E}/${e.id}`, { document: doc });
    expect(v3.body.version).toBe(3);
    expect((await t.api('PATCH', `${E}/${e.id}`, { document: doc, subject: 'Second subject' })).body.version).toBe(3);

    const versions = await t.api('GET', `${E}/${e.id}/versions`);
    const key = versions.body.data[0].createdBy;
    expect(key).toMatch(/^key_/);
    expect(versions.body.data.map((v: any) => [v.version, v.note, v.createdBy])).toEqual([
      [3, `api_key ${key}`, key],
      [2, 'shorter subject', key],
      [1, `api_key ${key}`, key],
    ]);
    expect(versions.body.data[0]).not.toHaveProperty('document');
    const one = await t.api('GET', `${E}/${e.id}/versions/1`);
    expect(one.body).toMatchObject({ emailId: e.id, version: 1, subject: 'First subject', format: 'blocks', document: e.document, source: null });

    const diff = await t.api('GET', `${E}/${e.id}/versions/1/diff/3`);
    expect(diff.body.fields).toEqual([{ field: 'subject', before: 'First subject', after: 'Second subject' }]);
    const changed = diff.body.lines.filter((l: any) => l.op !== '=');
    expect(changed.some((l: any) => l.op === '-' && l.text.includes(before))).toBe(true);
    expect(changed.some((l: any) => l.op === '+' && l.text.includes('A brand new headline'))).toBe(true);
    expect(diff.body.lines.filter((l: any) => l.op === '=').length).toBeGreaterThan(changed.length);

    const restored = await t.api('POST', `${E}/${e.id}/versions/1/restore`);
    expect(restored.body).toMatchObject({ version: 4, subject: 'First subject', document: e.document, name: 'Versioned email' });
    expect((await t.api('GET', `${E}/${e.id}/versions/4`)).body.note).toBe('restore of v1');
    const same = await t.api('GET', `${E}/${e.id}/versions/1/diff/4`);
    expect(same.body.fields).toEqual([]);
    expect(same.body.lines.every((l: any) => l.op === '=')).toBe(true);
  });

  it('switches a block email to MJML code, checks MJML in strict mode, and serves MJML and HTML', async () => {
    const e = await create({ name: 'Code' });
    const mjml = await t.api('GET', `${E}/${e.id}/mjml`);
    expect(mjml.headers['content-type']).toMatch(/^text\/plain/);
    expect(mjml.body).toContain('<mjml');

    const switched = await t.api('PATCH', `${E}/${e.id}`, { format: 'mjml' });
    expect(switched.body).toMatchObject({ format: 'mjml', document: null, version: 2 });
    expect(switched.body.source).toBe(mjml.body);

    const broken = await t.api('PATCH', `${E}/${e.id}`, { source: fixture('broken.mjml').toString() });
    expect(broken.status).toBe(400);
    expect((await t.api('GET', `${E}/${e.id}`)).body.version).toBe(2);

    const html = await t.api('GET', `${E}/${e.id}/html`);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.body).toMatch(/<html[\s>]/i);

    const back = await t.api('PATCH', `${E}/${e.id}`, { format: 'blocks' });
    expect(back.status).toBe(400);
    expect(issueFields(back)).toEqual(['document']);
    const htmlEmail = await create({ name: 'Raw', format: 'html', source: '<p>Hello</p>' });
    expect((await t.api('GET', `${E}/${htmlEmail.id}/mjml`)).body.error.details.issues[0].field).toBe('format');
  });

  it('names the field of bad input, down to a block inside the document', async () => {
    const unknown = await t.api('POST', E, { name: 'X', colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('unknown field "colour"');

    const badUrl = await t.api('POST', E, {
      name: 'Bad link',
      document: documentWith([
        { id: 'h', type: 'heading', text: 'Hi' },
        { id: 'b', type: 'button', text: 'Go', url: 'javascript:alert(1)' },
      ]),
    });
    expect(badUrl.status).toBe(400);
    expect(issueFields(badUrl)).toEqual(['document.sections.0.blocks.1.url']);

    expect(issueFields(await t.api('POST', E, { name: ' ' }))).toEqual(['name']);
    expect(issueFields(await t.api('POST', E, { name: 'x'.repeat(LIMITS.name + 1) }))).toEqual(['name']);
    expect(issueFields(await t.api('POST', E, { name: 'S', source: '<p>x</p>' }))).toEqual(['format']);

    const e = await create({ name: 'Patch target' });
    expect(issueFields(await t.api('PATCH', `${E}/${e.id}`, { fromEmail: 'nope' }))).toEqual(['fromEmail']);
    expect(issueFields(await t.api('PATCH', `${E}/${e.id}`, { source: '<p>code</p>' }))).toEqual(['source']);
    expect(issueFields(await t.api('PATCH', `${E}/${e.id}`, { language: 'english please' }))).toEqual(['language']);
    expect(issueFields(await t.api('GET', `${E}/${e.id}/versions/0`))).toEqual(['params.n']);
    expect((await t.api('GET', `${E}/${e.id}`)).body.version).toBe(1);
  });

  it("answers 404 for unknown emails and versions, and for another brand's emails", async () => {
    const e = await create({ name: 'Mine' });
    expect((await t.api('GET', `${E}/eml_nope`)).status).toBe(404);
    expect((await t.api('GET', `${E}/${e.id}/versions/9`)).body.error).toMatchObject({ code: 'not_found' });
    expect((await t.api('GET', `${E}/${e.id}/versions/1/diff/9`)).status).toBe(404);

    const other = await t.ctx.brands.createBrand({ name: 'Other brand' });
    const { secret } = await t.ctx.brands.createApiKey(other.id, { name: 'other', scopes: [...SCOPES] }, { type: 'system', id: null });
    const asOther = { authorization: `Bearer ${secret}` };
    for (const [method, url, body] of [
      ['GET', `${E}/${e.id}`],
      ['PATCH', `${E}/${e.id}`, { subject: 'hijack' }],
      ['DELETE', `${E}/${e.id}`],
      ['POST', `${E}/${e.id}/duplicate`],
      ['GET', `${E}/${e.id}/versions`],
      ['GET', `${E}/${e.id}/versions/1`],
      ['POST', `${E}/${e.id}/versions/1/restore`],
      ['GET', `${E}/${e.id}/render`],
    ] as const) {
      expect((await t.api(method, url, body, asOther)).status, `${method} ${url}`).toBe(404);
    }
    expect((await t.api('GET', E, undefined, asOther)).body.data).toEqual([]);
    expect((await t.api('GET', `${E}/${e.id}`)).body.subject).toBe('');
  });

  it('duplicates an email as a new one at version 1, and deletes with its versions (audited)', async () => {
    const e = await create({ name: 'Original', subject: 'Hello' });
    await t.api('PATCH', `${E}/${e.id}`, { subject: 'Hello again' });
    const copy = await t.api('POST', `${E}/${e.id}/duplicate`);
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ name: 'Original (copy)', subject: 'Hello again', version: 1, document: e.document });
    expect(copy.body.id).not.toBe(e.id);
    expect((await t.api('GET', `${E}/${copy.body.id}/versions`)).body.data.map((v: any) => v.note)).toEqual([`duplicate of ${e.id} v2`]);

    expect((await t.api('DELETE', `${E}/${e.id}`)).status).toBe(204);
    expect((await t.api('GET', `${E}/${e.id}`)).status).toBe(404);
    expect(await t.ctx.store.db.selectFrom('email_versions').select('version').where('email_id', '=', e.id).execute()).toEqual([]);
    expect((await t.api('GET', `${E}/${copy.body.id}`)).status).toBe(200);
    const audit = await t.api('GET', '/api/v1/audit');
    expect(audit.body.data[0]).toMatchObject({ action: 'email.deleted', targetId: e.id, details: { name: 'Original' } });
  });

  it('imports HTML, MJML and .eml files, and JSON content', async () => {
    const html = await upload(fixture('welcome.html'), 'welcome.html');
    expect(html.status).toBe(201);
    expect(html.body).toMatchObject({ name: 'Welcome to Acme Coffee', subject: 'Welcome to Acme Coffee', format: 'html', source: fixture('welcome.html').toString(), version: 1 });

    const mjml = await upload(fixture('spring.mjml'), 'spring.mjml', { name: 'Spring campaign' });
    expect(mjml.body).toMatchObject({ name: 'Spring campaign', subject: 'Spring roast is here', preheader: 'Bright, floral, limited', format: 'mjml' });

    const eml = await upload(fixture('newsletter.eml'), 'newsletter.eml');
    expect(eml.body).toMatchObject({ name: 'Café news for May', subject: 'Café news for May', format: 'html' });
    const [imported] = (await t.api('GET', `${E}/${eml.body.id}/versions`)).body.data;
    expect(imported.note).toBe(`imported from newsletter.eml by api_key ${imported.createdBy}`);

    const json = await t.api('POST', `${E}/import`, { format: 'html', content: '<h1>Hi</h1>', name: 'From JSON' });
    expect(json.body).toMatchObject({ name: 'From JSON', subject: '', format: 'html', source: '<h1>Hi</h1>' });
    const untitled = await t.api('POST', `${E}/import`, { format: 'html', content: '<h1>Hi</h1>' });
    expect(untitled.body.name).toBe('Imported HTML email');
  });

  it('refuses broken MJML, unknown files and oversize imports with the reason, and survives hostile HTML', async () => {
    const broken = await upload(fixture('broken.mjml'), 'broken.mjml');
    expect(broken.status).toBe(400);
    expect(issueFields(broken)).toEqual(['file']);
    expect(broken.body.error.message).toMatch(/^file: line 4: .*mj-text/);
    const brokenJson = await t.api('POST', `${E}/import`, { format: 'mjml', content: fixture('broken.mjml').toString() });
    expect(issueFields(brokenJson)).toEqual(['content']);

    const pdf = await upload('%PDF-1.4', 'report.pdf');
    expect(pdf.status).toBe(400);
    expect(pdf.body.error.message).toBe('file: "report.pdf" is not an .html, .htm, .mjml or .eml file');

    const big = 'x'.repeat(LIMITS.sourceBytes + 1);
    const tooBigFile = await upload(big, 'big.html');
    expect(tooBigFile.status).toBe(413);
    expect(tooBigFile.body.error).toMatchObject({ code: 'payload_too_large', message: 'file: is larger than 5 MB, the limit for an imported email' });
    const tooBigJson = await t.api('POST', `${E}/import`, { format: 'html', content: big });
    expect(tooBigJson.status).toBe(413);
    expect(tooBigJson.body.error.message).toBe('content: is 5.0 MB; an imported email may be at most 5 MB');
    expect(issueFields(await t.api('POST', `${E}/import`, { format: 'pdf', content: 'x' }))).toEqual(['format']);

    const hostile = await upload(fixture('hostile.html'), 'hostile.html');
    expect(hostile.status).toBe(201);
    expect(hostile.body.subject).toBe('Click <b>me</b>');
    const rendered = await t.api('GET', `${E}/${hostile.body.id}/render`);
    expect(rendered.status).toBe(200);
    expect(typeof rendered.body.html).toBe('string');
  });

  it('renders a preview with a real contact of the brand or a sample persona', async () => {
    const ann = await t.api('POST', '/api/v1/contacts', { email: 'ann@example.com', firstName: 'Ann' });
    const e = await create({ name: 'Preview', subject: 'Hello {{ contact.first_name | default: "there" }}' });
    const withAnn = await t.api('GET', `${E}/${e.id}/render?contactId=${ann.body.id}`);
    expect(withAnn.status).toBe(200);
    expect(withAnn.body.subject).toBe('Hello Ann');
    expect(withAnn.body.html).toContain('Hi Ann,');
    expect(withAnn.body.text).toContain('Hi Ann,');
    expect(Object.keys(withAnn.body).sort()).toEqual(['headers', 'html', 'subject', 'text']);

    const missing = await t.api('GET', `${E}/${e.id}/render?persona=missing`);
    expect(missing.body.subject).toBe('Hello there');
    expect((await t.api('GET', `${E}/${e.id}/render?contactId=ctc_nope`)).status).toBe(404);
  });

  it('documents the routes in the OpenAPI document under the emails tag', async () => {
    const doc = (await t.api('GET', '/api/v1/openapi.json')).body;
    for (const p of ['/api/v1/emails', '/api/v1/emails/{id}', '/api/v1/emails/import', '/api/v1/emails/{id}/versions/{a}/diff/{b}', '/api/v1/emails/{id}/test-send']) {
      expect(doc.paths[p], p).toBeDefined();
    }
    expect(doc.paths['/api/v1/emails'].post.tags).toEqual(['emails']);
    expect(doc.paths['/api/v1/emails/{id}'].patch.requestBody.content['application/json'].schema.properties).toHaveProperty('document');
  });
});
