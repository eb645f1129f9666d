import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type Database from 'better-sqlite3';
import type { Executor, Store } from '../../store/db.ts';
import type { ContactStatus, ImportsTable } from '../../store/schema.ts';
import type { FieldType } from '../model.ts';
import type { ImportProgress } from './model.ts';
import { CONTACT_COLUMNS, CONTACT_WIDTH, COL, type Chunks, type ContactRows } from './rows.ts';
import { bulkWal, WalCheckpointer } from './wal.ts';

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
  /** Inserts the contacts whose email the brand does not have yet; returns the emails it left out because they exist. */
  insertNew(rows: ContactRows): Promise<Set<string>>;
  findExisting(emails: string[]): Promise<Map<string, { id: string; status: ContactStatus }>>;
  updateContacts(rows: ContactChange[]): Promise<void>;
  createTags(tags: Array<{ id: string; name: string; color: string }>): Promise<void>;
  /** Lower-cased name → id. */
  tagIdsByLowerName(lowerNames: string[]): Promise<Map<string, string>>;
  /** Contact id, tag id per row. */
  addContactTags(pairs: Chunks<string>): Promise<void>;
  /** Event id, contact id, type per row: timeline events. */
  addEvents(triples: Chunks<string>): Promise<void>;
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

/**
 * A multi-row INSERT prepared once per row count actually used (a full chunk and the last, shorter
 * one), bound to each chunk of the batch's rows as it is.
 */
class MultiRow {
  private readonly cache = new Map<number, Database.Statement>();
  constructor(
    private readonly db: Database.Database,
    private readonly head: string,
    private readonly tuple: string,
    private readonly tail: string,
    private readonly width: number,
  ) {}

  private statement(rows: number): Database.Statement {
    let s = this.cache.get(rows);
    if (!s) {
      s = this.db.prepare(`${this.head} ${Array(rows).fill(this.tuple).join(',')} ${this.tail}`);
      this.cache.set(rows, s);
    }
    return s;
  }

  /** Inserts one chunk of rows and returns how many the statement wrote; `named` binds the @constants. */
  runChunk(chunk: unknown[], named: Record<string, unknown>): number {
    return this.statement(chunk.length / this.width).run(chunk, named).changes;
  }

  run(chunks: Chunks<unknown>, named: Record<string, unknown>): void {
    for (const chunk of chunks) this.runChunk(chunk, named);
  }
}

function sqliteRunner(store: Store, ctx: BatchContext): BatchRunner {
  const db = store.sqlite!;
  const insertContacts = new MultiRow(
    db,
    `insert into contacts (${CONTACT_COLUMNS.join(', ')}, brand_id, created_at, updated_at) values`,
    `(${CONTACT_COLUMNS.map(() => '?').join(', ')}, @brand, @at, @at)`,
    'on conflict (brand_id, email) do nothing',
    CONTACT_WIDTH,
  );
  const contactTags = new MultiRow(db, 'insert into contact_tags (contact_id, tag_id, created_at) values', '(?, ?, @at)', 'on conflict do nothing', 2);
  const events = new MultiRow(db, 'insert into events (id, contact_id, type, brand_id, campaign_id, series_id, occurred_at, data) values', '(?, ?, ?, @brand, null, null, @at, @data)', '', 3);
  const findExisting = db.prepare('select email, id, status from contacts where brand_id = ? and email in (select value from json_each(?))');
  const idsPresent = db.prepare('select id from contacts where id in (select value from json_each(?))').pluck();
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

  const writerAt = (at: string): BatchWriter => ({
    async insertNew(rows) {
      // ON CONFLICT instead of looking the emails up first: the insert probes the email index
      // anyway, and a batch of new contacts (the usual case) is not probed twice.
      const present = new Set<string>();
      for (const chunk of rows.values) {
        const count = chunk.length / CONTACT_WIDTH;
        if (insertContacts.runChunk(chunk, { brand: ctx.brandId, at }) === count) continue;
        // Rare: some emails exist. The rows left out are those whose new id is not in the table.
        const ids: string[] = [];
        for (let i = 0; i < count; i++) ids.push(chunk[i * CONTACT_WIDTH + COL.id]!);
        const inserted = new Set(idsPresent.all(JSON.stringify(ids)) as string[]);
        for (let i = 0; i < count; i++) if (!inserted.has(ids[i])) present.add(chunk[i * CONTACT_WIDTH + COL.email]!);
      }
      return present;
    },
    async findExisting(emails) {
      const rows = findExisting.all(ctx.brandId, JSON.stringify(emails)) as Array<{ email: string; id: string; status: ContactStatus }>;
      return new Map(rows.map((r) => [r.email, { id: r.id, status: r.status }]));
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
    async addContactTags(pairs) {
      contactTags.run(pairs, { at });
    },
    async addEvents(triples) {
      events.run(triples, { brand: ctx.brandId, at, data: eventData });
    },
    async saveCheckpoint(expectedRow, c) {
      const r = checkpoint.run(c.bytesRead, c.rowsTotal, c.rowsImported, c.rowsUpdated, c.rowsSkipped, c.rowsFailed, c.checkpointRow, c.resultsBytes, ctx.importId, expectedRow);
      return r.changes > 0;
    },
  });

  bulkWal.enter(db);
  const checkpointer = new WalCheckpointer(db);
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
          if (++commits % CHECKPOINT_EVERY === 0) checkpointer.request();
          return result;
        } catch (err) {
          if (db.inTransaction) db.exec('rollback');
          throw err;
        }
      }),
    // Under the connection too: a checkpoint must not run inside someone else's open transaction.
    close: async () => {
      await checkpointer.close();
      await store.db.connection().execute(async () => bulkWal.leave(db));
    },
  };
}

