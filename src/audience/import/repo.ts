import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql, type CompiledQuery, type Insertable, type Selectable, type Updateable } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { refreshStatistics, type Executor, type Store } from '../../store/db.ts';
import type { ContactStatus, ImportsTable } from '../../store/schema.ts';
import type { FieldType } from '../model.ts';
import type { ImportProgress } from './model.ts';
import { CONTACT_COLUMNS, CONTACT_WIDTH, COL, type Chunks, type ContactRows } from './rows.ts';
import { inThreadSession, workerSession, type SqlCall } from './sqlite-writer.ts';
import { bulkWal, WalCheckpointer } from './wal.ts';

/**
 * SQL of imports and exports. The import's hot path (contacts, their tags and timeline events, a
 * few thousand rows per transaction) is written per dialect: prepared multi-row statements on
 * SQLite (on a connection in a writer thread for a large file, see sqlite-writer.ts), and on
 * PostgreSQL COPY into a staging table for the contacts and `unnest` arrays for the rest.
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
  /** Batches that may be open at once, each in a transaction of its own (they commit in order: see ImportRun). */
  lanes: number;
  /** Runs `fn` in one transaction of the dialect's batch writer, stamping rows with `at`; a throw rolls the whole batch back. */
  run<T>(at: string, fn: (w: BatchWriter) => Promise<T>): Promise<T>;
  /** Segment counts right after a large import need fresh planner statistics to pick good plans. */
  refreshStatistics(): Promise<void>;
  /** The run is over (done, stopped or failed). */
  close(): Promise<void>;
}

export function batchRunner(store: Store, ctx: BatchContext, opts: { writerThread: boolean }): BatchRunner {
  return store.dialect === 'sqlite' ? sqliteRunner(store, ctx, opts.writerThread) : postgresRunner(store, ctx);
}

// ---- SQLite: prepared multi-row statements, in this thread or in a writer thread ------------------

/**
 * A multi-row INSERT for chunks of rows: one SQL text per row count actually used (a full chunk and
 * the last, shorter one), each prepared once by the session.
 */
class MultiRow {
  private readonly texts = new Map<number, string>();
  constructor(
    private readonly head: string,
    private readonly tuple: string,
    private readonly tail: string,
    private readonly width: number,
  ) {}

  private sql(rows: number): string {
    let text = this.texts.get(rows);
    if (!text) {
      text = `${this.head} ${Array(rows).fill(this.tuple).join(',')} ${this.tail}`;
      this.texts.set(rows, text);
    }
    return text;
  }

  /** The statements inserting `chunks` (all full but the last), in order; `named` binds the @constants. Each gives its row counts. */
  calls(chunks: Chunks<unknown>, named: Record<string, unknown>): SqlCall[] {
    const out: SqlCall[] = [];
    for (const chunk of chunks) {
      const sql = this.sql(chunk.length / this.width);
      const last = out[out.length - 1];
      if (last?.sql === sql) last.each!.push(chunk);
      else out.push({ sql, each: [chunk], named, get: 'changes' });
    }
    return out;
  }
}

/** Page cache of the writer thread's connection: the email index's hot pages; more only grows the process. */
const WRITER_CACHE_KIB = 8 * 1024;

