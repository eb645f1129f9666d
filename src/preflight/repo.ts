import type { Executor } from '../store/db.ts';
import type { PreflightReportsTable } from '../store/schema.ts';

/** Preflight report rows: one per email version, replaced when that version is checked again. */
export const preflightRepo = {
  async save(db: Executor, row: Omit<PreflightReportsTable, 'report'> & { report: string }): Promise<void> {
    const { email_id: _e, version: _v, ...update } = row;
    await db
      .insertInto('preflight_reports')
      .values(row)
      .onConflict((oc) => oc.columns(['email_id', 'version']).doUpdateSet(update))
      .execute();
  },

  /** The newest report of an email (highest version, then latest run). */
  async latest(db: Executor, brandId: string, emailId: string): Promise<{ report: unknown } | undefined> {
    return db
      .selectFrom('preflight_reports')
      .select('report')
      .where('brand_id', '=', brandId)
      .where('email_id', '=', emailId)
      .orderBy('version', 'desc')
      .orderBy('ran_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  },
};
