/**
 * The drip scheduler at scale (issue 5, "Performance"): 1,000,000 active enrolments of one series
 * of 12 steps, contacts spread over 24 time zones (10 % without one: the brand's zone), enrolled
 * over the last 44 days, each enrolment in the state the ticks up to T − 1 h left it in (their
 * mark, series.handed_until, at T − 1 h). Then one tick at T finds the due steps of that hour and
 * hands them to delivery (jobs of 2,000 enrolments each, as ranges of the (due time, id) order, and
 * the mark moved, in one transaction), timed next to a hand-written SQL select of the same rows
 * (the due times and ids of the active enrolments due in that hour, in that order), in the same run. Targets: tick < 1 s and ≤ 2× the hand-written select.
 *
 * For scale, the table also shows what follows the hand-off: the tick with every batch delivered
 * in this process (outbox rows written, enrolments moved on: `Drip.runDue`), next to the same
 * writes done by hand as two set-based statements (INSERT … SELECT, UPDATE; UTC times only), and
 * the due rows read with their contacts, as delivery reads them. After each run the hour's changes
 * are undone, so every run sees the same rows.
 *
 * The data is generated once into bench/.data/series-tick-<n>.db (and, unless --no-postgres, an
 * embedded PostgreSQL under bench/.data/series-tick-pg) and reused while its row counts match.
 *
 *   node --import tsx bench/series-tick.ts [--n 1000000] [--runs 5] [--batch N] [--no-sqlite] [--no-postgres]
 */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { sql } from 'kysely';
import { openPostgres, openSqlite, type Store } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { BrandsService } from '../src/brands/service.ts';
import { SegmentsService } from '../src/audience/segments/service.ts';
import { Drip, sendZone, STEP_QUEUE, stepDueAt } from '../src/series/drip.ts';
import { createJobQueue } from '../src/jobs/service.ts';
import { Enroller } from '../src/series/enrol.ts';
import { seriesRepo, type SeriesRow } from '../src/series/repo.ts';
import { startPersistentPostgres } from './_postgres.ts';
import { median, numberFlag } from './_measure.ts';

const DATA_DIR = path.resolve(import.meta.dirname, '.data');
const BRAND = 'brd_bench_series';
const SERIES = 'ser_bench';
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The tick's instant: 14:30 UTC, so the hour holds 09:00 in UTC−5 (Chicago in summer). */
const T = Date.parse('2026-06-01T14:30:00.000Z');
const OFFSETS = [0, 1, 2, 3, 5, 7, 10, 14, 21, 28, 35, 45];
const SEND_HOUR = 9;
const ZONES = [
  'Pacific/Pago_Pago', 'Pacific/Honolulu', 'America/Anchorage', 'America/Los_Angeles', 'America/Denver', 'America/Chicago',
  'America/New_York', 'America/Halifax', 'America/Sao_Paulo', 'Atlantic/South_Georgia', 'Atlantic/Cape_Verde', 'UTC',
  'Europe/London', 'Europe/Berlin', 'Europe/Moscow', 'Asia/Dubai', 'Asia/Karachi', 'Asia/Dhaka',
  'Asia/Bangkok', 'Asia/Shanghai', 'Asia/Tokyo', 'Australia/Brisbane', 'Pacific/Noumea', 'Pacific/Auckland',
];
const BATCH = 5000;

interface Row {
  contact: [id: string, email: string, status: string, timeZone: string | null];
  enrolment: [id: string, contactId: string, enrolledAt: string, nextStepId: string, nextDueAt: string, lastPosition: number];
}

const stepId = (k: number) => `stp_bench_${String(k).padStart(2, '0')}`;
const carrierId = (k: number) => `cmp_bench_${String(k).padStart(2, '0')}`;

/** A small deterministic PRNG (mulberry32): both dialects get the same rows. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Contact i and its enrolment as ticks up to T − 1 h left it: the last step handed off is the
 * latest one due by then, the next one is due after it.
 */
