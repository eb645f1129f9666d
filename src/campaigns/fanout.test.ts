import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/stores.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import type { AuthContext } from '../brands/model.ts';
import { authOf, bulkContacts, campaignsFor, createContacts, createEmail, scriptedSink, smtpTo, statusCounts, type ScriptedSink } from './test-kit.ts';
import type { CampaignsService } from './service.ts';

describe.each(DIALECTS)('campaign fan-out on %s', (dialect) => {
  let t: TestApp;
  let sink: ScriptedSink;
  let campaigns: CampaignsService;
  let auth: AuthContext;
  let emailId: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { TIDINGS_API_RATE_LIMIT: '100000', TIDINGS_PUBLIC_URL: 'https://mail.tidings-demo.com' });
    sink = await scriptedSink();
    campaigns = campaignsFor(t, smtpTo(sink.port));
    auth = await authOf(t);
    emailId = await createEmail(t);
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  const messagesOf = (campaignId: string) =>
    t.ctx.store.db.selectFrom('messages').select(['contact_id', 'email', 'status', 'skip_reason', 'due_at', 'dedupe_key']).where('campaign_id', '=', campaignId).orderBy('contact_id').execute();

  async function started(audience: { segmentIds?: string[]; tagIds?: string[] }, extra: Record<string, unknown> = {}): Promise<string> {
    const c = await campaigns.create(auth, { name: 'Fan-out', emailId, audience, ...extra });
    await campaigns.send(auth, c.id);
    return c.id;
  }

  it('gives every skipped contact exactly one reason, the first that applies in the documented order', async () => {
    const tag = (await t.api('POST', '/api/v1/tags', { name: 'Everyone' })).body.id;
    const topic = (await t.api('POST', '/api/v1/topics', { name: 'News', defaultOptIn: true })).body.id;
    const people = [
      { email: 'ok@example.com' },
      { email: 'john.doe@gmail.com' },
      { email: 'JohnDoe+News@gmail.com' }, // the same Gmail mailbox, a later contact
      { email: 'complained@example.com', status: 'complained' },
      { email: 'bounced@example.com', status: 'bounced' },
      { email: 'unsub@example.com', status: 'unsubscribed' },
      { email: 'nonsub@example.com', status: 'non-subscribed' },
      { email: 'invalid@example.com' },
      { email: 'info@example.com' }, // a role address: risky
      { email: 'optout@example.com' },
      { email: 'listed@example.com' }, // on the suppression list for a bounce
      { email: 'everything@example.com', status: 'unsubscribed' }, // also a complaint on the list, also risky
    ];
    const ids = await createContacts(
      t,
      people.map((p) => ({ ...p, tagIds: [tag] })),
    );
    const byEmail = new Map(people.map((p, i) => [p.email.toLowerCase(), ids[i]]));
    // An MX check would set this; the API never writes `invalid` on its own without one.
    await t.ctx.store.db.updateTable('contacts').set({ validation: 'invalid' }).where('id', '=', byEmail.get('invalid@example.com')!).execute();
    await t.ctx.store.db.updateTable('contacts').set({ validation: 'risky' }).where('id', '=', byEmail.get('everything@example.com')!).execute();
    expect((await t.api('PUT', `/api/v1/contacts/${byEmail.get('optout@example.com')}/topics/${topic}`, { optedIn: false })).status).toBe(200);
    expect((await t.api('POST', '/api/v1/suppressions', { email: 'listed@example.com', reason: 'bounce' })).status).toBe(201);
    expect((await t.api('POST', '/api/v1/suppressions', { email: 'everything@example.com', reason: 'complaint' })).status).toBe(201);

    const id = await started({ tagIds: [tag] }, { topicId: topic });
    expect(await campaigns.fanOut(id)).toBe('done');

    const outcome = new Map((await messagesOf(id)).map((m) => [m.email, m.skip_reason ?? m.status]));
    expect(Object.fromEntries(outcome)).toEqual({
      'ok@example.com': 'queued',
      'john.doe@gmail.com': 'queued',
      'johndoe+news@gmail.com': 'duplicate',
      'complained@example.com': 'complained',
      'bounced@example.com': 'bounced',
      'unsub@example.com': 'unsubscribed',
      'nonsub@example.com': 'non-subscribed',
      'invalid@example.com': 'invalid',
      'info@example.com': 'risky',
      'optout@example.com': 'topic-opt-out',
      'listed@example.com': 'bounced',
      'everything@example.com': 'complained',
    });
    expect(await campaigns.get(t.brandId, id)).toMatchObject({ status: 'sending', recipients: 12, skipped: 10, fanoutDone: true });

    // The preview applies the same rules to the audience as it is now, without writing anything.
    const preview = await campaigns.audiencePreview(t.brandId, id);
    expect(preview).toMatchObject({ recipients: 12, sendable: 2, skipped: { duplicate: 1, complained: 2, bounced: 2, unsubscribed: 1, 'non-subscribed': 1, invalid: 1, risky: 1, 'topic-opt-out': 1 } });
    expect(preview.sample.map((s) => s.email)).toEqual(['ok@example.com', 'john.doe@gmail.com']);
  });

  it('takes several segments and tags as one audience, each contact once', async () => {
    const [tagA, tagB] = await Promise.all(['Espresso', 'Filter'].map(async (name) => (await t.api('POST', '/api/v1/tags', { name })).body.id));
    await createContacts(t, [
      { email: 'both@example.com', country: 'DE', tagIds: [tagA, tagB] },
      { email: 'a-only@example.com', tagIds: [tagA] },
      { email: 'b-only@example.com', country: 'DE', tagIds: [tagB] },
      { email: 'german@example.com', country: 'DE' },
    ]);
    const germans = (await t.api('POST', '/api/v1/segments', { name: 'Germany', filter: { op: 'and', rules: [{ field: 'country', op: 'is', value: 'DE' }] } })).body.id;
    const id = await started({ segmentIds: [germans], tagIds: [tagA, tagB] });
    // Batches of 2 make the sources' pages interleave: no contact may be lost or doubled between pages.
    expect(await campaigns.fanOut(id, { batchSize: 2 })).toBe('done');
    expect((await messagesOf(id)).map((m) => m.email).sort()).toEqual(['a-only@example.com', 'b-only@example.com', 'both@example.com', 'german@example.com']);
  });

  it('resumes an interrupted fan-out from its checkpoint, and never writes a recipient twice', async () => {
    const { tagId, ids } = await bulkContacts(t, 25, 'resume');
    const id = await started({ tagIds: [tagId] });
    expect(await campaigns.fanOut(id, { batchSize: 10, maxBatches: 1 })).toBe('partial');
    expect(await campaigns.get(t.brandId, id)).toMatchObject({ recipients: 10, fanoutDone: false });

    // As if the checkpoint had been lost: the same contacts are offered again and are ignored.
    await t.ctx.store.db.updateTable('campaigns').set({ fanout_cursor: null }).where('id', '=', id).execute();
    expect(await campaigns.fanOut(id, { batchSize: 10 })).toBe('done');
    const rows = await messagesOf(id);
    expect(rows.map((r) => r.contact_id)).toEqual([...ids].sort());
    expect(new Set(rows.map((r) => r.dedupe_key)).size).toBe(25);
    expect(await campaigns.get(t.brandId, id)).toMatchObject({ recipients: 25, skipped: 0, fanoutDone: true });
    // Done is done: running the job again changes nothing.
    expect(await campaigns.fanOut(id)).toBe('stopped');
  });

  it("stops when the campaign is cancelled mid fan-out, and its counts still add up", async () => {
    const { tagId } = await bulkContacts(t, 12, 'cancel');
    const id = await started({ tagIds: [tagId] });
    expect(await campaigns.fanOut(id, { batchSize: 5, maxBatches: 1 })).toBe('partial');
    await campaigns.cancel(auth, id);
    expect(await campaigns.fanOut(id, { batchSize: 5 })).toBe('stopped');
    expect(await statusCounts(t, id)).toEqual({ cancelled: 5 });
    expect(await campaigns.get(t.brandId, id)).toMatchObject({ status: 'cancelled', recipients: 5, cancelled: 5 });
  });

  it("makes each message due at the scheduled local time in the contact's own zone", async () => {
    const tag = (await t.api('POST', '/api/v1/tags', { name: 'Zones' })).body.id;
    await createContacts(t, [
      { email: 'berlin@example.com', timeZone: 'Europe/Berlin', tagIds: [tag] },
      { email: 'newyork@example.com', timeZone: 'America/New_York', tagIds: [tag] },
      { email: 'nozone@example.com', tagIds: [tag] },
    ]);
    const c = await campaigns.create(auth, { name: 'Local nine', emailId, audience: { tagIds: [tag] } });
    const day = new Date(t.clock.now().getTime() + 3 * 86_400_000).toISOString().slice(0, 10);
    const scheduled = await campaigns.schedule(auth, c.id, { at: `${day}T09:00`, zone: 'Asia/Tokyo', perRecipientZone: true });
    // The campaign starts when the earliest zone on Earth (UTC+14) reaches 09:00.
    expect(scheduled).toMatchObject({ status: 'scheduled', sendAt: new Date(`${day}T09:00:00+14:00`).toISOString() });

    t.clock.set(scheduled.sendAt!);
    await campaigns.startDue();
    expect(await campaigns.fanOut(c.id)).toBe('done');
    const due = Object.fromEntries((await messagesOf(c.id)).map((m) => [m.email, new Date(m.due_at).toISOString()]));
    expect(due).toEqual({
      'berlin@example.com': new Date(`${day}T09:00:00+01:00`).toISOString(),
      'newyork@example.com': new Date(`${day}T09:00:00-05:00`).toISOString(),
      // Unknown zone: the schedule's zone.
      'nozone@example.com': new Date(`${day}T09:00:00+09:00`).toISOString(),
    });
  });
});
