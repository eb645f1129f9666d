import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/**
 * How an import on SQLite handles the write-ahead log: it checkpoints every few batches instead of
 * after each one (bulkWal), and the copy runs in a thread of its own (WalCheckpointer).
 */

/**
 * Copies the WAL into the database file from a connection of its own in a worker thread: the copy
 * (seconds per million imported rows) runs beside the import's next batches instead of between
 * them. WAL mode lets a passive checkpoint run while the import writes; it copies what is committed.
 * The thread starts with the first checkpoint, so a small import never starts it; if it cannot
 * run, the connection checkpoints itself as before.
 */
export class WalCheckpointer {
  private worker: Worker | null = null;
  private running = false;
  private failed = false;

  /** A background checkpoint ended since the writer last caught up (see `takeFinished`). */
  private finished = false;

  constructor(private readonly db: Database.Database) {}

  /**
   * Whether a background checkpoint ended since the last call. A passive checkpoint beside a
   * writer that never pauses never finds the WAL fully copied when a transaction begins, so
   * SQLite never starts the WAL over (it grew to 2.7 GB over a million rows). The writer then
   * checkpoints once itself, between two transactions: only the frames written since this one
   * started are left to copy, and with nothing written meanwhile the WAL is complete, so the next
   * transaction writes from the start of the file again.
   */
  takeFinished(): boolean {
    const was = this.finished;
    this.finished = false;
    return was;
  }

  /** Starts a checkpoint, unless the previous one still runs. */
  request(): void {
    if (this.failed || this.db.memory) {
      this.db.pragma('wal_checkpoint(PASSIVE)');
      return;
    }
    if (this.running) return;
    this.worker ??= this.start();
    this.running = true;
    this.worker.postMessage('checkpoint');
  }

  private start(): Worker {
    const driver = JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'));
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const db = new (require(${driver}))(workerData.file, { timeout: 5000 });
       parentPort.on('message', (m) => {
         if (m === 'close') return db.close(), parentPort.close();
         db.pragma('wal_checkpoint(PASSIVE)');
         parentPort.postMessage('done');
       });`,
      { eval: true, workerData: { file: this.db.name } },
    );
    worker.on('message', () => {
      this.running = false;
      this.finished = true;
    });
    worker.on('error', () => {
      this.failed = true;
      this.running = false;
      this.worker = null;
    });
    return worker;
  }

  /** Waits for a running checkpoint and ends the thread. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage('close');
    await exited;
  }
}

/**
 * SQLite checkpoints the WAL after any commit that leaves it over 1000 pages: with a batch per
 * commit that copies the email index's pages into the database file after every batch, although
 * the next batch changes most of them again. While imports run on a connection, the import
 * checkpoints every few batches instead (each page is copied once per checkpoint), and the
 * connection's own setting comes back when the last import on it ends.
 */
export const bulkWal = {
  active: new WeakMap<Database.Database, { runs: number; saved: number }>(),
  enter(db: Database.Database) {
    const state = this.active.get(db);
    if (state) state.runs++;
    else {
      this.active.set(db, { runs: 1, saved: db.pragma('wal_autocheckpoint', { simple: true }) as number });
      db.pragma('wal_autocheckpoint = 0');
    }
  },
  leave(db: Database.Database) {
    const state = this.active.get(db);
    if (!state || --state.runs > 0) return;
    this.active.delete(db);
    db.pragma(`wal_autocheckpoint = ${state.saved}`);
    db.pragma('wal_checkpoint(PASSIVE)');
  },
};
