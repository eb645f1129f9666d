import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Hit } from './recorder.ts';

/**
 * The tracking inbox (embedded mode): append-only files beside the database, in `<db>-inbox/`.
 * The main thread appends each event-loop turn's opens and clicks, one JSON line each, with one
 * write() and then answers; the tracking thread (writer-worker.ts) reads them in order and writes
 * the events. A write() that returned survives the process being killed, as a commit of the
 * database does (WAL with synchronous = NORMAL: neither waits for the disk), so an answered hit is
 * never lost; and it costs a system call, where a SQLite commit of the same lines cost 20–25 µs.
 *
 * The lines live in segments (`000001.jsonl`, …). A process appends only to a segment it created,
 * so a line torn by a crash is always at the end of an older segment, where the reader skips it
 * (it was never answered). A place in the inbox is one number, segment × 2³² + byte offset, so
 * places order across segments; the database records how far it wrote per inbox (its generation,
 * a random id in the directory), so a new inbox starts from nothing.
 */
export class HitInbox {
  readonly generation: string;
  /** The segment this process appends to; created with the first append. */
  private segment: number;
  private fd: number | null = null;
  private offset = 0;
  /** The place after the last line in the inbox (0 for none). */
  private end: number;
  /** Where reads land, kept: a fresh megabyte per read cost more than reading the lines in it. */
  private readBuffer: Buffer | null = null;

  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    this.generation = readOrCreate(path.join(dir, 'generation'), randomUUID);
    const segments = listSegments(dir);
    const newest = segments.at(-1);
    this.segment = (newest ?? 0) + 1;
    this.end = newest === undefined ? 0 : placeOf(newest, fs.statSync(segmentPath(dir, newest)).size);
  }

  static exists(dir: string): boolean {
    return fs.existsSync(dir);
  }

  /** Appends the hits with one write; returns the place after the last. */
  append(hits: readonly Hit[]): number {
    this.fd ??= this.createSegment();
    const bytes = Buffer.from(`${hits.map(encodeHit).join('\n')}\n`);
    for (let written = 0; written < bytes.length; ) written += fs.writeSync(this.fd, bytes, written);
    this.offset += bytes.length;
    this.end = placeOf(this.segment, this.offset);
    if (this.offset >= SEGMENT_BYTES) this.rotate();
    return this.end;
  }

  /** The place after the last line appended (0 for an empty inbox). */
  last(): number {
    return this.end;
  }

  /**
   * Up to `limit` lines after place `after`, in order, each with the place after it. A line that
   * does not decode, or the torn end of an older segment, comes back with its error.
   */
  read(after: number, limit: number): InboxEntry[] {
    const entries: InboxEntry[] = [];
    let offset = after % SEGMENT_SPAN;
    const from = Math.floor(after / SEGMENT_SPAN);
    const segments = listSegments(this.dir).filter((s) => s >= from);
    for (const segment of segments) {
      if (segment > from) offset = 0;
      const file = segmentPath(this.dir, segment);
      const size = fs.statSync(file).size;
      this.readBuffer ??= Buffer.allocUnsafe(READ_BYTES);
      const read = readLines(file, segment, offset, size, limit - entries.length, entries, this.readBuffer);
      offset = read.offset;
      if (offset === size) continue;
      // Lines left over: a full read, or the torn end of the newest segment (its writer is mid-write; look again later).
      if (entries.length >= limit || !read.reachedEnd || segment === segments.at(-1)) break;
      // Only a crash leaves a torn line in an older segment: it was never answered.
      entries.push({ seq: placeOf(segment, size), error: new Error(`a torn line at the end of inbox segment ${segment}`) });
    }
    return entries;
  }

  /** Deletes the segments wholly before place `seq` (the database has their hits). */
  deleteThrough(seq: number): void {
    const upTo = Math.floor(seq / SEGMENT_SPAN);
    for (const s of listSegments(this.dir)) if (s < upTo && s !== this.segment) fs.rmSync(segmentPath(this.dir, s), { force: true });
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  /** A new segment file, never one that exists (another process's, or one left by an earlier run). */
  private createSegment(): number {
    for (;;) {
      try {
        return fs.openSync(segmentPath(this.dir, this.segment), 'ax');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        this.segment += 1;
      }
    }
  }

  private rotate(): void {
    this.close();
    this.segment += 1;
    this.offset = 0;
  }
}

