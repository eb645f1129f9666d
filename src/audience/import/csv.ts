/**
 * A streaming RFC 4180 CSV reader and writer. Hand-written because the import reads a million rows
 * in about a second with it (csv-parse takes several), and because it needs two behaviours no
 * library offers: rows are numbered the way a spreadsheet shows them, and a broken row fails alone
 * instead of swallowing the rest of the file.
 *
 * Accepted beyond the RFC, as Excel and LibreOffice write or read them: `;` and tab delimiters,
 * bare CR or LF line ends, a `"` inside an unquoted value (kept literally), blank lines and lines
 * of only delimiters (skipped, but counted as rows).
 */

const QUOTE = 34;
const CR = 13;
const LF = 10;

export interface CsvRecord {
  /** Spreadsheet row number: the first record of the file is row 1, a quoted line break does not start a row. */
  row: number;
  cells: string[];
  /** The record is malformed: `cell` is the index of the offending cell, or -1 for the whole row. */
  error?: { cell: number; message: string };
}

export interface CsvParserOptions {
  delimiter: string;
  /** Longer records fail as a row; the parser never holds more than about this many characters. */
  maxRecordChars: number;
}

export const CSV_ERRORS = {
  unterminated: 'the quoted value is never closed (a " is missing); reading went on with the next line',
  afterQuote: 'text follows the closing quote; a " inside a quoted value must be doubled ("")',
  tooLong: (max: number) => `the row is longer than ${Math.round(max / 1024)} KiB and was not read`,
};

type Scan =
  | { done: true; cells: string[]; next: number; error?: CsvRecord['error'] }
  // The text ended inside the record. `cell`: index of the cell being read; `quoteBreak`: index
  // just after the first line break inside a quoted value that is still open, else -1.
  | { done: false; cell: number; quoteBreak: number };

export class CsvParser {
  private readonly delim: number;
  private readonly max: number;
  /** Text of the record the previous chunk ended in. */
  private rest = '';
  private row = 0;
  /** Skipping an oversized record up to its line break. */
  private discarding = false;
  /** A CR ended the previous chunk: a LF starting the next one belongs to it. */
  private pendingLf = false;

  constructor(opts: CsvParserOptions) {
    if (opts.delimiter.length !== 1) throw new Error('the delimiter must be one character');
    this.delim = opts.delimiter.charCodeAt(0);
    this.max = opts.maxRecordChars;
  }

  push(chunk: string, emit: (r: CsvRecord) => void): void {
    if (this.pendingLf) {
      this.pendingLf = false;
      if (chunk.charCodeAt(0) === LF) chunk = chunk.slice(1);
    }
    if (this.discarding) {
      const end = lineBreakEnd(chunk, 0);
      if (end < 0) return;
      this.discarding = false;
      if (end === chunk.length && chunk.charCodeAt(end - 1) === CR) this.pendingLf = true;
      chunk = chunk.slice(end);
    }
    this.parse(this.rest.length > 0 ? this.rest + chunk : chunk, false, emit);
  }

  end(emit: (r: CsvRecord) => void): void {
    if (this.discarding || this.rest.length === 0) return;
    const text = this.rest;
    this.rest = '';
    this.parse(text, true, emit);
  }

  private parse(text: string, final: boolean, emit: (r: CsvRecord) => void): void {
    const n = text.length;
    let pos = 0;
    while (pos < n) {
      const r = this.scan(text, pos, final);
      if (!r.done) {
        if (n - pos <= this.max) {
          this.rest = text.slice(pos);
          return;
        }
        const row = ++this.row;
        if (r.quoteBreak >= 0) {
          // A quote that stays open this long is a missing closing quote, not a huge value:
          // fail this row and read on from the line after the quote instead of losing the file.
          emit({ row, cells: [], error: { cell: r.cell, message: CSV_ERRORS.unterminated } });
          pos = r.quoteBreak;
          continue;
        }
        emit({ row, cells: [], error: { cell: -1, message: CSV_ERRORS.tooLong(this.max) } });
        this.rest = '';
        this.discarding = true;
        return;
      }
      this.row++;
      if (r.next - pos > this.max) emit({ row: this.row, cells: [], error: { cell: -1, message: CSV_ERRORS.tooLong(this.max) } });
      else if (r.error || !isBlank(r.cells)) emit({ row: this.row, cells: r.cells, ...(r.error ? { error: r.error } : {}) });
      pos = r.next;
    }
    this.rest = '';
  }

