import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Store } from '../store/db.ts';
import { startTsWorker } from '../shared/worker.ts';
import { mainThreadFold, type FoldReport, type HitFold } from './fold.ts';
import { HitInbox, inboxFileOf } from './inbox.ts';
import { sqliteInboxMark } from './repo.ts';
import type { Hit } from './recorder.ts';

/** What the tracking thread reports: how far it wrote (`idle` from the main thread's own fold: nothing more was waiting). */
export type WriterReport = FoldReport & { idle?: boolean };

/**
 * Memory the main thread and the tracking thread share, so that neither pays a message per batch:
 * `signal[WAKE]` counts appends (the thread sleeps on it), `signal[WANTED]` is 1 while someone
 * waits in `flush` (the thread then reports every chunk), `progress[0]` is how far it wrote.
 */
export interface WriterShared {
  signal: Int32Array;
  progress: BigInt64Array;
}
export const WAKE = 0;
export const WANTED = 1;
/** The thread reports at least this often, in hits, even when nobody waits: the main thread then deletes them from the inbox. */
export const REPORT_EVERY = 2_000;

export function writerShared(buffer = new SharedArrayBuffer(16)): WriterShared & { buffer: SharedArrayBuffer } {
  return { buffer, signal: new Int32Array(buffer, 0, 2), progress: new BigInt64Array(buffer, 8, 1) };
}

/**
 * Records opens and clicks in embedded mode: appended to the inbox (inbox.ts) before the answer
 * goes out, then written to the database by a thread of its own (writer-worker.ts) with its own
 * connection. Classifying a hit and writing its event, rollup and first-time columns cost several
 * times what answering does; the thread does it on the second core, in chunks of hundreds, while
 * the main thread goes on answering. The results show a hit once the thread has written it,
 * normally within milliseconds; `flush` waits for that. The thread also checks the tokens of the
 * opens the main thread answered without checking them (Hit.token).
 *
 * If the thread fails, the main thread writes the inbox from where the database says the thread
 * stopped, and goes on doing so. If the inbox itself cannot be written, `record` rejects, `failed`
 * is set and the service writes hits straight to the database from then on.
 *
 * On start, hits a previous process appended but did not write (it was killed) are written first.
 */
export class HitWriter {
  private inbox: HitInbox | null = null;
  private worker: Worker | null = null;
  /** Set once the thread failed: the main thread writes the inbox from then on. */
  private mainFold: Promise<HitFold> | null = null;
  /** The main thread's own fold is at work (after the thread failed). */
  private folding = false;
  private readonly shared = writerShared();
  private appended = 0;
  private folded = 0;
  private deleted = 0;
  private waiters: Array<{ seq: number; resolve: () => void }> = [];
  private closed = false;
  failed = false;

  constructor(
    private readonly store: Pick<Store, 'db' | 'sqlite'> & { sqlite: NonNullable<Store['sqlite']> },
    private readonly log: Logger,
    /** The app's secret: the thread checks the tokens of opens answered unchecked. */
    private readonly secret: string,
  ) {
    if (!HitInbox.exists(inboxFileOf(store.sqlite.name))) return;
    try {
      const inbox = this.open();
      this.folded = sqliteInboxMark(store.sqlite).written(inbox.generation);
    } catch (err) {
      // The app still starts: hits go straight to the database, and the file stays for someone to look at.
      this.failed = true;
      log.error({ err, file: inboxFileOf(store.sqlite.name) }, 'the tracking inbox cannot be read; opens and clicks are written on the main thread');
      return;
    }
    if (this.appended > this.folded) {
      log.info({ hits: this.appended - this.folded }, 'writing the opens and clicks the last process answered but did not write');
      this.wake();
    }
  }