export type InboxEntry = { seq: number; hit: Hit; error?: undefined } | { seq: number; hit?: undefined; error: Error };

/** The inbox directory of a database file. */
export const inboxFileOf = (databaseFile: string) => `${databaseFile}-inbox`;

/** A segment is closed at 16 MiB; places leave room for 4 GiB each, and 2²¹ segments stay exact in a double. */
const SEGMENT_BYTES = 16 * 1024 * 1024;
const SEGMENT_SPAN = 2 ** 32;
/** How much of a segment one read takes in. */
const READ_BYTES = 1024 * 1024;

const placeOf = (segment: number, offset: number) => segment * SEGMENT_SPAN + offset;
const segmentPath = (dir: string, segment: number) => path.join(dir, `${String(segment).padStart(6, '0')}.jsonl`);

function listSegments(dir: string): number[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d+\.jsonl$/.test(f))
    .map((f) => Number(f.slice(0, -6)))
    .sort((a, b) => a - b);
}

/**
 * Reads complete lines of a segment from `offset` into `entries` (at most `limit`), through
 * `into`: the offset after the last one read, and whether the read took in everything up to `size`.
 */
function readLines(file: string, segment: number, offset: number, size: number, limit: number, entries: InboxEntry[], into: Buffer): { offset: number; reachedEnd: boolean } {
  if (offset >= size || limit <= 0) return { offset, reachedEnd: offset >= size };
  const fd = fs.openSync(file, 'r');
  let got: number;
  try {
    got = fs.readSync(fd, into, 0, Math.min(into.length, size - offset), offset);
  } finally {
    fs.closeSync(fd);
  }
  const buffer = into.subarray(0, got);
  let start = 0;
  for (let nl = buffer.indexOf(10, 0); nl >= 0 && entries.length < limit; nl = buffer.indexOf(10, start)) {
    const line = buffer.toString('utf8', start, nl);
    start = nl + 1;
    const seq = placeOf(segment, offset + start);
    try {
      entries.push({ seq, hit: decodeHit(line) });
    } catch (err) {
      entries.push({ seq, error: err as Error });
    }
  }
  return { offset: offset + start, reachedEnd: offset + got >= size };
}

/** The file's content, or `make()` written there first; two processes racing both read the one that won. */
function readOrCreate(file: string, make: () => string): string {
  try {
    fs.writeFileSync(file, make(), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return fs.readFileSync(file, 'utf8');
}

/**
 * A line is a JSON array of the hit's fields in this order, `at` in milliseconds since the epoch
 * and absent fields null: half the cost of a JSON object to write (on the main thread) and to
 * read (on the tracking thread), which an ISO time doubled again. Lines of older inboxes are the
 * hit itself as a JSON object, with an ISO time; they still read.
 */
function encodeHit(h: Hit): string {
  const line: HitLine = [h.kind, h.messageId, h.contactId, h.at.getTime(), h.signal.method, h.signal.userAgent, h.signal.ip, h.link ?? null, h.url ?? null, h.provider ?? null];
  if (h.token !== undefined) line.push(h.token);
  return JSON.stringify(line);
}

/** The fields of a line; an open still to be checked ends with its token. */
type HitLine = [Hit['kind'], string, string | null, number, string, string | null, string | null, number | null, string | null, Hit['provider'] | null, string?];

function decodeHit(text: string): Hit {
  const parsed = JSON.parse(text) as HitLine | (Omit<Hit, 'at'> & { at: string });
  const h = Array.isArray(parsed) ? fromLine(parsed) : { ...parsed, at: new Date(parsed.at) };
  if ((h.kind !== 'opened' && h.kind !== 'clicked') || typeof h.messageId !== 'string' || Number.isNaN(h.at.getTime())) throw new Error(`not a hit: ${text.slice(0, 200)}`);
  return h;
}

function fromLine([kind, messageId, contactId, at, method, userAgent, ip, link, url, provider, token]: HitLine): Hit {
  const hit: Hit = { kind, messageId, contactId, at: new Date(at), signal: { method, userAgent, ip }, link: link ?? undefined, url: url ?? undefined, provider: provider ?? undefined };
  if (typeof token === 'string') hit.token = token;
  return hit;
}