function sqliteRunner(store: Store, ctx: BatchContext, writerThread: boolean): BatchRunner {
  const db = store.sqlite!;
  const session = writerThread && !db.memory ? workerSession({ file: db.name, cacheKib: WRITER_CACHE_KIB }) : inThreadSession(db);
  // The app's connection is held through each transaction only when the statements run on it.
  const onAppConnection = <T>(fn: () => Promise<T>) => (session.ownConnection ? fn() : store.db.connection().execute(fn));
  const insertContacts = new MultiRow(
    `insert into contacts (${CONTACT_COLUMNS.join(', ')}, brand_id, created_at, updated_at) values`,
    `(${CONTACT_COLUMNS.map(() => '?').join(', ')}, @brand, @at, @at)`,
    'on conflict (brand_id, email) do nothing',
    CONTACT_WIDTH,
  );
  const contactTags = new MultiRow('insert into contact_tags (contact_id, tag_id, created_at) values', '(?, ?, @at)', 'on conflict do nothing', 2);
  const events = new MultiRow('insert into events (id, contact_id, type, brand_id, campaign_id, series_id, occurred_at, data) values', '(?, ?, ?, @brand, null, null, @at, @data)', '', 3);
  const findExisting = 'select email, id, status from contacts where brand_id = ? and email in (select value from json_each(?))';
  const idsPresent = 'select id from contacts where id in (select value from json_each(?))';
  const update = `update contacts set first_name = coalesce(?, first_name), last_name = coalesce(?, last_name), phone = coalesce(?, phone),
       country = coalesce(?, country), language = coalesce(?, language), time_zone = coalesce(?, time_zone), status = ?,
       consent_source = coalesce(?, consent_source), consent_at = coalesce(?, consent_at), attributes = json_patch(attributes, ?), updated_at = ?
     where id = ?`;
  const createTag = `insert into tags (id, brand_id, name, color, description, created_at) values (?, ?, ?, ?, '', ?) on conflict (brand_id, name) do nothing`;
  const tagsByLower = 'select id, lower(name) as name from tags where brand_id = ? and lower(name) in (select value from json_each(?))';
  const checkpoint = `update imports set bytes_read = ?, rows_total = ?, rows_imported = ?, rows_updated = ?, rows_skipped = ?, rows_failed = ?, checkpoint_row = ?, results_bytes = ?
     where id = ? and status = 'running' and checkpoint_row = ?`;
  const eventData = JSON.stringify({ importId: ctx.importId });
  const one = async <T>(call: SqlCall) => (await session.run([call]))[0] as T;

  const writerAt = (at: string): BatchWriter => ({
    async insertNew(rows) {
      // ON CONFLICT instead of looking the emails up first: the insert probes the email index
      // anyway, and a batch of new contacts (the usual case) is not probed twice.
      const present = new Set<string>();
      const counts = (await session.run(insertContacts.calls(rows.values, { brand: ctx.brandId, at }))).flat() as number[];
      for (let c = 0; c < rows.values.length; c++) {
        const chunk = rows.values[c];
        const count = chunk.length / CONTACT_WIDTH;
        if (counts[c] === count) continue;
        // Rare: some emails exist. The rows left out are those whose new id is not in the table.
        const ids: string[] = [];
        for (let i = 0; i < count; i++) ids.push(chunk[i * CONTACT_WIDTH + COL.id]!);
        const inserted = new Set(await one<string[]>({ sql: idsPresent, values: [JSON.stringify(ids)], get: 'column' }));
        for (let i = 0; i < count; i++) if (!inserted.has(ids[i])) present.add(chunk[i * CONTACT_WIDTH + COL.email]!);
      }
      return present;
    },
    async findExisting(emails) {
      const rows = await one<Array<{ email: string; id: string; status: ContactStatus }>>({ sql: findExisting, values: [ctx.brandId, JSON.stringify(emails)], get: 'rows' });
      return new Map(rows.map((r) => [r.email, { id: r.id, status: r.status }]));
    },
    async updateContacts(rows) {
      if (rows.length === 0) return;
      const each = rows.map((r) => [r.first_name, r.last_name, r.phone, r.country, r.language, r.time_zone, r.status, r.consent_source, r.consent_at, r.attributes, at, r.id]);
      await session.run([{ sql: update, each, get: 'changes' }]);
    },
    async createTags(tags) {
      await session.run([{ sql: createTag, each: tags.map((t) => [t.id, ctx.brandId, t.name, t.color, at]), get: 'changes' }]);
    },
    async tagIdsByLowerName(lowerNames) {
      const rows = await one<Array<{ id: string; name: string }>>({ sql: tagsByLower, values: [ctx.brandId, JSON.stringify(lowerNames)], get: 'rows' });
      return new Map(rows.map((r) => [r.name, r.id]));
    },
    async addContactTags(pairs) {
      await session.run(contactTags.calls(pairs, { at }));
    },
    async addEvents(triples) {
      await session.run(events.calls(triples, { brand: ctx.brandId, at, data: eventData }));
    },
    async saveCheckpoint(expectedRow, c) {
      const values = [c.bytesRead, c.rowsTotal, c.rowsImported, c.rowsUpdated, c.rowsSkipped, c.rowsFailed, c.checkpointRow, c.resultsBytes, ctx.importId, expectedRow];
      return (await one<number>({ sql: checkpoint, values, get: 'changes' })) > 0;
    },
  });

  bulkWal.enter(db);
  const checkpointer = new WalCheckpointer(db);
  let commits = 0;
  return {
    // One writer at a time: SQLite has a single write lock.
    lanes: 1,
    run: (at, fn) =>
      // On the app's connection, holding it keeps every other query of this process (requests,
      // workers) off the handle while the transaction is open, so none of them can land inside it.
      onAppConnection(async () => {
        await one({ sql: 'begin immediate', get: 'changes' });
        try {
          const result = await fn(writerAt(at));
          await one({ sql: 'commit', get: 'changes' });
          if (++commits % CHECKPOINT_EVERY === 0) checkpointer.request();
          else if (checkpointer.takeFinished()) await one({ sql: 'pragma wal_checkpoint(PASSIVE)', get: 'rows' });
          return result;
        } catch (err) {
          await one({ sql: 'rollback', get: 'rollback' });
          throw err;
        }
      }),
    // On the session's connection: in the writer thread the statistics are read through its small
    // page cache, not the app's, and the app's connection loads them with its next statement.
    refreshStatistics: () => onAppConnection(() => session.run([{ sql: 'pragma optimize', get: 'rows' }])).then(() => {}),
    // Under the connection too: a checkpoint must not run inside someone else's open transaction.
    close: async () => {
      await session.close();
      await checkpointer.close();
      await store.db.connection().execute(async () => bulkWal.leave(db));
    },
  };
}

