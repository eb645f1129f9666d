import fs from 'node:fs';
import type { Store } from '../../store/db.ts';
import { newId } from '../../shared/ids.ts';
import type { Clock } from '../../shared/clock.ts';
import { LIMITS, type ContactStatus, type FieldType } from '../model.ts';
import { normaliseContact, type NormalisedContact, type RawContact } from '../normalise.ts';
import { csvCell, csvLine } from './csv.ts';
import { IMPORT_LIMITS, NEW_TAG_COLORS, type ImportPlan, type RowOutcome } from './model.ts';
import { batchRunner, importsRepo, type BatchRunner, type BatchWriter, type Checkpoint, type ContactChange, type NewContact } from './repo.ts';
import { SeenEmails } from './seen.ts';
import { readRecords, type SourceLayout, type SourceRecord } from './source.ts';

/**
 * One run of an import: reads the file from disk, checks each row through `normaliseContact`, and
 * writes a few thousand rows per transaction. Each transaction also records the checkpoint (last
 * row, counters, bytes of results.csv), so a run that dies is resumed by the next one: rows up to
 * the checkpoint are read again only to rebuild the duplicate table, counters continue from the
 * stored values, and results.csv is cut back to its committed length.
 */

/** Rows that reach the database per transaction. */
export const BATCH_ROWS = 5000;

const RESULTS_HEADER = csvLine(['row', 'email', 'outcome', 'reason']);

export interface RunSetup {
  importId: string;
  brandId: string;
  filePath: string;
  resultsPath: string;
  sizeBytes: number;
  layout: SourceLayout;
  plan: ImportPlan;
  /** Where the previous run committed (all zero for a first run). */
  from: Checkpoint;
}

interface Entry {
  row: number;
  email: string;
  /** null until the database decides (imported, updated, or skipped as existing). */
  outcome: RowOutcome | null;
  reason: string;
  contact?: NormalisedContact;
  tagNames?: string[];
  contactId?: string;
}

class Stopped extends Error {}

const LOCKED_STATUSES = new Set<ContactStatus>(['unsubscribed', 'bounced', 'complained']);

/**
 * An import may change a contact's status, but never back to subscribed once they unsubscribed,
 * bounced or complained: an old list must not undo an opt-out.
 */
function nextStatus(current: ContactStatus, given: ContactStatus | null): ContactStatus {
  if (given === null) return current;
  return given === 'subscribed' && LOCKED_STATUSES.has(current) ? current : given;
}

const NO_TAGS: string[] = [];

/** Tag names of a tags cell ("a, b|c") or JSON list, trimmed, without repeats (case-insensitive). */
function splitTagNames(value: unknown): string[] {
  if (value === null || value === undefined) return NO_TAGS;
  const parts = Array.isArray(value) ? value.map((v) => String(v)) : String(value).split(/[,;|]/);
  const out: string[] = [];
  const lower = new Set<string>();
  for (const p of parts) {
    const name = p.trim();
    const key = name.toLowerCase();
    if (name === '' || lower.has(key)) continue;
    lower.add(key);
    out.push(name);
  }
  return out;
}

