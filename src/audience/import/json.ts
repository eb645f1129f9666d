/**
 * Streaming reader for JSON imports: a top-level array of objects (`[{…},{…}]`) or NDJSON (one
 * object per line). It finds each element's extent with a small state machine and hands only that
 * slice to JSON.parse, so memory stays at one element however large the file. A bad element fails
 * as one row; an element larger than the limit fails without being buffered.
 */

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

export interface JsonRecord {
  /** 1-based position of the element in the file. */
  row: number;
  value?: Record<string, unknown>;
  error?: string;
}

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

export class JsonRecordReader {
  private mode: 'start' | 'elements' | 'closed' = 'start';
  private row = 0;
  // The element being read.
  private inElement = false;
  private scalar = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private pieces: string[] = [];
  private length = 0;
  private tooLong = false;
  private trailingReported = false;

  constructor(private readonly maxElementChars: number) {}

  push(chunk: string, emit: (r: JsonRecord) => void): void {
    const n = chunk.length;
    let i = 0;
    let start = 0;
    while (i < n) {
      if (!this.inElement) {
        const c = chunk.charCodeAt(i);
        if (isSpace(c)) {
          i++;
          continue;
        }
        if (this.mode === 'start') {
          this.mode = 'elements';
          if (c === OPEN_BRACKET) {
            i++;
            continue;
          }
        }
        if (this.mode === 'closed') {
          if (!this.trailingReported) emit({ row: ++this.row, error: 'unexpected text after the closing ] of the array' });
          this.trailingReported = true;
          return;
        }
        if (c === COMMA) {
          i++;
          continue;
        }
        if (c === CLOSE_BRACKET) {
          this.mode = 'closed';
          i++;
          continue;
        }
        this.beginElement(c);
        start = i;
      }
      const end = this.scanElement(chunk, i);
      if (end < 0) {
        this.keep(chunk.slice(start));
        return;
      }
      this.keep(chunk.slice(start, end));
      this.finishElement(emit);
      i = end;
    }
  }

  end(emit: (r: JsonRecord) => void): void {
    if (!this.inElement) return;
    if (this.scalar && !this.inString) {
      this.finishElement(emit);
      return;
    }
    this.inElement = false;
    emit({ row: ++this.row, error: 'the file ends inside this element (the JSON is cut off)' });
  }

  private beginElement(c: number) {
    this.inElement = true;
    this.scalar = c !== OPEN_BRACE && c !== OPEN_BRACKET && c !== QUOTE;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.pieces = [];
    this.length = 0;
    this.tooLong = false;
  }

  /** Index just after the element's last character, or -1 when the chunk ends first. */
  private scanElement(text: string, from: number): number {
    const n = text.length;
    for (let i = from; i < n; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.depth === 0) return i + 1;
        }
        continue;
      }
      if (this.scalar) {
        if (c === COMMA || c === CLOSE_BRACKET || isSpace(c)) return i;
        continue;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (--this.depth === 0) return i + 1;
      }
    }
    return -1;
  }

  private keep(text: string) {
    if (this.tooLong) return;
    this.length += text.length;
    if (this.length > this.maxElementChars) {
      this.tooLong = true;
      this.pieces = [];
    } else this.pieces.push(text);
  }

  private finishElement(emit: (r: JsonRecord) => void) {
    this.inElement = false;
    const row = ++this.row;
    if (this.tooLong) {
      emit({ row, error: `the element is longer than ${Math.round(this.maxElementChars / 1024)} KiB and was not read` });
      return;
    }
    const text = this.pieces.length === 1 ? this.pieces[0] : this.pieces.join('');
    this.pieces = [];
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      emit({ row, error: `not valid JSON: ${(err as Error).message}` });
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      emit({ row, error: `expected an object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}` });
      return;
    }
    emit({ row, value: value as Record<string, unknown> });
  }
}

/** Column names of one object: its keys, with the keys of a nested `fields` object as "fields.<key>". */
export function flattenObject(obj: Record<string, unknown>, visit: (column: string, value: unknown) => void): void {
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (key === 'fields' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const k of Object.keys(v)) visit(`fields.${k}`, (v as Record<string, unknown>)[k]);
    } else visit(key, v);
  }
}