/** Batches between WAL checkpoints while an import runs (50,000 rows of SQLite batches). */
const CHECKPOINT_EVERY = 50;

// ---- PostgreSQL: COPY into a staging table, unnest() arrays for the rest ------------------------------

/** The staging table a batch's new contacts are copied into; emptied at each commit. */
const STAGE = 'import_contacts_stage';

/**
 * COPY text format of the batch's contact rows: tab-separated, `\N` for null, and backslash,
 * tab and line breaks escaped.
 */
function copyText(rows: ContactRows): string {
  let text = '';
  for (const chunk of rows.values) {
    for (let i = 0; i < chunk.length; i++) {
      const v = chunk[i];
      text += v === null ? '\\N' : /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (ch) => COPY_ESCAPES[ch]) : v;
      text += (i + 1) % CONTACT_WIDTH === 0 ? '\n' : '\t';
    }
  }
  return text;
}
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * The import holds its connections for its whole run: the staging table is temporary (per
 * connection), and COPY needs the driver's client, which Kysely's transactions do not expose.
 * Statements are still written with Kysely and compiled for that client.
 */
function postgresRunner(store: Store, ctx: BatchContext): BatchRunner {
  const eventData = JSON.stringify({ importId: ctx.importId });
  const col = <T>(rows: T[], pick: (r: T) => unknown) => rows.map(pick);
  /** The run's connections between batches (at most POSTGRES_LANES). */
  const idle: pg.PoolClient[] = [];

  const writerFor = (c: pg.PoolClient, at: string): BatchWriter => {
    const exec = async <R>(q: CompiledQuery<R>) => {
      const r = await c.query(q.sql, q.parameters as unknown[]);
      return { rows: r.rows as R[], count: r.rowCount ?? 0 };
    };
    return {
      async findExisting(emails) {
        const r = await exec(sql<{ email: string; id: string; status: ContactStatus }>`
          select email, id, status from contacts where brand_id = ${ctx.brandId} and email = any(${emails}::text[])`.compile(store.db));
        return new Map(r.rows.map((x) => [x.email, { id: x.id, status: x.status }]));
      },
      async insertNew(rows) {
        if (rows.count === 0) return new Set();
        await c.query(`create temp table if not exists ${STAGE} (${CONTACT_COLUMNS.map((n) => `${n} text`).join(', ')}) on commit delete rows`);
        await pipeline(Readable.from([copyText(rows)]), c.query(copyFrom(`copy ${STAGE} from stdin`)));
        const r = await exec(sql`
          insert into contacts (${sql.raw(CONTACT_COLUMNS.join(', '))}, brand_id, created_at, updated_at)
          select id, email, first_name, last_name, phone, country, language, time_zone, status,
                 consent_source, consent_at::timestamptz, validation, validation_reason, attributes::jsonb,
                 ${ctx.brandId}, ${at}::timestamptz, ${at}::timestamptz
          from ${sql.raw(STAGE)}
          on conflict (brand_id, email) do nothing`.compile(store.db));
        if (r.count === rows.count) return new Set();
        // Rare: some emails exist. The rows left out are those whose new id is not in the table.
        const missing = await exec(sql<{ email: string }>`
          select s.email from ${sql.raw(STAGE)} s where not exists (select 1 from contacts c where c.id = s.id)`.compile(store.db));
        return new Set(missing.rows.map((x) => x.email));
      },
      async updateContacts(rows) {
        if (rows.length === 0) return;
        await exec(sql`
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
          where c.id = u.id`.compile(store.db));
      },
      async createTags(tags) {
        if (tags.length === 0) return;
        await exec(
          store.db
            .insertInto('tags')
            .values(tags.map((t) => ({ id: t.id, brand_id: ctx.brandId, name: t.name, color: t.color, description: '', created_at: at })))
            .onConflict((oc) => oc.columns(['brand_id', 'name']).doNothing())
            .compile(),
        );
      },
      async tagIdsByLowerName(lowerNames) {
        const r = await exec(sql<{ id: string; name: string }>`
          select id, lower(name) as name from tags where brand_id = ${ctx.brandId} and lower(name) = any(${lowerNames}::text[])`.compile(store.db));
        return new Map(r.rows.map((x) => [x.name, x.id]));
      },
      async addContactTags(pairs) {
        if (pairs.length === 0) return;
        const [contactIds, tagIds] = split(pairs, 2);
        await exec(sql`
          insert into contact_tags (contact_id, tag_id, created_at)
          select u.contact_id, u.tag_id, ${at}::timestamptz from unnest(${contactIds}::text[], ${tagIds}::text[]) as u(contact_id, tag_id)
          on conflict do nothing`.compile(store.db));
      },
      async addEvents(triples) {
        if (triples.length === 0) return;
        const [ids, contactIds, types] = split(triples, 3);
        await exec(sql`
          insert into events (id, brand_id, contact_id, type, campaign_id, series_id, occurred_at, data)
          select u.id, ${ctx.brandId}, u.contact_id, u.type, null, null, ${at}::timestamptz, ${eventData}::jsonb
          from unnest(${ids}::text[], ${contactIds}::text[], ${types}::text[]) as u(id, contact_id, type)`.compile(store.db));
      },
      async saveCheckpoint(expectedRow, cp) {
        const r = await exec(
          store.db
            .updateTable('imports')
            .set({
              bytes_read: cp.bytesRead,
              rows_total: cp.rowsTotal,
              rows_imported: cp.rowsImported,
              rows_updated: cp.rowsUpdated,
              rows_skipped: cp.rowsSkipped,
              rows_failed: cp.rowsFailed,
              checkpoint_row: cp.checkpointRow,
              results_bytes: cp.resultsBytes,
            })
            .where('id', '=', ctx.importId)
            .where('status', '=', 'running')
            .where('checkpoint_row', '=', expectedRow)
            .compile(),
        );
        return r.count > 0;
      },
    };
  };

  return {
    // Two batches at once keep the server busy while the other waits on commits and round trips
    // (measured: 1.8× the rows per second of one; more connections added nothing on 2 cores).
    lanes: POSTGRES_LANES,
    async run(at, fn) {
      const c = idle.pop() ?? (await store.pool!.connect());
      await c.query('begin');
      try {
        // Not waiting for the WAL flush at commit is safe here: a crash loses whole recent batches
        // together with the checkpoint that counts them, and the resumed run writes them again.
        await c.query('set local synchronous_commit = off');
        const result = await fn(writerFor(c, at));
        await c.query('commit');
        idle.push(c);
        return result;
      } catch (err) {
        // A connection that fails here is not given back to the pool.
        await c.query('rollback').then(
          () => idle.push(c),
          (lost: Error) => c.release(lost),
        );
        throw err;
      }
    },
    refreshStatistics: () => refreshStatistics(store),
    close: async () => {
      for (const c of idle.splice(0)) c.release();
    },
  };
}

/** Batches written at once on PostgreSQL, each on a connection of its own. */
const POSTGRES_LANES = 2;

/** Rows of `width` values as one array per column (unnest's shape). */
function split<T>(chunks: Chunks<T>, width: number): T[][] {
  const out: T[][] = Array.from({ length: width }, () => []);
  for (const chunk of chunks) for (let i = 0; i < chunk.length; i++) out[i % width].push(chunk[i]);
  return out;
}
