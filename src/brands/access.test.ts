import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/stores.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';

describe.each(DIALECTS)('brands and access on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { TIDINGS_API_RATE_LIMIT: '1000' });
  });
  afterAll(async () => t?.close());

  async function signIn(email = 'owner@example.com', password = 'correct horse battery') {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } });
    const cookie = String(res.headers['set-cookie']).split(';')[0];
    return { res, cookie, csrf: res.json().csrfToken as string };
  }

  it('refuses a second setup', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/setup', payload: { user: { email: 'x@example.com', name: 'X', password: 'long enough pw' }, brand: { name: 'B' } } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('conflict');
  });

  it('signs in with an httpOnly SameSite cookie and rejects a wrong password with one message', async () => {
    const { res } = await signIn();
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const bad = await signIn('owner@example.com', 'wrong password!!');
    const unknown = await signIn('nobody@example.com', 'wrong password!!');
    expect(bad.res.statusCode).toBe(401);
    expect(unknown.res.json().error.message).toBe(bad.res.json().error.message);
  });

  it('requires the CSRF header on cookie writes and a brand header for brand routes', async () => {
    const { cookie, csrf } = await signIn();
    const noCsrf = await t.app.inject({ method: 'PATCH', url: '/api/v1/brand', headers: { cookie, 'x-tidings-brand': t.brandId }, payload: { voice: 'warm' } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('csrf_failed');
    const noBrand = await t.app.inject({ method: 'GET', url: '/api/v1/brand', headers: { cookie } });
    expect(noBrand.statusCode).toBe(400);
    expect(noBrand.json().error.details.issues[0].field).toBe('x-tidings-brand');
    const ok = await t.app.inject({ method: 'PATCH', url: '/api/v1/brand', headers: { cookie, 'x-csrf-token': csrf, 'x-tidings-brand': t.brandId }, payload: { voice: 'warm' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().voice).toBe('warm');
  });

  it('names the bad field in brand updates', async () => {
    const res = await t.api('PATCH', '/api/v1/brand', { colors: { primary: 'red' }, timeZone: 'Mars/Base' });
    expect(res.status).toBe(400);
    const fields = res.body.error.details.issues.map((i: any) => i.field);
    expect(fields).toContain('colors.primary');
    expect(fields).toContain('timeZone');
  });

  it('shows an API key secret once, stores only its hash, enforces scopes and revocation', async () => {
    const created = await t.api('POST', '/api/v1/keys', { name: 'read only', scopes: ['audience:read'] });
    expect(created.status).toBe(201);
    const secret: string = created.body.secret;
    expect(secret).toMatch(/^tdk_/);
    const rows = await t.ctx.store.db.selectFrom('api_keys').select(['key_hash']).execute();
    expect(rows.some((r) => r.key_hash === secret || r.key_hash.includes(secret))).toBe(false);
    const listed = await t.api('GET', '/api/v1/keys');
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const forbidden = await t.app.inject({ method: 'PATCH', url: '/api/v1/brand', headers: { authorization: `Bearer ${secret}` }, payload: { voice: 'x' } });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.message).toContain('brand:write');
    await t.api('DELETE', `/api/v1/keys/${created.body.key.id}`);
    const revoked = await t.app.inject({ method: 'GET', url: '/api/v1/brand', headers: { authorization: `Bearer ${secret}` } });
    expect(revoked.statusCode).toBe(401);
  });

  it('viewers can read but not write', async () => {
    await t.ctx.brands.createUser({ email: 'viewer@example.com', name: 'V', password: 'viewer password' });
    expect((await t.api('PUT', '/api/v1/members', { email: 'viewer@example.com', role: 'viewer' })).status).toBe(200);
    const { cookie, csrf } = await signIn('viewer@example.com', 'viewer password');
    const headers = { cookie, 'x-csrf-token': csrf, 'x-tidings-brand': t.brandId };
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/brand', headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'PATCH', url: '/api/v1/brand', headers, payload: { voice: 'x' } })).statusCode).toBe(403);
  });

  it('keeps at least one manager', async () => {
    const res = await t.api('PUT', '/api/v1/members', { email: 'owner@example.com', role: 'editor' });
    expect(res.status).toBe(409);
  });

  it('replays an Idempotency-Key write and rejects its reuse with another body', async () => {
    const headers = { 'idempotency-key': 'abc-123' };
    const first = await t.api('POST', '/api/v1/keys', { name: 'idem', scopes: ['export'] }, headers);
    const second = await t.api('POST', '/api/v1/keys', { name: 'idem', scopes: ['export'] }, headers);
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body.key.id).toBe(first.body.key.id);
    const keys = (await t.api('GET', '/api/v1/keys')).body.data.filter((k: any) => k.name === 'idem');
    expect(keys).toHaveLength(1);
    const other = await t.api('POST', '/api/v1/keys', { name: 'other', scopes: ['export'] }, headers);
    expect(other.status).toBe(422);
  });

  it('audits who did what', async () => {
    const res = await t.api('GET', '/api/v1/audit?limit=100');
    const actions = res.body.data.map((e: any) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['brand.created', 'api_key.created', 'api_key.revoked', 'member.set', 'brand.updated']));
  });

  it('serves an OpenAPI 3.1 document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().openapi).toBe('3.1.0');
    expect(Object.keys(res.json().paths)).toContain('/api/v1/keys');
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once a key spends its budget', async () => {
    const t = await createTestApp('sqlite', { TIDINGS_API_RATE_LIMIT: '3' });
    try {
      const statuses: number[] = [];
      let retryAfter: unknown;
      for (let i = 0; i < 4; i++) {
        const r = await t.api('GET', '/api/v1/brand');
        statuses.push(r.status);
        retryAfter = r.headers['retry-after'] ?? retryAfter;
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      t.clock.advance(60_000);
      expect((await t.api('GET', '/api/v1/brand')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
