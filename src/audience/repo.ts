import { domainToASCII } from 'node:url';
import { sql, type Expression, type ExpressionBuilder, type Insertable, type Selectable, type SqlBool, type Updateable } from 'kysely';
import type { Dialect, Executor } from '../store/db.ts';
import type { ContactsTable, ContactStatus, CustomFieldsTable, DB, EventsTable, SuppressionsTable, TagsTable, TopicsTable } from '../store/schema.ts';
import type { ContactFilter, ContactSort, SuppressionReason, Validation } from './model.ts';

/**
 * Every audience query, top to bottom: contacts (filter, keyset pages, writes), tags, topics,
 * custom fields, suppressions, timeline events, bulk batches. Queries only; the rules live in
 * service.ts. Every query that takes a brand id filters by it: brand isolation is enforced here.
 */

export type ContactRow = Selectable<ContactsTable>;
export type TagRow = Selectable<TagsTable>;
export type TopicRow = Selectable<TopicsTable>;
export type FieldRow = Selectable<CustomFieldsTable>;
export type SuppressionRow = Selectable<SuppressionsTable>;
export type EventRow = Selectable<EventsTable>;
export type EventInsert = Insertable<EventsTable>;
export type Order = 'asc' | 'desc';

/** SQLite allows 32,766 bound values per statement and PostgreSQL 65,535: stay well below both. */
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

