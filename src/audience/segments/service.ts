import type { SelectQueryBuilder } from 'kysely';
import type { Store } from '../../store/db.ts';
import type { DB } from '../../store/schema.ts';
import type { Clock } from '../../shared/clock.ts';
import { newId } from '../../shared/ids.ts';
import { conflict, invalid, notFound } from '../../shared/errors.ts';
import type { Page } from '../../http/pagination.ts';
import type { Actor } from '../../brands/model.ts';
import { parseInput, type BrandsService } from '../../brands/service.ts';
import { compileFilter, referencesOf, type CompiledFilter } from './compiler.ts';
import { segmentsRepo as repo } from './repo.ts';
import { PREVIEW_MAX, SegmentFilterSchema, SegmentInput, SegmentPatch, type Segment, type SegmentContact, type SegmentFilter } from './model.ts';

/**
 * Saved filters and the live questions asked of them: how many contacts match, which ones. A
 * segment stores its filter, never its members, so it is always current. Filters are checked
 * against the brand's tags and custom fields when saved and again each time they are used: a tag
 * deleted since makes the segment fail loudly instead of silently selecting someone else.
 */
export class SegmentsService {
  constructor(
    private store: Store,
    private clock: Clock,
    private brands: Pick<BrandsService, 'audit'>,
  ) {}

  private get db() {
    return this.store.db;
  }

  async create(brandId: string, input: unknown, actor: Actor): Promise<Segment> {
    const s = parseInput(SegmentInput, input);
    await this.compile(brandId, s.filter);
    const at = this.clock.now().toISOString();
    const id = newId('seg');
    await this.withUniqueName(brandId, s.name, () =>
      this.db.transaction().execute(async (trx) => {
        await repo.insert(trx, { id, brand_id: brandId, name: s.name, description: s.description ?? '', filter: s.filter, created_at: at, updated_at: at });
        await this.brands.audit(trx, { brandId, actor, action: 'segment.created', targetType: 'segment', targetId: id, details: { name: s.name } });
      }),
    );
    return this.get(brandId, id);
  }

  async update(brandId: string, id: string, input: unknown, actor: Actor): Promise<Segment> {
    const current = await this.get(brandId, id);
    const patch = parseInput(SegmentPatch, input);
    if (patch.filter) await this.compile(brandId, patch.filter);
    const write = () =>
      this.db.transaction().execute(async (trx) => {
        await repo.update(trx, brandId, id, { ...patch, updated_at: this.clock.now().toISOString() });
        await this.brands.audit(trx, { brandId, actor, action: 'segment.updated', targetType: 'segment', targetId: id, details: { fields: Object.keys(patch) } });
      });
    await (patch.name !== undefined && patch.name !== current.name ? this.withUniqueName(brandId, patch.name, write) : write());
    return this.get(brandId, id);
  }

  async delete(brandId: string, id: string, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.delete(trx, brandId, id))) throw notFound('segment', id);
      await this.brands.audit(trx, { brandId, actor, action: 'segment.deleted', targetType: 'segment', targetId: id });
    });
  }

  async get(brandId: string, id: string): Promise<Segment> {
    const s = await repo.get(this.db, brandId, id);
    if (!s) throw notFound('segment', id);
    return s;
  }

  async list(brandId: string, page: { limit: number; cursor?: string }): Promise<Page<Segment>> {
    const rows = await repo.list(this.db, brandId, { limit: page.limit + 1, after: page.cursor });
    const data = rows.slice(0, page.limit);
    return { data, nextCursor: rows.length > page.limit ? data[data.length - 1].id : null };
  }

  /** How many contacts match a filter (saved or not; `filter` is validated, errors name `filter.…`). */
  async count(brandId: string, filter: unknown): Promise<number> {
    const compiled = await this.compile(brandId, parseInput(SegmentFilterSchema, filter, 'filter'));
    return repo.count(this.db, compiled.count);
  }

  /** The first `limit` matching contacts, in id (creation) order. */
  async preview(brandId: string, filter: unknown, limit = 20): Promise<SegmentContact[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > PREVIEW_MAX) throw invalid('limit', `must be a whole number from 1 to ${PREVIEW_MAX}`);
    const { where } = await this.compile(brandId, parseInput(SegmentFilterSchema, filter, 'filter'));
    return repo.preview(this.db, where, limit);
  }

  /**
   * `SELECT contacts.id FROM contacts WHERE <filter>` as a Kysely query, for callers that page
   * through recipients (campaign fan-out: add `where contacts.id > cursor`, order and limit) or
   * use it as a subquery. Relative dates are fixed at the time of this call.
   */
  async contactIdsQuery(brandId: string, filter: unknown): Promise<SelectQueryBuilder<DB, 'contacts', { id: string }>> {
    const { where } = await this.compile(brandId, parseInput(SegmentFilterSchema, filter, 'filter'));
    return repo.contactIds(this.db, where);
  }

  private async compile(brandId: string, filter: SegmentFilter): Promise<CompiledFilter> {
    const refs = referencesOf(filter);
    const [customFields, tagIds] = await Promise.all([repo.customFieldTypes(this.db, brandId, refs.customKeys), repo.existingTagIds(this.db, brandId, refs.tagIds)]);
    return compileFilter(filter, { dialect: this.store.dialect, brandId, customFields, tagIds, now: this.clock.now() });
  }

  /** Runs `write` if no other segment of the brand has `name`; a concurrent twin loses on the unique index with the same conflict. */
  private async withUniqueName(brandId: string, name: string, write: () => Promise<void>): Promise<void> {
    const taken = () => conflict(`a segment named "${name}" already exists`, { field: 'name' });
    if (await repo.findByName(this.db, brandId, name)) throw taken();
    try {
      await write();
    } catch (err) {
      if (await repo.findByName(this.db, brandId, name)) throw taken();
      throw err;
    }
  }
}
