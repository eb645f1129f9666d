import { sql, type ExpressionBuilder, type Insertable, type Selectable, type SqlBool } from 'kysely';
import type Database from 'better-sqlite3';
import type { Dialect, Executor } from '../store/db.ts';
import type { DB, EventsTable, MessagesTable } from '../store/schema.ts';
import type { RecipientsQuery } from './model.ts';

/**
 * Every tracking query: the write side (events with their campaign_activity rollup, first-time
 * columns on messages) and the results (counts from the partial indexes and the rollup of
 * migration 010, links, recipients, trails). Queries only; the rules live in service.ts and
 * recorder.ts.
 */

export type EventInsert = Insertable<EventsTable>;
export type MessageRow = Selectable<MessagesTable>;
/** What recording an event needs to know about its message. */
export type MessageFacts = Pick<MessageRow, 'id' | 'brand_id' | 'contact_id' | 'campaign_id' | 'series_id' | 'email' | 'sent_at' | 'opened_at' | 'clicked_at' | 'unsubscribed_at'>;
/** What recording an open or click needs to know about its message. */
export type HitFacts = Pick<MessageFacts, (typeof HIT_FACTS)[number]>;
/** The first human open and click a batch found for a message (null: none, or not the first). */
export interface EngagementFirst {
  id: string;
  openedAt: string | null;
  clickedAt: string | null;
}
export type FirstColumn = 'delivered_at' | 'complained_at' | 'unsubscribed_at';
/** A change of campaign_activity: `n` events of (campaign, hour, type, machine); negative to move events out. */
export interface ActivityDelta {
  campaign_id: string;
  hour: string;
  type: string;
  machine: number;
  n: number;
}

const FACTS = ['id', 'brand_id', 'contact_id', 'campaign_id', 'series_id', 'email', 'sent_at', 'opened_at', 'clicked_at', 'unsubscribed_at'] as const;
const HIT_FACTS = ['id', 'brand_id', 'contact_id', 'campaign_id', 'series_id', 'sent_at', 'opened_at', 'clicked_at'] as const;

/** SQLite allows 32,766 bound values per statement and PostgreSQL 65,535: stay well below both. */
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const timeType = (dialect: Dialect) => sql.raw(dialect === 'postgres' ? 'timestamptz' : 'text');

/** A message, with the contact its events are filed under. */
export type MessageOfContact = Pick<MessageRow, 'id' | 'contact_id'>;

/**
 * The events of a message. They have no index of their own (migration 016): the message's
 * contact is on its row, and the contact's events are a short range of events_contact_idx.
 */
const ofMessage = (m: MessageOfContact) => (eb: ExpressionBuilder<DB, 'events'>) => eb.and([eb('events.contact_id', '=', m.contact_id), eb('events.message_id', '=', m.id)]);

/** The same, inside an update of the message row itself (first-time columns derived from its events). */
const OF_THIS_MESSAGE = 'events.contact_id = messages.contact_id and events.message_id = messages.id';

const contactExists = ({ exists, selectFrom }: ExpressionBuilder<DB, 'messages'>) =>
  exists(selectFrom('contacts').select(sql.lit(1).as('one')).whereRef('contacts.id', '=', 'messages.contact_id'));

/** The link index of a click event, exactly as events_clicks_idx (migration 010) spells it. */
const linkOf = (dialect: Dialect) => (dialect === 'postgres' ? sql<string | null>`(data->>'link')` : sql<number | null>`json_extract(data, '$.link')`);

/** The start of the UTC hour of an ISO instant. */
export const hourOf = (iso: string) => `${iso.slice(0, 13)}:00:00.000Z`;

/** The rollup rows a set of new events adds (events outside a campaign have none). */
export function activityOf(rows: ReadonlyArray<Pick<EventInsert, 'campaign_id' | 'occurred_at' | 'type' | 'machine'>>, sign = 1): ActivityDelta[] {
  const sums = new Map<string, ActivityDelta>();
  for (const r of rows) {
    if (!r.campaign_id) continue;
    const d = { campaign_id: r.campaign_id, hour: hourOf(r.occurred_at), type: r.type, machine: r.machine ?? 0, n: 0 };
    const key = `${d.campaign_id}\n${d.hour}\n${d.type}\n${d.machine}`;
    (sums.get(key) ?? sums.set(key, d).get(key)!).n += sign;
  }
  return [...sums.values()];
}

const UPSERT_ACTIVITY = 'on conflict (campaign_id, hour, type, machine) do update set n = campaign_activity.n + excluded.n';