  /** Reads one record starting at `pos`; pure in (text, pos, final) so an incomplete record is simply scanned again with more text. */
  private scan(text: string, pos: number, final: boolean): Scan {
    const n = text.length;
    const d = this.delim;
    const cells: string[] = [];
    let error: CsvRecord['error'];
    let i = pos;
    for (;;) {
      if (i >= n) {
        if (!final) return { done: false, cell: cells.length, quoteBreak: -1 };
        cells.push('');
        return { done: true, cells, next: n, error };
      }
      let value: string;
      let c = text.charCodeAt(i);
      if (c === QUOTE) {
        value = '';
        let j = i + 1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q === -1 || (q === n - 1 && !final)) {
            const quoteBreak = lineBreakEnd(text, i + 1);
            if (!final) return { done: false, cell: cells.length, quoteBreak };
            if (q === n - 1) {
              // final and the last character closes the value
              value += text.slice(j, q);
              i = n;
              break;
            }
            const cell = cells.length;
            cells.push(value);
            return { done: true, cells, next: quoteBreak >= 0 ? quoteBreak : n, error: { cell, message: CSV_ERRORS.unterminated } };
          }
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(j, q + 1);
            j = q + 2;
            continue;
          }
          value += text.slice(j, q);
          i = q + 1;
          break;
        }
        if (i >= n) {
          cells.push(value);
          return { done: true, cells, next: n, error };
        }
        c = text.charCodeAt(i);
        if (c !== d && c !== LF && c !== CR) {
          error ??= { cell: cells.length, message: CSV_ERRORS.afterQuote };
          const j = i;
          while (i < n && (c = text.charCodeAt(i)) !== d && c !== LF && c !== CR) i++;
          if (i >= n && !final) return { done: false, cell: cells.length, quoteBreak: -1 };
          value += text.slice(j, i);
        }
      } else {
        const j = i;
        while (c !== d && c !== LF && c !== CR) {
          if (++i >= n) break;
          c = text.charCodeAt(i);
        }
        if (i >= n && !final) return { done: false, cell: cells.length, quoteBreak: -1 };
        value = text.slice(j, i);
      }
      cells.push(value);
      if (i >= n) return { done: true, cells, next: n, error };
      if (c === d) {
        i++;
        continue;
      }
      // c is CR or LF: the record ends; CRLF counts as one line break.
      if (c === CR) {
        if (i + 1 >= n && !final) return { done: false, cell: cells.length - 1, quoteBreak: -1 };
        return { done: true, cells, next: text.charCodeAt(i + 1) === LF ? i + 2 : i + 1, error };
      }
      return { done: true, cells, next: i + 1, error };
    }
  }
}

/** Index just after the first line break at or after `from` (CRLF as one), or -1. */
function lineBreakEnd(text: string, from: number): number {
  const n = text.length;
  for (let i = from; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) return i + 1;
    if (c === CR) return text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
  }
  return -1;
}

function isBlank(cells: string[]): boolean {
  for (const c of cells) if (c !== '' && c.trim() !== '') return false;
  return true;
}

/** Parses a whole string (tests, previews). */
export function parseCsv(text: string, opts: CsvParserOptions): CsvRecord[] {
  const out: CsvRecord[] = [];
  const p = new CsvParser(opts);
  p.push(text, (r) => out.push(r));
  p.end((r) => out.push(r));
  return out;
}

// ---- writing -------------------------------------------------------------------------------

const NEEDS_QUOTES = /[",\r\n]/;
// A spreadsheet runs a cell starting with these as a formula (CSV injection); numbers and phone
// numbers like "-3" or "+44 20 7946 0000" are left alone so they still read as values.
const FORMULA_START = /^[=@\t\r]|^[+-](?![\d\s().-]*$)/;

export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'string' ? value : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line with the RFC's CRLF ending. */
export function csvLine(values: ReadonlyArray<string | number | boolean | null | undefined>): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : ',') + csvCell(values[i]);
  return `${line}\r\n`;
}
