import { parentPort, workerData } from 'node:worker_threads';
import { DomainError } from '../../shared/errors.ts';
import { checkRows, type PrepareSetup, type WorkerMessage, type WriterMessage } from './prepare.ts';

/**
 * The worker thread of `checkRowsInWorker`: reads and checks the file's rows and posts each batch
 * once the writer has room for it (a credit), so a fast reader never piles batches up in memory.
 */
const port = parentPort!;
let credits = 0;
let wake: (() => void) | null = null;
port.on('message', (m: WriterMessage) => {
  if (m.type !== 'credit') return;
  credits++;
  wake?.();
  wake = null;
});

const send = (m: WorkerMessage) => port.postMessage(m);

try {
  for await (const batch of checkRows(workerData as PrepareSetup)) {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
    send({ type: 'batch', batch });
  }
  send({ type: 'done' });
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  send({ type: 'error', message, ...(err instanceof DomainError ? { domain: { code: err.code, details: err.details } } : {}) });
}
// The thread stays up until the writer has read everything and terminates it.
