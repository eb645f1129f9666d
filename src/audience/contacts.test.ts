import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { DIALECTS } from '../../test/helpers/stores.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { AudienceService } from './service.ts';

const C = '/api/v1/contacts';

describe.each(DIALECTS)('contacts on %s', (dialect) => {
  let t: TestApp;
  let vip: string;
  let lead: string;
  beforeAll(async () => {
    t = await createTestApp(dialect, { TIDINGS_API_RATE_LIMIT: '100000' });
    vip = (await t.api('POST', '/api/v1/tags', { name: 'VIP' })).body.id;
    lead = (await t.api('POST', '/api/v1/tags', { name: 'Lead' })).body.id;
    expect((await t.api('POST', '/api/v1/fields', { key: 'score', type: 'number' })).status).toBe(201);
    expect((await t.api('POST', '/api/v1/fields', { key: 'renews', label: 'Renews on', type: 'date' })).status).toBe(201);
  });
  afterAll(async () => t?.close());

  const issueFields = (res: { body: any }) => res.body.error.details.issues.map((i: any) => i.field);

  it('creates, reads, updates and deletes a contact', async () => {
    const created = await t.api('POST', C, {
      email: ' Ann@Example.COM ',
      firstName: 'Ann',
      lastName: 'Lee',
      country: 'germany',
      language: 'de',
      timeZone: 'Europe/Berlin',
      fields: { score: '42', renews: '2027-01-31' },
      tagIds: [vip],
    });
    expect(created.status).toBe(201);
    const c = created.body;
    expect(c).toMatchObject({
      email: 'ann@example.com',
      firstName: 'Ann',
      country: 'DE',
      status: 'non-subscribed',
      consentAt: null,
      validation: 'valid',
      fields: { score: 42, renews: '2027-01-31' },
      tags: [{ id: vip, name: 'VIP' }],
      topics: [],
      suppression: null,
    });
    expect(c.id).toMatch(/^ctc_/);

    expect((await t.api('GET', `${C}/${c.id}`)).body).toEqual(c);

    t.clock.advance(1000);
    const patched = await t.api('PATCH', `${C}/${c.id}`, { firstName: 'Anna', fields: { score: null }, tagIds: [lead] });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ firstName: 'Anna', lastName: 'Lee', fields: { renews: '2027-01-31' }, tags: [{ id: lead }] });
    expect(patched.body.fields).not.toHaveProperty('score');
    expect(patched.body.updatedAt > c.updatedAt).toBe(true);
    // Adding a tag and removing none.
    const added = await t.api('PATCH', `${C}/${c.id}`, { tagIds: [lead, vip] });
    expect(added.status).toBe(200);
    expect(added.body.tags.map((tag: { id: string }) => tag.id).sort()).toEqual([lead, vip].sort());

    expect((await t.api('DELETE', `${C}/${c.id}`)).status).toBe(204);
    expect((await t.api('GET', `${C}/${c.id}`)).status).toBe(404);
    const audit = await t.api('GET', '/api/v1/audit');
    expect(audit.body.data[0]).toMatchObject({ action: 'contact.deleted', targetId: c.id, details: {} });
  });

  it('subscribing stamps consent from the channel unless given', async () => {
    const api = await t.api('POST', C, { email: 'sub@example.com', status: 'subscribed' });
    expect(api.body).toMatchObject({ status: 'subscribed', consentSource: 'api', consentAt: t.clock.now().toISOString() });
    const given = await t.api('POST', C, { email: 'sub2@example.com', status: 'subscribed', consentSource: 'signup form', consentAt: '2025-05-01' });
    expect(given.body).toMatchObject({ consentSource: 'signup form', consentAt: '2025-05-01T00:00:00.000Z' });
    const later = await t.api('POST', C, { email: 'sub3@example.com' });
    const subscribed = await t.api('PATCH', `${C}/${later.body.id}`, { status: 'subscribed' });
    expect(subscribed.body).toMatchObject({ status: 'subscribed', consentSource: 'api', consentAt: t.clock.now().toISOString() });
  });

  it('refuses a duplicate email with 409 naming it, also when changed by PATCH', async () => {
    await t.api('POST', C, { email: 'dup@example.com' });
    const again = await t.api('POST', C, { email: 'DUP@example.com' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    expect(again.body.error.message).toContain('dup@example.com');
    const other = await t.api('POST', C, { email: 'other@example.com' });
    const clash = await t.api('PATCH', `${C}/${other.body.id}`, { email: 'dup@example.com' });
    expect(clash.status).toBe(409);
  });

  it('names every bad field', async () => {
    const res = await t.api('POST', C, {
      email: 'not-an-email',
      firstName: 'x'.repeat(201),
      lastName: 'y'.repeat(201),
      phone: 'call me',
      country: 'Atlantis',
      language: 'elvish!',
      timeZone: 'Mars/Base',
      consentSource: 'z'.repeat(201),
      consentAt: 'yesterday',
      fields: { score: 'high', renews: '2026-02-30', nope: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(issueFields(res).sort()).toEqual(
      ['consentAt', 'consentSource', 'country', 'email', 'fields.nope', 'fields.renews', 'fields.score', 'firstName', 'language', 'lastName', 'phone', 'timeZone'].sort(),
    );
    const status = await t.api('POST', C, { email: 'ok@example.com', status: 'happy' });
    expect(issueFields(status)).toEqual(['status']);
    const missing = await t.api('POST', C, { firstName: 'No email' });
    expect(issueFields(missing)).toEqual(['email']);
  });

  it('checks custom field types, naming fields.score', async () => {
    const res = await t.api('POST', C, { email: 'typed@example.com', fields: { score: 'lots' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('fields.score: expected a number, got "lots"');
    const ok = await t.api('POST', C, { email: 'typed@example.com', fields: { score: 7.5 } });
    const bad = await t.api('PATCH', `${C}/${ok.body.id}`, { fields: { score: true } });
    expect(issueFields(bad)).toEqual(['fields.score']);
  });

  it('rejects unknown tag ids by position and writes nothing', async () => {
    const res = await t.api('POST', C, { email: 'tagged@example.com', tagIds: [vip, 'tag_nope'] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('tagIds.1: unknown tag tag_nope');
    const count = await t.api('GET', `${C}/count?search=tagged@example.com`);
    expect(count.body.count).toBe(0);
    expect(await t.ctx.store.db.selectFrom('contacts').select('id').where('email', '=', 'tagged@example.com').execute()).toEqual([]);

    const ok = await t.api('POST', C, { email: 'tagged@example.com', tagIds: [vip] });
    const patch = await t.api('PATCH', `${C}/${ok.body.id}`, { firstName: 'Changed', tagIds: ['tag_gone'] });
    expect(patch.body.error.message).toBe('tagIds.0: unknown tag tag_gone');
    const after = await t.api('GET', `${C}/${ok.body.id}`);
    expect(after.body).toMatchObject({ firstName: null, tags: [{ id: vip }] });
  });

  it('keeps an activity timeline, newest first, in pages', async () => {
    const c = (await t.api('POST', C, { email: 'timeline@example.com', tagIds: [vip] })).body;
    t.clock.advance(1000);
    await t.api('PATCH', `${C}/${c.id}`, { status: 'subscribed', lastName: 'Stone', tagIds: [lead] });
    t.clock.advance(1000);
    const topic = (await t.api('POST', '/api/v1/topics', { name: 'Timeline news' })).body;
    await t.api('PUT', `${C}/${c.id}/topics/${topic.id}`, { optedIn: false });
    t.clock.advance(1000);
    await t.api('POST', '/api/v1/suppressions', { email: 'timeline@example.com', reason: 'manual' });

    const all = await t.api('GET', `${C}/${c.id}/timeline?limit=100`);
    const types = all.body.data.map((e: any) => e.type);
    expect(types).toHaveLength(7);
    // One PATCH wrote four entries at the same instant; between instants the order is newest first.
    expect([types[0], types[1], types[6]]).toEqual(['suppressed', 'topic_changed', 'created']);
    expect(types.slice(2, 6).sort()).toEqual(['status_changed', 'tag_added', 'tag_removed', 'updated']);
    const find = (type: string) => all.body.data.find((e: any) => e.type === type);
    expect(find('status_changed').data).toMatchObject({ from: 'non-subscribed', to: 'subscribed' });
    expect(find('updated').data.changed).toEqual(['lastName']);
    expect(find('tag_added').data).toMatchObject({ tagId: lead, tag: 'Lead' });
    expect(find('tag_removed').data).toMatchObject({ tagId: vip, tag: 'VIP' });
    expect(find('topic_changed').data).toMatchObject({ topic: 'Timeline news', optedIn: false });
    expect(find('suppressed').data).toMatchObject({ reason: 'manual' });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await t.api('GET', `${C}/${c.id}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.data.map((e: any) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.data.map((e: any) => e.id));
  });

  it('keeps brands apart: another brand cannot see or touch these contacts', async () => {
    const mine = (await t.api('POST', C, { email: 'private@example.com', tagIds: [vip] })).body;
    const other = await t.ctx.brands.createBrand({ name: 'Other brand' });
    const { secret } = await t.ctx.brands.createApiKey(other.id, { name: 'other', scopes: ['audience:read', 'audience:write'] }, { type: 'system', id: null });
    const as = { authorization: `Bearer ${secret}` };
    expect((await t.api('GET', `${C}/${mine.id}`, undefined, as)).status).toBe(404);
    expect((await t.api('PATCH', `${C}/${mine.id}`, { firstName: 'X' }, as)).status).toBe(404);
    expect((await t.api('DELETE', `${C}/${mine.id}`, undefined, as)).status).toBe(404);
    expect((await t.api('POST', `${C}/${mine.id}/erase`, undefined, as)).status).toBe(404);
    expect((await t.api('GET', `${C}/${mine.id}/export`, undefined, as)).status).toBe(404);
    expect((await t.api('GET', `${C}/${mine.id}/timeline`, undefined, as)).status).toBe(404);
    expect((await t.api('GET', C, undefined, as)).body.data).toEqual([]);
    expect((await t.api('GET', `${C}/count`, undefined, as)).body.count).toBe(0);
    expect((await t.api('POST', `${C}/bulk`, { action: 'delete', ids: [mine.id] }, as)).body.affected).toBe(0);
    expect((await t.api('POST', `${C}/bulk`, { action: 'delete', filter: {} }, as)).body.affected).toBe(0);
    // Its own contact may reuse the email, and may not use this brand's tags.
    expect((await t.api('POST', C, { email: 'private@example.com' }, as)).status).toBe(201);
    expect((await t.api('POST', C, { email: 'x@example.com', tagIds: [vip] }, as)).status).toBe(400);
    expect((await t.api('GET', '/api/v1/tags', undefined, as)).body.data).toEqual([]);
    expect((await t.api('GET', `${C}/${mine.id}`)).body).toMatchObject({ email: 'private@example.com', firstName: null });
  });

  it('serves an OpenAPI document describing the audience routes', async () => {
    const doc = await t.api('GET', '/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/contacts', '/api/v1/contacts/bulk', '/api/v1/tags', '/api/v1/topics', '/api/v1/suppressions']));
    expect(doc.body.paths['/api/v1/contacts'].get.tags).toEqual(['contacts']);
  });

  it('checks MX after saving and never fails the request on DNS trouble', async () => {
    const flagged = new AudienceService(t.ctx.store, t.clock, t.ctx.brands, { mxLookup: true, resolveMx: async () => [], log: pino({ level: 'silent' }) });
    const c = await flagged.createContact(t.brandId, { email: 'ann@nomx.example' }, { type: 'system', id: 'test' });
    await flagged.idle();
    expect(await flagged.getContact(t.brandId, c.id)).toMatchObject({ validation: 'invalid', validationReason: 'no MX record' });

    const flaky = new AudienceService(t.ctx.store, t.clock, t.ctx.brands, {
      mxLookup: true,
      resolveMx: async () => Promise.reject(Object.assign(new Error('timeout'), { code: 'ETIMEOUT' })),
    });
    const d = await flaky.createContact(t.brandId, { email: 'bo@flaky.example' }, { type: 'system', id: 'test' });
    await flaky.idle();
    expect(await flaky.getContact(t.brandId, d.id)).toMatchObject({ validation: 'valid', validationReason: null });
  });
});

