import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app/context.ts';
import { authOf, guard } from '../http/auth.ts';
import { CampaignInput, CampaignListQuery, CampaignPatch, CampaignTestSendInput, MessageLogQuery, ScheduleInput, SendInput } from './model.ts';

const read = guard('campaign:read');
const write = guard('campaign:write');
const ById = z.object({ id: z.string().max(100) });
const tags = ['campaigns'];

/** Campaigns under /api/v1 (S5.1); results (stats, timeline, links, recipients) are tracking's routes. */
export async function campaignRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { campaigns } = ctx;

  app.get('/campaigns', { preHandler: read, schema: { tags, summary: 'Campaigns, newest first (archived ones only with archived=1)', querystring: CampaignListQuery } }, async (req) =>
    campaigns.list(authOf(req).brandId, req.query),
  );

  app.post('/campaigns', { preHandler: write, schema: { tags, summary: 'Create a draft campaign: an email, an audience of segments and tags, sender and tracking options', body: CampaignInput } }, async (req, reply) => {
    reply.code(201);
    return campaigns.create(authOf(req), req.body);
  });

  app.get('/campaigns/:id', { preHandler: read, schema: { tags, summary: 'One campaign with its status and counters', params: ById } }, async (req) => campaigns.get(authOf(req).brandId, req.params.id));

  app.patch(
    '/campaigns/:id',
    { preHandler: write, schema: { tags, summary: 'Edit a draft; editing a scheduled campaign takes it back to draft', params: ById, body: CampaignPatch } },
    async (req) => campaigns.update(authOf(req), req.params.id, req.body),
  );

  app.delete('/campaigns/:id', { preHandler: write, schema: { tags, summary: 'Delete a draft (archive any other campaign)', params: ById } }, async (req, reply) => {
    await campaigns.delete(authOf(req), req.params.id);
    return reply.code(204).send();
  });

  app.get(
    '/campaigns/:id/audience-preview',
    { preHandler: read, schema: { tags, summary: 'Who the audience resolves to now: recipients, skips by reason, a sample of sendable contacts', params: ById } },
    async (req) => campaigns.audiencePreview(authOf(req).brandId, req.params.id),
  );

  app.post(
    '/campaigns/:id/send',
    {
      preHandler: write,
      schema: { tags, summary: 'Send now. Runs preflight first: 409 with the findings when it finds critical problems, unless a manager overrides (audited)', params: ById, body: SendInput.optional() },
    },
    async (req) => campaigns.send(authOf(req), req.params.id, req.body ?? {}),
  );

  app.post(
    '/campaigns/:id/schedule',
    { preHandler: write, schema: { tags, summary: "Schedule at a local time in an IANA zone, or at that time in each recipient's zone. Runs preflight like a send", params: ById, body: ScheduleInput } },
    async (req) => campaigns.schedule(authOf(req), req.params.id, req.body),
  );

  app.post('/campaigns/:id/pause', { preHandler: write, schema: { tags, summary: 'Pause sending (messages in flight finish)', params: ById } }, async (req) => campaigns.pause(authOf(req), req.params.id));
  app.post('/campaigns/:id/resume', { preHandler: write, schema: { tags, summary: 'Resume a paused campaign', params: ById } }, async (req) => campaigns.resume(authOf(req), req.params.id));
  app.post('/campaigns/:id/cancel', { preHandler: write, schema: { tags, summary: 'Cancel: queued messages are withdrawn, nothing more goes out', params: ById } }, async (req) =>
    campaigns.cancel(authOf(req), req.params.id),
  );
  app.post('/campaigns/:id/duplicate', { preHandler: write, schema: { tags, summary: 'Copy a campaign as a new draft', params: ById } }, async (req, reply) => {
    reply.code(201);
    return campaigns.duplicate(authOf(req), req.params.id);
  });
  app.post('/campaigns/:id/archive', { preHandler: write, schema: { tags, summary: 'Hide a campaign that will not send any more', params: ById } }, async (req) => campaigns.archive(authOf(req), req.params.id));

  app.post(
    '/campaigns/:id/test-send',
    { preHandler: guard('email:send'), schema: { tags, summary: "Send the campaign's email to 1–10 addresses (subject prefixed with [Test])", params: ById, body: CampaignTestSendInput } },
    async (req) => campaigns.testSend(authOf(req), req.params.id, req.body),
  );

  app.get(
    '/campaigns/:id/progress',
    { preHandler: read, schema: { tags, summary: 'Live progress: counts by state, send rate over the last 30 s and the time left at that rate', params: ById } },
    async (req) => campaigns.progress(authOf(req).brandId, req.params.id),
  );

  app.get(
    '/campaigns/:id/messages',
    { preHandler: read, schema: { tags, summary: "The campaign's outbox, newest first: status, skip reason, attempts and the last error of each message", params: ById, querystring: MessageLogQuery } },
    async (req) => campaigns.messages(authOf(req).brandId, req.params.id, req.query),
  );
}
