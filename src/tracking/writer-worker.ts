import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { connectSqlite } from '../store/db.ts';
import { FOLD_CHUNK, nextChunkSize, threadFold } from './fold.ts';
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
 * This thread's work can wait; the event loop's answers cannot, and what they answered is safe in
 * the inbox already. So on Linux the thread asks the kernel to run it only when a core would
 * otherwise idle (SCHED_IDLE; Node cannot call sched_setscheduler, util-linux's chrt can, for
 * this thread alone). At nice 10 it got less time but kept a core for the rest of its slice
 * whenever the answering thread woke, a delay on every request: under bench/tracking.ts with
 * autocannon, clicks answered at 47 % of bare Fastify's rate then, and at 70 % at SCHED_IDLE.
 * What the thread has not written yet waits in the inbox and is written as soon as a core is
 * free; under a flood that fills every core, the results lag behind the answers for as long as
 * it lasts. Without chrt (or where it is refused) the thread lowers its nice value instead.
 */
const WRITER_NICE = 10;

function yieldToAnswering(): void {
  let tid: number;
  try {
    tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return; // Not Linux: the thread runs at the process's priority.
  }
  if (spawnSync('chrt', ['--idle', '--pid', '0', String(tid)], { stdio: 'ignore', timeout: 5_000 }).status === 0) return;
  try {
    os.setPriority(tid, WRITER_NICE);
  } catch {
    // Not allowed either: the thread runs at the process's priority.
  }
}
yieldToAnswering();
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
  let chunk = FOLD_CHUNK;
  for (;;) {
    const seen = Atomics.load(shared.signal, WAKE);
    let full = false;
    for (;;) {
      if (!full && Atomics.load(shared.signal, WANTED) === 0) await gather();
      const started = performance.now();
      const report = await fold.next(chunk);
      if (!report) break;
      full = report.lines >= chunk;
      chunk = nextChunkSize(chunk, performance.now() - started);
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
