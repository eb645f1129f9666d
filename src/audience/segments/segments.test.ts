import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/helpers/stores.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { newId } from '../../shared/ids.ts';
import { toJson } from '../../shared/json.ts';
import type { Actor } from '../../brands/model.ts';
import type { Rule } from './model.ts';

/**
 * Membership on a small, known audience: every operator is run on both dialects through the
 * service (count and preview must agree) and the expected members are named by their email's
 * first letter. "Now" is fixed at 2026-06-01T00:00Z.
 */
const NOW = '2026-06-01T00:00:00.000Z';
const daysAgo = (n: number) => new Date(Date.parse(NOW) - n * 86_400_000).toISOString();
const SYSTEM: Actor = { type: 'system', id: null };

interface Seed {
  email: string;
  first_name?: string | null;
  last_name?: string | null;
  country?: string | null;
  status: string;
  validation: string;
  created_at: string;
  consent_at?: string | null;
  attributes: Record<string, unknown>;
  tags: string[];
  events: Array<{ type: string; at: string; campaign?: string; series?: string; machine?: boolean }>;
}

const AUDIENCE: Seed[] = [
  {
    email: 'ann@example.com', first_name: 'Ann', last_name: 'Lee', country: 'DE', status: 'subscribed', validation: 'valid', created_at: daysAgo(7), consent_at: daysAgo(7),
    attributes: { plan: 'pro', score: 42, vip: true, renews_on: '2026-06-10' }, tags: ['t1', 't2'],
    events: [{ type: 'opened', at: daysAgo(1), campaign: 'cmp_1' }, { type: 'opened', at: daysAgo(3), campaign: 'cmp_1' }, { type: 'opened', at: daysAgo(9), campaign: 'cmp_1' }, { type: 'clicked', at: daysAgo(5), campaign: 'cmp_1' }],
  },
  {
    email: 'bob@example.com', first_name: 'Bob', last_name: 'Brown', country: 'US', status: 'subscribed', validation: 'valid', created_at: '2026-01-01T08:00:00.000Z',
    attributes: { plan: 'free', score: 7, vip: false, renews_on: '2026-05-01T12:00:00.000Z' }, tags: ['t1'],
    events: [{ type: 'opened', at: daysAgo(40), campaign: 'cmp_2' }, { type: 'received', at: daysAgo(41), campaign: 'cmp_2' }, { type: 'received', at: daysAgo(60), campaign: 'cmp_1' }],
  },
  {
    email: 'cy@example.org', first_name: 'Cy', last_name: null, country: null, status: 'unsubscribed', validation: 'risky', created_at: '2025-06-01T00:00:00.000Z',
    attributes: { plan: 'Pro', score: 100 }, tags: [],
    events: [{ type: 'opened', at: daysAgo(5), series: 'ser_1' }, { type: 'bounced', at: daysAgo(4) }],
  },
  {
    email: 'dee@test.io', first_name: 'Dee_50%', last_name: "O'Neil", country: 'FR', status: 'bounced', validation: 'invalid', created_at: daysAgo(1),
    // Apple's proxy opened it and a link scanner clicked: machines, never engagement.
    attributes: {}, tags: ['t3'], events: [{ type: 'opened', at: daysAgo(2), campaign: 'cmp_2', machine: true }, { type: 'clicked', at: daysAgo(2), campaign: 'cmp_2', machine: true }],
  },
  {
    email: 'eve@example.com', first_name: 'eve', last_name: 'Stone', country: 'DE', status: 'subscribed', validation: 'unknown', created_at: '2026-04-15T10:00:00.000Z',
    attributes: { plan: 'team', score: 7.5, vip: null, renews_on: '2026-06-01' }, tags: ['t2'],
    events: [{ type: 'clicked', at: daysAgo(2), campaign: 'cmp_2' }, { type: 'opened', at: daysAgo(2), campaign: 'cmp_2' }],
  },
];

