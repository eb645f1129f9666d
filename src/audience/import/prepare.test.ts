import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FieldType } from '../model.ts';
import { resolveMapping } from './mapping.ts';
import { checkRows, type PrepareSetup } from './prepare.ts';
import { inspectFile } from './preview.ts';
import { COL, ENTRY_FAILED, ENTRY_PENDING, ENTRY_SKIPPED, valueOf, type PreparedBatch } from './rows.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-prepare-'));
const BATCH_ROWS = 1000;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A file of two and a half batches with bad rows, repeated emails and tags in several spellings. */
function sampleCsv(): string {
  const lines = ['email,first name,score,joined,tags'];
  for (let i = 0; i < 2 * BATCH_ROWS + BATCH_ROWS / 2; i++) {
    if (i % 997 === 5) lines.push(`broken-${i},X,1,2024-01-01,`);
    else if (i % 1009 === 7) lines.push(`user${i - 1}@example.com,Again,2,2024-01-01,`);
    else if (i % 1013 === 9) lines.push(`user${i}@example.com,Bad,${i},2024-02-30,`);
    else lines.push(`user${i}@example.com,N${i},${i % 50},2024-${String((i % 12) + 1).padStart(2, '0')}-01,"${i % 2 ? 'VIP' : 'vip'}|news${i % 3}"`);
  }
  return lines.join('\r\n');
}

async function setupFor(content: string, fromRow = 0): Promise<PrepareSetup> {
  const filePath = path.join(dir, `in-${Math.random().toString(36).slice(2)}.csv`);
  fs.writeFileSync(filePath, content);
  const fields = new Map<string, FieldType>();
  const { preview, layout } = await inspectFile(filePath, 'in.csv', fields);
  const types = new Map<string, FieldType>([
    ['score', 'number'],
    ['joined', 'date'],
  ]);
  const newFieldType = Object.fromEntries(preview.columns.flatMap((c) => (types.has(c.name) ? [[c.name, types.get(c.name)!]] : [])));
  const { columns } = resolveMapping({ columns: preview.columns, mapping: { tags: 'tags' }, newFieldType, fields });
  return { filePath, sizeBytes: fs.statSync(filePath).size, layout, plan: { columns, onConflict: 'skip', tagIds: [], defaultStatus: 'subscribed' }, fromRow, batchRows: BATCH_ROWS };
}

async function collect(batches: AsyncIterable<PreparedBatch>): Promise<PreparedBatch[]> {
  const out: PreparedBatch[] = [];
  for await (const b of batches) out.push(b);
  return out;
}

describe('checking import rows', () => {
  it('makes batches of pending, skipped and failed rows with their results lines', async () => {
    const batches = await collect(checkRows(await setupFor('email,tags\nann@x.com,"A|b|a"\nbad,\nANN@x.com,c\nbob@x.com,\n')));
    expect(batches).toHaveLength(1);
    const [b] = batches;
    expect(b.states).toEqual([ENTRY_PENDING, ENTRY_FAILED, ENTRY_SKIPPED, ENTRY_PENDING]);
    expect(b.lines).toEqual(['2,ann@x.com,', '3,bad,failed,"row 3, column ""email"": ""bad"" is not a valid email address"\r\n', '4,ann@x.com,skipped,duplicate of row 2\r\n', '5,bob@x.com,']);
    expect([valueOf(b.contacts, 0, COL.email), valueOf(b.contacts, 1, COL.email)]).toEqual(['ann@x.com', 'bob@x.com']);
    // Tags are split and deduplicated per row (first spelling wins); slots number spellings over the run.
    expect(b.newTagNames).toEqual(['A', 'b']);
    expect(b.contacts.tagSlots).toEqual([0, 1]);
    expect(b.contacts.tagStart).toEqual([0, 2, 2]);
    expect(b.lastRow).toBe(5);
  });

  it('makes batches of batchRows rows to write, and a resumed run continues with the same batches', async () => {
    const setup = await setupFor(sampleCsv());
    const here = await collect(checkRows(setup));
    expect(here.length).toBe(3);
    expect(here.map((b) => b.contacts.count)).toEqual([BATCH_ROWS, BATCH_ROWS, expect.any(Number)]);
    // A resumed run reads the committed rows again only to remember their emails.
    const resumed = await collect(checkRows({ ...setup, fromRow: here[0].lastRow }));
    const shape = (b: PreparedBatch) => ({ states: b.states, lines: b.lines, lastRow: b.lastRow });
    expect(resumed.map(shape)).toEqual(here.slice(1).map(shape));
  });

  it('reports a file that cannot be read', async () => {
    const setup = await setupFor(sampleCsv());
    await expect(collect(checkRows({ ...setup, filePath: path.join(dir, 'missing.csv') }))).rejects.toThrow(/ENOENT/);
  });
});
