import type Database from 'better-sqlite3';
import { sql, type Insertable, type Selectable, type SelectQueryBuilder, type SqlBool, type Updateable } from 'kysely';
import type { Dialect, Executor } from '../store/db.ts';
import type { CampaignsTable, CampaignStatus, ContactStatus, DB, EnrolmentsTable, MessagesTable, SeriesStatus, SeriesStepsTable, SeriesTable, SuppressionsTable, Validation } from '../store/schema.ts';
import { fromJson } from '../shared/json.ts';
import type { EnrolmentStatus } from './model.ts';

export type SeriesRow = Selectable<SeriesTable>;
export type StepRow = Selectable<SeriesStepsTable>;
export type EnrolmentRow = Selectable<EnrolmentsTable>;
export type NewEnrolmentRow = Insertable<EnrolmentsTable>;
export type NewMessageRow = Insertable<MessagesTable>;

/** A step as the drip tick needs it: its carrier and the email version the carrier is pinned to. */
export interface StepWithCarrier extends StepRow {
  carrier_status: CampaignStatus | null;
  email_version: number | null;
}

/** A due enrolment with what the skip rules and the next due time need of its contact. */
export interface DueRow {
  id: string;
  contact_id: string;
  enrolled_at: string;
  last_position: number;
  email: string;
  status: ContactStatus;
  validation: Validation;
  time_zone: string | null;
  suppression: SuppressionsTable['reason'] | null;
}

/** Where a due enrolment sits in the order the tick cuts batches in. */
export interface DueKey {
  due_at: string;
  id: string;
}

/** One enrolment's new state after a tick or an edit. */
export interface Advance {
  id: string;
  last_position: number;
  next_step_id: string | null;
  next_due_at: string | null;
}

export interface EnrolmentEventRow {
  enrolment_id: string;
  at: string;
  type: string;
  step_id: string | null;
  detail: string;
}

/** Every query with a brand id names it: another brand's series reads as "not found". */
/**
 * Whether the contact in column `contact` may enter the series for something that happened at
 * column `at` (getting a tag, an event): never enrolled; or, with re-entry, not enrolled now and
 * not ended after that moment (what happened while enrolled does not bring it back).
 */
const mayEnter = (seriesId: string, contact: string, at: string, reentry: boolean) =>
  sql<SqlBool>`not exists (select 1 from enrolments e where e.series_id = ${seriesId} and e.contact_id = ${sql.ref(contact)}${
    reentry ? sql` and (e.status = 'active' or e.ended_at >= ${sql.ref(at)})` : sql``
  })`;

