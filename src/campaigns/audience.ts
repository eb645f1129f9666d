import type { SelectQueryBuilder } from 'kysely';
import type { DB } from '../store/schema.ts';
import type { SegmentsService } from '../audience/segments/service.ts';
import { DomainError, invalid, validationError } from '../shared/errors.ts';
import type { CampaignAudience } from './model.ts';

type IdQuery = SelectQueryBuilder<DB, 'contacts', { id: string }>;

/** Contact ids after `cursor` in id order; one per segment, one for the tags together. */
type Source = (after: string | null, limit: number) => Promise<string[]>;

/**
 * A campaign's audience — several segments and tags — as one stream of contact ids in id order,
 * each contact once however many sources name it. Each source is the segment compiler's own query
 * (so a segment means exactly what its live count says), paged by id cursor: memory stays at a
 * batch per source whatever the audience size, and a fan-out can resume from any id.
 */
export class CampaignAudienceReader {
  constructor(private readonly segments: Pick<SegmentsService, 'get' | 'contactIdsQuery'>) {}

  /** Checks the audience and opens its sources; errors name `audience.segmentIds.N` or `audience.tagIds`. */
  async open(brandId: string, audience: CampaignAudience): Promise<AudienceStream> {
    if (audience.segmentIds.length === 0 && audience.tagIds.length === 0) throw invalid('audience', 'choose at least one segment or tag');
    const queries: IdQuery[] = [];
    for (const [i, id] of audience.segmentIds.entries()) queries.push(await this.segmentQuery(brandId, id, `audience.segmentIds.${i}`));
    if (audience.tagIds.length > 0) queries.push(await this.tagsQuery(brandId, audience.tagIds));
    return new AudienceStream(queries.map(paged));
  }

  private async segmentQuery(brandId: string, id: string, field: string): Promise<IdQuery> {
    let filter: unknown;
    try {
      filter = (await this.segments.get(brandId, id)).filter;
    } catch (err) {
      if (err instanceof DomainError && err.code === 'not_found') throw invalid(field, `segment ${id} does not exist (deleted?)`);
      throw err;
    }
    try {
      return await this.segments.contactIdsQuery(brandId, filter);
    } catch (err) {
      // A segment naming a tag deleted since: the segment fails loudly rather than select someone else.
      if (err instanceof DomainError && err.code === 'validation_failed') throw invalid(field, `segment ${id} cannot be used: ${err.message}`);
      throw err;
    }
  }

  private async tagsQuery(brandId: string, tagIds: string[]): Promise<IdQuery> {
    try {
      return await this.segments.contactIdsQuery(brandId, { op: 'and', rules: [{ field: 'tags', op: 'any', value: tagIds }] });
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'validation_failed') throw err;
      const issues = ((err.details as { issues?: Array<{ field: string; message: string }> })?.issues ?? []).map((i) => ({
        field: i.field.replace(/^filter\.rules\.0\.value/, 'audience.tagIds'),
        message: i.message,
      }));
      throw validationError(issues);
    }
  }
}

export class AudienceStream {
  constructor(private readonly sources: Source[]) {}

  /** Whether anyone at all is in the audience (one row per source at most). */
  async isEmpty(): Promise<boolean> {
    for (const source of this.sources) if ((await source(null, 1)).length > 0) return false;
    return true;
  }

  /**
   * Batches of up to `size` ids after `after`, ascending and distinct. Each round asks every
   * source for its next `size` ids and keeps the smallest `size` of their union: any id of a
   * source up to the last one kept is necessarily among that source's `size` smallest, so no
   * contact is skipped, and the next round starts after the last one kept.
   */
  async *batches(after: string | null, size: number): AsyncGenerator<string[]> {
    let cursor = after;
    for (;;) {
      const lists = [];
      for (const source of this.sources) lists.push(await source(cursor, size));
      const batch = [...new Set(lists.flat())].sort().slice(0, size);
      if (batch.length === 0) return;
      yield batch;
      cursor = batch[batch.length - 1];
    }
  }
}

function paged(query: IdQuery): Source {
  return async (after, limit) => {
    const q = after === null ? query : query.where('contacts.id', '>', after);
    return (await q.orderBy('contacts.id').limit(limit).execute()).map((r) => r.id);
  };
}
