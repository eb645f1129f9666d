import type { Kysely } from 'kysely';
import type { Dialect } from '../db.ts';
import { types } from './001_initial.ts';

/**
 * Import runs keep a checkpoint: the last source row whose batch committed, and how many bytes of
 * results.csv belong to committed batches. A retried run resumes there instead of counting twice.
 * The preview (columns, samples, suggestions) is kept for the mapping screen.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = types(dialect);
  // SQLite adds one column per ALTER TABLE.
  await db.schema.alterTable('imports').addColumn('preview', t.json).execute();
  await db.schema.alterTable('imports').addColumn('checkpoint_row', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('imports').addColumn('results_bytes', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('imports_brand_idx').on('imports').columns(['brand_id', 'id']).execute();
}
