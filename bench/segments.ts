/**
 * Segment count speed at a million contacts (S2.3: "count and preview in well under a second").
 *
 * Generates 1,000,000 contacts (3 tags, custom fields, countries) and 5,000,000 engagement events
 * into bench/.data/segments-<contacts>-<events>.db (kept while its row counts match), then times
 * `SegmentsService.count` for three reference segments against a hand-written SQL query for the
 * same question, in the same run, on the same data: median of `runs` runs each, and the ratio.
 * Then the same on an embedded PostgreSQL (unless --no-postgres), whose data is generated
 * server-side and kept under bench/.data/segments-pg.
 *
 *   node --import tsx bench/segments.ts [--no-postgres] [--contacts N] [--events N] [--runs N]
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql, type Kysely } from 'kysely';
import type Database from 'better-sqlite3';
import { openPostgres, openSqlite, type Store } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import type { DB } from '../src/store/schema.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { SegmentsService } from '../src/audience/segments/service.ts';
import type { SegmentFilter } from '../src/audience/segments/model.ts';
import { startPersistentPostgres } from './_postgres.ts';

const DATA_DIR = path.resolve(import.meta.dirname, '.data');
const BRAND = 'brd_bench';
const OTHER_BRAND = 'brd_bench_other'; // a second, smaller brand so the brand condition has work to do
const NOW = new Date('2026-06-01T00:00:00.000Z');
const DAY = 86_400_000;
const TAGS = { A: { id: 'tag_bench_a', share: 0.3 }, B: { id: 'tag_bench_b', share: 0.2 }, C: { id: 'tag_bench_c', share: 0.1 } };
const COUNTRIES: Array<[string | null, number]> = [['US', 0.3], ['DE', 0.15], ['GB', 0.1], ['FR', 0.1], ['ES', 0.05], ['IT', 0.05], ['NL', 0.05], ['BR', 0.05], ['IN', 0.05], ['JP', 0.05], [null, 0.05]];
const STATUSES: Array<[string, number]> = [['subscribed', 0.8], ['unsubscribed', 0.1], ['non-subscribed', 0.05], ['bounced', 0.03], ['complained', 0.02]];
const VALIDATIONS: Array<[string, number]> = [['valid', 0.85], ['unknown', 0.08], ['risky', 0.05], ['invalid', 0.02]];
const PLANS: Array<[string, number]> = [['free', 0.6], ['pro', 0.3], ['team', 0.1]];
const EVENT_TYPES: Array<[string, number]> = [['received', 0.55], ['opened', 0.3], ['clicked', 0.12], ['bounced', 0.02], ['unsubscribed', 0.007], ['complained', 0.003]];
const FIRST_NAMES = ['Ada', 'Ben', 'Chloé', 'Dan', 'Eva', 'Finn', 'Grace', 'Hugo', 'Ines', 'Jan', 'Kim', 'Lea', 'Max', 'Nina', 'Omar', 'Pia'];
const LAST_NAMES = ['Smith', 'Müller', 'Martin', 'García', 'Rossi', 'Jansen', 'Silva', 'Kumar', 'Sato', 'Brown', 'Weber', 'Dubois'];

export interface SegmentsBenchOptions {
  contacts?: number;
  events?: number;
  runs?: number;
  postgres?: boolean;
  log?: (line: string) => void;
}

export interface SegmentsBenchResult {
  dialect: 'sqlite' | 'postgres';
  contacts: number;
  events: number;
  name: string;
  count: number;
  serviceMs: number;
  handMs: number;
  ratio: number;
  /** `service.preview` of the first 20 members: no baseline, shown for S2.3's "count and preview". */
  previewMs: number;
}

interface Reference {
  name: string;
  filter: SegmentFilter;
  hand: Record<'sqlite' | 'postgres', ReturnType<typeof sql<{ n: number }>>>;
}

const since30 = new Date(NOW.getTime() - 30 * DAY).toISOString();

