import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Executor, Store } from '../store/db.ts';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { toJson } from '../shared/json.ts';
import {
  errorMessage,
  settleWithin,
  parseConcurrency,
  parseEnqueueOptions,
  parseQueueName,
  retryDelayMs,
  type EnqueueOptions,
  type JobHandler,
  type JobInfo,
  type JobQueue,
  type RegisterOptions,
} from './model.ts';
import { inTransaction, jobsRepo, payloadOf, toJobInfo, type Claim, type JobRow, type NewJob } from './repo.ts';

export interface SqliteRunnerOptions {
  /** How often idle workers look for due jobs; an enqueue in this process wakes them at once. */
  pollMs?: number;
  /** A claimed job belongs to its worker this long; renewed while the handler runs, so it only bounds crash recovery. */
  leaseMs?: number;
  /** stop() waits this long for running handlers. */
  stopTimeoutMs?: number;
}

interface Registration {
  queue: string;
  handler: JobHandler<unknown>;
  concurrency: number;
  running: number;
}

type Outcome = { ok: true } | { ok: false; error: unknown };

/**
 * The embedded job runner: jobs live in the `jobs` table of the app's own database, so they
 * survive restarts with no extra service. Times come from the injected clock (tests move it).
 */
export class SqliteJobRunner implements JobQueue {
  private readonly registrations = new Map<string, Registration>();
  private readonly running = new Set<Promise<void>>();
  private readonly heartbeats = new Set<NodeJS.Timeout>();
  // Names the process in `locked_by`, so a stuck row says which machine and pid held it.
  private readonly workerId = `${os.hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly stopTimeoutMs: number;
  private started = false;
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | null = null;
  private pollAgain = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
    opts: SqliteRunnerOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 200;
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.stopTimeoutMs = opts.stopTimeoutMs ?? 10_000;
  }

  register<P>(queue: string, handler: JobHandler<P>, opts: RegisterOptions = {}): void {
    const name = parseQueueName(queue);
    if (this.started) throw new Error(`jobs: register "${name}" before the workers start`);
    if (this.registrations.has(name)) throw new Error(`jobs: queue "${name}" already has a handler`);
    this.registrations.set(name, { queue: name, handler: handler as JobHandler<unknown>, concurrency: parseConcurrency(opts), running: 0 });
  }

  async enqueue<P>(queue: string, payload: P, opts: EnqueueOptions = {}): Promise<string> {
    const name = parseQueueName(queue);
    const o = parseEnqueueOptions(opts);
    const now = this.clock.now().toISOString();
    const row: NewJob = {
      id: newId('job'),
      queue: name,
      payload: toJson(payload),
      status: 'pending',
      run_at: o.runAt?.toISOString() ?? now,
      attempts: 0,
      max_attempts: o.maxAttempts,
      backoff_ms: o.backoffMs,
      dedupe_key: o.dedupeKey ?? null,
      created_at: now,
    };
    const db = o.db ?? this.store.db;
    const dedupeKey = o.dedupeKey;
    const id = dedupeKey
      ? // In one transaction the holder of the key cannot finish between the insert and the lookup.
        await inTransaction(db, (trx) => this.insertOrFindHolder(trx, row, dedupeKey))
      : await this.insert(db, row);
    this.wake();
    return id;
  }

  private async insert(db: Executor, row: NewJob): Promise<string> {
    await jobsRepo.insert(db, row);
    return row.id;
  }

  private async insertOrFindHolder(db: Executor, row: NewJob, dedupeKey: string): Promise<string> {
    if (await jobsRepo.insert(db, row)) return row.id;
    const holder = await jobsRepo.findActiveByDedupeKey(db, row.queue, dedupeKey);
    if (!holder) throw new Error(`jobs: could not insert job ${row.id} into "${row.queue}"`);
    return holder;
  }

  async get(id: string): Promise<JobInfo | null> {
    const row = await jobsRepo.get(this.store.db, id);
    return row ? toJobInfo(row) : null;
  }

  async start(): Promise<void> {
    if (this.started || this.stopping) return;
    this.started = true;
    this.wake();
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.timer);
    await this.polling;
    const finished = await settleWithin(Promise.allSettled(this.running), this.stopTimeoutMs);
    // Handlers still running keep their rows 'running'; without heartbeats the lease runs out and
    // the next process takes the jobs over, exactly as after a crash.
    for (const beat of this.heartbeats) clearInterval(beat);
    if (!finished) this.log.warn({ running: this.running.size }, 'jobs: stopped with handlers still running; they will be retried after their lease');
  }

  private wake(): void {
    if (!this.started || this.stopping) return;
    if (this.polling) this.pollAgain = true;
    else this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.poll(), delayMs);
  }

  private poll(): void {
    this.polling = this.pollUntilIdle().finally(() => {
      this.polling = null;
      this.schedule(this.pollMs);
    });
  }

  private async pollUntilIdle(): Promise<void> {
    do {
      this.pollAgain = false;
      try {
        await this.claimDueJobs();
      } catch (err) {
        this.log.error({ err }, 'jobs: polling failed');
      }
    } while (this.pollAgain && !this.stopping);
  }

  private async claimDueJobs(): Promise<void> {
    if (this.registrations.size === 0) return;
    await jobsRepo.failExpiredLastAttempts(this.store.db, [...this.registrations.keys()], this.clock.now().toISOString());
    for (const reg of this.registrations.values()) {
      while (!this.stopping && reg.running < reg.concurrency) {
        const now = this.clock.now();
        const row = await jobsRepo.claimNext(this.store.db, reg.queue, this.workerId, now.toISOString(), this.leaseEnd(now));
        if (!row) break;
        this.run(reg, row);
      }
    }
  }

  private leaseEnd(from: Date): string {
    return new Date(from.getTime() + this.leaseMs).toISOString();
  }

  private run(reg: Registration, row: JobRow): void {
    const claim: Claim = { id: row.id, workerId: this.workerId, attempt: row.attempts };
    const heartbeat = setInterval(() => {
      jobsRepo.renewLease(this.store.db, claim, this.leaseEnd(this.clock.now())).catch((err) => this.log.warn({ err, jobId: row.id }, 'jobs: lease renewal failed'));
    }, this.leaseMs / 3);
    this.heartbeats.add(heartbeat);
    reg.running++;
    const done: Promise<void> = this.execute(reg, row, claim).finally(() => {
      clearInterval(heartbeat);
      this.heartbeats.delete(heartbeat);
      reg.running--;
      this.running.delete(done);
      this.wake();
    });
    this.running.add(done);
  }

  private async execute(reg: Registration, row: JobRow, claim: Claim): Promise<void> {
    const job = { id: row.id, queue: row.queue, payload: payloadOf(row), attempt: claim.attempt, maxAttempts: row.max_attempts };
    this.log.debug({ jobId: job.id, queue: job.queue, attempt: job.attempt }, 'jobs: started');
    const outcome: Outcome = await Promise.resolve()
      .then(() => reg.handler(job))
      .then(
        () => ({ ok: true as const }),
        (error: unknown) => ({ ok: false as const, error }),
      );
    try {
      await this.record(row, claim, outcome);
    } catch (err) {
      this.log.error({ err, jobId: row.id }, 'jobs: could not record the outcome; the job runs again after its lease');
    }
  }

  private async record(row: JobRow, claim: Claim, outcome: Outcome): Promise<void> {
    const now = this.clock.now();
    if (outcome.ok) {
      await jobsRepo.complete(this.store.db, claim, now.toISOString());
      return;
    }
    const error = errorMessage(outcome.error);
    const context = { err: outcome.error, jobId: row.id, queue: row.queue, attempt: claim.attempt, maxAttempts: row.max_attempts };
    if (claim.attempt >= row.max_attempts) {
      await jobsRepo.fail(this.store.db, claim, now.toISOString(), error);
      this.log.error(context, 'jobs: failed for good');
      return;
    }
    const runAt = new Date(now.getTime() + retryDelayMs(row.backoff_ms, claim.attempt));
    await jobsRepo.retryAt(this.store.db, claim, runAt.toISOString(), error);
    this.log.warn({ ...context, retryAt: runAt.toISOString() }, 'jobs: attempt failed; will retry');
  }
}
