import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { authOf, guard } from '../../http/auth.ts';

const IdParams = z.object({ id: z.string().max(64) });
const anyBody = z.record(z.string(), z.unknown());

/** Provider accounts (S9.1). Reading needs campaign:read (the campaign wizard picks one); changes need brand:write. */
export async function providerRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { providers } = ctx;

  app.get('/providers', { preHandler: guard('campaign:read'), schema: { tags: ['providers'], summary: 'Provider accounts of the brand, the built-in capture inbox first (secrets are never returned)' } }, async (req) => ({
    data: await providers.list(authOf(req).brandId),
  }));

  app.post(
    '/providers',
    {
      preHandler: guard('brand:write'),
      schema: { tags: ['providers'], summary: 'Add a provider account: {name, settings: {kind, …}, webhook?, isDefault?}', body: anyBody },
    },
    async (req, reply) => {
      const auth = authOf(req);
      reply.code(201);
      return providers.create(auth.brandId, req.body, auth.actor);
    },
  );

  app.get('/providers/:id', { preHandler: guard('campaign:read'), schema: { tags: ['providers'], summary: 'A provider account (secrets are never returned)', params: IdParams } }, async (req) =>
    providers.get(authOf(req).brandId, req.params.id),
  );

  app.patch(
    '/providers/:id',
    {
      preHandler: guard('brand:write'),
      schema: { tags: ['providers'], summary: 'Change an account; settings and webhook are JSON merge patches (omitted secrets are kept, null removes a field)', params: IdParams, body: anyBody },
    },
    async (req) => {
      const auth = authOf(req);
      return providers.update(auth.brandId, req.params.id, req.body, auth.actor);
    },
  );

  app.delete('/providers/:id', { preHandler: guard('brand:write'), schema: { tags: ['providers'], summary: 'Delete a provider account (not while a live campaign uses it)', params: IdParams } }, async (req, reply) => {
    const auth = authOf(req);
    await providers.remove(auth.brandId, req.params.id, auth.actor);
    return reply.code(204).send();
  });

  app.post(
    '/providers/:id/test',
    { preHandler: guard('brand:write'), schema: { tags: ['providers'], summary: 'Send a short test message through the account and report the outcome', params: IdParams, body: anyBody } },
    async (req) => providers.test(authOf(req).brandId, req.params.id, req.body),
  );
}
