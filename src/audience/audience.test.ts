import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/stores.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';

const C = '/api/v1/contacts';

describe.each(DIALECTS)('tags, topics, suppression, bulk and GDPR on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { TIDINGS_API_RATE_LIMIT: '100000' });
  });
  afterAll(async () => t?.close());

  const contact = async (email: string, extra: Record<string, unknown> = {}) => {
    const res = await t.api('POST', C, { email, ...extra });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const tag = async (name: string) => (await t.api('POST', '/api/v1/tags', { name })).body.id as string;
  const lastAudit = async () => (await t.api('GET', '/api/v1/audit?limit=1')).body.data[0];
  const db = () => t.ctx.store.db;

  it('manages tags with unique names, palette colours and counts', async () => {
    const a = await t.api('POST', '/api/v1/tags', { name: 'Customers', description: 'paid once' });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ name: 'Customers', description: 'paid once', count: 0 });
    expect(a.body.color).toMatch(/^#[0-9a-f]{6}$/);
    const b = await t.api('POST', '/api/v1/tags', { name: 'Press', color: '#112233' });
    expect(b.body.color).toBe('#112233');
    expect(b.body.color).not.toBe(a.body.color);

    const dup = await t.api('POST', '/api/v1/tags', { name: 'Customers' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toContain('"Customers"');
    expect((await t.api('PATCH', `/api/v1/tags/${b.body.id}`, { name: 'Customers' })).status).toBe(409);
    const badColour = await t.api('POST', '/api/v1/tags', { name: 'X', color: 'red' });
    expect(badColour.body.error.details.issues[0].field).toBe('color');

    await contact('t1@example.com', { tagIds: [a.body.id, b.body.id] });
    await contact('t2@example.com', { tagIds: [a.body.id] });
    const list = (await t.api('GET', '/api/v1/tags')).body;
    expect(list.nextCursor).toBeNull();
    expect(list.data.find((x: any) => x.id === a.body.id).count).toBe(2);
    expect(list.data.find((x: any) => x.id === b.body.id).count).toBe(1);

    const renamed = await t.api('PATCH', `/api/v1/tags/${b.body.id}`, { name: 'Media' });
    expect(renamed.body).toMatchObject({ name: 'Media', color: '#112233', count: 1 });
  });

  it('deleting a tag removes it from its contacts and is audited', async () => {
    const gone = await tag('Temporary');
    const id = await contact('tmp@example.com', { tagIds: [gone] });
    expect((await t.api('DELETE', `/api/v1/tags/${gone}`)).status).toBe(204);
    expect((await t.api('GET', `${C}/${id}`)).body.tags).toEqual([]);
    expect(await db().selectFrom('contact_tags').selectAll().where('tag_id', '=', gone).execute()).toEqual([]);
    expect(await lastAudit()).toMatchObject({ action: 'tag.deleted', targetId: gone, details: { name: 'Temporary', contacts: 1 } });
    expect((await t.api('DELETE', `/api/v1/tags/${gone}`)).status).toBe(404);
  });

  it('works out each contact’s effective topic choice and the opted-in counts', async () => {
    const news = (await t.api('POST', '/api/v1/topics', { name: 'News', description: 'monthly' })).body;
    const offers = (await t.api('POST', '/api/v1/topics', { name: 'Offers', defaultOptIn: false, isPublic: false })).body;
    expect(news).toMatchObject({ defaultOptIn: true, isPublic: true });
    expect(offers).toMatchObject({ defaultOptIn: false, isPublic: false, optedInCount: 0 });
    expect((await t.api('POST', '/api/v1/topics', { name: 'News' })).status).toBe(409);

    const total = (await t.api('GET', `${C}/count`)).body.count;
    const x = await contact('topics-x@example.com');
    const y = await contact('topics-y@example.com');
    const xd = (await t.api('GET', `${C}/${x}`)).body;
    expect(xd.topics).toEqual([
      { id: news.id, name: 'News', optedIn: true },
      { id: offers.id, name: 'Offers', optedIn: false },
    ]);

    const out = await t.api('PUT', `${C}/${x}/topics/${news.id}`, { optedIn: false });
    expect(out.body.topics.find((tp: any) => tp.id === news.id).optedIn).toBe(false);
    await t.api('PUT', `${C}/${y}/topics/${offers.id}`, { optedIn: true });

    const topics = (await t.api('GET', '/api/v1/topics')).body.data;
    expect(topics.find((tp: any) => tp.id === news.id).optedInCount).toBe(total + 2 - 1);
    expect(topics.find((tp: any) => tp.id === offers.id).optedInCount).toBe(1);

    // Flipping the default changes everyone without an own choice.
    await t.api('PATCH', `/api/v1/topics/${news.id}`, { defaultOptIn: false });
    expect((await t.api('GET', `${C}/${y}`)).body.topics.find((tp: any) => tp.id === news.id).optedIn).toBe(false);
    expect((await t.api('PUT', `${C}/${x}/topics/top_nope`, { optedIn: true })).status).toBe(404);

    expect((await t.api('DELETE', `/api/v1/topics/${offers.id}`)).status).toBe(204);
    expect(await db().selectFrom('contact_topics').selectAll().where('topic_id', '=', offers.id).execute()).toEqual([]);
  });

  it('keeps a suppression list: add, search, filter, remove; checks before sends', async () => {
    const id = await contact('bounced@example.com');
    const added = await t.api('POST', '/api/v1/suppressions', { email: 'Bounced@Example.com', reason: 'bounce', source: 'smtp 550' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ email: 'bounced@example.com', reason: 'bounce', source: 'smtp 550' });
    expect(await lastAudit()).toMatchObject({ action: 'suppression.added', targetId: added.body.id });
    const manual = await t.api('POST', '/api/v1/suppressions', { email: 'stranger@elsewhere.org' });
    expect(manual.body).toMatchObject({ reason: 'manual', source: 'api' });

    expect((await t.api('POST', '/api/v1/suppressions', { email: 'bounced@example.com' })).status).toBe(409);
    expect((await t.api('POST', '/api/v1/suppressions', { email: 'nope' })).body.error.details.issues[0].field).toBe('email');
    expect((await t.api('POST', '/api/v1/suppressions', { email: 'a@b.com', reason: 'angry' })).body.error.details.issues[0].field).toBe('reason');

    const detail = (await t.api('GET', `${C}/${id}`)).body;
    expect(detail.suppression).toMatchObject({ reason: 'bounce' });
    expect(detail.status).toBe('non-subscribed');

    expect((await t.api('GET', '/api/v1/suppressions?search=elsewhere')).body.data.map((s: any) => s.email)).toEqual(['stranger@elsewhere.org']);
    expect((await t.api('GET', '/api/v1/suppressions?reason=bounce')).body.data.map((s: any) => s.email)).toEqual(['bounced@example.com']);
    const page1 = (await t.api('GET', '/api/v1/suppressions?limit=1')).body;
    expect(page1.data[0].email).toBe('stranger@elsewhere.org');
    const page2 = (await t.api('GET', `/api/v1/suppressions?limit=1&cursor=${page1.nextCursor}`)).body;
    expect(page2.data[0].email).toBe('bounced@example.com');

    expect(await t.ctx.audience.isSuppressed(t.brandId, ['BOUNCED@example.com', 'fine@example.com', 'stranger@elsewhere.org'])).toEqual(new Set(['bounced@example.com', 'stranger@elsewhere.org']));

    expect((await t.api('DELETE', `/api/v1/suppressions/${added.body.id}`)).status).toBe(204);
    expect(await lastAudit()).toMatchObject({ action: 'suppression.removed', targetId: added.body.id });
    expect((await t.api('GET', `${C}/${id}`)).body.suppression).toBeNull();
    const types = (await t.api('GET', `${C}/${id}/timeline`)).body.data.map((e: any) => e.type);
    expect(types.slice(0, 2)).toEqual(['unsuppressed', 'suppressed']);
    expect(await t.ctx.audience.isSuppressed(t.brandId, ['bounced@example.com'])).toEqual(new Set());
  });

  it('a status of unsubscribed does not suppress by itself', async () => {
    await contact('leaver@example.com', { status: 'unsubscribed' });
    expect(await t.ctx.audience.isSuppressed(t.brandId, ['leaver@example.com'])).toEqual(new Set());
  });

  it('bulk-tags, untags, sets status and deletes by ids', async () => {
    const bulkTag = await tag('Bulk by id');
    const ids = [await contact('b1@ids.test'), await contact('b2@ids.test'), await contact('b3@ids.test', { tagIds: [bulkTag] })];

    const tagged = await t.api('POST', `${C}/bulk`, { action: 'tag', ids: [...ids, 'ctc_missing'], tagIds: [bulkTag] });
    expect(tagged.body).toEqual({ affected: 2 });
    expect((await t.api('GET', `${C}/count?tagIds=${bulkTag}`)).body.count).toBe(3);
    expect(await lastAudit()).toMatchObject({ action: 'contacts.bulk_tag', details: { affected: 2, ids: 4, tagIds: [bulkTag] } });
    const events = (await t.api('GET', `${C}/${ids[0]}/timeline`)).body.data;
    expect(events[0]).toMatchObject({ type: 'tag_added', data: { tagId: bulkTag, tag: 'Bulk by id' } });

    expect((await t.api('POST', `${C}/bulk`, { action: 'set_status', ids, status: 'subscribed' })).body).toEqual({ affected: 3 });
    const sub = (await t.api('GET', `${C}/${ids[1]}`)).body;
    expect(sub).toMatchObject({ status: 'subscribed', consentSource: 'api', consentAt: t.clock.now().toISOString() });
    expect((await t.api('POST', `${C}/bulk`, { action: 'set_status', ids, status: 'subscribed' })).body).toEqual({ affected: 0 });

    expect((await t.api('POST', `${C}/bulk`, { action: 'untag', ids: ids.slice(0, 2), tagIds: [bulkTag] })).body).toEqual({ affected: 2 });
    expect((await t.api('GET', `${C}/count?tagIds=${bulkTag}`)).body.count).toBe(1);

    expect((await t.api('POST', `${C}/bulk`, { action: 'delete', ids })).body).toEqual({ affected: 3 });
    expect((await t.api('GET', `${C}/count?search=%40ids.test`)).body.count).toBe(0);
    expect(await lastAudit()).toMatchObject({ action: 'contacts.bulk_delete', details: { affected: 3 } });
  });

  it('bulk actions by filter reach every matching contact across batches', async () => {
    const many = 1205; // more than one batch
    const now = t.clock.now().toISOString();
    const rows = Array.from({ length: many }, (_, i) => ({
      id: `ctc_bulk${String(i).padStart(6, '0')}`,
      brand_id: t.brandId,
      email: `m${i}@filter.test`,
      status: 'non-subscribed' as const,
      validation: 'valid' as const,
      attributes: '{}',
      created_at: now,
      updated_at: now,
    }));
    for (let i = 0; i < rows.length; i += 200) await db().insertInto('contacts').values(rows.slice(i, i + 200)).execute();
    await contact('bystander@other.test');
    const f = await tag('By filter');

    const res = await t.api('POST', `${C}/bulk`, { action: 'tag', filter: { search: '@filter.test' }, tagIds: [f] });
    expect(res.body).toEqual({ affected: many });
    expect((await t.api('GET', `${C}/count?tagIds=${f}`)).body.count).toBe(many);

    const status = await t.api('POST', `${C}/bulk`, { action: 'set_status', filter: { tagIds: [f], status: 'non-subscribed' }, status: 'unsubscribed' });
    expect(status.body).toEqual({ affected: many });
    expect((await t.api('GET', `${C}/count?status=unsubscribed&search=%40filter.test`)).body.count).toBe(many);

    const del = await t.api('POST', `${C}/bulk`, { action: 'delete', filter: { tagIds: [f] } });
    expect(del.body).toEqual({ affected: many });
    expect((await t.api('GET', `${C}/count?search=%40filter.test`)).body.count).toBe(0);
    expect((await t.api('GET', `${C}/count?search=bystander`)).body.count).toBe(1);
    expect(await db().selectFrom('events').select('id').where('contact_id', 'like', 'ctc_bulk%').execute()).toEqual([]);
  });

  it('names what is wrong with a bulk request', async () => {
    const both = await t.api('POST', `${C}/bulk`, { action: 'delete', ids: ['ctc_x'], filter: {} });
    expect(both.body.error.details.issues[0].field).toBe('ids');
    const noTags = await t.api('POST', `${C}/bulk`, { action: 'tag', ids: ['ctc_x'] });
    expect(noTags.body.error.details.issues[0].field).toBe('tagIds');
    const noStatus = await t.api('POST', `${C}/bulk`, { action: 'set_status', ids: ['ctc_x'] });
    expect(noStatus.body.error.details.issues[0].field).toBe('status');
    const unknownTag = await t.api('POST', `${C}/bulk`, { action: 'tag', ids: ['ctc_x'], tagIds: ['tag_nope'] });
    expect(unknownTag.body.error.message).toBe('tagIds.0: unknown tag tag_nope');
    const tooMany = await t.api('POST', `${C}/bulk`, { action: 'delete', ids: Array.from({ length: 10_001 }, (_, i) => `ctc_${i}`) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details.issues[0].field).toBe('ids');
  });

  it('defines typed custom fields; deleting one removes its values', async () => {
    const plan = (await t.api('POST', '/api/v1/fields', { key: 'plan', type: 'string' })).body;
    expect(plan).toMatchObject({ key: 'plan', label: 'plan', type: 'string' });
    expect((await t.api('POST', '/api/v1/fields', { key: 'plan', type: 'number' })).status).toBe(409);
    expect((await t.api('POST', '/api/v1/fields', { key: 'email', type: 'string' })).body.error.details.issues[0].field).toBe('key');
    expect((await t.api('POST', '/api/v1/fields', { key: 'Bad Key', type: 'string' })).status).toBe(400);
    expect((await t.api('POST', '/api/v1/fields', { key: 'size', type: 'colour' })).body.error.details.issues[0].field).toBe('type');
    await t.api('POST', '/api/v1/fields', { key: 'seats', type: 'number' });
    const id = await contact('fields@example.com', { fields: { plan: 'pro', seats: '12' } });
    expect((await t.api('GET', `${C}/${id}`)).body.fields).toEqual({ plan: 'pro', seats: 12 });

    expect((await t.api('DELETE', `/api/v1/fields/${plan.id}`)).status).toBe(204);
    expect((await t.api('GET', `${C}/${id}`)).body.fields).toEqual({ seats: 12 });
    expect((await t.api('GET', '/api/v1/fields')).body.data.map((f: any) => f.key)).not.toContain('plan');
    expect((await t.api('PATCH', `${C}/${id}`, { fields: { plan: 'pro' } })).body.error.details.issues[0].field).toBe('fields.plan');
  });

  it('exports everything held about a contact, then erases it leaving only an id in the audit log', async () => {
    await t.api('POST', '/api/v1/fields', { key: 'shoe_size', type: 'number' });
    const topic = (await t.api('POST', '/api/v1/topics', { name: 'GDPR topic' })).body;
    const vip = await tag('GDPR vip');
    const id = await contact('forget.me@example.com', { firstName: 'Forget', status: 'subscribed', fields: { shoe_size: 44 }, tagIds: [vip] });
    await t.api('PUT', `${C}/${id}/topics/${topic.id}`, { optedIn: false });
    await t.api('POST', '/api/v1/suppressions', { email: 'forget.me@example.com', reason: 'unsubscribe' });

    const exp = await t.api('GET', `${C}/${id}/export`);
    expect(exp.status).toBe(200);
    expect(String(exp.headers['content-disposition'])).toContain(`contact-${id}.json`);
    expect(exp.body.contact).toMatchObject({ id, email: 'forget.me@example.com', firstName: 'Forget', status: 'subscribed' });
    expect(exp.body.customFields).toEqual([{ key: 'shoe_size', label: 'shoe_size', type: 'number', value: 44 }]);
    expect(exp.body.tags).toEqual([expect.objectContaining({ id: vip, name: 'GDPR vip' })]);
    expect(exp.body.topics).toContainEqual({ id: topic.id, name: 'GDPR topic', optedIn: false });
    expect(exp.body.events.map((e: any) => e.type).sort()).toEqual(['created', 'suppressed', 'topic_changed']);
    expect(exp.body.suppressions).toEqual([expect.objectContaining({ email: 'forget.me@example.com', reason: 'unsubscribe' })]);

    expect((await t.api('POST', `${C}/${id}/erase`)).status).toBe(204);
    expect(await db().selectFrom('contacts').select('id').where('id', '=', id).execute()).toEqual([]);
    expect(await db().selectFrom('contact_tags').select('tag_id').where('contact_id', '=', id).execute()).toEqual([]);
    expect(await db().selectFrom('contact_topics').select('topic_id').where('contact_id', '=', id).execute()).toEqual([]);
    expect(await db().selectFrom('events').select('id').where('contact_id', '=', id).execute()).toEqual([]);
    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: 'contact.erased', targetType: 'contact', targetId: id });
    expect(JSON.stringify(audit)).not.toContain('forget.me');
    expect((await t.api('GET', `${C}/${id}/export`)).status).toBe(404);
  });
});