/** Batches between WAL checkpoints while an import runs. */
const CHECKPOINT_EVERY = 10;

// ---- PostgreSQL: one unnest() statement per table per batch ---------------------------------------

function postgresRunner(store: Store, ctx: BatchContext): BatchRunner {
  const eventData = JSON.stringify({ importId: ctx.importId });
  const col = <T>(rows: T[], pick: (r: T) => unknown) => rows.map(pick);
  const columnsOf = (rows: ContactRows) => split(rows.values, CONTACT_WIDTH);

  const writerFor = (trx: Executor, at: string): BatchWriter => ({
    async findExisting(emails) {
      const r = await sql<{ email: string; id: string; status: ContactStatus }>`
        select email, id, status from contacts where brand_id = ${ctx.brandId} and email = any(${emails}::text[])`.execute(trx);
      return new Map(r.rows.map((x) => [x.email, { id: x.id, status: x.status }]));
    },
    async insertNew(rows) {
      if (rows.count === 0) return new Set();
      const c = columnsOf(rows);
      const r = await sql`
        insert into contacts (${sql.raw(CONTACT_COLUMNS.join(', '))}, brand_id, created_at, updated_at)
        select u.id, u.email, u.first_name, u.last_name, u.phone, u.country, u.language, u.time_zone, u.status,
               u.consent_source, u.consent_at::timestamptz, u.validation, u.validation_reason, u.attributes::jsonb,
               ${ctx.brandId}, ${at}::timestamptz, ${at}::timestamptz
        from unnest(${c[COL.id]}::text[], ${c[COL.email]}::text[], ${c[COL.first_name]}::text[], ${c[COL.last_name]}::text[],
                    ${c[COL.phone]}::text[], ${c[COL.country]}::text[], ${c[COL.language]}::text[], ${c[COL.time_zone]}::text[],
                    ${c[COL.status]}::text[], ${c[COL.consent_source]}::text[], ${c[COL.consent_at]}::text[], ${c[COL.validation]}::text[],
                    ${c[COL.validation_reason]}::text[], ${c[COL.attributes]}::text[])
          as u(id, email, first_name, last_name, phone, country, language, time_zone, status, consent_source, consent_at, validation, validation_reason, attributes)
        on conflict (brand_id, email) do nothing`.execute(trx);
      if (Number(r.numAffectedRows) === rows.count) return new Set();
      // Rare: some emails exist. The rows left out are those whose new id is not in the table.
      const found = await sql<{ id: string }>`select id from contacts where id = any(${c[COL.id]}::text[])`.execute(trx);
      const inserted = new Set(found.rows.map((x) => x.id));
      return new Set(c[COL.email].filter((_, i) => !inserted.has(c[COL.id][i]!)) as string[]);
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
    async addContactTags(pairs) {
      if (pairs.length === 0) return;
      const [contactIds, tagIds] = split(pairs, 2);
      await sql`
        insert into contact_tags (contact_id, tag_id, created_at)
        select u.contact_id, u.tag_id, ${at}::timestamptz from unnest(${contactIds}::text[], ${tagIds}::text[]) as u(contact_id, tag_id)
        on conflict do nothing`.execute(trx);
    },
    async addEvents(triples) {
      if (triples.length === 0) return;
      const [ids, contactIds, types] = split(triples, 3);
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

/** Rows of `width` values as one array per column (unnest's shape). */
function split<T>(chunks: Chunks<T>, width: number): T[][] {
  const out: T[][] = Array.from({ length: width }, () => []);
  for (const chunk of chunks) for (let i = 0; i < chunk.length; i++) out[i % width].push(chunk[i]);
  return out;
}
