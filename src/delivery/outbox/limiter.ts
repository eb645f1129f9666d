import { sql, type RawBuilder } from 'kysely';
import type { Store } from '../../store/db.ts';
import type { Clock } from '../../shared/clock.ts';

/** Messages per second, and how many may go at once after a quiet spell. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

export const rateLimitOf = (perSecond: number): RateLimit => ({ perSecond, burst: Math.max(1, Math.ceil(perSecond)) });

/** Refill arithmetic is floating point: a second's refill at 2/s may come out as 1.9999999 tokens. */
const EPSILON = 1e-6;

/** Give up on a contended bucket after this many lost races; the caller simply tries again next tick. */
const MAX_RACES = 3;

/**
 * Token buckets in the `rate_limits` table, shared by every worker process. A bucket refills at
 * `perSecond` up to `burst`; taking tokens is ONE conditional UPDATE that refills and spends in the
 * same statement, so two processes can never both spend the same token: the loser's condition
 * fails and it re-reads. Time is the caller's clock, passed in, so tests can move it.
 */
export class TokenBuckets {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Takes up to `want` tokens; returns how many it got (0 when the bucket is empty). */
  async take(key: string, want: number, limit: RateLimit): Promise<number> {
    if (want <= 0) return 0;
    const now = this.clock.now().toISOString();
    await this.ensure(key, limit, now);
    for (let race = 0; race < MAX_RACES; race++) {
      const available = Math.floor((await this.available(key, limit, now)) + EPSILON);
      const n = Math.min(want, available);
      if (n <= 0) return 0;
      if (await this.spend(key, n, limit, now)) return n;
    }
    return 0;
  }

  /** Puts back tokens taken but not used (fewer messages were due than the limit allowed). */
  async refund(key: string, n: number, limit: RateLimit): Promise<void> {
    if (n <= 0) return;
    const capped = this.store.dialect === 'postgres' ? sql`least(${limit.burst}, tokens + ${n})` : sql`min(${limit.burst}, tokens + ${n})`;
    await sql`update rate_limits set tokens = ${capped} where key = ${key}`.execute(this.store.db);
  }

  /** How long until one token is there (0 when one is there now). */
  async waitMs(key: string, limit: RateLimit): Promise<number> {
    const available = await this.available(key, limit, this.clock.now().toISOString());
    return available >= 1 ? 0 : Math.ceil(((1 - available) / limit.perSecond) * 1000);
  }

  private async ensure(key: string, limit: RateLimit, now: string): Promise<void> {
    await this.store.db
      .insertInto('rate_limits')
      .values({ key, tokens: limit.burst, updated_at: now })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  }

  private async available(key: string, limit: RateLimit, now: string): Promise<number> {
    const r = await sql<{ n: number }>`select ${this.refilled(limit, now)} as n from rate_limits where key = ${key}`.execute(this.store.db);
    return Number(r.rows[0]?.n ?? 0);
  }

  private async spend(key: string, n: number, limit: RateLimit, now: string): Promise<boolean> {
    const refilled = this.refilled(limit, now);
    // A process whose clock lags must not move the bucket's time backwards (and refill it twice).
    const later = this.store.dialect === 'postgres' ? sql`greatest(updated_at, ${now}::timestamptz)` : sql`max(updated_at, ${now})`;
    const r = await sql`update rate_limits set tokens = ${refilled} - ${n}, updated_at = ${later} where key = ${key} and ${refilled} + ${EPSILON} >= ${n}`.execute(this.store.db);
    return Number(r.numAffectedRows ?? 0) > 0;
  }

  /** The bucket's tokens at `now`: what it held plus the refill since, capped at the burst. */
  private refilled(limit: RateLimit, now: string): RawBuilder<number> {
    if (this.store.dialect === 'postgres') {
      const seconds = sql`greatest(0, extract(epoch from (${now}::timestamptz - updated_at)))`;
      return sql<number>`least(${limit.burst}::float8, tokens + ${seconds} * ${limit.perSecond}::float8)`;
    }
    const seconds = sql`max(0, unixepoch(${now}, 'subsec') - unixepoch(updated_at, 'subsec'))`;
    return sql<number>`min(${limit.burst}, tokens + ${seconds} * ${limit.perSecond})`;
  }
}
