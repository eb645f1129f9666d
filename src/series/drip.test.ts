import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DIALECTS } from '../../test/helpers/stores.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { authOf } from '../campaigns/test-kit.ts';
import type { AuthContext } from '../brands/model.ts';
import type { Series } from './model.ts';
import type { SeriesService } from './service.ts';
import { STRANDED_MS } from './drip.ts';
import { contacts, DAY, HOUR, messagesOf, seriesFor, seriesWith, stepsByContact, tagged } from './test-kit.ts';

/**
 * The drip scheduler against an injected clock moving through weeks of simulated time: due times
 * in each zone, clock jumps, restarts (a new service on the same database) in the middle of a
 * tick, two ticks at once, and edits of a running series.
 */
describe.each(DIALECTS)('drip scheduler on %s', (dialect) => {
  let t: TestApp;
  let auth: AuthContext;
  let service: SeriesService;

  beforeAll(async () => {
    t = await createTestApp(dialect, { TIDINGS_API_RATE_LIMIT: '100000' });
    auth = await authOf(t);
    service = seriesFor(t);
    await t.ctx.brands.updateBrand(t.brandId, { timeZone: 'Europe/Berlin' }, auth.actor);
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(() => {
    // A Monday, before New York's switch to summer time (8 March 2026).
    t.clock.set('2026-03-02T15:00:00.000Z');
  });

  const running = async (offsets: number[], settings: Record<string, unknown> = {}): Promise<Series> => {
    const s = await seriesWith(service, auth, offsets);
    await service.update(auth, s.id, { trigger: { type: 'api' }, ...settings });
    await service.start(auth, s.id, {});
    return service.get(t.brandId, s.id);
  };
  const enrol = async (seriesId: string, contactId: string) => {
    const r = await service.enrol(auth, seriesId, { contactId });
    expect(r.enrolled).toBe(true);
    return r.enrolmentId!;
  };
  const enrolment = (seriesId: string, id: string) => service.enrolment(t.brandId, seriesId, id);
  const advance = (ms: number) => t.clock.advance(ms);

  it('walks eight days hour by hour: each step once, in order, at 09:00 in the contact’s zone (brand zone when unknown)', async () => {
    const s = await running([0, 1, 3, 7]);
    const [ny, tokyo, none] = await contacts(t, [
      { email: 'ny@example.com', timeZone: 'America/New_York' },
      { email: 'tokyo@example.com', timeZone: 'Asia/Tokyo' },
      { email: 'none@example.com' },
    ]);
    for (const c of [ny, tokyo, none]) await enrol(s.id, c);
    const seen = new Map<string, string>();
    for (let hour = 0; hour <= 8 * 24; hour++) {
      await service.drip.runDue();
      for (const m of await messagesOf(t, s.id)) if (!seen.has(m.dedupe_key)) seen.set(m.dedupe_key, t.clock.now().toISOString());
      advance(HOUR);
    }
    const byContact = await stepsByContact(t, s.id);
    for (const c of [ny, tokyo, none]) expect(byContact.get(c)).toEqual(s.steps.map((x) => x.id));
    const rows = await t.ctx.store.db.selectFrom('enrolments').select(['id', 'contact_id', 'status']).where('series_id', '=', s.id).execute();
    const byEnrolment = new Map(rows.map((r) => [r.contact_id, r.id]));
    const handedOff = (contactId: string) => s.steps.map((x) => seen.get(`${byEnrolment.get(contactId)}:${x.id}`));
    expect(rows.every((r) => r.status === 'completed')).toBe(true);
    // Enrolled Monday 15:00 UTC: 10:00 in New York, already Tuesday 00:00 in Tokyo, 16:00 in Berlin.
    expect(handedOff(ny)).toEqual(['2026-03-02T15:00:00.000Z', '2026-03-03T14:00:00.000Z', '2026-03-05T14:00:00.000Z', '2026-03-09T13:00:00.000Z']);
    expect(handedOff(tokyo)).toEqual(['2026-03-02T15:00:00.000Z', '2026-03-04T00:00:00.000Z', '2026-03-06T00:00:00.000Z', '2026-03-10T00:00:00.000Z']);
    expect(handedOff(none)).toEqual(['2026-03-02T15:00:00.000Z', '2026-03-03T08:00:00.000Z', '2026-03-05T08:00:00.000Z', '2026-03-09T08:00:00.000Z']);
    const trail = (await enrolment(s.id, byEnrolment.get(ny)!)).trail.map((e) => e.type);
    expect(trail).toEqual(['enrolled', 'step-queued', 'step-queued', 'step-queued', 'step-queued', 'completed']);
  });

  it("uses the series' zone and send hour for everyone when set", async () => {
    const s = await running([0, 2], { timeZone: 'Asia/Tokyo', sendHour: 18 });
    const [c] = await contacts(t, [{ email: 'zone@example.com', timeZone: 'America/New_York' }]);
    const id = await enrol(s.id, c);
    expect((await enrolment(s.id, id)).nextDueAt).toBe('2026-03-02T15:00:00.000Z');
    await service.drip.runDue();
    expect((await enrolment(s.id, id)).nextDueAt).toBe('2026-03-05T09:00:00.000Z');
    // Changing the send hour of a running series re-times enrolments that wait.
    await service.update(auth, s.id, { sendHour: 7 });
    expect((await enrolment(s.id, id)).nextDueAt).toBe('2026-03-04T22:00:00.000Z');
  });

  it('a clock that jumps a week sends the missed steps one per tick, in order, never two at once', async () => {
    const s = await running([0, 1, 2, 3]);
    const [c] = await contacts(t, [{ email: 'jump@example.com' }]);
    const id = await enrol(s.id, c);
    await service.drip.runDue();
    advance(7 * DAY);
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) {
      await service.drip.runDue();
      await service.drip.runDue(); // the same instant again: nothing more
      counts.push((await messagesOf(t, s.id)).length);
      advance(1000);
    }
    expect(counts).toEqual([2, 3, 4, 4]);
    expect((await stepsByContact(t, s.id)).get(c)).toEqual(s.steps.map((x) => x.id));
    expect(await enrolment(s.id, id)).toMatchObject({ status: 'completed', lastPosition: 3 });
  });

  it('a restart between hand-off and delivery, or in the middle of a delivery, loses nothing and sends nothing twice', async () => {
    const s = await running([0, 1]);
    const { ids } = await tagged(t, 30, `restart-${dialect}-`);
    for (const c of ids) await enrol(s.id, c);

    // A process hands off the 30 due enrolments in batches of 7, delivers one batch and stops.
    const first = seriesFor(t, { drip: { batchSize: 7 } });
    const batches = await first.drip.handOff(s.id, t.clock.now().getTime());
    expect(batches.map((b) => b.size)).toEqual([7, 7, 7, 7, 2]);
    expect((await messagesOf(t, s.id)).length).toBe(0);
    expect(await first.drip.deliver(batches[0])).toMatchObject({ queued: 7 });
    expect((await messagesOf(t, s.id)).length).toBe(7);
    // Its mark moved: a tick at the same instant, in any process, hands off nothing more.
    expect(await seriesFor(t).drip.runDue()).toMatchObject({ handedOff: 0, queued: 0 });

    // Another one dies inside a delivery: its transaction rolls back, outbox rows and all.
    await failUpdatesOf(t, batches[1].through.id);
    const crashing = seriesFor(t);
    await expect(crashing.drip.deliver(batches[1])).rejects.toThrow(/simulated crash/);
    expect((await messagesOf(t, s.id)).length).toBe(7);
    await dropFailure(t);

    // The jobs run again in a new process (a new service on the same database): the batch
    // delivered already does nothing, the others deliver once.
    const second = seriesFor(t);
    const again = [];
    for (const b of batches) again.push((await second.drip.deliver(b)).queued);
    expect(again).toEqual([0, 7, 7, 7, 2]);
    const rows = await messagesOf(t, s.id);
    expect(rows.length).toBe(30);
    expect(new Set(rows.map((m) => m.contact_id)).size).toBe(30);
    advance(DAY);
    await Promise.all([seriesFor(t, { drip: { batchSize: 4 } }).drip.runDue(), seriesFor(t, { drip: { batchSize: 4 } }).drip.runDue()]);
    const all = await messagesOf(t, s.id);
    expect(all.length).toBe(60);
    expect(new Set(all.map((m) => m.dedupe_key)).size).toBe(60);
    for (const steps of (await stepsByContact(t, s.id)).values()) expect(steps).toEqual(s.steps.map((x) => x.id));
    // Carriers count what was handed to them, as a campaign's fan-out does.
    const carriers = await t.ctx.store.db.selectFrom('campaigns').select(['id', 'recipients']).where('series_id', '=', s.id).orderBy('name').execute();
    expect(carriers.map((c) => Number(c.recipients))).toEqual([30, 30]);
  });

  it('the tick only hands off; the job queue delivers the batches', async () => {
    const s = await running([0, 1]);
    const { ids } = await tagged(t, 5, `jobs-${dialect}-`);
    for (const c of ids) await enrol(s.id, c);
    expect(await service.drip.tick()).toMatchObject({ handedOff: 5 });
    expect((await messagesOf(t, s.id)).length).toBe(0);
    await t.ctx.jobs.start();
    try {
      await vi.waitFor(async () => expect((await messagesOf(t, s.id)).length).toBe(5), { timeout: 30_000, interval: 50 });
    } finally {
      await t.ctx.jobs.stop();
    }
    expect(new Set((await messagesOf(t, s.id)).map((m) => m.contact_id))).toEqual(new Set(ids));
  });

  it('an enrolment due at the instant of the last tick, or before it (a clock set back), is still handed off', async () => {
    const s = await running([0, 1]);
    const [a, b] = await contacts(t, [{ email: 'mark-a@example.com' }, { email: 'mark-b@example.com' }]);
    await service.drip.runDue();
    await enrol(s.id, a);
    advance(-HOUR);
    await enrol(s.id, b);
    advance(HOUR + 1);
    await service.drip.runDue();
    expect((await messagesOf(t, s.id)).map((m) => m.contact_id).sort()).toEqual([a, b].sort());
  });

  it('a handed-off batch that is never delivered is handed off again by the sweep', async () => {
    const s = await running([0, 1]);
    const [c] = await contacts(t, [{ email: 'stranded@example.com' }]);
    await enrol(s.id, c);
    // Handed off, and its job lost (as if it failed for good).
    expect(await service.drip.handOff(s.id, t.clock.now().getTime())).toHaveLength(1);
    advance(STRANDED_MS / 2);
    expect(await service.drip.runDue()).toMatchObject({ handedOff: 0 });
    // Once it has been due that long, the sweep (once a minute) clears the mark and the tick hands it off again.
    advance(STRANDED_MS / 2 + 60_000);
    expect(await service.drip.runDue()).toMatchObject({ handedOff: 1, queued: 1 });
    expect((await messagesOf(t, s.id)).map((m) => m.contact_id)).toEqual([c]);
  });

  it('editing a running series: offset change, insert and removal re-time the enrolments that wait', async () => {
    t.clock.set('2026-03-02T10:00:00.000Z');
    const s = await running([0, 2, 4, 6], { timeZone: 'UTC' });
    const [s0, s1, s2, s3] = s.steps;
    const [a, b] = await contacts(t, [{ email: 'edit-a@example.com' }, { email: 'edit-b@example.com' }]);
    const ea = await enrol(s.id, a);
    await service.drip.runDue();
    expect(await enrolment(s.id, ea)).toMatchObject({ nextStepId: s1.id, nextDueAt: '2026-03-04T09:00:00.000Z' });

    // An offset change re-times enrolments whose next step it is.
    await service.setOffset(auth, s.id, s1.id, { offsetDays: 1 });
    expect(await enrolment(s.id, ea)).toMatchObject({ nextStepId: s1.id, nextDueAt: '2026-03-03T09:00:00.000Z' });
    t.clock.set('2026-03-03T09:00:00.000Z');
    await service.drip.runDue();
    const eb = await enrol(s.id, b);
    // Enrolled at the instant of the last tick, B is due just after it: one tick later.
    advance(1000);
    await service.drip.runDue();
    expect(await enrolment(s.id, ea)).toMatchObject({ lastPosition: 1, nextStepId: s2.id });
    expect(await enrolment(s.id, eb)).toMatchObject({ lastPosition: 0, nextStepId: s1.id });

    // Insert at position 1: B has not passed it and gets it next; A has, and does not.
    const inserted = await service.addStep(auth, s.id, { position: 1, role: 'Quick tip', offsetDays: 1 });
    const x = inserted.steps[1];
    expect(await enrolment(s.id, ea)).toMatchObject({ lastPosition: 2, nextStepId: s2.id });
    expect(await enrolment(s.id, eb)).toMatchObject({ lastPosition: 0, nextStepId: x.id, nextDueAt: '2026-03-04T09:00:00.000Z' });

    // Remove the step A waits for: A moves on to the one after it, at that step's own time.
    await service.removeStep(auth, s.id, s2.id);
    expect(await enrolment(s.id, ea)).toMatchObject({ lastPosition: 2, nextStepId: s3.id, nextDueAt: '2026-03-08T09:00:00.000Z' });

    for (let day = 0; day < 8; day++) {
      advance(DAY);
      await service.drip.runDue();
    }
    const byContact = await stepsByContact(t, s.id);
    expect(byContact.get(a)).toEqual([s0.id, s1.id, s3.id]);
    expect(byContact.get(b)).toEqual([s0.id, x.id, s1.id, s3.id]);
    // The removed step's carrier is cancelled, so nothing of it can still go out.
    const removedCarrier = await t.ctx.store.db.selectFrom('campaigns').select('status').where('id', '=', s2.campaignId!).executeTakeFirstOrThrow();
    expect(removedCarrier.status).toBe('cancelled');
  });

  it('reordering a running series follows the new order and never sends a step twice', async () => {
    t.clock.set('2026-03-02T10:00:00.000Z');
    const s = await running([0, 1, 2, 3], { timeZone: 'UTC' });
    const [s0, s1, s2, s3] = s.steps;
    const [a] = await contacts(t, [{ email: 'reorder@example.com' }]);
    const ea = await enrol(s.id, a);
    await service.drip.runDue();
    t.clock.set('2026-03-03T09:00:00.000Z');
    await service.drip.runDue();
    expect((await stepsByContact(t, s.id)).get(a)).toEqual([s0.id, s1.id]);
    // s1 (received last) moves first, s0 (received already) comes right after it.
    await service.reorder(auth, s.id, { stepIds: [s1.id, s0.id, s2.id, s3.id] });
    expect(await enrolment(s.id, ea)).toMatchObject({ lastPosition: 0, nextStepId: s0.id });
    for (let i = 0; i < 5; i++) {
      advance(DAY);
      await service.drip.runDue();
    }
    expect((await stepsByContact(t, s.id)).get(a)).toEqual([s0.id, s1.id, s2.id, s3.id]);
    expect(await enrolment(s.id, ea)).toMatchObject({ status: 'completed' });
  });

  it('pause holds every step; resume sends what was missed one per tick, with the emails’ current versions', async () => {
    const s = await running([0, 1, 2]);
    const [c] = await contacts(t, [{ email: 'pause@example.com' }]);
    await enrol(s.id, c);
    await service.drip.runDue();
    await service.pause(auth, s.id);
    const carriers = () => t.ctx.store.db.selectFrom('campaigns').select(['status', 'email_version']).where('series_id', '=', s.id).orderBy('name').execute();
    expect((await carriers()).every((x) => x.status === 'paused')).toBe(true);
    expect((await service.get(t.brandId, s.id)).steps.map((x) => x.delivery)).toEqual(s.steps.map(() => ({ status: 'paused', reason: 'the series is paused' })));
    advance(5 * DAY);
    await service.drip.runDue();
    expect((await messagesOf(t, s.id)).length).toBe(1);
    expect((await t.api('POST', `/api/v1/series/${s.id}/enrolments`, { contactId: c })).status).toBe(409);

    const email = await t.ctx.emails.get(t.brandId, s.steps[1].emailId!);
    await t.ctx.emails.update(auth, email.id, { subject: `${email.subject} (updated)` });
    await service.resume(auth, s.id, {});
    await service.drip.runDue();
    await service.drip.runDue();
    const rows = await messagesOf(t, s.id);
    expect(rows.length).toBe(2);
    expect(rows[1].email_version).toBe(email.version + 1);
    advance(1000);
    await service.drip.runDue();
    expect((await messagesOf(t, s.id)).length).toBe(3);
  });

  it('a deleted segment switches its trigger off with the reason; the enrolled go on', async () => {
    const { tagId, ids } = await tagged(t, 2, `seg-${dialect}-`);
    const seg = await t.ctx.segments.create(t.brandId, { name: `Tagged ${dialect}`, filter: { op: 'and', rules: [{ field: 'tags', op: 'any', value: [tagId] }] } }, auth.actor);
    const s = await seriesWith(service, auth, [0, 1]);
    await service.update(auth, s.id, { trigger: { type: 'segment', segmentId: seg.id } });
    await service.start(auth, s.id, {});
    await service.drip.runDue();
    expect((await messagesOf(t, s.id)).map((m) => m.contact_id).sort()).toEqual([...ids].sort());
    await t.ctx.segments.delete(t.brandId, seg.id, auth.actor);
    advance(DAY);
    await service.drip.runDue();
    const after = await service.get(t.brandId, s.id);
    expect(after.triggerError).toMatch(new RegExp(`segment ${seg.id} was deleted`));
    expect((await messagesOf(t, s.id)).length).toBe(4);
    // Starting for a deleted segment is refused, naming the field.
    const other = await seriesWith(service, auth, [0]);
    await expect(service.start(auth, other.id, { audience: { segmentIds: [seg.id] } })).rejects.toMatchObject({ details: { issues: [{ field: 'audience.segmentIds.0' }] } });
  });
});

/** Makes every update of one enrolment fail inside its transaction, as a process dying mid-batch would leave it. */
async function failUpdatesOf(t: TestApp, enrolmentId: string): Promise<void> {
  const { db } = t.ctx.store;
  if (t.ctx.store.dialect === 'sqlite') {
    await sql.raw(`create trigger simulated_crash before update on enrolments when old.id = '${enrolmentId}' begin select raise(abort, 'simulated crash'); end`).execute(db);
    return;
  }
  await sql.raw(`create function simulated_crash() returns trigger language plpgsql as $$ begin raise exception 'simulated crash'; end $$`).execute(db);
  await sql.raw(`create trigger simulated_crash before update on enrolments for each row when (old.id = '${enrolmentId}') execute function simulated_crash()`).execute(db);
}

async function dropFailure(t: TestApp): Promise<void> {
  const { db } = t.ctx.store;
  if (t.ctx.store.dialect === 'sqlite') {
    await sql.raw('drop trigger simulated_crash').execute(db);
    return;
  }
  await sql.raw('drop trigger simulated_crash on enrolments').execute(db);
  await sql.raw('drop function simulated_crash()').execute(db);
}
