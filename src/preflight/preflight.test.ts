import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/stores.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { CHROMIUM_PATH } from './previews.ts';
import { SPAMASSASSIN } from './spam.ts';
import type { PreflightReport } from './model.ts';

const E = '/api/v1/emails';
const UTM = 'utm_source=tidings&utm_medium=email&utm_campaign=spring';
const STORY =
  'Spring has arrived at Acme Coffee, and with it a menu built around the first harvest of the season. Our roasters spent the winter tasting beans from three new farms, and the best of them are in your cup from today. ';

/** A realistic block email with one thing to fix: a linked image without alt text. */
const document = (site = 'https://tidings-demo.com', cdn = 'https://cdn.tidings-demo.com') => ({
  theme: { primary: '#1d4ed8', text: '#1f2933', background: '#f3f4f6', contentBackground: '#ffffff', headingFont: 'Georgia, serif', bodyFont: 'Arial, sans-serif' },
  sections: [
    {
      id: 'main',
      blocks: [
        { id: 'headline', type: 'heading', text: 'Our spring menu is here', level: 1 },
        { id: 'hero', type: 'image', src: `${cdn}/spring-latte.jpg`, alt: '', width: 552, href: `${site}/menu?${UTM}` },
        { id: 'story', type: 'text', text: `Hi {{ contact.first_name | default: "there" }},\n\n${STORY.repeat(8)}` },
        { id: 'cta', type: 'button', text: 'See the spring menu', url: `${site}/menu?${UTM}` },
        { id: 'note', type: 'footer', text: 'You receive this email because you joined Acme Coffee Rewards.' },
      ],
    },
  ],
});

