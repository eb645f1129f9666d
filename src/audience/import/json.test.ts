import { describe, expect, it } from 'vitest';
import { JsonRecordReader, flattenObject, type JsonRecord } from './json.ts';

function read(text: string, size = text.length, max = 1 << 20): JsonRecord[] {
  const out: JsonRecord[] = [];
  const r = new JsonRecordReader(max);
  for (let i = 0; i < text.length; i += size) r.push(text.slice(i, i + size), (x) => out.push(x));
  r.end((x) => out.push(x));
  return out;
}

describe('streaming JSON reader', () => {
  it('reads an array of objects and NDJSON the same way, whatever the chunk boundaries', () => {
    const array = '[\n {"email":"a@x.com","note":"has } and ] and \\" inside"},\n {"email":"b@x.com","tags":["x","y"],"fields":{"n":1}}\n]\n';
    const nd = '{"email":"a@x.com","note":"has } and ] and \\" inside"}\r\n{"email":"b@x.com","tags":["x","y"],"fields":{"n":1}}\n';
    const expected = [
      { row: 1, value: { email: 'a@x.com', note: 'has } and ] and " inside' } },
      { row: 2, value: { email: 'b@x.com', tags: ['x', 'y'], fields: { n: 1 } } },
    ];
    for (let size = 1; size <= array.length; size++) expect(read(array, size)).toEqual(expected);
    for (let size = 1; size <= nd.length; size++) expect(read(nd, size)).toEqual(expected);
  });

  it('fails a bad element as one row and reads on', () => {
    expect(read('[{"email":"a@x.com"}, 42, "text", {"email": nope}, null, [1], {"email":"b@x.com"}]')).toEqual([
      { row: 1, value: { email: 'a@x.com' } },
      { row: 2, error: 'expected an object, got a number' },
      { row: 3, error: 'expected an object, got a string' },
      { row: 4, error: expect.stringMatching(/^not valid JSON: /) },
      { row: 5, error: 'expected an object, got null' },
      { row: 6, error: 'expected an object, got an array' },
      { row: 7, value: { email: 'b@x.com' } },
    ]);
  });

  it('fails an element over the size limit without buffering it', () => {
    const big = `{"email":"a@x.com","blob":"${'x'.repeat(5000)}"}`;
    expect(read(`[${big},{"email":"b@x.com"}]`, 100, 1000)).toEqual([
      { row: 1, error: 'the element is longer than 1 KiB and was not read' },
      { row: 2, value: { email: 'b@x.com' } },
    ]);
  });

  it('reports a file cut off inside an element, and text after the closing bracket', () => {
    expect(read('[{"email":"a@x.com"},{"email":"b@')).toEqual([
      { row: 1, value: { email: 'a@x.com' } },
      { row: 2, error: 'the file ends inside this element (the JSON is cut off)' },
    ]);
    expect(read('[{"a":1}] {"b":2}')).toEqual([
      { row: 1, value: { a: 1 } },
      { row: 2, error: 'unexpected text after the closing ] of the array' },
    ]);
  });

  it('flattens a nested "fields" object into fields.<key> columns', () => {
    const seen: Array<[string, unknown]> = [];
    flattenObject({ email: 'a@x.com', fields: { score: 3, plan: 'pro' }, meta: { a: 1 } }, (c, v) => seen.push([c, v]));
    expect(seen).toEqual([
      ['email', 'a@x.com'],
      ['fields.score', 3],
      ['fields.plan', 'pro'],
      ['meta', { a: 1 }],
    ]);
  });
});
