import type { Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

/**
 * Embedded mode answers an open or a click once the hit is in the tracking inbox, append-only
 * files beside the database (src/tracking/inbox.ts); a thread then writes the events. How far it
 * got is kept here, in the same transaction as the events it wrote, so a restart replays exactly
 * the hits that were not written yet: one row per inbox (its generation), the place after the last hit written.
 * PostgreSQL has no inbox and leaves the table empty.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('tracking_inbox')
    .addColumn('generation', 'text', (c) => c.primaryKey())
    .addColumn('folded', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
