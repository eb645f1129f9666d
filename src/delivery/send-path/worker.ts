import { parentPort } from 'node:worker_threads';
import type { OutboundMessage } from '../providers/model.ts';
import { buildMessage, setupFromData, type RecipientJob, type SendSetup, type SetupData } from './build.ts';
import { BuildError, type BuildContent } from './model.ts';

/**
 * A build worker thread (started by pool.ts). It keeps the setups the pool sent it (prepared email,
 * frame template, parsed DKIM key) and builds the recipient jobs of each request with them. The
 * finished messages' bytes are transferred, not copied (each has an ArrayBuffer of its own, see
 * `assemble`), so 40 KB per message costs the main thread nothing to receive.
 */

export interface WorkerRequest {
  id: number;
  /** Setups this worker has not had yet; they come before the jobs that use them. */
  setups: Array<{ key: string } & SetupData>;
  /** Setups the pool stopped tracking for this worker (it keeps a bounded number). */
  drop: string[];
  jobs: Array<{ setup: string } & RecipientJob>;
  content: BuildContent;
}

export type WorkerResponse =
  | { id: number; ok: true; messages: OutboundMessage[] }
  | { id: number; ok: false; messageRef: string; reason: string };

const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread of pool.ts');
const setups = new Map<string, SendSetup>();

port.on('message', (req: WorkerRequest) => {
  for (const key of req.drop) setups.delete(key);
  const arriving = new Map(req.setups.map((s) => [s.key, s]));
  try {
    const messages = req.jobs.map((job) => buildMessage(setupFor(job, arriving), job, req.content));
    const res: WorkerResponse = { id: req.id, ok: true, messages };
    port.postMessage(res, messages.flatMap((m) => (m.raw ? [m.raw.buffer as ArrayBuffer] : [])));
  } catch (err) {
    const failure = err instanceof BuildError ? { messageRef: err.messageRef, reason: err.reason } : { messageRef: '', reason: (err as Error).message };
    port.postMessage({ id: req.id, ok: false, ...failure } satisfies WorkerResponse);
  }
});

/** A setup is made when its first job is built, so a bad one (an unreadable key) names that job. */
function setupFor(job: WorkerRequest['jobs'][number], arriving: Map<string, SetupData>): SendSetup {
  let setup = setups.get(job.setup);
  if (setup) return setup;
  const data = arriving.get(job.setup);
  if (!data) throw new BuildError(job.messageRef, `the worker has no setup ${job.setup}`);
  try {
    setup = setupFromData(data);
  } catch (err) {
    throw new BuildError(job.messageRef, (err as Error).message);
  }
  setups.set(job.setup, setup);
  return setup;
}
