import PgBoss from 'pg-boss';
import pg from 'pg';
import { CompiledQuery, sql } from 'kysely';
import type { Logger } from 'pino';
import type { Executor, Store } from '../store/db.ts';
import { toJson } from '../shared/json.ts';
import {
  errorMessage,
  settleWithin,
  parseConcurrency,
  parseEnqueueOptions,
  parseQueueName,
  type EnqueueOptions,
  type JobHandler,
  type JobInfo,
  type JobQueue,
  type JobStatus,
  type RegisterOptions,
  type ResolvedEnqueueOptions,
} from './model.ts';
import { inTransaction } from './repo.ts';

export interface PgBossQueueOptions {
  /** How often idle workers fetch (pg-boss allows 0.5 s at least); an enqueue in this process wakes them at once. */
  pollingIntervalSeconds?: number;
  /** How often expired jobs (crashed workers) are found and sent to retry. */
  maintenanceIntervalSeconds?: number;
  /**
   * The longest a handler may run. pg-boss has no lease renewal, so this is also how long a
   * crashed worker's job waits before it is retried: long enough for a big import, short enough to recover.
   */
  expireInSeconds?: number;
  stopTimeoutMs?: number;
  poolSize?: number;
}

const SCHEMA = 'pgboss';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const STATUS: Record<string, JobStatus> = {
  created: 'pending',
  retry: 'pending',
  active: 'running',
  completed: 'done',
  failed: 'failed',
  cancelled: 'failed',
};

interface Registration {
  handler: JobHandler<unknown>;
  concurrency: number;
}

interface BossJobRow {
  id: string;
  name: string;
  state: string;
  retry_count: number;
  retry_limit: number;
  started_on: string | null;
  start_after: string;
  output: { message?: string; value?: unknown } | null;
}

/**
 * Scaled mode: jobs on pg-boss in the same PostgreSQL database, worked by any number of processes.
 * pg-boss gets its own small pool (its maintenance runs multi-statement transactions we keep away
 * from the app's connections); enqueues go through the app's Kysely executor so they can join the
 * caller's transaction.
 *
 * Differences from the embedded runner, all from pg-boss: backoff is counted in whole seconds
 * (at least 1 s when there is any) with up to 2x random jitter on each retry; times come from the
 * database clock, not the injected one.
 */
