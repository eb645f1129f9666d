import { CsvParser, type CsvRecord } from './csv.ts';
import { IMPORT_LIMITS, type ImportFormat } from './model.ts';

/**
 * Guessing what a file is from its first bytes: text encoding, JSON or CSV, and the delimiter.
 * Pure functions over a sample, so the preview and every run decide the same way.
 */

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * A BOM decides (Excel's "Unicode text" is UTF-16LE with one); without one, zero bytes in every
 * other position mean UTF-16, bytes that are not valid UTF-8 mean the Windows code page Excel's
 * plain "CSV" uses on Western systems, and anything else is UTF-8.
 */
export function detectEncoding(head: Uint8Array): TextEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const pairs = Math.min(head.length >> 1, 256);
  if (pairs >= 2) {
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < pairs; i++) {
      if (head[2 * i] === 0) evenZero++;
      if (head[2 * i + 1] === 0) oddZero++;
    }
    if (oddZero > pairs * 0.4 && evenZero === 0) return 'utf-16le';
    if (evenZero > pairs * 0.4 && oddZero === 0) return 'utf-16be';
  }
  try {
    // stream: a multi-byte character cut at the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

/** TextDecoder strips the BOM itself (ignoreBOM is false). */
export const textDecoder = (encoding: TextEncoding) => new TextDecoder(encoding);

export function detectFormat(fileName: string, sample: string): ImportFormat {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'json' || ext === 'ndjson' || ext === 'jsonl') return 'json';
  if (ext === 'csv' || ext === 'tsv' || ext === 'txt') return 'csv';
  return /^\s*[[{]/.test(sample) ? 'json' : 'csv';
}

export const DELIMITERS = [',', ';', '\t'] as const;

export interface DelimiterGuess {
  delimiter: string;
  /** Excel's `sep=;` first line named it; that line is not data. */
  sepLine: boolean;
}

/**
 * The delimiter that splits the sample's records into the same number (> 1) of fields most
 * consistently; ties go to the one giving more fields. Quotes are respected, so a `,` inside
 * quoted values of a `;` file does not fool it.
 */
export function detectDelimiter(sample: string, complete: boolean): DelimiterGuess {
  const sep = /^sep=(.)\r?\n/i.exec(sample);
  if (sep) return { delimiter: sep[1], sepLine: true };
  let best = { delimiter: ',', score: 0, fields: 1 };
  for (const delimiter of DELIMITERS) {
    const records = sampleRecords(sample, delimiter, complete, 100);
    if (records.length === 0) continue;
    const fields = records[0].cells.length;
    if (fields < 2) continue;
    const score = records.filter((r) => r.cells.length === fields).length / records.length;
    if (score > best.score || (score === best.score && fields > best.fields)) best = { delimiter, score, fields };
  }
  return { delimiter: best.delimiter, sepLine: false };
}

/** The first `limit` complete, well-formed records of a sample (the last one may be cut off unless `complete`). */
function sampleRecords(sample: string, delimiter: string, complete: boolean, limit: number): CsvRecord[] {
  const out: CsvRecord[] = [];
  const parser = new CsvParser({ delimiter, maxRecordChars: IMPORT_LIMITS.maxRecordChars });
  const take = (r: CsvRecord) => {
    if (out.length < limit && !r.error) out.push(r);
  };
  parser.push(sample, take);
  if (complete) parser.end(take);
  return out;
}