describe.each(DIALECTS)('preflight API on %s', (dialect) => {
  let t: TestApp;
  let dataDir: string;
  let emailId: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-preflight-'));
    t = await createTestApp(dialect, { TIDINGS_PUBLIC_URL: 'https://mail.tidings-demo.com', TIDINGS_DATA_DIR: dataDir, TIDINGS_API_RATE_LIMIT: '100000' });
    const res = await t.api('POST', E, { name: 'Spring', subject: 'Our spring menu is here', preheader: 'Cherry blossom lattes, cold brew tonic and a free pastry for members until April.', document: document() });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    emailId = res.body.id;
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const run = async (id = emailId, body: unknown = {}) => {
    const res = await t.api<PreflightReport>('POST', `${E}/${id}/preflight`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  it('checks the email as sent and reports findings with locations, fixes, score and spam verdict', async () => {
    const report = await run();
    expect(report).toMatchObject({ emailId, version: 1, online: false, spam: { threshold: 5 } });
    expect(report.spam.engine).toBe(fs.existsSync(SPAMASSASSIN) ? 'spamassassin' : 'heuristic');
    expect(report.spam.score).toBeLessThan(2.5);
    expect(report.findings).toEqual([
      {
        id: 'images.alt',
        severity: 'critical',
        message: expect.stringContaining('linked image has no alt text'),
        location: { blockId: 'hero', selector: expect.stringMatching(/ > img$/), excerpt: 'https://cdn.tidings-demo.com/spring-latte.jpg' },
        fix: expect.any(String),
        autofix: { id: 'images.add-alt', label: 'Add alt text placeholders to images' },
      },
    ]);
    expect(report.counts).toEqual({ critical: 1, important: 0, suggested: 0 });
    expect(report.score).toBe(49);
    expect(report.timings.checksMs).toBeGreaterThan(0);
  });

  it('keeps the latest report per version and shows it in email lists', async () => {
    const report = await run();
    expect((await t.api('GET', `${E}/${emailId}/preflight`)).body).toEqual(report);
    const rows = await t.ctx.store.db.selectFrom('preflight_reports').select(['version', 'score']).where('email_id', '=', emailId).execute();
    expect(rows).toEqual([{ version: 1, score: 49 }]);
    const list = await t.api('GET', `${E}?search=Spring`);
    expect(list.body.data.find((e: { id: string }) => e.id === emailId).lastPreflight).toEqual({ score: 49, critical: 1, important: 0, suggested: 0, at: report.ranAt });
  });

  it('finds nothing critical in a new email made from the starter document', async () => {
    const blank = await t.api('POST', E, { name: 'Blank', subject: 'News from Acme Coffee' });
    const report = await run(blank.body.id);
    expect(report.findings.filter((f) => f.severity === 'critical')).toEqual([]);
  });

  it('answers 404 for an email never checked, or not of this brand', async () => {
    const other = await t.api('POST', E, { name: 'Unchecked' });
    expect((await t.api('GET', `${E}/${other.body.id}/preflight`)).status).toBe(404);
    expect((await t.api('POST', `${E}/eml_nope/preflight`, {})).status).toBe(404);
  });

  it('refuses unknown options', async () => {
    const res = await t.api('POST', `${E}/${emailId}/preflight`, { onlin: true });
    expect(res.status).toBe(400);
  });

  it('applies a fix as a new version with a note, and checks again', async () => {
    const res = await t.api('POST', `${E}/${emailId}/preflight/fixes`, { fixId: 'images.add-alt' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.email.version).toBe(2);
    expect(res.body.email.document.sections[0].blocks[1]).toMatchObject({ id: 'hero', alt: 'Spring latte' });
    expect(res.body.report).toMatchObject({ version: 2, score: 100, findings: [] });
    const versions = await t.api('GET', `${E}/${emailId}/versions`);
    expect(versions.body.data.map((v: { note: string }) => v.note)).toContain('preflight fix: Add alt text placeholders to images');
  });

  it('shortens a long subject through the Composer', async () => {
    const long = await t.api('POST', E, { name: 'Long subject', subject: 'Our spring menu is here with cherry blossom lattes and cold brew tonic for everyone', document: document() });
    const before = await run(long.body.id);
    expect(before.findings.find((f) => f.id === 'subject.length')).toMatchObject({ severity: 'important', autofix: { id: 'subject.shorten' } });
    const res = await t.api('POST', `${E}/${long.body.id}/preflight/fixes`, { fixId: 'subject.shorten' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect([...res.body.email.subject].length).toBeLessThanOrEqual(50);
    expect(res.body.report.findings.map((f: { id: string }) => f.id)).not.toContain('subject.length');
  });

  it('refuses unknown fixes and fixes with nothing to change', async () => {
    const unknown = await t.api('POST', `${E}/${emailId}/preflight/fixes`, { fixId: 'make.it.good' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.issues[0]).toMatchObject({ field: 'fixId', message: expect.stringContaining('unknown fix') });
    const nothing = await t.api('POST', `${E}/${emailId}/preflight/fixes`, { fixId: 'images.add-alt' });
    expect(nothing.status).toBe(400);
    expect(nothing.body.error.message).toMatch(/nothing to change/);
  });

  it('needs email:validate to check and email:write as well to fix', async () => {
    const key = async (scopes: string[]) => (await t.ctx.brands.createApiKey(t.brandId, { name: scopes.join(' '), scopes }, { type: 'user', id: t.userId })).secret;
    const as = async (secret: string, method: 'GET' | 'POST', url: string, body?: unknown) => (await t.app.inject({ method, url, headers: { authorization: `Bearer ${secret}` }, ...(body ? { payload: body as object } : {}) })).statusCode;
    const validator = await key(['email:validate']);
    expect(await as(validator, 'POST', `${E}/${emailId}/preflight`, {})).toBe(200);
    expect(await as(validator, 'GET', `${E}/${emailId}/preflight`)).toBe(200);
    expect(await as(validator, 'POST', `${E}/${emailId}/preflight/fixes`, { fixId: 'footer.add' })).toBe(403);
    const reader = await key(['email:read']);
    expect(await as(reader, 'POST', `${E}/${emailId}/preflight`, {})).toBe(403);
  });

  describe.skipIf(!fs.existsSync(CHROMIUM_PATH))('device previews', () => {
    it('draws 600 and 375 px, light and dark, and serves the PNGs', async () => {
      const res = await t.api('POST', `${E}/${emailId}/previews`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.note).toBe('Rendered by headless Chromium, not by Outlook or Gmail.');
      expect(res.body.previews.map((p: { url: string }) => p.url)).toEqual(['600-light', '375-light', '600-dark', '375-dark'].map((s) => `${E}/${emailId}/previews/2-${s}.png`));
      expect(fs.existsSync(path.join(dataDir, 'previews', emailId, '2-375-dark.png'))).toBe(true);
      const png = await t.app.inject({ method: 'GET', url: res.body.previews[0].url, headers: { authorization: `Bearer ${t.apiKey}` } });
      expect(png.statusCode).toBe(200);
      expect(png.headers['content-type']).toBe('image/png');
      expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    }, 60_000);

    it('serves nothing but its own preview files', async () => {
      for (const file of ['9-600-light.png', '..%2F..%2Fsecret', '2-600-light.png%00.txt']) {
        expect((await t.api('GET', `${E}/${emailId}/previews/${file}`)).status).toBe(404);
      }
    });

    it('deletes the preview images with the email', async () => {
      const dir = path.join(dataDir, 'previews', emailId);
      expect(fs.readdirSync(dir)).toContain('2-600-light.png');
      expect((await t.api('DELETE', `${E}/${emailId}`)).status).toBe(204);
      expect(fs.existsSync(dir)).toBe(false);
    });
  });
});

describe.each(DIALECTS)('online preflight on %s', (dialect) => {
  let t: TestApp;
  let server: http.Server;
  const asked: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      asked.push(`${req.method} ${req.url}`);
      res.writeHead(req.url?.startsWith('/menu') ? 404 : 200, { 'content-length': '0' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Every link of this app points at the loopback server, which private hosts must be allowed to reach.
    t = await createTestApp(dialect, { TIDINGS_PUBLIC_URL: base, TIDINGS_PREFLIGHT_ALLOW_PRIVATE: 'true' });
    (t as TestApp & { base: string }).base = base;
  });
  afterAll(async () => {
    await t?.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fetches links only when asked to, and reports the broken ones', async () => {
    const base = (t as TestApp & { base: string }).base;
    const email = await t.api('POST', E, { name: 'Online', subject: 'Our spring menu is here', document: document(base, base) });
    const offline = await t.api<PreflightReport>('POST', `${E}/${email.body.id}/preflight`, {});
    expect(offline.body.online).toBe(false);
    expect(asked).toEqual([]);
    const online = await t.api<PreflightReport>('POST', `${E}/${email.body.id}/preflight`, { online: true });
    expect(online.body.online).toBe(true);
    expect(online.body.findings).toContainEqual(expect.objectContaining({ id: 'links.reachable', severity: 'critical', message: expect.stringContaining('answers 404'), location: { blockId: 'hero', excerpt: `${base}/menu?${UTM}` } }));
    expect(asked).toEqual(expect.arrayContaining([`HEAD /menu?${UTM}`, 'HEAD /spring-latte.jpg']));
  });
});
