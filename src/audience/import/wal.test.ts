import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { bulkWal, WalCheckpointer } from './wal.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-wal-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function walDatabase() {
  const db = new Database(path.join(dir, `${Math.random().toString(36).slice(2)}.db`));
  db.pragma('journal_mode = WAL');
  db.exec('create table t (id integer primary key, v text)');
  return db;
}

const fill = (db: Database.Database) =>
  db.transaction(() => {
    const insert = db.prepare('insert into t (v) values (?)');
    for (let i = 0; i < 20_000; i++) insert.run(`value ${i} ${'x'.repeat(50)}`);
  })();

describe('WAL during an import', () => {
  it('leaves checkpoints to the import while it runs, and gives the connection its setting back', () => {
    const db = walDatabase();
    db.pragma('wal_autocheckpoint = 500');
    bulkWal.enter(db);
    bulkWal.enter(db);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    bulkWal.leave(db);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    bulkWal.leave(db);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(500);
    db.close();
  });

  it('copies the WAL into the database file from a thread of its own', async () => {
    const db = walDatabase();
    db.pragma('wal_autocheckpoint = 0');
    fill(db);
    const before = fs.statSync(db.name).size;
    const checkpointer = new WalCheckpointer(db);
    checkpointer.request();
    // A request while the copy runs is dropped, not queued.
    checkpointer.request();
    await checkpointer.close();
    expect(fs.statSync(db.name).size).toBeGreaterThan(before + 1_000_000);
    // Nothing is left for this connection to copy.
    const [state] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    expect(state.checkpointed).toBe(state.log);
    expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 20_000 });
    db.close();
  });

  it('lets the writer catch up once after each background checkpoint, so the WAL starts over instead of growing', async () => {
    const db = walDatabase();
    db.pragma('wal_autocheckpoint = 0');
    const frames = () => (db.pragma('wal_checkpoint(NOOP)') as Array<{ log: number }>)[0].log;
    const checkpointer = new WalCheckpointer(db);
    expect(checkpointer.takeFinished()).toBe(false);
    fill(db);
    checkpointer.request();
    while (!checkpointer.takeFinished()) await new Promise((r) => setTimeout(r, 5));
    // Reported once per background checkpoint.
    expect(checkpointer.takeFinished()).toBe(false);
    fill(db); // written while the copy ran, in an import: left for the catch-up
    const grown = frames();
    db.pragma('wal_checkpoint(PASSIVE)');
    db.prepare('insert into t (v) values (?)').run('after the catch-up');
    // The next transaction wrote from the start of the WAL.
    expect(frames()).toBeLessThan(grown / 10);
    await checkpointer.close();
    db.close();
  });
});