export class PgBossQueue implements JobQueue {
  private readonly boss: PgBoss;
  private readonly pool: pg.Pool;
  private readonly registrations = new Map<string, Registration>();
  private readonly workerIds = new Map<string, string[]>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<void>>();
  private readonly stopTimeoutMs: number;
  private opened: Promise<unknown> | null = null;
  private queries = 0;
  private started = false;
  private stopping = false;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    opts: PgBossQueueOptions = {},
  ) {
    this.stopTimeoutMs = opts.stopTimeoutMs ?? 10_000;
    this.pool = new pg.Pool({ connectionString: store.url, max: opts.poolSize ?? 4, application_name: 'tidings-jobs' });
    this.pool.on('error', (err) => log.warn({ err }, 'jobs: idle pg-boss connection lost'));
    this.boss = new PgBoss({
      db: { executeSql: (text, values) => this.execute(text, values) },
      schema: SCHEMA,
      schedule: false,
      pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2,
      maintenanceIntervalSeconds: opts.maintenanceIntervalSeconds ?? 120,
      expireInSeconds: opts.expireInSeconds ?? 3600,
    });
    this.boss.on('error', (err) => log.error({ err }, 'jobs: pg-boss error'));
  }

  /** Counted so stop() can wait for pg-boss's fire-and-forget completions before closing the pool. */
  private async execute(text: string, values?: unknown[]) {
    this.queries++;
    try {
      return await this.pool.query(text, values);
    } finally {
      this.queries--;
    }
  }

  register<P>(queue: string, handler: JobHandler<P>, opts: RegisterOptions = {}): void {
    const name = parseQueueName(queue);
    if (this.started) throw new Error(`jobs: register "${name}" before the workers start`);
    if (this.registrations.has(name)) throw new Error(`jobs: queue "${name}" already has a handler`);
    this.registrations.set(name, { handler: handler as JobHandler<unknown>, concurrency: parseConcurrency(opts) });
  }

  async enqueue<P>(queue: string, payload: P, opts: EnqueueOptions = {}): Promise<string> {
    const name = parseQueueName(queue);
    const o = parseEnqueueOptions(opts);
    await this.ensureQueue(name);
    const db = o.db ?? this.store.db;
    const dedupeKey = o.dedupeKey;
    const id = dedupeKey
      ? await inTransaction(db, async (trx) => (await this.holderOf(trx, name, dedupeKey)) ?? this.send(trx, name, payload, o))
      : await this.send(db, name, payload, o);
    if (!o.runAt || o.runAt.getTime() <= Date.now()) this.wakeWorkers(name);
    return id;
  }

  /**
   * pg-boss 10 only dedupes singleton keys through queue policies, and none of them means "one
   * waiting or running job per key" (stately allows one per state). So enqueuers with the same key
   * take turns on an advisory lock and look for a live holder before sending.
   */
  private async holderOf(trx: Executor, name: string, dedupeKey: string): Promise<string | undefined> {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`tidings.jobs:${name}:${dedupeKey}`}, 0))`.execute(trx);
    const held = await sql<{ id: string }>`
      select id from ${sql.table(`${SCHEMA}.job`)}
      where name = ${name} and singleton_key = ${dedupeKey} and state < 'completed'
      limit 1`.execute(trx);
    return held.rows[0]?.id;
  }

  private async send(db: Executor, name: string, payload: unknown, o: ResolvedEnqueueOptions): Promise<string> {
    const id = await this.boss.send(name, toJson(payload) as unknown as object, {
      db: { executeSql: (text, values) => db.executeQuery(CompiledQuery.raw(text, values ?? [])) },
      retryLimit: o.maxAttempts - 1,
      ...pgBossBackoff(o.backoffMs),
      ...(o.runAt ? { startAfter: o.runAt } : {}),
      ...(o.dedupeKey ? { singletonKey: o.dedupeKey } : {}),
    });
    if (!id) throw new Error(`jobs: pg-boss did not accept a job for queue "${name}"`);
    return id;
  }

  async get(id: string): Promise<JobInfo | null> {
    if (!UUID.test(id)) return null;
    await this.open();
    const columns = sql`id, name, state, retry_count, retry_limit, started_on, start_after, output`;
    const r = await sql<BossJobRow>`
      select ${columns} from ${sql.table(`${SCHEMA}.job`)} where id = ${id}
      union all
      select ${columns} from ${sql.table(`${SCHEMA}.archive`)} where id = ${id}
      limit 1`.execute(this.store.db);
    return r.rows[0] ? toJobInfo(r.rows[0]) : null;
  }

  async start(): Promise<void> {
    if (this.started || this.stopping) return;
    this.started = true;
    for (const [name, reg] of this.registrations) {
      await this.ensureQueue(name);
      const ids: string[] = [];
      // pg-boss 10 runs one job at a time per worker; concurrency is that many workers.
      for (let i = 0; i < reg.concurrency; i++) {
        ids.push(await this.boss.work(name, { includeMetadata: true, batchSize: 1 }, ([job]) => this.track(this.run(name, reg.handler, job!))));
      }
      this.workerIds.set(name, ids);
    }
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.opened) {
      await this.opened.catch(() => undefined);
      // Handlers still running after the timeout are failed by pg-boss and retried later.
      await this.boss.stop({ graceful: true, timeout: this.stopTimeoutMs, close: false });
      // A fetch already on the wire can still start a job, and pg-boss completes jobs without
      // awaiting; close the pool only when neither is left.
      await settleWithin(this.quiet(), this.stopTimeoutMs);
    }
    await this.pool.end();
  }

  private async quiet(): Promise<void> {
    do {
      await Promise.allSettled(this.running);
      await new Promise((resolve) => setTimeout(resolve, 20));
    } while (this.running.size > 0 || this.queries > 0);
  }

  private track(work: Promise<void>): Promise<void> {
    this.running.add(work);
    return work.finally(() => this.running.delete(work));
  }

  private async run(name: string, handler: JobHandler<unknown>, job: PgBoss.JobWithMetadata<unknown>): Promise<void> {
    const attempt = job.retryCount + 1;
    const maxAttempts = job.retryLimit + 1;
    try {
      await handler({ id: job.id, queue: name, payload: job.data, attempt, maxAttempts });
    } catch (err) {
      const context = { err, jobId: job.id, queue: name, attempt, maxAttempts };
      if (attempt >= maxAttempts) this.log.error(context, 'jobs: failed for good');
      else this.log.warn(context, 'jobs: attempt failed; will retry');
      // pg-boss records the error and schedules the retry.
      throw err instanceof Error ? err : new Error(errorMessage(err));
    }
  }

  private open(): Promise<unknown> {
    this.opened ??= this.boss.start();
    return this.opened;
  }

  /** pg-boss 10 drops jobs sent to a queue that was never created. */
  private ensureQueue(name: string): Promise<void> {
    let ready = this.queues.get(name);
    if (!ready) {
      ready = this.open().then(() => this.createQueue(name));
      ready.catch(() => this.queues.delete(name));
      this.queues.set(name, ready);
    }
    return ready;
  }

  private async createQueue(name: string): Promise<void> {
    if (await this.boss.getQueue(name)) return;
    try {
      await this.boss.createQueue(name);
    } catch (err) {
      // Another process created it at the same moment.
      if (!(await this.boss.getQueue(name))) throw err;
    }
  }

  private wakeWorkers(name: string): void {
    for (const id of this.workerIds.get(name) ?? []) this.boss.notifyWorker(id);
  }
}

/** pg-boss counts retry delays in whole seconds and forces at least 1 s once backoff is on. */
function pgBossBackoff(backoffMs: number): { retryDelay: number; retryBackoff: boolean } {
  return backoffMs === 0 ? { retryDelay: 0, retryBackoff: false } : { retryDelay: Math.ceil(backoffMs / 1000), retryBackoff: true };
}

function toJobInfo(r: BossJobRow): JobInfo {
  const status = STATUS[r.state] ?? 'failed';
  return {
    id: r.id,
    queue: r.name,
    status,
    // pg-boss bumps retry_count when it starts a job that started before, so runs = retries + 1.
    attempts: r.started_on === null ? 0 : r.retry_count + 1,
    maxAttempts: r.retry_limit + 1,
    runAt: r.start_after,
    lastError: status === 'done' ? null : failureMessage(r.output),
  };
}

/** pg-boss stores a thrown error as {name, message, stack} and its own failures as {value: ...}. */
function failureMessage(output: BossJobRow['output']): string | null {
  if (!output) return null;
  if (typeof output.message === 'string') return output.message;
  const value = output.value as { message?: unknown } | string | undefined;
  if (typeof value === 'string') return value;
  if (value && typeof value.message === 'string') return value.message;
  return null;
}
