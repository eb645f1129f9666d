import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import type { DB } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';

/**
 * One handle for the whole app. `dialect` lets the few places that must differ (JSON access,
 * bulk paths) choose; `sqlite` exposes the raw better-sqlite3 handle for the import fast path.
 */
export interface Store {
  db: Kysely<DB>;
  dialect: Dialect;
  sqlite?: Database.Database;
  pool?: pg.Pool;
  url: string;
  close(): Promise<void>;
}

export type Executor = Kysely<DB> | Transaction<DB>;

// Timestamps come back as ISO strings on both dialects, and bigint counts as numbers, so the
// services never see dialect-specific types.
pg.types.setTypeParser(1184, (v) => new Date(v).toISOString()); // timestamptz
pg.types.setTypeParser(1114, (v) => new Date(`${v}Z`).toISOString()); // timestamp
pg.types.setTypeParser(20, (v) => Number(v)); // int8 (count(*))
pg.types.setTypeParser(1700, (v) => Number(v)); // numeric

/**
 * A connection to the app's SQLite file with the settings every connection needs (the app's own,
 * and the tracking writer's in its thread): WAL, commits that survive a crash of the process
 * without an fsync each, foreign keys, and waiting for the other connection's write lock.
 */
export function connectSqlite(file: string): Database.Database {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

export function openSqlite(file: string): Store {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = connectSqlite(file);
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
  // Planner statistics: without them SQLite picks poor plans for tag and segment counts at scale.
  // 0x10002 = analyse (with a row limit, so it stays fast) whatever changed since the file was last opened.
  sqlite.pragma('optimize = 0x10002');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: forKysely(sqlite) }) });
  return {
    db,
    dialect: 'sqlite',
    sqlite,
    url: file,
    close: async () => {
      // Closing twice (a test's cleanup after a simulated crash) must stay harmless.
      if (!sqlite.open) return;
      sqlite.pragma('optimize');
      await db.destroy();
    },
  };
}

/** Distinct SQL texts whose prepared statements are kept: the queries a busy process repeats. */
const STATEMENTS_KEPT = 256;

/**
 * The handle Kysely gets: the app's connection, seen through the one door all its SQL passes.
 *
 * Kysely prepares every query it runs; compiling the same SQL again costs as much as running a
 * short query (the outbox's claim and settle statements run thousands of times a minute). This
 * keeps the most recently used statements by SQL text. A statement still being iterated (a
 * streamed query) is busy and cannot run twice at once, so a fresh one is prepared for that call.
 * SQLite re-prepares a kept statement by itself when the schema changes.
 */
function forKysely(sqlite: Database.Database): Pick<Database.Database, 'close' | 'prepare'> {
  const kept = new Map<string, Database.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(source: string) {
      // Transactions take the write lock when they begin: another connection (the tracking
      // writer's thread) may commit at any time, and a deferred transaction that read before such
      // a commit cannot write after it (SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out).
      if (source === 'begin') source = 'begin immediate';
      const hit = kept.get(source);
      if (hit && !hit.busy) {
        // Re-inserted: the map's order is the order of last use, so the first entry is the one to drop.
        kept.delete(source);
        kept.set(source, hit);
        return hit;
      }
      const statement = sqlite.prepare(source);
      if (!hit) {
        if (kept.size >= STATEMENTS_KEPT) kept.delete(kept.keys().next().value!);
        kept.set(source, statement);
      }
      return statement;
    },
  } as Pick<Database.Database, 'close' | 'prepare'>;
}

/**
 * Refresh planner statistics after bulk changes (an import). PostgreSQL's autovacuum would get
 * there eventually; an explicit ANALYZE makes the next segment count use good plans right away.
 */
export async function refreshStatistics(store: Store): Promise<void> {
  if (store.sqlite) store.sqlite.pragma('optimize');
  else await sql`analyze contacts, contact_tags`.execute(store.db);
}

export function openPostgres(url: string, poolSize = 10): Store {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    pool,
    url,
    close: async () => {
      await db.destroy();
    },
  };
}

export function openStore(opts: { databaseUrl: string | null; sqlitePath: string }): Store {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl) : openSqlite(opts.sqlitePath);
}