export class ImportRun {
  private readonly seen = new SeenEmails();
  /** Lower-cased tag name → id, for the brand. */
  private readonly tagIds = new Map<string, string>();
  private readonly fieldTypes = new Map<string, FieldType>();
  /** Field name in normaliseContact's issues ("email", "fields.score") → the column it came from. */
  private readonly columnOfField = new Map<string, string>();
  private readonly emailColumn: number;
  private readonly tagsColumn: string | null;
  private readonly batch: BatchRunner;
  private progress: Checkpoint;
  private results: ResultsFile | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly s: RunSetup,
  ) {
    for (const c of s.plan.columns) {
      if (c.kind === 'field') {
        this.fieldTypes.set(c.key, c.type);
        this.columnOfField.set(`fields.${c.key}`, c.column);
      } else if (c.kind === 'contact') this.columnOfField.set(c.field, c.column);
    }
    this.emailColumn = s.plan.columns.findIndex((c) => c.kind === 'contact' && c.field === 'email');
    this.tagsColumn = s.plan.columns.find((c) => c.kind === 'tags')?.column ?? null;
    this.batch = batchRunner(store, { brandId: s.brandId, importId: s.importId });
    this.progress = { ...s.from };
  }

  get checkpoint(): Checkpoint {
    return this.progress;
  }

  /** 'stopped' when the import was cancelled, or another run took it over, while this one ran. */
  async execute(onProgress?: (p: Checkpoint) => void | Promise<void>): Promise<'done' | 'stopped'> {
    for (const t of await importsRepo.tags(this.store.db, this.s.brandId)) this.tagIds.set(t.name.toLowerCase(), t.id);
    this.results = ResultsFile.open(this.s.resultsPath, this.progress.resultsBytes);
    if (this.progress.resultsBytes === 0) this.progress.resultsBytes = this.results.size;
    // The next batch is read and checked while the previous one is written (PostgreSQL works on
    // its own core meanwhile); batches still commit one after another, in file order.
    let writing: Promise<boolean> = Promise.resolve(true);
    const submit = async (batch: Entry[], bytesRead: number): Promise<boolean> => {
      if (!(await writing)) return false;
      writing = this.flush(batch, bytesRead).then(async (ok) => {
        if (ok) await onProgress?.(this.progress);
        return ok;
      });
      // A failure is thrown by the next await of `writing`; this only keeps it from counting as unhandled meanwhile.
      writing.catch(() => {});
      return true;
    };
    try {
      let pending: Entry[] = [];
      let toWrite = 0;
      for await (const { records, bytesRead } of readRecords(this.s.filePath, this.s.layout)) {
        for (const rec of records) {
          const entry = this.prepare(rec);
          // Rows before the checkpoint are committed already; reading them rebuilt the duplicate table.
          if (rec.row <= this.s.from.checkpointRow) continue;
          pending.push(entry);
          if (entry.outcome === null) toWrite++;
          if (toWrite >= BATCH_ROWS || pending.length >= 4 * BATCH_ROWS) {
            if (!(await submit(pending, bytesRead))) return 'stopped';
            pending = [];
            toWrite = 0;
          }
        }
      }
      if (pending.length > 0 && !(await submit(pending, this.s.sizeBytes))) return 'stopped';
      if (!(await writing)) return 'stopped';
      this.progress.bytesRead = this.s.sizeBytes;
      return 'done';
    } finally {
      await writing.catch(() => false);
      this.results.close(this.progress.resultsBytes);
      await this.batch.close();
    }
  }

  // ---- one row, no database ------------------------------------------------------------------

  private prepare(rec: SourceRecord): Entry {
    const { columns } = this.s.plan;
    if (rec.error) return this.failed(rec, this.describe(rec.row, columns[rec.error.cell]?.column ?? null, rec.error.message));
    if (this.s.layout.format === 'csv' && rec.cells.length !== columns.length) {
      const hint = rec.cells.length > columns.length ? ` (a value containing "${this.s.layout.delimiter === '\t' ? '\\t' : this.s.layout.delimiter}" must be quoted)` : '';
      return this.failed(rec, `row ${rec.row}: expected ${columns.length} fields, got ${rec.cells.length}${hint}`);
    }

    const raw: RawContact = {};
    let fields: Record<string, unknown> | undefined;
    let tagNames = NO_TAGS;
    // Allocated only for a failing row: this runs a million times.
    let problems: string[] | undefined;
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i];
      const v = rec.cells[i];
      if (c.kind === 'ignore' || v === undefined) continue;
      if (c.kind === 'tags') tagNames = splitTagNames(v);
      else if (c.kind === 'field') (fields ??= {})[c.key] = v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
      else if (v !== null && typeof v === 'object') (problems ??= []).push(this.describe(rec.row, c.column, `expected a single value, got ${Array.isArray(v) ? 'a list' : 'an object'}`));
      else raw[c.field] = v;
    }
    if (fields) raw.fields = fields;

    const r = normaliseContact(raw, { fields: this.fieldTypes });
    if (!r.ok) for (const issue of r.issues) (problems ??= []).push(this.describe(rec.row, this.columnOfField.get(issue.field) ?? null, issue.message));
    const tagProblem = this.tagProblem(tagNames);
    if (tagProblem) (problems ??= []).push(this.describe(rec.row, this.tagsColumn, tagProblem));
    if (problems || !r.ok) return this.failed(rec, problems!.join('; '));

    const contact = r.contact;
    const first = this.seen.firstRow(contact.email, rec.row);
    if (first !== null) return { row: rec.row, email: contact.email, outcome: 'skipped', reason: `duplicate of row ${first}` };
    return { row: rec.row, email: contact.email, outcome: null, reason: '', contact, tagNames };
  }

  private tagProblem(names: string[]): string | null {
    if (names.length > IMPORT_LIMITS.maxTagsPerRow) return `has ${names.length} tags; at most ${IMPORT_LIMITS.maxTagsPerRow} per row`;
    const long = names.find((t) => t.length > LIMITS.tagName);
    return long ? `tag "${long.slice(0, 40)}…" is longer than ${LIMITS.tagName} characters` : null;
  }

  /** The email cell as written (trimmed, clipped), so a failed row can be found in the file. */
  private failed(rec: SourceRecord, reason: string): Entry {
    const cell = rec.cells[this.emailColumn];
    return { row: rec.row, email: typeof cell === 'string' ? cell.trim().slice(0, 320) : '', outcome: 'failed', reason };
  }

  private describe(row: number, column: string | null, message: string): string {
    return column === null ? `row ${row}: ${message}` : `row ${row}, column "${column}": ${message}`;
  }

  // ---- one batch, one transaction ----------------------------------------------------------------

  private async flush(entries: Entry[], bytesRead: number): Promise<boolean> {
    const before = this.progress;
    const next: Checkpoint = { ...before, bytesRead, checkpointRow: entries[entries.length - 1].row };
    const created = new Map<string, string>();
    try {
      await this.batch.run(this.clock.now().toISOString(), async (w) => {
        await this.writeContacts(w, entries);
        const affected = entries.filter((e) => e.outcome === 'imported' || e.outcome === 'updated');
        await this.writeTags(w, affected, created);
        await w.addEvents(
          affected.map(() => newId('evt')),
          affected.map((e) => e.contactId!),
          affected.map((e) => e.outcome as string),
        );
        let lines = '';
        for (const e of entries) {
          lines += resultLine(e);
          next.rowsTotal++;
          if (e.outcome === 'imported') next.rowsImported++;
          else if (e.outcome === 'updated') next.rowsUpdated++;
          else if (e.outcome === 'skipped') next.rowsSkipped++;
          else next.rowsFailed++;
        }
        next.resultsBytes = this.results!.write(lines, before.resultsBytes);
        if (!(await w.saveCheckpoint(before.checkpointRow, next))) throw new Stopped();
      });
    } catch (err) {
      if (err instanceof Stopped) return false;
      throw err;
    }
    this.progress = next;
    for (const [name, id] of created) this.tagIds.set(name, id);
    return true;
  }

  private async writeContacts(w: BatchWriter, entries: Entry[]) {
    const candidates = entries.filter((e) => e.outcome === null);
    if (candidates.length === 0) return;
    const inserted = await w.insertNew(candidates.map((e) => this.newContact(e)));
    const others = candidates.filter((e) => !inserted.has(e.email));
    const existing = others.length > 0 ? await w.findExisting(others.map((e) => e.email)) : new Map<string, never>();

    const changes: ContactChange[] = [];
    for (const e of candidates) {
      if (inserted.has(e.email)) {
        e.outcome = 'imported';
        continue;
      }
      const current = existing.get(e.email);
      if (!current) {
        // It existed when the insert ran and was deleted before the lookup (another process).
        e.outcome = 'failed';
        e.reason = `row ${e.row}: the contact was deleted by someone else during the import; import the row again`;
      } else if (this.s.plan.onConflict === 'skip') {
        e.outcome = 'skipped';
        e.reason = 'already exists';
      } else {
        e.outcome = 'updated';
        e.contactId = current.id;
        changes.push(this.change(e, current.id, current.status));
      }
    }
    await w.updateContacts(changes);
  }

  private newContact(e: Entry): NewContact {
    const c = e.contact!;
    e.contactId = newId('ctc');
    const status = c.status ?? this.s.plan.defaultStatus;
    return {
      id: e.contactId,
      email: c.email,
      first_name: c.first_name,
      last_name: c.last_name,
      phone: c.phone,
      country: c.country,
      language: c.language,
      time_zone: c.time_zone,
      status,
      // The consent time is unknown unless the file says; where it came from is known.
      consent_source: c.consent_source ?? (status === 'subscribed' ? 'import' : null),
      consent_at: c.consent_at,
      validation: c.validation,
      validation_reason: c.validation_reason,
      attributes: attributesJson(c),
    };
  }

  /** Empty cells keep what the contact has: an import adds and corrects, it does not blank out. */
  private change(e: Entry, id: string, status: ContactStatus): ContactChange {
    const c = e.contact!;
    return {
      id,
      first_name: c.first_name,
      last_name: c.last_name,
      phone: c.phone,
      country: c.country,
      language: c.language,
      time_zone: c.time_zone,
      status: nextStatus(status, c.status),
      consent_source: c.consent_source,
      consent_at: c.consent_at,
      attributes: attributesJson(c),
    };
  }

  private async writeTags(w: BatchWriter, affected: Entry[], created: Map<string, string>) {
    const missing = new Map<string, string>();
    for (const e of affected) {
      for (const name of e.tagNames!) {
        const lower = name.toLowerCase();
        // The first spelling in the file names the new tag.
        if (!this.tagIds.has(lower) && !missing.has(lower)) missing.set(lower, name);
      }
    }
    if (missing.size > 0) {
      await w.createTags([...missing].map(([lower, name]) => ({ id: newId('tag'), name: detach(name), color: colorFor(lower) })));
      for (const [lower, id] of await w.tagIdsByLowerName([...missing.keys()])) created.set(detach(lower), id);
    }
    const contactIds: string[] = [];
    const tagIds: string[] = [];
    const forAll = this.s.plan.tagIds;
    for (const e of affected) {
      for (const id of forAll) {
        contactIds.push(e.contactId!);
        tagIds.push(id);
      }
      for (const name of e.tagNames!) {
        const lower = name.toLowerCase();
        const id = this.tagIds.get(lower) ?? created.get(lower);
        // Names are distinct per row already; an id also in tagIds is added once (ON CONFLICT).
        if (id && !forAll.includes(id)) {
          contactIds.push(e.contactId!);
          tagIds.push(id);
        }
      }
    }
    await w.addContactTags(contactIds, tagIds);
  }
}

