import fs from 'node:fs';
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { connectSqlite } from '../store/db.ts';
import { FOLD_CHUNK, threadFold } from './fold.ts';
import { HitInbox, inboxFileOf } from './inbox.ts';
import { REPORT_EVERY, WAKE, WANTED, writerShared, type WriterReport } from './writer.ts';

/**
 * The thread of `HitWriter`: one connection to the database, one to the inbox. Woken through
 * shared memory after appends, it writes the inbox's hits, a chunk per transaction, in the order
 * they were appended, until none are left.
 */
const port = parentPort!;
const { file, shared: buffer, secret } = workerData as { file: string; shared: SharedArrayBuffer; secret: string };

/**
 * This thread's work can wait a moment; the event loop's answers cannot, and what they answered
 * is safe in the inbox already. On Linux a thread is a task with a nice value of its own, so the
 * thread lowers its own: when the cores are all busy (the answering thread, the app's other work,
 * whatever else runs on the machine) the thread gets about a tenth of the time it would otherwise,
 * enough to keep writing, and catches up when they are not. Elsewhere it keeps the process's priority.
 */
const WRITER_NICE = 10;
try {
  os.setPriority(Number(fs.readlinkSync('/proc/thread-self').split('/').pop()), WRITER_NICE);
} catch {
  // Not Linux (no /proc/thread-self), or not allowed: the thread runs at the process's priority.
}
const shared = writerShared(buffer);
const db = connectSqlite(file);
db.pragma('cache_size = -16384');
// Only this thread waits, never the event loop: a long transaction of the app's must not cost events.
db.pragma('busy_timeout = 30000');
const fold = threadFold(db, new HitInbox(inboxFileOf(file)), secret);

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
 * Before each chunk the thread lets appends gather this long, unless someone waits (flush) or
 * the last chunk was full (more is waiting already). Nobody else waits on it: the answers went
 * out with the append, and the results show a hit a few milliseconds later. A chunk costs a
 * commit and a read of the inbox whatever its size, and the pages its hits share are written
 * once, so hundreds of hits cost far less each than a few. (Gathering only after a wake, the
 * chunks written straight after a chunk held only what came in meanwhile: under the tracking
 * bench's load they averaged 130 hits; now about 380.)
 */
const GATHER_MS = 20;

const gather = () => new Promise((r) => setTimeout(r, GATHER_MS));

/**
 * Writes until nothing is left, then sleeps until the next append. Reports go to the main thread
 * only when someone waits for them (flush), when a hit was dropped, or every REPORT_EVERY hits.
 */
async function run(): Promise<void> {
  let unreported = 0;
  for (;;) {
    const seen = Atomics.load(shared.signal, WAKE);
    let full = false;
    for (;;) {
      if (!full && Atomics.load(shared.signal, WANTED) === 0) await gather();
      const report = await fold.next();
      if (!report) break;
      full = report.lines >= FOLD_CHUNK;
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
