import fs from 'node:fs';
import { invalid } from '../../shared/errors.ts';
import type { FieldType } from '../model.ts';
import { normaliseEmail } from '../normalise.ts';
import { CsvParser, type CsvRecord } from './csv.ts';
import { JsonRecordReader, flattenObject } from './json.ts';
import { suggestTargets } from './mapping.ts';
import { IMPORT_LIMITS, type ImportPreview } from './model.ts';
import { DELIMITERS, detectDelimiter, detectEncoding, detectFormat, type TextEncoding } from './sniff.ts';
import { readText, type SourceLayout } from './source.ts';

/**
 * Looks at the start of an uploaded file and says what it is: format, encoding, delimiter, columns
 * with sample values and suggested targets, and warnings worth reading before starting.
 */
export async function inspectFile(path: string, fileName: string, fields: ReadonlyMap<string, FieldType>): Promise<{ preview: ImportPreview; layout: SourceLayout }> {
  const size = fs.statSync(path).size;
  if (size === 0) throw invalid('file', 'the file is empty');
  const encoding = detectEncoding(readHead(path, 4096));
  let sample = '';
  for await (const chunk of readText(path, encoding, IMPORT_LIMITS.sampleBytes)) sample += chunk.text;
  const complete = size <= IMPORT_LIMITS.sampleBytes;
  const format = detectFormat(fileName, sample);
  const shape = format === 'csv' ? inspectCsv(sample, complete) : await inspectJson(path, encoding);
  if (shape.columns.length > IMPORT_LIMITS.maxColumns) throw invalid('file', `the file has ${shape.columns.length} columns; at most ${IMPORT_LIMITS.maxColumns} can be imported`);

  const suggested = suggestTargets(shape.columns.map((name, i) => ({ name, sample: shape.samples[i] })), fields);
  const warnings = [...shape.warnings];
  if (encoding === 'windows-1252') warnings.push('The file is not UTF-8; it is read as Windows-1252 (what Excel\'s plain "CSV" writes on Western systems). Check accented names in the sample.');
  if (shape.rowsSampled === 0) warnings.push('The file has no data rows.');
  return {
    preview: {
      format,
      delimiter: format === 'csv' ? shape.delimiter : null,
      encoding,
      hasHeader: shape.hasHeader,
      columns: shape.columns.map((name, i) => ({ name, sample: shape.samples[i], suggested: suggested[i] })),
      rowsSampled: shape.rowsSampled,
      warnings,
    },
    layout: { format, encoding, delimiter: shape.delimiter, sepLine: shape.sepLine, hasHeader: shape.hasHeader, columns: shape.columns },
  };
}

interface Shape {
  delimiter: string;
  sepLine: boolean;
  hasHeader: boolean;
  columns: string[];
  samples: string[][];
  rowsSampled: number;
  warnings: string[];
}

function readHead(path: string, bytes: number): Buffer {
  const fd = fs.openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, fs.readSync(fd, buf, 0, bytes, 0));
  } finally {
    fs.closeSync(fd);
  }
}

const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

export function inspectCsv(sample: string, complete: boolean): Shape {
  const { delimiter, sepLine } = detectDelimiter(sample, complete);
  const records: CsvRecord[] = [];
  const parser = new CsvParser({ delimiter, maxRecordChars: IMPORT_LIMITS.maxRecordChars });
  parser.push(sample, (r) => records.push(r));
  if (complete) parser.end((r) => records.push(r));
  if (sepLine) records.shift();
  const first = records.shift();
  if (!first) throw invalid('file', complete ? 'the file has no rows' : `the first row is longer than ${IMPORT_LIMITS.sampleBytes / 1024} KiB; is this a CSV file?`);
  if (first.error) throw invalid('file', `row ${first.row} (the first row): ${first.error.message}`);

  const hasHeader = !first.cells.some((c) => !('error' in normaliseEmail(c)));
  const columns = hasHeader ? uniqueNames(first.cells) : first.cells.map((_, i) => `Column ${i + 1}`);
  const data = hasHeader ? records : [first, ...records];
  const samples = columns.map((_, i) => firstValues(data, (r) => r.cells[i]));

  const warnings: string[] = [];
  const misfits = data.filter((r) => !r.error && r.cells.length !== columns.length);
  if (misfits.length > 0) {
    const rows = misfits.slice(0, 5).map((r) => r.row).join(', ');
    warnings.push(`Row${misfits.length > 1 ? 's' : ''} ${rows}${misfits.length > 5 ? '…' : ''} ${misfits.length > 1 ? 'have' : 'has'} a different number of fields than the ${columns.length} columns; such rows fail.`);
  }
  if (columns.length === 1) {
    const cells = [first, ...records].slice(0, 20).map((r) => r.cells.join(''));
    const other = DELIMITERS.find((d) => d !== delimiter && cells.some((c) => c.includes(d)));
    if (other) warnings.push(`The file has a single column, but its values contain the ${DELIMITER_NAMES[other]} character: if that is the delimiter, some rows have a different number of fields. Check the file's delimiter.`);
  }
  return { delimiter, sepLine, hasHeader, columns, samples, rowsSampled: data.length, warnings };
}

/** JSON has no header: the columns are the keys of the first objects. */
async function inspectJson(path: string, encoding: TextEncoding): Promise<Shape> {
  const reader = new JsonRecordReader(IMPORT_LIMITS.maxRecordChars);
  const columns = new Map<string, string[]>();
  let objects = 0;
  const visit = (r: { value?: Record<string, unknown> }) => {
    if (!r.value || objects >= IMPORT_LIMITS.jsonKeyObjects) return;
    objects++;
    flattenObject(r.value, (column, value) => {
      let sample = columns.get(column);
      if (!sample) columns.set(column, (sample = []));
      const text = sampleText(value);
      if (sample.length < IMPORT_LIMITS.sampleValues && text !== '') sample.push(text);
    });
  };
  for await (const chunk of readText(path, encoding)) {
    reader.push(chunk.text, visit);
    if (objects >= IMPORT_LIMITS.jsonKeyObjects || chunk.bytesRead >= IMPORT_LIMITS.sampleBytes * 16) break;
  }
  if (objects < IMPORT_LIMITS.jsonKeyObjects) reader.end(visit);
  if (objects === 0) throw invalid('file', 'the JSON holds no objects: expected an array of objects or one object per line');
  const names = [...columns.keys()];
  return {
    delimiter: ',',
    sepLine: false,
    hasHeader: true,
    columns: names,
    samples: names.map((n) => columns.get(n)!),
    rowsSampled: objects,
    warnings: [],
  };
}

function sampleText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.slice(0, 200);
  if (Array.isArray(value)) return value.map(String).join(', ').slice(0, 200);
  return (typeof value === 'object' ? JSON.stringify(value) : String(value)).slice(0, 200);
}

function firstValues(records: CsvRecord[], cell: (r: CsvRecord) => string | undefined): string[] {
  const out: string[] = [];
  for (const r of records) {
    if (r.error) continue;
    const v = cell(r)?.trim();
    if (v) out.push(v.slice(0, 200));
    if (out.length >= IMPORT_LIMITS.sampleValues) break;
  }
  return out;
}

/** Header names as mapping keys: blank ones get a position name, repeated ones a counter. */
function uniqueNames(cells: string[]): string[] {
  const seen = new Set<string>();
  return cells.map((raw, i) => {
    const base = raw.trim() || `Column ${i + 1}`;
    let name = base;
    for (let n = 2; seen.has(name); n++) name = `${base} (${n})`;
    seen.add(name);
    return name;
  });
}
