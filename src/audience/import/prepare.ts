import { Worker } from 'node:worker_threads';
import { DomainError, type ErrorCode } from '../../shared/errors.ts';
import { RowChecker, type PreparedBatch, type RowCheckerSetup } from './rows.ts';
import { readRecords } from './source.ts';

/**
 * Where the rows of an import are read and checked: in this thread, or, for a large file, in a
 * worker thread while this one writes the previous batch to the database. Both run the same
 * RowChecker over the same reader, so they yield the same batches.
 */

export interface PrepareSetup extends RowCheckerSetup {
  filePath: string;
  sizeBytes: number;
}

/** Files from this size are checked in a worker: below it, starting the worker (about half a second) costs more than it saves. */
export const WORKER_MIN_BYTES = 4 * 1024 * 1024;

/** Batches the worker may have ready ahead of the writer: enough to never wait, few enough to keep memory flat. */
const WORKER_AHEAD = 2;

/**
 * The worker's heap holds its code, the tables of the checks and one batch (BATCH_MAX_CHARS at
 * most): a cap makes V8 collect it often instead of letting garbage grow to several times that.
 */
const WORKER_HEAP_MB = 96;

/** The file's batches, read and checked in this thread. */
export async function* checkRows(s: PrepareSetup): AsyncGenerator<PreparedBatch> {
  const checker = new RowChecker(s);
  for await (const { records, bytesRead } of readRecords(s.filePath, s.layout)) {
    for (const rec of records) {
      checker.add(rec);
      if (checker.full) yield checker.take(bytesRead);
    }
  }
  if (!checker.empty) yield checker.take(s.sizeBytes);
}

/** Messages from the worker. */
export type WorkerMessage = { type: 'batch'; batch: PreparedBatch } | { type: 'done' } | { type: 'error'; message: string; domain?: { code: ErrorCode; details?: unknown } };

/** Messages to the worker: it sends another batch for each credit. */
export type WriterMessage = { type: 'credit' };

/**
 * The file's batches, read and checked in a worker thread. The worker stays at most WORKER_AHEAD
 * batches ahead of the caller; ending the loop early (a cancelled import, a failed write) stops it.
 */
export async function* checkRowsInWorker(s: PrepareSetup): AsyncGenerator<PreparedBatch> {
  const worker = startWorker(s);
  const queue: WorkerMessage[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  const arrived = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (m: WorkerMessage) => {
    queue.push(m);
    arrived();
  });
  worker.on('error', (err) => {
    failure = err;
    arrived();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`the import's row checker stopped unexpectedly (exit code ${code})`);
    arrived();
  });
  try {
    for (let i = 0; i < WORKER_AHEAD; i++) worker.postMessage({ type: 'credit' } satisfies WriterMessage);
    for (;;) {
      const m = queue.shift();
      if (!m) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (m.type === 'done') return;
      if (m.type === 'error') throw m.domain ? new DomainError(m.domain.code, m.message, m.domain.details) : new Error(m.message);
      worker.postMessage({ type: 'credit' } satisfies WriterMessage);
      yield m.batch;
    }
  } finally {
    worker.removeAllListeners();
    // An error while it stops (out of memory, say) has nobody to tell: the import already ended.
    worker.on('error', () => {});
    await worker.terminate();
  }
}

/**
 * The worker runs the TypeScript sources like the rest of the app: tsx registers itself in the new
 * thread before the worker module loads (a worker inherits neither `--import tsx` nor tsx's
 * register() from the thread that starts it).
 */
function startWorker(s: PrepareSetup): Worker {
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const main = JSON.stringify(new URL('./prepare-worker.ts', import.meta.url).href);
  return new Worker(`import(${tsx}).then((api) => { api.register(); return import(${main}); });`, {
    eval: true,
    workerData: s,
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
}
