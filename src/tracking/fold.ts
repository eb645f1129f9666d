import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.ts';
import type { HitInbox } from './inbox.ts';
import { checkedHit, HitRecorder, type Hit } from './recorder.ts';
import { kyselyHitQueries, sqliteHitQueries, sqliteInboxMark, trackingRepo } from './repo.ts';

/** Hits written per transaction: a few milliseconds of the database's write lock at a time. */
export const FOLD_CHUNK = 500;
/** The smallest chunk nextChunkSize goes down to: about a millisecond of work. */
export const MIN_FOLD_CHUNK = 25;
/** A chunk that took longer than this (a few times its work) was kept off the CPU while it held the lock. */
export const SLOW_CHUNK_MS = 250;

/**
 * The size of the next chunk after one that took `tookMs`. The tracking thread runs only on cores
 * that would otherwise idle (writer-worker.ts), so other processes can keep it waiting in the
 * middle of a transaction, while the app's own writes wait for the lock it holds (five seconds
 * at most, with the event loop blocked). After a chunk that took long, chunks halve, so the lock
 * is held for less; they double back once chunks go quickly again.
 */
export function nextChunkSize(size: number, tookMs: number): number {
  return tookMs > SLOW_CHUNK_MS ? Math.max(MIN_FOLD_CHUNK, Math.floor(size / 2)) : Math.min(FOLD_CHUNK, size * 2);
}

/** What one step of the fold did: how far the database now has the inbox, and hits it had to drop. */
export interface FoldReport {
  folded: number;
  /** Inbox lines this step took in (hits written, skipped or dropped). */
  lines: number;
  dropped: Array<{ seq: number; message: string }>;
}

/** Inbox entries that decoded. */
type Entry = { seq: number; hit: Hit };

/**
 * Writes the entries and the inbox mark `through` in one transaction of the database. Entries at
 * or below the mark it finds there are skipped: another process on the same file (a second
 * `tidings` command replaying the inbox at start) may have written them first.
 */
export type FoldCommit = (entries: Entry[], through: number) => Promise<void>;

/**
 * Moves the inbox's hits into the database, in order, a chunk per transaction: the events, their
 * rollup and first-time columns (HitRecorder), and how far it got (tracking_inbox) commit
 * together, so a restart resumes exactly after the last hit written.
 *
 * A chunk that fails is written again hit by hit: a hit that still fails (or a row that does not
 * decode) is dropped and reported, so one bad hit can never hold back the ones behind it.
 */
export class HitFold {
  constructor(
    private readonly inbox: HitInbox,
    private readonly commit: FoldCommit,
    private through: number,
    /** The app's secret: the token of an open answered unchecked is checked here (checkedHit), and a hit it turns down is skipped. */
    private readonly secret: string,
  ) {}

  get folded(): number {
    return this.through;
  }

  /** Writes the next chunk; null when nothing was waiting. */
  async next(limit = FOLD_CHUNK): Promise<FoldReport | null> {
    const entries = this.inbox.read(this.through, limit);
    if (entries.length === 0) return null;
    const last = entries[entries.length - 1].seq;
    const dropped = entries.filter((e) => e.error).map((e) => ({ seq: e.seq, message: e.error!.message }));
    const hits: Entry[] = [];
    for (const e of entries) {
      const hit = e.hit && checkedHit(this.secret, e.hit);
      if (hit) hits.push({ seq: e.seq, hit });
    }
    try {
      await this.commit(hits, last);
    } catch {
      for (const e of hits) {
        try {
          await this.commit([e], e.seq);
        } catch (err) {
          dropped.push({ seq: e.seq, message: String((err as Error)?.message ?? err) });
        }
      }
      await this.commit([], last);
    }
    this.through = last;
    return { folded: last, lines: entries.length, dropped };
  }
}

/** The tracking thread's fold: statements prepared once on its own connection. */
export function threadFold(db: Database.Database, inbox: HitInbox, secret: string): HitFold {
  const queries = sqliteHitQueries(db);
  const recorder = new HitRecorder();
  const mark = sqliteInboxMark(db);
  const written = () => mark.written(inbox.generation);
  return new HitFold(
    inbox,
    async (entries, seq) => {
      db.exec('begin immediate');
      try {
        const done = written();
        if (seq <= done) return void db.exec('commit');
        const hits = unwritten(entries, done);
        if (hits.length > 0) await recorder.record(queries, hits);
        mark.set(inbox.generation, seq, new Date().toISOString());
        db.exec('commit');
      } catch (err) {
        if (db.inTransaction) db.exec('rollback');
        throw err;
      }
    },
    written(),
    secret,
  );
}

const unwritten = (entries: readonly Entry[], mark: number) => entries.filter((e) => e.seq > mark).map((e) => e.hit);

/**
 * The main thread's fold, once the thread failed: through Kysely, whose transactions keep the
 * app's other queries out of this one.
 */
export async function mainThreadFold(db: Kysely<DB>, inbox: HitInbox, secret: string): Promise<HitFold> {
  const recorder = new HitRecorder();
  return new HitFold(
    inbox,
    (entries, seq) =>
      db.transaction().execute(async (trx) => {
        const done = await trackingRepo.inboxWritten(trx, inbox.generation);
        if (seq <= done) return;
        const hits = unwritten(entries, done);
        if (hits.length > 0) await recorder.record(kyselyHitQueries(trx, 'sqlite'), hits);
        await trackingRepo.setInboxWritten(trx, inbox.generation, seq, new Date().toISOString());
      }),
    await trackingRepo.inboxWritten(db, inbox.generation),
    secret,
  );
}
