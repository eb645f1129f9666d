import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DIALECTS, freshStore } from '../../test/helpers/stores.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { loadConfig } from '../app/config.ts';
import { createContext } from '../app/context.ts';
import { ManualClock } from '../shared/clock.ts';
import { ModelComposer } from '../composer/llm.ts';
import { OpenAIClient } from '../composer/openai.ts';
import { openaiAnswer } from '../composer/provider-server.fixture.ts';
import { authOf, createContacts } from '../campaigns/test-kit.ts';
import type { AuthContext } from '../brands/model.ts';
import type { SeriesService } from './service.ts';
import { messagesOf, seriesFor, WELCOME } from './test-kit.ts';

const S = '/api/v1/series';
const fields = (body: any) => (body.error?.details?.issues ?? []).map((i: { field: string }) => i.field);

describe.each(DIALECTS)('series API on %s', (dialect) => {
  let t: TestApp;
  let auth: AuthContext;
  let service: SeriesService;

  beforeAll(async () => {
    t = await createTestApp(dialect, { TIDINGS_API_RATE_LIMIT: '100000' });
    auth = await authOf(t);
    service = seriesFor(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('generates a series from one brief: normal emails, one carrier campaign per step, hidden from the campaigns', async () => {
    const res = await t.api('POST', `${S}/generate`, { brief: { prompt: WELCOME } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const s = res.body;
    expect(s).toMatchObject({ status: 'draft', kind: 'welcome', sendHour: 9, timeZone: null, trigger: { type: 'manual' }, reentry: 'never', counts: { enrolled: 0, active: 0, completed: 0, exited: 0 } });
    expect(s.steps).toHaveLength(4);
    expect(s.steps.map((x: any) => x.position)).toEqual([0, 1, 2, 3]);
    const offsets = s.steps.map((x: any) => x.offsetDays);
    expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);
    expect(new Set(s.steps.map((x: any) => x.email.subject)).size).toBe(4);
    expect(s.steps.map((x: any) => x.delivery)).toEqual(s.steps.map(() => ({ status: 'draft', reason: null })));
    // Every email is a normal email: it can be read, edited and listed on its own.
    const email = await t.api('GET', `/api/v1/emails/${s.steps[0].emailId}`);
    expect(email.status).toBe(200);
    expect(email.body.subject).toBe(s.steps[0].email.subject);
    // Carriers carry the steps' sending but are not campaigns anyone manages.
    const campaigns = await t.api('GET', '/api/v1/campaigns');
    expect(campaigns.body.data.map((c: any) => c.id)).not.toContain(s.steps[0].campaignId);
    const carrier = await t.api('GET', `/api/v1/campaigns/${s.steps[0].campaignId}`);
    expect([carrier.status, carrier.body.error.message]).toEqual([404, expect.stringContaining(`belongs to series ${s.id}`)]);
    const send = await t.api('POST', `/api/v1/campaigns/${s.steps[0].campaignId}/send`, {});
    expect(send.status).toBe(404);
    const listed = await t.api('GET', S);
    expect(listed.body.data[0]).toMatchObject({ id: s.id, steps: 4, status: 'draft' });
    const doc = await t.api('GET', '/api/v1/openapi.json');
    expect(doc.body.paths['/api/v1/series/{id}/edit-all'].post.tags).toEqual(['series']);
    expect(doc.body.paths['/api/v1/test/clock']).toBeUndefined();
  });

  it('refuses a brief that asks for 40 emails, naming the field', async () => {
    const res = await t.api('POST', `${S}/generate`, { brief: { prompt: 'a 40-email nurture course', count: 40 } });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(['brief.count']);
    expect(res.body.error.message).toMatch(/at most 12/);
  });

  it('adds, removes, reorders and re-times steps; offsets never go backwards', async () => {
    const s = (await t.api('POST', `${S}/generate`, { brief: { prompt: WELCOME } })).body;
    const [a, b, c, d] = s.steps;
    const backwards = await t.api('PATCH', `${S}/${s.id}/steps/${c.id}`, { offsetDays: Math.max(0, b.offsetDays - 1) });
    if (b.offsetDays > 0) expect([backwards.status, fields(backwards.body)]).toEqual([400, ['steps[2].offsetDays']]);
    const later = await t.api('PATCH', `${S}/${s.id}/steps/${d.id}`, { offsetDays: d.offsetDays + 3 });
    expect(later.body.steps[3].offsetDays).toBe(d.offsetDays + 3);

    const added = await t.api('POST', `${S}/${s.id}/steps`, { position: 1, role: 'Customer story', beats: ['a subscriber on their first bag'] });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.steps.map((x: any) => x.id).filter((id: string) => id !== added.body.steps[1].id)).toEqual([a.id, b.id, c.id, d.id]);
    expect(added.body.steps[1]).toMatchObject({ position: 1, role: 'Customer story', beats: ['a subscriber on their first bag'] });
    expect(added.body.steps[1].offsetDays).toBeGreaterThanOrEqual(a.offsetDays);
    expect(added.body.steps[1].offsetDays).toBeLessThanOrEqual(b.offsetDays);
    const badOffset = await t.api('POST', `${S}/${s.id}/steps`, { position: 0, role: 'Teaser', offsetDays: 99 });
    expect([badOffset.status, fields(badOffset.body)]).toEqual([400, ['steps[0].offsetDays']]);
    const badPosition = await t.api('POST', `${S}/${s.id}/steps`, { position: 9, role: 'Teaser' });
    expect([badPosition.status, fields(badPosition.body)]).toEqual([400, ['position']]);

    const removed = await t.api('DELETE', `${S}/${s.id}/steps/${added.body.steps[1].id}`);
    expect(removed.body.steps.map((x: any) => [x.id, x.position])).toEqual([a.id, b.id, c.id, d.id].map((id, i) => [id, i]));
    // The removed step's email stays, as a normal email.
    expect((await t.api('GET', `/api/v1/emails/${added.body.steps[1].emailId}`)).status).toBe(200);

    const cadence = removed.body.steps.map((x: any) => x.offsetDays);
    const reordered = await t.api('POST', `${S}/${s.id}/reorder`, { stepIds: [c.id, a.id, b.id, d.id] });
    expect(reordered.body.steps.map((x: any) => x.id)).toEqual([c.id, a.id, b.id, d.id]);
    expect(reordered.body.steps.map((x: any) => x.offsetDays)).toEqual(cadence);
    const notAll = await t.api('POST', `${S}/${s.id}/reorder`, { stepIds: [c.id, a.id] });
    expect([notAll.status, fields(notAll.body)]).toEqual([400, ['stepIds']]);

    const refined = await t.api('POST', `${S}/${s.id}/refine`, { text: 'move email 3 before 1' });
    expect(refined.status, JSON.stringify(refined.body)).toBe(200);
    expect(refined.body.op).toEqual({ op: 'move', from: 2, to: 0 });
    expect(refined.body.series.steps.map((x: any) => x.id)).toEqual([b.id, c.id, a.id, d.id]);
    const dropped = await t.api('POST', `${S}/${s.id}/refine`, { text: 'remove the last one' });
    expect(dropped.body.series.steps.map((x: any) => x.id)).toEqual([b.id, c.id, a.id]);
    const lastOne = await t.api('DELETE', `${S}/${s.id}/steps/${d.id}`);
    expect(lastOne.status).toBe(404);
  });

  it('edit-all rewrites every email as a new version and says so per step', async () => {
    const s = (await t.api('POST', `${S}/generate`, { brief: { prompt: WELCOME, count: 3 } })).body;
    const before = await Promise.all(s.steps.map((x: any) => t.api('GET', `/api/v1/emails/${x.emailId}`)));
    const res = await t.api('POST', `${S}/${s.id}/edit-all`, { instruction: 'make it shorter' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.results).toEqual(s.steps.map((x: any) => ({ stepId: x.id, ok: true })));
    const after = await Promise.all(s.steps.map((x: any) => t.api('GET', `/api/v1/emails/${x.emailId}`)));
    after.forEach((e, i) => expect(e.body.version).toBe(before[i].body.version + 1));
  });

  it('edit-all with a model that answers one email with invalid JSON: that email fails, the others are saved', async () => {
    const s = await service.generate(auth, { brief: { prompt: WELCOME, count: 3 } });
    const broken = s.steps[1].email!.subject;
    const model = await modelServer((email) => (email.subject === broken ? 'Sure! Here is your email: {"subject": ' : { ...email, preheader: SHORTER }));
    try {
      const withModel = seriesFor(t, { composer: new ModelComposer(new OpenAIClient({ provider: 'openai', baseUrl: `${model.url}/v1`, apiKey: 'sk-test', model: 'test-model', timeoutMs: 10_000 })) });
      const before = await Promise.all(s.steps.map((x) => t.ctx.emails.get(t.brandId, x.emailId!)));
      const { results } = await withModel.editAll(auth, s.id, { instruction: 'make every email shorter' });
      expect(results.map((r) => [r.stepId, r.ok])).toEqual(s.steps.map((x, i) => [x.id, i !== 1]));
      expect(results[1].error).toMatch(/unusable answer twice/);
      const after = await Promise.all(s.steps.map((x) => t.ctx.emails.get(t.brandId, x.emailId!)));
      expect(after.map((e, i) => e.version - before[i].version)).toEqual([1, 0, 1]);
      expect(after.map((e) => e.preheader === SHORTER)).toEqual([true, false, true]);
    } finally {
      await model.close();
    }
  });

  it('moves its clock through the test hook only with TIDINGS_TEST_HOOKS=1 and a movable clock', async () => {
    expect((await t.api('POST', '/api/v1/test/clock', { advanceMs: 1 })).status).toBe(404);
    const hooked = await createTestApp(dialect, { TIDINGS_TEST_HOOKS: '1' });
    try {
      const before = hooked.clock.now().getTime();
      const res = await hooked.api('POST', '/api/v1/test/clock', { advanceMs: 3_600_000 });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual({ now: new Date(before + 3_600_000).toISOString(), tick: { enrolled: 0, exited: 0, handedOff: 0, queued: 0, skipped: 0, completed: 0 } });
    } finally {
      await hooked.close();
    }
    // A served app (no injected clock) gets a movable one from TIDINGS_TEST_CLOCK, only with the hooks on.
    const config = (env: Record<string, string>) => loadConfig({ TIDINGS_DATA_DIR: `/tmp/tidings-test-data-${process.pid}`, TIDINGS_SECRET: 'test-secret-0123456789abcdef0123456789abcdef', TIDINGS_CAPTURE_PORT: '0', ...env });
    for (const [env, movable] of [
      [{ TIDINGS_TEST_HOOKS: '1', TIDINGS_TEST_CLOCK: '2026-05-01T00:00:00Z' }, true],
      [{ TIDINGS_TEST_CLOCK: '2026-05-01T00:00:00Z' }, false],
    ] as const) {
      const ctx = await createContext(config(env), { store: await freshStore(dialect), log: pino({ level: 'silent' }), migrate: false });
      try {
        expect(ctx.clock instanceof ManualClock).toBe(movable);
        if (movable) expect(ctx.clock.now().toISOString()).toBe('2026-05-01T00:00:00.000Z');
      } finally {
        await ctx.close();
      }
    }
  });

  it('checks every email plus the series, and gates the start on critical findings (managers may override, audited)', async () => {
    const s = await service.generate(auth, { brief: { prompt: WELCOME, count: 3 } });
    // The kit's service checks with preflight's heuristic spam score (SpamAssassin takes seconds an
    // email); the API reuses each email's latest report while the email has not changed since.
    await service.preflight(auth, s.id);
    const report = await t.api('POST', `${S}/${s.id}/preflight`);
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body.steps.map((x: any) => x.stepId)).toEqual(s.steps.map((x) => x.id));
    for (const step of report.body.steps) expect(step).toMatchObject({ score: expect.any(Number), counts: { critical: 0 } });
    expect(report.body.ok).toBe(true);
    expect(Array.isArray(report.body.series)).toBe(true);

    // A link to a documentation domain is a critical finding.
    const email = await t.ctx.emails.get(t.brandId, s.steps[1].emailId!);
    const doc = structuredClone(email.document!);
    doc.sections[0].blocks.push({ id: 'bad', type: 'button', text: 'Broken', url: 'https://example.com/offer', align: 'center' });
    await t.ctx.emails.update(auth, email.id, { document: doc });
    expect((await service.preflight(auth, s.id)).ok).toBe(false);
    const [tag] = await t.ctx.audience.tagIdsForNames(t.brandId, ['gate'], { create: true });
    await createContacts(t, [{ email: 'gate@example.com', tagIds: [tag] }]);
    const blocked = await t.api('POST', `${S}/${s.id}/start`, { audience: { tagIds: [tag] } });
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.details.findings[0]).toMatchObject({ stepId: s.steps[1].id });
    const started = await t.api('POST', `${S}/${s.id}/start`, { audience: { tagIds: [tag] }, override: true });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body).toMatchObject({ status: 'active', counts: { enrolled: 1, active: 1 } });
    const audit = await t.ctx.store.db.selectFrom('audit_log').select('action').where('target_id', '=', s.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['series.started', 'series.preflight_overridden']));
    // Carriers are pinned to the versions that were checked.
    const carriers = await t.ctx.store.db.selectFrom('campaigns').select(['status', 'email_version', 'email_id']).where('series_id', '=', s.id).execute();
    expect(carriers.every((c) => c.status === 'sending' && c.email_version !== null)).toBe(true);
  });

  it('enrols through the API once, refuses unknown contacts and inactive series, and lists enrolments with trails', async () => {
    const s = await service.generate(auth, { brief: { prompt: WELCOME, count: 2 } });
    await service.update(auth, s.id, { trigger: { type: 'api' } });
    const [ann] = await createContacts(t, [{ email: 'ann.api@example.com', firstName: 'Ann' }]);
    const draft = await t.api('POST', `${S}/${s.id}/enrolments`, { contactId: ann });
    expect(draft.status).toBe(409);
    await service.start(auth, s.id, {});
    const first = await t.api('POST', `${S}/${s.id}/enrolments`, { email: 'ANN.API@example.com' });
    expect(first.body).toEqual({ enrolled: true, enrolmentId: expect.stringMatching(/^enr_/) });
    const again = await t.api('POST', `${S}/${s.id}/enrolments`, { contactId: ann });
    expect(again.body).toEqual({ enrolled: false, enrolmentId: first.body.enrolmentId, reason: 'already-enrolled' });
    expect((await t.api('POST', `${S}/${s.id}/enrolments`, { contactId: 'ctc_nope' })).status).toBe(404);
    const neither = await t.api('POST', `${S}/${s.id}/enrolments`, {});
    expect([neither.status, fields(neither.body)]).toEqual([400, ['contactId']]);

    await service.drip.runDue();
    const list = await t.api('GET', `${S}/${s.id}/enrolments?status=active`);
    expect(list.body.data).toEqual([expect.objectContaining({ id: first.body.enrolmentId, contactId: ann, email: 'ann.api@example.com', lastPosition: 0, nextStepId: s.steps[1].id })]);
    const one = await t.api('GET', `${S}/${s.id}/enrolments/${first.body.enrolmentId}`);
    expect(one.body.trail.map((e: any) => [e.type, e.position])).toEqual([
      ['enrolled', null],
      ['step-queued', 0],
    ]);
    const removed = await t.api('DELETE', `${S}/${s.id}/enrolments/${first.body.enrolmentId}`);
    expect(removed.body).toMatchObject({ status: 'exited', exitReason: 'removed' });
    expect((await t.api('DELETE', `${S}/${s.id}/enrolments/${first.body.enrolmentId}`)).status).toBe(409);
    // Its queued step message was withdrawn with it.
    expect((await messagesOf(t, s.id)).map((m) => m.status)).toEqual(['cancelled']);
    const trail = (await t.api('GET', `${S}/${s.id}/enrolments/${first.body.enrolmentId}`)).body.trail;
    expect(trail.map((e: any) => e.type)).toEqual(['enrolled', 'step-withdrawn', 'exited']);
    expect(trail[2].detail).toMatchObject({ reason: 'removed' });
  });

  it("runs with the dispatcher's housekeeping, as in `tidings serve`", async () => {
    const s = await service.generate(auth, { brief: { prompt: WELCOME, count: 2 } });
    await service.update(auth, s.id, { trigger: { type: 'api' } });
    await service.start(auth, s.id, {});
    const [c] = await createContacts(t, [{ email: 'serve@example.com' }]);
    await service.enrol(auth, s.id, { contactId: c });
    t.clock.advance(2_000); // housekeeping runs at most once a second
    await t.ctx.campaigns.dispatcher.tick();
    // The tick handed the step to delivery; the job queue's worker writes its outbox row.
    await t.ctx.jobs.start();
    try {
      await vi.waitFor(async () => expect((await messagesOf(t, s.id)).length).toBeGreaterThan(0), { timeout: 30_000, interval: 50 });
    } finally {
      await t.ctx.jobs.stop();
    }
    expect((await messagesOf(t, s.id)).map((m) => [m.contact_id, m.step])).toEqual([[c, 0]]);
  });

  it('validates settings: zones, triggers and re-entry rules name their field', async () => {
    const s = await service.generate(auth, { brief: { prompt: WELCOME, count: 2 } });
    const zone = await t.api('PATCH', `${S}/${s.id}`, { timeZone: 'Mars/Olympus' });
    expect([zone.status, fields(zone.body)]).toEqual([400, ['timeZone']]);
    const segment = await t.api('PATCH', `${S}/${s.id}`, { trigger: { type: 'segment', segmentId: 'seg_nope' } });
    expect([segment.status, fields(segment.body)]).toEqual([400, ['trigger.segmentId']]);
    const tag = await t.api('PATCH', `${S}/${s.id}`, { trigger: { type: 'tag', tagId: 'tag_nope' } });
    expect([tag.status, fields(tag.body)]).toEqual([400, ['trigger.tagId']]);
    const seg = await t.api('POST', '/api/v1/segments', { name: `all-${dialect}`, filter: { op: 'and', rules: [{ field: 'status', op: 'is', value: 'subscribed' }] } });
    expect(seg.status, JSON.stringify(seg.body)).toBe(201);
    const loop = await t.api('PATCH', `${S}/${s.id}`, { trigger: { type: 'segment', segmentId: seg.body.id }, reentry: 'after-exit' });
    expect([loop.status, fields(loop.body)]).toEqual([400, ['reentry']]);
    const ok = await t.api('PATCH', `${S}/${s.id}`, { name: 'Welcome (EU)', sendHour: 10, timeZone: 'Europe/Berlin', exit: { event: 'purchased' }, utmCampaign: 'welcome-eu' });
    expect(ok.body).toMatchObject({ name: 'Welcome (EU)', sendHour: 10, timeZone: 'Europe/Berlin', exit: { tagId: null, event: 'purchased' }, utmCampaign: 'welcome-eu' });
    const hour = await t.api('PATCH', `${S}/${s.id}`, { sendHour: 24 });
    expect([hour.status, fields(hour.body)]).toEqual([400, ['sendHour']]);
  });
});

const SHORTER = 'A shorter read: the essentials of this email in one minute.';

/**
 * An OpenAI-compatible server on loopback that answers each edit by the email it was given: the
 * answer is what `answer` returns for that email (an object is sent as JSON, a string as is).
 */
async function modelServer(answer: (email: { subject: string; preheader: string; language: string; document: unknown }) => unknown): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const prompt: string = JSON.parse(raw).messages.find((m: { role: string }) => m.role === 'user').content;
      const email = JSON.parse(prompt.slice(prompt.indexOf('{'), prompt.indexOf('\n\nApply this instruction')));
      const canned = openaiAnswer(answer(email));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify((canned as { body: unknown }).body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