// ---- contact filter and keyset pages ---------------------------------------------------------

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Case-insensitive LIKE on both dialects (SQLite's LIKE already ignores ASCII case). */
function like(dialect: Dialect, subject: Expression<unknown>, pattern: string) {
  return sql<SqlBool>`${subject} ${sql.raw(dialect === 'postgres' ? 'ilike' : 'like')} ${pattern} escape '\\'`;
}

const fullName = sql<string>`coalesce(contacts.first_name, '') || ' ' || coalesce(contacts.last_name, '')`;

function searchCondition(dialect: Dialect, search: string): Expression<SqlBool> {
  if (search.startsWith('@')) {
    // Emails are stored with punycode domains, so "@bücher.de" must be searched as such.
    const domain = search.slice(1).toLowerCase();
    return like(dialect, sql.ref('contacts.email'), `%@${escapeLike(domainToASCII(domain) || domain)}`);
  }
  const pattern = `%${escapeLike(search)}%`;
  return sql<SqlBool>`(${like(dialect, sql.ref('contacts.email'), pattern)} or ${like(dialect, fullName, pattern)})`;
}

/**
 * The list filter as one WHERE condition on `contacts`. The tag condition takes the shape measured
 * fastest for each use at a million contacts (bench/contacts-list.ts): a page walks the sort index
 * and probes contact_tags per contact (EXISTS) until it has enough rows; a count reads the tag's
 * range of contact_tags_tag_idx once (IN) instead of probing for every contact of the brand.
 */
function contactFilter(dialect: Dialect, brandId: string, f: ContactFilter, use: 'page' | 'count' = 'page') {
  return (eb: ExpressionBuilder<DB, 'contacts'>) => {
    const conditions: Expression<SqlBool>[] = [eb('contacts.brand_id', '=', brandId)];
    if (f.status) conditions.push(eb('contacts.status', '=', f.status));
    if (f.tagIds && f.tagIds.length > 0) {
      const tagged = eb.selectFrom('contact_tags').select('contact_tags.contact_id').where('contact_tags.tag_id', 'in', f.tagIds);
      conditions.push(use === 'count' ? eb('contacts.id', 'in', tagged) : eb.exists(tagged.whereRef('contact_tags.contact_id', '=', 'contacts.id')));
    }
    const search = f.search?.trim();
    if (search) conditions.push(searchCondition(dialect, search));
    return eb.and(conditions);
  };
}

/**
 * Sort keys, written exactly as the indexes of migration 002 so the planner walks an index instead
 * of sorting. A missing last name sorts as '' (first A→Z) on both dialects. Ids are time-ordered
 * (ULIDs) and a contact's created_at is the moment it was inserted, so "newest first" walks the
 * (brand_id, id) index: one index less for every insert to maintain (migration 005).
 */
const SORT_KEY: Record<ContactSort, Expression<string>> = {
  created_at: sql.ref('contacts.id'),
  updated_at: sql.ref('contacts.updated_at'),
  email: sql.ref('contacts.email'),
  last_name: sql`coalesce(contacts.last_name, '')`,
};

export function sortValue(row: ContactRow, sort: ContactSort): string {
  if (sort === 'created_at') return row.id;
  return sort === 'last_name' ? (row.last_name ?? '') : row[sort];
}

export interface KeysetPage {
  sort: ContactSort;
  order: Order;
  /** [sort value, id] of the last row of the previous page. */
  after: [string, string] | null;
  limit: number;
}

// ---- contacts --------------------------------------------------------------------------------

export const audienceRepo = {
  async listContacts(db: Executor, dialect: Dialect, brandId: string, filter: ContactFilter, page: KeysetPage): Promise<ContactRow[]> {
    const key = SORT_KEY[page.sort];
    let q = db.selectFrom('contacts').selectAll().where(contactFilter(dialect, brandId, filter));
    if (page.after) {
      // The row-value comparison is the exact keyset condition; the plain one on the key alone
      // lets SQLite start its index range at the cursor, which it does not derive from a row value
      // over an expression (the last-name key) by itself.
      const [value, id] = page.after;
      const [op, opOrEqual] = page.order === 'asc' ? ['>', '>='] : ['<', '<='];
      q = q.where(sql<SqlBool>`${key} ${sql.raw(opOrEqual)} ${value} and (${key}, contacts.id) ${sql.raw(op)} (${value}, ${id})`);
    }
    return q.orderBy(key, page.order).orderBy('contacts.id', page.order).limit(page.limit).execute();
  },

  async countContacts(db: Executor, dialect: Dialect, brandId: string, filter: ContactFilter): Promise<number> {
    const r = await db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(contactFilter(dialect, brandId, filter, 'count'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  /** `lock` holds the row until the transaction ends (PostgreSQL; SQLite writers are serialised anyway). */
  findContact(db: Executor, brandId: string, id: string, lock = false): Promise<ContactRow | undefined> {
    const q = db.selectFrom('contacts').selectAll().where('brand_id', '=', brandId).where('id', '=', id);
    return (lock ? q.forUpdate() : q).executeTakeFirst();
  },

  async contactIdByEmail(db: Executor, brandId: string, email: string): Promise<string | undefined> {
    const r = await db.selectFrom('contacts').select('id').where('brand_id', '=', brandId).where('email', '=', email).executeTakeFirst();
    return r?.id;
  },

  contactsByIds(db: Executor, brandId: string, ids: readonly string[]): Promise<ContactRow[]> {
    return db.selectFrom('contacts').selectAll().where('brand_id', '=', brandId).where('id', 'in', ids).execute();
  },

  async insertContact(db: Executor, row: Insertable<ContactsTable>): Promise<void> {
    await db.insertInto('contacts').values(row).execute();
  },

  async updateContact(db: Executor, brandId: string, id: string, patch: Updateable<ContactsTable>): Promise<void> {
    await db.updateTable('contacts').set(patch).where('brand_id', '=', brandId).where('id', '=', id).execute();
  },

  /** Sets the MX verdict unless the email changed while DNS was asked. */
  async setValidation(db: Executor, brandId: string, id: string, email: string, v: { validation: Validation; reason: string }): Promise<void> {
    await db
      .updateTable('contacts')
      .set({ validation: v.validation, validation_reason: v.reason })
      .where('brand_id', '=', brandId)
      .where('id', '=', id)
      .where('email', '=', email)
      .execute();
  },

  /** Tags, topic choices and events go with the contact (ON DELETE CASCADE). */
  async deleteContacts(db: Executor, brandId: string, ids: readonly string[]): Promise<number> {
    let n = 0;
    for (const part of chunks(ids)) {
      const r = await db.deleteFrom('contacts').where('brand_id', '=', brandId).where('id', 'in', part).executeTakeFirst();
      n += Number(r.numDeletedRows);
    }
    return n;
  },

  /** Subscribing stamps consent now (from `channel`) on contacts that have none recorded. */
  async setStatus(db: Executor, brandId: string, ids: readonly string[], status: ContactStatus, now: string, channel: string): Promise<void> {
    for (const part of chunks(ids)) {
      let q = db.updateTable('contacts').set({ status, updated_at: now }).where('brand_id', '=', brandId).where('id', 'in', part);
      if (status === 'subscribed') {
        q = q.set({
          // SET expressions see the old row, so consent_source is decided on the old consent_at.
          consent_source: sql`case when consent_at is null then ${channel} else consent_source end`,
          consent_at: sql`coalesce(consent_at, ${now})`,
        });
      }
      await q.execute();
    }
  },

  async touchContacts(db: Executor, brandId: string, ids: readonly string[], now: string): Promise<void> {
    for (const part of chunks(ids)) await db.updateTable('contacts').set({ updated_at: now }).where('brand_id', '=', brandId).where('id', 'in', part).execute();
  },

  // ---- contact tags --------------------------------------------------------------------------

  async tagsOfContacts(db: Executor, contactIds: readonly string[]) {
    if (contactIds.length === 0) return [];
    return db
      .selectFrom('contact_tags')
      .innerJoin('tags', 'tags.id', 'contact_tags.tag_id')
      .select(['contact_tags.contact_id', 'tags.id', 'tags.name', 'tags.color'])
      .where('contact_tags.contact_id', 'in', contactIds)
      .orderBy('tags.name')
      .execute();
  },

  /** Returns the pairs actually added (already present ones are skipped). */
  async addContactTags(db: Executor, contactIds: readonly string[], tagIds: readonly string[], now: string): Promise<Array<{ contact_id: string; tag_id: string }>> {
    const rows = contactIds.flatMap((contact_id) => tagIds.map((tag_id) => ({ contact_id, tag_id, created_at: now })));
    const added: Array<{ contact_id: string; tag_id: string }> = [];
    for (const part of chunks(rows)) {
      added.push(
        ...(await db
          .insertInto('contact_tags')
          .values(part)
          .onConflict((oc) => oc.columns(['contact_id', 'tag_id']).doNothing())
          .returning(['contact_id', 'tag_id'])
          .execute()),
      );
    }
    return added;
  },

  /** Returns the pairs actually removed. */
  async removeContactTags(db: Executor, contactIds: readonly string[], tagIds: readonly string[]): Promise<Array<{ contact_id: string; tag_id: string }>> {
    const removed: Array<{ contact_id: string; tag_id: string }> = [];
    // `in ()` is a syntax error on PostgreSQL: no tags to remove is nothing to do.
    if (tagIds.length === 0) return removed;
    for (const part of chunks(contactIds)) {
      removed.push(
        ...(await db.deleteFrom('contact_tags').where('contact_id', 'in', part).where('tag_id', 'in', tagIds).returning(['contact_id', 'tag_id']).execute()),
      );
    }
    return removed;
  },

  // ---- tags ----------------------------------------------------------------------------------

  /** All tags of a brand with their contact counts, in one grouped query. */
  listTagsWithCounts(db: Executor, brandId: string) {
    return db
      .selectFrom('tags')
      .leftJoin('contact_tags', 'contact_tags.tag_id', 'tags.id')
      .select(['tags.id', 'tags.name', 'tags.color', 'tags.description', 'tags.created_at'])
      .select((eb) => eb.fn.count<number>('contact_tags.contact_id').as('count'))
      .where('tags.brand_id', '=', brandId)
      .groupBy(['tags.id', 'tags.name', 'tags.color', 'tags.description', 'tags.created_at'])
      .orderBy('tags.name')
      .execute();
  },

  findTag(db: Executor, brandId: string, id: string): Promise<TagRow | undefined> {
    return db.selectFrom('tags').selectAll().where('brand_id', '=', brandId).where('id', '=', id).executeTakeFirst();
  },

  tagsByIds(db: Executor, brandId: string, ids: readonly string[]): Promise<TagRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom('tags').selectAll().where('brand_id', '=', brandId).where('id', 'in', ids).execute();
  },

  tagsByNames(db: Executor, brandId: string, names: readonly string[]): Promise<TagRow[]> {
    if (names.length === 0) return Promise.resolve([]);
    return db.selectFrom('tags').selectAll().where('brand_id', '=', brandId).where('name', 'in', names).execute();
  },

  async countTags(db: Executor, brandId: string): Promise<number> {
    const r = await db.selectFrom('tags').select((eb) => eb.fn.countAll<number>().as('n')).where('brand_id', '=', brandId).executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async countTagged(db: Executor, tagId: string): Promise<number> {
    const r = await db.selectFrom('contact_tags').select((eb) => eb.fn.countAll<number>().as('n')).where('tag_id', '=', tagId).executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async insertTag(db: Executor, row: Insertable<TagsTable>): Promise<void> {
    await db.insertInto('tags').values(row).execute();
  },

  async updateTag(db: Executor, brandId: string, id: string, patch: Partial<Insertable<TagsTable>>): Promise<void> {
    await db.updateTable('tags').set(patch).where('brand_id', '=', brandId).where('id', '=', id).execute();
  },

  /** contact_tags rows go with the tag (ON DELETE CASCADE). */
  async deleteTag(db: Executor, brandId: string, id: string): Promise<void> {
    await db.deleteFrom('tags').where('brand_id', '=', brandId).where('id', '=', id).execute();
  },

  // ---- topics --------------------------------------------------------------------------------

  listTopics(db: Executor, brandId: string): Promise<TopicRow[]> {
    return db.selectFrom('topics').selectAll().where('brand_id', '=', brandId).orderBy('name').execute();
  },

  /** Explicit choices per topic of the brand, in one grouped query. */
  topicChoiceCounts(db: Executor, brandId: string) {
    return db
      .selectFrom('contact_topics')
      .innerJoin('topics', 'topics.id', 'contact_topics.topic_id')
      .select(['contact_topics.topic_id', 'contact_topics.opted_in'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('topics.brand_id', '=', brandId)
      .groupBy(['contact_topics.topic_id', 'contact_topics.opted_in'])
      .execute();
  },

  findTopic(db: Executor, brandId: string, id: string): Promise<TopicRow | undefined> {
    return db.selectFrom('topics').selectAll().where('brand_id', '=', brandId).where('id', '=', id).executeTakeFirst();
  },

  async insertTopic(db: Executor, row: Insertable<TopicsTable>): Promise<void> {
    await db.insertInto('topics').values(row).execute();
  },

  async updateTopic(db: Executor, brandId: string, id: string, patch: Partial<Insertable<TopicsTable>>): Promise<void> {
    await db.updateTable('topics').set(patch).where('brand_id', '=', brandId).where('id', '=', id).execute();
  },

  async deleteTopic(db: Executor, brandId: string, id: string): Promise<void> {
    await db.deleteFrom('topics').where('brand_id', '=', brandId).where('id', '=', id).execute();
  },

  /** Every topic of the brand with this contact's own choice (null: none, the default applies). */
  topicsOfContact(db: Executor, brandId: string, contactId: string) {
    return db
      .selectFrom('topics')
      .leftJoin('contact_topics', (j) => j.onRef('contact_topics.topic_id', '=', 'topics.id').on('contact_topics.contact_id', '=', contactId))
      .select(['topics.id', 'topics.name', 'topics.default_opt_in', 'contact_topics.opted_in'])
      .where('topics.brand_id', '=', brandId)
      .orderBy('topics.name')
      .execute();
  },

  async setContactTopic(db: Executor, contactId: string, topicId: string, optedIn: boolean, now: string): Promise<void> {
    const opted_in = optedIn ? 1 : 0;
    await db
      .insertInto('contact_topics')
      .values({ contact_id: contactId, topic_id: topicId, opted_in, updated_at: now })
      .onConflict((oc) => oc.columns(['contact_id', 'topic_id']).doUpdateSet({ opted_in, updated_at: now }))
      .execute();
  },

  // ---- custom field definitions --------------------------------------------------------------

  listFields(db: Executor, brandId: string): Promise<FieldRow[]> {
    return db.selectFrom('custom_fields').selectAll().where('brand_id', '=', brandId).orderBy('key').execute();
  },

  findField(db: Executor, brandId: string, id: string): Promise<FieldRow | undefined> {
    return db.selectFrom('custom_fields').selectAll().where('brand_id', '=', brandId).where('id', '=', id).executeTakeFirst();
  },

  async insertField(db: Executor, row: Insertable<CustomFieldsTable>): Promise<void> {
    await db.insertInto('custom_fields').values(row).execute();
  },

  async deleteField(db: Executor, brandId: string, id: string): Promise<void> {
    await db.deleteFrom('custom_fields').where('brand_id', '=', brandId).where('id', '=', id).execute();
  },

  /** Drops one key from every contact of the brand that has it (JSON text on SQLite, jsonb on PostgreSQL). */
  async removeFieldValues(db: Executor, dialect: Dialect, brandId: string, key: string): Promise<void> {
    if (dialect === 'postgres') {
      await sql`update contacts set attributes = attributes - ${key}::text where brand_id = ${brandId} and attributes -> ${key}::text is not null`.execute(db);
    } else {
      const path = `$.${key}`; // keys are [a-z0-9_] only (CustomFieldInput), so the path needs no quoting
      await sql`update contacts set attributes = json_remove(attributes, ${path}) where brand_id = ${brandId} and json_type(attributes, ${path}) is not null`.execute(db);
    }
  },

  // ---- suppressions --------------------------------------------------------------------------

  listSuppressions(db: Executor, dialect: Dialect, brandId: string, q: { search?: string; reason?: SuppressionReason; before?: string; limit: number }): Promise<SuppressionRow[]> {
    let query = db.selectFrom('suppressions').selectAll().where('brand_id', '=', brandId);
    const search = q.search?.trim();
    if (search) query = query.where(like(dialect, sql.ref('email'), `%${escapeLike(search)}%`));
    if (q.reason) query = query.where('reason', '=', q.reason);
    if (q.before) query = query.where('id', '<', q.before);
    return query.orderBy('id', 'desc').limit(q.limit).execute();
  },

  findSuppression(db: Executor, brandId: string, id: string): Promise<SuppressionRow | undefined> {
    return db.selectFrom('suppressions').selectAll().where('brand_id', '=', brandId).where('id', '=', id).executeTakeFirst();
  },

  async suppressionsByEmails(db: Executor, brandId: string, emails: readonly string[]): Promise<SuppressionRow[]> {
    const out: SuppressionRow[] = [];
    for (const part of chunks(emails)) out.push(...(await db.selectFrom('suppressions').selectAll().where('brand_id', '=', brandId).where('email', 'in', part).execute()));
    return out;
  },

  async insertSuppression(db: Executor, row: Insertable<SuppressionsTable>): Promise<void> {
    await db.insertInto('suppressions').values(row).execute();
  },

  async deleteSuppression(db: Executor, brandId: string, id: string): Promise<void> {
    await db.deleteFrom('suppressions').where('brand_id', '=', brandId).where('id', '=', id).execute();
  },

  // ---- timeline events -----------------------------------------------------------------------

  async insertEvents(db: Executor, rows: readonly EventInsert[]): Promise<void> {
    for (const part of chunks(rows)) await db.insertInto('events').values(part).execute();
  },

  /** Newest first; `after` is [occurred_at, id] of the last entry of the previous page; no limit: all of them. */
  timeline(db: Executor, brandId: string, contactId: string, after: [string, string] | null, limit?: number): Promise<EventRow[]> {
    let q = db.selectFrom('events').selectAll().where('brand_id', '=', brandId).where('contact_id', '=', contactId);
    if (after) q = q.where(sql<SqlBool>`(occurred_at, id) < (${after[0]}, ${after[1]})`);
    q = q.orderBy('occurred_at', 'desc').orderBy('id', 'desc');
    return (limit === undefined ? q : q.limit(limit)).execute();
  },
};
