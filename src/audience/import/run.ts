import fs from 'node:fs';
import type { Dialect, Store } from '../../store/db.ts';
import { newId } from '../../shared/ids.ts';
import type { Clock } from '../../shared/clock.ts';
import type { ContactStatus } from '../model.ts';
import { csvCell, csvLine } from './csv.ts';
import { NEW_TAG_COLORS, type ImportPlan } from './model.ts';
import { checkRows, type PrepareSetup } from './prepare.ts';
import { batchRunner, importsRepo, type BatchRunner, type BatchWriter, type Checkpoint, type ContactChange } from './repo.ts';
import { chunkFor, COL, ENTRY_PENDING, ENTRY_SKIPPED, GIVEN_CONSENT_SOURCE, GIVEN_STATUS, valueOf, type Chunks, type ContactRows, type PreparedBatch } from './rows.ts';
import type { SourceLayout } from './source.ts';

/**
 * Rows per batch (one transaction). On SQLite the rows are checked in this thread while the
 * previous batch is written: small batches die young in V8's heap instead of piling up in the old
 * generation (5,000-row batches grew the heap by over 100 MB). PostgreSQL pays a round trip per
 * statement, so fewer, larger batches.
 */
export function batchRowsFor(dialect: Dialect): number {
  return dialect === 'sqlite' ? 1000 : 5000;
}

/** Files from this size are written by a SQLite connection in a thread of its own: below it, starting the thread costs more than it saves. */
export const WRITER_THREAD_MIN_BYTES = 4 * 1024 * 1024;

/**
 * One run of an import: rows are read and checked into batches (rows.ts), and each batch is
 * written in one transaction together with the checkpoint (last row, counters, bytes of
 * results.csv). A run that dies is resumed by the next one: rows up to the checkpoint are read
 * again only to rebuild the duplicate table, counters continue from the stored values, and
 * results.csv is cut back to its committed length.
 */

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
  /** SQLite: write in a thread of its own while this one reads and checks the next rows. */
  writerThread: boolean;
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

/** What the database decided for a row the checks passed. */
const IMPORTED = 0;
const UPDATED = 1;
const EXISTS = 2;
const DELETED = 3;

/** The outcomes of a batch's pending rows, by position. */
interface Decisions {
  outcome: Uint8Array;
  /** Position → the existing contact the row updated. */
  updatedIds: Map<number, string>;
}

