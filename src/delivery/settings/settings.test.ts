import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { DIALECTS } from '../../../test/helpers/stores.ts';
import { vendorServer, type VendorServer } from '../../../test/helpers/vendor-server.ts';
import { DomainError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { toJson } from '../../shared/json.ts';
import { outbound } from '../providers/testing.ts';
import { sendgridKeys } from '../webhooks/test-kit.ts';
import { Sealer } from './sealing.ts';
import { secondBrand } from './testing.ts';

const SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

describe('sealing', () => {
  const sealer = new Sealer(SECRET, 'provider-settings');

  it('round-trips, with a fresh IV each time', () => {
    const a = sealer.seal('{"apiKey":"re_x"}', 'prv_1');
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(a).not.toContain('re_x');
    expect(sealer.seal('{"apiKey":"re_x"}', 'prv_1')).not.toBe(a);
    expect(sealer.open(a, 'prv_1', 'x')).toBe('{"apiKey":"re_x"}');
  });

  it('refuses another row, another purpose, another secret and a changed byte, saying what to do', () => {
    const sealed = sealer.seal('{"apiKey":"re_x"}', 'prv_1');
    const message = /the settings of prv_1 cannot be decrypted: was TIDINGS_SECRET changed/;
    expect(() => sealer.open(sealed, 'prv_2', 'the settings of prv_1')).toThrow(message);
    expect(() => new Sealer(SECRET, 'dkim-private-key').open(sealed, 'prv_1', 'the settings of prv_1')).toThrow(message);
    expect(() => new Sealer(`${SECRET}x`, 'provider-settings').open(sealed, 'prv_1', 'the settings of prv_1')).toThrow(message);
    const parts = sealed.split('.');
    parts[3] = `${parts[3][0] === 'A' ? 'B' : 'A'}${parts[3].slice(1)}`;
    expect(() => sealer.open(parts.join('.'), 'prv_1', 'the settings of prv_1')).toThrow(DomainError);
  });
});

describe.each(DIALECTS)('provider accounts (%s)', (dialect) => {
  let t: TestApp;
  let vendor: VendorServer;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    vendor = await vendorServer(() => ({ status: 200, json: { id: 're_1' } }));
  });
  afterAll(async () => {
    await t?.close();
    await vendor?.close();
  });
  beforeEach(() => {
    vendor.requests.length = 0;
  });

  const resend = (name: string, extra: Record<string, unknown> = {}) => ({ name, settings: { kind: 'resend', apiKey: 're_live_secret', baseUrl: vendor.baseUrl }, ...extra });

  it('lists the built-in capture inbox first, as the default, and will not change or delete it', async () => {
    const list = await t.api('GET', '/api/v1/providers');
    expect(list.status).toBe(200);
    expect(list.body.data[0]).toMatchObject({ id: 'capture', kind: 'capture', builtIn: true, isDefault: true, webhookUrl: null });
    expect((await t.api('DELETE', '/api/v1/providers/capture')).body.error.message).toBe('id: the built-in capture inbox cannot be deleted');
    expect((await t.api('PATCH', '/api/v1/providers/capture', { name: 'x' })).status).toBe(400);
  });

  it('adds an account: secrets are sealed in the database and never returned', async () => {
    const created = await t.api('POST', '/api/v1/providers', resend('Resend main', { webhook: { secret: 'whsec_c2VjcmV0LXNpZ25pbmcta2V5LTEyMzQ1Njc4' } }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Resend main',
      kind: 'resend',
      settings: { kind: 'resend', baseUrl: vendor.baseUrl, timeoutMs: 30_000 },
      secrets: { apiKey: true },
      webhook: {},
      webhookSecrets: { secret: true },
      webhookUrl: `http://localhost:3000/webhooks/resend/${created.body.id}`,
      isDefault: false,
      builtIn: false,
    });
    expect(created.body.id).toMatch(/^prv_/);
    expect(JSON.stringify(created.body)).not.toMatch(/re_live_secret|whsec_/);
    expect(JSON.stringify((await t.api('GET', '/api/v1/providers')).body)).not.toMatch(/re_live_secret|whsec_/);

    const row = await t.ctx.store.db.selectFrom('provider_accounts').selectAll().where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(row.settings).toMatch(/^v1\./);
    expect(`${row.settings} ${row.webhook}`).not.toMatch(/re_live_secret|whsec_|resend/);
  });

  it('names every bad field and refuses the built-in kind, a duplicate name and webhooks for SMTP', async () => {
    const issues = async (body: unknown) => {
      const r = await t.api('POST', '/api/v1/providers', body);
      expect(r.status, JSON.stringify(r.body)).toBeGreaterThanOrEqual(400);
      return r.body.error.details.issues.map((i: { field: string; message: string }) => `${i.field}: ${i.message}`);
    };
    expect(await issues({ name: 'x', settings: { kind: 'resend' } })).toEqual(['settings.apiKey: is required']);
    expect(await issues({ name: 'x', settings: { kind: 'sparkpost' } })).toEqual(['settings.kind: must be one of smtp, ses, resend, sendgrid, mailgun, postmark, capture']);
    expect(await issues({ name: '', settings: { kind: 'resend', apiKey: 'k' } })).toEqual(['name: is required']);
    expect(await issues({ name: 'x', settings: { kind: 'capture', port: 25 } })).toEqual(['settings.kind: the capture inbox is built in (provider id "capture"); add an account of another kind']);
    expect(await issues({ name: 'x', settings: { kind: 'smtp', host: 'smtp.acme.test' }, webhook: { secret: 'x' } })).toEqual(['webhook: smtp accounts post no events; leave webhook out']);
    expect(await issues({ name: 'x', settings: { kind: 'sendgrid', apiKey: 'SG.x' }, webhook: { publicKey: 'bm90IGEga2V5' } })).toEqual([
      'webhook.publicKey: is not an ECDSA public key (base64 SPKI from Mail Settings, or PEM)',
    ]);
    expect(await issues({ name: 'x', settings: { kind: 'ses', region: 'eu-west-1' }, webhook: { topicArns: ['tidings'] } })).toEqual([
      'webhook.topicArns.0: must be an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:tidings-events',
    ]);
    expect(await issues({ name: 'x', settings: { kind: 'postmark', serverToken: 'pm' }, webhook: {} })).toEqual([
      'webhook: set basicAuth and/or header: Postmark does not sign webhooks, so one of them must authenticate it',
    ]);
    const dup = await t.api('POST', '/api/v1/providers', resend('Resend main'));
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toBe('a provider account named "Resend main" already exists');
  });

  it('keeps omitted secrets on PATCH (merge patch), and a changed account is rebuilt for the send path', async () => {
    const created = (await t.api('POST', '/api/v1/providers', resend('Resend patch'))).body;
    const before = await t.ctx.providers.resolve(t.brandId, created.id);
    expect(await t.ctx.providers.resolve(t.brandId, created.id)).toBe(before);

    const patched = await t.api('PATCH', `/api/v1/providers/${created.id}`, { name: 'Resend renamed', settings: { timeoutMs: 5_000 } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Resend renamed', settings: { timeoutMs: 5_000, baseUrl: vendor.baseUrl }, secrets: { apiKey: true } });

    const after = await t.ctx.providers.resolve(t.brandId, created.id);
    expect(after).not.toBe(before);
    expect(after).toMatchObject({ id: created.id, kind: 'resend' });
    expect(await after.provider.send(outbound())).toMatchObject({ status: 'accepted', providerMessageId: 're_1' });
    expect(vendor.requests[0].headers.authorization).toBe('Bearer re_live_secret');

    const cleared = await t.api('PATCH', `/api/v1/providers/${created.id}`, { settings: { apiKey: null } });
    expect(cleared.body.error.message).toBe('settings.apiKey: is required');

    const otherKind = await t.api('PATCH', `/api/v1/providers/${created.id}`, { settings: { kind: 'postmark', serverToken: 'pm-token', baseUrl: vendor.baseUrl } });
    expect(otherKind.body).toMatchObject({ kind: 'postmark', settings: { kind: 'postmark', streams: { marketing: 'broadcast' } }, secrets: { serverToken: true }, webhookUrl: expect.stringContaining('/webhooks/postmark/') });
    expect((await t.ctx.providers.resolve(t.brandId, created.id)).kind).toBe('postmark');
  });

  it('merges webhook secrets too: adding a header keeps the basic-auth password', async () => {
    const created = (await t.api('POST', '/api/v1/providers', { name: 'Postmark', settings: { kind: 'postmark', serverToken: 'pm' }, webhook: { basicAuth: { username: 'hooks', password: 'p4ss' } } })).body;
    const patched = await t.api('PATCH', `/api/v1/providers/${created.id}`, { webhook: { header: { name: 'X-Hook-Secret', value: 'v' } } });
    expect(patched.body).toMatchObject({ webhook: { basicAuth: { username: 'hooks' }, header: { name: 'X-Hook-Secret' } }, webhookSecrets: { 'basicAuth.password': true, 'header.value': true } });
    const account = await t.ctx.providers.webhookAccount(created.id);
    expect(account?.webhook).toEqual({ provider: 'postmark', basicAuth: { username: 'hooks', password: 'p4ss' }, header: { name: 'X-Hook-Secret', value: 'v' } });
    expect((await t.api('PATCH', `/api/v1/providers/${created.id}`, { webhook: null })).body).toMatchObject({ webhook: null, webhookSecrets: {} });
  });

  it('resolves null to the default account, then to the capture inbox; one default per brand', async () => {
    expect((await t.ctx.providers.resolve(t.brandId, null)).id).toBe('capture');
    const a = (await t.api('POST', '/api/v1/providers', resend('Default A', { isDefault: true }))).body;
    expect((await t.ctx.providers.resolve(t.brandId, null)).id).toBe(a.id);
    const b = (await t.api('POST', '/api/v1/providers', { name: 'Default B', settings: { kind: 'sendgrid', apiKey: 'SG.x' }, webhook: { publicKey: sendgridKeys().publicKey }, isDefault: true })).body;
    const resolved = await t.ctx.providers.resolve(t.brandId, null);
    expect(resolved).toMatchObject({ id: b.id, kind: 'sendgrid' });
    expect(resolved.provider.id).toBe('sendgrid');
    const defaults = (await t.api('GET', '/api/v1/providers')).body.data.filter((p: { isDefault: boolean }) => p.isDefault).map((p: { id: string }) => p.id);
    expect(defaults).toEqual([b.id]);

    await t.api('PATCH', `/api/v1/providers/${b.id}`, { isDefault: false });
    expect((await t.ctx.providers.resolve(t.brandId, null)).id).toBe('capture');
    expect((await t.api('GET', '/api/v1/providers/capture')).body.isDefault).toBe(true);
    await expect(t.ctx.providers.resolve(t.brandId, 'prv_missing')).rejects.toThrow('provider account prv_missing was not found');
  });

  it('refuses to delete an account a live campaign sends through, and deletes it otherwise', async () => {
    const account = (await t.api('POST', '/api/v1/providers', resend('In use'))).body;
    const at = t.clock.now().toISOString();
    const campaignId = newId('cmp');
    await t.ctx.store.db
      .insertInto('campaigns')
      .values({ id: campaignId, brand_id: t.brandId, name: 'Spring', audience: toJson({ segmentIds: [], tagIds: [] }), provider_id: account.id, status: 'scheduled', created_at: at, updated_at: at })
      .execute();
    const refused = await t.api('DELETE', `/api/v1/providers/${account.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('campaign "Spring" (scheduled)');

    await t.ctx.store.db.updateTable('campaigns').set({ status: 'sent' }).where('id', '=', campaignId).execute();
    expect((await t.api('DELETE', `/api/v1/providers/${account.id}`)).status).toBe(204);
    expect((await t.api('GET', `/api/v1/providers/${account.id}`)).status).toBe(404);
    const audit = (await t.api('GET', '/api/v1/audit')).body.data.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['provider.created', 'provider.updated', 'provider.deleted']));
  });

  it("keeps brands apart: another brand's account is not found, and resolve never crosses brands", async () => {
    const mine = (await t.api('POST', '/api/v1/providers', resend('Mine only'))).body;
    const other = await secondBrand(t);
    expect((await other.api('GET', `/api/v1/providers/${mine.id}`)).status).toBe(404);
    expect((await other.api('PATCH', `/api/v1/providers/${mine.id}`, { name: 'stolen' })).status).toBe(404);
    expect((await other.api('GET', '/api/v1/providers')).body.data.map((p: { id: string }) => p.id)).toEqual(['capture']);
    await expect(t.ctx.providers.resolve(other.brandId, mine.id)).rejects.toThrow(/was not found/);
  });

  it('sends a test message through the capture inbox, where it shows up for the brand', async () => {
    const sent = await t.api('POST', '/api/v1/providers/capture/test', { to: 'ann@example.com' });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ providerId: 'capture', kind: 'capture', outcome: { status: 'accepted' } });
    const inbox = (await t.api('GET', '/api/v1/inbox?search=Test message')).body.data;
    expect(inbox[0]).toMatchObject({ subject: 'Test message from Acme Coffee via Capture inbox', to: ['ann@example.com'], messageRef: expect.stringMatching(/^test_/) });
    expect((await t.api('POST', '/api/v1/providers/capture/test', { to: 'not-an-email' })).body.error.message).toBe('to: must be an email address');
  });

  it('reports what the provider said when a test send fails', async () => {
    const account = (await t.api('POST', '/api/v1/providers', resend('Failing'))).body;
    vendor.script({ status: 401, json: { statusCode: 401, name: 'validation_error', message: 'API key is invalid' } });
    const sent = await t.api('POST', `/api/v1/providers/${account.id}/test`, { to: 'ann@example.com' });
    expect(sent.body).toMatchObject({ providerId: account.id, kind: 'resend', outcome: { status: 'rejected', error: { kind: 'auth', httpStatus: 401 } } });
  });
});
