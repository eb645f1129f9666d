/**
 * Contact list speed at a million contacts on SQLite (the embedded store).
 *
 * Generates N contacts (default 1,000,000; 3 tags; a tenth without a last name) into
 * bench/.data/contacts-list.db (kept between runs while the row count matches), without ANALYZE
 * statistics, as a fresh import leaves it. Prints the query plan of each listing (a "USE TEMP
 * B-TREE FOR ORDER BY" line would mean sorting every matching row) and times, median of RUNS runs:
 * - `AudienceService.listContacts` first page and a page deep in the list (keyset cursor), per sort;
 * - the same deep page fetched with OFFSET, the usual alternative, as the baseline of the same run;
 * - filtered pages (status, tag, search) and `countContacts`.
 *
 *   node --import tsx bench/contacts-list.ts [--contacts N] [--runs N]
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import pino from 'pino';
import type Database from 'better-sqlite3';
import { openSqlite, type Store } from '../src/store/db.ts';
import type { DB } from '../src/store/schema.ts';
import { migrate } from '../src/store/migrate.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { BrandsService } from '../src/brands/service.ts';
import { AudienceService, encodeCursor } from '../src/audience/service.ts';
import { CONTACT_SORTS, type ContactListQuery } from '../src/audience/model.ts';

const DATA_DIR = path.resolve(import.meta.dirname, '.data');
const BRAND = 'brd_bench';
const TAGS = ['tag_bench_a', 'tag_bench_b', 'tag_bench_c'];
const STATUSES = ['subscribed', 'subscribed', 'subscribed', 'subscribed', 'subscribed', 'subscribed', 'subscribed', 'unsubscribed', 'non-subscribed', 'bounced'];
const LAST_NAMES = ['Smith', 'Müller', 'Martin', 'García', 'Rossi', 'Jansen', 'Silva', 'Kumar', 'Sato', 'Brown', 'Weber', 'Dubois'];

const flag = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const CONTACTS = Number(flag('contacts') ?? 1_000_000);
const RUNS = Number(flag('runs') ?? 7);

function generate(db: Database.Database, n: number) {
  const start = Date.parse('2025-01-01T00:00:00Z');
  db.prepare(`insert into brands (id, name, colors, heading_font, body_font, from_name, from_email, created_at, updated_at) values (?, 'Bench', '{}', 'serif', 'sans', 'Bench', 'b@bench.test', ?, ?)`).run(BRAND, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z');
  const tag = db.prepare(`insert into tags (id, brand_id, name, color, created_at) values (?, ?, ?, '#2f6fed', '2025-01-01T00:00:00.000Z')`);
  for (const id of TAGS) tag.run(id, BRAND, id);
  const contact = db.prepare(
    `insert into contacts (id, brand_id, email, first_name, last_name, status, validation, attributes, created_at, updated_at) values (?, ?, ?, ?, ?, ?, 'valid', '{}', ?, ?)`,
  );
  const tagged = db.prepare(`insert into contact_tags (contact_id, tag_id, created_at) values (?, ?, '2025-01-01T00:00:00.000Z')`);
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = `ctc_${String(i).padStart(10, '0')}`;
      // About 30 s between contacts, several per second in bursts, like imports and sign-ups mixed.
      const at = new Date(start + Math.floor(i / 4) * 30_000).toISOString();
      const last = i % 10 === 0 ? null : LAST_NAMES[(i * 7) % LAST_NAMES.length] + String(i % 997);
      contact.run(id, BRAND, `person${i}@example${i % 50}.com`, `First${i % 313}`, last, STATUSES[i % STATUSES.length], at, at);
      if (i % 10 < 3) tagged.run(id, TAGS[i % 3]);
    }
  })();
}

async function open(): Promise<Store> {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const file = path.join(DATA_DIR, 'contacts-list.db');
  let store = openSqlite(file);
  await migrate(store);
  const { n } = store.sqlite!.prepare('select count(*) as n from contacts where brand_id = ?').get(BRAND) as { n: number };
  if (n !== CONTACTS) {
    await store.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    store = openSqlite(file);
    await migrate(store);
    const t0 = performance.now();
    generate(store.sqlite!, CONTACTS);
    process.stdout.write(`generated ${CONTACTS} contacts in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  return store;
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm the page cache
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

async function main() {
  const base = await open();
  // The same database through a Kysely that remembers the last contacts query, to EXPLAIN exactly what the service sent.
  let lastQuery: { sql: string; parameters: readonly unknown[] } | null = null;
  const db = new Kysely<DB>({
    dialect: new SqliteDialect({ database: base.sqlite! }),
    log: (e) => {
      if (e.level === 'query' && /^select \* from "contacts"/.test(e.query.sql)) lastQuery = e.query;
    },
  });
  const store: Store = { ...base, db };
  const clock = new ManualClock('2026-06-01T00:00:00Z');
  const audience = new AudienceService(store, clock, new BrandsService(store, clock), { mxLookup: false, log: pino({ level: 'silent' }) });
  const sqlite = base.sqlite!;
  const ms = (v: number) => `${v.toFixed(2)} ms`.padStart(10);
  const planOf = async (query: ContactListQuery) => {
    await audience.listContacts(BRAND, query);
    const q = lastQuery!;
    return (sqlite.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
  };
  process.stdout.write(`contacts: ${CONTACTS}, runs: ${RUNS} (median)\n\n`);

  const depth = Math.floor(CONTACTS / 2);
  for (const sort of CONTACT_SORTS) {
    const order = sort === 'created_at' || sort === 'updated_at' ? 'desc' : 'asc';
    // Newest first walks the time-ordered ids (see SORT_KEY in src/audience/repo.ts).
    const key = sort === 'last_name' ? `coalesce(last_name, '')` : sort === 'created_at' ? 'id' : sort;
    const offsetSql = `select * from contacts where brand_id = ? order by ${key} ${order}, id ${order} limit 51 offset ${depth}`;
    // The cursor of the row just before the OFFSET page: keyset and OFFSET fetch the same rows.
    const before = sqlite.prepare(`select ${key} as v, id from contacts where brand_id = ? order by ${key} ${order}, id ${order} limit 1 offset ${depth - 1}`).get(BRAND) as { v: string; id: string };
    const cursor = encodeCursor(before.v, before.id);
    const keysetIds = (await audience.listContacts(BRAND, { sort, limit: 50, cursor })).data.map((c) => c.id);
    const offsetIds = (sqlite.prepare(offsetSql).all(BRAND) as Array<{ id: string }>).slice(0, 50).map((r) => r.id);
    if (keysetIds.join() !== offsetIds.join()) throw new Error(`keyset and OFFSET pages differ for ${sort}`);

    const plan = await planOf({ sort, limit: 50, cursor });
    const firstMs = await median(() => audience.listContacts(BRAND, { sort, limit: 50 }));
    const deepMs = await median(() => audience.listContacts(BRAND, { sort, limit: 50, cursor }));
    const offsetMs = await median(async () => sqlite.prepare(offsetSql).all(BRAND));
    process.stdout.write(
      `sort ${sort.padEnd(10)} first page ${ms(firstMs)}   page at row ${depth}: keyset ${ms(deepMs)}, OFFSET baseline ${ms(offsetMs)}, ratio ${(offsetMs / deepMs).toFixed(0)}x\n` +
        `  plan: ${plan}\n`,
    );
  }

  process.stdout.write('\n');
  const filtered: Array<[string, ContactListQuery]> = [
    ['status=subscribed', { status: 'subscribed' }],
    ['status=bounced', { status: 'bounced' }],
    ['tag any of [a]', { tagIds: [TAGS[0]] }],
    ['search "person12345"', { search: 'person12345' }],
    ['search @example7.com', { search: '@example7.com' }],
  ];
  for (const [name, query] of filtered) {
    const plan = await planOf({ ...query, limit: 50 });
    const pageMs = await median(() => audience.listContacts(BRAND, { ...query, limit: 50 }));
    const countMs = await median(() => audience.countContacts(BRAND, query));
    process.stdout.write(`${name.padEnd(22)} page ${ms(pageMs)}   count ${ms(countMs)}\n  plan: ${plan}\n`);
  }
  await db.destroy();
}

await main();
