import type { Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

/**
 * Indexes that segment queries lean on (measured in bench/segments.ts at a million contacts):
 * - (brand_id, id): the brand's contact ids in id order without touching rows — the "everyone"
 *   side of a NOT, the probe for `id IN (…)`, previews and recipient pages by id cursor;
 * - (brand_id, status, id) replaces (brand_id, status): the same lookups, plus the subscribed ids
 *   already sorted, so intersecting them with a tag or event set is a merge, not a sort;
 * - (brand_id, country, id): country is the most common field condition, and a scan of all
 *   contacts to find one country costs more than everything else in such a count.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.createIndex('contacts_brand_id_idx').on('contacts').columns(['brand_id', 'id']).execute();
  await db.schema.createIndex('contacts_brand_status_id_idx').on('contacts').columns(['brand_id', 'status', 'id']).execute();
  await db.schema.dropIndex('contacts_brand_status_idx').execute();
  await db.schema.createIndex('contacts_brand_country_idx').on('contacts').columns(['brand_id', 'country', 'id']).execute();
}
