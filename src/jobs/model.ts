import { z } from 'zod';
import type { Executor } from '../store/db.ts';
import { issuesFromZod, validationError } from '../shared/errors.ts';

/**
 * Background work. Capabilities register a handler per queue name when the context is built and
 * enqueue payloads from anywhere; the embedded SQLite runner or pg-boss runs them. The queue only
 * spreads and retries work: the truth about *what* must happen (an import's progress, a send's
 * due time) stays in the capability's own tables, so handlers must be safe to run more than once.
 */

export interface Job<P> {
  id: string;
  queue: string;
  payload: P;
  /** 1 on the first run; a run cut short by a crash counts as an attempt too. */
  attempt: number;
  maxAttempts: number;
}

/** Throwing (or rejecting) fails the attempt; the job is retried with backoff until maxAttempts. */
export type JobHandler<P> = (job: Job<P>) => Promise<void>;

export interface RegisterOptions {
  /** Jobs of this queue run at most this many at a time in one process. */
  concurrency?: number;
}

export interface EnqueueOptions {
  /** Not run before this instant. */
  runAt?: Date;
  /** While a job with this key is pending or running in the queue, enqueueing again returns its id. */
  dedupeKey?: string;
  maxAttempts?: number;
  /** Retry n waits backoffMs * 2^(n-1). */
  backoffMs?: number;
  /** Enqueue inside the caller's transaction: the job exists if and only if the caller's writes commit. */
  db?: Executor;
}

export type JobStatus = 'pending' | 'running' | 'done' | 'failed';

export interface JobInfo {
  id: string;
  queue: string;
  status: JobStatus;
  /** Attempts started so far. */
  attempts: number;
  maxAttempts: number;
  /** When the job (or its next retry) may run. */
  runAt: string;
  /** Error of the latest failed attempt; null once the job is done. */
  lastError: string | null;
}

export interface JobQueue {
  /** Before start(): handlers are what this process will work on. */
  register<P>(queue: string, handler: JobHandler<P>, opts?: RegisterOptions): void;
  /** Returns the job id (the existing one when the dedupe key is taken). Works without start(). */
  enqueue<P>(queue: string, payload: P, opts?: EnqueueOptions): Promise<string>;
  /** Begins working on the registered queues. */
  start(): Promise<void>;
  /** Stops taking jobs and waits (bounded) for running handlers; unfinished ones are picked up again later. */
  stop(): Promise<void>;
  get(id: string): Promise<JobInfo | null>;
}

export const JOB_DEFAULTS = { maxAttempts: 5, backoffMs: 5_000, concurrency: 1 } as const;

export const QueueName = z
  .string()
  .regex(/^[a-z][a-z0-9_.-]{0,99}$/, 'queue names are lower-case letters, digits, ".", "_" or "-" (at most 100)');

const EnqueueOptionsSchema = z.object({
  runAt: z.date().optional(),
  dedupeKey: z.string().min(1).max(200).optional(),
  maxAttempts: z.number().int().min(1).max(50).default(JOB_DEFAULTS.maxAttempts),
  // A day between attempts is the most any retry policy here needs; 2^(n-1) grows it further.
  backoffMs: z.number().int().min(0).max(86_400_000).default(JOB_DEFAULTS.backoffMs),
});

export type ResolvedEnqueueOptions = z.infer<typeof EnqueueOptionsSchema> & { db?: Executor };

export function parseQueueName(queue: string): string {
  const r = QueueName.safeParse(queue);
  if (!r.success) throw validationError(issuesFromZod(r.error.issues, 'queue'));
  return r.data;
}

export function parseEnqueueOptions(opts: EnqueueOptions): ResolvedEnqueueOptions {
  const { db, ...rest } = opts;
  const r = EnqueueOptionsSchema.safeParse(rest);
  if (!r.success) throw validationError(issuesFromZod(r.error.issues));
  return { ...r.data, ...(db ? { db } : {}) };
}

export function parseConcurrency(opts: RegisterOptions): number {
  const r = z.number().int().min(1).max(100).default(JOB_DEFAULTS.concurrency).safeParse(opts.concurrency);
  if (!r.success) throw validationError(issuesFromZod(r.error.issues, 'concurrency'));
  return r.data;
}

// Doubling 50 times overflows any date; a week is already longer than any retry is worth waiting.
const MAX_RETRY_DELAY_MS = 7 * 86_400_000;

/** Delay before the next try after `attempts` failed attempts. */
export const retryDelayMs = (backoffMs: number, attempts: number): number =>
  Math.min(backoffMs * 2 ** (attempts - 1), MAX_RETRY_DELAY_MS);

export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Resolves true when `work` settles within `ms`, false otherwise; the timer never outlives the call. */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
