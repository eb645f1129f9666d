import { newId } from '../../shared/ids.ts';
import { LIMITS, type FieldType } from '../model.ts';
import { normaliseContact, type NormalisedContact, type RawContact } from '../normalise.ts';
import { csvCell } from './csv.ts';
import { IMPORT_LIMITS, type ImportPlan } from './model.ts';
import { SeenEmails } from './seen.ts';
import type { SourceLayout, SourceRecord } from './source.ts';

/**
 * Everything an import does to a row before the database sees it: the cells are checked through
 * `normaliseContact`, repeats of an email in the file are found, tags are split, and the row's
 * insert values are laid out for the writer. The result is a batch of plain arrays (no object per
 * row), so it costs little to keep while it is written.
 */

/** A batch also ends at this many characters of custom values, so rows with many long values cannot make it huge. */
export const BATCH_MAX_CHARS = 8 * 1024 * 1024;

/**
 * The values of one new contact in `ContactRows.values`, in this order: the insert's columns
 * (brand and times are the same for all and bound once).
 */
export const CONTACT_COLUMNS = [
  'id',
  'email',
  'first_name',
  'last_name',
  'phone',
  'country',
  'language',
  'time_zone',
  'status',
  'consent_source',
  'consent_at',
  'validation',
  'validation_reason',
  'attributes',
] as const;
export const CONTACT_WIDTH = CONTACT_COLUMNS.length;
export const COL = Object.fromEntries(CONTACT_COLUMNS.map((c, i) => [c, i])) as { [K in (typeof CONTACT_COLUMNS)[number]]: number };

/**
 * Rows of `width` values, in arrays of at most CHUNK_ROWS rows: one array per batch would be large
 * enough for V8 to put it straight into the old generation, where only a full collection frees it;
 * small arrays die young. A chunk is also what one multi-row statement binds.
 */
export type Chunks<T = string | null> = T[][];
export const CHUNK_ROWS = 64;

/** The array the next row's `width` values go to. */
export function chunkFor<T>(chunks: Chunks<T>, width: number): T[] {
  const last = chunks[chunks.length - 1];
  if (last && last.length < CHUNK_ROWS * width) return last;
  const next: T[] = [];
  chunks.push(next);
  return next;
}

/** `ContactRows.given` flags: the row gave the value itself (an update applies only given values). */
export const GIVEN_STATUS = 1;
export const GIVEN_CONSENT_SOURCE = 2;

/** The rows of a batch the database decides on (inserted, or found existing), as parallel arrays. */
export interface ContactRows {
  count: number;
  /** Row of the file each came from. */
  fileRows: number[];
  /** CONTACT_WIDTH values per row, as the insert writes them (the plan's default status applied). */
  values: Chunks;
  given: number[];
  /** Id of the row's timeline event. */
  eventIds: string[];
  /** Row i's tags are `tagSlots[tagStart[i] .. tagStart[i + 1]]`, slots of `PreparedBatch.newTagNames` over the run. */
  tagStart: number[];
  tagSlots: number[];
}

/** Row i's value of column `col` (a COL index). */
export const valueOf = (rows: ContactRows, i: number, col: number): string | null => rows.values[(i / CHUNK_ROWS) | 0][(i % CHUNK_ROWS) * CONTACT_WIDTH + col];

export const ENTRY_PENDING = 0;
export const ENTRY_SKIPPED = 1;
export const ENTRY_FAILED = 2;

export interface PreparedBatch {
  /** Row of the last entry: the checkpoint once this batch commits. */
  lastRow: number;
  /** Bytes of the file behind this batch, for the progress bar. */
  bytesRead: number;
  /** Per entry (every row of the batch, in file order): ENTRY_PENDING, ENTRY_SKIPPED or ENTRY_FAILED. */
  states: number[];
  /**
   * Per entry, its line of results.csv: complete for a skipped or failed row; for a pending row
   * only `row,email,`, the writer adds the outcome the database decided.
   */
  lines: string[];
  /** The pending entries, in the same order. */
  contacts: ContactRows;
  /** Tag spellings first met in this batch; they take the next slot numbers of the run. */
  newTagNames: string[];
}

export interface RowCheckerSetup {
  layout: SourceLayout;
  /** Rows that reach the database per transaction (the dialect's choice: see run.ts). */
  batchRows: number;
  plan: ImportPlan;
  /** Rows up to here were committed by an earlier run: read again only to remember their emails. */
  fromRow: number;
}

const NO_TAGS: string[] = [];

/** Tag names of a tags cell ("a, b|c") or JSON list, trimmed, without repeats (case-insensitive). */
function splitTagNames(value: unknown): string[] {
  if (value === null || value === undefined) return NO_TAGS;
  const parts = Array.isArray(value) ? value.map((v) => String(v)) : String(value).split(/[,;|]/);
  const out: string[] = [];
  let lower: Set<string> | undefined;
  for (const p of parts) {
    const name = p.trim();
    if (name === '') continue;
    const key = name.toLowerCase();
    if ((lower ??= new Set()).has(key)) continue;
    lower.add(key);
    out.push(name);
  }
  return out;
}

/** A copy that does not keep the whole chunk of the file it was sliced from alive (it outlives the batch). */
const detach = (s: string) => Buffer.from(s, 'utf8').toString('utf8');

export class RowChecker {
  private readonly seen = new SeenEmails();
  private readonly fieldTypes = new Map<string, FieldType>();
  /** Field name in normaliseContact's issues ("email", "fields.score") → the column it came from. */
  private readonly columnOfField = new Map<string, string>();
  private readonly emailColumn: number;
  private readonly tagsColumn: string | null;
  /** Tag spelling → slot, over the whole run. */
  private readonly tagSlot = new Map<string, number>();
  private batch!: PreparedBatch;
  private written = 0;
  private chars = 0;

