import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app/context.ts';
import { authOf, guard } from '../http/auth.ts';
import { invalid } from '../shared/errors.ts';
import { tooLarge } from './import.ts';
import { EmailInput, EmailListQuery, EmailPatch, ImportInput, LIMITS, PERSONAS, TestSendInput } from './model.ts';

const read = guard('email:read');
const write = guard('email:write');
const send = guard('email:send');

const ById = z.object({ id: z.string().max(100) });
const versionNumber = z.coerce.number().int().min(1, 'must be a version number (1 or more)');
const ByVersion = ById.extend({ n: versionNumber });
const ByVersionPair = ById.extend({ a: versionNumber, b: versionNumber });

const RenderQuery = z.object({
  contactId: z.string().max(100).optional().describe('render with this contact of the brand'),
  persona: z.enum(PERSONAS).optional().describe('sample data when no contact is given (default: full)'),
  tracking: z.enum(['0', '1']).default('0').describe('1: rewrite links for click tracking and add the open pixel'),
});

export async function emailRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { emails } = ctx;

  app.get('/emails', { preHandler: read, schema: { tags: ['emails'], summary: 'Emails, newest first (without bodies), with their latest preflight result', querystring: EmailListQuery } }, async (req) =>
    emails.list(authOf(req).brandId, req.query),
  );

  app.post(
    '/emails',
    { preHandler: write, schema: { tags: ['emails'], summary: 'Create an email; From, Reply-To, language and a starter document come from the brand kit', body: EmailInput } },
    async (req, reply) => {
      reply.code(201);
      return emails.create(authOf(req), req.body);
    },
  );

  app.post(
    '/emails/import',
    {
      preHandler: write,
      schema: {
        tags: ['emails'],
        summary: `Import an .html, .htm, .mjml or .eml file (multipart field "file", optional field "name" before it) or JSON {name?, format, content}; at most ${LIMITS.sourceBytes / 1024 / 1024} MB`,
        consumes: ['application/json', 'multipart/form-data'],
        // Multipart requests have no parsed body (null); JSON ones are checked against this schema.
        body: ImportInput.nullish(),
      },
    },
    async (req, reply) => {
      const auth = authOf(req);
      const created = req.isMultipart() ? await emails.importFile(auth, await uploadedFile(req)) : await emails.importSource(auth, req.body ?? {});
      reply.code(201);
      return created;
    },
  );

  app.get('/emails/:id', { preHandler: read, schema: { tags: ['emails'], summary: 'An email with its document or source', params: ById } }, async (req) =>
    emails.get(authOf(req).brandId, req.params.id),
  );

  app.patch(
    '/emails/:id',
    { preHandler: write, schema: { tags: ['emails'], summary: 'Change an email; a change of subject, preheader or body makes a new version (note: why)', params: ById, body: EmailPatch } },
    async (req) => emails.update(authOf(req), req.params.id, req.body),
  );

  app.delete('/emails/:id', { preHandler: write, schema: { tags: ['emails'], summary: 'Delete an email and all its versions', params: ById } }, async (req, reply) => {
    await emails.remove(authOf(req), req.params.id);
    return reply.code(204).send();
  });

  app.post('/emails/:id/duplicate', { preHandler: write, schema: { tags: ['emails'], summary: 'Copy an email (the copy starts at version 1)', params: ById } }, async (req, reply) => {
    reply.code(201);
    return emails.duplicate(authOf(req), req.params.id);
  });

  app.get('/emails/:id/versions', { preHandler: read, schema: { tags: ['emails'], summary: 'Versions of an email, newest first (without bodies)', params: ById } }, async (req) => ({
    data: await emails.versions(authOf(req).brandId, req.params.id),
  }));

  app.get('/emails/:id/versions/:n', { preHandler: read, schema: { tags: ['emails'], summary: 'One version with its document or source', params: ByVersion } }, async (req) =>
    emails.version(authOf(req).brandId, req.params.id, req.params.n),
  );

  app.get(
    '/emails/:id/versions/:a/diff/:b',
    { preHandler: read, schema: { tags: ['emails'], summary: 'Compare two versions: changed fields and a line diff of their MJML or HTML', params: ByVersionPair } },
    async (req) => emails.diff(authOf(req).brandId, req.params.id, req.params.a, req.params.b),
  );

  app.post(
    '/emails/:id/versions/:n/restore',
    { preHandler: write, schema: { tags: ['emails'], summary: 'Make version n the newest again (as a new version, "restore of vN")', params: ByVersion } },
    async (req) => emails.restore(authOf(req), req.params.id, req.params.n),
  );

  app.get(
    '/emails/:id/render',
    { preHandler: read, schema: { tags: ['emails'], summary: 'Render the current version for one recipient (editor preview)', params: ById, querystring: RenderQuery } },
    async (req) => {
      const { contactId, persona, tracking } = req.query;
      const msg = await emails.renderPreview(authOf(req).brandId, req.params.id, { contactId, persona, tracking: tracking === '1' });
      return { subject: msg.subject, html: msg.html, text: msg.text, headers: msg.headers };
    },
  );

  app.get('/emails/:id/mjml', { preHandler: read, schema: { tags: ['emails'], summary: 'The MJML of a block or MJML email', params: ById } }, async (req, reply) =>
    reply.type('text/plain; charset=utf-8').send(await emails.mjml(authOf(req).brandId, req.params.id)),
  );

  app.get('/emails/:id/html', { preHandler: read, schema: { tags: ['emails'], summary: 'The compiled HTML (merge tags not yet filled)', params: ById } }, async (req, reply) => {
    const { compiled } = await emails.compiled(authOf(req).brandId, req.params.id);
    return reply.type('text/html; charset=utf-8').send(compiled.html);
  });

  app.post(
    '/emails/:id/test-send',
    { preHandler: send, schema: { tags: ['emails'], summary: 'Send the current version to 1–10 addresses, subject prefixed "[Test] "', params: ById, body: TestSendInput } },
    async (req) => emails.testSend(authOf(req), req.params.id, req.body),
  );
}

/** The one file of a multipart import, read within the size limit. */
async function uploadedFile(req: FastifyRequest): Promise<{ fileName: string; content: Buffer; name?: string }> {
  const part = await req.file({ limits: { fileSize: LIMITS.sourceBytes } });
  if (!part) throw invalid('file', 'the request has no file: send it in a multipart field named "file"');
  if (part.fieldname !== 'file') {
    part.file.resume();
    throw invalid('file', `expected the file in a field named "file", got "${part.fieldname}"`);
  }
  let content: Buffer;
  try {
    content = await part.toBuffer();
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge('file');
    throw err;
  }
  const name = part.fields.name;
  const value = name && !Array.isArray(name) && name.type === 'field' ? String(name.value) : undefined;
  return { fileName: part.filename, content, ...(value ? { name: value } : {}) };
}
