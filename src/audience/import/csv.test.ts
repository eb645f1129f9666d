import { describe, expect, it } from 'vitest';
import { CSV_ERRORS, CsvParser, csvCell, csvLine, parseCsv, type CsvRecord } from './csv.ts';

const opts = (delimiter = ',', maxRecordChars = 1 << 20) => ({ delimiter, maxRecordChars });
const rows = (text: string, delimiter = ',') => parseCsv(text, opts(delimiter)).map((r) => r.cells);

/** Feeds the text in pieces of `size` characters: the result must not depend on where chunks end. */
function chunked(text: string, size: number, o = opts()): CsvRecord[] {
  const out: CsvRecord[] = [];
  const p = new CsvParser(o);
  for (let i = 0; i < text.length; i += size) p.push(text.slice(i, i + size), (r) => out.push(r));
  p.end((r) => out.push(r));
  return out;
}

describe('CSV parser (RFC 4180 and what spreadsheets write)', () => {
  it('reads quoted delimiters, doubled quotes and quoted line breaks', () => {
    expect(rows('a,b,c\n"x,y","say ""hi""","two\nlines"\n')).toEqual([
      ['a', 'b', 'c'],
      ['x,y', 'say "hi"', 'two\nlines'],
    ]);
  });

  it('accepts CRLF, LF and bare CR line ends and a missing final line break', () => {
    expect(rows('a,b\r\n1,2\r\n3,4')).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
    expect(rows('a,b\r1,2\r')).toEqual([['a', 'b'], ['1', '2']]);
    expect(rows('a,"multi\r\nline"\r\n')).toEqual([['a', 'multi\r\nline']]);
  });

  it('keeps empty values, including a trailing one', () => {
    expect(rows('a,,c\n,,\n"",x,\n')).toEqual([['a', '', 'c'], ['', 'x', '']]);
  });

  it('skips blank lines and lines of only delimiters but counts them as spreadsheet rows', () => {
    const r = parseCsv('h1,h2\n\na,b\n,\n  \nc,d\n', opts());
    expect(r.map((x) => [x.row, x.cells])).toEqual([
      [1, ['h1', 'h2']],
      [3, ['a', 'b']],
      [6, ['c', 'd']],
    ]);
  });

  it('numbers rows by record, so a quoted line break does not start a new row', () => {
    const r = parseCsv('h\n"a\nb"\nc\n', opts());
    expect(r.map((x) => x.row)).toEqual([1, 2, 3]);
  });

  it('reads ; and tab delimited files, with the other characters as plain text', () => {
    expect(rows('email;name\nann@x.com;"Lee; Ann"\nbob@x.com;Bob, Jr\n', ';')).toEqual([
      ['email', 'name'],
      ['ann@x.com', 'Lee; Ann'],
      ['bob@x.com', 'Bob, Jr'],
    ]);
    expect(rows('email\tname\nann@x.com\tAnn, "A"\n', '\t')).toEqual([
      ['email', 'name'],
      ['ann@x.com', 'Ann, "A"'],
    ]);
  });

  it('keeps a quote inside an unquoted value literally, as Excel does', () => {
    expect(rows('size,name\n5" screen,TV\n')).toEqual([['size', 'name'], ['5" screen', 'TV']]);
  });

  it('fails a row with text after a closing quote and names the cell', () => {
    const r = parseCsv('a,b\n"ab"c,1\nok,2\n', opts());
    expect(r[1]).toMatchObject({ row: 2, error: { cell: 0, message: CSV_ERRORS.afterQuote } });
    expect(r[2]).toEqual({ row: 3, cells: ['ok', '2'] });
  });

  it('fails an unterminated quote alone and reads on from the next line', () => {
    const r = parseCsv('email,name\nann@x.com,"Ann\nbob@x.com,Bob\ncid@x.com,Cid\n', opts());
    expect(r[1]).toMatchObject({ row: 2, error: { cell: 1, message: CSV_ERRORS.unterminated } });
    expect(r.slice(2)).toEqual([
      { row: 3, cells: ['bob@x.com', 'Bob'] },
      { row: 4, cells: ['cid@x.com', 'Cid'] },
    ]);
  });

  it('treats a quote still open after the size limit as unterminated, without buffering the rest of the file', () => {
    const tail = Array.from({ length: 200 }, (_, i) => `r${i}@x.com,${i}\n`).join('');
    const text = `email,n\n"runaway@x.com,1\n${tail}`;
    const r = chunked(text, 64, opts(',', 1000));
    expect(r[1]).toMatchObject({ row: 2, error: { cell: 0, message: CSV_ERRORS.unterminated } });
    expect(r.slice(2).map((x) => x.cells[0])).toEqual(Array.from({ length: 200 }, (_, i) => `r${i}@x.com`));
  });

  it('fails an oversized row (a huge cell) and goes on with the next row', () => {
    const big = 'x'.repeat(5000);
    for (const size of [7, 100, 100_000]) {
      const r = chunked(`a,b\n1,${big}\n"2","${big}"\n3,ok\n`, size, opts(',', 1000));
      expect(r.map((x) => [x.row, x.error?.message ?? x.cells.join('|')])).toEqual([
        [1, 'a|b'],
        [2, CSV_ERRORS.tooLong(1000)],
        [3, CSV_ERRORS.tooLong(1000)],
        [4, '3|ok'],
      ]);
    }
  });

  it('gives the same records whatever the chunk boundaries', () => {
    const text = 'email,"first ""name""",notes\r\nann@x.com,Ann,"a,b\r\nc"\r\n\r\nbob@x.com,,\r\n"cid@x.com","Cid","""q"""\r\nlast@x.com,L,"end"';
    const whole = parseCsv(text, opts());
    for (let size = 1; size <= text.length; size++) expect(chunked(text, size)).toEqual(whole);
  });
});

describe('CSV writer', () => {
  it('quotes only when needed and doubles quotes', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', null, 3, true])).toBe('a,"b,c","say ""hi""","two\nlines",,3,true\r\n');
  });

  it('defuses spreadsheet formulas but leaves numbers and phone numbers alone', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('+cmd|x')).toBe("'+cmd|x");
    expect(csvCell('-3.5')).toBe('-3.5');
    expect(csvCell('+44 20 7946 0000')).toBe('+44 20 7946 0000');
  });

  it('round-trips through the parser', () => {
    const values = ['plain', 'with,comma', 'with "quotes"', 'multi\r\nline', ''];
    expect(parseCsv(csvLine(values), opts())[0].cells).toEqual(values);
  });
});
