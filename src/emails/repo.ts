import { sql, type Insertable, type Selectable, type SqlBool, type Updateable } from 'kysely';
import type { Dialect, Executor } from '../store/db.ts';
import type { EmailsTable, EmailVersionsTable } from '../store/schema.ts';

/**
 * Every emails query. Queries only; the rules live in service.ts. Each query that reaches an email
 * by id also filters by brand: brand isolation is enforced here. Versions are reached through
 * their email, which the service has already found within the brand.
 */

export type EmailRow = Selectable<EmailsTable>;
export type EmailSummaryRow = Omit<EmailRow, 'document' | 'source'>;
export type EmailVersionRow = Selectable<EmailVersionsTable>;
export type VersionSummaryRow = Omit<EmailVersionRow, 'document' | 'source'>;

/** Lists leave the bodies out: a page of 50 emails must not read 50 documents or 5 MB sources. */
const SUMMARY_COLUMNS = [
  'id',
  'brand_id',
  'name',
  'subject',
  'preheader',
  'from_name',
  'from_email',
  'reply_to',
  'category',
  'language',
  'format',
  'version',
  'last_preflight',
  'created_by',
  'created_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof EmailSummaryRow>;

const VERSION_SUMMARY_COLUMNS = ['email_id', 'version', 'subject', 'preheader', 'format', 'note', 'created_by', 'created_at'] as const satisfies ReadonlyArray<keyof VersionSummaryRow>;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export const emailsRepo = {
  async list(db: Executor, dialect: Dialect, brandId: string, q: { search?: string; before?: string; limit: number }): Promise<EmailSummaryRow[]> {
    let query = db.selectFrom('emails').select(SUMMARY_COLUMNS).where('brand_id', '=', brandId);
    if (q.before) query = query.where('id', '<', q.before);
    if (q.search) {
      const pattern = `%${escapeLike(q.search)}%`;
      // SQLite's LIKE already ignores ASCII case; PostgreSQL needs ILIKE.
      const op = sql.raw(dialect === 'postgres' ? 'ilike' : 'like');
      query = query.where(sql<SqlBool>`(name ${op} ${pattern} escape '\\' or subject ${op} ${pattern} escape '\\')`);
    }
    return query.orderBy('id', 'desc').limit(q.limit).execute();
  },

  find(db: Executor, brandId: string, id: string): Promise<EmailRow | undefined> {
    return db.selectFrom('emails').selectAll().where('brand_id', '=', brandId).where('id', '=', id).executeTakeFirst();
  },

  /** Only for ids that came out of a signed token (tracking): they name their email on their own. */
  findById(db: Executor, id: string): Promise<EmailRow | undefined> {
    return db.selectFrom('emails').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async insert(db: Executor, row: Insertable<EmailsTable>): Promise<void> {
    await db.insertInto('emails').values(row).execute();
  },

  /**
   * Writes only if the email is still at `expectedVersion`, so two saves racing from the same
   * version cannot both make "the next" version. Returns the number of rows written (0 or 1).
   */
  async update(db: Executor, brandId: string, id: string, expectedVersion: number, patch: Updateable<EmailsTable>): Promise<number> {
    const r = await db.updateTable('emails').set(patch).where('brand_id', '=', brandId).where('id', '=', id).where('version', '=', expectedVersion).executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  async setLastPreflight(db: Executor, brandId: string, id: string, summary: string): Promise<number> {
    const r = await db.updateTable('emails').set({ last_preflight: summary }).where('brand_id', '=', brandId).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  /** Versions go with it (ON DELETE CASCADE). */
  async delete(db: Executor, brandId: string, id: string): Promise<number> {
    const r = await db.deleteFrom('emails').where('brand_id', '=', brandId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows);
  },

  async insertVersion(db: Executor, row: Insertable<EmailVersionsTable>): Promise<void> {
    await db.insertInto('email_versions').values(row).execute();
  },

  listVersions(db: Executor, emailId: string): Promise<VersionSummaryRow[]> {
    return db.selectFrom('email_versions').select(VERSION_SUMMARY_COLUMNS).where('email_id', '=', emailId).orderBy('version', 'desc').execute();
  },

  findVersion(db: Executor, emailId: string, version: number): Promise<EmailVersionRow | undefined> {
    return db.selectFrom('email_versions').selectAll().where('email_id', '=', emailId).where('version', '=', version).executeTakeFirst();
  },
};
