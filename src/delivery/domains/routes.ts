import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { authOf, guard } from '../../http/auth.ts';

const IdParams = z.object({ id: z.string().max(64) });
const anyBody = z.record(z.string(), z.unknown());

/** Sending domains (S9.3): records to publish, DNS verification, health. */
export async function domainRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { domains } = ctx;

  app.get('/domains', { preHandler: guard('campaign:read'), schema: { tags: ['domains'], summary: 'Sending domains of the brand with their records and last check' } }, async (req) => ({
    data: await domains.list(authOf(req).brandId),
  }));

  app.post(
    '/domains',
    {
      preHandler: guard('brand:write'),
      schema: { tags: ['domains'], summary: 'Add a sending domain: generates its DKIM key pair and the DNS records to publish', body: anyBody },
    },
    async (req, reply) => {
      const auth = authOf(req);
      reply.code(201);
      return domains.create(auth.brandId, req.body, auth.actor);
    },
  );

  app.get('/domains/:id', { preHandler: guard('campaign:read'), schema: { tags: ['domains'], summary: 'A sending domain with its records and 30-day sending health', params: IdParams } }, async (req) =>
    domains.get(authOf(req).brandId, req.params.id),
  );

  app.delete('/domains/:id', { preHandler: guard('brand:write'), schema: { tags: ['domains'], summary: 'Remove a sending domain (its DKIM key is deleted)', params: IdParams } }, async (req, reply) => {
    const auth = authOf(req);
    await domains.remove(auth.brandId, req.params.id, auth.actor);
    return reply.code(204).send();
  });

  app.post('/domains/:id/verify', { preHandler: guard('brand:write'), schema: { tags: ['domains'], summary: 'Look the records up in DNS now; returns each record with its status', params: IdParams } }, async (req) =>
    domains.verify(authOf(req).brandId, req.params.id),
  );
}