export const seriesRepo = {
  // ---- series ---------------------------------------------------------------------------------

  async insertSeries(db: Executor, row: Insertable<SeriesTable>): Promise<void> {
    await db.insertInto('series').values(row).execute();
  },

  async get(db: Executor, brandId: string, id: string): Promise<SeriesRow | undefined> {
    return db.selectFrom('series').selectAll().where('brand_id', '=', brandId).where('id', '=', id).executeTakeFirst();
  },

  async byId(db: Executor, id: string): Promise<SeriesRow | undefined> {
    return db.selectFrom('series').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async list(db: Executor, brandId: string, q: { status?: SeriesStatus; after?: string; limit: number }): Promise<Array<SeriesRow & { step_count: number }>> {
    let query = db
      .selectFrom('series')
      .selectAll('series')
      .select((eb) => eb.selectFrom('series_steps').select(sql<number>`count(*)`.as('n')).whereRef('series_steps.series_id', '=', 'series.id').as('step_count'))
      .where('brand_id', '=', brandId);
    if (q.status) query = query.where('status', '=', q.status);
    if (q.after) query = query.where('id', '<', q.after);
    return (await query.orderBy('id', 'desc').limit(q.limit).execute()) as Array<SeriesRow & { step_count: number }>;
  },

  async update(db: Executor, id: string, set: Updateable<SeriesTable>): Promise<void> {
    await db.updateTable('series').set(set).where('id', '=', id).execute();
  },

  /** Changes a series only while it is in one of `from`; returns whether it applied. */
  async transition(db: Executor, id: string, from: readonly SeriesStatus[], set: Updateable<SeriesTable>): Promise<boolean> {
    const r = await db.updateTable('series').set(set).where('id', '=', id).where('status', 'in', [...from]).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  /**
   * Serialises changes of one series' steps against the drip tick: edits take the row for update,
   * tick batches share it (PostgreSQL); on SQLite a write takes the database's single write lock
   * first, so what the transaction reads next is what it writes against.
   */
  async lock(db: Executor, dialect: Dialect, id: string, mode: 'edit' | 'tick'): Promise<SeriesRow | undefined> {
    if (dialect === 'sqlite') {
      return db.updateTable('series').set({ status: sql`status` }).where('id', '=', id).returningAll().executeTakeFirst();
    }
    const lockMode = mode === 'edit' ? sql`for update` : sql`for share`;
    const r = await sql<SeriesRow>`select * from series where id = ${id} ${lockMode}`.execute(db);
    return r.rows[0];
  },

  async active(db: Executor): Promise<SeriesRow[]> {
    return db.selectFrom('series').selectAll().where('status', '=', 'active').orderBy('id').execute();
  },

  // ---- steps ----------------------------------------------------------------------------------

  async steps(db: Executor, seriesId: string): Promise<StepRow[]> {
    return db.selectFrom('series_steps').selectAll().where('series_id', '=', seriesId).orderBy('position').execute();
  },

  async stepsWithCarriers(db: Executor, seriesId: string): Promise<StepWithCarrier[]> {
    return (await db
      .selectFrom('series_steps as st')
      .leftJoin('campaigns as c', 'c.id', 'st.campaign_id')
      .selectAll('st')
      .select(['c.status as carrier_status', 'c.email_version'])
      .where('st.series_id', '=', seriesId)
      .orderBy('st.position')
      .execute()) as StepWithCarrier[];
  },

  async insertStep(db: Executor, row: Insertable<SeriesStepsTable>): Promise<void> {
    await db.insertInto('series_steps').values(row).execute();
  },

  async updateStep(db: Executor, id: string, set: Updateable<SeriesStepsTable>): Promise<void> {
    await db.updateTable('series_steps').set(set).where('id', '=', id).execute();
  },

  async deleteStep(db: Executor, id: string): Promise<void> {
    await db.deleteFrom('series_steps').where('id', '=', id).execute();
  },

  /** What a step card shows of its email. */
  async stepEmails(db: Executor, brandId: string, ids: string[]): Promise<Array<{ id: string; name: string; subject: string; preheader: string; version: number; last_preflight: unknown }>> {
    if (ids.length === 0) return [];
    return db.selectFrom('emails').select(['id', 'name', 'subject', 'preheader', 'version', 'last_preflight']).where('brand_id', '=', brandId).where('id', 'in', ids).execute();
  },

  // ---- carriers (the steps' campaigns) --------------------------------------------------------

  async insertCarrier(db: Executor, row: Insertable<CampaignsTable>): Promise<void> {
    await db.insertInto('campaigns').values(row).execute();
  },

  async carriers(db: Executor, seriesId: string): Promise<Array<{ id: string; series_step_id: string | null; status: CampaignStatus; status_reason: string | null; sent: number; skipped: number; recipients: number }>> {
    return db.selectFrom('campaigns').select(['id', 'series_step_id', 'status', 'status_reason', 'sent', 'skipped', 'recipients']).where('series_id', '=', seriesId).execute();
  },

  /** Moves the series' carriers that are in one of `from` (pause, resume, start). */
  async setCarriers(db: Executor, seriesId: string, from: readonly CampaignStatus[], set: Updateable<CampaignsTable>): Promise<void> {
    await db.updateTable('campaigns').set(set).where('series_id', '=', seriesId).where('status', 'in', [...from]).execute();
  },

  async updateCarrier(db: Executor, id: string, set: Updateable<CampaignsTable>): Promise<void> {
    await db.updateTable('campaigns').set(set).where('id', '=', id).execute();
  },

  /** A removed step's or an archived series' carrier: nothing more of it goes out; queued messages are withdrawn. */
  async cancelCarriers(db: Executor, ids: string[], now: string): Promise<void> {
    if (ids.length === 0) return;
    await db
      .updateTable('campaigns')
      .set({ status: 'cancelled', status_reason: null, finished_at: now, fanout_done_at: now, updated_at: now })
      .where('id', 'in', ids)
      .where('status', 'not in', ['cancelled', 'sent', 'failed'])
      .execute();
    const withdrawn = await db.updateTable('messages').set({ status: 'cancelled', updated_at: now }).where('campaign_id', 'in', ids).where('status', '=', 'queued').returning('campaign_id').execute();
    await addCancelled(db, withdrawn, now);
  },

  /**
   * Counts handed-off messages on their carriers, as fan-out does for a campaign. PostgreSQL: the
   * carriers are locked in id order first (batches committing at once, from lanes or other
   * processes, take them in the same order, so they never deadlock), then one statement counts on
   * all of them. SQLite has one writer at a time: a statement per carrier.
   */
  async countHandedOff(db: Executor, dialect: Dialect, counts: Array<{ id: string; recipients: number; skipped: number }>, now: string): Promise<void> {
    if (counts.length === 0) return;
    if (dialect === 'sqlite') {
      for (const c of counts) {
        await db
          .updateTable('campaigns')
          .set((eb) => ({ recipients: eb('recipients', '+', c.recipients), skipped: eb('skipped', '+', c.skipped), updated_at: now }))
          .where('id', '=', c.id)
          .execute();
      }
      return;
    }
    const ids = counts.map((c) => c.id);
    // The lock an UPDATE of non-key columns takes: it lets other batches' outbox inserts check their carrier (key share).
    await sql`select id from campaigns where id = any(${ids}::text[]) order by id for no key update`.execute(db);
    await sql`
      update campaigns set recipients = campaigns.recipients + v.recipients, skipped = campaigns.skipped + v.skipped, updated_at = ${now}
      from unnest(${ids}::text[], ${counts.map((c) => c.recipients)}::int[], ${counts.map((c) => c.skipped)}::int[]) as v(id, recipients, skipped)
      where campaigns.id = v.id`.execute(db);
  },

  // ---- enrolments -----------------------------------------------------------------------------

  async counts(db: Executor, seriesId: string): Promise<Array<{ status: EnrolmentStatus; exit_reason: string | null; n: number }>> {
    const rows = await db
      .selectFrom('enrolments')
      .select(['status', 'exit_reason', sql<number>`count(*)`.as('n')])
      .where('series_id', '=', seriesId)
      .groupBy(['status', 'exit_reason'])
      .execute();
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  },

  /** Enrolments by how far they got, for the drop-off from step to step. */
  async progress(db: Executor, seriesId: string): Promise<Array<{ last_position: number; status: EnrolmentStatus; n: number }>> {
    const rows = await db
      .selectFrom('enrolments')
      .select(['last_position', 'status', sql<number>`count(*)`.as('n')])
      .where('series_id', '=', seriesId)
      .groupBy(['last_position', 'status'])
      .execute();
    return rows.map((r) => ({ last_position: Number(r.last_position), status: r.status, n: Number(r.n) }));
  },

  async enrolment(db: Executor, seriesId: string, id: string): Promise<(EnrolmentRow & { email: string | null }) | undefined> {
    return db
      .selectFrom('enrolments as e')
      .leftJoin('contacts as c', 'c.id', 'e.contact_id')
      .selectAll('e')
      .select('c.email')
      .where('e.series_id', '=', seriesId)
      .where('e.id', '=', id)
      .executeTakeFirst();
  },

  async enrolments(db: Executor, seriesId: string, q: { status?: EnrolmentStatus; after?: string; limit: number }): Promise<Array<EnrolmentRow & { email: string | null }>> {
    let query = db.selectFrom('enrolments as e').leftJoin('contacts as c', 'c.id', 'e.contact_id').selectAll('e').select('c.email').where('e.series_id', '=', seriesId);
    if (q.status) query = query.where('e.status', '=', q.status);
    if (q.after) query = query.where('e.id', '<', q.after);
    return query.orderBy('e.id', 'desc').limit(q.limit).execute();
  },

  /** The series' enrolments of these contacts, every status: what re-entry rules decide on. */
  async existing(db: Executor, seriesId: string, contactIds: readonly string[]): Promise<Array<{ id: string; contact_id: string; status: EnrolmentStatus; ended_at: string | null }>> {
    if (contactIds.length === 0) return [];
    return db.selectFrom('enrolments').select(['id', 'contact_id', 'status', 'ended_at']).where('series_id', '=', seriesId).where('contact_id', 'in', [...contactIds]).execute();
  },

  /** Contacts of the brand by id (deleted ones are absent) with their time zone. */
  async contactZones(db: Executor, brandId: string, ids: readonly string[]): Promise<Array<{ id: string; time_zone: string | null }>> {
    if (ids.length === 0) return [];
    return db.selectFrom('contacts').select(['id', 'time_zone']).where('brand_id', '=', brandId).where('id', 'in', [...ids]).execute();
  },

  async contactIdByEmail(db: Executor, brandId: string, email: string): Promise<string | undefined> {
    const r = await db.selectFrom('contacts').select('id').where('brand_id', '=', brandId).where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
    return r?.id;
  },

  /** New enrolments; a contact already active in the series is left alone (the partial unique index). */
  async insertEnrolments(db: Executor, rows: NewEnrolmentRow[]): Promise<Array<{ id: string; contact_id: string }>> {
    if (rows.length === 0) return [];
    return db
      .insertInto('enrolments')
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .returning(['id', 'contact_id'])
      .execute();
  },

  async insertEvents(db: Executor, rows: EnrolmentEventRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 1000) await db.insertInto('enrolment_events').values(rows.slice(i, i + 1000)).execute();
  },

  /** Ends active enrolments; returns those that were still active (another path may have ended some). */
  async end(db: Executor, ids: readonly string[], set: { status: 'exited' | 'completed'; exit_reason: string | null; now: string }): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await db
      .updateTable('enrolments')
      .set({ status: set.status, exit_reason: set.exit_reason, next_step_id: null, next_due_at: null, ended_at: set.now, updated_at: set.now })
      .where('id', 'in', [...ids])
      .where('status', '=', 'active')
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  },

  /** Queued step messages of enrolments of a series that ended: withdrawn, and counted on their carriers. */
  async withdraw(db: Executor, seriesId: string, enrolmentIds: readonly string[], now: string): Promise<number> {
    if (enrolmentIds.length === 0) return 0;
    const keys = dedupeKeys(enrolmentIds, await stepIdsEver(db, seriesId));
    let withdrawn = 0;
    for (let i = 0; i < keys.length; i += 1000) {
      const rows = await db
        .updateTable('messages')
        .set({ status: 'cancelled', updated_at: now })
        .where('dedupe_key', 'in', keys.slice(i, i + 1000))
        .where('status', '=', 'queued')
        .returning('campaign_id')
        .execute();
      await addCancelled(db, rows, now);
      withdrawn += rows.length;
    }
    return withdrawn;
  },

  /** Positions of the last handled step move with the steps (an insert or a removal before them). */
  async shiftLastPositions(db: Executor, seriesId: string, from: number, delta: number): Promise<void> {
    await db
      .updateTable('enrolments')
      .set((eb) => ({ last_position: eb('last_position', '+', delta) }))
      .where('series_id', '=', seriesId)
      .where('status', '=', 'active')
      .where('last_position', '>=', from)
      .execute();
  },

  /** A reorder: each enrolment's last handled position follows its step to where it went. */
  async mapLastPositions(db: Executor, seriesId: string, moves: Array<[from: number, to: number]>): Promise<void> {
    const changed = moves.filter(([a, b]) => a !== b);
    if (changed.length === 0) return;
    const arms = sql.join(
      changed.map(([a, b]) => sql`when ${a} then ${b}`),
      sql` `,
    );
    await db
      .updateTable('enrolments')
      .set({ last_position: sql`case last_position ${arms} else last_position end` })
      .where('series_id', '=', seriesId)
      .where('status', '=', 'active')
      .where(
        'last_position',
        'in',
        changed.map(([a]) => a),
      )
      .execute();
  },

  /**
   * Active enrolments of a series (optionally only those whose next step is `nextStepId`, or whose
   * last handled position is `lastPosition`), a page at a time by id, with the contact's zone:
   * what recomputing due times after an edit needs.
   */
  async toRecompute(
    db: Executor,
    seriesId: string,
    q: { nextStepId?: string | null; lastPosition?: number; after: string | null; limit: number },
  ): Promise<Array<{ id: string; enrolled_at: string; last_position: number; time_zone: string | null }>> {
    let query = db
      .selectFrom('enrolments as e')
      .innerJoin('contacts as c', 'c.id', 'e.contact_id')
      .select(['e.id', 'e.enrolled_at', 'e.last_position', 'c.time_zone'])
      .where('e.series_id', '=', seriesId)
      .where('e.status', '=', 'active');
    if (q.nextStepId !== undefined) query = q.nextStepId === null ? query.where('e.next_step_id', 'is', null) : query.where('e.next_step_id', '=', q.nextStepId);
    if (q.lastPosition !== undefined) query = query.where('e.last_position', '=', q.lastPosition);
    if (q.after) query = query.where('e.id', '>', q.after);
    const rows = await query.orderBy('e.id').limit(q.limit).execute();
    return rows.map((r) => ({ ...r, last_position: Number(r.last_position) }));
  },

  /**
   * Writes each enrolment's progress. SQLite (the caller's transaction, on its raw handle): one
   * prepared statement per row; not UPDATE … FROM (VALUES …), which with bound values makes SQLite
   * scan the whole table against them. PostgreSQL: one statement over column arrays (four
   * parameters whatever the row count, planned as index lookups).
   */
  async advance(db: Executor, sqlite: Database.Database | undefined, rows: Advance[], now: string): Promise<void> {
    if (rows.length === 0) return;
    if (sqlite) {
      const update = prepared(sqlite, 'advance', 'update enrolments set last_position = ?, next_step_id = ?, next_due_at = ?, updated_at = ? where id = ?');
      for (const r of rows) update.run(r.last_position, r.next_step_id, r.next_due_at, now, r.id);
      return;
    }
    await sql`
      update enrolments set last_position = v.last_position, next_step_id = v.next_step_id, next_due_at = v.next_due_at, updated_at = ${now}
      from unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.last_position)}::int[], ${rows.map((r) => r.next_step_id)}::text[], ${rows.map((r) => r.next_due_at)}::timestamptz[])
        as v(id, last_position, next_step_id, next_due_at)
      where enrolments.id = v.id`.execute(db);
  },

  // ---- the drip tick ----------------------------------------------------------------------------

  /**
   * PostgreSQL: the transaction's commit does not wait for its WAL to reach the disk. Safe for a
   * delivered batch: a server crash that loses it loses its outbox rows and its enrolment moves
   * together (its job, not yet recorded as done, runs again), and no worker can send one of its
   * messages first, because a claim commits synchronously, which flushes all the WAL before it.
   */
  async commitWithoutFlush(db: Executor, dialect: Dialect): Promise<void> {
    if (dialect === 'postgres') await sql`set local synchronous_commit = off`.execute(db);
  },

  /**
   * The keys (due time, id) of one series' active enrolments due in (after, upTo], in that order:
   * what the tick cuts into batches. Walks `enrolments_due_idx` (series_id, next_due_at, id) in its order.
   */
  async dueKeys(db: Executor, seriesId: string, after: string | null, upTo: string): Promise<DueKey[]> {
    const r = await sql<DueKey>`
      select next_due_at as due_at, id from enrolments
      where series_id = ${seriesId} and status = 'active' and next_due_at <= ${upTo}${after === null ? sql`` : sql` and next_due_at > ${after}`}
      order by next_due_at, id`.execute(db);
    return r.rows;
  },

  /**
   * The active enrolments of a key range (`after` exclusive; an `after` without id leaves out
   * every enrolment due at that time; `through` inclusive, never later than the tick that cut
   * it), with their contact's skip facts: what delivering a handed-off batch needs. Enrolments
   * only leave a range, so it never holds more than the tick found (`size`); saying so lets
   * PostgreSQL, which cannot estimate a range of row values, plan index lookups instead of
   * scanning all contacts. On PostgreSQL the rows are locked, and rows another process holds (a
   * batch delivered twice at once) are passed over.
   */
  async dueInRange(db: Executor, dialect: Dialect, seriesId: string, range: { after: { dueAt: string; id: string | null } | null; through: { dueAt: string; id: string }; size: number }): Promise<DueRow[]> {
    const { after, through } = range;
    const lower = after === null ? sql`` : after.id === null ? sql` and e.next_due_at > ${after.dueAt}` : sql` and (e.next_due_at, e.id) > (${after.dueAt}, ${after.id})`;
    const lock = dialect === 'postgres' ? sql`for update of e skip locked` : sql``;
    const r = await sql<DueRow>`
      select e.id, e.contact_id, e.enrolled_at, e.last_position, c.email, c.status, c.validation, c.time_zone, s.reason as suppression
      from enrolments e
      join contacts c on c.id = e.contact_id
      left join suppressions s on s.brand_id = c.brand_id and s.email = c.email
      where e.series_id = ${seriesId} and e.status = 'active' and (e.next_due_at, e.id) <= (${through.dueAt}, ${through.id})${lower}
      order by e.next_due_at, e.id
      limit ${range.size}
      ${lock}`.execute(db);
    return r.rows;
  },

  /** Moves the tick's mark (migration 015); null makes the next tick look at every due enrolment. */
  async setHandedUntil(db: Executor, id: string, at: string | null): Promise<void> {
    await db.updateTable('series').set({ handed_until: at }).where('id', '=', id).execute();
  },

  /** Whether an active enrolment of the series is still due at or before `at`: a batch handed off by then was never delivered. */
  async dueAtOrBefore(db: Executor, seriesId: string, at: string): Promise<boolean> {
    const r = await sql`select 1 as one from enrolments where series_id = ${seriesId} and status = 'active' and next_due_at <= ${at} limit 1`.execute(db);
    return r.rows.length > 0;
  },

  /**
   * Outbox rows of step messages; returns the dedupe keys actually written (a step already sent to
   * an enrolment is not). SQLite: a prepared statement per row on the transaction's raw handle;
   * PostgreSQL: one statement over column arrays, one parameter per column.
   */
  async insertMessages(db: Executor, sqlite: Database.Database | undefined, rows: NewMessageRow[]): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    if (sqlite) {
      const insert = prepared(sqlite, 'insertMessage', `insert into messages (${MESSAGE_COLUMNS.join(', ')}) values (${MESSAGE_COLUMNS.map(() => '?').join(', ')}) on conflict (dedupe_key) do nothing`);
      const written = new Set<string>();
      for (const row of rows) if (insert.run(MESSAGE_COLUMNS.map((c) => row[c] ?? null)).changes > 0) written.add(row.dedupe_key);
      return written;
    }
    const col = (c: (typeof MESSAGE_COLUMNS)[number]) => rows.map((r) => r[c] ?? null);
    const written = await sql<{ dedupe_key: string }>`
      insert into messages (${sql.raw(MESSAGE_COLUMNS.join(', '))})
      select * from unnest(
        ${col('id')}::text[], ${col('brand_id')}::text[], ${col('dedupe_key')}::text[], ${col('campaign_id')}::text[], ${col('series_id')}::text[],
        ${col('enrolment_id')}::text[], ${col('step')}::int[], ${col('contact_id')}::text[], ${col('email')}::text[], ${col('email_id')}::text[],
        ${col('email_version')}::int[], ${col('provider_id')}::text[], ${col('status')}::text[], ${col('skip_reason')}::text[],
        ${col('due_at')}::timestamptz[], ${col('created_at')}::timestamptz[], ${col('updated_at')}::timestamptz[])
      on conflict (dedupe_key) do nothing
      returning dedupe_key`.execute(db);
    return new Set(written.rows.map((r) => r.dedupe_key));
  },

  /** Contacts among `ids` that have the goal tag. */
  async withTag(db: Executor, tagId: string, contactIds: readonly string[]): Promise<Set<string>> {
    if (contactIds.length === 0) return new Set();
    const rows = await db.selectFrom('contact_tags').select('contact_id').where('tag_id', '=', tagId).where('contact_id', 'in', [...contactIds]).execute();
    return new Set(rows.map((r) => r.contact_id));
  },

  /** The latest event of type `name` per contact among `ids`. */
  async latestEvents(db: Executor, brandId: string, name: string, contactIds: readonly string[]): Promise<Map<string, string>> {
    if (contactIds.length === 0) return new Map();
    const rows = await db
      .selectFrom('events')
      .select(['contact_id', sql<string>`max(occurred_at)`.as('at')])
      .where('brand_id', '=', brandId)
      .where('type', '=', name)
      .where('contact_id', 'in', [...contactIds])
      .groupBy('contact_id')
      .execute();
    return new Map(rows.map((r) => [r.contact_id, new Date(r.at).toISOString()]));
  },

  // ---- sweeps: exits and triggers ---------------------------------------------------------------

  /** Active enrolments whose contact unsubscribed, bounced or complained (status or suppression), from the contacts' side. */
  async optedOut(db: Executor, brandId: string, seriesId: string): Promise<Array<{ id: string; status: ContactStatus; suppression: SuppressionsTable['reason'] | null }>> {
    const byStatus = await db
      .selectFrom('contacts as c')
      .innerJoin('enrolments as e', (j) => j.onRef('e.contact_id', '=', 'c.id').on('e.series_id', '=', seriesId).on('e.status', '=', 'active'))
      .select(['e.id', 'c.status', sql<null>`null`.as('suppression')])
      .where('c.brand_id', '=', brandId)
      .where('c.status', 'in', ['unsubscribed', 'bounced', 'complained'])
      .execute();
    const bySuppression = await db
      .selectFrom('suppressions as s')
      .innerJoin('contacts as c', (j) => j.onRef('c.brand_id', '=', 's.brand_id').onRef('c.email', '=', 's.email'))
      .innerJoin('enrolments as e', (j) => j.onRef('e.contact_id', '=', 'c.id').on('e.series_id', '=', seriesId).on('e.status', '=', 'active'))
      .select(['e.id', 'c.status', 's.reason as suppression'])
      .where('s.brand_id', '=', brandId)
      .execute();
    return [...bySuppression, ...byStatus];
  },

  async reachedGoalTag(db: Executor, seriesId: string, tagId: string): Promise<string[]> {
    const rows = await db
      .selectFrom('contact_tags as ct')
      .innerJoin('enrolments as e', (j) => j.onRef('e.contact_id', '=', 'ct.contact_id').on('e.series_id', '=', seriesId).on('e.status', '=', 'active'))
      .select('e.id')
      .where('ct.tag_id', '=', tagId)
      .execute();
    return rows.map((r) => r.id);
  },

  async reachedGoalEvent(db: Executor, brandId: string, seriesId: string, name: string, since: string): Promise<string[]> {
    const rows = await db
      .selectFrom('events as ev')
      .innerJoin('enrolments as e', (j) => j.onRef('e.contact_id', '=', 'ev.contact_id').on('e.series_id', '=', seriesId).on('e.status', '=', 'active'))
      .select('e.id')
      .distinct()
      .where('ev.brand_id', '=', brandId)
      .where('ev.type', '=', name)
      .where('ev.occurred_at', '>=', since)
      .whereRef('ev.occurred_at', '>=', 'e.enrolled_at')
      .execute();
    return rows.map((r) => r.id);
  },

  /** Contacts that got the tag since `since` and may enter (re-entry rule applied to when they got it), after `after`. */
  async taggedSince(db: Executor, q: { seriesId: string; tagId: string; since: string; reentry: boolean; after: string | null; limit: number }): Promise<string[]> {
    let query = db
      .selectFrom('contact_tags as ct')
      .select('ct.contact_id')
      .where('ct.tag_id', '=', q.tagId)
      .where('ct.created_at', '>=', q.since)
      .where(mayEnter(q.seriesId, 'ct.contact_id', 'ct.created_at', q.reentry));
    if (q.after) query = query.where('ct.contact_id', '>', q.after);
    return (await query.orderBy('ct.contact_id').limit(q.limit).execute()).map((r) => r.contact_id);
  },

  /** Contacts with an event `name` since `since` that may enter (re-entry rule applied to the event's time), after `after`. */
  async eventSince(db: Executor, q: { brandId: string; seriesId: string; name: string; since: string; reentry: boolean; after: string | null; limit: number }): Promise<string[]> {
    let query = db
      .selectFrom('events as ev')
      .select('ev.contact_id')
      .distinct()
      .where('ev.brand_id', '=', q.brandId)
      .where('ev.type', '=', q.name)
      .where('ev.occurred_at', '>=', q.since)
      .where(mayEnter(q.seriesId, 'ev.contact_id', 'ev.occurred_at', q.reentry));
    if (q.after) query = query.where('ev.contact_id', '>', q.after);
    return (await query.orderBy('ev.contact_id').limit(q.limit).execute()).map((r) => r.contact_id);
  },

  /** Members of a segment (its compiled query) that were never enrolled in the series, after `after`, in id order. */
  async notEnrolled(members: SelectQueryBuilder<DB, 'contacts', { id: string }>, seriesId: string, after: string | null, limit: number): Promise<string[]> {
    let query = members.where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('enrolments as e').select('e.id').where('e.series_id', '=', seriesId).whereRef('e.contact_id', '=', 'contacts.id'))),
    );
    if (after) query = query.where('contacts.id', '>', after);
    return (await query.orderBy('contacts.id').limit(limit).execute()).map((r) => r.id);
  },

  /** Active enrolments of a series, a page at a time by id. */
  async activeIds(db: Executor, seriesId: string, after: string | null, limit: number): Promise<string[]> {
    let query = db.selectFrom('enrolments').select('id').where('series_id', '=', seriesId).where('status', '=', 'active');
    if (after) query = query.where('id', '>', after);
    return (await query.orderBy('id').limit(limit).execute()).map((r) => r.id);
  },

  async tagExists(db: Executor, brandId: string, tagId: string): Promise<boolean> {
    return !!(await db.selectFrom('tags').select('id').where('brand_id', '=', brandId).where('id', '=', tagId).executeTakeFirst());
  },

  // ---- the trail --------------------------------------------------------------------------------

  async enrolmentEvents(db: Executor, enrolmentId: string): Promise<Array<{ at: string; type: string; step_id: string | null; detail: unknown }>> {
    return db.selectFrom('enrolment_events').select(['at', 'type', 'step_id', 'detail']).where('enrolment_id', '=', enrolmentId).orderBy('at').execute();
  },

  async enrolmentMessages(db: Executor, seriesId: string, enrolmentId: string): Promise<Array<{ id: string; dedupe_key: string; step: number | null; status: string; skip_reason: string | null; error: string | null; created_at: string; updated_at: string }>> {
    return db
      .selectFrom('messages')
      .select(['id', 'dedupe_key', 'step', 'status', 'skip_reason', 'error', 'created_at', 'updated_at'])
      .where('dedupe_key', 'in', dedupeKeys([enrolmentId], await stepIdsEver(db, seriesId)))
      .orderBy('created_at')
      .execute();
  },

  /** The events of one contact's step messages: a short range of events_contact_idx (events have no message index, migration 016). */
  async messageEvents(db: Executor, contactId: string, messageIds: readonly string[]): Promise<Array<{ message_id: string | null; type: string; occurred_at: string; data: unknown; machine: number }>> {
    if (messageIds.length === 0) return [];
    return db
      .selectFrom('events')
      .select(['message_id', 'type', 'occurred_at', 'data', 'machine'])
      .where('contact_id', '=', contactId)
      .where('message_id', 'in', [...messageIds])
      .orderBy('occurred_at')
      .execute();
  },
};

