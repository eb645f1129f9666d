import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { authOf, guard } from '../../http/auth.ts';
import { PageQuery } from '../../http/pagination.ts';
import { invalid } from '../../shared/errors.ts';
import { CONTACT_STATUSES } from '../model.ts';
import { StartImportInput } from './model.ts';

const Id = z.object({ id: z.string().max(100) });

const ExportQuery = z.object({
  search: z.string().trim().max(200).optional(),
  status: z.enum(CONTACT_STATUSES).optional(),
  /** Comma-separated tag ids: contacts with any of them. */
  tagIds: z.string().max(5000).optional(),
  segmentId: z.string().max(100).optional(),
});

export async function importRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { imports } = ctx;

  app.post(
    '/imports',
    {
      preHandler: guard('audience:write'),
      schema: { tags: ['imports'], summary: 'Upload a CSV/TSV or JSON/NDJSON file (multipart field "file"); returns the import with a preview', consumes: ['multipart/form-data'] },
    },
    async (req, reply) => {
      if (!req.isMultipart()) throw invalid('file', 'send the file as multipart/form-data in a field named "file"');
      const part = await req.file();
      if (!part) throw invalid('file', 'the request has no file: send it in a multipart field named "file"');
      if (part.fieldname !== 'file') {
        part.file.resume();
        throw invalid('file', `expected the file in a field named "file", got "${part.fieldname}"`);
      }
      const created = await imports.upload(authOf(req), part.filename, part.file);
      reply.code(201);
      return created;
    },
  );

  app.post(
    '/imports/:id/start',
    { preHandler: guard('audience:write'), schema: { tags: ['imports'], summary: 'Map the columns and start the import in the background', params: Id, body: StartImportInput } },
    async (req, reply) => {
      reply.code(202);
      return imports.start(authOf(req), req.params.id, req.body);
    },
  );

  app.get('/imports', { preHandler: guard('audience:read'), schema: { tags: ['imports'], summary: 'Recent imports, newest first', querystring: PageQuery } }, async (req) =>
    imports.list(authOf(req).brandId, req.query),
  );

  app.get('/imports/:id', { preHandler: guard('audience:read'), schema: { tags: ['imports'], summary: 'An import: status, progress, counts, preview', params: Id } }, async (req) =>
    imports.get(authOf(req).brandId, req.params.id),
  );

  app.post('/imports/:id/cancel', { preHandler: guard('audience:write'), schema: { tags: ['imports'], summary: 'Cancel an import; a running one stops after its current batch', params: Id } }, async (req) =>
    imports.cancel(authOf(req), req.params.id),
  );

  app.get(
    '/imports/:id/results.csv',
    { preHandler: guard('audience:read'), schema: { tags: ['imports'], summary: 'Outcome of every row: row,email,outcome,reason', params: Id } },
    async (req, reply) => {
      const file = await imports.resultsFile(authOf(req).brandId, req.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${req.params.id}-results.csv"`)
        .send(fs.createReadStream(file));
    },
  );

  app.get(
    '/contacts/export.csv',
    { preHandler: guard('audience:read'), schema: { tags: ['imports'], summary: 'Contacts as CSV (all columns, custom fields, tags), streamed', querystring: ExportQuery } },
    async (req, reply) => {
      const { tagIds, ...rest } = req.query;
      const ids = tagIds?.split(',').map((t) => t.trim()).filter(Boolean);
      const chunks = await imports.exportCsv(authOf(req), { ...rest, ...(ids?.length ? { tagIds: ids } : {}) });
      const day = ctx.clock.now().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="contacts-${day}.csv"`)
        .send(Readable.from(chunks));
    },
  );
}
