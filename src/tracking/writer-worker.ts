import { parentPort, workerData } from 'node:worker_threads';
import { connectSqlite } from '../store/db.ts';
import { HitRecorder, type Hit } from './recorder.ts';
import { sqliteHitQueries } from './repo.ts';
import type { WriterReply, WriterRequest } from './writer.ts';

/**
 * The thread of `HitWriter`: one connection, one recorder (it keeps the recent clicks the burst
 * rule needs, and every hit of the process passes here), hits written in the order they arrive.
 */
const port = parentPort!;
const db = connectSqlite((workerData as { file: string }).file);
db.pragma('cache_size = -16384');
// Only this thread waits, never the event loop: a long transaction of the app's must not cost events.
db.pragma('busy_timeout = 30000');
const queries = sqliteHitQueries(db);
const recorder = new HitRecorder();

/**
 * SQLite checkpoints inside the commit that takes the WAL past 1,000 pages: under a stream of
 * opens that was every few batches, and the copy (with its fsync) cost as much as the writes.
 * This connection checkpoints after answering instead, at most once a second, so a page that
 * every batch changes (the end of an index) is copied once a second, not once per checkpoint.
 */
db.pragma('wal_autocheckpoint = 0');
const CHECKPOINT_EVERY_MS = 1_000;
let lastCheckpoint = Date.now();
let uncheckpointed = false;

function checkpointWhenDue(): void {
  if (!uncheckpointed || Date.now() - lastCheckpoint < CHECKPOINT_EVERY_MS) return;
  db.pragma('wal_checkpoint(PASSIVE)');
  lastCheckpoint = Date.now();
  uncheckpointed = false;
}

async function write(hits: Hit[]): Promise<void> {
  db.exec('begin immediate');
  try {
    await recorder.record(queries, hits);
    db.exec('commit');
    uncheckpointed = true;
  } catch (err) {
    if (db.inTransaction) db.exec('rollback');
    throw err;
  }
}

/**
 * Requests that arrive while a transaction runs wait for the next one, which then carries all of
 * them (the service posts a batch per event-loop turn without waiting for the one before, so this
 * thread never sits idle between a reply and the next batch). setImmediate runs after every
 * message already delivered has been queued.
 */
const waiting: WriterRequest[] = [];
let scheduled = false;

async function writeWaiting(): Promise<void> {
  scheduled = false;
  const group = waiting.splice(0, waiting.length);
  let error: WriterReply['error'];
  try {
    await write(group.flatMap((r) => r.hits));
  } catch (err) {
    const e = err as { message?: string; code?: string };
    error = { message: String(e?.message ?? err), ...(typeof e?.code === 'string' ? { code: e.code } : {}) };
  }
  for (const r of group) port.postMessage({ id: r.id, ...(error ? { error } : {}) } satisfies WriterReply);
  checkpointWhenDue();
}

port.on('message', (request: WriterRequest) => {
  waiting.push(request);
  if (!scheduled) {
    scheduled = true;
    setImmediate(() => void writeWaiting());
  }
});