describe.each(DIALECTS)('segments on %s', (dialect) => {
  let t: TestApp;
  const tag: Record<string, string> = {};
  let otherBrand: string;
  let otherTag: string;

  async function seed(brandId: string, people: Seed[], tagIds: Record<string, string>) {
    const db = t.ctx.store.db;
    for (const [key, type] of [['plan', 'string'], ['score', 'number'], ['vip', 'boolean'], ['renews_on', 'date']] as const) {
      await db.insertInto('custom_fields').values({ id: newId('fld'), brand_id: brandId, key, label: key, type, created_at: NOW }).execute();
    }
    for (const name of new Set(people.flatMap((p) => p.tags))) {
      tagIds[name] = newId('tag');
      await db.insertInto('tags').values({ id: tagIds[name], brand_id: brandId, name, color: '#123456', description: '', created_at: NOW }).execute();
    }
    for (const p of people) {
      const id = newId('ctc');
      await db
        .insertInto('contacts')
        .values({
          id, brand_id: brandId, email: p.email, first_name: p.first_name ?? null, last_name: p.last_name ?? null, phone: null, country: p.country ?? null,
          language: null, time_zone: null, status: p.status as any, consent_source: null, consent_at: p.consent_at ?? null, validation: p.validation as any,
          validation_reason: null, attributes: toJson(p.attributes), created_at: p.created_at, updated_at: p.created_at,
        })
        .execute();
      for (const name of p.tags) await db.insertInto('contact_tags').values({ contact_id: id, tag_id: tagIds[name], created_at: NOW }).execute();
      for (const e of p.events) {
        await db
          .insertInto('events')
          .values({ id: newId('evt'), brand_id: brandId, contact_id: id, type: e.type, campaign_id: e.campaign ?? null, series_id: e.series ?? null, occurred_at: e.at, data: '{}', machine: e.machine ? 1 : 0 })
          .execute();
      }
    }
  }

  beforeAll(async () => {
    t = await createTestApp(dialect);
    t.clock.set(NOW);
    await seed(t.brandId, AUDIENCE, tag);
    // A second brand whose one contact would match almost every filter: it must never show up.
    otherBrand = (await t.ctx.brands.createBrand({ name: 'Other' })).id;
    const otherTags: Record<string, string> = {};
    await seed(otherBrand, [{ ...AUDIENCE[0], email: 'zed@example.com', tags: ['t1'] }], otherTags);
    otherTag = otherTags.t1;
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The first letters of the matching emails, after checking that count and preview agree. */
  async function members(rules: Rule[], op: 'and' | 'or' = 'and'): Promise<string> {
    const filter = { op, rules };
    const preview = await t.ctx.segments.preview(t.brandId, filter, 100);
    const count = await t.ctx.segments.count(t.brandId, filter);
    expect(count).toBe(preview.length);
    return preview.map((c) => c.email[0]).sort().join('');
  }

  it('an empty filter is everyone in the brand', async () => {
    expect(await members([])).toBe('abcde');
    expect(await t.ctx.segments.count(t.brandId, null)).toBe(5);
    expect(await t.ctx.segments.count(otherBrand, null)).toBe(1);
  });

  it.each<[string, Rule, string]>([
    ['status is', { field: 'status', op: 'is', value: 'subscribed' }, 'abe'],
    ['status is_not', { field: 'status', op: 'is_not', value: 'subscribed' }, 'cd'],
    ['status in', { field: 'status', op: 'in', value: ['bounced', 'unsubscribed'] }, 'cd'],
    ['status not_in', { field: 'status', op: 'not_in', value: ['subscribed', 'bounced'] }, 'c'],
    ['validation is', { field: 'validation', op: 'is', value: 'valid' }, 'ab'],
    ['validation in', { field: 'validation', op: 'in', value: ['risky', 'invalid'] }, 'cd'],
  ])('%s', async (_name, rule, expected) => {
    expect(await members([rule])).toBe(expected);
  });

  it.each<[string, (tag: Record<string, string>) => Rule, string]>([
    ['tags any of one', (g) => ({ field: 'tags', op: 'any', value: [g.t1] }), 'ab'],
    ['tags any of two', (g) => ({ field: 'tags', op: 'any', value: [g.t1, g.t3] }), 'abd'],
    ['tags all', (g) => ({ field: 'tags', op: 'all', value: [g.t1, g.t2] }), 'a'],
    ['tags none of one', (g) => ({ field: 'tags', op: 'none', value: [g.t1] }), 'cde'],
    ['tags none of two', (g) => ({ field: 'tags', op: 'none', value: [g.t1, g.t2] }), 'cd'],
  ])('%s', async (_name, rule, expected) => {
    expect(await members([rule(tag)])).toBe(expected);
  });

  it.each<[string, Rule, string]>([
    ['email is, normalised', { field: 'email', op: 'is', value: 'ANN@example.com' }, 'a'],
    ['email contains', { field: 'email', op: 'contains', value: 'EXAMPLE' }, 'abce'],
    ['email starts_with', { field: 'email', op: 'starts_with', value: 'b' }, 'b'],
    ['first_name is, case-insensitive', { field: 'first_name', op: 'is', value: 'ANN' }, 'a'],
    ['first_name is_not', { field: 'first_name', op: 'is_not', value: 'ann' }, 'bcde'],
    ['contains a literal %', { field: 'first_name', op: 'contains', value: '%' }, 'd'],
    ['contains a literal _', { field: 'first_name', op: 'contains', value: '_' }, 'd'],
    ['contains a quote', { field: 'last_name', op: 'contains', value: "o'n" }, 'd'],
    ['last_name is_empty', { field: 'last_name', op: 'is_empty' }, 'c'],
    ['last_name is_set', { field: 'last_name', op: 'is_set' }, 'abde'],
    ['country is, normalised', { field: 'country', op: 'is', value: 'de' }, 'ae'],
    ['country is_not counts no country', { field: 'country', op: 'is_not', value: 'DE' }, 'bcd'],
    ['country is_empty', { field: 'country', op: 'is_empty' }, 'c'],
    ['consent_at is_set', { field: 'consent_at', op: 'is_set' }, 'a'],
    ['created_at in_last 7 days', { field: 'created_at', op: 'in_last', value: { amount: 7, unit: 'days' } }, 'ad'],
    ['created_at in_last 1 weeks', { field: 'created_at', op: 'in_last', value: { amount: 1, unit: 'weeks' } }, 'ad'],
    ['created_at not_in_last 7 days', { field: 'created_at', op: 'not_in_last', value: { amount: 7, unit: 'days' } }, 'bce'],
    ['created_at before a day', { field: 'created_at', op: 'before', value: '2026-01-02' }, 'bc'],
    ['created_at after a day', { field: 'created_at', op: 'after', value: '2026-05-30' }, 'd'],
    ['created_at between days, inclusive', { field: 'created_at', op: 'between', value: ['2026-01-01', '2026-04-15'] }, 'be'],
    ['created_at after an instant', { field: 'created_at', op: 'after', value: '2026-01-01T08:00:00Z' }, 'ade'],
  ])('contact field: %s', async (_name, rule, expected) => {
    expect(await members([rule])).toBe(expected);
  });

  it.each<[string, Rule, string]>([
    ['string is, case-insensitive', { field: 'custom.plan', op: 'is', value: 'pro' }, 'ac'],
    ['string is_not counts no value', { field: 'custom.plan', op: 'is_not', value: 'pro' }, 'bde'],
    ['string contains', { field: 'custom.plan', op: 'contains', value: 'EA' }, 'e'],
    ['string starts_with', { field: 'custom.plan', op: 'starts_with', value: 'p' }, 'ac'],
    ['string is_set', { field: 'custom.plan', op: 'is_set' }, 'abce'],
    ['string is_empty', { field: 'custom.plan', op: 'is_empty' }, 'd'],
    ['number gt', { field: 'custom.score', op: 'gt', value: 7 }, 'ace'],
    ['number lt', { field: 'custom.score', op: 'lt', value: 7.5 }, 'b'],
    ['number between, inclusive', { field: 'custom.score', op: 'between', value: [7, 42] }, 'abe'],
    ['number is', { field: 'custom.score', op: 'is', value: 7 }, 'b'],
    ['number is_not', { field: 'custom.score', op: 'is_not', value: 7 }, 'acde'],
    ['number is_set', { field: 'custom.score', op: 'is_set' }, 'abce'],
    ['boolean is true', { field: 'custom.vip', op: 'is', value: true }, 'a'],
    ['boolean is false', { field: 'custom.vip', op: 'is', value: false }, 'b'],
    ['boolean is_not true', { field: 'custom.vip', op: 'is_not', value: true }, 'bcde'],
    ['boolean is_set (null is not set)', { field: 'custom.vip', op: 'is_set' }, 'ab'],
    ['boolean is_empty', { field: 'custom.vip', op: 'is_empty' }, 'cde'],
    ['date before a day', { field: 'custom.renews_on', op: 'before', value: '2026-06-01' }, 'b'],
    ['date after a day', { field: 'custom.renews_on', op: 'after', value: '2026-06-01' }, 'a'],
    ['date between days', { field: 'custom.renews_on', op: 'between', value: ['2026-06-01', '2026-06-10'] }, 'ae'],
    ['date after an instant', { field: 'custom.renews_on', op: 'after', value: '2026-05-01T12:00:00Z' }, 'ae'],
    ['date in_last 30 days (future excluded)', { field: 'custom.renews_on', op: 'in_last', value: { amount: 30, unit: 'days' } }, 'e'],
    ['date in_last 1 months', { field: 'custom.renews_on', op: 'in_last', value: { amount: 1, unit: 'months' } }, 'be'],
    ['date not_in_last 30 days', { field: 'custom.renews_on', op: 'not_in_last', value: { amount: 30, unit: 'days' } }, 'abcd'],
  ])('custom field: %s', async (_name, rule, expected) => {
    expect(await members([rule])).toBe(expected);
  });

  it.each<[string, Rule, string]>([
    ['opened ever', { field: 'engagement', event: 'opened' }, 'abce'],
    ['opened within 30 days', { field: 'engagement', event: 'opened', withinDays: 30 }, 'ace'],
    ['opened at least twice', { field: 'engagement', event: 'opened', atLeast: 2 }, 'a'],
    ['opened at least twice within 5 days', { field: 'engagement', event: 'opened', atLeast: 2, withinDays: 5 }, 'a'],
    ['opened at least 3 times, negated', { field: 'engagement', event: 'opened', atLeast: 3, negate: true }, 'bcde'],
    ['not opened within 30 days', { field: 'engagement', event: 'opened', withinDays: 30, negate: true }, 'bd'],
    ['clicked', { field: 'engagement', event: 'clicked' }, 'ae'],
    ['opened campaign cmp_2', { field: 'engagement', event: 'opened', campaignId: 'cmp_2' }, 'be'],
    ['received campaign cmp_1', { field: 'engagement', event: 'received', campaignId: 'cmp_1' }, 'b'],
    ['opened in series ser_1', { field: 'engagement', event: 'opened', seriesId: 'ser_1' }, 'c'],
    ['bounced', { field: 'engagement', event: 'bounced' }, 'c'],
    ['complained (nobody)', { field: 'engagement', event: 'complained' }, ''],
  ])('engagement: %s', async (_name, rule, expected) => {
    expect(await members([rule])).toBe(expected);
  });

  it('opened in the last 30 days and did not click in the last 30 days', async () => {
    expect(await members([{ field: 'engagement', event: 'opened', withinDays: 30 }, { field: 'engagement', event: 'clicked', withinDays: 30, negate: true }])).toBe('c');
  });

  it('nests AND and OR over rows and sets', async () => {
    const subscribed: Rule = { field: 'status', op: 'is', value: 'subscribed' };
    expect(await members([subscribed, { op: 'or', rules: [{ field: 'country', op: 'is', value: 'FR' }, { field: 'tags', op: 'any', value: [tag.t2] }] }])).toBe('ae');
    expect(await members([{ op: 'and', rules: [{ field: 'custom.plan', op: 'is', value: 'pro' }, { field: 'country', op: 'is', value: 'DE' }] }, { field: 'engagement', event: 'bounced' }], 'or')).toBe('ac');
    expect(await members([{ field: 'tags', op: 'any', value: [tag.t1] }, { field: 'custom.score', op: 'gt', value: 10 }])).toBe('a');
    expect(await members([{ field: 'tags', op: 'any', value: [tag.t1] }, subscribed])).toBe('ab');
    expect(await members([{ field: 'tags', op: 'none', value: [tag.t1] }, { field: 'status', op: 'is', value: 'bounced' }], 'or')).toBe('cde');
    expect(await members([{ field: 'engagement', event: 'opened' }, { field: 'tags', op: 'none', value: [tag.t2] }])).toBe('bc');
    expect(await members([{ op: 'or', rules: [] }, subscribed])).toBe('abe');
    expect(await members([{ field: 'tags', op: 'any', value: [tag.t1] }, { field: 'engagement', event: 'opened', atLeast: 2 }])).toBe('a');
    expect(await members([{ field: 'tags', op: 'any', value: [tag.t2] }, { field: 'engagement', event: 'opened', atLeast: 3, negate: true }])).toBe('e');
    expect(await members([{ field: 'engagement', event: 'opened', atLeast: 2, negate: true }, { field: 'country', op: 'is_set' }, { field: 'tags', op: 'none', value: [tag.t3] }])).toBe('be');
    expect(
      await members([
        { op: 'or', rules: [{ field: 'tags', op: 'all', value: [tag.t1, tag.t2] }, { field: 'engagement', event: 'opened', seriesId: 'ser_1' }] },
        { op: 'or', rules: [{ field: 'validation', op: 'is', value: 'risky' }, { field: 'engagement', event: 'clicked', negate: true }, { field: 'custom.vip', op: 'is', value: true }] },
      ]),
    ).toBe('ac');
  });

  it('gives recipient queries that page by id', async () => {
    const q = await t.ctx.segments.contactIdsQuery(t.brandId, { op: 'and', rules: [{ field: 'status', op: 'is', value: 'subscribed' }, { field: 'tags', op: 'any', value: [tag.t1, tag.t2] }] });
    const all = (await q.orderBy('contacts.id').execute()).map((r) => r.id);
    expect(all).toHaveLength(3);
    const firstPage = await q.orderBy('contacts.id').limit(2).execute();
    const secondPage = await q.where('contacts.id', '>', firstPage[1].id).orderBy('contacts.id').limit(2).execute();
    expect([...firstPage, ...secondPage].map((r) => r.id)).toEqual(all);
  });

  it('rejects bad filters naming the path', async () => {
    const reject = (filter: unknown) => t.ctx.segments.count(t.brandId, filter).then(
      () => 'accepted',
      (err) => err.message as string,
    );
    expect(await reject({ op: 'and', rules: [{ field: 'status', op: 'gt', value: 'subscribed' }] })).toBe('filter.rules.0.op: must be one of is, is_not, in, not_in');
    expect(await reject({ op: 'and', rules: [{ field: 'custom.score', op: 'is', value: 'ten' }] })).toBe('filter.rules.0.value: must be a number (custom.score is a number field)');
    expect(await reject({ op: 'and', rules: [{ field: 'status', op: 'is', value: 'subscribed' }, { field: 'tags', op: 'any', value: ['tag_nope'] }] })).toBe('filter.rules.1.value.0: unknown tag tag_nope');
    expect(await reject({ op: 'and', rules: [{ field: 'tags', op: 'any', value: [otherTag] }] })).toBe(`filter.rules.0.value.0: unknown tag ${otherTag}`);
    expect(await reject({ op: 'and', rules: [{ field: 'custom.nickname', op: 'is_set' }] })).toBe('filter.rules.0.field: unknown custom field nickname');
    let deep: unknown = { field: 'status', op: 'is', value: 'subscribed' };
    for (let i = 0; i < 6; i++) deep = { op: 'and', rules: [deep] };
    expect(await reject(deep)).toMatch(/^filter\.rules\.0\.rules\.0\.rules\.0\.rules\.0\.rules\.0: groups nest too deep/);
  });

  it('previews at most 100 contacts', async () => {
    expect(await t.ctx.segments.preview(t.brandId, null, 2)).toHaveLength(2);
    await expect(t.ctx.segments.preview(t.brandId, null, 101)).rejects.toThrow('limit: must be a whole number from 1 to 100');
    expect((await t.api('GET', '/api/v1/segments/seg_nope/preview?limit=0')).status).toBe(400);
  });

  it('keeps brands apart in counts, previews and tag checks', async () => {
    const filter = { op: 'and', rules: [{ field: 'engagement', event: 'opened', withinDays: 30 }, { field: 'country', op: 'is', value: 'DE' }] };
    expect(await t.ctx.segments.count(otherBrand, filter)).toBe(1);
    expect((await t.ctx.segments.preview(t.brandId, filter)).map((c) => c.email).sort()).toEqual(['ann@example.com', 'eve@example.com']);
    expect(await t.ctx.segments.count(otherBrand, { op: 'and', rules: [{ field: 'tags', op: 'any', value: [otherTag] }] })).toBe(1);
  });

  describe('saved segments', () => {
    it('creates, lists, reads, updates and deletes, with an audit trail', async () => {
      const s = await t.ctx.segments.create(t.brandId, { name: 'Germany', filter: { op: 'and', rules: [{ field: 'country', op: 'is', value: 'DE' }] } }, SYSTEM);
      expect(s).toMatchObject({ name: 'Germany', description: '', filter: { op: 'and', rules: [{ field: 'country', op: 'is', value: 'DE' }] } });
      expect(await t.ctx.segments.count(t.brandId, s.filter)).toBe(2);
      const everyone = await t.ctx.segments.create(t.brandId, { name: 'Everyone' }, SYSTEM);
      expect(everyone.filter).toEqual({ op: 'and', rules: [] });
      await expect(t.ctx.segments.create(t.brandId, { name: 'Germany' }, SYSTEM)).rejects.toMatchObject({ code: 'conflict' });
      await expect(t.ctx.segments.update(t.brandId, s.id, { name: 'Everyone' }, SYSTEM)).rejects.toMatchObject({ code: 'conflict' });

      const page1 = await t.ctx.segments.list(t.brandId, { limit: 1 });
      expect(page1.data.map((x) => x.name)).toEqual(['Germany']);
      const page2 = await t.ctx.segments.list(t.brandId, { limit: 1, cursor: page1.nextCursor! });
      expect(page2).toMatchObject({ data: [{ name: 'Everyone' }], nextCursor: null });

      const updated = await t.ctx.segments.update(t.brandId, s.id, { name: 'DE or FR', filter: { op: 'or', rules: [{ field: 'country', op: 'is', value: 'DE' }, { field: 'country', op: 'is', value: 'FR' }] } }, SYSTEM);
      expect(updated.name).toBe('DE or FR');
      expect(await t.ctx.segments.count(t.brandId, updated.filter)).toBe(3);
      await expect(t.ctx.segments.update(t.brandId, s.id, { filter: { op: 'and', rules: [{ field: 'tags', op: 'any', value: ['tag_gone'] }] } }, SYSTEM)).rejects.toThrow(
        'filter.rules.0.value.0: unknown tag tag_gone',
      );
      await expect(t.ctx.segments.get(otherBrand, s.id)).rejects.toMatchObject({ code: 'not_found' });

      await t.ctx.segments.delete(t.brandId, s.id, SYSTEM);
      await t.ctx.segments.delete(t.brandId, everyone.id, SYSTEM);
      await expect(t.ctx.segments.get(t.brandId, s.id)).rejects.toMatchObject({ code: 'not_found' });
      const audit = await t.ctx.brands.listAudit(t.brandId, { limit: 50 });
      expect(audit.filter((a) => a.targetId === s.id).map((a) => a.action).sort()).toEqual(['segment.created', 'segment.deleted', 'segment.updated']);
    });
  });

  describe('HTTP', () => {
    it('serves the segment API', async () => {
      const created = await t.api('POST', '/api/v1/segments', { name: 'Subscribers', filter: { op: 'and', rules: [{ field: 'status', op: 'is', value: 'subscribed' }] } });
      expect(created.status).toBe(201);
      const id = created.body.id;
      expect((await t.api('GET', '/api/v1/segments')).body.data.map((s: any) => s.id)).toContain(id);
      expect((await t.api('GET', `/api/v1/segments/${id}`)).body.name).toBe('Subscribers');
      expect((await t.api('GET', `/api/v1/segments/${id}/count`)).body).toEqual({ count: 3 });
      const preview = await t.api('GET', `/api/v1/segments/${id}/preview?limit=2`);
      expect(preview.body.data).toHaveLength(2);
      expect(Object.keys(preview.body.data[0]).sort()).toEqual(['country', 'createdAt', 'email', 'firstName', 'id', 'lastName', 'status']);
      expect((await t.api('PATCH', `/api/v1/segments/${id}`, { description: 'everyone we may mail', filter: null })).body).toMatchObject({ description: 'everyone we may mail', filter: { op: 'and', rules: [] } });
      expect((await t.api('DELETE', `/api/v1/segments/${id}`)).status).toBe(204);
      expect((await t.api('GET', `/api/v1/segments/${id}`)).status).toBe(404);
    });

    it('counts and previews unsaved filters', async () => {
      const filter = { op: 'and', rules: [{ field: 'engagement', event: 'opened', withinDays: 30 }, { field: 'engagement', event: 'clicked', withinDays: 30, negate: true }] };
      expect((await t.api('POST', '/api/v1/segments/count', { filter })).body).toEqual({ count: 1 });
      const preview = await t.api('POST', '/api/v1/segments/preview', { filter, limit: 5 });
      expect(preview.body.data.map((c: any) => c.email)).toEqual(['cy@example.org']);
    });

    it('answers a bad filter with 400 naming the path', async () => {
      const res = await t.api('POST', '/api/v1/segments/count', { filter: { op: 'and', rules: [{ field: 'email', op: 'is' }, { field: 'tags', op: 'all', value: ['tag_nope'] }] } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.issues).toEqual([{ field: 'filter.rules.0.value', message: expect.any(String) }]);
      const unknownTag = await t.api('POST', '/api/v1/segments', { name: 'x', filter: { op: 'and', rules: [{ field: 'tags', op: 'all', value: ['tag_nope'] }] } });
      expect(unknownTag.body.error).toMatchObject({ code: 'validation_failed', message: 'filter.rules.0.value.0: unknown tag tag_nope' });
    });

    it('needs audience scopes', async () => {
      const { secret } = await t.ctx.brands.createApiKey(t.brandId, { name: 'read only', scopes: ['audience:read'] }, SYSTEM);
      const auth = { authorization: `Bearer ${secret}` };
      expect((await t.api('POST', '/api/v1/segments/count', { filter: null }, auth)).status).toBe(200);
      expect((await t.api('POST', '/api/v1/segments', { name: 'nope' }, auth)).status).toBe(403);
      const { secret: emailOnly } = await t.ctx.brands.createApiKey(t.brandId, { name: 'email only', scopes: ['email:read'] }, SYSTEM);
      expect((await t.api('GET', '/api/v1/segments', undefined, { authorization: `Bearer ${emailOnly}` })).status).toBe(403);
    });

    it('describes the routes in the OpenAPI document', async () => {
      const doc = (await t.api('GET', '/api/v1/openapi.json')).body;
      for (const path of ['/api/v1/segments', '/api/v1/segments/count', '/api/v1/segments/preview', '/api/v1/segments/{id}', '/api/v1/segments/{id}/count', '/api/v1/segments/{id}/preview']) {
        expect(doc.paths[path], path).toBeDefined();
      }
    });
  });
});
