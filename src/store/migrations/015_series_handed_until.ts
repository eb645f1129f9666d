import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';
import { types } from './001_initial.ts';

/**
 * The drip tick hands due steps to delivery as jobs of enrolment ids (src/series/drip.ts) and
 * remembers, per series, up to which due time it has handed them off: the next tick looks only at
 * enrolments due after that. Every write of a `next_due_at` keeps it after this mark, so nothing
 * due can fall behind it unseen; null means "look at everything due" (a new series, or after an
 * edit or a resume).
 *
 * A batch is a range of the (next_due_at, id) order, so the due index gains `id`: many enrolments
 * share a due time (everyone of a zone and day at the send hour), and without it each batch of a
 * large group would read the whole group.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('series').addColumn('handed_until', types(dialect).time).execute();
  await db.schema.dropIndex('enrolments_due_idx').execute();
  await db.schema.createIndex('enrolments_due_idx').on('enrolments').columns(['series_id', 'next_due_at', 'id']).where(sql.ref('status'), '=', 'active').execute();
}
