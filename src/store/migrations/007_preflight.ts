import type { Kysely } from 'kysely';
import type { Dialect } from '../db.ts';
import { types } from './001_initial.ts';

/**
 * Preflight reports (S4.1): the latest report per email version. A re-run of the same version
 * replaces its row; older versions keep theirs, so a report can always say which content it judged.
 * The counts are columns (not only inside the JSON) so lists can show them without parsing reports.
 * Device preview images live in files under dataDir/previews, not in the database.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = types(dialect);
  await db.schema
    .createTable('preflight_reports')
    .addColumn('email_id', 'text', (c) => c.notNull().references('emails.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('brand_id', 'text', (c) => c.notNull().references('brands.id').onDelete('cascade'))
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('critical', 'integer', (c) => c.notNull())
    .addColumn('important', 'integer', (c) => c.notNull())
    .addColumn('suggested', 'integer', (c) => c.notNull())
    .addColumn('report', t.json, (c) => c.notNull())
    .addColumn('ran_at', t.time, (c) => c.notNull())
    .addPrimaryKeyConstraint('preflight_reports_pk', ['email_id', 'version'])
    .execute();
}
