import type { Expression, Insertable, RawBuilder, Selectable, SelectQueryBuilder, SqlBool } from 'kysely';
import type { Executor } from '../../store/db.ts';
import type { DB, SegmentsTable } from '../../store/schema.ts';
import { fromJson, toJson } from '../../shared/json.ts';
import { EVERYONE, type FieldType, type Segment, type SegmentContact, type SegmentFilter } from './model.ts';

const toSegment = (r: Selectable<SegmentsTable>): Segment => ({
  id: r.id,
  name: r.name,
  description: r.description,
  filter: fromJson<SegmentFilter>(r.filter, EVERYONE),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

type SegmentRow = Omit<Insertable<SegmentsTable>, 'filter'> & { filter: SegmentFilter };

/** Every query names the brand: a segment id from another brand reads as "not found". */
export const segmentsRepo = {
  async insert(db: Executor, row: SegmentRow): Promise<void> {
    await db.insertInto('segments').values({ ...row, filter: toJson(row.filter) }).execute();
  },

  async update(db: Executor, brandId: string, id: string, patch: { name?: string; description?: string; filter?: SegmentFilter; updated_at: string }): Promise<void> {
    const { filter, ...rest } = patch;
    await db
      .updateTable('segments')
      .set({ ...rest, ...(filter ? { filter: toJson(filter) } : {}) })
      .where('brand_id', '=', brandId)
      .where('id', '=', id)
      .execute();
  },

  async delete(db: Executor, brandId: string, id: string): Promise<boolean> {
    const r = await db.deleteFrom('segments').where('brand_id', '=', brandId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },

  async get(db: Executor, brandId: string, id: string): Promise<Segment | undefined> {
    const r = await db.selectFrom('segments').selectAll().where('brand_id', '=', brandId).where('id', '=', id).executeTakeFirst();
    return r && toSegment(r);
  },

  async findByName(db: Executor, brandId: string, name: string): Promise<{ id: string } | undefined> {
    return db.selectFrom('segments').select('id').where('brand_id', '=', brandId).where('name', '=', name).executeTakeFirst();
  },

  /** Oldest first, after the cursor id; `limit` rows. */
  async list(db: Executor, brandId: string, opts: { limit: number; after?: string }): Promise<Segment[]> {
    let q = db.selectFrom('segments').selectAll().where('brand_id', '=', brandId);
    if (opts.after) q = q.where('id', '>', opts.after);
    return (await q.orderBy('id').limit(opts.limit).execute()).map(toSegment);
  },

  /** Types of those of `keys` that are custom fields of the brand. */
  async customFieldTypes(db: Executor, brandId: string, keys: string[]): Promise<Record<string, FieldType>> {
    if (keys.length === 0) return {};
    const rows = await db.selectFrom('custom_fields').select(['key', 'type']).where('brand_id', '=', brandId).where('key', 'in', keys).execute();
    return Object.fromEntries(rows.map((r) => [r.key, r.type]));
  },

  async existingTagIds(db: Executor, brandId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await db.selectFrom('tags').select('id').where('brand_id', '=', brandId).where('id', 'in', ids).execute();
    return new Set(rows.map((r) => r.id));
  },

  /** `where` comes from compileFilter: it names the table `contacts` and includes the brand. */
  contactIds(db: Executor, where: Expression<SqlBool>): SelectQueryBuilder<DB, 'contacts', { id: string }> {
    return db.selectFrom('contacts').select('contacts.id').where(where);
  },

  /** `query` is compileFilter's count: the set shape it picked is not expressible as a plain WHERE. */
  async count(db: Executor, query: RawBuilder<{ n: number }>): Promise<number> {
    const r = await query.execute(db);
    return Number(r.rows[0].n);
  },

  async preview(db: Executor, where: Expression<SqlBool>, limit: number): Promise<SegmentContact[]> {
    const rows = await db
      .selectFrom('contacts')
      .select(['id', 'email', 'first_name', 'last_name', 'status', 'country', 'created_at'])
      .where(where)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, email: r.email, firstName: r.first_name, lastName: r.last_name, status: r.status, country: r.country, createdAt: r.created_at }));
  },
};
