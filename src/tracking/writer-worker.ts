import { parentPort, workerData } from 'node:worker_threads';
import { connectSqlite } from '../store/db.ts';
import { threadFold } from './fold.ts';
import { HitInbox, inboxFileOf } from './inbox.ts';
import { REPORT_EVERY, WAKE, WANTED, writerShared, type WriterReport } from './writer.ts';

/**
 * The thread of `HitWriter`: one connection to the database, one to the inbox. Woken through
 * shared memory after appends, it writes the inbox's hits, a chunk per transaction, in the order
 * they were appended, until none are left.
 */
const port = parentPort!;
const { file, shared: buffer } = workerData as { file: string; shared: SharedArrayBuffer };
const shared = writerShared(buffer);
const db = connectSqlite(file);
db.pragma('cache_size = -16384');
// Only this thread waits, never the event loop: a long transaction of the app's must not cost events.
db.pragma('busy_timeout = 30000');
const fold = threadFold(db, new HitInbox(inboxFileOf(file)));

/**
 * SQLite checkpoints inside the commit that takes the WAL past 1,000 pages: under a stream of
 * opens that was every few chunks, and the copy (with its fsync) cost as much as the writes.
 * This connection checkpoints between chunks instead, at most once a second, so a page that every
 * chunk changes (the end of an index) is copied once a second, not once per checkpoint.
 */
db.pragma('wal_autocheckpoint = 0');
const CHECKPOINT_EVERY_MS = 1_000;
let lastCheckpoint = Date.now();

function checkpointWhenDue(): void {
  if (Date.now() - lastCheckpoint < CHECKPOINT_EVERY_MS) return;
  db.pragma('wal_checkpoint(PASSIVE)');
  lastCheckpoint = Date.now();
}

/** Atomics.waitAsync (Node 16+), which the TypeScript lib this project targets does not declare yet. */
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string } }).waitAsync;

/**
 * After a wake the thread lets appends gather this long before writing, unless someone waits
 * (flush). Nobody else waits on it: the answers went out with the append. A chunk of hundreds of
 * hits costs far less per hit than a chunk of a few (one commit; the index pages they share are
 * written once), and the results show a hit a few milliseconds later.
 */
const GATHER_MS = 20;

/**
 * Writes until nothing is left, then sleeps until the next append. Reports go to the main thread
 * only when someone waits for them (flush), when a hit was dropped, or every REPORT_EVERY hits.
 */
async function run(): Promise<void> {
  let unreported = 0;
  for (;;) {
    const seen = Atomics.load(shared.signal, WAKE);
    if (Atomics.load(shared.signal, WANTED) === 0) await new Promise((r) => setTimeout(r, GATHER_MS));
    for (let report = await fold.next(); report; report = await fold.next()) {
      Atomics.store(shared.progress, 0, BigInt(report.folded));
      unreported += report.lines;
      if (report.dropped.length > 0 || Atomics.load(shared.signal, WANTED) === 1 || unreported >= REPORT_EVERY) {
        port.postMessage(report satisfies WriterReport);
        unreported = 0;
      }
      checkpointWhenDue();
    }
    // Someone waits: say where this thread stands, even when it wrote nothing (another process may have).
    Atomics.store(shared.progress, 0, BigInt(fold.folded));
    if (Atomics.load(shared.signal, WANTED) === 1) {
      port.postMessage({ folded: fold.folded, lines: 0, dropped: [] } satisfies WriterReport);
      unreported = 0;
    }
    const sleep = waitAsync(shared.signal, WAKE, seen);
    if (sleep.async) await sleep.value;
  }
}

// Waiting in waitAsync holds no reference on the thread's event loop; a listening port does.
port.on('message', () => {});
// A failure is left unhandled on purpose: it ends the thread, and the main thread takes over.
void run();