/** The three reference questions, each as a segment filter and as the SQL one would write by hand. */
const REFERENCES: Reference[] = [
  {
    name: 'tags any of [A,B] + subscribed',
    filter: { op: 'and', rules: [{ field: 'tags', op: 'any', value: [TAGS.A.id, TAGS.B.id] }, { field: 'status', op: 'is', value: 'subscribed' }] },
    // The fastest forms found for each engine: SQLite merges two sorted id lists; PostgreSQL hash-joins in parallel.
    hand: {
      sqlite: sql`select count(*) as n from (select id from contacts where brand_id = ${BRAND} and status = 'subscribed' intersect select contact_id from contact_tags where tag_id in (${TAGS.A.id}, ${TAGS.B.id}))`,
      postgres: sql`select count(*) as n from contacts where brand_id = ${BRAND} and status = 'subscribed' and id in (select contact_id from contact_tags where tag_id in (${TAGS.A.id}, ${TAGS.B.id}))`,
    },
  },
  {
    name: "custom.plan = 'pro' + country = 'DE'",
    filter: { op: 'and', rules: [{ field: 'custom.plan', op: 'is', value: 'pro' }, { field: 'country', op: 'is', value: 'DE' }] },
    hand: {
      sqlite: sql`select count(*) as n from contacts where brand_id = ${BRAND} and country = 'DE' and json_extract(attributes, '$.plan') = 'pro'`,
      postgres: sql`select count(*) as n from contacts where brand_id = ${BRAND} and country = 'DE' and attributes->>'plan' = 'pro'`,
    },
  },
  {
    name: 'opened in 30 days, not clicked in 30 days',
    filter: {
      op: 'and',
      rules: [
        { field: 'engagement', event: 'opened', withinDays: 30 },
        { field: 'engagement', event: 'clicked', withinDays: 30, negate: true },
      ],
    },
    // Events always belong to a contact of the same brand, so the hand-written form skips contacts.
    hand: {
      sqlite: sql`select count(*) as n from (select contact_id from events where brand_id = ${BRAND} and type = 'opened' and machine = 0 and occurred_at >= ${since30} except select contact_id from events where brand_id = ${BRAND} and type = 'clicked' and machine = 0 and occurred_at >= ${since30})`,
      postgres: sql`select count(*) as n from (select contact_id from events where brand_id = ${BRAND} and type = 'opened' and machine = 0 and occurred_at >= ${since30} except select contact_id from events where brand_id = ${BRAND} and type = 'clicked' and machine = 0 and occurred_at >= ${since30}) t`,
    },
  },
];

export async function benchSegments(opts: SegmentsBenchOptions = {}): Promise<SegmentsBenchResult[]> {
  const log = opts.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const runs = opts.runs ?? 9;
  const results: SegmentsBenchResult[] = [];

  const contacts = opts.contacts ?? 1_000_000;
  const events = opts.events ?? 5_000_000;
  const store = await sqliteData(path.join(DATA_DIR, `segments-${contacts}-${events}.db`), contacts, events, log);
  try {
    results.push(...(await measure(store, contacts, events, runs, log)));
  } finally {
    await store.close();
  }

  if (opts.postgres !== false) {
    const pg = await startPostgres(log);
    const pgStore = openPostgres(pg.url, 2);
    try {
      await preparePostgres(pgStore, contacts, events, log);
      results.push(...(await measure(pgStore, contacts, events, runs, log)));
    } finally {
      await pgStore.close();
      await pg.stop();
    }
  }
  return results;
}