function* rows(n: number): Generator<Row> {
  const random = prng(42);
  const handedUntil = T - HOUR;
  for (let i = 0; i < n; i++) {
    const id = String(i).padStart(9, '0');
    const zone = random() < 0.1 ? null : ZONES[Math.floor(random() * ZONES.length)];
    const status = random() < 0.01 ? 'non-subscribed' : 'subscribed';
    const enrolledAt = T - HOUR - Math.floor(random() * 44 * DAY);
    const z = sendZone(null, zone, 'UTC');
    let last = 0;
    while (last + 1 < OFFSETS.length && stepDueAt(enrolledAt, OFFSETS[last + 1], SEND_HOUR, z) <= handedUntil) last++;
    const next = Math.min(last + 1, OFFSETS.length - 1);
    yield {
      contact: [`ctc_b${id}`, `c${i}@bench.test`, status, zone],
      enrolment: [`enr_b${id}`, `ctc_b${id}`, new Date(enrolledAt).toISOString(), stepId(next), new Date(stepDueAt(enrolledAt, OFFSETS[next], SEND_HOUR, z)).toISOString(), last],
    };
  }
}

function* chunks(all: Iterable<Row>): Generator<Row[]> {
  let chunk: Row[] = [];
  for (const r of all) {
    chunk.push(r);
    if (chunk.length === BATCH) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

// ---- data -------------------------------------------------------------------------------------------

async function haveData(store: Store, n: number): Promise<boolean> {
  const r = await sql<{ n: number }>`select count(*) as n from enrolments where series_id = ${SERIES}`.execute(store.db);
  return Number(r.rows[0].n) === n;
}

async function fixedRows(store: Store): Promise<void> {
  const at = new Date(T - 60 * DAY).toISOString();
  const db = store.db;
  await sql`insert into brands (id, name, colors, heading_font, body_font, from_name, from_email, time_zone, created_at, updated_at) values (${BRAND}, 'Bench', '{}', 'serif', 'sans', 'Bench', 'b@bench.test', 'UTC', ${at}, ${at})`.execute(db);
  await db
    .insertInto('series')
    .values({ id: SERIES, brand_id: BRAND, name: 'Bench series', kind: 'onboarding', brief: '{}', status: 'active', send_hour: SEND_HOUR, trigger: '{"type":"api"}', exit_rules: '{"tagId":null,"event":null}', reentry: 'never', started_at: at, created_at: at, updated_at: at })
    .execute();
  for (const [k, offset] of OFFSETS.entries()) {
    await db
      .insertInto('campaigns')
      .values({ id: carrierId(k), brand_id: BRAND, name: `Bench · ${k}`, email_version: 1, audience: '{"segmentIds":[],"tagIds":[]}', status: 'sending', series_id: SERIES, series_step_id: stepId(k), started_at: at, created_at: at, updated_at: at })
      .execute();
    await db
      .insertInto('series_steps')
      .values({ id: stepId(k), series_id: SERIES, position: k, role: `step ${k}`, beats: '[]', brief: '{}', offset_days: offset, campaign_id: carrierId(k), created_at: at, updated_at: at })
      .execute();
  }
}

async function prepareSqlite(file: string, n: number, log: (l: string) => void): Promise<Store> {
  if (fs.existsSync(file)) {
    const cached = openSqlite(file);
    await migrate(cached);
    if (await haveData(cached, n)) {
      log(`using cached ${file}`);
      return cached;
    }
    await cached.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  }
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const store = openSqlite(file);
  await migrate(store);
  const t = performance.now();
  log(`generating ${n.toLocaleString('en')} contacts and enrolments into ${file} …`);
  await fixedRows(store);
  const db = store.sqlite!;
  db.pragma('synchronous = OFF');
  const at = new Date(T - 60 * DAY).toISOString();
  const contact = db.prepare(`insert into contacts (id, brand_id, email, status, validation, time_zone, attributes, created_at, updated_at) values (?, '${BRAND}', ?, ?, 'valid', ?, '{}', '${at}', '${at}')`);
  const enrolment = db.prepare(
    `insert into enrolments (id, brand_id, series_id, contact_id, status, source, enrolled_at, next_step_id, next_due_at, last_position, updated_at) values (?, '${BRAND}', '${SERIES}', ?, 'active', 'api', ?, ?, ?, ?, '${at}')`,
  );
  const insert = db.transaction((chunk: Row[]) => {
    for (const r of chunk) {
      contact.run(r.contact);
      enrolment.run(r.enrolment);
    }
  });
  for (const chunk of chunks(rows(n))) insert(chunk);
  log(`generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  db.pragma('synchronous = NORMAL');
  db.exec('analyze');
  return store;
}

/** An embedded PostgreSQL whose data directory persists under bench/.data/series-tick-pg, so generated rows survive runs. */
function startPostgres(log: (l: string) => void): Promise<{ url: string; stop: () => Promise<void> }> {
  return startPersistentPostgres({ dir: path.join(DATA_DIR, 'series-tick-pg'), database: 'series_bench', flags: ['-c', 'shared_buffers=1GB', '-c', 'work_mem=64MB'], log });
}

/** The same rows as on SQLite, sent as column arrays (`unnest`): one statement per 5,000 rows. */
async function preparePostgres(store: Store, n: number, log: (l: string) => void): Promise<void> {
  await migrate(store);
  if (await haveData(store, n)) {
    log('using cached PostgreSQL data');
    return;
  }
  const t = performance.now();
  log(`generating ${n.toLocaleString('en')} contacts and enrolments in PostgreSQL …`);
  const db = store.db;
  await sql`truncate messages, enrolment_events, enrolments, series_steps, series, campaigns, contacts, brands cascade`.execute(db);
  await fixedRows(store);
  const at = new Date(T - 60 * DAY).toISOString();
  for (const chunk of chunks(rows(n))) {
    const col = <K extends keyof Row>(k: K, i: number) => chunk.map((r) => (r[k] as unknown[])[i]);
    await sql`insert into contacts (id, brand_id, email, status, validation, time_zone, attributes, created_at, updated_at)
      select id, ${BRAND}, email, status, 'valid', tz, '{}', ${at}, ${at}
      from unnest(${col('contact', 0)}::text[], ${col('contact', 1)}::text[], ${col('contact', 2)}::text[], ${col('contact', 3)}::text[]) as u(id, email, status, tz)`.execute(db);
    await sql`insert into enrolments (id, brand_id, series_id, contact_id, status, source, enrolled_at, next_step_id, next_due_at, last_position, updated_at)
      select id, ${BRAND}, ${SERIES}, contact_id, 'active', 'api', enrolled_at, next_step_id, next_due_at, last_position, ${at}
      from unnest(${col('enrolment', 0)}::text[], ${col('enrolment', 1)}::text[], ${col('enrolment', 2)}::timestamptz[], ${col('enrolment', 3)}::text[], ${col('enrolment', 4)}::timestamptz[], ${col('enrolment', 5)}::int[])
        as u(id, contact_id, enrolled_at, next_step_id, next_due_at, last_position)`.execute(db);
  }
  await sql`vacuum analyze`.execute(db);
  log(`generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

// ---- measuring --------------------------------------------------------------------------------------

/** What one hour's tick changes, so it can be put back: the due enrolments as they were. */
interface Snapshot {
  due: Array<{ id: string; last_position: number; next_step_id: string; next_due_at: string }>;
}

async function snapshot(store: Store): Promise<Snapshot> {
  const due = await sql<Snapshot['due'][number]>`
    select id, last_position, next_step_id, next_due_at from enrolments
    where series_id = ${SERIES} and status = 'active' and next_due_at <= ${new Date(T).toISOString()}`.execute(store.db);
  return { due: due.rows.map((r) => ({ ...r, last_position: Number(r.last_position), next_due_at: new Date(r.next_due_at).toISOString() })) };
}

/**
 * Undoes a tick: its handed-off jobs, outbox rows, trail entries and carrier counts go, the due
 * enrolments are as they were, and the mark is back at T − 1 h.
 */
async function restore(store: Store, snap: Snapshot): Promise<void> {
  const { db } = store;
  const pg = store.dialect === 'postgres';
  if (!pg) await sql`delete from jobs where queue = ${STEP_QUEUE}`.execute(db);
  // pg-boss makes its tables with the first job.
  else if ((await sql<{ t: string | null }>`select to_regclass('pgboss.job')::text as t`.execute(db)).rows[0].t) await sql`delete from pgboss.job where name = ${STEP_QUEUE}`.execute(db);
  await db.updateTable('series').set({ handed_until: new Date(T - HOUR).toISOString() }).where('id', '=', SERIES).execute();
  await db.deleteFrom('messages').where('series_id', '=', SERIES).execute();
  await db.deleteFrom('enrolment_events').execute();
  await db.updateTable('campaigns').set({ recipients: 0, skipped: 0 }).where('series_id', '=', SERIES).execute();
  const now = new Date(T - 60 * DAY).toISOString();
  for (let i = 0; i < snap.due.length; i += BATCH) {
    const part = snap.due.slice(i, i + BATCH);
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('enrolments')
        .set({ status: 'active', exit_reason: null, ended_at: null })
        .where(
          'id',
          'in',
          part.map((d) => d.id),
        )
        .where('status', '!=', 'active')
        .execute();
      await seriesRepo.advance(trx, store.sqlite, part, now);
    });
  }
  if (store.sqlite) store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  else await sql`vacuum analyze messages, enrolments`.execute(db);
}

/** The rows the tick hands off, selected the way one would write it by hand: the baseline. */
function handSelect(store: Store) {
  return sql`
    select next_due_at, id from enrolments
    where series_id = ${SERIES} and status = 'active' and next_due_at > ${new Date(T - HOUR).toISOString()} and next_due_at <= ${new Date(T).toISOString()}
    order by next_due_at, id`.execute(store.db);
}

/** The same rows with what delivering them reads of their contacts, for scale. */
function handSelectWithContacts(store: Store) {
  return sql`
    select e.id, e.contact_id, e.enrolled_at, e.last_position, c.email, c.status, c.validation, c.time_zone, s.reason
    from enrolments e
    join contacts c on c.id = e.contact_id
    left join suppressions s on s.brand_id = c.brand_id and s.email = c.email
    where e.series_id = ${SERIES} and e.status = 'active' and e.next_due_at <= ${new Date(T).toISOString()}`.execute(store.db);
}

/**
 * The delivery of the hour written by hand as two set-based statements in one transaction: every
 * due row's outbox row (INSERT … SELECT) and its move to the next step (UPDATE), with the next
 * time in UTC only (SQL has no portable time zones). What the writes themselves cost, for scale.
 */
async function handDelivery(store: Store): Promise<void> {
  const now = new Date(T).toISOString();
  const pg = store.dialect === 'postgres';
  const ok = sql`c.status = 'subscribed' and s.reason is null`;
  await store.db.transaction().execute(async (trx) => {
    await sql`
      insert into messages (id, brand_id, dedupe_key, campaign_id, series_id, enrolment_id, step, contact_id, email, email_id, email_version, provider_id, status, skip_reason, due_at, created_at, updated_at)
      select 'msg_' || e.id, e.brand_id, e.id || ':' || st.id, st.campaign_id, e.series_id, e.id, st.position, e.contact_id, c.email, st.email_id, 1, null,
        case when ${ok} then 'queued' else 'skipped' end, case when ${ok} then null else 'non-subscribed' end, ${now}, ${now}, ${now}
      from enrolments e
      join contacts c on c.id = e.contact_id
      left join suppressions s on s.brand_id = c.brand_id and s.email = c.email
      join series_steps st on st.series_id = e.series_id and st.position = e.last_position + 1
      where e.series_id = ${SERIES} and e.status = 'active' and e.next_due_at <= ${now}
      on conflict (dedupe_key) do nothing`.execute(trx);
    if (pg) {
      await sql`
        update enrolments e set last_position = e.last_position + 1, next_step_id = n.id,
          next_due_at = date_trunc('day', e.enrolled_at at time zone 'UTC') at time zone 'UTC' + n.offset_days * interval '1 day' + interval '9 hours', updated_at = ${now}
        from series_steps n
        where n.series_id = e.series_id and n.position = e.last_position + 2 and e.series_id = ${SERIES} and e.status = 'active' and e.next_due_at <= ${now}`.execute(trx);
      return;
    }
    await sql`
      update enrolments set last_position = last_position + 1,
        next_step_id = (select n.id from series_steps n where n.series_id = enrolments.series_id and n.position = enrolments.last_position + 2),
        next_due_at = (select strftime('%Y-%m-%dT09:00:00.000Z', enrolments.enrolled_at, '+' || n.offset_days || ' days') from series_steps n where n.series_id = enrolments.series_id and n.position = enrolments.last_position + 2),
        updated_at = ${now}
      where series_id = ${SERIES} and status = 'active' and next_due_at <= ${now}`.execute(trx);
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

export interface SeriesTickResult {
  dialect: 'sqlite' | 'postgres';
  enrolments: number;
  due: number;
  tickMs: number;
  /** The hand-written select of the due rows (the baseline). */
  handMs: number;
  ratio: number;
  /** The tick with every batch delivered in this process, and the same writes by hand (set-based, UTC only). */
  deliveredMs: number;
  handDeliveryMs: number;
  /** The due rows with their contacts, selected by hand. */
  handWithContactsMs: number;
}

async function measure(store: Store, n: number, runs: number, batchSize: number | undefined, log: (l: string) => void): Promise<SeriesTickResult> {
  const clock = new ManualClock(new Date(T - HOUR));
  const quiet = pino({ level: 'warn' });
  const brands = new BrandsService(store, clock);
  const segments = new SegmentsService(store, clock, brands);
  const enroller = new Enroller({ store, clock, log: quiet, brands, segments });
  const jobs = createJobQueue(store, clock, quiet);
  // The sweep (triggers and exits, once a minute in `serve`) runs at T − 1 h, not inside the timed ticks.
  const drip = new Drip({ store, clock, log: quiet, brands, enroller, jobs }, { sweepMs: 2 * HOUR, ...(batchSize && { batchSize }) });
  const series = (await seriesRepo.byId(store.db, SERIES)) as SeriesRow;
  const sweep = await timed(() => drip.sweep(series));
  await drip.tick();
  clock.set(new Date(T));
  await restore(store, await snapshot(store));
  const snap = await snapshot(store);
  const due = snap.due.length;
  log(`\nseries tick on ${store.dialect}: ${n.toLocaleString('en')} active enrolments, ${OFFSETS.length} steps, ${due.toLocaleString('en')} due in the hour; median of ${runs} runs (targets: < 1000 ms, ≤ 2× hand-written)`);
  log(`(the sweep for triggers and exits, once a minute, took ${sweep.ms.toFixed(0)} ms; not part of the tick below)`);
  const times = { tick: [] as number[], hand: [] as number[], delivered: [] as number[], handDelivery: [] as number[], handWithContacts: [] as number[] };
  for (let i = 0; i < runs; i++) {
    // Each first in turn (the select after the tick runs once the tick is undone), so cache warmth falls on both alike.
    const hand = async () => {
      const h = await timed(() => handSelect(store));
      if (h.value.rows.length !== due) throw new Error(`the hand-written select found ${h.value.rows.length} rows, expected ${due}`);
      times.hand.push(h.ms);
    };
    if (i % 2 === 1) await hand();
    const tick = await timed(() => drip.tick());
    if (tick.value.handedOff !== due) throw new Error(`the tick handed off ${tick.value.handedOff}, expected ${due} due enrolments`);
    times.tick.push(tick.ms);
    await restore(store, snap);
    if (i % 2 === 0) await hand();
    const delivered = await timed(() => drip.runDue());
    const r = delivered.value;
    if (r.queued + r.skipped + r.exited !== due) throw new Error(`delivery wrote ${r.queued} + ${r.skipped} skipped + ${r.exited} exited, expected ${due} due enrolments`);
    times.delivered.push(delivered.ms);
    await restore(store, snap);
    times.handDelivery.push((await timed(() => handDelivery(store))).ms);
    await restore(store, snap);
    times.handWithContacts.push((await timed(() => handSelectWithContacts(store))).ms);
    log(
      `  run ${i + 1}: tick ${tick.ms.toFixed(0)} ms, hand-written select ${times.hand[i].toFixed(0)} ms; tick and delivery ${delivered.ms.toFixed(0)} ms (${r.queued} queued, ${r.skipped} skipped), hand-written delivery ${times.handDelivery[i].toFixed(0)} ms, select with contacts ${times.handWithContacts[i].toFixed(0)} ms`,
    );
  }
  await jobs.stop();
  const [tickMs, handMs] = [median(times.tick), median(times.hand)];
  const result: SeriesTickResult = {
    dialect: store.dialect,
    enrolments: n,
    due,
    tickMs,
    handMs,
    ratio: tickMs / handMs,
    deliveredMs: median(times.delivered),
    handDeliveryMs: median(times.handDelivery),
    handWithContactsMs: median(times.handWithContacts),
  };
  log(
    `${'dialect'.padEnd(10)} ${'due'.padStart(7)} ${'tick ms'.padStart(9)} ${'hand select ms'.padStart(15)} ${'ratio'.padStart(6)} ${'tick+delivery ms'.padStart(17)} ${'hand delivery ms'.padStart(17)} ${'ratio'.padStart(6)} ${'select w/ contacts ms'.padStart(22)}`,
  );
  log(
    `${store.dialect.padEnd(10)} ${String(due).padStart(7)} ${tickMs.toFixed(1).padStart(9)} ${handMs.toFixed(1).padStart(15)} ${result.ratio.toFixed(2).padStart(6)} ${result.deliveredMs.toFixed(1).padStart(17)} ${result.handDeliveryMs.toFixed(1).padStart(17)} ${(result.deliveredMs / result.handDeliveryMs).toFixed(2).padStart(6)} ${result.handWithContactsMs.toFixed(1).padStart(22)}`,
  );
  return result;
}

export async function benchSeriesTick(opts: { n?: number; runs?: number; batchSize?: number; sqlite?: boolean; postgres?: boolean; log?: (l: string) => void } = {}): Promise<SeriesTickResult[]> {
  const log = opts.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const n = opts.n ?? 1_000_000;
  const runs = opts.runs ?? 5;
  const results: SeriesTickResult[] = [];
  if (opts.sqlite !== false) {
    const store = await prepareSqlite(path.join(DATA_DIR, `series-tick-${n}.db`), n, log);
    try {
      results.push(await measure(store, n, runs, opts.batchSize, log));
    } finally {
      await store.close();
    }
  }
  if (opts.postgres !== false) {
    const pg = await startPostgres(log);
    const pgStore = openPostgres(pg.url, 4);
    try {
      await preparePostgres(pgStore, n, log);
      results.push(await measure(pgStore, n, runs, opts.batchSize, log));
    } finally {
      await pgStore.close();
      await pg.stop();
    }
  }
  return results;
}


if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  benchSeriesTick({ n: numberFlag('--n'), runs: numberFlag('--runs'), batchSize: numberFlag('--batch'), sqlite: !process.argv.includes('--no-sqlite'), postgres: !process.argv.includes('--no-postgres') }).catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
  });
}
