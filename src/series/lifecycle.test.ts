import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/stores.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { authOf, campaignsFor, scriptedSink, smtpTo, type ScriptedSink } from '../campaigns/test-kit.ts';
import type { CampaignsService } from '../campaigns/service.ts';
import type { AuthContext } from '../brands/model.ts';
import { newId } from '../shared/ids.ts';
import { signMessage } from '../tracking/tokens.ts';
import type { Series } from './model.ts';
import type { SeriesService } from './service.ts';
import { contacts, DAY, messagesOf, seriesFor, seriesWith, stepsByContact, tagged } from './test-kit.ts';

/**
 * A series from start to results with real delivery (SMTP into a scripted sink on loopback) and
 * real tracking: the trail of an enrolment, exits (opt-out, goal, removal, archive), the
 * automatic triggers with their re-entry rules, and the results per step.
 */
describe.each(DIALECTS)('series lifecycle on %s', (dialect) => {
  let t: TestApp;
  let auth: AuthContext;
  let service: SeriesService;
  let sink: ScriptedSink;
  let delivery: CampaignsService;

  beforeAll(async () => {
    sink = await scriptedSink();
    t = await createTestApp(dialect, { TIDINGS_API_RATE_LIMIT: '100000', TIDINGS_PUBLIC_URL: 'https://mail.tidings-demo.com' });
    auth = await authOf(t);
    // The sweep for exits is left to each test: some check what the hand-off itself catches.
    service = seriesFor(t, { drip: { sweepMs: 365 * DAY } });
    delivery = campaignsFor(t, smtpTo(sink.port));
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });
  beforeEach(() => {
    t.clock.set('2026-04-06T08:00:00.000Z');
  });

  const running = async (offsets: number[], settings: Record<string, unknown> = {}, audience?: { tagIds: string[] }): Promise<Series> => {
    const s = await seriesWith(service, auth, offsets);
    await service.update(auth, s.id, { trigger: { type: 'api' }, timeZone: 'UTC', ...settings });
    await service.start(auth, s.id, audience ? { audience } : {});
    return service.get(t.brandId, s.id);
  };
  /** The tick hands off, then the dispatcher sends (a minute later, as the loops would). */
  const tickAndSend = async () => {
    await service.drip.runDue();
    await delivery.dispatcher.drain();
  };
  const tokenOf = async (seriesId: string, contactId: string, position: number) => {
    const m = (await messagesOf(t, seriesId)).find((x) => x.contact_id === contactId && x.step === position)!;
    const carrier = await t.ctx.store.db.selectFrom('campaigns').select(['email_id', 'email_version']).where('id', '=', m.campaign_id!).executeTakeFirstOrThrow();
    return signMessage(t.ctx.secret, { messageId: m.id, contactId, sourceId: m.campaign_id!, emailId: carrier.email_id!, version: carrier.email_version! });
  };

  it('starts for an audience once, delivers through the campaign outbox, and keeps a trail of each enrolment', async () => {
    const { tagId, ids } = await tagged(t, 3, `trail-${dialect}-`);
    const s = await running([0, 2, 4], {}, { tagIds: [tagId] });
    expect(s.counts).toEqual({ enrolled: 3, active: 3, completed: 0, exited: 0 });
    await tickAndSend();
    expect(sink.received.filter((r) => r.to.startsWith(`trail-${dialect}-`)).length).toBe(3);

    // Ann opens the first email; Bob's consent is withdrawn (skipped, not out); Cy unsubscribes.
    const [ann, bob, cy] = ids;
    t.clock.advance(60 * 60_000);
    const open = await t.app.inject({ method: 'GET', url: `/t/o/${await tokenOf(s.id, ann, 0)}`, headers: { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0) Thunderbird/128.0' } });
    expect(open.statusCode).toBe(200);
    await t.ctx.tracking.settled(); // embedded mode writes the open from the tracking inbox moments later
    await t.ctx.audience.updateContact(t.brandId, bob, { status: 'non-subscribed' }, auth.actor);
    const unsubscribe = await t.app.inject({ method: 'POST', url: `/u/${await tokenOf(s.id, cy, 0)}`, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(unsubscribe.statusCode).toBe(200);

    t.clock.set('2026-04-08T09:00:00.000Z');
    await tickAndSend();
    const enrolments = (await service.enrolments(t.brandId, s.id, {})).data;
    const of = (c: string) => enrolments.find((e) => e.contactId === c)!;
    expect(of(ann)).toMatchObject({ status: 'active', lastPosition: 1 });
    expect(of(bob)).toMatchObject({ status: 'active', lastPosition: 1 });
    expect(of(cy)).toMatchObject({ status: 'exited', exitReason: 'unsubscribed', lastPosition: 1 });

    const trail = async (c: string) => (await service.enrolment(t.brandId, s.id, of(c).id)).trail.map((e) => [e.type, e.position, e.detail.reason ?? null]);
    expect(await trail(ann)).toEqual([
      ['enrolled', null, null],
      ['step-queued', 0, null],
      ['sent', 0, null],
      ['opened', 0, null],
      ['step-queued', 1, null],
      ['sent', 1, null],
    ]);
    expect(await trail(bob)).toEqual([
      ['enrolled', null, null],
      ['step-queued', 0, null],
      ['sent', 0, null],
      ['step-skipped', 1, 'non-subscribed'],
    ]);
    expect(await trail(cy)).toEqual([
      ['enrolled', null, null],
      ['step-queued', 0, null],
      ['sent', 0, null],
      ['unsubscribed', 0, null],
      ['step-skipped', 1, 'unsubscribed'],
      ['exited', 1, 'unsubscribed'],
    ]);

    // Bob is subscribed again by the last step: consent is checked before every step.
    await t.ctx.audience.updateContact(t.brandId, bob, { status: 'subscribed' }, auth.actor);
    t.clock.set('2026-04-10T09:00:00.000Z');
    await tickAndSend();
    expect((await stepsByContact(t, s.id)).get(bob)).toEqual(s.steps.map((x) => x.id));
    expect((await service.enrolments(t.brandId, s.id, { status: 'completed' })).data.map((e) => e.contactId).sort()).toEqual([ann, bob].sort());

    const stats = await service.stats(t.brandId, s.id);
    expect(stats).toMatchObject({ enrolled: 3, active: 0, completed: 2, exited: { unsubscribed: 1 } });
    expect(stats.steps.map((x) => [x.sent, x.skipped, x.opens, x.unsubscribes])).toEqual([
      [3, 0, 1, 1],
      [1, 2, 0, 0],
      [2, 0, 0, 0],
    ]);
    // Of the three who reached step 2, Cy left before step 3.
    expect(stats.steps.map((x) => x.dropOff)).toEqual([0, 0.3333, 0]);
    const api = await t.api('GET', `/api/v1/series/${s.id}/stats`);
    expect(api.body).toEqual(JSON.parse(JSON.stringify(stats)));
  });

  it('exits on the goal: a goal tag (by the sweep) or a goal event recorded after enrolment (before the next step)', async () => {
    const [goalTag] = await t.ctx.audience.tagIdsForNames(t.brandId, [`bought-${dialect}`], { create: true });
    const s = await running([0, 1, 2], { exit: { tagId: goalTag, event: 'order_placed' } });
    const [tagged1, evented, neither] = await contacts(t, [{ email: `goal-tag-${dialect}@example.com` }, { email: `goal-event-${dialect}@example.com` }, { email: `goal-none-${dialect}@example.com` }]);
    for (const c of [tagged1, evented, neither]) await service.enrol(auth, s.id, { contactId: c });
    // An order before enrolling does not count.
    await recordEvent(t, evented, 'order_placed', new Date(t.clock.now().getTime() - DAY).toISOString());
    await tickAndSend();
    await tag(t, 'tag', tagged1, goalTag);
    await service.drip.sweep((await t.ctx.store.db.selectFrom('series').selectAll().where('id', '=', s.id).executeTakeFirstOrThrow()));
    t.clock.advance(60_000);
    await recordEvent(t, evented, 'order_placed', t.clock.now().toISOString());
    t.clock.set('2026-04-07T09:00:00.000Z');
    await tickAndSend();
    const list = (await service.enrolments(t.brandId, s.id, {})).data;
    const of = (c: string) => list.find((e) => e.contactId === c)!;
    expect(of(tagged1)).toMatchObject({ status: 'exited', exitReason: 'goal', lastPosition: 0 });
    expect(of(evented)).toMatchObject({ status: 'exited', exitReason: 'goal', lastPosition: 0 });
    expect(of(neither)).toMatchObject({ status: 'active', lastPosition: 1 });
    expect((await service.stats(t.brandId, s.id)).exited).toEqual({ goal: 2 });
  });

  it('tag and event triggers enrol who arrives after the start; re-entry never or after the previous enrolment ended', async () => {
    const [trigger] = await t.ctx.audience.tagIdsForNames(t.brandId, [`vip-${dialect}`], { create: true });
    const [before] = await contacts(t, [{ email: `before-${dialect}@example.com`, tagIds: [trigger] }]);
    t.clock.advance(60_000);
    const byTag = await running([0, 1], { trigger: { type: 'tag', tagId: trigger }, reentry: 'after-exit' });
    const byEvent = await running([0], { trigger: { type: 'event', name: 'signed_up' } });
    t.clock.advance(60_000);
    const [after, signer] = await contacts(t, [{ email: `after-${dialect}@example.com`, tagIds: [trigger] }, { email: `signer-${dialect}@example.com` }]);
    await recordEvent(t, signer, 'signed_up', t.clock.now().toISOString());
    const sweep = async () => {
      for (const id of [byTag.id, byEvent.id]) await service.drip.sweep((await t.ctx.store.db.selectFrom('series').selectAll().where('id', '=', id).executeTakeFirstOrThrow()));
    };
    await sweep();
    await sweep(); // the same arrivals again: nobody twice
    const enrolled = async (id: string) => (await service.enrolments(t.brandId, id, {})).data.map((e) => [e.contactId, e.status, e.source]);
    expect(await enrolled(byTag.id)).toEqual([[after, 'active', 'tag']]);
    expect(await enrolled(byEvent.id)).toEqual([[signer, 'active', 'event']]);
    expect((await enrolled(byTag.id)).map((e) => e[0])).not.toContain(before);

    // The event series (re-entry never) completes and never takes the contact again, whatever the API says.
    await service.drip.runDue();
    expect(await service.enrol(auth, byEvent.id, { contactId: signer })).toEqual({ enrolled: false, reason: 'no-reentry' });
    await recordEvent(t, signer, 'signed_up', t.clock.now().toISOString());
    await sweep();
    expect((await enrolled(byEvent.id)).length).toBe(1);

    // The tag series (re-entry after exit): removed, then tagged again, enrols again.
    const first = (await service.enrolments(t.brandId, byTag.id, {})).data[0];
    await service.removeEnrolment(auth, byTag.id, first.id);
    await tag(t, 'untag', after, trigger);
    t.clock.advance(60_000);
    await tag(t, 'tag', after, trigger);
    await sweep();
    expect((await enrolled(byTag.id)).sort()).toEqual(
      [
        [after, 'active', 'tag'],
        [after, 'exited', 'tag'],
      ].sort(),
    );
  });

  it('archive ends every enrolment and cancels the carriers; the emails stay', async () => {
    const { tagId } = await tagged(t, 2, `archive-${dialect}-`);
    const s = await running([0, 3], {}, { tagIds: [tagId] });
    await service.drip.runDue();
    const archived = await service.archive(auth, s.id);
    expect(archived).toMatchObject({ status: 'archived', counts: { enrolled: 2, active: 0, exited: 2 } });
    expect((await service.stats(t.brandId, s.id)).exited).toEqual({ archived: 2 });
    const carriers = await t.ctx.store.db.selectFrom('campaigns').select('status').where('series_id', '=', s.id).execute();
    expect(carriers.map((c) => c.status)).toEqual(['cancelled', 'cancelled']);
    // What was queued and not sent yet is withdrawn.
    expect((await messagesOf(t, s.id)).map((m) => m.status)).toEqual(['cancelled', 'cancelled']);
    expect((await t.ctx.emails.get(t.brandId, s.steps[0].emailId!)).id).toBe(s.steps[0].emailId);
    await expect(service.addStep(auth, s.id, { position: 0, role: 'Late' })).rejects.toMatchObject({ code: 'conflict' });
  });
});

/** Tags or untags one contact (the bulk action: it adds or removes one tag, the others stay). */
async function tag(t: TestApp, action: 'tag' | 'untag', contactId: string, tagId: string): Promise<void> {
  await t.ctx.audience.bulk(t.brandId, { action, ids: [contactId], tagIds: [tagId] }, { type: 'system', id: 'series-test' });
}

/** An event of the contact's timeline, as an integration or an import would record it. */
async function recordEvent(t: TestApp, contactId: string, type: string, at: string): Promise<void> {
  await t.ctx.store.db.insertInto('events').values({ id: newId('evt'), brand_id: t.brandId, contact_id: contactId, type, campaign_id: null, series_id: null, occurred_at: at, data: '{}' }).execute();
}
