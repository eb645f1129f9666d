import { describe, expect, it } from 'vitest';
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type RawBuilder,
} from 'kysely';
import { DomainError } from '../../shared/errors.ts';
import type { Dialect } from '../../store/db.ts';
import { compileFilter, escapeLike, referencesOf, type CompileOptions } from './compiler.ts';
import { EVERYONE, FILTER_LIMITS, SegmentFilterSchema, type Rule, type SegmentFilter } from './model.ts';

// Kysely instances that only compile (no database): the compiler is tested as a pure function.
const compilers: Record<Dialect, Kysely<any>> = {
  sqlite: new Kysely({
    dialect: { createAdapter: () => new SqliteAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new SqliteIntrospector(db), createQueryCompiler: () => new SqliteQueryCompiler() },
  }),
  postgres: new Kysely({
    dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() },
  }),
};

const NOW = new Date('2026-03-31T12:00:00.000Z');
const options = (dialect: Dialect): CompileOptions => ({
  dialect,
  brandId: 'brd_1',
  customFields: { plan: 'string', score: 'number', vip: 'boolean', renews_on: 'date' },
  tagIds: new Set(['tag_a', 'tag_b']),
  now: NOW,
});

const render = (q: RawBuilder<unknown>, dialect: Dialect) => {
  const c = q.compile(compilers[dialect]);
  return { sql: c.sql, params: c.parameters as unknown[] };
};

/** The count query and the WHERE of `rules` ANDed at the top level. */
function compile(rules: Rule[], dialect: Dialect = 'sqlite', op: 'and' | 'or' = 'and') {
  const compiled = compileFilter({ op, rules }, options(dialect));
  return { count: render(compiled.count, dialect), where: render(compiled.where, dialect) };
}

/** The issues a filter is rejected with, as "path: message". */
function issuesOf(rules: Rule[]): string[] {
  try {
    compileFilter({ op: 'and', rules }, options('sqlite'));
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return ((err as DomainError).details as { issues: Array<{ field: string; message: string }> }).issues.map((i) => `${i.field}: ${i.message}`);
  }
  throw new Error('expected the filter to be rejected');
}

