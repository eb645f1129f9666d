import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../../shared/worker.ts';
import type { OutboundMessage } from '../providers/model.ts';
import { InThreadBuilder, recipientJob, SETUPS_KEPT, setupKey } from './build.ts';
import { BuildError, type BuildJob, type BuildOptions, type MessageBuilder } from './model.ts';
import type { WorkerRequest, WorkerResponse } from './worker.ts';

/**
 * A pool of worker threads that build messages (render → frame → DKIM-sign) off the main thread,
 * which is left to read the outbox and drive the SMTP connections. RSA signing alone is ~0.5 ms per
 * message, so on a 2-core machine this roughly doubles what one thread can build.
 *
 * Each worker receives a send's setup (compiled email, render context, key) once, the first time a
 * job of that send goes to it; after that a job carries only recipient data. A batch is split into
 * one slice per worker, each slice going to the least loaded worker, and the results come back in
 * job order.
 */

export interface MessageBuilderOptions {
  /** Worker threads; 0 builds on the calling thread. Defaults to the cores available. */
  workers?: number;
}

export function createMessageBuilder(opts: MessageBuilderOptions = {}): MessageBuilder {
  const workers = opts.workers ?? os.availableParallelism();
  return workers > 0 ? new WorkerPoolBuilder(workers) : new InThreadBuilder();
}

/** Below this many jobs per slice, posting to another thread costs more than it spreads. */
const MIN_SLICE = 8;

interface Pending {
  resolve: (messages: OutboundMessage[]) => void;
  reject: (err: Error) => void;
  jobs: number;
  /** Setups the request carried: a worker that failed it may not hold them. */
  setups: string[];
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Setups this worker holds, oldest first. */
  known: Set<string>;
  load: number;
}

export class WorkerPoolBuilder implements MessageBuilder {
  /** A slot is null until first needed, and again after its worker died (restarted by the next build). */
  private readonly slots: Array<Slot | null>;
  private nextRequest = 1;
  private closed = false;

  constructor(size: number) {
    this.slots = Array.from({ length: size }, () => null);
  }

  async build(jobs: BuildJob[], opts: BuildOptions = {}): Promise<OutboundMessage[]> {
    if (this.closed) throw new Error('the message builder is closed');
    if (jobs.length === 0) return [];
    const slots = this.slots.map((s, i) => (this.slots[i] = s ?? this.spawn()));
    const sliceCount = Math.max(1, Math.min(slots.length, Math.floor(jobs.length / MIN_SLICE)));
    const sliceSize = Math.ceil(jobs.length / sliceCount);
    const slices: Array<Promise<OutboundMessage[]>> = [];
    for (let from = 0; from < jobs.length; from += sliceSize) {
      const slot = slots.reduce((a, b) => (b.load < a.load ? b : a));
      slices.push(this.send(slot, jobs.slice(from, from + sliceSize), opts));
    }
    return (await Promise.all(slices)).flat();
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.filter((s): s is Slot => s !== null);
    this.slots.fill(null);
    for (const slot of slots) this.fail(slot, new Error('the message builder was closed'));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private send(slot: Slot, jobs: BuildJob[], opts: BuildOptions): Promise<OutboundMessage[]> {
    const req: WorkerRequest = { id: this.nextRequest++, setups: [], drop: [], jobs: [], content: opts.content ?? 'both' };
    for (const job of jobs) {
      const key = setupKey(job);
      if (!slot.known.has(key)) {
        req.setups.push({ key, compiled: job.prepared.compiled, render: job.render, messageIdDomain: job.messageIdDomain, dkim: job.dkim });
        slot.known.add(key);
        if (slot.known.size > SETUPS_KEPT) {
          const oldest = slot.known.values().next().value!;
          slot.known.delete(oldest);
          req.drop.push(oldest);
        }
      }
      req.jobs.push({ setup: key, ...recipientJob(job) });
    }
    return new Promise<OutboundMessage[]>((resolve, reject) => {
      slot.pending.set(req.id, { resolve, reject, jobs: jobs.length, setups: req.setups.map((s) => s.key) });
      // A worker with work keeps the process alive; an idle one must not (see spawn).
      if (slot.load === 0) slot.worker.ref();
      slot.load += jobs.length;
      slot.worker.postMessage(req);
    });
  }

  private spawn(): Slot {
    const slot: Slot = { worker: startWorker(), pending: new Map(), known: new Set(), load: 0 };
    slot.worker.on('message', (res: WorkerResponse) => this.settle(slot, res));
    slot.worker.on('error', (err) => this.retire(slot, err));
    slot.worker.on('exit', (code) => this.retire(slot, new Error(`a message builder worker exited with code ${code}`)));
    // Idle workers must not keep a finished process alive.
    slot.worker.unref();
    return slot;
  }

  private settle(slot: Slot, res: WorkerResponse): void {
    const pending = slot.pending.get(res.id);
    if (!pending) return;
    slot.pending.delete(res.id);
    slot.load -= pending.jobs;
    if (slot.load === 0) slot.worker.unref();
    if (!res.ok) {
      // Sent again with the next job that needs them, rather than assumed to be there.
      for (const key of pending.setups) slot.known.delete(key);
      return pending.reject(new BuildError(res.messageRef, res.reason));
    }
    // A transferred Buffer arrives as a plain Uint8Array over the same memory.
    for (const m of res.messages) if (m.raw) m.raw = Buffer.from(m.raw.buffer, m.raw.byteOffset, m.raw.byteLength);
    pending.resolve(res.messages);
  }

  /** A worker that died fails what it had in hand; the next build starts a fresh one in its place. */
  private retire(slot: Slot, err: Error): void {
    this.fail(slot, err);
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots[i] = null;
  }

  private fail(slot: Slot, err: Error): void {
    for (const p of slot.pending.values()) p.reject(err);
    slot.pending.clear();
    slot.load = 0;
    slot.worker.unref();
  }
}

const startWorker = () => startTsWorker(new URL('./worker.ts', import.meta.url), { name: 'tidings-message-builder' });
