import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app/context.ts';
import { authOf, guard } from '../http/auth.ts';
import { EditInput, GenerateInput, SubjectsInput } from './model.ts';

const EmailParams = z.object({ id: z.string().min(1).max(100) });

/** Composer API (S3.2): generate an email from a brief, edit one by instruction, suggest subject lines. */
export async function composerRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { composer } = ctx;

  app.get('/composer', { preHandler: guard('email:write'), schema: { tags: ['composer'], summary: 'The configured composer (builtin, openai or anthropic), its model and the purposes it writes for' } }, async () => composer.info());

  app.post(
    '/emails/generate',
    { preHandler: guard('email:write'), schema: { tags: ['composer'], summary: 'Write a new email from a brief (prompt and/or goal, audience, offer, tone, language, length, purpose, sections)', body: GenerateInput } },
    async (req, reply) => {
      reply.code(201);
      return composer.generate(authOf(req), req.body);
    },
  );

  app.post(
    '/emails/:id/edit',
    { preHandler: guard('email:write'), schema: { tags: ['composer'], summary: 'Change an email by instruction ("make it shorter", "add a testimonial"); saves a new version', params: EmailParams, body: EditInput } },
    async (req) => composer.edit(authOf(req), req.params.id, req.body),
  );

  app.post(
    '/emails/:id/subjects',
    { preHandler: guard('email:write'), schema: { tags: ['composer'], summary: 'Suggest alternative subject lines, each with a preheader', params: EmailParams, body: SubjectsInput.optional() } },
    async (req) => composer.subjects(authOf(req), req.params.id, req.body ?? {}),
  );
}
