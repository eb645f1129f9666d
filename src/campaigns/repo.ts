import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type Database from 'better-sqlite3';
import type { Executor } from '../store/db.ts';
import type { CampaignsTable, ContactStatus, MessagesTable, SuppressionsTable, Validation } from '../store/schema.ts';
import { fromJson, toJson } from '../shared/json.ts';
import { escapeLike } from '../audience/segments/compiler.ts';
import type { Campaign, CampaignAudience, CampaignMessage, CampaignSchedule, CampaignStatus, PreflightOverride } from './model.ts';

export type CampaignRow = Selectable<CampaignsTable>;
export type NewCampaignRow = Insertable<CampaignsTable>;

export const toCampaign = (r: CampaignRow): Campaign => ({
  id: r.id,
  name: r.name,
  emailId: r.email_id,
  emailVersion: r.email_version,
  subject: r.subject,
  preheader: r.preheader,
  fromName: r.from_name,
  fromEmail: r.from_email,
  replyTo: r.reply_to,
  audience: fromJson<CampaignAudience>(r.audience, { segmentIds: [], tagIds: [] }),
  topicId: r.topic_id,
  providerId: r.provider_id,
  trackOpens: r.track_opens === 1,
  trackClicks: r.track_clicks === 1,
  status: r.status,
  statusReason: r.status_reason,
  schedule: fromJson<CampaignSchedule | null>(r.schedule, null),
  sendAt: r.send_at,
  preflightOverride: fromJson<PreflightOverride | null>(r.preflight_override, null),
  recipients: Number(r.recipients),
  skipped: Number(r.skipped),
  sent: Number(r.sent),
  failed: Number(r.failed),
  cancelled: Number(r.cancelled),
  fanoutDone: r.fanout_done_at !== null,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  archivedAt: r.archived_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** A contact as fan-out and the send path see it: the facts skip rules need, and (for sends) the merge data. */
export interface RecipientRow {
  id: string;
  email: string;
  status: ContactStatus;
  validation: Validation;
  time_zone: string | null;
  suppression: SuppressionsTable['reason'] | null;
  topic_opt_in: number | null;
}

export interface RecipientContentRow extends RecipientRow {
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  country: string | null;
  language: string | null;
  consent_source: string | null;
  consent_at: string | null;
  validation_reason: string | null;
  attributes: unknown;
  created_at: string;
  updated_at: string;
}

const FACT_COLUMNS = ['c.id', 'c.email', 'c.status', 'c.validation', 'c.time_zone'] as const;
const CONTENT_COLUMNS = ['c.first_name', 'c.last_name', 'c.phone', 'c.country', 'c.language', 'c.consent_source', 'c.consent_at', 'c.validation_reason', 'c.attributes', 'c.created_at', 'c.updated_at'] as const;

const MESSAGE_COLUMNS = ['id', 'brand_id', 'dedupe_key', 'campaign_id', 'contact_id', 'email', 'email_id', 'email_version', 'provider_id', 'status', 'skip_reason', 'due_at', 'created_at', 'updated_at'] as const;
export type NewMessageRow = Pick<Insertable<MessagesTable>, (typeof MESSAGE_COLUMNS)[number]>;
const sqliteInserts = new WeakMap<Database.Database, Database.Statement>();

/** Every query with a brand id names it: another brand's campaign id reads as "not found". */
export const campaignsRepo = {
  async insert(db: Executor, row: NewCampaignRow): Promise<void> {
    await db.insertInto('campaigns').values(row).execute();
  },

  async get(db: Executor, brandId: string, id: string): Promise<CampaignRow | undefined> {
    return db.selectFrom('campaigns').selectAll().where('brand_id', '=', brandId).where('id', '=', id).executeTakeFirst();
  },

  /** For workers, which act on a campaign id they found themselves. */
  async byId(db: Executor, id: string): Promise<CampaignRow | undefined> {
    return db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** A campaign of the brand (a series step's carrier included) that has sent this email to someone. */
  async sentWithEmail(db: Executor, brandId: string, emailId: string): Promise<Pick<CampaignRow, 'id' | 'name' | 'series_id'> | undefined> {
    return db
      .selectFrom('campaigns')
      .select(['id', 'name', 'series_id'])
      .where('brand_id', '=', brandId)
      .where('email_id', '=', emailId)
      .where(({ exists, selectFrom }) =>
        exists(selectFrom('messages').select(sql.lit(1).as('one')).whereRef('messages.campaign_id', '=', 'campaigns.id').where('messages.status', '=', 'sent')),
      )
      .executeTakeFirst();
  },

  /** Newest first; `after` is the last id of the previous page. */
  async list(db: Executor, brandId: string, q: { status?: CampaignStatus; search?: string; archived: boolean; after?: string; limit: number }): Promise<CampaignRow[]> {
    // Series steps' carrier campaigns are shown with their series, not as campaigns.
    let query = db.selectFrom('campaigns').selectAll().where('brand_id', '=', brandId).where('series_id', 'is', null);
    query = query.where('archived_at', q.archived ? 'is not' : 'is', null);
    if (q.status) query = query.where('status', '=', q.status);
    if (q.search) query = query.where(sql<boolean>`lower(name) like ${`%${escapeLike(q.search.toLowerCase())}%`} escape '\\'`);
    if (q.after) query = query.where('id', '<', q.after);
    return query.orderBy('id', 'desc').limit(q.limit).execute();
  },

  /**
   * Changes a campaign only while it is in one of `from`: every lifecycle step is one conditional
   * UPDATE, so two requests racing (send and cancel) cannot both win. Returns whether it applied.
   */
  async transition(db: Executor, id: string, from: readonly CampaignStatus[], set: Updateable<CampaignsTable>): Promise<boolean> {
    const r = await db.updateTable('campaigns').set(set).where('id', '=', id).where('status', 'in', [...from]).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  async delete(db: Executor, brandId: string, id: string, from: readonly CampaignStatus[]): Promise<boolean> {
    const r = await db.deleteFrom('campaigns').where('brand_id', '=', brandId).where('id', '=', id).where('status', 'in', [...from]).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },

  /** Queued messages withdrawn by a cancel; returns how many. */
  async cancelQueued(db: Executor, campaignId: string, now: string): Promise<number> {
    const r = await db.updateTable('messages').set({ status: 'cancelled', updated_at: now }).where('campaign_id', '=', campaignId).where('status', '=', 'queued').executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  async dueScheduled(db: Executor, now: string): Promise<string[]> {
    const rows = await db.selectFrom('campaigns').select('id').where('status', '=', 'scheduled').where('send_at', '<=', now).execute();
    return rows.map((r) => r.id);
  },

  async topicDefault(db: Executor, brandId: string, topicId: string): Promise<boolean | null> {
    const r = await db.selectFrom('topics').select('default_opt_in').where('brand_id', '=', brandId).where('id', '=', topicId).executeTakeFirst();
    return r ? r.default_opt_in === 1 : null;
  },

  /** Contacts by id with their suppression entry and their choice for `topicId`: what skip rules need. */
  recipients(db: Executor, ids: readonly string[], topicId: string | null): Promise<RecipientRow[]> {
    return recipientRows(db, ids, topicId, false);
  },

  /** The same, with everything merge tags may use. */
  recipientsWithContent(db: Executor, ids: readonly string[], topicId: string | null): Promise<RecipientContentRow[]> {
    return recipientRows(db, ids, topicId, true) as Promise<RecipientContentRow[]>;
  },

  /** Lock-and-check at the start of a fan-out batch: the campaign row is locked until the batch commits. */
  async lockForFanout(db: Executor, id: string, now: string): Promise<CampaignRow | undefined> {
    return db
      .updateTable('campaigns')
      .set({ updated_at: now })
      .where('id', '=', id)
      .where('status', 'not in', ['draft', 'scheduled', 'cancelled', 'failed'])
      .where('fanout_done_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  },

  /** Outbox rows, each at most once (`dedupe_key`); returns the status of those actually inserted. */
  async insertMessages(db: Executor, rows: NewMessageRow[]): Promise<Array<{ status: string }>> {
    if (rows.length === 0) return [];
    return db
      .insertInto('messages')
      .values(rows)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returning('status')
      .execute();
  },

  /**
   * The same on SQLite's raw handle: one prepared statement per row, about three times faster than
   * a thousand-row INSERT built by the query builder. The handle is the Kysely connection's own,
   * so the rows belong to the caller's open transaction.
   */
  insertMessagesSqlite(sqlite: Database.Database, rows: NewMessageRow[]): Array<{ status: string }> {
    let insert = sqliteInserts.get(sqlite);
    if (!insert) {
      insert = sqlite.prepare(`insert into messages (${MESSAGE_COLUMNS.join(', ')}) values (${MESSAGE_COLUMNS.map(() => '?').join(', ')}) on conflict (dedupe_key) do nothing`);
      sqliteInserts.set(sqlite, insert);
    }
    const inserted: Array<{ status: string }> = [];
    for (const row of rows) if (insert.run(MESSAGE_COLUMNS.map((c) => row[c] ?? null)).changes > 0) inserted.push({ status: row.status });
    return inserted;
  },

  /** Claims mailboxes for contacts (first claim wins) and says which contact owns each. */
  async claimMailboxes(db: Executor, campaignId: string, claims: Array<{ mailbox: string; contactId: string }>): Promise<Map<string, string>> {
    if (claims.length === 0) return new Map();
    await db
      .insertInto('campaign_mailboxes')
      .values(claims.map((c) => ({ campaign_id: campaignId, mailbox: c.mailbox, contact_id: c.contactId })))
      .onConflict((oc) => oc.columns(['campaign_id', 'mailbox']).doNothing())
      .execute();
    const owners = await db
      .selectFrom('campaign_mailboxes')
      .select(['mailbox', 'contact_id'])
      .where('campaign_id', '=', campaignId)
      .where(
        'mailbox',
        'in',
        claims.map((c) => c.mailbox),
      )
      .execute();
    return new Map(owners.map((o) => [o.mailbox, o.contact_id]));
  },

  async dropMailboxes(db: Executor, campaignId: string): Promise<void> {
    await db.deleteFrom('campaign_mailboxes').where('campaign_id', '=', campaignId).execute();
  },

  async checkpoint(db: Executor, id: string, c: { cursor: string; recipients: number; skipped: number; now: string }): Promise<void> {
    await db
      .updateTable('campaigns')
      .set((eb) => ({ fanout_cursor: c.cursor, recipients: eb('recipients', '+', c.recipients), skipped: eb('skipped', '+', c.skipped), updated_at: c.now }))
      .where('id', '=', id)
      .execute();
  },

  async countSending(db: Executor, campaignId: string): Promise<number> {
    const r = await db
      .selectFrom('messages')
      .select(sql<number>`count(*)`.as('n'))
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'sending')
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  /** `received` events (accepted by the provider) since `since`: the recent rate the progress view shows. */
  async receivedSince(db: Executor, campaignId: string, since: string): Promise<number> {
    const r = await db
      .selectFrom('events')
      .select(sql<number>`count(*)`.as('n'))
      .where('campaign_id', '=', campaignId)
      .where('type', '=', 'received')
      .where('occurred_at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  /** A campaign's outbox rows, newest first, optionally of one status. */
  async messages(db: Executor, campaignId: string, q: { status?: string; after?: string; limit: number }): Promise<CampaignMessage[]> {
    let query = db
      .selectFrom('messages')
      .select(['id', 'contact_id', 'email', 'status', 'skip_reason', 'attempts', 'due_at', 'sent_at', 'error'])
      .where('campaign_id', '=', campaignId);
    if (q.status) query = query.where('status', '=', q.status as MessagesTable['status']);
    if (q.after) query = query.where('id', '<', q.after);
    const rows = await query.orderBy('id', 'desc').limit(q.limit).execute();
    return rows.map((r) => ({
      id: r.id,
      contactId: r.contact_id,
      email: r.email,
      status: r.status,
      skipReason: r.skip_reason,
      attempts: Number(r.attempts),
      dueAt: r.due_at,
      sentAt: r.sent_at,
      error: r.error,
    }));
  },
};

async function recipientRows(db: Executor, ids: readonly string[], topicId: string | null, content: boolean): Promise<RecipientRow[]> {
  if (ids.length === 0) return [];
  let q = db
    .selectFrom('contacts as c')
    .leftJoin('suppressions as s', (j) => j.onRef('s.brand_id', '=', 'c.brand_id').onRef('s.email', '=', 'c.email'))
    .select([...FACT_COLUMNS, 's.reason as suppression'])
    .where('c.id', 'in', [...ids]);
  q = content ? q.select([...CONTENT_COLUMNS]) : q;
  const rows = topicId
    ? await q
        .leftJoin('contact_topics as ct', (j) => j.onRef('ct.contact_id', '=', 'c.id').on('ct.topic_id', '=', topicId))
        .select('ct.opted_in as topic_opt_in')
        .execute()
    : await q.select(sql<number | null>`null`.as('topic_opt_in')).execute();
  return rows as RecipientRow[];
}

export const audienceJson = (a: CampaignAudience) => toJson({ segmentIds: a.segmentIds, tagIds: a.tagIds });
