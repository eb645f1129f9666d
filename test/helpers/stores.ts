import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openPostgres, openSqlite, type Dialect, type Store } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';

export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

let counter = 0;

/** A fresh, migrated database of the given dialect: a temp SQLite file, or a new database on the shared server. */
export async function freshStore(dialect: Dialect, opts: { migrate?: boolean } = {}): Promise<Store> {
  const store = dialect === 'sqlite' ? openSqlite(tempSqlitePath()) : openPostgres(await createPgDatabase(), 5);
  if (opts.migrate !== false) await migrate(store);
  return store;
}

export function tempSqlitePath(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-test-'));
  return path.join(dir, 'test.db');
}

export async function createPgDatabase(): Promise<string> {
  const base = inject('pgUrl');
  const name = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}
