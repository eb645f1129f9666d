import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { DIALECTS } from '../../../test/helpers/stores.ts';

/** A multipart/form-data body as a browser sends it, built by hand. */
function multipart(content: string | Buffer, fileName = 'contacts.csv', field = 'file') {
  const boundary = `----tidings${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(DIALECTS)('import and export over HTTP on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  const upload = async (content: string | Buffer, fileName?: string, field?: string) => {
    const m = multipart(content, fileName, field);
    return t.api('POST', '/api/v1/imports', m.body, m.headers);
  };
  const importDirs = () => fs.readdirSync(path.join(t.ctx.config.dataDir, 'imports'), { withFileTypes: true }).map((d) => d.name);

  it('uploads, previews, starts, reports progress and serves the results per row', async () => {
    t = await createTestApp(dialect);
    const up = await upload('\ufeffE-Mail;Vorname;Punkte\r\nann@example.com;Ann;3\r\nbad;Bob;x\r\nann@example.com;Again;4\r\n', 'export.csv');
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({
      status: 'uploaded',
      fileName: 'export.csv',
      format: 'csv',
      progress: 0,
      plan: null,
      preview: {
        delimiter: ';',
        hasHeader: true,
        rowsSampled: 3,
        columns: [
          { name: 'E-Mail', suggested: 'email' },
          { name: 'Vorname', suggested: 'firstName' },
          { name: 'Punkte', suggested: null },
        ],
      },
    });
    const id = up.body.id;
    expect((await t.api('GET', `/api/v1/imports/${id}/results.csv`)).status).toBe(404);

    const started = await t.api('POST', `/api/v1/imports/${id}/start`, { mapping: { Punkte: 'field:points' }, newFieldType: { Punkte: 'number' }, onConflict: 'upsert' });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'queued', plan: { onConflict: 'upsert', defaultStatus: 'subscribed' } });
    expect((await t.api('POST', `/api/v1/imports/${id}/start`, {})).status).toBe(409);

    await t.ctx.imports.run(id);
    const done = await t.api('GET', `/api/v1/imports/${id}`);
    expect(done.body).toMatchObject({ status: 'done', progress: 1, rowsTotal: 3, rowsImported: 1, rowsSkipped: 1, rowsFailed: 1 });
    expect(done.body.bytesRead).toBe(done.body.sizeBytes);

    const res = await t.api('GET', `/api/v1/imports/${id}/results.csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${id}-results.csv"`);
    expect(res.body).toBe(
      'row,email,outcome,reason\r\n2,ann@example.com,imported,\r\n3,bad,failed,"row 3, column ""E-Mail"": ""bad"" is not a valid email address; row 3, column ""Punkte"": expected a number, got ""x"""\r\n4,ann@example.com,skipped,duplicate of row 2\r\n',
    );

    const list = await t.api('GET', '/api/v1/imports?limit=10');
    expect(list.body.data.map((i: any) => i.id)).toEqual([id]);
  });

  it('refuses a file over the size limit with 413 and leaves nothing on disk or in the database', async () => {
    t = await createTestApp(dialect, { TIDINGS_IMPORT_MAX_MB: '1' });
    const before = fs.existsSync(path.join(t.ctx.config.dataDir, 'imports')) ? importDirs() : [];
    const big = `email\n${'a@example.com\n'.repeat(100_000)}`;
    const res = await upload(big);
    expect(res.status).toBe(413);
    expect(res.body.error).toEqual({
      code: 'payload_too_large',
      message: 'the file is larger than the import limit of 1 MB (TIDINGS_IMPORT_MAX_MB); split it or raise the limit',
      details: { limitBytes: 1024 * 1024 },
    });
    expect(importDirs()).toEqual(before);
    expect((await t.api('GET', '/api/v1/imports')).body.data).toEqual([]);
  });

  it('names what is wrong with an upload: not multipart, wrong field, empty file', async () => {
    t = await createTestApp(dialect);
    const notMultipart = await t.api('POST', '/api/v1/imports', { file: 'x' });
    expect(notMultipart.status).toBe(400);
    expect(notMultipart.body.error.message).toBe('file: send the file as multipart/form-data in a field named "file"');
    expect((await upload('email\na@x.com\n', 'a.csv', 'upload')).body.error.message).toBe('file: expected the file in a field named "file", got "upload"');
    const empty = await upload('');
    expect(empty.status).toBe(400);
    expect(empty.body.error.details.issues).toEqual([{ field: 'file', message: 'the file is empty' }]);
    expect((await t.api('GET', '/api/v1/imports')).body.data).toEqual([]);
  });

  it('hints at a wrong delimiter in the preview', async () => {
    t = await createTestApp(dialect);
    const res = await upload('email\nann@x.com;Ann\nbob@x.com;Bob;B\n');
    expect(res.body.preview.warnings).toContain(
      'The file has a single column, but its values contain the semicolon character: if that is the delimiter, some rows have a different number of fields. Check the file\'s delimiter.',
    );
  });

  it('answers a bad start with 400 and the field at fault', async () => {
    t = await createTestApp(dialect);
    const id = (await upload('email,score\na@x.com,1\n')).body.id;
    const start = (body: unknown) => t.api('POST', `/api/v1/imports/${id}/start`, body);
    const cases: Array<[unknown, string, string]> = [
      [{ mapping: { mail: 'email' } }, 'mapping.mail', 'there is no column "mail" in the file (columns: "email", "score")'],
      [{ mapping: { email: 'ignore' } }, 'mapping', 'no column is mapped to email (columns: "email", "score")'],
      [{ tagIds: ['tag_unknown'] }, 'tagIds.0', 'unknown tag tag_unknown'],
      [{ onConflict: 'merge' }, 'onConflict', expect.stringContaining('skip') as unknown as string],
      [{ newFieldType: { score: 'decimal' } }, 'newFieldType.score', expect.stringContaining('number') as unknown as string],
    ];
    for (const [body, field, message] of cases) {
      const res = await start(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.issues).toEqual([{ field, message }]);
    }
    expect((await t.api('GET', `/api/v1/imports/${id}`)).body.status).toBe('uploaded');
  });

  it('cancels an import that has not finished, once', async () => {
    t = await createTestApp(dialect);
    const id = (await upload('email\na@x.com\n')).body.id;
    const cancelled = await t.api('POST', `/api/v1/imports/${id}/cancel`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    expect(cancelled.body.finishedAt).not.toBeNull();
    expect((await t.api('POST', `/api/v1/imports/${id}/cancel`)).status).toBe(409);
    expect((await t.api('POST', `/api/v1/imports/${id}/start`, {})).status).toBe(409);
    expect((await t.api('GET', '/api/v1/imports/imp_nope')).status).toBe(404);
  });

  it('streams contacts as CSV, filtered by status, tags or a segment', async () => {
    t = await createTestApp(dialect);
    const actor = { type: 'user' as const, id: t.userId };
    const vip = await t.ctx.audience.createTag(t.brandId, { name: 'vip' });
    await t.ctx.audience.createContact(t.brandId, { email: 'ann@example.com', firstName: '=cmd()', status: 'subscribed', tagIds: [vip.id] }, actor);
    await t.ctx.audience.createContact(t.brandId, { email: 'bob@example.com', status: 'unsubscribed' }, actor);
    const emails = (csv: string) => csv.split('\r\n').slice(1, -1).map((l) => l.split(',')[0]);

    const all = await t.api('GET', '/api/v1/contacts/export.csv');
    expect(all.status).toBe(200);
    expect(all.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(all.headers['content-disposition']).toMatch(/^attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(all.body.startsWith('\ufeffemail,first_name,')).toBe(true);
    expect(emails(all.body)).toEqual(['ann@example.com', 'bob@example.com']);
    expect(all.body).toContain("ann@example.com,'=cmd(),");

    expect(emails((await t.api('GET', '/api/v1/contacts/export.csv?status=unsubscribed')).body)).toEqual(['bob@example.com']);
    expect(emails((await t.api('GET', `/api/v1/contacts/export.csv?tagIds=${vip.id}`)).body)).toEqual(['ann@example.com']);

    const segment = await t.ctx.segments.create(t.brandId, { name: 'Opted out', filter: { op: 'and', rules: [{ field: 'status', op: 'is', value: 'unsubscribed' }] } }, actor);
    expect(emails((await t.api('GET', `/api/v1/contacts/export.csv?segmentId=${segment.id}`)).body)).toEqual(['bob@example.com']);

    const mixed = await t.api('GET', `/api/v1/contacts/export.csv?segmentId=${segment.id}&status=subscribed`);
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.details.issues).toEqual([{ field: 'segmentId', message: 'cannot be combined with search, status or tagIds' }]);
    expect((await t.api('GET', '/api/v1/contacts/export.csv?tagIds=tag_nope')).status).toBe(400);
    expect((await t.api('GET', '/api/v1/contacts/export.csv?segmentId=seg_nope')).status).toBe(404);
  });
});
