import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/errors.ts';
import { fieldKeyFor, resolveMapping, suggestTargets } from './mapping.ts';
import type { PreviewColumn } from './model.ts';
import { inspectFile } from './preview.ts';
import { detectDelimiter, detectEncoding, detectFormat } from './sniff.ts';
import { readRecords } from './source.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-sniff-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(content: string | Buffer, name = `f${n++}.csv`): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

/** Excel's "Unicode text": UTF-16LE with a BOM, tab-delimited, CRLF. */
const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const noFields = new Map();

async function allRows(p: string, name = path.basename(p)) {
  const { layout } = await inspectFile(p, name, noFields);
  const out: unknown[][] = [];
  for await (const { records } of readRecords(p, layout)) for (const r of records) out.push(r.cells);
  return out;
}

describe('encoding, format and delimiter detection', () => {
  it('reads BOMs, BOM-less UTF-16 and falls back to Windows-1252 for bytes that are not UTF-8', () => {
    expect(detectEncoding(Buffer.from('\ufeffemail', 'utf8'))).toBe('utf-8');
    expect(detectEncoding(utf16le('email\tname'))).toBe('utf-16le');
    expect(detectEncoding(Buffer.from('email\tname', 'utf16le'))).toBe('utf-16le');
    expect(detectEncoding(Buffer.from([0x4a, 0xfc, 0x72, 0x67, 0x65, 0x6e]))).toBe('windows-1252'); // "Jürgen" in cp1252
    expect(detectEncoding(Buffer.from('Jürgen', 'utf8'))).toBe('utf-8');
  });

  it('tells JSON from CSV by extension, then by content', () => {
    expect(detectFormat('x.ndjson', 'email')).toBe('json');
    expect(detectFormat('x.csv', '[')).toBe('csv');
    expect(detectFormat('upload', '  [{"email":1}]')).toBe('json');
    expect(detectFormat('upload', 'email,name')).toBe('csv');
  });

  it('picks the delimiter that splits rows consistently, ignoring delimiters inside quotes', () => {
    expect(detectDelimiter('email;name;city\na@x.com;"Lee, Ann";"Paris, FR"\nb@x.com;Bob;Rome\n', false).delimiter).toBe(';');
    expect(detectDelimiter('email\tname\na@x.com\tAnn; A\n', true).delimiter).toBe('\t');
    expect(detectDelimiter('email,name\na@x.com,"x;y;z"\n', true).delimiter).toBe(',');
    expect(detectDelimiter('sep=;\nemail;name\n', true)).toEqual({ delimiter: ';', sepLine: true });
  });
});