  /** Appends the hits to the inbox; resolved once they are there (they are written to the database soon after). */
  record(hits: Hit[]): Promise<void> {
    try {
      this.appended = (this.inbox ?? this.open()).append(hits);
    } catch (err) {
      this.failed = true;
      return Promise.reject(err);
    }
    this.wake();
    return Promise.resolve();
  }

  /** Whether this thread writes the inbox (the tracking thread failed). */
  get writingOnMainThread(): boolean {
    return this.mainFold !== null;
  }

  /** Resolves once every hit recorded so far is in the database. */
  flush(): Promise<void> {
    const seq = this.appended;
    this.folded = Math.max(this.folded, Number(Atomics.load(this.shared.progress, 0)));
    if (this.folded >= seq) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiters.push({ seq, resolve }));
    // A thread that has just gone to sleep looks once more, sees someone waiting, and reports.
    Atomics.store(this.shared.signal, WANTED, 1);
    this.wake();
    return done;
  }

  /** Writes what is left, then ends the thread. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    if (worker) {
      worker.removeAllListeners('exit');
      await worker.terminate();
    }
    this.inbox?.close();
    this.inbox = null;
  }

  private open(): HitInbox {
    const inbox = new HitInbox(inboxFileOf(this.store.sqlite.name));
    this.inbox = inbox;
    this.appended = inbox.last();
    return inbox;
  }

  /** Makes sure someone writes what was appended: the thread (woken through shared memory), or this one after it failed. */
  private wake(): void {
    if (this.mainFold) {
      if (this.folding) return;
      this.folding = true;
      setImmediate(() => void this.foldOnMainThread());
      return;
    }
    this.worker ??= this.start();
    Atomics.add(this.shared.signal, WAKE, 1);
    Atomics.notify(this.shared.signal, WAKE);
  }

  private onReport(report: WriterReport): void {
    this.folded = Math.max(this.folded, report.folded);
    for (const d of report.dropped) this.log.error({ seq: d.seq, err: d.message }, 'tracking event could not be recorded');
    if (this.inbox && this.folded > this.deleted) {
      this.inbox.deleteThrough(this.folded);
      this.deleted = this.folded;
    }
    const ready = this.waiters.filter((w) => w.seq <= this.folded);
    this.waiters = this.waiters.filter((w) => w.seq > this.folded);
    if (this.waiters.length === 0) Atomics.store(this.shared.signal, WANTED, 0);
    for (const w of ready) w.resolve();
    if (!report.idle) return;
    this.folding = false;
    if (this.appended > this.folded) this.wake();
  }

  private start(): Worker {
    const worker = startTsWorker(new URL('./writer-worker.ts', import.meta.url), { workerData: { file: this.store.sqlite.name, shared: this.shared.buffer, secret: this.secret } });
    // Never what keeps a process alive: what the thread had not written yet waits in the inbox for the next start.
    worker.unref();
    worker.on('message', (report: WriterReport) => this.onReport(report));
    const stop = (err: unknown) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.log.error({ err }, 'the tracking writer thread failed; opens and clicks are written on the main thread from now on');
      this.mainFold = mainThreadFold(this.store.db, this.inbox!, this.secret);
      this.folding = false;
      this.wake();
    };
    worker.on('error', stop);
    worker.on('exit', (code) => stop(new Error(`the tracking writer thread exited with code ${code}`)));
    return worker;
  }

  private async foldOnMainThread(): Promise<void> {
    try {
      const fold = await this.mainFold!;
      if (this.closed) return;
      const report = await fold.next();
      if (report) {
        this.onReport(report);
        setImmediate(() => void this.foldOnMainThread());
      } else this.onReport({ folded: fold.folded, lines: 0, dropped: [], idle: true });
    } catch (err) {
      // The database is closing or broken: what is left stays in the inbox for the next start,
      // and nobody waits for it (a close must still end).
      this.log.error({ err }, 'tracking events could not be written from the inbox');
      this.folding = false;
      for (const w of this.waiters.splice(0)) w.resolve();
    }
  }
}
