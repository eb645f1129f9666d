import fs from 'node:fs';
import { CsvParser } from './csv.ts';
import { JsonRecordReader, flattenObject } from './json.ts';
import { IMPORT_LIMITS, type ImportFormat } from './model.ts';
import { textDecoder, type TextEncoding } from './sniff.ts';

/**
 * Reads an uploaded file from disk as records of cells, one chunk at a time: the file is never
 * held in memory, and each yield tells how many bytes are behind it for the progress bar.
 */

/** How the file is laid out; fixed by the preview and kept with the import so every run reads it the same way. */
export interface SourceLayout {
  format: ImportFormat;
  encoding: TextEncoding;
  /** CSV only. */
  delimiter: string;
  /** CSV: the first line is Excel's `sep=;` hint. */
  sepLine: boolean;
  hasHeader: boolean;
  /** Column names in file order (JSON: object keys, with fields.<key> for a nested `fields` object). */
  columns: string[];
}

export interface SourceRecord {
  /** Spreadsheet row (CSV: the header is row 1) or element number (JSON). */
  row: number;
  /** Cell values by column index; CSV cells are strings, JSON values are as parsed (undefined: absent). */
  cells: unknown[];
  /** Malformed record: `cell` -1 means the whole row. */
  error?: { cell: number; message: string };
}

// Decoded chunks stay below V8's large-object size (128 KB), so they are collected young.
const READ_CHUNK_BYTES = 64 * 1024;

/**
 * Decoded text of a file (or its first maxBytes), chunk by chunk, with the byte count read so far.
 * Every chunk is read into the same buffer: a new one per chunk would be garbage outside V8's heap
 * that a million-row import piles up faster than the collector frees it.
 */
export async function* readText(path: string, encoding: TextEncoding, maxBytes = Infinity): AsyncGenerator<{ text: string; bytesRead: number }> {
  const decoder = textDecoder(encoding);
  const buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  let bytesRead = 0;
  const file = await fs.promises.open(path, 'r');
  try {
    for (;;) {
      const { bytesRead: n } = await file.read(buf, 0, Math.min(READ_CHUNK_BYTES, maxBytes - bytesRead), null);
      if (n === 0) break;
      bytesRead += n;
      yield { text: decoder.decode(buf.subarray(0, n), { stream: true }), bytesRead };
    }
  } finally {
    await file.close();
  }
  // A character cut by maxBytes is not an error; at the real end of the file it is (shown as U+FFFD).
  const tail = Number.isFinite(maxBytes) ? '' : decoder.decode();
  if (tail) yield { text: tail, bytesRead };
}

/** Every data record of the file (header and `sep=` line dropped), in batches as they are read. */
export async function* readRecords(path: string, layout: SourceLayout): AsyncGenerator<{ records: SourceRecord[]; bytesRead: number }> {
  const reader = recordReader(layout);
  let bytesRead = 0;
  for await (const chunk of readText(path, layout.encoding)) {
    bytesRead = chunk.bytesRead;
    const records: SourceRecord[] = [];
    reader.push(chunk.text, records);
    if (records.length > 0) yield { records, bytesRead };
  }
  const records: SourceRecord[] = [];
  reader.end(records);
  if (records.length > 0) yield { records, bytesRead };
}

interface RecordReader {
  push(text: string, out: SourceRecord[]): void;
  end(out: SourceRecord[]): void;
}

function recordReader(layout: SourceLayout): RecordReader {
  return layout.format === 'csv' ? csvRecords(layout) : jsonRecords(layout);
}

function csvRecords(layout: SourceLayout): RecordReader {
  const parser = new CsvParser({ delimiter: layout.delimiter, maxRecordChars: IMPORT_LIMITS.maxRecordChars });
  // Lines before the data: Excel's sep= hint, then the header.
  let skip = (layout.sepLine ? 1 : 0) + (layout.hasHeader ? 1 : 0);
  let out: SourceRecord[] = [];
  const take = (r: SourceRecord) => {
    if (skip > 0) skip--;
    else out.push(r);
  };
  return {
    push(text, into) {
      out = into;
      parser.push(text, take);
    },
    end(into) {
      out = into;
      parser.end(take);
    },
  };
}

function jsonRecords(layout: SourceLayout): RecordReader {
  const reader = new JsonRecordReader(IMPORT_LIMITS.maxRecordChars);
  const index = new Map(layout.columns.map((c, i) => [c, i]));
  const width = layout.columns.length;
  let out: SourceRecord[] = [];
  const take = (r: { row: number; value?: Record<string, unknown>; error?: string }) => {
    if (r.error !== undefined || !r.value) {
      out.push({ row: r.row, cells: [], error: { cell: -1, message: r.error ?? 'not an object' } });
      return;
    }
    const cells: unknown[] = new Array(width);
    // Keys not seen in the preview have no column: the plan cannot say where they go.
    flattenObject(r.value, (column, value) => {
      const i = index.get(column);
      if (i !== undefined) cells[i] = value;
    });
    out.push({ row: r.row, cells });
  };
  return {
    push(text, into) {
      out = into;
      reader.push(text, take);
    },
    end(into) {
      out = into;
      reader.end(take);
    },
  };
}