export const trackingRepo = {
  // ---- write side ----------------------------------------------------------------------------

  /** The messages of a batch whose contact still exists (an erased contact's events are not recorded). */
  async messageFacts(db: Executor, ids: readonly string[]): Promise<MessageFacts[]> {
    const out: MessageFacts[] = [];
    for (const part of chunks(ids)) out.push(...(await db.selectFrom('messages').select(FACTS).where('id', 'in', part).where(contactExists).execute()));
    return out;
  },

  findMessage(db: Executor, id: string): Promise<MessageRow | undefined> {
    return db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** A provider event's message (whose contact still exists): by our reference, or by the provider's own id. */
  findMessageForProvider(db: Executor, brandId: string, ref: { messageId?: string; providerMessageId?: string }): Promise<MessageFacts | undefined> {
    let q = db.selectFrom('messages').select(FACTS).where('brand_id', '=', brandId).where(contactExists);
    if (ref.messageId) q = q.where('id', '=', ref.messageId);
    else if (ref.providerMessageId) q = q.where('provider_message_id', '=', ref.providerMessageId);
    else return Promise.resolve(undefined);
    return q.executeTakeFirst();
  },

  async hasEvent(db: Executor, message: MessageOfContact, type: string): Promise<boolean> {
    return !!(await db.selectFrom('events').select('id').where(ofMessage(message)).where('type', '=', type).limit(1).executeTakeFirst());
  },

  /** The brand of a contact, for an unsubscribe whose message row is gone (its campaign was deleted). */
  async brandOfContact(db: Executor, contactId: string): Promise<string | null> {
    return (await db.selectFrom('contacts').select('brand_id').where('id', '=', contactId).executeTakeFirst())?.brand_id ?? null;
  },

  /** Events and their campaign_activity rollup, in the caller's transaction (or statement). */
  async recordEvents(db: Executor, rows: readonly EventInsert[]): Promise<void> {
    for (const part of chunks(rows, 400)) await db.insertInto('events').values(part).execute();
    await trackingRepo.addActivity(db, activityOf(rows));
  },

  async addActivity(db: Executor, deltas: readonly ActivityDelta[]): Promise<void> {
    for (const part of chunks(deltas, 100)) {
      const values = part.map((d) => sql`(${d.campaign_id}, ${d.hour}, ${d.type}, ${d.machine}, ${d.n})`);
      await sql`insert into campaign_activity (campaign_id, hour, type, machine, n) values ${sql.join(values)} ${sql.raw(UPSERT_ACTIVITY)}`.execute(db);
    }
  },

  /**
   * First human open and click per message, one statement per chunk, joined to a VALUES list (a
   * CASE over the ids compared every row with every id): each column keeps its value when set
   * (coalesce), so concurrent writers and replays can only ever keep the earliest first.
   */
  async setEngagementFirsts(db: Executor, dialect: Dialect, firsts: readonly EngagementFirst[]): Promise<void> {
    const type = timeType(dialect);
    for (const part of chunks(firsts, 300)) {
      const values = part.map((r) => sql`(${r.id}, ${r.openedAt}, ${r.clickedAt})`);
      // VALUES columns are column1, column2… on both dialects.
      await sql`update messages set opened_at = coalesce(messages.opened_at, cast(v.column2 as ${type})), clicked_at = coalesce(messages.clicked_at, cast(v.column3 as ${type}))
        from (values ${sql.join(values)}) as v where messages.id = v.column1`.execute(db);
    }
  },

  /** Sets a first-time column if it is still empty; true when this call set it. */
  async setFirst(db: Executor, id: string, column: FirstColumn, at: string): Promise<boolean> {
    const r = await db.updateTable('messages').set({ [column]: at }).where('id', '=', id).where(column, 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  /** The first bounce's time; the class only ever moves towards hard (a later hard bounce outranks a soft one). */
  async setBounce(db: Executor, id: string, at: string, klass: 'hard' | 'soft' | 'undetermined'): Promise<void> {
    await db
      .updateTable('messages')
      .set({
        bounced_at: sql`coalesce(bounced_at, ${at})`,
        bounce_class: sql`case when bounce_class = 'hard' or ${klass} = 'undetermined' and bounce_class is not null then bounce_class else ${klass} end`,
      })
      .where('id', '=', id)
      .execute();
  },

  /** The human clicks of a message in [from, to], now known to be a scanner's, become machine clicks; returns them. */
  async markMachineClicks(db: Executor, message: MessageOfContact, from: string, to: string): Promise<Array<{ campaign_id: string | null; type: string; occurred_at: string }>> {
    const rows = await db
      .updateTable('events')
      .set({ machine: 1 })
      .where(ofMessage(message))
      .where('type', '=', 'clicked')
      .where('machine', '=', 0)
      .where('occurred_at', '>=', from)
      .where('occurred_at', '<=', to)
      .returning(['campaign_id', 'type', 'occurred_at'])
      .execute();
    return rows;
  },

  /** Re-derives opened_at / clicked_at from the human events after some were re-classified. */
  async recomputeEngagementFirsts(db: Executor, messageId: string): Promise<void> {
    const firstOf = (types: string[]) => sql<string | null>`(select min(occurred_at) from events where ${sql.raw(OF_THIS_MESSAGE)} and type in (${sql.join(types)}) and machine = 0)`;
    await db
      .updateTable('messages')
      .set({ opened_at: firstOf(['opened', 'clicked']), clicked_at: firstOf(['clicked']) })
      .where('id', '=', messageId)
      .execute();
  },

  // ---- results -------------------------------------------------------------------------------

  findCampaign(db: Executor, brandId: string, id: string) {
    return db.selectFrom('campaigns').select(['id', 'sent', 'email_id', 'email_version']).where('brand_id', '=', brandId).where('id', '=', id).executeTakeFirst();
  },

  /** Counts of messages with each first-time column set, each from its own partial index. */
  async firstCounts(db: Executor, campaignId: string) {
    const count = (column: string) => sql<number>`(select count(*) from messages where campaign_id = ${campaignId} and ${sql.ref(column)} is not null)`;
    const { rows } = await sql<{ delivered: number; opened: number; clicked: number; complained: number; unsubscribed: number }>`select
      ${count('delivered_at')} as delivered, ${count('opened_at')} as opened, ${count('clicked_at')} as clicked,
      ${count('complained_at')} as complained, ${count('unsubscribed_at')} as unsubscribed`.execute(db);
    return rows[0];
  },

  async bounceCounts(db: Executor, campaignId: string): Promise<Array<{ bounce_class: string | null; n: number }>> {
    const { rows } = await sql<{ bounce_class: string | null; n: number }>`select bounce_class, count(*) as n from messages
      where campaign_id = ${campaignId} and bounced_at is not null group by bounce_class`.execute(db);
    return rows;
  },

  /** The campaign's events per hour, type and machine flag (the rollup; a few rows per hour). */
  async activity(db: Executor, campaignId: string): Promise<ActivityDelta[]> {
    const { rows } = await sql<ActivityDelta>`select campaign_id, hour, type, machine, n from campaign_activity where campaign_id = ${campaignId} and n <> 0 order by hour`.execute(db);
    return rows.map((r) => ({ ...r, hour: new Date(r.hour).toISOString(), machine: Number(r.machine), n: Number(r.n) }));
  },

  /** Human, unique human and machine clicks per link index, from events_clicks_idx alone. */
  async linkCounts(db: Executor, dialect: Dialect, campaignId: string) {
    const { rows } = await sql<{ link: number | string | null; clicks: number; unique_clicks: number; machine_clicks: number }>`select ${linkOf(dialect)} as link,
        count(*) filter (where machine = 0) as clicks,
        count(distinct case when machine = 0 then message_id end) as unique_clicks,
        count(*) filter (where machine = 1) as machine_clicks
      from events where campaign_id = ${campaignId} and type = 'clicked' group by 1 order by 1`.execute(db);
    // Clicks a provider reported carry a URL but no link index: they stay apart (null).
    return rows.map((r) => ({ ...r, link: r.link === null ? null : Number(r.link) }));
  },

  /** Keyset page by message id; `queued` covers the messages a worker holds right now. */
  recipients(db: Executor, dialect: Dialect, campaignId: string, q: RecipientsQuery & { limit: number }): Promise<MessageRow[]> {
    let query = db.selectFrom('messages').selectAll().where('campaign_id', '=', campaignId);
    if (q.status) query = query.where('status', 'in', q.status === 'queued' ? ['queued', 'sending'] : [q.status]);
    if (q.search) query = query.where(sql<SqlBool>`email ${sql.raw(dialect === 'postgres' ? 'ilike' : 'like')} ${`%${escapeLike(q.search)}%`} escape '\\'`);
    if (q.cursor) query = query.where('id', '>', q.cursor);
    return query.orderBy('id').limit(q.limit).execute();
  },

  findBrandMessage(db: Executor, brandId: string, id: string): Promise<MessageRow | undefined> {
    return db.selectFrom('messages').selectAll().where('brand_id', '=', brandId).where('id', '=', id).executeTakeFirst();
  },

  /** How far the database has written the tracking inbox of `generation` (migration 014); 0 before anything. */
  async inboxWritten(db: Executor, generation: string): Promise<number> {
    return Number((await db.selectFrom('tracking_inbox').select('folded').where('generation', '=', generation).executeTakeFirst())?.folded ?? 0);
  },

  async setInboxWritten(db: Executor, generation: string, place: number, at: string): Promise<void> {
    await db
      .insertInto('tracking_inbox')
      .values({ generation, folded: place, updated_at: at })
      .onConflict((oc) => oc.column('generation').doUpdateSet({ folded: place, updated_at: at }))
      .execute();
  },

  messageEvents(db: Executor, message: MessageOfContact) {
    return db.selectFrom('events').select(['type', 'occurred_at', 'data', 'machine']).where(ofMessage(message)).orderBy('occurred_at').orderBy('id').execute();
  },
};

/** The queries of the open and click hot path, bound to one transaction (HitRecorder runs them). */
export interface HitQueries {
  messageFacts(ids: readonly string[]): Promise<HitFacts[]>;
  /** Events and their rollup. */
  recordEvents(rows: readonly EventInsert[]): Promise<void>;
  setEngagementFirsts(firsts: readonly EngagementFirst[]): Promise<void>;
  /** A burst showed a scanner: its earlier clicks, recorded as human, become machine clicks (rollup too), and the firsts are derived again. */
  markBurst(message: MessageOfContact, from: string, to: string): Promise<void>;
}

/** PostgreSQL (and SQLite in memory, or when the writer thread failed): multi-row queries, few round trips. */
export function kyselyHitQueries(db: Executor, dialect: Dialect): HitQueries {
  return {
    messageFacts: (ids) => trackingRepo.messageFacts(db, ids),
    recordEvents: (rows) => trackingRepo.recordEvents(db, rows),
    setEngagementFirsts: (firsts) => trackingRepo.setEngagementFirsts(db, dialect, firsts),
    async markBurst(message, from, to) {
      const moved = await trackingRepo.markMachineClicks(db, message, from, to);
      await trackingRepo.addActivity(db, [...activityOf(moved.map((e) => ({ ...e, machine: 0 })), -1), ...activityOf(moved.map((e) => ({ ...e, machine: 1 })))]);
      await trackingRepo.recomputeEngagementFirsts(db, message.id);
    },
  };
}

/**
 * SQLite, in the tracking writer's thread (writer-worker.ts): statements prepared once on its own
 * connection, inside the transaction it holds. Messages are read, events written and first-time
 * columns set many rows per statement: a statement run per row cost the thread about a sixth
 * more (each run sets up its program and opens a cursor on every index again), and ids looked up
 * together are looked up in order (SQLite sorts an IN list).
 */
export function sqliteHitQueries(sqlite: Database.Database): HitQueries {
  const facts = multiRow<string>(
    sqlite,
    (n) => `select ${HIT_FACTS.join(', ')} from messages where id in (${placeholders(n)}) and exists (select 1 from contacts where contacts.id = messages.contact_id)`,
    (id, values) => values.push(id),
    { raw: true },
  );
  const insert = multiRow<EventInsert>(
    sqlite,
    (n) => `insert into events (id, brand_id, contact_id, type, campaign_id, series_id, occurred_at, data, message_id, machine) values ${Array(n).fill(`(${placeholders(10)})`).join(', ')}`,
    (r, values) => values.push(r.id, r.brand_id, r.contact_id, r.type, r.campaign_id ?? null, r.series_id ?? null, r.occurred_at, r.data, r.message_id ?? null, r.machine ?? 0),
  );
  const firsts = multiRow<EngagementFirst>(
    sqlite,
    (n) => `update messages set opened_at = coalesce(messages.opened_at, v.column2), clicked_at = coalesce(messages.clicked_at, v.column3)
      from (values ${Array(n).fill('(?, ?, ?)').join(', ')}) as v where messages.id = v.column1`,
    (f, values) => values.push(f.id, f.openedAt, f.clickedAt),
  );
  const activity = sqlite.prepare(`insert into campaign_activity (campaign_id, hour, type, machine, n) values (?, ?, ?, ?, ?) ${UPSERT_ACTIVITY}`);
  const burst = sqlite.prepare(
    `update events set machine = 1 where contact_id = @contact and message_id = @id
      and type = 'clicked' and machine = 0 and occurred_at >= @from and occurred_at <= @to returning campaign_id, type, occurred_at`,
  );
  const human = (types: string) => `(select min(occurred_at) from events where ${OF_THIS_MESSAGE} and type in (${types}) and machine = 0)`;
  const recompute = sqlite.prepare(`update messages set opened_at = ${human("'opened', 'clicked'")}, clicked_at = ${human("'clicked'")} where id = @id`);
  const addActivity = (deltas: ActivityDelta[]) => {
    for (const d of deltas) activity.run(d.campaign_id, d.hour, d.type, d.machine, d.n);
  };
  return {
    async messageFacts(ids) {
      return facts(ids, (statement, values) => statement.all(...values) as HitFactsRow[])
        .flat()
        .map(hitFactsOf);
    },
    async recordEvents(rows) {
      insert(rows, (statement, values) => statement.run(...values));
      addActivity(activityOf(rows));
    },
    async setEngagementFirsts(list) {
      firsts(list, (statement, values) => statement.run(...values));
    },
    async markBurst(message, from, to) {
      const moved = burst.all({ id: message.id, contact: message.contact_id, from, to }) as Array<{ campaign_id: string | null; type: string; occurred_at: string }>;
      addActivity([...activityOf(moved.map((e) => ({ ...e, machine: 0 })), -1), ...activityOf(moved.map((e) => ({ ...e, machine: 1 })))]);
      recompute.run({ id: message.id });
    },
  };
}

/**
 * A statement over many items at once: `text(n)` takes n items (1, 2, 4, … MULTI_ROW_MAX of them,
 * each size prepared on first use), so any count runs as a few statements, each bound with the
 * values of its items in order. Returns what `each` made of every statement run.
 */
function multiRow<T>(sqlite: Database.Database, text: (n: number) => string, valuesOf: (item: T, values: unknown[]) => void, opts: { raw?: boolean } = {}) {
  const prepared = new Map<number, Database.Statement>();
  const statement = (size: number) => {
    let s = prepared.get(size);
    if (!s) prepared.set(size, (s = opts.raw ? sqlite.prepare(text(size)).raw() : sqlite.prepare(text(size))));
    return s;
  };
  return <R>(items: readonly T[], each: (statement: Database.Statement, values: unknown[]) => R): R[] => {
    const out: R[] = [];
    for (let i = 0; i < items.length; ) {
      const size = Math.min(MULTI_ROW_MAX, 2 ** Math.floor(Math.log2(items.length - i)));
      const values: unknown[] = [];
      for (let k = i; k < i + size; k++) valuesOf(items[k], values);
      out.push(each(statement(size), values));
      i += size;
    }
    return out;
  };
}

/**
 * Items per statement of the thread's multi-row statements (64 events bind 640 values; SQLite
 * allows 32,766). Past 64, larger statements measured no cheaper per row.
 */
const MULTI_ROW_MAX = 64;
const placeholders = (n: number) => Array(n).fill('?').join(', ');

/** A row of HIT_FACTS as an array (in that order): better-sqlite3 makes objects several times slower than a literal does. */
type RowOf<T extends ReadonlyArray<keyof HitFacts>> = { -readonly [K in keyof T]: HitFacts[T[K] & keyof HitFacts] };
type HitFactsRow = RowOf<typeof HIT_FACTS>;
const hitFactsOf = ([id, brand_id, contact_id, campaign_id, series_id, sent_at, opened_at, clicked_at]: HitFactsRow): HitFacts => ({ id, brand_id, contact_id, campaign_id, series_id, sent_at, opened_at, clicked_at });

/** The same inbox mark on a connection of its own (the tracking thread, and the writer's start-up check), prepared once. */
export function sqliteInboxMark(sqlite: Database.Database) {
  const read = sqlite.prepare('select folded from tracking_inbox where generation = ?').pluck();
  const write = sqlite.prepare(`insert into tracking_inbox (generation, folded, updated_at) values (?, ?, ?)
    on conflict (generation) do update set folded = excluded.folded, updated_at = excluded.updated_at`);
  return {
    written: (generation: string) => Number(read.get(generation) ?? 0),
    set: (generation: string, place: number, at: string) => void write.run(generation, place, at),
  };
}
