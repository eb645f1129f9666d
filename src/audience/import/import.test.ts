import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { DIALECTS } from '../../../test/helpers/stores.ts';
import { SCOPES, type AuthContext } from '../../brands/model.ts';
import { DomainError } from '../../shared/errors.ts';
import { parseCsv } from './csv.ts';
import type { Import, StartImportInput } from './model.ts';
import { batchRowsFor } from './run.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-import-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;

describe.each(DIALECTS)('contact import on %s', (dialect) => {
  let t: TestApp;
  let auth: AuthContext;
  const BATCH_ROWS = batchRowsFor(dialect);
  beforeEach(async () => {
    t = await createTestApp(dialect);
    auth = { brandId: t.brandId, actor: { type: 'user', id: t.userId }, role: 'manager', scopes: new Set(SCOPES) };
  });
  afterEach(async () => t.close());

  const write = (content: string | Buffer, ext = 'csv') => {
    const p = path.join(dir, `in-${n++}.${ext}`);
    fs.writeFileSync(p, content);
    return p;
  };
  const upload = (content: string | Buffer, ext?: string) => t.ctx.imports.createFromFile(auth, write(content, ext));
  async function importFile(content: string | Buffer, input: StartImportInput = {}, ext?: string): Promise<Import> {
    const created = await upload(content, ext);
    await t.ctx.imports.start(auth, created.id, input, { enqueue: false });
    return t.ctx.imports.run(created.id);
  }
  const results = async (id: string) => parseCsv(fs.readFileSync(await t.ctx.imports.resultsFile(t.brandId, id), 'utf8'), { delimiter: ',', maxRecordChars: 1 << 20 }).map((r) => r.cells);
  async function contact(email: string) {
    const page = await t.ctx.audience.listContacts(t.brandId, { search: email });
    const found = page.data.find((c) => c.email === email);
    return found ? t.ctx.audience.getContact(t.brandId, found.id) : null;
  }
  const count = async () => t.ctx.audience.countContacts(t.brandId, {});

  it('imports an Excel ";" export: auto-mapped columns, new typed custom fields, tags column and tagIds, default status', async () => {
    const vip = await t.ctx.audience.createTag(t.brandId, { name: 'VIP' });
    const from = await t.ctx.audience.createTag(t.brandId, { name: 'Spring fair' });
    const csv =
      '\ufeffE-Mail;Vorname;Nachname;Land;Punkte;Kundin seit;Tags\r\n' +
      'ann@example.com;Ann;Lee;Deutschland;12;2024-03-01;vip|Newsletter\r\n' +
      'Bob <BOB@Example.com>;Bob;"Smith; Jr";US;;;newsletter, beta\r\n';
    const done = await importFile(csv, { tagIds: [from.id], defaultStatus: 'non-subscribed', newFieldType: { Punkte: 'number', 'Kundin seit': 'date' } });
    expect(done).toMatchObject({ status: 'done', progress: 1, rowsTotal: 2, rowsImported: 2, rowsUpdated: 0, rowsSkipped: 0, rowsFailed: 0, error: null });

    const ann = await contact('ann@example.com');
    expect(ann).toMatchObject({ firstName: 'Ann', lastName: 'Lee', country: 'DE', status: 'non-subscribed', fields: { punkte: 12, kundin_seit: '2024-03-01' } });
    expect(ann!.tags.map((x) => x.name).sort()).toEqual(['Newsletter', 'Spring fair', 'VIP']);
    expect(ann!.tags.find((x) => x.name === 'VIP')!.id).toBe(vip.id);
    const bob = await contact('bob@example.com');
    expect(bob).toMatchObject({ lastName: 'Smith; Jr', country: 'US', fields: {} });
    expect(bob!.tags.map((x) => x.name).sort()).toEqual(['Newsletter', 'Spring fair', 'beta']);
    expect((await t.ctx.audience.listFields(t.brandId)).map((f) => [f.key, f.type, f.label])).toEqual([
      ['kundin_seit', 'date', 'Kundin seit'],
      ['punkte', 'number', 'Punkte'],
    ]);
    expect((await t.ctx.audience.timeline(t.brandId, ann!.id, { limit: 10 })).data.map((e) => [e.type, e.data])).toEqual([['imported', { importId: done.id }]]);
    expect(await results(done.id)).toEqual([
      ['row', 'email', 'outcome', 'reason'],
      ['2', 'ann@example.com', 'imported', ''],
      ['3', 'bob@example.com', 'imported', ''],
    ]);
    // The upload is removed once the run ends; the results stay.
    expect(fs.readdirSync(path.dirname(await t.ctx.imports.resultsFile(t.brandId, done.id)))).toEqual(['results.csv']);
  });

  it('fails bad rows one by one, naming row and column, and never loses the valid ones', async () => {
    const csv = [
      'email,first_name,score,notes',
      'ann@example.com,Ann,10,hello',
      'not-an-email,Bad,1,x',
      'cid@example.com,Cid,3,too,many',
      'ANN@example.com,Ann again,4,dup',
      `dan@example.com,Dan,5,${'x'.repeat(1_100_000)}`,
      'eve@example.com,Eve,abc,x',
      `fay@example.com,Fay,6,${'y'.repeat(3000)}`,
      'gus@example.com,"Gus ""G"" Smith",7,"two',
      'lines"',
      'hal@example.com,"Hal,8,x',
      'ivy@example.com,Ivy,9,last',
    ].join('\n');
    const done = await importFile(csv, { newFieldType: { score: 'number' } });
    expect(done).toMatchObject({ status: 'done', rowsTotal: 10, rowsImported: 3, rowsSkipped: 1, rowsFailed: 6 });
    expect(await results(done.id)).toEqual([
      ['row', 'email', 'outcome', 'reason'],
      ['2', 'ann@example.com', 'imported', ''],
      ['3', 'not-an-email', 'failed', 'row 3, column "email": "not-an-email" is not a valid email address'],
      ['4', 'cid@example.com', 'failed', 'row 4: expected 4 fields, got 5 (a value containing "," must be quoted)'],
      ['5', 'ann@example.com', 'skipped', 'duplicate of row 2'],
      ['6', '', 'failed', 'row 6: the row is longer than 1024 KiB and was not read'],
      ['7', 'eve@example.com', 'failed', 'row 7, column "score": expected a number, got "abc"'],
      ['8', 'fay@example.com', 'failed', 'row 8, column "notes": is longer than 2000 characters'],
      ['9', 'gus@example.com', 'imported', ''],
      ['10', 'hal@example.com', 'failed', 'row 10, column "first_name": the quoted value is never closed (a " is missing); reading went on with the next line'],
      ['11', 'ivy@example.com', 'imported', ''],
    ]);
    expect(await contact('gus@example.com')).toMatchObject({ firstName: 'Gus "G" Smith', fields: { score: 7, notes: 'two\nlines' } });
    expect(await count()).toBe(3);
  });

  it('skips existing contacts, or updates them without blanking values or re-subscribing an opt-out', async () => {
    await t.ctx.audience.createField(t.brandId, { key: 'plan', type: 'string' });
    const old = await t.ctx.audience.createTag(t.brandId, { name: 'old' });
    await t.ctx.audience.createContact(t.brandId, { email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee', status: 'unsubscribed', fields: { plan: 'pro' }, tagIds: [old.id] }, auth.actor);
    await t.ctx.audience.createContact(t.brandId, { email: 'bob@example.com', status: 'subscribed' }, auth.actor);
    const csv = 'email,first name,last name,status,plan,tags\nann@example.com,Annie,,subscribed,,new\nbob@example.com,,Builder,unsubscribed,gold,\ncat@example.com,Cat,,,,\n';

    const skipped = await importFile(csv, { defaultStatus: 'non-subscribed' });
    expect(skipped).toMatchObject({ rowsImported: 1, rowsUpdated: 0, rowsSkipped: 2, rowsFailed: 0 });
    expect((await results(skipped.id)).slice(1).map((r) => r.slice(2))).toEqual([
      ['skipped', 'already exists'],
      ['skipped', 'already exists'],
      ['imported', ''],
    ]);
    expect(await contact('ann@example.com')).toMatchObject({ firstName: 'Ann', status: 'unsubscribed' });
    expect(await contact('cat@example.com')).toMatchObject({ status: 'non-subscribed', consentSource: null });

    const upserted = await importFile(csv, { onConflict: 'upsert' });
    expect(upserted).toMatchObject({ rowsImported: 0, rowsUpdated: 3, rowsSkipped: 0, rowsFailed: 0 });
    const ann = await contact('ann@example.com');
    expect(ann).toMatchObject({ firstName: 'Annie', lastName: 'Lee', status: 'unsubscribed', fields: { plan: 'pro' } });
    expect(ann!.tags.map((x) => x.name).sort()).toEqual(['new', 'old']);
    expect(await contact('bob@example.com')).toMatchObject({ lastName: 'Builder', status: 'unsubscribed', fields: { plan: 'gold' } });
    expect(await contact('cat@example.com')).toMatchObject({ firstName: 'Cat', status: 'non-subscribed' });
    expect(await count()).toBe(3);
  });

  it('refuses a bad start with 400s naming the problem, and writes nothing', async () => {
    const created = await upload('email,name,score\na@x.com,A,1\n');
    const refused = async (input: StartImportInput) => {
      try {
        await t.ctx.imports.start(auth, created.id, input, { enqueue: false });
      } catch (err) {
        expect(err).toBeInstanceOf(DomainError);
        return { status: (err as DomainError).status, message: (err as DomainError).message };
      }
      throw new Error('start was not refused');
    };
    expect(await refused({ mapping: { nope: 'email' } })).toEqual({ status: 400, message: 'mapping.nope: there is no column "nope" in the file (columns: "email", "name", "score")' });
    expect(await refused({ mapping: { email: 'ignore' } })).toEqual({ status: 400, message: 'mapping: no column is mapped to email (columns: "email", "name", "score")' });
    expect(await refused({ tagIds: ['tag_nope'] })).toEqual({ status: 400, message: 'tagIds.0: unknown tag tag_nope' });
    expect(await refused({ mapping: { name: 'field:Bad Key' as never } })).toMatchObject({ status: 400, message: expect.stringContaining('mapping.name: must be one of') });
    expect(await t.ctx.imports.get(t.brandId, created.id)).toMatchObject({ status: 'uploaded', plan: null });
    expect(await t.ctx.audience.listFields(t.brandId)).toEqual([]);

    await t.ctx.imports.start(auth, created.id, {}, { enqueue: false });
    expect(await refused({})).toEqual({ status: 409, message: `import ${created.id} is queued; only an uploaded import can be started` });
  });

  // PostgreSQL copies the rows in COPY's text format, where these characters have to be escaped.
  it('keeps backslashes, tabs and line breaks in values as they are', async () => {
    const note = 'a\tb\nc\\d\r\\N';
    const done = await importFile(JSON.stringify([{ email: 'esc@x.com', firstName: 'Back\\slash \\N', fields: { note } }]), {}, 'json');
    expect(done).toMatchObject({ status: 'done', rowsImported: 1 });
    expect(await contact('esc@x.com')).toMatchObject({ firstName: 'Back\\slash \\N', lastName: null, fields: { note } });
  });

  it('imports JSON arrays with tag lists and nested custom fields', async () => {
    await t.ctx.audience.createField(t.brandId, { key: 'score', type: 'number' });
    const json = JSON.stringify([
      { email: 'a@x.com', firstName: 'A', tags: ['one', 'two'], fields: { score: 5 }, subscribed: true },
      { email: 'b@x.com', firstName: { nested: true } },
      42,
    ]);
    const done = await importFile(json, { newFieldType: { subscribed: 'boolean' } }, 'json');
    expect(done).toMatchObject({ format: 'json', rowsTotal: 3, rowsImported: 1, rowsFailed: 2 });
    expect(await contact('a@x.com')).toMatchObject({ firstName: 'A', fields: { score: 5, subscribed: true } });
    expect((await results(done.id)).slice(1)).toEqual([
      ['1', 'a@x.com', 'imported', ''],
      ['2', 'b@x.com', 'failed', 'row 2, column "firstName": expected a single value, got an object'],
      ['3', '', 'failed', 'row 3: expected an object, got a number'],
    ]);
  });

  const bigCsv = (rows: number) => ['email,name', ...Array.from({ length: rows }, (_, i) => (i === rows - 500 ? 'user8@example.com,again' : `user${i}@example.com,N${i}`))].join('\n');

  // Large files are written from a thread of their own on SQLite; the outcome must not depend on where.
  it.each([{ writerThread: false }, { writerThread: true }])('resumes after a crash from its checkpoint: no duplicate contacts, counters and results not doubled (%o)', async ({ writerThread }) => {
    const rows = 2 * BATCH_ROWS + 1000;
    const created = await upload(bigCsv(rows));
    await t.ctx.imports.start(auth, created.id, {}, { enqueue: false });
    let batches = 0;
    const crash = t.ctx.imports.run(created.id, {
      writerThread,
      onProgress: () => {
        if (++batches === 1) throw new Error('worker died');
      },
    });
    await expect(crash).rejects.toThrow('worker died');
    const mid = await t.ctx.imports.get(t.brandId, created.id);
    expect(mid).toMatchObject({ status: 'running', rowsTotal: BATCH_ROWS, rowsImported: BATCH_ROWS });
    expect(await count()).toBe(BATCH_ROWS);
    // A batch that was being written when the worker died left lines past the committed length.
    fs.appendFileSync(await t.ctx.imports.resultsFile(t.brandId, created.id), '9999,ghost@example.com,imported,\r\n');

    const done = await t.ctx.imports.run(created.id, { writerThread });
    expect(done).toMatchObject({ status: 'done', rowsTotal: rows, rowsImported: rows - 1, rowsSkipped: 1, rowsFailed: 0 });
    expect(await count()).toBe(rows - 1);
    const lines = await results(created.id);
    expect(lines.length).toBe(rows + 1);
    expect(lines.slice(1).map((l) => Number(l[0]))).toEqual(Array.from({ length: rows }, (_, i) => i + 2));
    // The duplicate's first occurrence (row 10) was committed before the crash: the replay remembered it.
    expect(lines[rows - 500 + 1]).toEqual([String(rows - 500 + 2), 'user8@example.com', 'skipped', 'duplicate of row 10']);

    expect(await t.ctx.imports.run(created.id)).toMatchObject({ status: 'done', rowsImported: rows - 1 });
  });

  // Batches written at once (PostgreSQL) create tags one after another: a later batch can use the tags an earlier one created.
  it('tags contacts with names first met in different batches', async () => {
    const rows = 2 * BATCH_ROWS + BATCH_ROWS / 2;
    const lines = Array.from({ length: rows }, (_, i) => `tagged${i}@example.com,"Shared|batch${Math.floor(i / (BATCH_ROWS / 2))}"`);
    const done = await importFile(['email,tags', ...lines].join('\n'));
    expect(done).toMatchObject({ status: 'done', rowsImported: rows });
    const tags = await t.ctx.audience.listTags(t.brandId);
    expect(tags.map((x) => [x.name, x.count]).sort()).toEqual([
      ['Shared', rows],
      ...Array.from({ length: 5 }, (_, k) => [`batch${k}`, BATCH_ROWS / 2]),
    ].sort());
  });

  it('cancels a running import after its current batch; what was written stays', async () => {
    const created = await upload(bigCsv(3 * BATCH_ROWS));
    await t.ctx.imports.start(auth, created.id, {}, { enqueue: false });
    const done = await t.ctx.imports.run(created.id, {
      onProgress: async (i) => {
        if (i.rowsTotal === BATCH_ROWS) await t.ctx.imports.cancel(auth, created.id);
      },
    });
    expect(done).toMatchObject({ status: 'cancelled', rowsTotal: BATCH_ROWS, rowsImported: BATCH_ROWS });
    expect(await count()).toBe(BATCH_ROWS);
    await expect(t.ctx.imports.cancel(auth, created.id)).rejects.toThrow(`import ${created.id} is cancelled and cannot be cancelled`);
  });

  it('runs a started import in the job workers', async () => {
    const created = await upload('email\na@x.com\nb@x.com\n');
    await t.ctx.imports.start(auth, created.id, {});
    await t.ctx.startWorkers!();
    let current = await t.ctx.imports.get(t.brandId, created.id);
    for (let i = 0; i < 600 && current.status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      current = await t.ctx.imports.get(t.brandId, created.id);
    }
    expect(current).toMatchObject({ status: 'done', rowsImported: 2 });
  });

  it('marks an import failed when its file is gone, instead of retrying forever', async () => {
    const created = await upload('email\na@x.com\n');
    await t.ctx.imports.start(auth, created.id, {}, { enqueue: false });
    fs.rmSync(path.join(t.ctx.config.dataDir, 'imports', created.id, 'source'));
    expect(await t.ctx.imports.run(created.id)).toMatchObject({ status: 'failed', error: 'the uploaded file is no longer on disk; upload it again' });
  });

  it('exports contacts as CSV that imports back unchanged', async () => {
    await importFile('email,first name,score,tags\nann@example.com,Ann,3,"a,b"\nbob@example.com,"Bob ""B""",,\n', { newFieldType: { score: 'number' } });
    let csv = '';
    for await (const chunk of await t.ctx.imports.exportCsv(auth, {})) csv += chunk;
    const table = parseCsv(csv.replace(/^\ufeff/, ''), { delimiter: ',', maxRecordChars: 1 << 20 }).map((r) => r.cells);
    expect(table[0]).toEqual(['email', 'first_name', 'last_name', 'phone', 'country', 'language', 'time_zone', 'status', 'consent_source', 'consent_at', 'tags', 'validation', 'validation_reason', 'created_at', 'updated_at', 'id', 'score']);
    expect(table.slice(1).map((r) => [r[0], r[1], r[10], r[16]])).toEqual([
      ['ann@example.com', 'Ann', 'a|b', '3'],
      ['bob@example.com', 'Bob "B"', '', ''],
    ]);

    const again = await importFile(csv, { onConflict: 'upsert' });
    expect(again).toMatchObject({ rowsUpdated: 2, rowsFailed: 0 });
    expect(again.plan!.columns.filter((c) => c.kind === 'ignore').map((c) => c.column)).toEqual(['validation', 'validation_reason', 'created_at', 'updated_at', 'id']);
    expect(await contact('ann@example.com')).toMatchObject({ firstName: 'Ann', fields: { score: 3 } });
    expect(await t.ctx.audience.listFields(t.brandId)).toHaveLength(1);
  });
});
