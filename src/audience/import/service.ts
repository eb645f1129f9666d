import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Config } from '../../app/config.ts';
import type { Store } from '../../store/db.ts';
import type { Clock } from '../../shared/clock.ts';
import type { AuthContext } from '../../brands/model.ts';
import { parseInput, type BrandsService } from '../../brands/service.ts';
import type { Job, JobQueue } from '../../jobs/model.ts';
import type { Page } from '../../http/pagination.ts';
import { DomainError, conflict, notFound, validationError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { fromJson, toJson } from '../../shared/json.ts';
import type { ContactFilter, Contact, FieldValue } from '../model.ts';
import type { AudienceService } from '../service.ts';
import type { SegmentsService } from '../segments/service.ts';
import { csvLine } from './csv.ts';
import { resolveMapping } from './mapping.ts';
import { ACTIVE_STATUSES, EXPORT_COLUMNS, IMPORT_QUEUE, StartImportInput, type Import, type ImportPlan, type ImportPreview, type MappingTarget } from './model.ts';
import { inspectFile } from './preview.ts';
import { importsRepo, type Checkpoint, type ImportRow } from './repo.ts';
import { ImportRun, WRITER_THREAD_MIN_BYTES } from './run.ts';
import type { SourceLayout } from './source.ts';

/** What `imports.options` holds: the file layout from upload, and the plan once started. */
interface StoredOptions {
  layout: SourceLayout;
  plan?: ImportPlan;
}

export interface ImportServiceDeps {
  store: Store;
  clock: Clock;
  config: Pick<Config, 'dataDir' | 'importMaxBytes'>;
  brands: BrandsService;
  audience: AudienceService;
  segments: SegmentsService;
  jobs: Pick<JobQueue, 'enqueue' | 'register'>;
  log: Logger;
}

export interface ExportQuery extends ContactFilter {
  segmentId?: string;
}

/** Contacts per page of an export: one keyset query and one tag query each. */
const EXPORT_PAGE = 500;

/**
 * Contact import (upload → preview → start → run in the background) and CSV export. Files live
 * under `<dataDir>/imports/<id>/`: the upload as `source` until the run ends, then `results.csv`.
 */
export class ImportService {
  constructor(private readonly deps: ImportServiceDeps) {}

  private get db() {
    return this.deps.store.db;
  }
  private now() {
    return this.deps.clock.now().toISOString();
  }
  private dirOf(id: string) {
    return path.join(this.deps.config.dataDir, 'imports', id);
  }

  /** Runs queued imports in this process's job workers. */
  registerJobs(): void {
    this.deps.jobs.register<{ importId: string }>(IMPORT_QUEUE, (job) => this.handleJob(job));
  }

  // ---- upload and preview ------------------------------------------------------------------

  /** Stores an uploaded file and previews it. Nothing is left on disk or in the database if anything fails (an oversized upload included). */
  async upload(auth: AuthContext, fileName: string, stream: Readable): Promise<Import> {
    const id = newId('imp');
    const dir = this.dirOf(id);
    const file = path.join(dir, 'source');
    return this.cleanOnError(dir, async () => {
      fs.mkdirSync(dir, { recursive: true });
      await pipeline(stream, fs.createWriteStream(file));
      // A multipart file stream stops at the size limit and says so (busboy's `truncated`).
      if ((stream as Readable & { truncated?: boolean }).truncated) throw this.tooLarge();
      return this.register(auth, id, file, fileName);
    });
  }

  /** The CLI's path: a file on this machine, copied so the import owns its copy. */
  async createFromFile(auth: AuthContext, source: string): Promise<Import> {
    const stat = fs.statSync(source, { throwIfNoEntry: false });
    if (!stat?.isFile()) throw notFound('file', source);
    if (stat.size > this.deps.config.importMaxBytes) throw this.tooLarge();
    const id = newId('imp');
    const dir = this.dirOf(id);
    const file = path.join(dir, 'source');
    return this.cleanOnError(dir, async () => {
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(source, file, fs.constants.COPYFILE_FICLONE);
      return this.register(auth, id, file, path.basename(source));
    });
  }

  private tooLarge(): DomainError {
    const mb = Math.round(this.deps.config.importMaxBytes / 1024 / 1024);
    return new DomainError('payload_too_large', `the file is larger than the import limit of ${mb} MB (TIDINGS_IMPORT_MAX_MB); split it or raise the limit`, { limitBytes: this.deps.config.importMaxBytes });
  }

  private async cleanOnError<T>(dir: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  private async register(auth: AuthContext, id: string, file: string, rawName: string): Promise<Import> {
    const size = fs.statSync(file).size;
    const fileName = path.basename(rawName).slice(0, 200) || 'upload';
    const fields = await importsRepo.customFields(this.db, auth.brandId);
    const { preview, layout } = await inspectFile(file, fileName, fields);
    await importsRepo.insert(this.db, {
      id,
      brand_id: auth.brandId,
      status: 'uploaded',
      file_name: fileName,
      file_path: file,
      format: layout.format,
      options: toJson({ layout } satisfies StoredOptions),
      preview: toJson(preview),
      size_bytes: size,
      ...ZERO_PROGRESS,
      error: null,
      created_by: auth.actor.id,
      created_at: this.now(),
      started_at: null,
      finished_at: null,
    });
    return this.get(auth.brandId, id);
  }

  // ---- start, read, cancel -----------------------------------------------------------------

  /**
   * Fixes the mapping and queues the run. Every problem (unknown column, no email column, unknown
   * tag, conflicting field type) is a 400 before anything is written; then the new custom fields,
   * the plan and the job are written in one transaction.
   */
  async start(auth: AuthContext, id: string, body: unknown, opts: { enqueue?: boolean } = {}): Promise<Import> {
    const input = parseInput(StartImportInput, body);
    const row = await this.row(auth.brandId, id);
    if (row.status !== 'uploaded') throw conflict(`import ${id} is ${row.status}; only an uploaded import can be started`, { status: row.status });
    const tagIds = [...new Set(input.tagIds)];
    const known = await importsRepo.tagIds(this.db, auth.brandId, tagIds);
    const unknown = tagIds.flatMap((t, i) => (known.has(t) ? [] : [{ field: `tagIds.${i}`, message: `unknown tag ${t}` }]));
    if (unknown.length > 0) throw validationError(unknown);

    const preview = fromJson<ImportPreview>(row.preview, null as never);
    const options = fromJson<StoredOptions>(row.options, null as never);
    const fields = await importsRepo.customFields(this.db, auth.brandId);
    const resolved = resolveMapping({ columns: preview.columns, mapping: input.mapping as Record<string, MappingTarget>, newFieldType: input.newFieldType, fields });
    const plan: ImportPlan = { columns: resolved.columns, onConflict: input.onConflict, tagIds, defaultStatus: input.defaultStatus };
    const now = this.now();

    await this.db.transaction().execute(async (trx) => {
      await importsRepo.createFields(trx, auth.brandId, resolved.newFields.map((f) => ({ id: newId('fld'), ...f })), now);
      // Another request may have created one of these keys with another type a moment ago.
      const after = await importsRepo.customFields(trx, auth.brandId);
      const clash = resolved.newFields.find((f) => after.get(f.key) !== f.type);
      if (clash) throw conflict(`custom field "${clash.key}" was just created as a ${after.get(clash.key)} field; start the import again`);
      const moved = await importsRepo.transition(trx, id, ['uploaded'], { status: 'queued', options: toJson({ ...options, plan } satisfies StoredOptions) });
      if (!moved) throw conflict(`import ${id} was started or cancelled by another request`);
      await this.deps.brands.audit(trx, {
        brandId: auth.brandId,
        actor: auth.actor,
        action: 'import.started',
        targetType: 'import',
        targetId: id,
        details: { fileName: row.file_name, onConflict: plan.onConflict, newFields: resolved.newFields.map((f) => f.key) },
      });
      if (opts.enqueue !== false) await this.deps.jobs.enqueue(IMPORT_QUEUE, { importId: id }, { dedupeKey: id, db: trx });
    });
    return this.get(auth.brandId, id);
  }

  async get(brandId: string, id: string): Promise<Import> {
    return toImport(await this.row(brandId, id));
  }

  async list(brandId: string, page: { limit: number; cursor?: string }): Promise<Page<Import>> {
    const rows = await importsRepo.list(this.db, brandId, { limit: page.limit + 1, before: page.cursor });
    const data = rows.slice(0, page.limit).map(toImport);
    return { data, nextCursor: rows.length > page.limit ? data[data.length - 1].id : null };
  }

  /** A running import stops after its current batch; contacts it already wrote stay. */
  async cancel(auth: AuthContext, id: string): Promise<Import> {
    const row = await this.row(auth.brandId, id);
    if (!ACTIVE_STATUSES.includes(row.status)) throw conflict(`import ${id} is ${row.status} and cannot be cancelled`, { status: row.status });
    await this.db.transaction().execute(async (trx) => {
      if (!(await importsRepo.transition(trx, id, ACTIVE_STATUSES, { status: 'cancelled', finished_at: this.now() }))) {
        throw conflict(`import ${id} finished while cancelling`);
      }
      await this.deps.brands.audit(trx, { brandId: auth.brandId, actor: auth.actor, action: 'import.cancelled', targetType: 'import', targetId: id });
    });
    removeSource(row);
    return this.get(auth.brandId, id);
  }

  /** Removes an import that was never started, file and all (the CLI's cleanup when its start is refused). */
  async discard(brandId: string, id: string): Promise<void> {
    const row = await this.row(brandId, id);
    if (row.status !== 'uploaded') throw conflict(`import ${id} is ${row.status}; only an import that was never started can be discarded`);
    await importsRepo.remove(this.db, id);
    fs.rmSync(this.dirOf(id), { recursive: true, force: true });
  }

  /** Path of the per-row results (`row,email,outcome,reason`), which grows while the import runs. */
  async resultsFile(brandId: string, id: string): Promise<string> {
    await this.row(brandId, id);
    const file = path.join(this.dirOf(id), 'results.csv');
    if (!fs.existsSync(file)) throw new DomainError('not_found', `import ${id} has no results yet: start it first`, { kind: 'results', id });
    return file;
  }

  private async row(brandId: string, id: string): Promise<ImportRow> {
    const row = await importsRepo.get(this.db, id, brandId);
    if (!row) throw notFound('import', id);
    return row;
  }

  // ---- running -------------------------------------------------------------------------------

  /**
   * Runs (or resumes) a queued import to the end. Safe to call again: a finished or cancelled
   * import is returned as is, and a running one continues from its checkpoint. On SQLite, a large
   * file is written from a thread of its own, unless `writerThread` says otherwise.
   */
  async run(importId: string, opts: { onProgress?: (i: Import) => void | Promise<void>; writerThread?: boolean } = {}): Promise<Import> {
    let row = await importsRepo.get(this.db, importId);
    if (!row) throw notFound('import', importId);
    if (row.status === 'queued') {
      await importsRepo.transition(this.db, importId, ['queued'], {
        status: 'running',
        started_at: this.now(),
        error: null,
        ...ZERO_PROGRESS,
      });
      row = (await importsRepo.get(this.db, importId))!;
    }
    if (row.status !== 'running') return toImport(row);

    try {
      const options = fromJson<StoredOptions>(row.options, null as never);
      if (!options.plan) throw new DomainError('internal', `import ${importId} is running without a plan`);
      if (!fs.existsSync(row.file_path)) throw new DomainError('not_found', 'the uploaded file is no longer on disk; upload it again');
      const run = new ImportRun(this.deps.store, this.deps.clock, {
        importId,
        brandId: row.brand_id,
        filePath: row.file_path,
        resultsPath: path.join(path.dirname(row.file_path), 'results.csv'),
        sizeBytes: Number(row.size_bytes),
        layout: options.layout,
        plan: options.plan,
        from: checkpointOf(row),
        writerThread: opts.writerThread ?? Number(row.size_bytes) >= WRITER_THREAD_MIN_BYTES,
      });
      const base = row;
      const outcome = await run.execute(async (p) => opts.onProgress?.(toImport({ ...base, ...checkpointColumns(p) })));
      if (outcome === 'done') {
        const done = await importsRepo.finish(this.db, importId, run.checkpoint.checkpointRow, { status: 'done', finished_at: this.now(), error: null, ...checkpointColumns(run.checkpoint) });
        if (done) removeSource(row);
      }
    } catch (err) {
      // A problem with the file or the plan does not go away by retrying; anything else (the
      // database away, the disk full) is thrown so the job queue retries from the checkpoint.
      if (!(err instanceof DomainError)) throw err;
      await this.fail(row, err.message);
    }
    return this.get(row.brand_id, importId);
  }

  private async handleJob(job: Job<{ importId: string }>): Promise<void> {
    const { importId } = job.payload;
    try {
      await this.run(importId);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const row = await importsRepo.get(this.db, importId);
      if (row && job.attempt >= job.maxAttempts) await this.fail(row, `stopped after ${job.attempt} attempts: ${message}`);
      else if (row) await importsRepo.transition(this.db, importId, ['running'], { error: `attempt ${job.attempt} of ${job.maxAttempts} failed (${message}); it will be retried` });
      throw err;
    }
  }

  private async fail(row: ImportRow, message: string) {
    if (await importsRepo.transition(this.db, row.id, ['queued', 'running'], { status: 'failed', error: message, finished_at: this.now() })) removeSource(row);
  }

  // ---- export --------------------------------------------------------------------------------

  /**
   * All contacts matching the list filter (or one segment) as CSV text chunks, one page at a
   * time. The first page is read before returning so a bad filter is a 400, not a broken download.
   */
  async exportCsv(auth: AuthContext, query: ExportQuery): Promise<AsyncIterable<string>> {
    const { brandId } = auth;
    const { segmentId, ...filter } = query;
    if (segmentId && (filter.search || filter.status || filter.tagIds?.length)) {
      throw validationError([{ field: 'segmentId', message: 'cannot be combined with search, status or tagIds' }]);
    }
    const keys = [...(await importsRepo.customFields(this.db, brandId)).keys()];
    const pages = segmentId ? this.segmentPages(brandId, segmentId) : this.filterPages(brandId, filter);
    const first = await pages.next();
    await this.deps.brands.audit(this.db, { brandId, actor: auth.actor, action: 'contacts.exported', ...(segmentId ? { targetType: 'segment', targetId: segmentId } : {}), details: { filter } });
    const header = csvLine([...EXPORT_COLUMNS, ...keys]);
    return (async function* () {
      // The BOM makes Excel read the file as UTF-8 instead of the system code page.
      yield `\ufeff${header}`;
      for (let page = first; !page.done; page = await pages.next()) yield page.value.map((c) => exportLine(c, keys)).join('');
    })();
  }

  private async *filterPages(brandId: string, filter: ContactFilter): AsyncGenerator<ExportContact[]> {
    let cursor: string | undefined;
    do {
      const page = await this.deps.audience.listContacts(brandId, { ...filter, sort: 'created_at', order: 'asc', limit: EXPORT_PAGE, ...(cursor ? { cursor } : {}) });
      if (page.data.length > 0) yield page.data.map(fromContact);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  private async *segmentPages(brandId: string, segmentId: string): AsyncGenerator<ExportContact[]> {
    const segment = await this.deps.segments.get(brandId, segmentId);
    const ids = await this.deps.segments.contactIdsQuery(brandId, segment.filter);
    let after = '';
    for (;;) {
      const page = await ids.where('contacts.id', '>', after).orderBy('contacts.id').limit(EXPORT_PAGE).execute();
      if (page.length === 0) return;
      const idList = page.map((r) => r.id);
      const [rows, tags] = await Promise.all([importsRepo.contactsByIds(this.db, brandId, idList), importsRepo.tagNamesOf(this.db, idList)]);
      yield rows.map((r) => ({ ...r, attributes: fromJson<Record<string, FieldValue>>(r.attributes, {}), tags: tags.get(r.id) ?? [] }));
      after = idList[idList.length - 1];
    }
  }
}

/** One contact as the export writes it: the table's columns, custom values, tag names. */
type ExportContact = Record<(typeof EXPORT_COLUMNS)[number], unknown> & { attributes: Record<string, FieldValue>; tags: string[] };

const fromContact = (c: Contact): ExportContact => ({
  id: c.id,
  email: c.email,
  first_name: c.firstName,
  last_name: c.lastName,
  phone: c.phone,
  country: c.country,
  language: c.language,
  time_zone: c.timeZone,
  status: c.status,
  consent_source: c.consentSource,
  consent_at: c.consentAt,
  validation: c.validation,
  validation_reason: c.validationReason,
  created_at: c.createdAt,
  updated_at: c.updatedAt,
  attributes: c.fields,
  tags: c.tags.map((t) => t.name),
});

/** Tags are joined with "|", which the import splits on again. */
function exportLine(c: ExportContact, keys: string[]): string {
  const values = EXPORT_COLUMNS.map((col) => (col === 'tags' ? c.tags.join('|') : (c[col] as string | null)));
  for (const k of keys) values.push(c.attributes[k] as string | null);
  return csvLine(values);
}

const ZERO_PROGRESS = {
  bytes_read: 0,
  rows_total: 0,
  rows_imported: 0,
  rows_updated: 0,
  rows_skipped: 0,
  rows_failed: 0,
  checkpoint_row: 0,
  results_bytes: 0,
};

function checkpointOf(r: ImportRow): Checkpoint {
  return {
    bytesRead: Number(r.bytes_read),
    rowsTotal: r.rows_total,
    rowsImported: r.rows_imported,
    rowsUpdated: r.rows_updated,
    rowsSkipped: r.rows_skipped,
    rowsFailed: r.rows_failed,
    checkpointRow: Number(r.checkpoint_row),
    resultsBytes: Number(r.results_bytes),
  };
}

function checkpointColumns(c: Checkpoint) {
  return {
    bytes_read: c.bytesRead,
    rows_total: c.rowsTotal,
    rows_imported: c.rowsImported,
    rows_updated: c.rowsUpdated,
    rows_skipped: c.rowsSkipped,
    rows_failed: c.rowsFailed,
    checkpoint_row: c.checkpointRow,
    results_bytes: c.resultsBytes,
  };
}

/** The upload is only needed until the run ends; results.csv stays. */
function removeSource(row: ImportRow) {
  fs.rmSync(row.file_path, { force: true });
}

function toImport(r: ImportRow): Import {
  const size = Number(r.size_bytes);
  const read = Number(r.bytes_read);
  return {
    id: r.id,
    status: r.status,
    fileName: r.file_name,
    format: r.format,
    sizeBytes: size,
    bytesRead: read,
    progress: r.status === 'done' ? 1 : size > 0 ? Math.min(1, read / size) : 0,
    rowsTotal: r.rows_total,
    rowsImported: r.rows_imported,
    rowsUpdated: r.rows_updated,
    rowsSkipped: r.rows_skipped,
    rowsFailed: r.rows_failed,
    error: r.error,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    preview: fromJson<ImportPreview>(r.preview, null as never),
    plan: fromJson<StoredOptions>(r.options, null as never).plan ?? null,
  };
}
