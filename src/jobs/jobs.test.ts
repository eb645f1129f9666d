import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import PgBoss from 'pg-boss';
import pino from 'pino';
import { loadConfig } from '../app/config.ts';
import { createContext } from '../app/context.ts';
import { ManualClock, systemClock, type Clock } from '../shared/clock.ts';
import { openPostgres, openSqlite, type Store } from '../store/db.ts';
import { createPgDatabase, DIALECTS, freshStore } from '../../test/helpers/stores.ts';
import { retryDelayMs, type JobQueue } from './model.ts';
import { PgBossQueue } from './pgboss.ts';
import { jobsRepo } from './repo.ts';
import { SqliteJobRunner } from './sqlite-runner.ts';

const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const eventually = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 15_000, interval: 20 });

interface Instance {
  queue: JobQueue;
  store: Store;
  close(): Promise<void>;
}

/** One implementation on one database, as seen by the contract below. */
interface Harness {
  clock: Clock;
  /** How long a crashed worker's job stays claimed. */
  leaseMs: number;
  /** A store and queue on the harness database; opening again after close() is a process restart. */
  open(): Promise<Instance>;
  /** Lets `ms` of job time pass, then gives the workers time to look (advance(0) only does the latter). */
  advance(ms: number): Promise<void>;
  /** Another process claims the next due job of `queue` and dies holding it; returns the job id. */
  abandonClaim(queue: string): Promise<string>;
  closeAll(): Promise<void>;
}

function tracked(open: () => Promise<Instance>) {
  const live = new Set<Instance>();
  return {
    async open() {
      const instance = await open();
      const close = async () => {
        live.delete(instance);
        await instance.close();
      };
      const wrapped = { ...instance, close };
      live.add(wrapped);
      return wrapped;
    },
    async closeAll() {
      for (const instance of [...live]) await instance.close();
    },
  };
}

const closing = (queue: JobQueue, store: Store) => async () => {
  await queue.stop();
  await store.close();
};

async function sqliteHarness(): Promise<Harness> {
  const migrated = await freshStore('sqlite');
  const file = migrated.url;
  await migrated.close();
  const clock = new ManualClock(new Date());
  const pollMs = 20;
  const leaseMs = 30_000;
  const instances = tracked(async () => {
    const store = openSqlite(file);
    const queue = new SqliteJobRunner(store, clock, silent, { pollMs, leaseMs, stopTimeoutMs: 2_000 });
    return { queue, store, close: closing(queue, store) };
  });
  return {
    clock,
    leaseMs,
    ...instances,
    async advance(ms) {
      clock.advance(ms);
      await sleep(pollMs * 5);
    },
    async abandonClaim(queue) {
      const store = openSqlite(file);
      const now = clock.now();
      const row = await jobsRepo.claimNext(store.db, queue, 'crashed-worker', now.toISOString(), new Date(now.getTime() + leaseMs).toISOString());
      await store.close();
      if (!row) throw new Error(`nothing to claim in ${queue}`);
      return row.id;
    },
  };
}

async function pgBossHarness(): Promise<Harness> {
  const url = await createPgDatabase();
  // The smallest intervals pg-boss accepts: polling 0.5 s, maintenance and expiry 1 s.
  const expireInSeconds = 1;
  const instances = tracked(async () => {
    const store = openPostgres(url, 3);
    const queue = new PgBossQueue(store, silent, { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1, expireInSeconds, stopTimeoutMs: 2_000 });
    return { queue, store, close: closing(queue, store) };
  });
  return {
    clock: systemClock,
    leaseMs: expireInSeconds * 1000,
    ...instances,
    advance: (ms) => sleep(ms),
    async abandonClaim(queue) {
      const boss = new PgBoss({ connectionString: url, schedule: false, supervise: false, max: 1 });
      boss.on('error', () => {});
      await boss.start();
      const [job] = await boss.fetch(queue);
      // Only workers' jobs are failed on stop; a fetched job stays active, as if the process died.
      await boss.stop({ graceful: false, close: true });
      if (!job) throw new Error(`nothing to claim in ${queue}`);
      return job.id;
    },
  };
}