  constructor(private readonly s: RowCheckerSetup) {
    for (const c of s.plan.columns) {
      if (c.kind === 'field') {
        this.fieldTypes.set(c.key, c.type);
        this.columnOfField.set(`fields.${c.key}`, c.column);
      } else if (c.kind === 'contact') this.columnOfField.set(c.field, c.column);
    }
    this.emailColumn = s.plan.columns.findIndex((c) => c.kind === 'contact' && c.field === 'email');
    this.tagsColumn = s.plan.columns.find((c) => c.kind === 'tags')?.column ?? null;
    this.reset();
  }

  /** The batch is big enough to write: batchRows rows to write, or many more that failed or repeat, or BATCH_MAX_CHARS. */
  get full(): boolean {
    const { batchRows } = this.s;
    return this.written >= batchRows || this.batch.states.length >= 4 * batchRows || this.chars >= BATCH_MAX_CHARS;
  }

  /** About how many rows the file has in all (a guess from its first part): sizes the duplicate table once instead of growing it. */
  expectRows(rows: number): void {
    this.seen.expect(rows);
  }

  get empty(): boolean {
    return this.batch.states.length === 0;
  }

  /** The batch so far; the next rows start a new one. */
  take(bytesRead: number): PreparedBatch {
    const b = this.batch;
    b.bytesRead = bytesRead;
    this.reset();
    return b;
  }

  private reset() {
    this.batch = {
      lastRow: 0,
      bytesRead: 0,
      states: [],
      lines: [],
      contacts: { count: 0, fileRows: [], values: [], given: [], eventIds: [], tagStart: [0], tagSlots: [] },
      newTagNames: [],
    };
    this.written = 0;
    this.chars = 0;
  }

  add(rec: SourceRecord): void {
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

    const email = r.contact.email;
    const first = this.seen.firstRow(email, rec.row);
    // Rows before the checkpoint are committed already; reading them rebuilt the duplicate table.
    if (rec.row <= this.s.fromRow) return;
    if (first !== null) return this.entry(rec.row, ENTRY_SKIPPED, `${rec.row},${csvCell(email)},skipped,${csvCell(`duplicate of row ${first}`)}\r\n`);
    this.entry(rec.row, ENTRY_PENDING, `${rec.row},${csvCell(email)},`);
    this.pending(rec.row, r.contact, tagNames);
  }

  private pending(row: number, c: NormalisedContact, tagNames: string[]) {
    const rows = this.batch.contacts;
    rows.fileRows.push(row);
    const status = c.status ?? this.s.plan.defaultStatus;
    // The consent time is unknown unless the file says; where it came from is known.
    const consentSource = c.consent_source ?? (status === 'subscribed' ? 'import' : null);
    const attributes = attributesJson(c);
    this.chars += attributes.length;
    chunkFor(rows.values, CONTACT_WIDTH).push(
      newId('ctc'),
      c.email,
      c.first_name,
      c.last_name,
      c.phone,
      c.country,
      c.language,
      c.time_zone,
      status,
      consentSource,
      c.consent_at,
      c.validation,
      c.validation_reason,
      attributes,
    );
    rows.given.push((c.status !== null ? GIVEN_STATUS : 0) | (c.consent_source !== null ? GIVEN_CONSENT_SOURCE : 0));
    rows.eventIds.push(newId('evt'));
    for (const name of tagNames) rows.tagSlots.push(this.slotOf(name));
    rows.tagStart.push(rows.tagSlots.length);
    rows.count++;
    this.written++;
  }

  private slotOf(name: string): number {
    let slot = this.tagSlot.get(name);
    if (slot === undefined) {
      slot = this.tagSlot.size;
      const kept = detach(name);
      this.tagSlot.set(kept, slot);
      this.batch.newTagNames.push(kept);
    }
    return slot;
  }

  private entry(row: number, state: number, line: string) {
    this.batch.states.push(state);
    this.batch.lines.push(line);
    this.batch.lastRow = row;
  }

  private tagProblem(names: string[]): string | null {
    if (names.length > IMPORT_LIMITS.maxTagsPerRow) return `has ${names.length} tags; at most ${IMPORT_LIMITS.maxTagsPerRow} per row`;
    const long = names.find((t) => t.length > LIMITS.tagName);
    return long ? `tag "${long.slice(0, 40)}…" is longer than ${LIMITS.tagName} characters` : null;
  }

  /** Reported with the email cell as written (trimmed, clipped), so a failed row can be found in the file. */
  private failed(rec: SourceRecord, reason: string) {
    if (rec.row <= this.s.fromRow) return;
    const cell = rec.cells[this.emailColumn];
    const email = typeof cell === 'string' ? cell.trim().slice(0, 320) : '';
    this.entry(rec.row, ENTRY_FAILED, `${rec.row},${csvCell(email)},failed,${csvCell(reason)}\r\n`);
  }

  private describe(row: number, column: string | null, message: string): string {
    return column === null ? `row ${row}: ${message}` : `row ${row}, column "${column}": ${message}`;
  }
}

const withoutNulls = (key: string, v: unknown) => (key !== '' && v === null ? undefined : v);

/** The non-empty custom values as a JSON object (an empty cell sets nothing). */
function attributesJson(c: NormalisedContact): string {
  const values = c.attributes;
  for (const k in values) {
    if (values[k] === null) return JSON.stringify(values, withoutNulls);
  }
  return JSON.stringify(values);
}
