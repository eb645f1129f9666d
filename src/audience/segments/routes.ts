import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { authOf, guard } from '../../http/auth.ts';
import { PageQuery } from '../../http/pagination.ts';
import { PREVIEW_MAX } from './model.ts';

// The filter is validated by the service (the same check for API, CLI and MCP), which names the
// exact path of a problem; the schema here only documents it.
const Filter = z.unknown().describe('Segment filter: {op: "and"|"or", rules: [...]} of groups and conditions; null or absent = everyone. See src/audience/segments/model.ts.');
const Id = z.object({ id: z.string().max(100) });
const Limit = z.object({ limit: z.coerce.number().int().min(1).max(PREVIEW_MAX).default(20) });
const SegmentBody = z.object({ name: z.string().max(120), description: z.string().max(2000).optional(), filter: Filter.optional() });
const SegmentPatchBody = SegmentBody.partial();

export async function segmentRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { segments } = ctx;
  const read = guard('audience:read');
  const write = guard('audience:write');

  app.get('/segments', { preHandler: read, schema: { tags: ['segments'], summary: 'Saved segments, oldest first', querystring: PageQuery } }, async (req) =>
    segments.list(authOf(req).brandId, req.query),
  );

  app.post('/segments', { preHandler: write, schema: { tags: ['segments'], summary: 'Save a segment (a named, live filter)', body: SegmentBody } }, async (req, reply) => {
    const auth = authOf(req);
    reply.code(201);
    return segments.create(auth.brandId, req.body, auth.actor);
  });

  app.post(
    '/segments/count',
    { preHandler: read, schema: { tags: ['segments'], summary: 'Count the contacts an unsaved filter matches (the live count of the builder)', body: z.object({ filter: Filter }) } },
    async (req) => ({ count: await segments.count(authOf(req).brandId, req.body.filter) }),
  );

  app.post(
    '/segments/preview',
    { preHandler: read, schema: { tags: ['segments'], summary: 'The first contacts an unsaved filter matches', body: z.object({ filter: Filter, limit: Limit.shape.limit }) } },
    async (req) => ({ data: await segments.preview(authOf(req).brandId, req.body.filter, req.body.limit) }),
  );

  app.get('/segments/:id', { preHandler: read, schema: { tags: ['segments'], summary: 'One segment', params: Id } }, async (req) => segments.get(authOf(req).brandId, req.params.id));

  app.patch('/segments/:id', { preHandler: write, schema: { tags: ['segments'], summary: 'Rename a segment or change its filter', params: Id, body: SegmentPatchBody } }, async (req) => {
    const auth = authOf(req);
    return segments.update(auth.brandId, req.params.id, req.body, auth.actor);
  });

  app.delete('/segments/:id', { preHandler: write, schema: { tags: ['segments'], summary: 'Delete a segment', params: Id } }, async (req, reply) => {
    const auth = authOf(req);
    await segments.delete(auth.brandId, req.params.id, auth.actor);
    return reply.code(204).send();
  });

  app.get('/segments/:id/count', { preHandler: read, schema: { tags: ['segments'], summary: 'How many contacts the segment matches now', params: Id } }, async (req) => {
    const brandId = authOf(req).brandId;
    return { count: await segments.count(brandId, (await segments.get(brandId, req.params.id)).filter) };
  });

  app.get(
    '/segments/:id/preview',
    { preHandler: read, schema: { tags: ['segments'], summary: 'The first contacts the segment matches now', params: Id, querystring: Limit } },
    async (req) => {
      const brandId = authOf(req).brandId;
      return { data: await segments.preview(brandId, (await segments.get(brandId, req.params.id)).filter, req.query.limit) };
    },
  );
}
