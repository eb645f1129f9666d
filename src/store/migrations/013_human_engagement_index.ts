import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

/**
 * Engagement conditions of segments ("opened in the last 30 days") count people, so they read
 * only events with machine = 0 (migration 010's flag for Apple's proxy opens and scanner clicks).
 * The brand/type/time index did not hold that flag: every matching entry cost a read of its row
 * to check it, most of a 5,000,000-event count. The index now holds human events only (the
 * compiler states machine = 0 in every engagement condition; only opens and clicks are ever
 * machine), which also keeps machine events out of it: one index as before, no new write cost.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.dropIndex('events_brand_type_time_idx').execute();
  await sql`create index events_human_idx on events (brand_id, type, occurred_at, contact_id) where machine = 0`.execute(db);
}