async function measure(store: Store, contacts: number, events: number, runs: number, log: (l: string) => void): Promise<SegmentsBenchResult[]> {
  const service = new SegmentsService(store, new ManualClock(NOW), { audit: async () => {} });
  log(`\nsegments on ${store.dialect}: ${contacts.toLocaleString('en')} contacts, ${events.toLocaleString('en')} events, median of ${runs} runs (targets: < 500 ms, ≤ 1.5× hand-written)`);
  log(`${'reference'.padEnd(44)} ${'count'.padStart(9)} ${'service ms'.padStart(11)} ${'hand SQL ms'.padStart(12)} ${'ratio'.padStart(6)} ${'preview ms'.padStart(11)}`);
  const out: SegmentsBenchResult[] = [];
  for (const ref of REFERENCES) {
    const count = await service.count(BRAND, ref.filter);
    const hand = Number((await ref.hand[store.dialect].execute(store.db)).rows[0].n);
    if (hand !== count) throw new Error(`${ref.name}: service counted ${count}, hand-written SQL ${hand}`);
    // Interleave the two so cache warmth and machine noise fall on both equally.
    const serviceTimes: number[] = [];
    const handTimes: number[] = [];
    const previewTimes: number[] = [];
    for (let i = 0; i < runs; i++) {
      serviceTimes.push(await timed(() => service.count(BRAND, ref.filter)));
      handTimes.push(await timed(() => ref.hand[store.dialect].execute(store.db)));
      previewTimes.push(await timed(() => service.preview(BRAND, ref.filter, 20)));
    }
    const serviceMs = median(serviceTimes);
    const handMs = median(handTimes);
    const r = { dialect: store.dialect, contacts, events, name: ref.name, count, serviceMs, handMs, ratio: serviceMs / handMs, previewMs: median(previewTimes) };
    out.push(r);
    log(`${ref.name.padEnd(44)} ${String(count).padStart(9)} ${serviceMs.toFixed(1).padStart(11)} ${handMs.toFixed(1).padStart(12)} ${r.ratio.toFixed(2).padStart(6)} ${r.previewMs.toFixed(1).padStart(11)}`);
  }
  return out;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---- data: SQLite ------------------------------------------------------------------------------

async function rowCounts(db: Kysely<DB>): Promise<{ contacts: number; events: number }> {
  const c = await sql<{ n: number }>`select count(*) as n from contacts where brand_id = ${BRAND}`.execute(db);
  const e = await sql<{ n: number }>`select count(*) as n from events where brand_id = ${BRAND}`.execute(db);
  return { contacts: Number(c.rows[0].n), events: Number(e.rows[0].n) };
}

/** The bench database file, generated unless a previous run left one with the right row counts. */
async function sqliteData(file: string, contacts: number, events: number, log: (l: string) => void): Promise<Store> {
  if (fs.existsSync(file)) {
    const cached = openSqlite(file);
    await migrate(cached); // a migration added since (an index) applies to the cached data too
    const have = await rowCounts(cached.db);
    if (have.contacts === contacts && have.events === events) {
      log(`using cached ${file}`);
      return cached;
    }
    await cached.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  }
  const store = openSqlite(file);
  await migrate(store);
  const t = performance.now();
  log(`generating ${contacts.toLocaleString('en')} contacts and ${events.toLocaleString('en')} events into ${file} …`);
  const db = store.sqlite!;
  db.pragma('foreign_keys = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  // Secondary indexes are built once after the load (a sort) instead of row by row.
  const indexes = db.prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in ('contacts', 'contact_tags', 'events')`).all() as Array<{ name: string; sql: string }>;
  for (const i of indexes) db.exec(`drop index ${i.name}`);
  generateSqlite(db, contacts, events);
  for (const i of indexes) db.exec(i.sql);
  db.exec('analyze');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  log(`generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return store;
}

/** Deterministic pseudo-random numbers, so every run and machine measures the same data. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(table: Array<[T, number]>, r: number): T {
  for (const [value, share] of table) {
    if (r < share) return value;
    r -= share;
  }
  return table[table.length - 1][0];
}

const contactId = (brand: string, i: number) => `ctc_${brand === BRAND ? 'b' : 'o'}${String(i).padStart(9, '0')}`;

function generateSqlite(db: Database.Database, contacts: number, events: number) {
  const rand = mulberry32(42);
  const at = NOW.toISOString();
  const insertBrand = db.prepare(`insert into brands (id, name, colors, heading_font, body_font, from_name, from_email, created_at, updated_at) values (?, ?, '{}', 'serif', 'sans', ?, 'b@example.com', ?, ?)`);
  const insertField = db.prepare(`insert into custom_fields (id, brand_id, key, label, type, created_at) values (?, ?, ?, ?, ?, ?)`);
  const insertTag = db.prepare(`insert into tags (id, brand_id, name, color, created_at) values (?, ?, ?, '#336699', ?)`);
  const insertContact = db.prepare(
    `insert into contacts (id, brand_id, email, first_name, last_name, country, language, status, validation, attributes, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertContactTag = db.prepare(`insert into contact_tags (contact_id, tag_id, created_at) values (?, ?, ?)`);
  const insertEvent = db.prepare(`insert into events (id, brand_id, contact_id, type, campaign_id, series_id, occurred_at, data) values (?, ?, ?, ?, ?, ?, ?, '{}')`);

  db.transaction(() => {
    for (const brand of [BRAND, OTHER_BRAND]) {
      insertBrand.run(brand, brand, brand, at, at);
      for (const [key, type] of [['plan', 'string'], ['score', 'number'], ['vip', 'boolean'], ['renews_on', 'date']]) insertField.run(`fld_${brand}_${key}`, brand, key, key, type, at);
    }
    for (const [name, tag] of Object.entries(TAGS)) insertTag.run(tag.id, BRAND, name, at);
  })();

  const batch = 50_000;
  const brands: Array<[string, number]> = [[BRAND, contacts], [OTHER_BRAND, Math.round(contacts / 20)]];
  for (const [brand, n] of brands) {
    for (let start = 0; start < n; start += batch) {
      db.transaction(() => {
        for (let i = start; i < Math.min(n, start + batch); i++) {
          const id = contactId(brand, i);
          const created = new Date(NOW.getTime() - Math.floor(rand() * 730 * DAY)).toISOString();
          const attributes = JSON.stringify({
            plan: pick(PLANS, rand()),
            score: Math.floor(rand() * 100),
            vip: rand() < 0.1,
            renews_on: new Date(NOW.getTime() + Math.floor((rand() - 0.5) * 365) * DAY).toISOString().slice(0, 10),
          });
          const country = pick(COUNTRIES, rand());
          insertContact.run(id, brand, `c${i}@${brand}.example${i % 500}.test`, FIRST_NAMES[i % FIRST_NAMES.length], LAST_NAMES[i % LAST_NAMES.length], country, country === 'DE' ? 'de' : 'en', pick(STATUSES, rand()), pick(VALIDATIONS, rand()), attributes, created, created);
          if (brand === BRAND) for (const tag of Object.values(TAGS)) if (rand() < tag.share) insertContactTag.run(id, tag.id, created);
        }
      })();
    }
  }

  for (let start = 0; start < events; start += batch) {
    db.transaction(() => {
      for (let i = start; i < Math.min(events, start + batch); i++) {
        const occurred = new Date(NOW.getTime() - Math.floor(rand() * 365 * DAY)).toISOString();
        const campaign = Math.floor(rand() * 100);
        insertEvent.run(`evt_${String(i).padStart(10, '0')}`, BRAND, contactId(BRAND, Math.floor(rand() * contacts)), pick(EVENT_TYPES, rand()), `cmp_bench_${campaign}`, campaign % 10 === 0 ? `ser_bench_${campaign % 3}` : null, occurred);
      }
    })();
  }
}

// ---- data: PostgreSQL --------------------------------------------------------------------------

/** An embedded PostgreSQL whose data directory persists under bench/.data/segments-pg, so generated rows survive runs. */
function startPostgres(log: (l: string) => void): Promise<{ url: string; stop: () => Promise<void> }> {
  return startPersistentPostgres({ dir: path.join(DATA_DIR, 'segments-pg'), database: 'segments_bench', flags: ['-c', 'shared_buffers=512MB', '-c', 'work_mem=64MB', '-c', 'max_parallel_workers_per_gather=2'], log });
}

/**
 * Generates the same shape of data as on SQLite (same shares, not the same rows) inside the
 * server with generate_series: far faster than sending five million rows over the wire.
 */
async function preparePostgres(store: Store, contacts: number, events: number, log: (l: string) => void) {
  await migrate(store);
  const have = await rowCounts(store.db);
  if (have.contacts === contacts && have.events === events) {
    log('using cached PostgreSQL data');
    return;
  }
  const t = performance.now();
  log(`generating ${contacts.toLocaleString('en')} contacts and ${events.toLocaleString('en')} events in PostgreSQL …`);
  const db = store.db;
  const at = NOW.toISOString();
  const cumulative = (table: Array<[string | null, number]>, r: string) => {
    let acc = 0;
    const arms = table.slice(0, -1).map(([v, share]) => `when ${r} < ${(acc += share).toFixed(4)} then ${v === null ? 'null' : `'${v}'`}`);
    const last = table[table.length - 1][0];
    return `(case ${arms.join(' ')} else ${last === null ? 'null' : `'${last}'`} end)`;
  };
  await sql`truncate events, contact_tags, contacts, tags, custom_fields, brands cascade`.execute(db);
  const indexes = await sql<{ indexname: string; indexdef: string }>`select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename in ('contacts', 'contact_tags', 'events') and indexdef not like '%UNIQUE%'`.execute(db);
  for (const i of indexes.rows) await sql.raw(`drop index ${i.indexname}`).execute(db);
  await sql`select setseed(0.42)`.execute(db);
  for (const brand of [BRAND, OTHER_BRAND]) {
    await sql`insert into brands (id, name, colors, heading_font, body_font, from_name, from_email, created_at, updated_at) values (${brand}, ${brand}, '{}', 'serif', 'sans', ${brand}, 'b@example.com', ${at}, ${at})`.execute(db);
    for (const [key, type] of [['plan', 'string'], ['score', 'number'], ['vip', 'boolean'], ['renews_on', 'date']]) {
      await sql`insert into custom_fields (id, brand_id, key, label, type, created_at) values (${`fld_${brand}_${key}`}, ${brand}, ${key}, ${key}, ${type}, ${at})`.execute(db);
    }
  }
  for (const [name, tag] of Object.entries(TAGS)) await sql`insert into tags (id, brand_id, name, color, created_at) values (${tag.id}, ${BRAND}, ${name}, '#336699', ${at})`.execute(db);
  for (const [brand, n, prefix] of [[BRAND, contacts, 'b'], [OTHER_BRAND, Math.round(contacts / 20), 'o']] as const) {
    await sql
      .raw(
        `insert into contacts (id, brand_id, email, first_name, last_name, country, language, status, validation, attributes, created_at, updated_at)
         select 'ctc_${prefix}' || lpad(g::text, 9, '0'), '${brand}', 'c' || g || '@${brand}.example' || (g % 500) || '.test',
                'Ada', 'Smith', ${cumulative(COUNTRIES, 'r_country')}, 'en',
                ${cumulative(STATUSES, 'r_status')}, ${cumulative(VALIDATIONS, 'r_validation')},
                jsonb_build_object('plan', ${cumulative(PLANS, 'r_plan')}, 'score', floor(random() * 100)::int, 'vip', random() < 0.1,
                                   'renews_on', to_char(timestamptz '${at}' + (floor((random() - 0.5) * 365) || ' days')::interval, 'YYYY-MM-DD')),
                created, created
         from (select g, random() as r_country, random() as r_status, random() as r_validation, random() as r_plan,
                      timestamptz '${at}' - random() * interval '730 days' as created
               from generate_series(0, ${n - 1}) g) s`,
      )
      .execute(db);
  }
  for (const tag of Object.values(TAGS)) {
    await sql.raw(`insert into contact_tags (contact_id, tag_id, created_at) select id, '${tag.id}', created_at from contacts where brand_id = '${BRAND}' and random() < ${tag.share}`).execute(db);
  }
  await sql
    .raw(
      `insert into events (id, brand_id, contact_id, type, campaign_id, series_id, occurred_at, data)
       select 'evt_' || lpad(g::text, 10, '0'), '${BRAND}', 'ctc_b' || lpad(floor(random() * ${contacts})::text, 9, '0'),
              ${cumulative(EVENT_TYPES, 'r_type')}, 'cmp_bench_' || campaign, case when campaign % 10 = 0 then 'ser_bench_' || (campaign % 3) end,
              timestamptz '${at}' - random() * interval '365 days', '{}'
       from (select g, random() as r_type, floor(random() * 100)::int as campaign from generate_series(0, ${events - 1}) g) s`,
    )
    .execute(db);
  for (const i of indexes.rows) await sql.raw(i.indexdef).execute(db);
  await sql`vacuum analyze`.execute(db);
  log(`generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

// ---- stand-alone ---------------------------------------------------------------------------------

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const postgres = !process.argv.includes('--no-postgres');
  const number = (name: string) => (flag(name) ? Number(flag(name)) : undefined);
  benchSegments({ postgres, contacts: number('--contacts'), events: number('--events'), runs: number('--runs') }).catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
  });
}