function parseIssues(input: unknown): string[] {
  const r = SegmentFilterSchema.safeParse(input);
  if (r.success) throw new Error('expected the filter to be rejected');
  return r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('segment filter schema', () => {
  it('reads null, absent and empty filters as everyone', () => {
    expect(SegmentFilterSchema.parse(null)).toEqual(EVERYONE);
    expect(SegmentFilterSchema.parse(undefined)).toEqual(EVERYONE);
    expect(SegmentFilterSchema.parse({ op: 'or', rules: [] })).toEqual({ op: 'or', rules: [] });
  });

  it('accepts every kind of condition', () => {
    const filter = {
      op: 'and',
      rules: [
        { field: 'tags', op: 'all', value: ['tag_a'] },
        { field: 'status', op: 'in', value: ['subscribed', 'bounced'] },
        { field: 'validation', op: 'is_not', value: 'invalid' },
        { field: 'custom.score', op: 'between', value: [1, 2] },
        { field: 'created_at', op: 'in_last', value: { amount: 3, unit: 'weeks' } },
        { op: 'or', rules: [{ field: 'engagement', event: 'clicked', campaignId: 'cmp_1', withinDays: 7, atLeast: 2, negate: true }] },
      ],
    };
    expect(SegmentFilterSchema.parse(filter)).toEqual(filter);
  });

  it('names the path of a bad operator, value or key', () => {
    expect(parseIssues({ op: 'and', rules: [{ field: 'tags', op: 'some', value: ['tag_a'] }] })).toEqual(['rules.0.op: must be one of any, all, none']);
    expect(parseIssues({ op: 'and', rules: [{ field: 'status', op: 'is', value: 'gone' }] })[0]).toMatch(/^rules\.0\.value: must be one of subscribed/);
    expect(parseIssues({ op: 'and', rules: [{ field: 'email', op: 'like', value: 'x' }] })[0]).toMatch(/^rules\.0\.op: must be one of is, is_not/);
    expect(parseIssues({ op: 'and', rules: [{ field: 'custom.score', op: 'gt', value: '5' }] })).toEqual(['rules.0.value: must be a number']);
    expect(parseIssues({ op: 'and', rules: [{ field: 'email', op: 'is_set', value: 'x' }] })).toEqual(['rules.0: Unrecognized key: "value"']);
    expect(parseIssues({ op: 'and', rules: [{ field: 'engagement', event: 'opened', withinDay: 3 }] })).toEqual(['rules.0: Unrecognized key: "withinDay"']);
    expect(parseIssues({ op: 'and', rules: [{ field: 'engagement', event: 'forwarded' }] })[0]).toMatch(/^rules\.0\.event: must be one of received, opened/);
    expect(parseIssues({ op: 'xor', rules: [] })).toEqual(['op: must be one of and, or']);
    expect(parseIssues({ op: 'and', rules: [{ field: 'nickname', op: 'is', value: 'x' }] })[0]).toMatch(/^rules\.0\.field: must be tags, status, validation, engagement, a contact field/);
    expect(parseIssues({ op: 'and', rules: ['status'] })[0]).toMatch(/^rules\.0: must be a group/);
  });

  it('checks dates, relative spans and ranges', () => {
    expect(parseIssues({ op: 'and', rules: [{ field: 'created_at', op: 'before', value: '2026-02-30' }] })[0]).toMatch(/^rules\.0\.value: must be a date/);
    expect(parseIssues({ op: 'and', rules: [{ field: 'created_at', op: 'after', value: '2026-02-01T10:00:00' }] })[0]).toMatch(/with a zone/);
    expect(parseIssues({ op: 'and', rules: [{ field: 'created_at', op: 'in_last', value: { amount: 0, unit: 'days' } }] })[0]).toMatch(/^rules\.0\.value\.amount:/);
    expect(parseIssues({ op: 'and', rules: [{ field: 'created_at', op: 'in_last', value: { amount: 2, unit: 'years' } }] })).toEqual(['rules.0.value.unit: must be one of days, weeks, months']);
    expect(parseIssues({ op: 'and', rules: [{ field: 'custom.score', op: 'between', value: [1] }] })).toEqual(['rules.0.value: must be [min, max]: two numbers or two dates']);
  });

  it('limits depth and size', () => {
    let deep: SegmentFilter = { op: 'and', rules: [{ field: 'status', op: 'is', value: 'subscribed' }] };
    for (let i = 1; i < FILTER_LIMITS.depth; i++) deep = { op: 'and', rules: [deep] };
    expect(SegmentFilterSchema.safeParse(deep).success).toBe(true);
    expect(parseIssues({ op: 'or', rules: [deep] })).toEqual([`rules.0.rules.0.rules.0.rules.0.rules.0: groups nest too deep (at most ${FILTER_LIMITS.depth} levels)`]);
    const many = Array.from({ length: FILTER_LIMITS.conditions + 1 }, () => ({ field: 'status', op: 'is', value: 'subscribed' }));
    expect(parseIssues({ op: 'and', rules: many })).toEqual([`: has more than ${FILTER_LIMITS.conditions} conditions`]);
  });
});

describe('segment compiler: conditions', () => {
  it('scopes an empty filter to the brand', () => {
    const { count, where } = compile([]);
    expect(count.sql).toBe('select count(*) as n from contacts where "contacts"."brand_id" = ?');
    expect(where.sql).toBe('"contacts"."brand_id" = ?');
    expect(count.params).toEqual(['brd_1']);
  });

  it('ignores empty groups', () => {
    expect(compile([{ op: 'or', rules: [] }, { field: 'status', op: 'is', value: 'subscribed' }]).where.sql).toBe('"contacts"."brand_id" = ? and "contacts"."status" = ?');
  });

  it.each([
    ['is', 'subscribed', '"contacts"."status" = ?', ['subscribed']],
    ['is_not', 'subscribed', '"contacts"."status" <> ?', ['subscribed']],
    ['in', ['bounced', 'complained', 'bounced'], '"contacts"."status" in (?, ?)', ['bounced', 'complained']],
    ['not_in', ['bounced'], '"contacts"."status" not in (?)', ['bounced']],
  ] as const)('status %s', (op, value, fragment, params) => {
    const { where } = compile([{ field: 'status', op, value } as Rule]);
    expect(where.sql).toContain(fragment);
    expect(where.params.slice(1)).toEqual(params);
  });

  it('validation flag', () => {
    expect(compile([{ field: 'validation', op: 'in', value: ['risky', 'invalid'] }]).where.sql).toContain('"contacts"."validation" in (?, ?)');
  });

  it('compares text case-insensitively, and normalised columns exactly', () => {
    const name = compile([{ field: 'first_name', op: 'is', value: 'Ann' }]).where;
    expect(name.sql).toContain('lower("contacts"."first_name") = lower(?)');
    const email = compile([{ field: 'email', op: 'is', value: ' Ann@Example.COM ' }]).where;
    expect(email.sql).toContain('"contacts"."email" = ?');
    expect(email.params).toContain('ann@example.com');
    const country = compile([{ field: 'country', op: 'is', value: 'de' }]).where;
    expect(country.sql).toContain('"contacts"."country" = ?');
    expect(country.params).toContain('DE');
  });

  it('counts a missing value as "is not"', () => {
    expect(compile([{ field: 'country', op: 'is_not', value: 'DE' }]).where.sql).toContain('("contacts"."country" = ?) is not true');
  });

  it.each(['sqlite', 'postgres'] as const)('escapes LIKE wildcards in contains and starts_with (%s)', (dialect) => {
    const contains = compile([{ field: 'last_name', op: 'contains', value: '50%_off\\' }], dialect).where;
    expect(contains.sql).toContain(dialect === 'sqlite' ? `"contacts"."last_name" like ? escape '\\'` : `lower("contacts"."last_name") like lower($2) escape '\\'`);
    expect(contains.params).toContain('%50\\%\\_off\\\\%');
    const email = compile([{ field: 'email', op: 'starts_with', value: 'Ann_' }], dialect).where;
    expect(email.sql).toContain(dialect === 'sqlite' ? `"contacts"."email" like ? escape '\\'` : `"contacts"."email" like $2 escape '\\'`);
    expect(email.params).toContain(dialect === 'sqlite' ? 'Ann\\_%' : 'ann\\_%');
  });

  it('is_set and is_empty', () => {
    expect(compile([{ field: 'phone', op: 'is_set' }]).where.sql).toContain(`("contacts"."phone" is not null and "contacts"."phone" <> '')`);
    expect(compile([{ field: 'phone', op: 'is_empty' }]).where.sql).toContain(`(("contacts"."phone" is not null and "contacts"."phone" <> '')) is not true`);
    expect(compile([{ field: 'consent_at', op: 'is_set' }]).where.sql).toContain('"contacts"."consent_at" is not null');
  });

  it('reads custom values by type on SQLite', () => {
    const score = compile([{ field: 'custom.score', op: 'gt', value: 5 }]).where;
    expect(score.sql).toContain(`(case when json_type("contacts"."attributes", ?) in ('integer', 'real') then json_extract("contacts"."attributes", ?) end) > ?`);
    expect(score.params).toEqual(['brd_1', '$."score"', '$."score"', 5]);
    expect(compile([{ field: 'custom.vip', op: 'is', value: true }]).where.sql).toContain('json_type("contacts"."attributes", ?) = ?');
    expect(compile([{ field: 'custom.vip', op: 'is', value: false }]).where.params).toEqual(['brd_1', '$."vip"', 'false']);
    expect(compile([{ field: 'custom.plan', op: 'is', value: 'Pro' }]).where.sql).toContain('lower(json_extract("contacts"."attributes", ?)) = lower(?)');
  });

  it('reads custom values by type on PostgreSQL', () => {
    const score = compile([{ field: 'custom.score', op: 'lt', value: 5 }], 'postgres').where;
    expect(score.sql).toContain(`(case when jsonb_typeof("contacts"."attributes" -> $2::text) = 'number' then ("contacts"."attributes" ->> $3::text)::numeric end) < $4`);
    expect(compile([{ field: 'custom.vip', op: 'is_set' }], 'postgres').where.sql).toContain(`("contacts"."attributes" -> $2::text)::text in ('true', 'false')`);
    expect(compile([{ field: 'custom.plan', op: 'contains', value: 'o' }], 'postgres').where.sql).toContain(`lower(("contacts"."attributes" ->> $2::text)) like lower($3)`);
  });

  it('numbers: is, between', () => {
    expect(compile([{ field: 'custom.score', op: 'is', value: 7 }]).where.sql).toMatch(/end\) = \?$/);
    const between = compile([{ field: 'custom.score', op: 'between', value: [1, 9] }]).where;
    expect(between.sql).toMatch(/end\) between \? and \?$/);
    expect(between.params.slice(-2)).toEqual([1, 9]);
  });

  it('dates: a plain date is its whole UTC day, an instant is itself', () => {
    const before = compile([{ field: 'created_at', op: 'before', value: '2026-03-01' }]).where;
    expect(before.sql).toContain('"contacts"."created_at" < ?');
    expect(before.params).toContain('2026-03-01T00:00:00.000Z');
    const afterDay = compile([{ field: 'created_at', op: 'after', value: '2026-03-01' }]).where;
    expect(afterDay.sql).toContain('"contacts"."created_at" >= ?');
    expect(afterDay.params).toContain('2026-03-02T00:00:00.000Z');
    const afterInstant = compile([{ field: 'created_at', op: 'after', value: '2026-03-01T10:00:00+02:00' }]).where;
    expect(afterInstant.sql).toContain('"contacts"."created_at" > ?');
    expect(afterInstant.params).toContain('2026-03-01T08:00:00.000Z');
    const between = compile([{ field: 'updated_at', op: 'between', value: ['2026-03-01', '2026-03-05'] }]).where;
    expect(between.sql).toContain('("contacts"."updated_at" >= ? and "contacts"."updated_at" < ?)');
    expect(between.params.slice(1)).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-06T00:00:00.000Z']);
  });

  it.each([
    [{ amount: 30, unit: 'days' }, '2026-03-01T12:00:00.000Z'],
    [{ amount: 2, unit: 'weeks' }, '2026-03-17T12:00:00.000Z'],
    [{ amount: 1, unit: 'months' }, '2026-02-28T12:00:00.000Z'], // calendar month, clamped to February's end
  ] as const)('relative dates count back from the injected now: %o', (value, since) => {
    const { where } = compile([{ field: 'consent_at', op: 'in_last', value }]);
    expect(where.sql).toContain('("contacts"."consent_at" >= ? and "contacts"."consent_at" <= ?)');
    expect(where.params.slice(1)).toEqual([since, NOW.toISOString()]);
    expect(compile([{ field: 'consent_at', op: 'not_in_last', value }]).where.sql).toContain('is not true');
  });

  it('widens custom date-only values to their midnight before comparing', () => {
    expect(compile([{ field: 'custom.renews_on', op: 'before', value: '2026-05-01' }]).where.sql).toContain(
      `(json_extract("contacts"."attributes", ?) || substr('T00:00:00.000Z', length(json_extract("contacts"."attributes", ?)) - 9)) < ?`,
    );
    expect(compile([{ field: 'custom.renews_on', op: 'before', value: '2026-05-01' }], 'postgres').where.sql).toContain(`collate "C" < $`);
  });

  it('engagement: any time, one campaign or series, a window, a minimum, or not', () => {
    const opened = compile([{ field: 'engagement', event: 'opened' }]);
    expect(opened.count.sql).toBe('select count(distinct id) as n from (select events.contact_id as id from events where events.brand_id = ? and events.type = ? and events.machine = 0) as matching');
    expect(opened.where.sql).toBe('"contacts"."brand_id" = ? and "contacts"."id" in (select events.contact_id as id from events where events.brand_id = ? and events.type = ? and events.machine = 0)');
    const narrow = compile([{ field: 'engagement', event: 'clicked', campaignId: 'cmp_1', seriesId: 'ser_1', withinDays: 30, atLeast: 2 }]).count;
    expect(narrow.sql).toContain('events.machine = 0 and events.campaign_id = ? and events.series_id = ? and events.occurred_at >= ? group by events.contact_id having count(*) >= ?');
    expect(narrow.sql).toMatch(/^select count\(\*\) as n/); // grouped: already one row per contact
    expect(narrow.params).toEqual(['brd_1', 'clicked', 'cmp_1', 'ser_1', '2026-03-01T12:00:00.000Z', 2]);
    const notOpened = compile([{ field: 'engagement', event: 'opened', negate: true }]).count.sql;
    expect(notOpened).toBe('select count(*) as n from contacts where "contacts"."brand_id" = ? and "contacts"."id" not in (select events.contact_id as id from events where events.brand_id = ? and events.type = ? and events.machine = 0)');
    const pgNotOpened = compile([{ field: 'engagement', event: 'opened', negate: true }], 'postgres').where.sql;
    expect(pgNotOpened).toBe('"contacts"."brand_id" = $1 and not exists (select 1 from (select events.contact_id as id from events where events.brand_id = $2 and events.type = $3 and events.machine = 0) as excluded where excluded.id = "contacts"."id")');
  });

  it('tags: any, all, none', () => {
    expect(compile([{ field: 'tags', op: 'any', value: ['tag_a', 'tag_b'] }]).where.sql).toContain('"contacts"."id" in (select contact_id as id from contact_tags where tag_id in (?, ?))');
    expect(compile([{ field: 'tags', op: 'all', value: ['tag_a', 'tag_b'] }]).count.sql).toBe(
      'select count(*) as n from (select contact_id as id from contact_tags where tag_id in (?) intersect select contact_id as id from contact_tags where tag_id in (?)) as matching',
    );
    expect(compile([{ field: 'tags', op: 'none', value: ['tag_a'] }]).where.sql).toBe('"contacts"."brand_id" = ? and "contacts"."id" not in (select contact_id as id from contact_tags where tag_id in (?))');
  });

  it('collects every problem with its path', () => {
    expect(
      issuesOf([
        { field: 'status', op: 'is', value: 'subscribed' },
        { field: 'tags', op: 'any', value: ['tag_a', 'tag_x', 'tag_y'] },
        { op: 'or', rules: [{ field: 'custom.nickname', op: 'is', value: 'x' }] },
        { field: 'first_name', op: 'gt', value: 3 },
        { field: 'custom.score', op: 'is', value: 'ten' },
        { field: 'custom.plan', op: 'between', value: [1, 2] },
        { field: 'custom.score', op: 'between', value: [5, 1] },
        { field: 'created_at', op: 'between', value: ['2026-03-02', '2026-03-01'] },
        { field: 'custom.vip', op: 'contains', value: 'y' },
        { field: 'custom.score', op: 'between', value: ['2026-01-01', '2026-02-01'] },
      ]),
    ).toEqual([
      'filter.rules.1.value.1: unknown tag tag_x',
      'filter.rules.1.value.2: unknown tag tag_y',
      'filter.rules.2.rules.0.field: unknown custom field nickname',
      'filter.rules.3.op: gt does not apply to first_name, a string field (use is, is_not, contains, starts_with, is_set, is_empty)',
      'filter.rules.4.value: must be a number (custom.score is a number field)',
      'filter.rules.5.op: between does not apply to custom.plan, a string field (use is, is_not, contains, starts_with, is_set, is_empty)',
      'filter.rules.6.value: the first value must not be greater than the second',
      'filter.rules.7.value: the first date must not be after the second',
      'filter.rules.8.op: contains does not apply to custom.vip, a boolean field (use is, is_not, is_set, is_empty)',
      'filter.rules.9.value: must be two numbers (custom.score is a number field)',
    ]);
  });
});

