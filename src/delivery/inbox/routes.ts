import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { authOf, guard } from '../../http/auth.ts';
import { InboxQuery } from './model.ts';

const IdParams = z.object({ id: z.string().max(64) });

/** The capture inbox (S9.1): what the built-in capture provider "sent" for this brand. */
export async function inboxRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { inbox } = ctx;

  app.get('/inbox', { preHandler: guard('campaign:read'), schema: { tags: ['inbox'], summary: 'Captured messages, newest first (search in subject, from and to)', querystring: InboxQuery } }, async (req) =>
    inbox.list(authOf(req).brandId, req.query),
  );

  app.get('/inbox/:id', { preHandler: guard('campaign:read'), schema: { tags: ['inbox'], summary: 'A captured message with its HTML, text and headers', params: IdParams } }, async (req) =>
    inbox.get(authOf(req).brandId, req.params.id),
  );

  app.get('/inbox/:id/raw', { preHandler: guard('campaign:read'), schema: { tags: ['inbox'], summary: 'The message exactly as received (message/rfc822)', params: IdParams } }, async (req, reply) => {
    const raw = await inbox.raw(authOf(req).brandId, req.params.id);
    return reply.type('message/rfc822').header('content-disposition', `inline; filename="${req.params.id}.eml"`).send(raw);
  });

  app.delete('/inbox/:id', { preHandler: guard('campaign:write'), schema: { tags: ['inbox'], summary: 'Delete a captured message', params: IdParams } }, async (req, reply) => {
    await inbox.delete(authOf(req).brandId, req.params.id);
    return reply.code(204).send();
  });

  app.delete('/inbox', { preHandler: guard('campaign:write'), schema: { tags: ['inbox'], summary: 'Empty the inbox' } }, async (req) => inbox.clear(authOf(req).brandId));
}
