import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/stores.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';

const C = '/api/v1/contacts';

interface Seed {
  email: string;
  firstName?: string;
  lastName?: string;
  status?: string;
  tags?: string[];
}

const PEOPLE: Seed[] = [
  { email: 'ann@acme.com', firstName: 'Ann', lastName: 'Zimmer', status: 'subscribed', tags: ['vip'] },
  { email: 'bob@acme.com', firstName: 'Bob', lastName: 'Young', tags: ['lead'] },
  { email: 'cat@beta.org', firstName: 'Cat', lastName: 'Xu', status: 'subscribed', tags: ['vip', 'lead'] },
  { email: 'dan@beta.org', firstName: 'Dan', status: 'unsubscribed' },
  { email: 'eve@notacme.com', firstName: 'Eve', lastName: 'Young', status: 'subscribed' },
  { email: 'fay@gamma.io', lastName: 'Acme-Smith', status: 'bounced' },
  { email: 'gus@gamma.io', firstName: 'Gus', lastName: 'Under_score' },
  { email: 'hal@gamma.io', firstName: 'Hal', lastName: 'Under-score' },
];

describe.each(DIALECTS)('contact lists on %s', (dialect) => {
  let t: TestApp;
  const tags: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestApp(dialect, { TIDINGS_API_RATE_LIMIT: '100000' });
    for (const name of ['vip', 'lead', 'unused']) tags[name] = (await t.api('POST', '/api/v1/tags', { name })).body.id;
    for (const [i, p] of PEOPLE.entries()) {
      // Pairs share a creation instant, so the id tie-break is exercised too.
      if (i % 2 === 0) t.clock.advance(1000);
      const res = await t.api('POST', C, { ...p, tags: undefined, tagIds: (p.tags ?? []).map((n) => tags[n]) });
      expect(res.status).toBe(201);
    }
    // A second run of contacts with no last name and repeated last names for the sort tests.
    for (let i = 0; i < 17; i++) {
      t.clock.advance(i % 3 === 0 ? 1000 : 0);
      await t.api('POST', C, { email: `p${String(i).padStart(2, '0')}@bulk.test`, ...(i % 4 === 0 ? {} : { lastName: `Name${i % 5}` }) });
    }
  });
  afterAll(async () => t?.close());

  const emails = async (query: string) => (await t.api('GET', `${C}?limit=500&${query}`)).body.data.map((c: any) => c.email).sort();

  it('searches email and name substrings, and @domain by suffix', async () => {
    expect(await emails('search=acme')).toEqual(['ann@acme.com', 'bob@acme.com', 'eve@notacme.com', 'fay@gamma.io']);
    expect(await emails('search=%40acme.com')).toEqual(['ann@acme.com', 'bob@acme.com']);
    expect(await emails('search=young')).toEqual(['bob@acme.com', 'eve@notacme.com']);
    expect(await emails('search=ann%20zim')).toEqual(['ann@acme.com']);
    // LIKE wildcards typed by the user are literal characters.
    expect(await emails('search=under_')).toEqual(['gus@gamma.io']);
    expect(await emails('search=%25')).toEqual([]);
  });

  it('filters by status and by any of several tags, and counts the same way', async () => {
    expect(await emails('status=subscribed')).toEqual(['ann@acme.com', 'cat@beta.org', 'eve@notacme.com']);
    expect(await emails(`tagIds=${tags.vip}`)).toEqual(['ann@acme.com', 'cat@beta.org']);
    expect(await emails(`tagIds=${tags.vip},${tags.lead}`)).toEqual(['ann@acme.com', 'bob@acme.com', 'cat@beta.org']);
    expect(await emails(`tagIds=${tags.lead}&status=subscribed&search=beta`)).toEqual(['cat@beta.org']);
    expect((await t.api('GET', `${C}/count?tagIds=${tags.vip},${tags.lead}`)).body.count).toBe(3);
    expect((await t.api('GET', `${C}/count`)).body.count).toBe(PEOPLE.length + 17);
    const unknown = await t.api('GET', `${C}?tagIds=${tags.vip},tag_nope`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe('tagIds.1: unknown tag tag_nope');
    const badStatus = await t.api('GET', `${C}?status=gone`);
    expect(badStatus.body.error.details.issues[0].field).toBe('querystring.status');
  });

  it.each([
    ['created_at', 'desc'],
    ['created_at', 'asc'],
    ['email', 'asc'],
    ['email', 'desc'],
    ['last_name', 'asc'],
    ['last_name', 'desc'],
    ['updated_at', 'desc'],
  ])('pages by %s %s with no duplicates or gaps', async (sort, order) => {
    const whole = (await t.api('GET', `${C}?sort=${sort}&order=${order}&limit=500`)).body;
    expect(whole.nextCursor).toBeNull();
    const all = whole.data.map((c: any) => c.id);
    expect(all).toHaveLength(PEOPLE.length + 17);

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await t.api('GET', `${C}?sort=${sort}&order=${order}&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(4);
      paged.push(...res.body.data.map((c: any) => c.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);

    const key = (c: any) => ({ created_at: c.createdAt, updated_at: c.updatedAt, email: c.email, last_name: c.lastName ?? '' })[sort]!;
    const keys = whole.data.map(key);
    if (sort !== 'last_name') expect(keys).toEqual([...keys].sort((a: string, b: string) => (order === 'asc' ? cmp(a, b) : cmp(b, a))));
    else {
      // Contacts without a last name sort as '': first A→Z, last Z→A, on both dialects.
      const none = whole.data.filter((c: any) => c.lastName === null).length;
      expect(none).toBe(6);
      expect((order === 'asc' ? whole.data.slice(0, none) : whole.data.slice(-none)).every((c: any) => c.lastName === null)).toBe(true);
    }
  });

  it('pages a filtered list', async () => {
    const first = await t.api('GET', `${C}?status=subscribed&limit=2&sort=email&order=asc`);
    expect(first.body.data.map((c: any) => c.email)).toEqual(['ann@acme.com', 'cat@beta.org']);
    const second = await t.api('GET', `${C}?status=subscribed&limit=2&sort=email&order=asc&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ data: [expect.objectContaining({ email: 'eve@notacme.com' })], nextCursor: null });
  });

  it('defaults to newest first and rejects a forged cursor or an oversized limit', async () => {
    const list = (await t.api('GET', `${C}?limit=3`)).body.data;
    expect(list[0].email).toBe('p16@bulk.test');
    const forged = await t.api('GET', `${C}?cursor=not-a-cursor`);
    expect(forged.status).toBe(400);
    expect(forged.body.error.details.issues[0].field).toBe('cursor');
    expect((await t.api('GET', `${C}?limit=501`)).status).toBe(400);
  });
});

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