/** The non-empty custom values as a JSON object (an empty cell sets nothing). */
function attributesJson(c: NormalisedContact): string {
  let out = '';
  for (const k in c.attributes) {
    const v = c.attributes[k];
    if (v !== null) out += `${out === '' ? '{' : ','}${JSON.stringify(k)}:${JSON.stringify(v)}`;
  }
  return out === '' ? '{}' : `${out}}`;
}

/** `row,email,outcome,reason` without building an array per row (a million rows, a million lines). */
function resultLine(e: Entry): string {
  return `${e.row},${csvCell(e.email)},${e.outcome},${e.reason === '' ? '' : csvCell(e.reason)}\r\n`;
}

function colorFor(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) | 0;
  return NEW_TAG_COLORS[Math.abs(h) % NEW_TAG_COLORS.length];
}

/** A copy that does not keep the whole chunk it was sliced from alive (it stays in a long-lived cache). */
const detach = (s: string) => Buffer.from(s, 'utf8').toString('utf8');

/**
 * results.csv, written at explicit offsets: each batch writes where the last committed batch
 * ended, so lines of a batch that rolled back are overwritten, and close() cuts anything after
 * the committed length.
 */
class ResultsFile {
  private constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  static open(path: string, committedBytes: number): ResultsFile {
    if (committedBytes > 0) {
      const fd = fs.openSync(path, 'r+');
      fs.ftruncateSync(fd, committedBytes);
      return new ResultsFile(fd, committedBytes);
    }
    const fd = fs.openSync(path, 'w');
    const header = Buffer.from(RESULTS_HEADER);
    fs.writeSync(fd, header, 0, header.length, 0);
    return new ResultsFile(fd, header.length);
  }

  /** Writes at `at` and returns the offset after the text. */
  write(text: string, at: number): number {
    const buf = Buffer.from(text, 'utf8');
    fs.writeSync(this.fd, buf, 0, buf.length, at);
    return at + buf.length;
  }

  close(committedBytes: number) {
    fs.ftruncateSync(this.fd, committedBytes);
    fs.closeSync(this.fd);
  }
}
