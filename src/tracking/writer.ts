import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../shared/worker.ts';
import type { Hit } from './recorder.ts';

/** What the writer thread answers for one batch: done, or the error that rolled it back. */
export type WriterReply = { id: number; error?: { message: string; code?: string } };
export interface WriterRequest {
  id: number;
  hits: Hit[];
}

/**
 * Records opens and clicks from a thread of its own, on its own connection to the SQLite file
 * (embedded mode). Classifying a hit and writing its event, rollup and first-time columns cost
 * several times what answering the request does; here that work runs on the second core while
 * the main thread goes on answering. The caller still awaits the commit, so a response still
 * means the event is written. The thread starts with the first batch; if it cannot run, `record`
 * rejects and the service writes on the main thread from then on.
 */
export class HitWriter {
  private worker: Worker | null = null;
  private pending = new Map<number, { resolve: () => void; reject: (err: unknown) => void }>();
  private nextId = 1;
  failed = false;

  constructor(private readonly file: string) {}

  record(hits: Hit[]): Promise<void> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, hits } satisfies WriterRequest);
    });
  }

  private start(): Worker {
    const worker = startTsWorker(new URL('./writer-worker.ts', import.meta.url), { workerData: { file: this.file } });
    worker.on('message', (reply: WriterReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!reply.error) return waiting?.resolve();
      waiting?.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    });
    const stop = (err: unknown) => {
      this.failed = true;
      this.worker = null;
      for (const waiting of this.pending.values()) waiting.reject(err);
      this.pending.clear();
    };
    worker.on('error', stop);
    worker.on('exit', (code) => stop(new Error(`the tracking writer thread exited with code ${code}`)));
    return worker;
  }

  /** Ends the thread; the caller has waited for every batch first. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    worker.removeAllListeners('exit');
    await worker.terminate();
  }
}
