import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Hit } from './recorder.ts';

/**
 * The tracking inbox (embedded mode): an append-only SQLite file beside the database, `<db>-inbox`.
 * The main thread appends each event-loop turn's opens and clicks in one small transaction and
 * then answers; the tracking thread (writer-worker.ts) reads them in order and writes the events.
 *
 * An append is one table without secondary indexes, so a batch touches the last page or two of
 * one b-tree, where writing the events themselves touches a page of each of five indexes per event.
 * A commit here survives the process being killed, as a commit of the database itself does
 * (both are WAL with synchronous = NORMAL): an answered hit is never lost.
 *
 * Sequence numbers never repeat (AUTOINCREMENT), even after the written hits are deleted, and the
 * file has a generation id: the database records how far it wrote per generation
 * (tracking_inbox), so a new or replaced inbox file starts from nothing rather than from a
 * number that belonged to another file.
 */
export class HitInbox {
  readonly generation: string;
  private readonly sqlite: Database.Database;
  /** Multi-row INSERT statements by row count: a batch costs a statement run per 64 hits, not one per hit. */
  private readonly inserts = new Map<number, Database.Statement>();
  private readonly after: Database.Statement;
  private readonly removeThrough: Database.Statement;
  private readonly appendAll: (hits: readonly Hit[]) => number;

  constructor(readonly file: string) {
    this.sqlite = new Database(file);
    this.sqlite.pragma('journal_mode = WAL');
    this.sqlite.pragma('synchronous = NORMAL');
    // The tracking thread reads while this connection appends: a reader never blocks a writer in WAL
    // mode, but opening the file (creating its tables) from two connections at once may wait.
    this.sqlite.pragma('busy_timeout = 5000');
    this.sqlite.exec(`create table if not exists hits (seq integer primary key autoincrement, hit text not null);
      create table if not exists meta (key text primary key, value text not null);`);
    this.sqlite.prepare("insert into meta (key, value) values ('generation', ?) on conflict (key) do nothing").run(randomUUID());
    this.generation = this.sqlite.prepare("select value from meta where key = 'generation'").pluck().get() as string;
    this.after = this.sqlite.prepare('select seq, hit from hits where seq > ? order by seq limit ?');
    this.removeThrough = this.sqlite.prepare('delete from hits where seq <= ?');
    this.appendAll = this.sqlite.transaction((hits: readonly Hit[]) => {
      let seq = 0;
      for (let i = 0; i < hits.length; i += ROWS_PER_INSERT) {
        const part = hits.slice(i, i + ROWS_PER_INSERT);
        seq = Number(this.insertOf(part.length).run(part.map(encodeHit)).lastInsertRowid);
      }
      return seq;
    });
  }

  private insertOf(rows: number): Database.Statement {
    let statement = this.inserts.get(rows);
    if (!statement) this.inserts.set(rows, (statement = this.sqlite.prepare(`insert into hits (hit) values ${Array(rows).fill('(?)').join(', ')}`)));
    return statement;
  }

  /** Whether an inbox file is there to open (a process that never recorded a hit has none). */
  static exists(file: string): boolean {
    return fs.existsSync(file);
  }

  /** Appends the hits in one transaction; returns the sequence number of the last. */
  append(hits: readonly Hit[]): number {
    return this.appendAll(hits);
  }

  /** Up to `limit` hits after `seq`, in order. A row that does not decode comes back with its error. */
  read(seq: number, limit: number): InboxEntry[] {
    return (this.after.all(seq, limit) as Array<{ seq: number; hit: string }>).map((r) => {
      try {
        return { seq: r.seq, hit: decodeHit(r.hit) };
      } catch (err) {
        return { seq: r.seq, error: err as Error };
      }
    });
  }

  /** The last sequence number ever appended (0 for a new file). */
  last(): number {
    return Number(this.sqlite.prepare("select coalesce((select seq from sqlite_sequence where name = 'hits'), 0)").pluck().get());
  }

  /** Drops the hits the database has written. */
  deleteThrough(seq: number): void {
    this.removeThrough.run(seq);
  }

  close(): void {
    if (this.sqlite.open) this.sqlite.close();
  }
}

const ROWS_PER_INSERT = 64;

export type InboxEntry = { seq: number; hit: Hit; error?: undefined } | { seq: number; hit?: undefined; error: Error };

/** The inbox file of a database file. */
export const inboxFileOf = (databaseFile: string) => `${databaseFile}-inbox`;

/** JSON; `at` becomes its ISO string (Date.toJSON). */
const encodeHit = (h: Hit): string => JSON.stringify(h);

function decodeHit(text: string): Hit {
  const h = JSON.parse(text) as Omit<Hit, 'at'> & { at: string };
  const at = new Date(h.at);
  if ((h.kind !== 'opened' && h.kind !== 'clicked') || typeof h.messageId !== 'string' || Number.isNaN(at.getTime())) throw new Error(`not a hit: ${text.slice(0, 200)}`);
  return { ...h, at };
}
