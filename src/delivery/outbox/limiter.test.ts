import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, freshStore } from '../../../test/helpers/stores.ts';
import { ManualClock } from '../../shared/clock.ts';
import type { Store } from '../../store/db.ts';
import { rateLimitOf, TokenBuckets } from './limiter.ts';

describe.each(DIALECTS)('token buckets on %s', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore(dialect);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('hold one budget across processes: tokens taken by one are gone for the other', async () => {
    const clock = new ManualClock('2026-03-01T12:00:00Z');
    // Two bucket clients over one database: two worker processes.
    const a = new TokenBuckets(store, clock);
    const b = new TokenBuckets(store, clock);
    const limit = rateLimitOf(5);
    expect(await a.take('provider:x', 3, limit)).toBe(3);
    expect(await b.take('provider:x', 3, limit)).toBe(2);
    expect(await a.take('provider:x', 1, limit)).toBe(0);
    expect(await b.waitMs('provider:x', limit)).toBe(200);

    clock.advance(400);
    expect(await Promise.all([a.take('provider:x', 5, limit), b.take('provider:x', 5, limit)]).then(([x, y]) => x + y)).toBe(2);
    // Unused tokens go back, never above the burst.
    await a.refund('provider:x', 10, limit);
    expect(await b.take('provider:x', 10, limit)).toBe(5);
    // Other accounts have buckets of their own.
    expect(await a.take('provider:y', 10, limit)).toBe(5);
  });

  it('refill at the rate up to the burst, whatever the gap', async () => {
    const clock = new ManualClock('2026-03-01T12:00:00Z');
    const buckets = new TokenBuckets(store, clock);
    const limit = rateLimitOf(2);
    expect(await buckets.take('provider:z', 10, limit)).toBe(2);
    clock.advance(1000);
    expect(await buckets.take('provider:z', 10, limit)).toBe(2);
    clock.advance(3_600_000);
    expect(await buckets.take('provider:z', 10, limit)).toBe(2);
  });
});
