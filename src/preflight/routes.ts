import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app/context.ts';
import { authOf, guard } from '../http/auth.ts';
import { FixInput, RunInput } from './model.ts';

const validate = guard('email:validate');
const ById = z.object({ id: z.string().max(100) });
const ByFile = ById.extend({ file: z.string().max(100) });

export async function preflightRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { preflight } = ctx;

  app.post(
    '/emails/:id/preflight',
    {
      preHandler: validate,
      schema: {
        tags: ['preflight'],
        summary: 'Check the email as it would be sent (three personas, every check, spam score); online: also fetch its links and images',
        params: ById,
        body: RunInput.nullish(),
      },
    },
    async (req) => preflight.run(authOf(req), req.params.id, req.body ?? {}),
  );

  app.get('/emails/:id/preflight', { preHandler: validate, schema: { tags: ['preflight'], summary: 'The latest preflight report of the email', params: ById } }, async (req) =>
    preflight.latest(authOf(req).brandId, req.params.id),
  );

  app.post(
    '/emails/:id/preflight/fixes',
    { preHandler: validate, schema: { tags: ['preflight'], summary: 'Apply a one-click fix (a new version, note "preflight fix: …") and check again; needs email:write too', params: ById, body: FixInput } },
    async (req) => preflight.applyFix(authOf(req), req.params.id, req.body),
  );

  app.post(
    '/emails/:id/previews',
    { preHandler: validate, schema: { tags: ['preflight'], summary: 'Screenshots at 600 and 375 px, light and dark, from headless Chromium (not Outlook or Gmail)', params: ById } },
    async (req) => preflight.previews(authOf(req), req.params.id),
  );

  app.get('/emails/:id/previews/:file', { preHandler: validate, schema: { tags: ['preflight'], summary: 'A device preview image (PNG)', params: ByFile } }, async (req, reply) => {
    const file = await preflight.previewFile(authOf(req).brandId, req.params.id, req.params.file);
    return reply.type('image/png').header('cache-control', 'private, max-age=3600').send(fs.createReadStream(file));
  });
}