const implementations: Array<[string, () => Promise<Harness>]> = [
  ['embedded runner on SQLite', sqliteHarness],
  ['pg-boss on PostgreSQL', pgBossHarness],
];

describe.each(implementations)('JobQueue contract: %s', (_name, makeHarness) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness();
  });
  afterEach(async () => {
    await h.closeAll();
  });

  const statusOf = async (q: JobQueue, id: string) => (await q.get(id))?.status;

  it('runs an enqueued job with its payload', async () => {
    const { queue: q } = await h.open();
    const seen: unknown[] = [];
    q.register<{ name: string }>('greet', async (job) => {
      seen.push({ payload: job.payload, attempt: job.attempt, maxAttempts: job.maxAttempts, queue: job.queue });
    });
    await q.start();
    const id = await q.enqueue('greet', { name: 'Ada' }, { maxAttempts: 3 });
    await eventually(async () => expect(await statusOf(q, id)).toBe('done'));
    expect(seen).toEqual([{ payload: { name: 'Ada' }, attempt: 1, maxAttempts: 3, queue: 'greet' }]);
    expect(await q.get(id)).toMatchObject({ id, queue: 'greet', status: 'done', attempts: 1, maxAttempts: 3, lastError: null });
    expect(await q.get('job_does_not_exist')).toBeNull();
  });

  it('does not run a job before its run time', async () => {
    const { queue: q } = await h.open();
    const ranAt: Date[] = [];
    q.register('later', async () => {
      ranAt.push(h.clock.now());
    });
    await q.start();
    const runAt = new Date(h.clock.now().getTime() + 2_000);
    const id = await q.enqueue('later', {}, { runAt });
    await h.advance(1_000);
    expect(ranAt).toEqual([]);
    expect(await q.get(id)).toMatchObject({ status: 'pending', attempts: 0, runAt: runAt.toISOString() });
    await h.advance(1_000);
    await eventually(async () => expect(await statusOf(q, id)).toBe('done'));
    expect(ranAt[0]!.getTime()).toBeGreaterThanOrEqual(runAt.getTime());
  });

  it('retries a failing job with exponential backoff, then succeeds', async () => {
    const { queue: q } = await h.open();
    const attempts: Array<{ attempt: number; at: number }> = [];
    q.register('flaky', async (job) => {
      attempts.push({ attempt: job.attempt, at: h.clock.now().getTime() });
      if (job.attempt < 3) throw new Error(`boom ${job.attempt}`);
    });
    await q.start();
    const backoffMs = 1_000;
    const id = await q.enqueue('flaky', {}, { maxAttempts: 3, backoffMs });
    for (const failed of [1, 2]) {
      // After attempt n fails the job waits backoffMs * 2^(n-1) before attempt n+1.
      const wait = backoffMs * 2 ** (failed - 1);
      await eventually(async () => expect(await q.get(id)).toMatchObject({ status: 'pending', attempts: failed }));
      const info = (await q.get(id))!;
      expect(info.lastError).toBe(`boom ${failed}`);
      expect(Date.parse(info.runAt) - attempts[failed - 1]!.at).toBeGreaterThanOrEqual(wait);
      expect(attempts).toHaveLength(failed);
      await h.advance(wait);
    }
    await eventually(async () => expect(await statusOf(q, id)).toBe('done'));
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(backoffMs);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(2 * backoffMs);
    expect(await q.get(id)).toMatchObject({ status: 'done', attempts: 3, lastError: null });
  });

  it('marks a job failed with the last error once its attempts are used up', async () => {
    const { queue: q } = await h.open();
    let calls = 0;
    q.register('doomed', async (job) => {
      calls++;
      throw new Error(`attempt ${job.attempt} broke`);
    });
    await q.start();
    const id = await q.enqueue('doomed', {}, { maxAttempts: 2, backoffMs: 0 });
    await eventually(async () => expect(await statusOf(q, id)).toBe('failed'));
    expect(await q.get(id)).toMatchObject({ status: 'failed', attempts: 2, maxAttempts: 2, lastError: 'attempt 2 broke' });
    expect(calls).toBe(2);
  });

  it('keeps one pending or running job per dedupe key', async () => {
    const { queue: q } = await h.open();
    const ran: unknown[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    q.register<{ n: number }>('dedupe', async (job) => {
      ran.push(job.payload.n);
      if (job.payload.n === 1) await gate;
    });
    const concurrent = await Promise.all([1, 1, 1, 1].map((n) => q.enqueue('dedupe', { n }, { dedupeKey: 'k' })));
    const first = concurrent[0]!;
    expect(new Set(concurrent)).toEqual(new Set([first]));
    expect(await q.enqueue('dedupe', { n: 2 }, { dedupeKey: 'k' })).toBe(first);
    const other = await q.enqueue('dedupe', { n: 3 }, { dedupeKey: 'other' });
    expect(other).not.toBe(first);
    await q.start();
    await eventually(async () => expect(await statusOf(q, first)).toBe('running'));
    expect(await q.enqueue('dedupe', { n: 2 }, { dedupeKey: 'k' })).toBe(first);
    release();
    await eventually(async () => expect(await statusOf(q, other)).toBe('done'));
    expect(await statusOf(q, first)).toBe('done');
    // Once the holder is done the key is free again.
    const again = await q.enqueue('dedupe', { n: 4 }, { dedupeKey: 'k' });
    expect(again).not.toBe(first);
    await eventually(async () => expect(await statusOf(q, again)).toBe('done'));
    expect(ran).toEqual([1, 3, 4]);
  });

  it('runs up to `concurrency` jobs of a queue at once', async () => {
    const { queue: q } = await h.open();
    let inFlight = 0;
    let peak = 0;
    let release!: () => void;
    const bothStarted = new Promise<void>((resolve) => (release = resolve));
    q.register(
      'parallel',
      async () => {
        peak = Math.max(peak, ++inFlight);
        if (inFlight === 2) release();
        // With one job at a time the second never starts and this waits until the test times out.
        await bothStarted;
        inFlight--;
      },
      { concurrency: 2 },
    );
    await q.start();
    const ids = await Promise.all([q.enqueue('parallel', {}), q.enqueue('parallel', {}), q.enqueue('parallel', {})]);
    await eventually(async () => expect(await Promise.all(ids.map((id) => statusOf(q, id)))).toEqual(['done', 'done', 'done']));
    expect(peak).toBe(2);
  });

  it("enqueues inside the caller's transaction: nothing is left when it rolls back", async () => {
    const { queue: q, store } = await h.open();
    let rolledBack = '';
    await expect(
      store.db.transaction().execute(async (trx) => {
        rolledBack = await q.enqueue('txn', { n: 1 }, { db: trx, dedupeKey: 'k' });
        throw new Error('the caller changed its mind');
      }),
    ).rejects.toThrow('the caller changed its mind');
    expect(await q.get(rolledBack)).toBeNull();
    const committed = await store.db.transaction().execute((trx) => q.enqueue('txn', { n: 2 }, { db: trx, dedupeKey: 'k' }));
    expect(committed).not.toBe(rolledBack);
    expect(await q.get(committed)).toMatchObject({ status: 'pending', queue: 'txn' });
  });

  it('runs a job enqueued before a restart in the next process', async () => {
    const before = await h.open();
    const id = await before.queue.enqueue('durable', { invoice: 42 });
    await before.close();

    const after = await h.open();
    const seen: unknown[] = [];
    after.queue.register('durable', async (job) => {
      seen.push(job.payload);
    });
    await after.queue.start();
    await eventually(async () => expect(await statusOf(after.queue, id)).toBe('done'));
    expect(seen).toEqual([{ invoice: 42 }]);
  });

  it("takes over a crashed worker's job after its lease, and fails it if that was the last attempt", async () => {
    const before = await h.open();
    const retriable = await before.queue.enqueue('crash', { n: 1 }, { maxAttempts: 2, backoffMs: 0 });
    const lastTry = await before.queue.enqueue('crash', { n: 2 }, { maxAttempts: 1, backoffMs: 0 });
    await before.close();
    expect(await h.abandonClaim('crash')).toBe(retriable);
    expect(await h.abandonClaim('crash')).toBe(lastTry);

    const after = await h.open();
    const runs: Array<{ n: number; attempt: number }> = [];
    after.queue.register<{ n: number }>('crash', async (job) => {
      runs.push({ n: job.payload.n, attempt: job.attempt });
    });
    await after.queue.start();
    await h.advance(0);
    expect(runs).toEqual([]);
    expect(await after.queue.get(retriable)).toMatchObject({ status: 'running', attempts: 1 });

    await h.advance(h.leaseMs);
    await eventually(async () => expect(await statusOf(after.queue, retriable)).toBe('done'));
    await eventually(async () => expect(await statusOf(after.queue, lastTry)).toBe('failed'));
    expect(runs).toEqual([{ n: 1, attempt: 2 }]);
    expect(await after.queue.get(retriable)).toMatchObject({ attempts: 2 });
    expect((await after.queue.get(lastTry))!.lastError).toBeTruthy();
  });

  it('rejects bad queue names and options, and late registrations', async () => {
    const { queue: q } = await h.open();
    await expect(q.enqueue('Not A Queue', {})).rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('queue') });
    await expect(q.enqueue('fine', {}, { maxAttempts: 0 })).rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('maxAttempts') });
    await q.start();
    expect(() => q.register('too.late', async () => {})).toThrow(/before the workers start/);
  });

  afterAll(async () => {
    await h?.closeAll();
  });
});

