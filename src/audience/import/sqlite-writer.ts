import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/**
 * Where an import's SQLite statements run: on the app's connection in this thread, or, for a large
 * file, on a connection of its own in a worker thread, so the next rows are read and checked here
 * while the database writes the previous batch. The worker is plain JavaScript that only runs the
 * statements it is sent: no TypeScript loader and none of the app's modules in a second heap
 * (a worker that checked the rows instead cost about 60 MB more).
 */

/** One statement: SQL text (prepared once per connection), positional values, and @named ones. */
export interface SqlCall {
  sql: string;
  values?: unknown[];
  /** Runs the statement once per array of values instead (the chunks of a multi-row insert); `changes` then gives one count per run. */
  each?: unknown[][];
  named?: Record<string, unknown>;
  /** What it returns: rows changed, result rows, the first column of the result rows; `rollback` ends an open transaction, if any. */
  get: 'changes' | 'rows' | 'column' | 'rollback';
}

export interface SqlSession {
  /** The statements run on a connection of the session's own, not the app's. */
  ownConnection: boolean;
  /** Runs the statements in order; a failure stops at the failing one and rejects. */
  run(calls: SqlCall[]): Promise<unknown[]>;
  close(): Promise<void>;
}

/** Pragmas of the worker's connection: like the app's (src/store/db.ts), with the import's page cache and WAL policy. */
export interface WriterConnection {
  file: string;
  /** KiB of page cache. */
  cacheKib: number;
}

/**
 * The statement runner, shared by both places. It is source text because it is also the body of
 * the worker (a compiled function's own text may call the TypeScript loader's helpers, which a
 * plain worker does not have). `db` is a better-sqlite3 handle; it returns `(call) => result`.
 */
const RUNNER = `
  const statements = new Map();
  const prepared = (sql) => {
    let s = statements.get(sql);
    if (!s) {
      s = db.prepare(sql);
      statements.set(sql, s);
    }
    return s;
  };
  return (c) => {
    if (c.get === 'rollback') {
      if (db.inTransaction) db.exec('rollback');
      return null;
    }
    const s = prepared(c.sql);
    const args = (values) => (c.named ? [values, c.named] : [values]);
    if (c.each) return c.each.map((values) => s.run(...args(values)).changes);
    if (c.get === 'changes') return s.run(...args(c.values ?? [])).changes;
    // Statements are kept per SQL text: set plucking both ways, or a kept one would keep it.
    return s.pluck(c.get === 'column').all(...args(c.values ?? []));
  };`;

type Runner = (c: SqlCall) => unknown;

/** Statements on the app's own handle, in this thread. */
export function inThreadSession(db: Database.Database): SqlSession {
  const one = new Function('db', RUNNER)(db) as Runner;
  return {
    ownConnection: false,
    run: async (calls) => calls.map(one),
    close: async () => {},
  };
}

/** Statements on a connection of their own in a worker thread. */
export function workerSession(conn: WriterConnection): SqlSession {
  const driver = JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'));
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const db = new (require(${driver}))(workerData.file, { timeout: 5000 });
     db.pragma('synchronous = NORMAL');
     db.pragma('foreign_keys = ON');
     db.pragma('temp_store = MEMORY');
     db.pragma('cache_size = -' + workerData.cacheKib);
     // Checkpoints are the import's WalCheckpointer's job (see wal.ts).
     db.pragma('wal_autocheckpoint = 0');
     const one = ((db) => {${RUNNER}})(db);
     parentPort.on('message', (calls) => {
       if (calls === 'close') return db.close(), parentPort.close();
       let results;
       try {
         results = calls.map(one);
       } catch (err) {
         return parentPort.postMessage({ error: { message: err.message, code: err.code } });
       }
       parentPort.postMessage({ results });
     });`,
    { eval: true, workerData: conn },
  );
  let failure: Error | null = null;
  // Requests are answered in order: one pending promise per request sent.
  const pending: Array<{ resolve: (r: unknown[]) => void; reject: (e: Error) => void }> = [];
  const failAll = (err: Error) => {
    failure ??= err;
    for (const p of pending.splice(0)) p.reject(failure);
  };
  worker.on('message', (m: { results?: unknown[]; error?: { message: string; code?: string } }) => {
    const p = pending.shift()!;
    if (m.error) p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
    else p.resolve(m.results!);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the import's database writer stopped unexpectedly (exit code ${code})`)));
  return {
    ownConnection: true,
    run(calls) {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        pending.push({ resolve, reject });
        worker.postMessage(calls);
      });
    },
    async close() {
      if (failure) return;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('close');
      await exited;
    },
  };
}