describe('column suggestions and mapping', () => {
  const cols = (...names: string[]) => names.map((name) => ({ name, sample: [] as string[] }));

  it('maps common spellings in several languages, each target once', () => {
    expect(suggestTargets(cols('E-Mail', 'Email Address', 'first name', 'Vorname', 'Nachname', 'Land', 'Téléphone', 'Tags', 'created_at'), noFields)).toEqual([
      'email', null, 'firstName', null, 'lastName', 'country', 'phone', 'tags', 'ignore',
    ]);
    expect(suggestTargets(cols('Courriel', 'Prénom', 'Nom', 'Pays'), noFields)).toEqual(['email', 'firstName', 'lastName', 'country']);
  });

  it('suggests an existing custom field by key, and the email column by content when no name matches', () => {
    const fields = new Map([['loyalty_points', 'number' as const]]);
    const out = suggestTargets([{ name: 'Loyalty Points', sample: ['3'] }, { name: 'Kontakt', sample: ['ann@x.com', 'bob@y.org'] }], fields);
    expect(out).toEqual(['field:loyalty_points', 'email']);
  });

  it('makes valid custom field keys from any column name', () => {
    expect(fieldKeyFor('Loyalty Points')).toBe('loyalty_points');
    expect(fieldKeyFor('Größe (cm)')).toBe('grosse_cm');
    expect(fieldKeyFor('2nd choice')).toBe('field_2nd_choice');
    expect(fieldKeyFor('fields.plan')).toBe('plan');
    expect(fieldKeyFor('id')).toBe('id_2');
  });

  const preview = (...specs: Array<[string, PreviewColumn['suggested']]>): PreviewColumn[] => specs.map(([name, suggested]) => ({ name, sample: [], suggested }));

  it('resolves explicit mapping over suggestions and turns the rest into custom fields (typed when asked)', () => {
    const r = resolveMapping({
      columns: preview(['Mail', 'email'], ['Work mail', null], ['Score', null], ['Plan', 'field:plan'], ['Junk', null]),
      mapping: { 'Work mail': 'email', Junk: 'ignore' },
      newFieldType: { Score: 'number' },
      fields: new Map([['plan', 'string']]),
    });
    expect(r.columns).toEqual([
      { column: 'Mail', kind: 'field', key: 'mail', type: 'string' },
      { column: 'Work mail', kind: 'contact', field: 'email' },
      { column: 'Score', kind: 'field', key: 'score', type: 'number' },
      { column: 'Plan', kind: 'field', key: 'plan', type: 'string' },
      { column: 'Junk', kind: 'ignore' },
    ]);
    expect(r.newFields).toEqual([
      { key: 'mail', label: 'Mail', type: 'string' },
      { key: 'score', label: 'Score', type: 'number' },
    ]);
  });

  it('names every mapping problem at once', () => {
    const run = () =>
      resolveMapping({
        columns: preview(['Name', null], ['Points', 'field:points'], ['A', null], ['B', null]),
        mapping: { Nope: 'email', A: 'firstName', B: 'firstName' },
        newFieldType: { Points: 'boolean', Other: 'number' },
        fields: new Map([['points', 'number']]),
      });
    expect(run).toThrow(DomainError);
    try {
      run();
    } catch (err) {
      expect((err as DomainError).details).toEqual({
        issues: [
          { field: 'mapping.Nope', message: 'there is no column "Nope" in the file (columns: "Name", "Points", "A", "B")' },
          { field: 'newFieldType.Other', message: 'there is no column "Other" in the file' },
          { field: 'mapping.B', message: '"firstName" is already mapped from column "A"' },
          { field: 'newFieldType.Points', message: 'custom field "points" already exists as a number field' },
          { field: 'mapping', message: 'no column is mapped to email (columns: "Name", "Points", "A", "B")' },
        ],
      });
    }
  });
});

