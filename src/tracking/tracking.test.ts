import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { DIALECTS } from '../../test/helpers/stores.ts';
import { recipientFromContact } from '../emails/render.ts';
import { signLink, signMessage } from './tokens.ts';
import { FIXTURE_LINKS, sentCampaign, type FixtureCampaign, type FixtureMessage } from './testing.ts';
import type { NormalizedEvent } from '../delivery/webhooks/model.ts';
import { fromJson } from '../shared/json.ts';

/** The token with its first character changed: the body no longer matches the MAC. */
const tamper = (token: string) => `${token[0] === 'A' ? 'B' : 'A'}${token.slice(1)}`;

const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';

describe.each(DIALECTS)('tracking (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A request, then the moment its open or click is in the database (embedded mode writes it from the inbox). */
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await t.app.inject({ method: 'GET', url, headers: { 'user-agent': BROWSER, ...headers } });
    await t.ctx.tracking.settled();
    return res;
  };
  const path = (url: string) => new URL(url).pathname;
  const message = async (id: string) => {
    await t.ctx.tracking.settled();
    return t.ctx.store.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  };
  const events = async (messageId: string, type?: string) => {
    await t.ctx.tracking.settled();
    let q = t.ctx.store.db.selectFrom('events').selectAll().where('message_id', '=', messageId);
    if (type) q = q.where('type', '=', type);
    return q.orderBy('occurred_at').execute();
  };

  /** The message as the recipient got it (tracking on): every href, in document order. */
  async function renderedLinks(c: FixtureCampaign, m: FixtureMessage): Promise<string[]> {
    const entry = await t.ctx.emails.compiledVersion(t.brandId, c.emailId, c.version);
    const contact = await t.ctx.audience.getContact(t.brandId, m.contactId);
    const html = entry.prepared.render(recipientFromContact(contact, { messageId: m.id, campaignId: c.campaignId }), { tracking: true, baseUrl: t.ctx.config.publicUrl, secret: t.ctx.secret, brand: entry.brand }).html;
    return [...html.matchAll(/href="([^"]+)"/g)].map((x) => x[1].replace(/&amp;/g, '&'));
  }

  describe('open pixel', () => {
    it('answers a no-cache GIF and records the first open once', async () => {
      const c = await sentCampaign(t.ctx, t.brandId, { contacts: 1 });
      const m = c.messages[0];
      const res = await get(`/t/o/${m.token}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/gif');
      expect(res.headers['cache-control']).toBe('no-store, no-cache, must-revalidate, private');
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.rawPayload.subarray(0, 6).toString()).toBe('GIF89a');
      const first = (await message(m.id)).opened_at;
      expect(first).toBe(t.clock.now().toISOString());

      t.clock.advance(60_000);
      await get(`/t/o/${m.token}`);
      expect((await message(m.id)).opened_at).toBe(first);
      const opens = await events(m.id, 'opened');
      expect(opens.map((e) => [e.machine, e.campaign_id, e.contact_id])).toEqual([
        [0, c.campaignId, m.contactId],
        [0, c.campaignId, m.contactId],
      ]);
    });

    it('answers the GIF for tampered and preview tokens and records nothing', async () => {
      const c = await sentCampaign(t.ctx, t.brandId, { contacts: 1 });
      const m = c.messages[0];
      for (const token of [tamper(m.token), 'garbage', signMessage(t.ctx.secret, { messageId: '', contactId: '', sourceId: '', emailId: c.emailId, version: 1 })]) {
        const res = await get(`/t/o/${token}`);
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('image/gif');
      }
      expect(await events(m.id)).toEqual([]);
      expect((await message(m.id)).opened_at).toBeNull();
    });
  });

  describe('clicks', () => {
    it('redirects a static link to the URL in the email and records the click (and the open it implies)', async () => {
      const c = await sentCampaign(t.ctx, t.brandId, { contacts: 1 });
      const m = c.messages[0];
      const links = await renderedLinks(c, m);
      const blog = links.find((l) => l.includes('/t/c/') && l.endsWith('/1'))!;
      const res = await get(path(blog));
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe(FIXTURE_LINKS[1]);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      const row = await message(m.id);
      expect(row.clicked_at).toBe(t.clock.now().toISOString());
      expect(row.opened_at).toBe(row.clicked_at);
      const [click] = await events(m.id, 'clicked');
      expect(fromJson(click.data, {})).toMatchObject({ link: 1, url: FIXTURE_LINKS[1], userAgent: BROWSER });
    });

    it('redirects a personalised link to the URL signed into its link token', async () => {
      const c = await sentCampaign(t.ctx, t.brandId, { contacts: 1 });
      const m = c.messages[0];
      const personal = (await renderedLinks(c, m)).find((l) => l.includes('/t/l/'))!;
      const res = await get(path(personal));
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe(`https://acme.test/u?e=${encodeURIComponent(m.email)}`);
      expect(await events(m.id, 'clicked')).toHaveLength(1);
    });

    it('never redirects for a tampered token, a token of the other kind, a link out of range or not tracked', async () => {
      const c = await sentCampaign(t.ctx, t.brandId, { contacts: 1 });
      const m = c.messages[0];
      const { compiled } = await t.ctx.emails.compiledVersion(t.brandId, c.emailId, c.version);
      const mailto = compiled.links.findIndex((l) => l.startsWith('mailto:'));
      const personal = compiled.links.findIndex((l) => l.includes('{{ contact.email'));
      const system = compiled.links.findIndex((l) => l.includes('preferences_url'));
      const claims = { messageId: m.id, contactId: m.contactId, sourceId: c.campaignId, emailId: c.emailId, version: c.version };
      const linkToken = signLink(t.ctx.secret, { ...claims, link: 0, url: 'https://evil.test/' });
      const forged = signLink('another-secret', { ...claims, link: 0, url: 'https://evil.test/' });
      const bad = [
        `/t/c/${tamper(m.token)}/0`, // tampered
        `/t/c/${linkToken}/0`, // a link token where a message token belongs
        `/t/l/${m.token}`, // a message token where a link token belongs
        `/t/l/${forged}`, // signed with another key
        `/t/c/${m.token}/${compiled.links.length}`, // out of range
        `/t/c/${m.token}/99999`,
        `/t/c/${m.token}/-1`,
        `/t/c/${m.token}/1x`,
        `/t/c/${m.token}/${mailto}`, // not a web link
        `/t/c/${m.token}/${personal}`, // personalised: only its link token may redirect
        `/t/c/${m.token}/${system}`, // our own page, never tracked
        `/t/c/${signMessage(t.ctx.secret, { ...claims, version: 42 })}/0`, // a version that does not exist
      ];
      for (const url of bad) {
        const res = await get(url);
        expect(res.statusCode, url).toBe(404);
        expect(res.headers.location, url).toBeUndefined();
        expect(res.body, url).toContain('This link is not valid');
      }
      expect(await events(m.id)).toEqual([]);
      // Nothing in the request picks the target: a query string is ignored, the email's URL is used.
      expect((await get(`/t/c/${m.token}/0?url=https://evil.test/`)).headers.location).toBe(FIXTURE_LINKS[0]);
    });

    it('redirects a preview or test-send link but records nothing', async () => {
      const c = await sentCampaign(t.ctx, t.brandId, { contacts: 1 });
      const preview = signMessage(t.ctx.secret, { messageId: '', contactId: '', sourceId: '', emailId: c.emailId, version: c.version });
      const res = await get(`/t/c/${preview}/0`);
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe(FIXTURE_LINKS[0]);
      expect(await t.ctx.store.db.selectFrom('events').select('id').where('campaign_id', '=', c.campaignId).execute()).toEqual([]);
    });
  });

  describe('machine opens and scanner clicks', () => {
    it('records an Apple MPP open as machine without setting opened_at', async () => {
      const c = await sentCampaign(t.ctx, t.brandId, { contacts: 1 });
      const m = c.messages[0];
      await get(`/t/o/${m.token}`, { 'user-agent': 'Mozilla/5.0', 'x-forwarded-for': '17.58.101.7' });
      const [open] = await events(m.id, 'opened');
      expect(open.machine).toBe(1);
      expect((await message(m.id)).opened_at).toBeNull();
      const stats = (await t.api('GET', `/api/v1/campaigns/${c.campaignId}/stats`)).body;
      expect(stats.opens).toEqual({ unique: 0, total: 0, machine: 1 });
    });

    it('records scanner, HEAD, too-fast and burst clicks as machine clicks', async () => {
      const c = await sentCampaign(t.ctx, t.brandId, { contacts: 4 });
      const [scanner, head, fast, burst] = c.messages;
      expect((await get(`/t/c/${scanner.token}/0`, { 'user-agent': 'Mimecast Link Scanner/1.0' })).statusCode).toBe(302);
      expect((await t.app.inject({ method: 'HEAD', url: `/t/c/${head.token}/0`, headers: { 'user-agent': BROWSER } })).statusCode).toBe(302);
      await t.ctx.store.db.updateTable('messages').set({ sent_at: new Date(t.clock.now().getTime() - 500).toISOString() }).where('id', '=', fast.id).execute();
      await get(`/t/c/${fast.token}/0`);
      for (const link of [0, 1, 2]) {
        await get(`/t/c/${burst.token}/${link}`);
        t.clock.advance(200);
      }
      for (const m of [scanner, head, fast, burst]) {
        const clicks = await events(m.id, 'clicked');
        expect(clicks.map((e) => e.machine), m.id).toEqual(clicks.map(() => 1));
        const row = await message(m.id);
        expect([row.clicked_at, row.opened_at], m.id).toEqual([null, null]);
      }
      const links = (await t.api('GET', `/api/v1/campaigns/${c.campaignId}/links`)).body.data;
      expect(links.slice(0, 3).map((l: { index: number; clicks: number; machineClicks: number }) => [l.index, l.clicks, l.machineClicks])).toEqual([
        [0, 0, 4],
        [1, 0, 1],
        [2, 0, 1],
      ]);
      // The burst's first two clicks were human when written: the rollup moved them over too.
      const hourly = (await t.api('GET', `/api/v1/campaigns/${c.campaignId}/timeline`)).body.data;
      const sum = (k: string) => hourly.reduce((n: number, p: Record<string, number>) => n + p[k], 0);
      expect([sum('clicks'), sum('machineClicks')]).toEqual([0, 6]);
      expect((await t.api('GET', `/api/v1/campaigns/${c.campaignId}/stats`)).body.clicks).toEqual({ unique: 0, total: 0, machine: 6 });
    });
  });

  describe('unsubscribe', () => {
    it('shows a confirmation page (escaped, masked address) that changes nothing', async () => {
      const c = await sentCampaign(t.ctx, t.brandId, { contacts: 1 });
      const m = c.messages[0];
      const res = await get(`/u/${m.token}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.body).toContain('<form method="post">');
      expect(res.body).toContain('Acme Coffee');
      expect(res.body).not.toContain(m.email);
      expect(res.body).toContain(`${m.email[0]}•••@example.com`);
      expect((await t.ctx.audience.getContact(t.brandId, m.contactId)).status).toBe('subscribed');
    });

    it('takes an RFC 8058 one-click POST without cookies at once, and again idempotently', async () => {
      const c = await sentCampaign(t.ctx, t.brandId, { contacts: 1 });
      const m = c.messages[0];
      const post = () => t.app.inject({ method: 'POST', url: `/u/${m.token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
      const res = await post();
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('You are unsubscribed');
      const contact = await t.ctx.audience.getContact(t.brandId, m.contactId);
      expect(contact.status).toBe('unsubscribed');
      expect(contact.suppression).toMatchObject({ email: m.email, reason: 'unsubscribe' });
      const first = (await message(m.id)).unsubscribed_at;
      expect(first).toBe(t.clock.now().toISOString());

      t.clock.advance(1000);
      expect((await post()).statusCode).toBe(200);
      // multipart/form-data, as RFC 8058 prefers, works the same
      const multipart = await t.app.inject({
        method: 'POST',
        url: `/u/${m.token}`,
        headers: { 'content-type': 'multipart/form-data; boundary=X' },
        payload: '--X\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--X--\r\n',
      });
      expect(multipart.statusCode).toBe(200);
      expect((await message(m.id)).unsubscribed_at).toBe(first);
      expect(await events(m.id, 'unsubscribed')).toHaveLength(1);
      expect((await t.ctx.audience.listSuppressions(t.brandId, { search: m.email })).data).toHaveLength(1);
      const stats = (await t.api('GET', `/api/v1/campaigns/${c.campaignId}/stats`)).body;
      expect(stats.unsubscribes).toBe(1);
    });

    it('answers a tampered token with 404 and changes nothing', async () => {
      const c = await sentCampaign(t.ctx, t.brandId, { contacts: 1 });
      const m = c.messages[0];
      const res = await t.app.inject({ method: 'POST', url: `/u/${tamper(m.token)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
      expect(res.statusCode).toBe(404);
      expect((await get(`/u/${tamper(m.token)}`)).statusCode).toBe(404);
      expect((await get(`/p/${tamper(m.token)}`)).statusCode).toBe(404);
      expect((await t.ctx.audience.getContact(t.brandId, m.contactId)).status).toBe('subscribed');
      expect(await events(m.id)).toEqual([]);
    });
  });

  describe('gone rows', () => {
    it('an erased contact’s pixel still loads and records nothing; the unsubscribe link of a deleted campaign still works', async () => {
      const c = await sentCampaign(t.ctx, t.brandId, { contacts: 2 });
      const [erased, kept] = c.messages;
      await t.ctx.audience.eraseContact(t.brandId, erased.contactId, { type: 'system', id: 'test' });
      expect((await get(`/t/o/${erased.token}`)).headers['content-type']).toBe('image/gif');
      expect(await events(erased.id)).toEqual([]);

      await t.ctx.store.db.deleteFrom('campaigns').where('id', '=', c.campaignId).execute();
      const res = await t.app.inject({ method: 'POST', url: `/u/${kept.token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
      expect(res.statusCode).toBe(200);
      const contact = await t.ctx.audience.getContact(t.brandId, kept.contactId);
      expect(contact.status).toBe('unsubscribed');
      expect(contact.suppression).toMatchObject({ reason: 'unsubscribe' });
    });
  });

  describe('preferences', () => {
    it('lists the public topics with the contact’s choices, saves changes, and unsubscribes from all', async () => {
      const c = await sentCampaign(t.ctx, t.brandId, { contacts: 1 });
      const m = c.messages[0];
      const news = await t.ctx.audience.createTopic(t.brandId, { name: 'News <weekly>', description: 'Once a week' });
      const offers = await t.ctx.audience.createTopic(t.brandId, { name: 'Offers', defaultOptIn: false });
      await t.ctx.audience.createTopic(t.brandId, { name: 'Internal only', isPublic: false });
      (t.ctx.tracking as unknown as { publicTopics: Map<string, unknown> }).publicTopics.clear();

      const page = await get(`/p/${m.token}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('News &lt;weekly&gt;');
      expect(page.body).not.toContain('Internal only');
      expect(page.body).toContain(`value="${news.id}" checked`);
      expect(page.body).toContain(`value="${offers.id}">`);

      const save = await t.app.inject({ method: 'POST', url: `/p/${m.token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `topic=${offers.id}&action=save` });
      expect(save.statusCode).toBe(200);
      expect(save.body).toContain('Your choices are saved');
      const topics = (await t.ctx.audience.getContact(t.brandId, m.contactId)).topics;
      expect(topics.find((x) => x.id === news.id)?.optedIn).toBe(false);
      expect(topics.find((x) => x.id === offers.id)?.optedIn).toBe(true);

      const all = await t.app.inject({ method: 'POST', url: `/p/${m.token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'action=unsubscribe' });
      expect(all.body).toContain('You are unsubscribed from all emails');
      expect((await t.ctx.audience.getContact(t.brandId, m.contactId)).status).toBe('unsubscribed');
      expect(await events(m.id, 'unsubscribed')).toHaveLength(1);
    });
  });

  describe('view in browser', () => {
    it('renders the email for this contact in a sandbox', async () => {
      const c = await sentCampaign(t.ctx, t.brandId, { contacts: 1 });
      const m = c.messages[0];
      const res = await get(`/v/${m.token}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-security-policy']).toBe("sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'");
      expect(res.body).toContain('Hello Reader0');
      expect(res.body).not.toContain('/t/o/');
      expect((await get(`/v/${tamper(m.token)}`)).statusCode).toBe(404);
    });
  });

  describe('provider events', () => {
    const event = (m: FixtureMessage, over: Partial<NormalizedEvent>): NormalizedEvent => ({
      dedupeKey: `k-${Math.random()}`,
      provider: 'sendgrid',
      type: 'delivered',
      providerEventType: 'x',
      recipient: m.email,
      occurredAt: t.clock.now(),
      messageRef: m.id,
      raw: {},
      ...over,
    });

    it('records delivery, maps a late "sent" once, and a hard bounce suppresses at once', async () => {
      const c = await sentCampaign(t.ctx, t.brandId, { contacts: 2 });
      const [a, b] = c.messages;
      await t.ctx.tracking.recordSent([{ id: a.id, brandId: t.brandId, contactId: a.contactId, campaignId: c.campaignId, sentAt: t.clock.now().toISOString(), provider: 'capture' }]);
      await t.ctx.tracking.recordProviderEvent(t.brandId, event(a, { type: 'sent' }));
      await t.ctx.tracking.recordProviderEvent(t.brandId, event(b, { type: 'sent', messageRef: undefined, providerMessageId: 'nope' }));
      await t.ctx.tracking.recordProviderEvent(t.brandId, event(a, { type: 'delivered' }));
      await t.ctx.tracking.recordProviderEvent(t.brandId, event(a, { type: 'delivered' }));
      expect(await events(a.id, 'received')).toHaveLength(1);
      expect(await events(a.id, 'delivered')).toHaveLength(1);
      expect((await message(a.id)).delivered_at).toBe(t.clock.now().toISOString());

      await t.ctx.store.db.updateTable('messages').set({ provider_message_id: 'sg-123' }).where('id', '=', b.id).execute();
      await t.ctx.tracking.recordProviderEvent(t.brandId, event(b, { type: 'bounced', messageRef: undefined, providerMessageId: 'sg-123', bounce: { class: 'hard', reason: 'user-unknown', code: '5.1.1', diagnostic: '550 5.1.1 no such user' } }));
      const bounced = await t.ctx.audience.getContact(t.brandId, b.contactId);
      expect(bounced.status).toBe('bounced');
      expect(bounced.suppression).toMatchObject({ reason: 'bounce' });
      expect(await message(b.id)).toMatchObject({ bounce_class: 'hard', bounced_at: t.clock.now().toISOString() });
      expect(await events(b.id, 'bounced')).toHaveLength(1);
    });

    it('a soft bounce does not suppress; a complaint does, and outranks the bounce', async () => {
      const c = await sentCampaign(t.ctx, t.brandId, { contacts: 1 });
      const m = c.messages[0];
      await t.ctx.tracking.recordProviderEvent(t.brandId, event(m, { type: 'bounced', bounce: { class: 'soft', reason: 'mailbox-full' } }));
      expect((await t.ctx.audience.getContact(t.brandId, m.contactId)).suppression).toBeNull();
      await t.ctx.tracking.recordProviderEvent(t.brandId, event(m, { type: 'complained', detail: 'abuse' }));
      const contact = await t.ctx.audience.getContact(t.brandId, m.contactId);
      expect(contact.status).toBe('complained');
      expect(contact.suppression).toMatchObject({ reason: 'complaint' });
      expect(await message(m.id)).toMatchObject({ bounce_class: 'soft' });
      expect((await message(m.id)).complained_at).not.toBeNull();
    });

    it('provider opens and clicks go through the same classification; a provider click has no link index', async () => {
      const c = await sentCampaign(t.ctx, t.brandId, { contacts: 1 });
      const m = c.messages[0];
      await t.ctx.tracking.recordProviderEvent(t.brandId, event(m, { type: 'opened', machineOpen: true, userAgent: BROWSER }));
      expect((await message(m.id)).opened_at).toBeNull();
      await t.ctx.tracking.recordProviderEvent(t.brandId, event(m, { type: 'clicked', click: { url: 'https://acme.test/recipes' }, userAgent: BROWSER }));
      expect((await events(m.id)).map((e) => [e.type, e.machine, fromJson<{ url?: string; link?: number }>(e.data, {})])).toEqual([
        ['opened', 1, expect.objectContaining({ provider: 'sendgrid', machineReason: 'provider' })],
        ['clicked', 0, expect.not.objectContaining({ link: expect.anything() })],
      ]);
      expect((await message(m.id)).clicked_at).not.toBeNull();
      const links = (await t.api('GET', `/api/v1/campaigns/${c.campaignId}/links`)).body.data;
      expect(links.every((l: { clicks: number }) => l.clicks === 0)).toBe(true);
    });

    it('a hard bounce for an unknown message still suppresses the address', async () => {
      await t.ctx.tracking.recordProviderEvent(t.brandId, { dedupeKey: 'x', provider: 'ses', type: 'bounced', providerEventType: 'Bounce', recipient: 'stranger@example.com', occurredAt: t.clock.now(), providerMessageId: 'ses-unknown', bounce: { class: 'hard', reason: 'user-unknown' }, raw: {} });
      expect(await t.ctx.audience.isSuppressed(t.brandId, ['stranger@example.com'])).toEqual(new Set(['stranger@example.com']));
    });
  });

  describe('results', () => {
    it('stats, timeline, links, recipients and trail add up', async () => {
      const c = await sentCampaign(t.ctx, t.brandId, { contacts: 5, prefix: 'results' });
      const [a, b, d, e, f] = c.messages;
      await t.ctx.tracking.recordSent(c.messages.map((m) => ({ id: m.id, brandId: t.brandId, contactId: m.contactId, campaignId: c.campaignId, sentAt: t.clock.now().toISOString() })));
      await get(`/t/o/${a.token}`);
      await get(`/t/o/${a.token}`);
      await get(`/t/o/${b.token}`);
      await get(`/t/o/${d.token}`, { 'user-agent': 'Mozilla/5.0', 'x-forwarded-for': '17.0.0.1' }); // machine
      t.clock.advance(3_600_000);
      await get(`/t/c/${a.token}/0`);
      await get(`/t/c/${a.token}/0`);
      await get(`/t/c/${e.token}/2`); // a click without a pixel open: counts as an open too
      await t.app.inject({ method: 'POST', url: `/u/${b.token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
      const provider = (m: FixtureMessage, type: NormalizedEvent['type'], extra: Partial<NormalizedEvent> = {}) =>
        t.ctx.tracking.recordProviderEvent(t.brandId, { dedupeKey: `${m.id}${type}`, provider: 'postmark', type, providerEventType: type, recipient: m.email, occurredAt: t.clock.now(), messageRef: m.id, raw: {}, ...extra });
      for (const m of [a, b, d, e]) await provider(m, 'delivered');
      await provider(f, 'bounced', { bounce: { class: 'hard', reason: 'user-unknown' } });
      await provider(d, 'complained');

      const stats = (await t.api('GET', `/api/v1/campaigns/${c.campaignId}/stats`)).body;
      expect(stats).toEqual({
        sent: 5,
        delivered: 4,
        opens: { unique: 3, total: 3, machine: 1 },
        clicks: { unique: 2, total: 3, machine: 0 },
        unsubscribes: 1,
        bounces: { hard: 1, soft: 0, undetermined: 0 },
        complaints: 1,
        rates: { delivery: 0.8, open: 0.75, click: 0.5, unsubscribe: 0.25, bounce: 0.2, complaint: 0.25 },
      });

      const hourly = (await t.api('GET', `/api/v1/campaigns/${c.campaignId}/timeline?bucket=hour`)).body.data;
      const sum = (k: string) => hourly.reduce((n: number, p: Record<string, number>) => n + p[k], 0);
      expect([sum('sent'), sum('opens'), sum('machineOpens'), sum('clicks'), sum('unsubscribes'), sum('bounces'), sum('complaints'), sum('delivered')]).toEqual([5, 3, 1, 3, 1, 1, 1, 4]);
      expect(hourly).toHaveLength(2);
      expect(hourly[0].at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00\.000Z$/);
      const daily = (await t.api('GET', `/api/v1/campaigns/${c.campaignId}/timeline?bucket=day`)).body.data;
      expect(daily.reduce((n: number, p: { opens: number }) => n + p.opens, 0)).toBe(3);
      expect((await t.api('GET', `/api/v1/campaigns/${c.campaignId}/timeline?bucket=week`)).status).toBe(400);

      const links = (await t.api('GET', `/api/v1/campaigns/${c.campaignId}/links`)).body.data;
      expect(links.map((l: { index: number; url: string; clicks: number; uniqueClicks: number }) => [l.index, l.url, l.clicks, l.uniqueClicks])).toEqual([
        [0, FIXTURE_LINKS[0], 2, 1],
        [1, FIXTURE_LINKS[1], 0, 0],
        [2, FIXTURE_LINKS[2], 1, 1],
        [3, 'https://acme.test/u?e={{ contact.email | url_encode }}', 0, 0],
      ]);

      const page1 = (await t.api('GET', `/api/v1/campaigns/${c.campaignId}/recipients?status=sent&limit=3`)).body;
      expect(page1.data).toHaveLength(3);
      const page2 = (await t.api('GET', `/api/v1/campaigns/${c.campaignId}/recipients?status=sent&limit=3&cursor=${page1.nextCursor}`)).body;
      expect([...page1.data, ...page2.data].map((r: { messageId: string }) => r.messageId)).toEqual(c.messages.map((m) => m.id).sort());
      expect(page2.nextCursor).toBeNull();
      const found = (await t.api('GET', `/api/v1/campaigns/${c.campaignId}/recipients?search=${encodeURIComponent(e.email)}`)).body.data;
      expect(found).toEqual([expect.objectContaining({ messageId: e.id, email: e.email, status: 'sent', clickedAt: expect.any(String), openedAt: expect.any(String) })]);
      expect((await t.api('GET', `/api/v1/campaigns/${c.campaignId}/recipients?status=skipped`)).body.data).toEqual([]);

      const trail = (await t.api('GET', `/api/v1/messages/${a.id}/trail`)).body.data;
      expect(trail.map((x: { type: string }) => x.type)).toEqual(['queued', 'received', 'opened', 'opened', 'clicked', 'clicked', 'delivered']);
      expect((await t.api('GET', `/api/v1/messages/msg_nope/trail`)).status).toBe(404);
      expect((await t.api('GET', `/api/v1/campaigns/cmp_nope/stats`)).status).toBe(404);
    });

    it('lists skipped recipients with their reason', async () => {
      const c = await sentCampaign(t.ctx, t.brandId, { contacts: 2, messageStatus: 'skipped' });
      const skipped = (await t.api('GET', `/api/v1/campaigns/${c.campaignId}/recipients?status=skipped`)).body.data;
      expect(skipped.map((r: { skipReason: string }) => r.skipReason)).toEqual(['non-subscribed', 'non-subscribed']);
      const trail = (await t.api('GET', `/api/v1/messages/${c.messages[0].id}/trail`)).body.data;
      expect(trail).toEqual([{ type: 'skipped', at: expect.any(String), data: { reason: 'non-subscribed' }, machine: false }]);
    });

    it('an open feeds the segment engagement condition', async () => {
      const c = await sentCampaign(t.ctx, t.brandId, { contacts: 2, prefix: 'segment' });
      const filter = { op: 'and', rules: [{ field: 'engagement', event: 'opened', campaignId: c.campaignId }] };
      expect(await t.ctx.segments.count(t.brandId, filter)).toBe(0);
      await get(`/t/o/${c.messages[1].token}`);
      expect(await t.ctx.segments.count(t.brandId, filter)).toBe(1);
      const received = { op: 'and', rules: [{ field: 'engagement', event: 'received', campaignId: c.campaignId }] };
      await t.ctx.tracking.recordSent(c.messages.map((m) => ({ id: m.id, brandId: t.brandId, contactId: m.contactId, campaignId: c.campaignId, sentAt: t.clock.now().toISOString() })));
      expect(await t.ctx.segments.count(t.brandId, received)).toBe(2);
    });
  });
});