export class ImportRun {
  /** Lower-cased tag name → id, for the brand. */
  private readonly tagIds = new Map<string, string>();
  /** Tag spellings by slot (see ContactRows.tagSlots), and their lower-cased names. */
  private readonly slotNames: string[] = [];
  private readonly slotLower: string[] = [];
  private readonly batch: BatchRunner;
  private progress: Checkpoint;
  private results: ResultsFile | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly s: RunSetup,
  ) {
    this.batch = batchRunner(store, { brandId: s.brandId, importId: s.importId }, { writerThread: s.writerThread });
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
    const setup: PrepareSetup = {
      filePath: this.s.filePath,
      sizeBytes: this.s.sizeBytes,
      layout: this.s.layout,
      plan: this.s.plan,
      fromRow: this.s.from.checkpointRow,
      batchRows: batchRowsFor(this.store.dialect),
    };
    // The next batch is read and checked while earlier ones are written (PostgreSQL, or the SQLite
    // writer thread, works on its own core meanwhile). On PostgreSQL two batches are written at
    // once, on two connections; they still commit one after another, in file order.
    const inFlight: Array<Promise<boolean>> = [];
    let last: Promise<boolean> = Promise.resolve(true);
    let tagsTurn: Promise<void> = Promise.resolve();
    const submit = async (batch: PreparedBatch): Promise<boolean> => {
      if (inFlight.length >= this.batch.lanes && !(await inFlight.shift())) return false;
      let tagsDone!: () => void;
      const nextTagsTurn = new Promise<void>((resolve) => (tagsDone = resolve));
      last = this.flush(batch, { previous: last, tagsTurn, tagsDone }).then(async (ok) => {
        if (ok) await onProgress?.(this.progress);
        return ok;
      });
      tagsTurn = nextTagsTurn;
      // A failure is thrown by the next await of it; this only keeps it from counting as unhandled meanwhile.
      last.catch(() => {});
      inFlight.push(last);
      return true;
    };
    try {
      for await (const batch of checkRows(setup)) {
        if (!(await submit(batch))) return 'stopped';
      }
      while (inFlight.length > 0) if (!(await inFlight.shift())) return 'stopped';
      this.progress.bytesRead = this.s.sizeBytes;
      await this.batch.refreshStatistics();
      return 'done';
    } finally {
      await Promise.all(inFlight.map((p) => p.catch(() => false)));
      this.results.close(this.progress.resultsBytes);
      await this.batch.close();
    }
  }

  // ---- one batch, one transaction ----------------------------------------------------------------

  /**
   * Writes a batch in one transaction. The contacts, tags and events may be written while the
   * previous batch is still open (another lane); the counters, results.csv and the checkpoint
   * continue from the previous batch's, so they wait for it to commit. Tags are created one batch
   * after another (`tagsTurn`): a batch may wait for a tag the one before created, never the
   * other way round, so two open batches cannot wait for each other.
   */
  private async flush(b: PreparedBatch, order: { previous: Promise<boolean>; tagsTurn: Promise<void>; tagsDone: () => void }): Promise<boolean> {
    for (const name of b.newTagNames) {
      this.slotNames.push(name);
      this.slotLower.push(name.toLowerCase());
    }
    let next!: Checkpoint;
    const created = new Map<string, string>();
    try {
      await this.batch.run(this.clock.now().toISOString(), async (w) => {
        const rows = b.contacts;
        let decided: Decisions;
        try {
          decided = await this.writeContacts(w, rows);
          await order.tagsTurn;
          await this.writeTags(w, rows, decided, created);
        } finally {
          order.tagsDone();
        }
        await w.addEvents(this.events(rows, decided));
        // A previous batch that failed or stopped reports that itself; this one rolls back.
        if (!(await order.previous.catch(() => false))) throw new Stopped();
        const before = this.progress;
        next = { ...before, bytesRead: b.bytesRead, checkpointRow: b.lastRow };
        next.resultsBytes = this.results!.write(this.resultLines(b, decided, next), before.resultsBytes);
        if (!(await w.saveCheckpoint(before.checkpointRow, next))) throw new Stopped();
      });
    } catch (err) {
      if (err instanceof Stopped) return false;
      throw err;
    } finally {
      // A failure before the tags still lets the next batch take its turn.
      order.tagsDone();
    }
    this.progress = next;
    for (const [name, id] of created) this.tagIds.set(name, id);
    return true;
  }

  private async writeContacts(w: BatchWriter, rows: ContactRows): Promise<Decisions> {
    const decided: Decisions = { outcome: new Uint8Array(rows.count), updatedIds: new Map() };
    if (rows.count === 0) return decided;
    const present = await w.insertNew(rows);
    if (present.size === 0) return decided;

    const existing = await w.findExisting([...present]);
    const changes: ContactChange[] = [];
    for (let i = 0; i < rows.count; i++) {
      const email = valueOf(rows, i, COL.email)!;
      if (!present.has(email)) continue;
      const current = existing.get(email);
      if (!current) {
        // It existed when the insert ran and was deleted before the lookup (another process).
        decided.outcome[i] = DELETED;
      } else if (this.s.plan.onConflict === 'skip') {
        decided.outcome[i] = EXISTS;
      } else {
        decided.outcome[i] = UPDATED;
        decided.updatedIds.set(i, current.id);
        changes.push(this.change(rows, i, current.id, current.status));
      }
    }
    await w.updateContacts(changes);
    return decided;
  }

  /** Empty cells keep what the contact has: an import adds and corrects, it does not blank out. */
  private change(rows: ContactRows, i: number, id: string, status: ContactStatus): ContactChange {
    const v = (col: number) => valueOf(rows, i, col);
    const given = rows.given[i];
    return {
      id,
      first_name: v(COL.first_name),
      last_name: v(COL.last_name),
      phone: v(COL.phone),
      country: v(COL.country),
      language: v(COL.language),
      time_zone: v(COL.time_zone),
      status: nextStatus(status, given & GIVEN_STATUS ? (v(COL.status) as ContactStatus) : null),
      consent_source: given & GIVEN_CONSENT_SOURCE ? v(COL.consent_source) : null,
      consent_at: v(COL.consent_at),
      attributes: v(COL.attributes)!,
    };
  }

  private contactId(rows: ContactRows, decided: Decisions, i: number): string {
    return decided.updatedIds.get(i) ?? valueOf(rows, i, COL.id)!;
  }

  private affected(decided: Decisions, i: number): boolean {
    const o = decided.outcome[i];
    return o === IMPORTED || o === UPDATED;
  }

  private async writeTags(w: BatchWriter, rows: ContactRows, decided: Decisions, created: Map<string, string>) {
    const { tagStart, tagSlots } = rows;
    const missing = new Map<string, string>();
    for (let i = 0; i < rows.count; i++) {
      if (!this.affected(decided, i)) continue;
      for (let j = tagStart[i]; j < tagStart[i + 1]; j++) {
        const lower = this.slotLower[tagSlots[j]];
        // The first spelling in the file names the new tag.
        if (!this.tagIds.has(lower) && !missing.has(lower)) missing.set(lower, this.slotNames[tagSlots[j]]);
      }
    }
    if (missing.size > 0) {
      await w.createTags([...missing].map(([lower, name]) => ({ id: newId('tag'), name, color: colorFor(lower) })));
      for (const [lower, id] of await w.tagIdsByLowerName([...missing.keys()])) created.set(lower, id);
    }
    const pairs: Chunks<string> = [];
    const forAll = this.s.plan.tagIds;
    for (let i = 0; i < rows.count; i++) {
      if (!this.affected(decided, i)) continue;
      const contactId = this.contactId(rows, decided, i);
      for (const id of forAll) chunkFor(pairs, 2).push(contactId, id);
      for (let j = tagStart[i]; j < tagStart[i + 1]; j++) {
        const lower = this.slotLower[tagSlots[j]];
        const id = this.tagIds.get(lower) ?? created.get(lower);
        // Names are distinct per row already; an id also in tagIds is added once (ON CONFLICT).
        if (id && !forAll.includes(id)) chunkFor(pairs, 2).push(contactId, id);
      }
    }
    await w.addContactTags(pairs);
  }

  /** Event id, contact id, type of each imported or updated contact's timeline event. */
  private events(rows: ContactRows, decided: Decisions): Chunks<string> {
    const out: Chunks<string> = [];
    for (let i = 0; i < rows.count; i++) {
      if (!this.affected(decided, i)) continue;
      chunkFor(out, 3).push(rows.eventIds[i], this.contactId(rows, decided, i), decided.outcome[i] === IMPORTED ? 'imported' : 'updated');
    }
    return out;
  }

  /** The batch's lines of results.csv, counting each outcome into `next`. */
  private resultLines(b: PreparedBatch, decided: Decisions, next: Checkpoint): string {
    let text = '';
    let pending = 0;
    for (let i = 0; i < b.states.length; i++) {
      const state = b.states[i];
      next.rowsTotal++;
      if (state === ENTRY_PENDING) {
        const outcome = decided.outcome[pending];
        text += b.lines[i] + (outcome === DELETED ? deletedText(b.contacts.fileRows[pending]) : OUTCOME_TEXT[outcome]);
        pending++;
        if (outcome === IMPORTED) next.rowsImported++;
        else if (outcome === UPDATED) next.rowsUpdated++;
        else if (outcome === EXISTS) next.rowsSkipped++;
        else next.rowsFailed++;
      } else {
        text += b.lines[i];
        if (state === ENTRY_SKIPPED) next.rowsSkipped++;
        else next.rowsFailed++;
      }
    }
    return text;
  }
}

/** `outcome,reason` ending a pending row's results line, by decision. */
const OUTCOME_TEXT = ['imported,\r\n', 'updated,\r\n', 'skipped,already exists\r\n'];
const deletedText = (row: number) => `failed,${csvCell(`row ${row}: the contact was deleted by someone else during the import; import the row again`)}\r\n`;

function colorFor(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) | 0;
  return NEW_TAG_COLORS[Math.abs(h) % NEW_TAG_COLORS.length];
}

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
    return at + fs.writeSync(this.fd, text, at, 'utf8');
  }

  close(committedBytes: number) {
    fs.ftruncateSync(this.fd, committedBytes);
    fs.closeSync(this.fd);
  }
}