describe('file preview and reading', () => {
  it('previews an Excel ";" export with a BOM and CRLF: columns, samples, suggestions', async () => {
    const p = file('\ufeffE-Mail;Vorname;Nachname;Land;Punkte\r\nann@x.com;Ann;Lee;DE;3\r\nbob@x.com;Bob;"Smith; Jr";FR;\r\n');
    const { preview } = await inspectFile(p, 'export.csv', noFields);
    expect(preview).toMatchObject({ format: 'csv', delimiter: ';', encoding: 'utf-8', hasHeader: true, rowsSampled: 2, warnings: [] });
    expect(preview.columns).toEqual([
      { name: 'E-Mail', sample: ['ann@x.com', 'bob@x.com'], suggested: 'email' },
      { name: 'Vorname', sample: ['Ann', 'Bob'], suggested: 'firstName' },
      { name: 'Nachname', sample: ['Lee', 'Smith; Jr'], suggested: 'lastName' },
      { name: 'Land', sample: ['DE', 'FR'], suggested: 'country' },
      { name: 'Punkte', sample: ['3'], suggested: null },
    ]);
  });

  it('reads Excel "Unicode text" (UTF-16LE, BOM, tabs) row by row', async () => {
    const p = file(utf16le('Email\tFirst name\r\nzoë@x.com\tZoë\r\nli@x.com\t李\r\n'), 'unicode.txt');
    expect((await inspectFile(p, 'unicode.txt', noFields)).preview).toMatchObject({ encoding: 'utf-16le', delimiter: '\t' });
    expect(await allRows(p)).toEqual([
      ['zoë@x.com', 'Zoë'],
      ['li@x.com', '李'],
    ]);
  });

  it('reads Windows-1252 exports with their accents', async () => {
    const p = file(Buffer.from('email,name\r\nj@x.com,J\xfcrgen\r\n', 'latin1'));
    const { preview } = await inspectFile(p, 'a.csv', noFields);
    expect(preview.encoding).toBe('windows-1252');
    expect(preview.warnings.join(' ')).toContain('Windows-1252');
    expect(await allRows(p)).toEqual([['j@x.com', 'Jürgen']]);
  });

  it('skips Excel\'s sep= line and the header when reading', async () => {
    const p = file('sep=;\r\nemail;name\r\na@x.com;A\r\n');
    expect(await allRows(p)).toEqual([['a@x.com', 'A']]);
  });

  it('detects a file without a header and names its columns by position', async () => {
    const p = file('ann@x.com,Ann\nbob@x.com,Bob\n');
    const { preview } = await inspectFile(p, 'a.csv', noFields);
    expect(preview.hasHeader).toBe(false);
    expect(preview.columns.map((c) => [c.name, c.suggested])).toEqual([['Column 1', 'email'], ['Column 2', null]]);
    expect(await allRows(p)).toEqual([['ann@x.com', 'Ann'], ['bob@x.com', 'Bob']]);
  });

  it('warns when a single column holds another delimiter, and when rows do not fit the header', async () => {
    const single = await inspectFile(file('email\nann@x.com;Ann\nbob@x.com;Bob;Extra\n'), 'a.csv', noFields);
    expect(single.preview.columns.map((c) => c.name)).toEqual(['email']);
    expect(single.preview.warnings.join(' ')).toContain('single column');
    expect(single.preview.warnings.join(' ')).toContain('semicolon');

    const ragged = await inspectFile(file('email,name\na@x.com,A\nb@x.com,B,extra\n'), 'b.csv', noFields);
    expect(ragged.preview.warnings).toEqual(['Row 3 has a different number of fields than the 2 columns; such rows fail.']);
  });

  it('gives repeated and blank header names distinct column names', async () => {
    const { preview } = await inspectFile(file('email,Name,Name,\na@x.com,A,B,C\n'), 'a.csv', noFields);
    expect(preview.columns.map((c) => c.name)).toEqual(['email', 'Name', 'Name (2)', 'Column 4']);
  });

  it('refuses an empty file and one with only blank lines', async () => {
    await expect(inspectFile(file(''), 'e.csv', noFields)).rejects.toThrow('file: the file is empty');
    await expect(inspectFile(file('\r\n\r\n'), 'e.csv', noFields)).rejects.toThrow('file: the file has no rows');
  });

  it('previews JSON arrays and NDJSON: keys become columns, "fields" keys custom fields', async () => {
    const p = file('[{"email":"a@x.com","firstName":"A","tags":["vip","new"],"fields":{"score":3}},\n{"email":"b@x.com","city":"Oslo"}]', 'c.json');
    const { preview } = await inspectFile(p, 'c.json', new Map([['score', 'number']]));
    expect(preview).toMatchObject({ format: 'json', delimiter: null, rowsSampled: 2 });
    expect(preview.columns).toEqual([
      { name: 'email', sample: ['a@x.com', 'b@x.com'], suggested: 'email' },
      { name: 'firstName', sample: ['A'], suggested: 'firstName' },
      { name: 'tags', sample: ['vip, new'], suggested: 'tags' },
      { name: 'fields.score', sample: ['3'], suggested: 'field:score' },
      { name: 'city', sample: ['Oslo'], suggested: null },
    ]);
    const nd = file('{"email":"a@x.com"}\n{"email":"b@x.com","x":1}\n', 'd.ndjson');
    expect(await allRows(nd)).toEqual([['a@x.com', undefined], ['b@x.com', 1]]);
  });
});
