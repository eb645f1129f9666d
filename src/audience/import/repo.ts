import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type Database from 'better-sqlite3';
import type { Executor, Store } from '../../store/db.ts';
import type { ContactStatus, ImportsTable } from '../../store/schema.ts';
import type { FieldType } from '../model.ts';
import type { ImportProgress } from './model.ts';

/**
 * SQL of imports and exports. The import's hot path (contacts, their tags and timeline events, a
 * few thousand rows per transaction) is written per dialect: raw prepared multi-row statements on
 * the better-sqlite3 handle, and `unnest` arrays on PostgreSQL (one statement per table per batch).
 */

export type ImportRow = Selectable<ImportsTable>;
type ImportChange = Omit<Updateable<ImportsTable>, 'id' | 'brand_id'>;

export const importsRepo = {
  async insert(db: Executor, row: Insertable<ImportsTable>) {
    await db.insertInto('imports').values(row).execute();
  },

  async get(db: Executor, id: string, brandId?: string): Promise<ImportRow | undefined> {
    let q = db.selectFrom('imports').selectAll().where('id', '=', id);
    if (brandId) q = q.where('brand_id', '=', brandId);
    return q.executeTakeFirst();
  },

  async list(db: Executor, brandId: string, opts: { limit: number; before?: string }): Promise<ImportRow[]> {
    let q = db.selectFrom('imports').selectAll().where('brand_id', '=', brandId);
    if (opts.before) q = q.where('id', '<', opts.before);
    return q.orderBy('id', 'desc').limit(opts.limit).execute();
  },

  /** Moves an import between statuses only from the expected one(s): concurrent callers cannot both win. */
  async transition(db: Executor, id: string, from: ReadonlyArray<ImportRow['status']>, set: ImportChange): Promise<boolean> {
    const r = await db.updateTable('imports').set(set).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  async customFields(db: Executor, brandId: string): Promise<Map<string, FieldType>> {
    const rows = await db.selectFrom('custom_fields').select(['key', 'type']).where('brand_id', '=', brandId).orderBy('key').execute();
    return new Map(rows.map((r) => [r.key, r.type]));
  },

  /** Creates the fields that do not exist yet; an existing one keeps its type (the caller checks it). */
  async createFields(db: Executor, brandId: string, fields: Array<{ id: string; key: string; label: string; type: FieldType }>, at: string) {
    if (fields.length === 0) return;
    await db
      .insertInto('custom_fields')
      .values(fields.map((f) => ({ id: f.id, brand_id: brandId, key: f.key, label: f.label, type: f.type, created_at: at })))
      .onConflict((oc) => oc.columns(['brand_id', 'key']).doNothing())
      .execute();
  },

  async tagIds(db: Executor, brandId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await db.selectFrom('tags').select('id').where('brand_id', '=', brandId).where('id', 'in', ids).execute();
    return new Set(rows.map((r) => r.id));
  },

  async tags(db: Executor, brandId: string): Promise<Array<{ id: string; name: string }>> {
    return db.selectFrom('tags').select(['id', 'name']).where('brand_id', '=', brandId).execute();
  },

  async createTags(db: Executor, brandId: string, tags: Array<{ id: string; name: string; color: string }>, at: string) {
    if (tags.length === 0) return;
    await db
      .insertInto('tags')
      .values(tags.map((t) => ({ id: t.id, brand_id: brandId, name: t.name, color: t.color, description: '', created_at: at })))
      .onConflict((oc) => oc.columns(['brand_id', 'name']).doNothing())
      .execute();
  },

  async remove(db: Executor, id: string) {
    await db.deleteFrom('imports').where('id', '=', id).where('status', '=', 'uploaded').execute();
  },

  /** Marks the end of a run, unless another run took the import over since `checkpointRow`. */
  async finish(db: Executor, id: string, checkpointRow: number, set: ImportChange): Promise<boolean> {
    const r = await db.updateTable('imports').set(set).where('id', '=', id).where('status', '=', 'running').where('checkpoint_row', '=', checkpointRow).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  // ---- export -------------------------------------------------------------------------------

  async contactsByIds(db: Executor, brandId: string, ids: string[]) {
    if (ids.length === 0) return [];
    return db.selectFrom('contacts').selectAll().where('brand_id', '=', brandId).where('id', 'in', ids).orderBy('id').execute();
  },

  async tagNamesOf(db: Executor, contactIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (contactIds.length === 0) return out;
    const rows = await db
      .selectFrom('contact_tags')
      .innerJoin('tags', 'tags.id', 'contact_tags.tag_id')
      .select(['contact_tags.contact_id', 'tags.name'])
      .where('contact_tags.contact_id', 'in', contactIds)
      .orderBy('tags.name')
      .execute();
    for (const r of rows) {
      const list = out.get(r.contact_id);
      if (list) list.push(r.name);
      else out.set(r.contact_id, [r.name]);
    }
    return out;
  },
};

// ---- the import's batch path ------------------------------------------------------------------

export interface NewContact {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  country: string | null;
  language: string | null;
  time_zone: string | null;
  status: ContactStatus;
  consent_source: string | null;
  consent_at: string | null;
  validation: string;
  validation_reason: string | null;
  /** JSON object text. */
  attributes: string;
}

/** Values of an existing contact to overwrite; null keeps what is stored. */
export interface ContactChange {
  id: string;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  country: string | null;
  language: string | null;
  time_zone: string | null;
  status: ContactStatus;
  consent_source: string | null;
  consent_at: string | null;
  /** JSON object merged into the stored attributes ("{}" changes nothing). */
  attributes: string;
}

export interface Checkpoint extends ImportProgress {
  checkpointRow: number;
  resultsBytes: number;
}

/** The statements of one batch, all inside one transaction. */
export interface BatchWriter {
  /** Inserts the contacts whose email the brand does not have yet; returns the emails inserted. */
  insertNew(rows: NewContact[]): Promise<Set<string>>;
  findExisting(emails: string[]): Promise<Map<string, { id: string; status: ContactStatus }>>;
  updateContacts(rows: ContactChange[]): Promise<void>;
  createTags(tags: Array<{ id: string; name: string; color: string }>): Promise<void>;
  /** Lower-cased name → id. */
  tagIdsByLowerName(lowerNames: string[]): Promise<Map<string, string>>;
  addContactTags(contactIds: string[], tagIds: string[]): Promise<void>;
  addEvents(ids: string[], contactIds: string[], types: string[]): Promise<void>;
  /** Records progress if the import is still running from `expectedRow`; false means cancelled or taken over. */
  saveCheckpoint(expectedRow: number, c: Checkpoint): Promise<boolean>;
}

export interface BatchContext {
  brandId: string;
  importId: string;
}

export interface BatchRunner {
  /** Runs `fn` in one transaction of the dialect's batch writer, stamping rows with `at`; a throw rolls the whole batch back. */
  run<T>(at: string, fn: (w: BatchWriter) => Promise<T>): Promise<T>;
  /** The run is over (done, stopped or failed). */
  close(): Promise<void>;
}

export function batchRunner(store: Store, ctx: BatchContext): BatchRunner {
  return store.dialect === 'sqlite' ? sqliteRunner(store, ctx) : postgresRunner(store, ctx);
}

// ---- SQLite: prepared multi-row statements on the raw handle -------------------------------------

const CONTACT_COLUMNS = 'id, brand_id, email, first_name, last_name, phone, country, language, time_zone, status, consent_source, consent_at, validation, validation_reason, attributes, created_at, updated_at';

/**
 * A multi-row INSERT prepared once per row count actually used (a full chunk and the last, shorter
 * one). Arguments are built one statement at a time: small arrays die young instead of piling up
 * in V8's large-object space, which only a full GC empties.
 */
class MultiRow {
  private readonly cache = new Map<number, Database.Statement>();
  constructor(
    private readonly db: Database.Database,
    private readonly head: string,
    private readonly tuple: string,
    private readonly tail: string,
    private readonly chunk: number,
  ) {}

  private statement(rows: number): Database.Statement {
    let s = this.cache.get(rows);
    if (!s) {
      s = this.db.prepare(`${this.head} ${Array(rows).fill(this.tuple).join(',')} ${this.tail}`);
      this.cache.set(rows, s);
    }
    return s;
  }

  /** Inserts `count` rows; `fill` pushes row i's values (the tuple's `?`s); `named` binds the @constants. */
  run(count: number, fill: (args: unknown[], i: number) => void, named: Record<string, unknown>): void {
    for (let done = 0; done < count; done += this.chunk) {
      const rows = Math.min(this.chunk, count - done);
      const args: unknown[] = [];
      for (let i = done; i < done + rows; i++) fill(args, i);
      this.statement(rows).run(args, named);
    }
  }
}

function sqliteRunner(store: Store, ctx: BatchContext): BatchRunner {
  const db = store.sqlite!;
  const insertContacts = new MultiRow(db, `insert into contacts (${CONTACT_COLUMNS}) values`, '(?, @brand, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, @at, @at)', '', 64);
  const contactTags = new MultiRow(db, 'insert into contact_tags (contact_id, tag_id, created_at) values', '(?, ?, @at)', 'on conflict do nothing', 256);
  const events = new MultiRow(db, 'insert into events (id, brand_id, contact_id, type, campaign_id, series_id, occurred_at, data) values', '(?, @brand, ?, ?, null, null, @at, @data)', '', 256);
  const findExisting = db.prepare('select email, id, status from contacts where brand_id = ? and email in (select value from json_each(?))');
  const update = db.prepare(
    `update contacts set first_name = coalesce(?, first_name), last_name = coalesce(?, last_name), phone = coalesce(?, phone),
       country = coalesce(?, country), language = coalesce(?, language), time_zone = coalesce(?, time_zone), status = ?,
       consent_source = coalesce(?, consent_source), consent_at = coalesce(?, consent_at), attributes = json_patch(attributes, ?), updated_at = ?
     where id = ?`,
  );
  const createTag = db.prepare(`insert into tags (id, brand_id, name, color, description, created_at) values (?, ?, ?, ?, '', ?) on conflict (brand_id, name) do nothing`);
  const tagsByLower = db.prepare('select id, lower(name) as name from tags where brand_id = ? and lower(name) in (select value from json_each(?))');
  const checkpoint = db.prepare(
    `update imports set bytes_read = ?, rows_total = ?, rows_imported = ?, rows_updated = ?, rows_skipped = ?, rows_failed = ?, checkpoint_row = ?, results_bytes = ?
     where id = ? and status = 'running' and checkpoint_row = ?`,
  );
  const eventData = JSON.stringify({ importId: ctx.importId });

  const existingIn = (emails: string[]) => {
    const rows = findExisting.all(ctx.brandId, JSON.stringify(emails)) as Array<{ email: string; id: string; status: ContactStatus }>;
    return new Map(rows.map((r) => [r.email, { id: r.id, status: r.status }]));
  };

  const writerAt = (at: string): BatchWriter => ({
    async insertNew(rows) {
      // The lookup runs in this same write transaction (BEGIN IMMEDIATE holds SQLite's only write
      // lock), so no other writer can add one of these emails before the plain INSERT below.
      const existing = existingIn(rows.map((r) => r.email));
      const fresh = existing.size === 0 ? rows : rows.filter((r) => !existing.has(r.email));
      insertContacts.run(
        fresh.length,
        (a, i) => {
          const r = fresh[i];
          a.push(r.id, r.email, r.first_name, r.last_name, r.phone, r.country, r.language, r.time_zone, r.status, r.consent_source, r.consent_at, r.validation, r.validation_reason, r.attributes);
        },
        { brand: ctx.brandId, at },
      );
      return new Set(fresh.map((r) => r.email));
    },
    async findExisting(emails) {
      return existingIn(emails);
    },
    async updateContacts(rows) {
      for (const r of rows) {
        update.run(r.first_name, r.last_name, r.phone, r.country, r.language, r.time_zone, r.status, r.consent_source, r.consent_at, r.attributes, at, r.id);
      }
    },
    async createTags(tags) {
      for (const t of tags) createTag.run(t.id, ctx.brandId, t.name, t.color, at);
    },
    async tagIdsByLowerName(lowerNames) {
      const rows = tagsByLower.all(ctx.brandId, JSON.stringify(lowerNames)) as Array<{ id: string; name: string }>;
      return new Map(rows.map((r) => [r.name, r.id]));
    },
    async addContactTags(contactIds, tagIds) {
      contactTags.run(contactIds.length, (a, i) => a.push(contactIds[i], tagIds[i]), { at });
    },
    async addEvents(ids, contactIds, types) {
      events.run(ids.length, (a, i) => a.push(ids[i], contactIds[i], types[i]), { brand: ctx.brandId, at, data: eventData });
    },
    async saveCheckpoint(expectedRow, c) {
      const r = checkpoint.run(c.bytesRead, c.rowsTotal, c.rowsImported, c.rowsUpdated, c.rowsSkipped, c.rowsFailed, c.checkpointRow, c.resultsBytes, ctx.importId, expectedRow);
      return r.changes > 0;
    },
  });

  bulkWal.enter(db);
  let commits = 0;
  return {
    run: (at, fn) =>
      // Holding Kysely's connection keeps every other query of this process (requests, workers) off
      // the handle while the raw transaction is open, so none of them can land inside it.
      store.db.connection().execute(async () => {
        db.exec('begin immediate');
        try {
          const result = await fn(writerAt(at));
          db.exec('commit');
          if (++commits % CHECKPOINT_EVERY === 0) db.pragma('wal_checkpoint(PASSIVE)');
          return result;
        } catch (err) {
          if (db.inTransaction) db.exec('rollback');
          throw err;
        }
      }),
    // Under the connection too: a checkpoint must not run inside someone else's open transaction.
    close: () => store.db.connection().execute(async () => bulkWal.leave(db)),
  };
}

/** Batches between WAL checkpoints while an import runs. */
const CHECKPOINT_EVERY = 10;

/**
 * SQLite checkpoints the WAL after any commit that leaves it over 1000 pages: with a batch per
 * commit that copies the email index's pages into the database file after every batch, although
 * the next batch changes most of them again. While imports run on a connection, the import
 * checkpoints every few batches instead (each page is copied once per checkpoint), and the
 * connection's own setting comes back when the last import on it ends.
 */
const bulkWal = {
  active: new WeakMap<Database.Database, { runs: number; saved: number }>(),
  enter(db: Database.Database) {
    const state = this.active.get(db);
    if (state) state.runs++;
    else {
      this.active.set(db, { runs: 1, saved: db.pragma('wal_autocheckpoint', { simple: true }) as number });
      db.pragma('wal_autocheckpoint = 0');
    }
  },
  leave(db: Database.Database) {
    const state = this.active.get(db);
    if (!state || --state.runs > 0) return;
    this.active.delete(db);
    db.pragma(`wal_autocheckpoint = ${state.saved}`);
    db.pragma('wal_checkpoint(PASSIVE)');
  },
};

// ---- PostgreSQL: one unnest() statement per table per batch ---------------------------------------

function postgresRunner(store: Store, ctx: BatchContext): BatchRunner {
  const eventData = JSON.stringify({ importId: ctx.importId });
  const col = <T>(rows: T[], pick: (r: T) => unknown) => rows.map(pick);

  const writerFor = (trx: Executor, at: string): BatchWriter => ({
    async findExisting(emails) {
      const r = await sql<{ email: string; id: string; status: ContactStatus }>`
        select email, id, status from contacts where brand_id = ${ctx.brandId} and email = any(${emails}::text[])`.execute(trx);
      return new Map(r.rows.map((x) => [x.email, { id: x.id, status: x.status }]));
    },
    async insertNew(rows) {
      if (rows.length === 0) return new Set();
      const r = await sql<{ email: string }>`
        insert into contacts (${sql.raw(CONTACT_COLUMNS)})
        select u.id, ${ctx.brandId}, u.email, u.first_name, u.last_name, u.phone, u.country, u.language, u.time_zone, u.status,
               u.consent_source, u.consent_at::timestamptz, u.validation, u.validation_reason, u.attributes::jsonb,
               ${at}::timestamptz, ${at}::timestamptz
        from unnest(${col(rows, (x) => x.id)}::text[], ${col(rows, (x) => x.email)}::text[], ${col(rows, (x) => x.first_name)}::text[],
                    ${col(rows, (x) => x.last_name)}::text[], ${col(rows, (x) => x.phone)}::text[], ${col(rows, (x) => x.country)}::text[],
                    ${col(rows, (x) => x.language)}::text[], ${col(rows, (x) => x.time_zone)}::text[], ${col(rows, (x) => x.status)}::text[],
                    ${col(rows, (x) => x.consent_source)}::text[], ${col(rows, (x) => x.consent_at)}::text[], ${col(rows, (x) => x.validation)}::text[],
                    ${col(rows, (x) => x.validation_reason)}::text[], ${col(rows, (x) => x.attributes)}::text[])
          as u(id, email, first_name, last_name, phone, country, language, time_zone, status, consent_source, consent_at, validation, validation_reason, attributes)
        on conflict (brand_id, email) do nothing
        returning email`.execute(trx);
      return new Set(r.rows.map((x) => x.email));
    },
    async updateContacts(rows) {
      if (rows.length === 0) return;
      await sql`
        update contacts as c set
          first_name = coalesce(u.first_name, c.first_name), last_name = coalesce(u.last_name, c.last_name), phone = coalesce(u.phone, c.phone),
          country = coalesce(u.country, c.country), language = coalesce(u.language, c.language), time_zone = coalesce(u.time_zone, c.time_zone),
          status = u.status, consent_source = coalesce(u.consent_source, c.consent_source),
          consent_at = coalesce(u.consent_at::timestamptz, c.consent_at), attributes = c.attributes || u.attributes::jsonb, updated_at = ${at}::timestamptz
        from unnest(${col(rows, (x) => x.id)}::text[], ${col(rows, (x) => x.first_name)}::text[], ${col(rows, (x) => x.last_name)}::text[],
                    ${col(rows, (x) => x.phone)}::text[], ${col(rows, (x) => x.country)}::text[], ${col(rows, (x) => x.language)}::text[],
                    ${col(rows, (x) => x.time_zone)}::text[], ${col(rows, (x) => x.status)}::text[], ${col(rows, (x) => x.consent_source)}::text[],
                    ${col(rows, (x) => x.consent_at)}::text[], ${col(rows, (x) => x.attributes)}::text[])
          as u(id, first_name, last_name, phone, country, language, time_zone, status, consent_source, consent_at, attributes)
        where c.id = u.id`.execute(trx);
    },
    async createTags(tags) {
      await importsRepo.createTags(trx, ctx.brandId, tags, at);
    },
    async tagIdsByLowerName(lowerNames) {
      const r = await sql<{ id: string; name: string }>`
        select id, lower(name) as name from tags where brand_id = ${ctx.brandId} and lower(name) = any(${lowerNames}::text[])`.execute(trx);
      return new Map(r.rows.map((x) => [x.name, x.id]));
    },
    async addContactTags(contactIds, tagIds) {
      if (contactIds.length === 0) return;
      await sql`
        insert into contact_tags (contact_id, tag_id, created_at)
        select u.contact_id, u.tag_id, ${at}::timestamptz from unnest(${contactIds}::text[], ${tagIds}::text[]) as u(contact_id, tag_id)
        on conflict do nothing`.execute(trx);
    },
    async addEvents(ids, contactIds, types) {
      if (ids.length === 0) return;
      await sql`
        insert into events (id, brand_id, contact_id, type, campaign_id, series_id, occurred_at, data)
        select u.id, ${ctx.brandId}, u.contact_id, u.type, null, null, ${at}::timestamptz, ${eventData}::jsonb
        from unnest(${ids}::text[], ${contactIds}::text[], ${types}::text[]) as u(id, contact_id, type)`.execute(trx);
    },
    async saveCheckpoint(expectedRow, c) {
      const r = await trx
        .updateTable('imports')
        .set({
          bytes_read: c.bytesRead,
          rows_total: c.rowsTotal,
          rows_imported: c.rowsImported,
          rows_updated: c.rowsUpdated,
          rows_skipped: c.rowsSkipped,
          rows_failed: c.rowsFailed,
          checkpoint_row: c.checkpointRow,
          results_bytes: c.resultsBytes,
        })
        .where('id', '=', ctx.importId)
        .where('status', '=', 'running')
        .where('checkpoint_row', '=', expectedRow)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
  });

  return {
    run: (at, fn) =>
      store.db.transaction().execute(async (trx) => {
        // Not waiting for the WAL flush at commit is safe here: a crash loses whole recent batches
        // together with the checkpoint that counts them, and the resumed run writes them again.
        await sql`set local synchronous_commit = off`.execute(trx);
        return fn(writerFor(trx, at));
      }),
    close: async () => {},
  };
}