describe('segment compiler: shapes', () => {
  const tagged: Rule = { field: 'tags', op: 'any', value: ['tag_a'] };
  const subscribed: Rule = { field: 'status', op: 'is', value: 'subscribed' };
  const pro: Rule = { field: 'custom.plan', op: 'is', value: 'pro' };

  it('keeps groups of row conditions in one WHERE, plain columns before JSON', () => {
    const { count, where } = compile([pro, { op: 'or', rules: [subscribed, { field: 'country', op: 'is', value: 'DE' }] }]);
    expect(where.sql).toBe('"contacts"."brand_id" = ? and (("contacts"."status" = ? or "contacts"."country" = ?) and lower(json_extract("contacts"."attributes", ?)) = lower(?))');
    expect(count.sql).toBe(`select count(*) as n from contacts where ${where.sql}`);
  });

  it('SQLite intersects plain-column conditions with sets', () => {
    expect(compile([tagged, subscribed]).count.sql).toBe(
      'select count(*) as n from (select "contacts"."id" as id from contacts where ("contacts"."brand_id" = ? and "contacts"."status" = ?) intersect select contact_id as id from contact_tags where tag_id in (?)) as matching',
    );
  });

  it('SQLite tests JSON conditions only on the members of the sets', () => {
    const { count, where } = compile([tagged, pro]);
    expect(where.sql).toBe('"contacts"."brand_id" = ? and (lower(json_extract("contacts"."attributes", ?)) = lower(?) and "contacts"."id" in (select contact_id as id from contact_tags where tag_id in (?)))');
    expect(count.sql).toBe(`select count(*) as n from contacts where ${where.sql}`);
  });

  it('previews and recipient pages always use the WHERE form, which can stop at a page', () => {
    expect(compile([tagged, subscribed]).where.sql).toBe('"contacts"."brand_id" = ? and ("contacts"."status" = ? and "contacts"."id" in (select contact_id as id from contact_tags where tag_id in (?)))');
  });

  it('PostgreSQL joins row conditions with sets', () => {
    expect(compile([tagged, subscribed, { field: 'tags', op: 'none', value: ['tag_b'] }], 'postgres').where.sql).toBe(
      '"contacts"."brand_id" = $1 and ("contacts"."status" = $2 and "contacts"."id" in (select contact_id as id from contact_tags where tag_id in ($3)) and not exists (select 1 from (select contact_id as id from contact_tags where tag_id in ($4)) as excluded where excluded.id = "contacts"."id"))',
    );
  });

  it.each(['sqlite', 'postgres'] as const)('combines sets without contacts when a group has only sets (%s)', (dialect) => {
    const { count } = compile([{ field: 'engagement', event: 'opened', withinDays: 30 }, { field: 'engagement', event: 'clicked', withinDays: 30, negate: true }], dialect);
    expect(count.sql).not.toContain('contacts');
    expect(count.sql).toContain(' except select events.contact_id');
  });

  const mixedOr: Rule[] = [subscribed, pro, { field: 'tags', op: 'all', value: ['tag_a', 'tag_b'] }, { field: 'tags', op: 'none', value: ['tag_a'] }];

  it('SQLite tests an OR with sets row by row, each set listed once', () => {
    expect(compile(mixedOr, 'sqlite', 'or').where.sql).toBe(
      '"contacts"."brand_id" = ? and ("contacts"."status" = ? or lower(json_extract("contacts"."attributes", ?)) = lower(?)' +
        ' or "contacts"."id" in (select contact_id as id from contact_tags where tag_id in (?) intersect select contact_id as id from contact_tags where tag_id in (?))' +
        ' or "contacts"."id" not in (select contact_id as id from contact_tags where tag_id in (?)))',
    );
  });

  it('PostgreSQL unites the arms of an OR with sets, row tests sharing one arm, nested compounds wrapped', () => {
    expect(compile(mixedOr, 'postgres', 'or').where.sql).toBe(
      '"contacts"."brand_id" = $1 and "contacts"."id" in (' +
        `select "contacts"."id" as id from contacts where ("contacts"."brand_id" = $2 and ("contacts"."status" = $3 or lower(("contacts"."attributes" ->> $4::text)) = lower($5)))` +
        ' union select id from (select contact_id as id from contact_tags where tag_id in ($6) intersect select contact_id as id from contact_tags where tag_id in ($7)) as arm' +
        ' union select id from (select "contacts"."id" as id from contacts where "contacts"."brand_id" = $8 except select contact_id as id from contact_tags where tag_id in ($9)) as arm)',
    );
  });

  it('counts "at least K events" ever per candidate when another set narrows the group', () => {
    const atLeast: Rule[] = [{ field: 'engagement', event: 'opened', atLeast: 3 }, { field: 'engagement', event: 'clicked', atLeast: 2, negate: true }];
    const narrowed = compile([tagged, ...atLeast]).count.sql;
    expect(narrowed).toContain('and (select count(*) from events where events.contact_id = "contacts"."id" and events.type = ? and events.machine = 0) >= ?');
    expect(narrowed).toContain('and (select count(*) from events where events.contact_id = "contacts"."id" and events.type = ? and events.machine = 0) < ?');
    expect(compile(atLeast).count.sql).toBe(
      'select count(*) as n from (select events.contact_id as id from events where events.brand_id = ? and events.type = ? and events.machine = 0 group by events.contact_id having count(*) >= ?' +
        ' except select events.contact_id as id from events where events.brand_id = ? and events.type = ? and events.machine = 0 group by events.contact_id having count(*) >= ?) as matching',
    );
    const windowed = compile([tagged, { field: 'engagement', event: 'opened', atLeast: 3, withinDays: 7 }]).count.sql;
    expect(windowed).toContain('intersect select events.contact_id as id from events where events.brand_id = ? and events.type = ? and events.machine = 0 and events.occurred_at >= ? group by');
  });
});

describe('segment compiler helpers', () => {
  it('lists the tag ids and custom fields a filter names', () => {
    const filter: SegmentFilter = {
      op: 'and',
      rules: [
        { field: 'tags', op: 'any', value: ['tag_a', 'tag_b'] },
        { field: 'custom.plan', op: 'is_set' },
        { op: 'or', rules: [{ field: 'tags', op: 'none', value: ['tag_a', 'tag_c'] }, { field: 'custom.score', op: 'gt', value: 1 }, { field: 'email', op: 'is_set' }] },
      ],
    };
    expect(referencesOf(filter)).toEqual({ tagIds: ['tag_a', 'tag_b', 'tag_c'], customKeys: ['plan', 'score'] });
  });

  it('escapes LIKE wildcards and the escape character', () => {
    expect(escapeLike('a%b_c\\d')).toBe('a\\%b\\_c\\\\d');
  });
});