/** Every step the series ever had, removed ones too: their carriers stay (with their messages) when a step goes. */
async function stepIdsEver(db: Executor, seriesId: string): Promise<string[]> {
  const rows = await db.selectFrom('campaigns').select('series_step_id').where('series_id', '=', seriesId).execute();
  return rows.flatMap((r) => (r.series_step_id ? [r.series_step_id] : []));
}

/** The outbox's unique keys of enrolments' step messages. */
const dedupeKeys = (enrolmentIds: readonly string[], stepIds: readonly string[]) => enrolmentIds.flatMap((e) => stepIds.map((s) => `${e}:${s}`));

const MESSAGE_COLUMNS = ['id', 'brand_id', 'dedupe_key', 'campaign_id', 'series_id', 'enrolment_id', 'step', 'contact_id', 'email', 'email_id', 'email_version', 'provider_id', 'status', 'skip_reason', 'due_at', 'created_at', 'updated_at'] as const satisfies ReadonlyArray<keyof NewMessageRow>;
const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function prepared(sqlite: Database.Database, name: string, text: string): Database.Statement {
  let mine = statements.get(sqlite);
  if (!mine) statements.set(sqlite, (mine = new Map()));
  let st = mine.get(name);
  if (!st) mine.set(name, (st = sqlite.prepare(text)));
  return st;
}

async function addCancelled(db: Executor, rows: Array<{ campaign_id: string | null }>, now: string): Promise<void> {
  const perCarrier = new Map<string, number>();
  for (const { campaign_id } of rows) if (campaign_id) perCarrier.set(campaign_id, (perCarrier.get(campaign_id) ?? 0) + 1);
  for (const [id, n] of perCarrier) {
    await db
      .updateTable('campaigns')
      .set((eb) => ({ cancelled: eb('cancelled', '+', n), updated_at: now }))
      .where('id', '=', id)
      .execute();
  }
}

export const beatsOf = (r: StepRow): string[] => fromJson<string[]>(r.beats, []);