describe('retryDelayMs', () => {
  it('doubles the backoff per failed attempt, up to a week', () => {
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(1_000, attempts))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryDelayMs(86_400_000, 50)).toBe(7 * 86_400_000);
    expect(retryDelayMs(0, 5)).toBe(0);
  });
});

describe.each(DIALECTS)('jobs in the app context (%s)', (dialect) => {
  const reopen = (store: Store) => (store.dialect === 'sqlite' ? openSqlite(store.url) : openPostgres(store.url, 3));
  const config = loadConfig({ TIDINGS_DATA_DIR: `/tmp/tidings-test-data-${process.pid}` });

  it('`serve --no-workers` only enqueues; `tidings worker` runs the job', async () => {
    const store = await freshStore(dialect);
    const api = await createContext({ ...config, workers: false }, { store, log: silent, migrate: false });
    const worker = await createContext({ ...config, workers: true }, { store: reopen(store), log: silent, migrate: false });
    try {
      const seen: unknown[] = [];
      for (const ctx of [api, worker]) {
        ctx.jobs.register<{ to: string }>('test.echo', async (job) => {
          seen.push({ by: ctx === api ? 'api' : 'worker', payload: job.payload });
        });
      }
      expect(api.startWorkers).toBeUndefined();
      const id = await api.jobs.enqueue('test.echo', { to: 'ada@example.com' });
      await sleep(300);
      expect(seen).toEqual([]);

      await worker.startWorkers!();
      await eventually(async () => expect((await worker.jobs.get(id))?.status).toBe('done'));
      expect(seen).toEqual([{ by: 'worker', payload: { to: 'ada@example.com' } }]);
    } finally {
      await api.close();
      await worker.close();
    }
  });
});
