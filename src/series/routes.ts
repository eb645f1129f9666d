import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app/context.ts';
import { authOf, guard } from '../http/auth.ts';
import { ManualClock } from '../shared/clock.ts';
import { AddStepInput, EnrolInput, GenerateInput, EnrolmentListQuery, InstructionInput, RefineInput, ReorderInput, ResumeInput, SeriesListQuery, SeriesPatch, StartInput, StepPatch } from './model.ts';

const read = guard('series:read');
const write = guard('series:write');
const id = z.string().max(100);
const ById = z.object({ id });
const ByStep = z.object({ id, stepId: id });
const ByEnrolment = z.object({ id, enrolmentId: id });
const tags = ['series'];

/** Email Series under /api/v1 (S6). */
export async function seriesRoutes(root: FastifyInstance, ctx: AppContext) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { series } = ctx;

  app.post(
    '/series/generate',
    { preHandler: write, schema: { tags, summary: 'Plan and write a series from one brief (1–12 emails, each a normal email); the series starts as a draft', body: GenerateInput } },
    async (req, reply) => {
      reply.code(201);
      return series.generate(authOf(req), req.body);
    },
  );

  app.get('/series', { preHandler: read, schema: { tags, summary: 'Series, newest first', querystring: SeriesListQuery } }, async (req) => series.list(authOf(req).brandId, req.query));

  app.get('/series/:id', { preHandler: read, schema: { tags, summary: 'A series: settings, its steps in order with their emails and preflight, enrolment counts', params: ById } }, async (req) =>
    series.get(authOf(req).brandId, req.params.id),
  );

  app.patch(
    '/series/:id',
    { preHandler: write, schema: { tags, summary: 'Name, send hour, time zone, trigger, exit rules, re-entry, utm_campaign, provider (a new send hour or zone re-times running enrolments)', params: ById, body: SeriesPatch } },
    async (req) => series.update(authOf(req), req.params.id, req.body),
  );

  app.post(
    '/series/:id/steps',
    { preHandler: write, schema: { tags, summary: 'Add an email at a position (0-based), written by the composer to fit between its neighbours', params: ById, body: AddStepInput } },
    async (req, reply) => {
      reply.code(201);
      return series.addStep(authOf(req), req.params.id, req.body);
    },
  );

  app.delete('/series/:id/steps/:stepId', { preHandler: write, schema: { tags, summary: 'Remove a step (its email stays as a normal email); the rest renumber', params: ByStep } }, async (req) =>
    series.removeStep(authOf(req), req.params.id, req.params.stepId),
  );

  app.patch(
    '/series/:id/steps/:stepId',
    { preHandler: write, schema: { tags, summary: "A step's offset in days after enrolment (400 naming steps[i].offsetDays when it would go backwards)", params: ByStep, body: StepPatch } },
    async (req) => series.setOffset(authOf(req), req.params.id, req.params.stepId, req.body),
  );

  app.post(
    '/series/:id/reorder',
    { preHandler: write, schema: { tags, summary: 'New order of the emails (every step id once); the cadence stays with the positions', params: ById, body: ReorderInput } },
    async (req) => series.reorder(authOf(req), req.params.id, req.body),
  );

  app.post(
    '/series/:id/edit-all',
    { preHandler: write, schema: { tags, summary: 'One instruction applied to every email in parallel; each result says whether its email was saved', params: ById, body: InstructionInput } },
    async (req) => series.editAll(authOf(req), req.params.id, req.body),
  );

  app.post(
    '/series/:id/refine',
    { preHandler: write, schema: { tags, summary: 'Plain words ("move email 3 before 1", "add a testimonial email after the second", "make them shorter") → one operation', params: ById, body: RefineInput } },
    async (req) => series.refine(authOf(req), req.params.id, req.body),
  );

  app.post('/series/:id/preflight', { preHandler: write, schema: { tags, summary: 'Preflight of every email plus the series checks (sender, subjects, spacing, unsubscribe, address, utm)', params: ById } }, async (req) =>
    series.preflight(authOf(req), req.params.id),
  );

  app.post(
    '/series/:id/start',
    {
      preHandler: write,
      schema: {
        tags,
        summary: 'Start a draft series (409 with findings when preflight finds critical problems, unless a manager overrides; audited) and enrol an audience once; on a running series, enrol another audience',
        params: ById,
        body: StartInput.optional(),
      },
    },
    async (req) => series.start(authOf(req), req.params.id, req.body ?? {}),
  );

  app.post('/series/:id/pause', { preHandler: write, schema: { tags, summary: 'Pause: nothing more goes out; enrolments wait', params: ById } }, async (req) => series.pause(authOf(req), req.params.id));

  app.post(
    '/series/:id/resume',
    { preHandler: write, schema: { tags, summary: "Resume: checks the emails again and sends their current versions; missed steps go one per tick", params: ById, body: ResumeInput.optional() } },
    async (req) => series.resume(authOf(req), req.params.id, req.body ?? {}),
  );

  app.post('/series/:id/archive', { preHandler: write, schema: { tags, summary: 'Stop for good: active enrolments exit, queued messages are withdrawn; the emails stay', params: ById } }, async (req) =>
    series.archive(authOf(req), req.params.id),
  );

  app.post(
    '/series/:id/enrolments',
    { preHandler: write, schema: { tags, summary: 'Enrol one contact (by id or email) into an active series; enrolling someone already active is a no-op', params: ById, body: EnrolInput } },
    async (req) => series.enrol(authOf(req), req.params.id, req.body),
  );

  app.get('/series/:id/enrolments', { preHandler: read, schema: { tags, summary: 'Enrolments, newest first', params: ById, querystring: EnrolmentListQuery } }, async (req) =>
    series.enrolments(authOf(req).brandId, req.params.id, req.query),
  );

  app.get(
    '/series/:id/enrolments/:enrolmentId',
    { preHandler: read, schema: { tags, summary: 'One enrolment with its trail: enrolled → step queued → sent → opened → step skipped (reason) → exited (reason)', params: ByEnrolment } },
    async (req) => series.enrolment(authOf(req).brandId, req.params.id, req.params.enrolmentId),
  );

  app.delete('/series/:id/enrolments/:enrolmentId', { preHandler: write, schema: { tags, summary: 'Remove a contact from the series (exit reason "removed")', params: ByEnrolment } }, async (req) =>
    series.removeEnrolment(authOf(req), req.params.id, req.params.enrolmentId),
  );

  app.get(
    '/series/:id/stats',
    { preHandler: read, schema: { tags, summary: 'Enrolled, active, completed, exited by reason; per step sent, skipped, opens, clicks, unsubscribes, bounces and drop-off', params: ById } },
    async (req) => series.stats(authOf(req).brandId, req.params.id),
  );

  // End-to-end tests only (TIDINGS_TEST_HOOKS=1 and a movable clock): move time and run one drip tick, delivered at once.
  const clock = ctx.clock;
  if (ctx.config.testHooks && clock instanceof ManualClock) {
    app.post(
      '/test/clock',
      { preHandler: write, schema: { tags: ['test'], summary: 'Test hook: advance the clock, run one drip tick and deliver what it handed off', body: z.strictObject({ advanceMs: z.number().int().min(0).max(366 * 86_400_000) }) } },
      async (req) => {
        clock.advance(req.body.advanceMs);
        return { now: clock.now().toISOString(), tick: await series.drip.runDue() };
      },
    );
  }
}
