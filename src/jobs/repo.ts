import type { ExpressionBuilder, Insertable, Selectable, Transaction } from 'kysely';
import type { Executor } from '../store/db.ts';
import type { DB, JobsTable } from '../store/schema.ts';
import { fromJson } from '../shared/json.ts';
import type { JobInfo } from './model.ts';

/**
 * The queries of the embedded runner over the `jobs` table. A job is claimed by setting
 * `locked_by` and bumping `attempts`; every later write names that (worker, attempt) pair, so a
 * worker whose lease ran out and whose job was taken over cannot overwrite the new owner's result.
 */
export type JobRow = Selectable<JobsTable>;
export type NewJob = Insertable<JobsTable> & { id: string };

/** Runs `work` in the caller's transaction when there is one, else in a new one. */
export function inTransaction<T>(db: Executor, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<DB>) : db.transaction().execute(work);
}

export interface Claim {
  id: string;
  workerId: string;
  attempt: number;
}

export const LEASE_EXPIRED = 'lease expired: the worker stopped or crashed while running the job';

export function toJobInfo(r: JobRow): JobInfo {
  return {
    id: r.id,
    queue: r.queue,
    status: r.status,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    runAt: r.run_at,
    lastError: r.last_error,
  };
}

export const payloadOf = <P>(r: JobRow): P => fromJson<P>(r.payload, null as P);

/** Due: pending and its time has come, or running under a lease that ran out with attempts left. */
const isDue = (now: string) => (eb: ExpressionBuilder<DB, 'jobs'>) =>
  eb.or([
    eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', now)]),
    eb.and([eb('status', '=', 'running'), eb('locked_until', '<=', now), eb('attempts', '<', eb.ref('max_attempts'))]),
  ]);

const owned = (claim: Claim) => (eb: ExpressionBuilder<DB, 'jobs'>) =>
  eb.and([eb('id', '=', claim.id), eb('locked_by', '=', claim.workerId), eb('attempts', '=', claim.attempt), eb('status', '=', 'running')]);

export const jobsRepo = {
  /** Returns false when a pending or running job already holds the row's dedupe key. */
  async insert(db: Executor, row: NewJob): Promise<boolean> {
    const inserted = await db
      .insertInto('jobs')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  },

  async findActiveByDedupeKey(db: Executor, queue: string, dedupeKey: string): Promise<string | undefined> {
    const r = await db
      .selectFrom('jobs')
      .select('id')
      .where('queue', '=', queue)
      .where('dedupe_key', '=', dedupeKey)
      .where('status', 'in', ['pending', 'running'])
      .executeTakeFirst();
    return r?.id;
  },

  /**
   * Takes the oldest due job of the queue in one statement, so two claimers never get the same job.
   * The outer WHERE repeats the due test because on PostgreSQL a concurrent claimer may have taken
   * the row the subquery picked; re-checking makes that claim come back empty instead of double.
   */
  async claimNext(db: Executor, queue: string, workerId: string, now: string, leaseUntil: string): Promise<JobRow | undefined> {
    return db
      .updateTable('jobs')
      .set((eb) => ({ status: 'running', attempts: eb('attempts', '+', 1), locked_by: workerId, locked_until: leaseUntil }))
      .where('id', '=', (eb) =>
        eb.selectFrom('jobs').select('id').where('queue', '=', queue).where(isDue(now)).orderBy('run_at').orderBy('id').limit(1),
      )
      .where('queue', '=', queue)
      .where(isDue(now))
      .returningAll()
      .executeTakeFirst();
  },

  async renewLease(db: Executor, claim: Claim, leaseUntil: string): Promise<void> {
    await db.updateTable('jobs').set({ locked_until: leaseUntil }).where(owned(claim)).execute();
  },

  async complete(db: Executor, claim: Claim, now: string): Promise<void> {
    await db
      .updateTable('jobs')
      .set({ status: 'done', finished_at: now, locked_by: null, locked_until: null, last_error: null })
      .where(owned(claim))
      .execute();
  },

  async retryAt(db: Executor, claim: Claim, runAt: string, error: string): Promise<void> {
    await db
      .updateTable('jobs')
      .set({ status: 'pending', run_at: runAt, locked_by: null, locked_until: null, last_error: error })
      .where(owned(claim))
      .execute();
  },

  async fail(db: Executor, claim: Claim, now: string, error: string): Promise<void> {
    await db
      .updateTable('jobs')
      .set({ status: 'failed', finished_at: now, locked_by: null, locked_until: null, last_error: error })
      .where(owned(claim))
      .execute();
  },

  /** A job whose last allowed attempt was cut short by a crash has nothing left to retry. */
  async failExpiredLastAttempts(db: Executor, queues: string[], now: string): Promise<void> {
    await db
      .updateTable('jobs')
      .set({ status: 'failed', finished_at: now, locked_by: null, locked_until: null, last_error: LEASE_EXPIRED })
      .where('queue', 'in', queues)
      .where('status', '=', 'running')
      .where('locked_until', '<=', now)
      .where('attempts', '>=', (eb) => eb.ref('max_attempts'))
      .execute();
  },

  async get(db: Executor, id: string): Promise<JobRow | undefined> {
    return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  },
};
