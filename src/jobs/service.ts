import type { Logger } from 'pino';
import type { Store } from '../store/db.ts';
import type { Clock } from '../shared/clock.ts';
import type { JobQueue } from './model.ts';
import { PgBossQueue } from './pgboss.ts';
import { SqliteJobRunner } from './sqlite-runner.ts';

/** Jobs live where the data lives: pg-boss on PostgreSQL (scaled), the embedded runner on SQLite. */
export function createJobQueue(store: Store, clock: Clock, log: Logger): JobQueue {
  return store.dialect === 'postgres' ? new PgBossQueue(store, log) : new SqliteJobRunner(store, clock, log);
}
