import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

/**
 * Fewer B-trees per imported contact (measured in bench/import.ts):
 * - "Newest first" walks contacts_brand_id_idx: ids are ULIDs taken at insert, the same moment as
 *   created_at, so the (brand_id, created_at, id) index repeated an order that index already has.
 * - On SQLite, contact_tags becomes a WITHOUT ROWID table: its primary key is the table itself,
 *   instead of a rowid table plus a separate primary-key index (two contact_tags rows per imported
 *   contact in a typical file). PostgreSQL heap tables have no such duplicate.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema.dropIndex('contacts_brand_created_idx').execute();
  if (dialect !== 'sqlite') return;
  await sql`create table contact_tags_lean (
    contact_id text not null references contacts (id) on delete cascade,
    tag_id text not null references tags (id) on delete cascade,
    created_at text not null,
    constraint contact_tags_pk primary key (contact_id, tag_id)
  ) without rowid`.execute(db);
  await sql`insert into contact_tags_lean (contact_id, tag_id, created_at) select contact_id, tag_id, created_at from contact_tags`.execute(db);
  await sql`drop table contact_tags`.execute(db);
  await sql`alter table contact_tags_lean rename to contact_tags`.execute(db);
  await sql`create index contact_tags_tag_idx on contact_tags (tag_id, contact_id)`.execute(db);
}
