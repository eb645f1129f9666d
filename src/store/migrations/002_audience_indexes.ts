import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

/**
 * Indexes for the contact list's keyset pages: each sort walks its index from the cursor and stops
 * after one page, so a page costs the same at row 50 and at row 1,000,000 and nothing is sorted.
 * The last-name key is `coalesce(last_name, '')` so contacts without one sort the same way on both
 * dialects (first ascending) and the keyset comparison never meets a NULL.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.createIndex('contacts_brand_created_idx').on('contacts').columns(['brand_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('contacts_brand_updated_idx').on('contacts').columns(['brand_id', 'updated_at', 'id']).execute();
  await sql`create index contacts_brand_last_name_idx on contacts (brand_id, (coalesce(last_name, '')), id)`.execute(db);
  // Topic counts group contact_topics by topic, and deleting a topic cascades by topic_id.
  await db.schema.createIndex('contact_topics_topic_idx').on('contact_topics').columns(['topic_id', 'opted_in']).execute();
  // The suppression list pages newest first within a brand.
  await db.schema.createIndex('suppressions_brand_id_idx').on('suppressions').columns(['brand_id', 'id']).execute();
}
