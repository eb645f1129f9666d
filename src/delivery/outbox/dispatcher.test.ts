import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/helpers/stores.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { vendorServer, type VendorServer } from '../../../test/helpers/vendor-server.ts';
import type { AuthContext } from '../../brands/model.ts';
import { ResendProvider, ResendSettings } from '../providers/resend.ts';
import { authOf, bulkContacts, campaignsFor, createEmail, LINKED_DOCUMENT, markSending, scriptedSink, smtpTo, statusCounts, type ScriptedSink } from '../../campaigns/test-kit.ts';
import type { CampaignsService } from '../../campaigns/service.ts';
import type { DispatcherOptions } from './dispatcher.ts';
import { outboxRepo } from './repo.ts';

describe.each(DIALECTS)('outbox dispatcher on %s', (dialect) => {
  let t: TestApp;
  let sink: ScriptedSink;
  let auth: AuthContext;
  let emailId: string;
  let run = 0;

  beforeAll(async () => {
    t = await createTestApp(dialect, { TIDINGS_API_RATE_LIMIT: '100000', TIDINGS_PUBLIC_URL: 'https://mail.tidings-demo.com' });
    sink = await scriptedSink();
    auth = await authOf(t);
    emailId = await createEmail(t, { document: LINKED_DOCUMENT });
  });
  beforeEach(() => {
    sink.reply = () => null;
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  /** A campaign of `n` fresh contacts, sent and fanned out, with a service sending through the sink. */
  async function sending(n: number, opts: Partial<DispatcherOptions> = {}, service?: CampaignsService) {
    const campaigns = service ?? campaignsFor(t, smtpTo(sink.port), opts);
    const { tagId, ids } = await bulkContacts(t, n, `d${run++}x`);
    const c = await campaigns.create(auth, { name: 'Dispatch', emailId, audience: { tagIds: [tagId] } });
    await markSending(t, c.id);
    expect(await campaigns.fanOut(c.id)).toBe('done');
    return { campaigns, id: c.id, contactIds: ids, emails: ids.map((_, i) => `d${run - 1}x${i}@example.com`) };
  }

  const rows = (campaignId: string) =>
    t.ctx.store.db.selectFrom('messages').select(['id', 'email', 'status', 'attempts', 'due_at', 'error', 'provider_message_id', 'skip_reason']).where('campaign_id', '=', campaignId).orderBy('email').execute();

  it('sends each message once, settles it with the provider id, records it, and finishes with counts that add up', async () => {
    const { campaigns, id, emails, contactIds } = await sending(9, { batchSize: 4 });
    const before = sink.received.length;
    await campaigns.dispatcher.drain();

    const got = sink.received.slice(before);
    expect(got.map((m) => m.to).sort()).toEqual([...emails].sort());
    const sent = await rows(id);
    for (const m of sent) {
      expect(m).toMatchObject({ status: 'sent', attempts: 1, error: null, provider_message_id: `${m.id}@acme.test` });
      const parsed = await simpleParser(got.find((g) => g.to === m.email)!.raw);
      // The outbox id travels as the Message-ID; opens and clicks are tracked through the public URL.
      expect(parsed.messageId).toBe(`<${m.id}@acme.test>`);
      expect(parsed.html).toContain('https://mail.tidings-demo.com/t/o/');
      expect(parsed.html).toContain('https://mail.tidings-demo.com/t/c/');
    }
    const events = await t.ctx.store.db.selectFrom('events').select(['contact_id', 'message_id']).where('campaign_id', '=', id).where('type', '=', 'received').execute();
    expect(events.map((e) => e.contact_id).sort()).toEqual([...contactIds].sort());
    expect(new Set(events.map((e) => e.message_id))).toEqual(new Set(sent.map((m) => m.id)));

    expect(await campaigns.get(t.brandId, id)).toMatchObject({ status: 'sent', recipients: 9, sent: 9, skipped: 0, failed: 0, cancelled: 0 });
    expect(await campaigns.progress(t.brandId, id)).toMatchObject({ status: 'sent', queued: 0, sending: 0, sent: 9, ratePerSec: 0.3, etaSeconds: null });
  });

  it("follows the campaign's tracking options: an open pixel without click tracking", async () => {
    const campaigns = campaignsFor(t, smtpTo(sink.port));
    const { tagId } = await bulkContacts(t, 1, `d${run++}x`);
    const c = await campaigns.create(auth, { name: 'Opens only', emailId, audience: { tagIds: [tagId] }, trackClicks: false });
    await markSending(t, c.id);
    await campaigns.fanOut(c.id);
    const before = sink.received.length;
    await campaigns.dispatcher.drain();
    const { html } = await simpleParser(sink.received.slice(before)[0].raw);
    expect(html).toContain('https://mail.tidings-demo.com/t/o/');
    expect(html).not.toContain('https://mail.tidings-demo.com/t/c/');
  });

  it('retries a temporary SMTP refusal later, with backoff, and then sends it', async () => {
    const { campaigns, id, emails } = await sending(3, { retryBaseMs: 60_000 });
    sink.reply = (to, attempt) => (to === emails[0] && attempt === 1 ? { code: 451, message: '4.3.0 Mailbox busy, try again later' } : null);
    await campaigns.dispatcher.drain();

    const waiting = (await rows(id)).find((m) => m.email === emails[0])!;
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1 });
    expect(waiting.error).toMatch(/^transient 4\.3\.0: .*Mailbox busy/);
    expect(new Date(waiting.due_at).getTime()).toBe(t.clock.now().getTime() + 60_000);
    expect(await campaigns.get(t.brandId, id)).toMatchObject({ status: 'sending', sent: 2 });

    t.clock.advance(60_000);
    await campaigns.dispatcher.drain();
    expect((await rows(id)).find((m) => m.email === emails[0])).toMatchObject({ status: 'sent', attempts: 2, error: null });
    expect(await campaigns.get(t.brandId, id)).toMatchObject({ status: 'sent', sent: 3, failed: 0 });
  });

  describe('through an HTTP provider', () => {
    let vendor: VendorServer;
    let resend: ResendProvider;
    beforeAll(async () => {
      let n = 0;
      vendor = await vendorServer((req) => ({ status: 200, json: { data: req.json().map(() => ({ id: `re_${++n}` })) } }));
      resend = new ResendProvider(ResendSettings.parse({ kind: 'resend', apiKey: 're_test', baseUrl: vendor.baseUrl }), { clock: t.clock });
    });
    afterAll(async () => {
      await resend?.close();
      await vendor?.close();
    });

    it('waits as long as a 429 Retry-After says, shows the campaign as throttled meanwhile, then sends', async () => {
      const { campaigns, id } = await sending(3, {}, campaignsFor(t, resend, {}, 'resend'));
      vendor.script({ status: 429, headers: { 'retry-after': '120' }, json: { statusCode: 429, name: 'rate_limit_exceeded', message: 'Too many requests' } });
      await campaigns.dispatcher.drain();
      for (const m of await rows(id)) {
        expect(m).toMatchObject({ status: 'queued', attempts: 1 });
        expect(new Date(m.due_at).getTime()).toBe(t.clock.now().getTime() + 120_000);
      }
      expect(await campaigns.get(t.brandId, id)).toMatchObject({ status: 'throttled', statusReason: expect.stringMatching(/slow down: rate_limited 429/) });

      t.clock.advance(120_000);
      await campaigns.dispatcher.drain();
      expect((await rows(id)).map((m) => m.provider_message_id)).toEqual([expect.stringMatching(/^re_/), expect.stringMatching(/^re_/), expect.stringMatching(/^re_/)]);
      expect(await campaigns.get(t.brandId, id)).toMatchObject({ status: 'sent', sent: 3, statusReason: null });
    });

    it('pauses on rejected credentials without spending any attempt', async () => {
      const { campaigns, id } = await sending(2, {}, campaignsFor(t, resend, {}, 'resend'));
      vendor.script({ status: 401, json: { statusCode: 401, name: 'validation_error', message: 'API key is invalid' } });
      await campaigns.dispatcher.drain();
      expect(await campaigns.get(t.brandId, id)).toMatchObject({ status: 'paused', statusReason: expect.stringMatching(/refused the account's credentials: auth 401/) });
      for (const m of await rows(id)) expect(m).toMatchObject({ status: 'queued', attempts: 0 });
    });
  });

  it('pauses the campaign after repeated provider failures, keeping every message for later', async () => {
    const { campaigns, id, emails } = await sending(5, { breakerThreshold: 3 });
    const down = new Set(emails);
    sink.reply = (to) => (down.has(to) ? { code: 421, message: '4.7.0 Service not available' } : null);
    await campaigns.dispatcher.drain();
    const c = await campaigns.get(t.brandId, id);
    expect(c).toMatchObject({ status: 'paused', sent: 0, failed: 0 });
    expect(c.statusReason).toMatch(/^the provider failed 3 times in a row; last error: transient/);
    expect(await statusCounts(t, id)).toEqual({ queued: 5 });
    const audit = await t.ctx.brands.listAudit(t.brandId, { limit: 5 });
    expect(audit.find((a) => a.targetId === id && a.action === 'campaign.paused')).toMatchObject({ actor: { type: 'system', id: 'dispatcher' } });
  });

  it('pauses when hard bounces pass the limit once enough messages went out', async () => {
    const { campaigns, id } = await sending(30, { batchSize: 10, healthEveryMs: 0, health: { minSent: 10, hardBounceRate: 0.02, complaintRate: 0.003 } });
    expect(await campaigns.dispatcher.tick()).toBe(10);
    // A provider reported a hard bounce for one of the first ten (what tracking writes on the message).
    const first = (await rows(id)).find((m) => m.status === 'sent')!;
    await t.ctx.store.db.updateTable('messages').set({ bounced_at: t.clock.now().toISOString(), bounce_class: 'hard' }).where('id', '=', first.id).execute();
    expect(await campaigns.dispatcher.tick()).toBe(10);
    expect(await campaigns.get(t.brandId, id)).toMatchObject({ status: 'paused', sent: 20, statusReason: expect.stringMatching(/^hard bounces reached 5\.0 % \(1 of 20 sent\), above the 2\.0 % limit/) });
    expect(await campaigns.dispatcher.tick()).toBe(0);
    expect(await statusCounts(t, id)).toEqual({ sent: 20, queued: 10 });
  });

  it("re-queues the messages of a worker that died once its lease runs out, and fences that worker's late writes", async () => {
    const { campaigns, id } = await sending(5, { maxInFlight: 3, leaseMs: 60_000 });
    // Another worker claims three messages and dies before settling them.
    const now = t.clock.now();
    const lease = new Date(now.getTime() + 60_000).toISOString();
    const dead = await t.ctx.store.db.transaction().execute((trx) => outboxRepo.claim(trx, dialect, { campaignId: id, accountId: 'prv_test', now: now.toISOString(), leaseUntil: lease, limit: 3, maxInFlight: 3 }));
    expect(dead).toHaveLength(3);
    // The account's in-flight cap is taken: nothing more goes out meanwhile.
    expect(await campaigns.dispatcher.tick()).toBe(0);

    t.clock.advance(60_001);
    await campaigns.dispatcher.drain();
    const after = await rows(id);
    expect(after.every((m) => m.status === 'sent')).toBe(true);
    expect(after.filter((m) => m.attempts === 2).map((m) => m.id).sort()).toEqual(dead.map((m) => m.id).sort());
    // The dead worker wakes up and reports its outcomes: the lease it held is gone, nothing is written.
    const late = await outboxRepo.settle(t.ctx.store.db, dialect, lease, t.clock.now().toISOString(), dead.map((m) => ({ id: m.id, status: 'failed' as const, error: 'late' })));
    expect(late).toEqual([]);
    expect(await campaigns.get(t.brandId, id)).toMatchObject({ status: 'sent', sent: 5, failed: 0 });
  });

  it('stops at pause, goes on at resume, and withdraws what is left at cancel', async () => {
    const { campaigns, id } = await sending(9, { batchSize: 3 });
    expect(await campaigns.dispatcher.tick()).toBe(3);
    await campaigns.pause(auth, id);
    expect(await campaigns.dispatcher.tick()).toBe(0);
    await campaigns.resume(auth, id);
    expect(await campaigns.dispatcher.tick()).toBe(3);
    await campaigns.cancel(auth, id);
    expect(await campaigns.dispatcher.tick()).toBe(0);
    expect(await statusCounts(t, id)).toEqual({ sent: 6, cancelled: 3 });
    const c = await campaigns.get(t.brandId, id);
    expect(c).toMatchObject({ status: 'cancelled', recipients: 9, sent: 6, cancelled: 3 });
    expect(c.sent + c.skipped + c.failed + c.cancelled).toBe(c.recipients);
  });

  it("holds the send rate to the account's token bucket and shows the campaign as throttled while it does", async () => {
    const { campaigns, id } = await sending(6, { rateFor: () => 2 });
    expect(await campaigns.dispatcher.tick()).toBe(2);
    expect(await campaigns.dispatcher.tick()).toBe(0);
    expect(await campaigns.get(t.brandId, id)).toMatchObject({ status: 'throttled', statusReason: 'held to 2 calls per second by the provider account\'s rate limit' });
    t.clock.advance(1000);
    expect(await campaigns.dispatcher.tick()).toBe(2);
    t.clock.advance(1000);
    await campaigns.dispatcher.drain();
    t.clock.advance(1000);
    await campaigns.dispatcher.drain();
    expect(await campaigns.get(t.brandId, id)).toMatchObject({ status: 'sent', sent: 6 });
  });

  it('skips at send time a contact who unsubscribed after fan-out, and fails one who was deleted', async () => {
    const { campaigns, id, contactIds } = await sending(3);
    await t.ctx.store.db.updateTable('contacts').set({ status: 'unsubscribed' }).where('id', '=', contactIds[0]).execute();
    expect((await t.api('DELETE', `/api/v1/contacts/${contactIds[1]}`)).status).toBe(204);
    await campaigns.dispatcher.drain();
    const byContact = new Map((await t.ctx.store.db.selectFrom('messages').select(['contact_id', 'status', 'skip_reason', 'error']).where('campaign_id', '=', id).execute()).map((m) => [m.contact_id, m]));
    expect(byContact.get(contactIds[0])).toMatchObject({ status: 'skipped', skip_reason: 'unsubscribed' });
    expect(byContact.get(contactIds[1])).toMatchObject({ status: 'failed', error: 'the contact was deleted before its message went out' });
    expect(byContact.get(contactIds[2])).toMatchObject({ status: 'sent' });
    expect(await campaigns.get(t.brandId, id)).toMatchObject({ status: 'sent', recipients: 3, sent: 1, skipped: 1, failed: 1 });
  });

  it('pauses a campaign whose email was deleted while it was sending', async () => {
    const { campaigns, id } = await sending(2, {}, campaignsFor(t, smtpTo(sink.port)));
    const doomed = await createEmail(t, { name: 'Doomed' });
    await t.ctx.store.db.updateTable('campaigns').set({ email_id: doomed }).where('id', '=', id).execute();
    expect((await t.api('DELETE', `/api/v1/emails/${doomed}`)).status).toBe(204);
    await campaigns.dispatcher.drain();
    expect(await campaigns.get(t.brandId, id)).toMatchObject({ status: 'paused', statusReason: expect.stringMatching(/^cannot be sent as it stands: emailId: /) });
    expect(await statusCounts(t, id)).toEqual({ queued: 2 });
  });
});
