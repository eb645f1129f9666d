import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/stores.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { smtpSink, type SmtpSink } from '../../test/helpers/smtp-sink.ts';
import { SCOPES } from '../brands/model.ts';
import { authOf, campaignsFor, createContacts, createEmail, smtpTo } from './test-kit.ts';

const C = '/api/v1/campaigns';
const fields = (body: any) => (body.error?.details?.issues ?? []).map((i: { field: string }) => i.field);

describe.each(DIALECTS)('campaign lifecycle API on %s', (dialect) => {
  let t: TestApp;
  let sink: SmtpSink;
  let emailId: string;
  let tagId: string;

  beforeAll(async () => {
    sink = await smtpSink();
    t = await createTestApp(dialect, { TIDINGS_API_RATE_LIMIT: '100000', TIDINGS_PUBLIC_URL: 'https://mail.tidings-demo.com', TIDINGS_SMTP_URL: sink.url });
    emailId = await createEmail(t);
    tagId = (await t.api('POST', '/api/v1/tags', { name: 'Readers' })).body.id;
    await createContacts(t, [
      { email: 'ann@example.com', firstName: 'Ann', tagIds: [tagId] },
      { email: 'bob@example.com', firstName: 'Bob', tagIds: [tagId] },
    ]);
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  const draft = async (body: Record<string, unknown> = {}) => {
    const res = await t.api('POST', C, { name: 'Spring launch', emailId, audience: { tagIds: [tagId] }, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };

  it('creates, edits, lists and deletes drafts, and names the field of bad input', async () => {
    const empty = await t.api('POST', C, {});
    expect(empty.status).toBe(400);
    expect(fields(empty.body)).toEqual(expect.arrayContaining(['name', 'emailId']));
    const noEmail = await t.api('POST', C, { name: 'X', emailId: 'eml_nope' });
    expect([noEmail.status, fields(noEmail.body)]).toEqual([400, ['emailId']]);
    const noSegment = await t.api('POST', C, { name: 'X', emailId, audience: { segmentIds: ['seg_nope'] } });
    expect([noSegment.status, fields(noSegment.body)]).toEqual([400, ['audience.segmentIds.0']]);
    const noTag = await t.api('POST', C, { name: 'X', emailId, audience: { tagIds: ['tag_nope'] } });
    expect([noTag.status, fields(noTag.body)]).toEqual([400, ['audience.tagIds.0']]);
    const noProvider = await t.api('POST', C, { name: 'X', emailId, providerId: 'prv_nope' });
    expect([noProvider.status, fields(noProvider.body)]).toEqual([400, ['providerId']]);

    const c = await draft({ subject: 'Spring is here, {{ contact.first_name }}' });
    expect(c).toMatchObject({ status: 'draft', emailId, audience: { segmentIds: [], tagIds: [tagId] }, trackOpens: true, trackClicks: true, recipients: 0, sent: 0 });
    const edited = await t.api('PATCH', `${C}/${c.id}`, { name: 'Spring launch (final)', trackOpens: false });
    expect(edited.body).toMatchObject({ name: 'Spring launch (final)', trackOpens: false, status: 'draft' });

    const listed = await t.api('GET', `${C}?search=final`);
    expect(listed.body.data.map((x: { id: string }) => x.id)).toEqual([c.id]);
    const doc = await t.api('GET', '/api/v1/openapi.json');
    expect(doc.body.paths['/api/v1/campaigns/{id}/schedule'].post.tags).toEqual(['campaigns']);

    expect((await t.api('DELETE', `${C}/${c.id}`)).status).toBe(204);
    expect((await t.api('GET', `${C}/${c.id}`)).status).toBe(404);
  });

  it('refuses to start without an audience, an email, or anyone in the audience, naming the field', async () => {
    const noAudience = await draft({ audience: { tagIds: [] } });
    const r1 = await t.api('POST', `${C}/${noAudience.id}/send`, {});
    expect([r1.status, fields(r1.body)]).toEqual([400, ['audience']]);

    const emptyTag = (await t.api('POST', '/api/v1/tags', { name: 'Nobody' })).body.id;
    const nobody = await draft({ audience: { tagIds: [emptyTag] } });
    const r2 = await t.api('POST', `${C}/${nobody.id}/send`, {});
    expect(r2.status).toBe(400);
    expect(r2.body.error.message).toBe('audience: matches no contacts: choose segments or tags that have contacts');

    const doomed = await createEmail(t, { name: 'Doomed' });
    const orphan = await draft({ emailId: doomed });
    expect((await t.api('DELETE', `/api/v1/emails/${doomed}`)).status).toBe(204);
    const r3 = await t.api('POST', `${C}/${orphan.id}/send`, {});
    expect([r3.status, fields(r3.body)]).toEqual([400, ['emailId']]);
  });

  it('schedules at a local time in a zone, refuses the past and unknown zones, and starts on time', async () => {
    const c = await draft();
    const now = t.clock.now();
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ at: '2020-01-01T09:00', zone: 'Europe/Berlin' }, 'at', /^at: is in the past: 2020-01-01T09:00 in Europe\/Berlin was 2020-01-01T08:00:00.000Z$/],
      [{ at: '2030-01-01T09:00', zone: 'Mars/Olympus' }, 'zone', /not an IANA time zone/],
      [{ at: '2030-01-01T09:00' }, 'zone', /is required/],
      [{ at: '2030-01-01T09:00Z', zone: 'Europe/Berlin' }, 'at', /without an offset/],
    ];
    for (const [body, field, message] of cases) {
      const res = await t.api('POST', `${C}/${c.id}/schedule`, body);
      expect([res.status, fields(res.body)], JSON.stringify(body)).toEqual([400, [field]]);
      expect(res.body.error.message).toMatch(message);
    }

    // The schedules that pass go through a service whose preflight uses the heuristic spam engine
    // instead of SpamAssassin (a second per run); the checks before preflight are the same.
    const campaigns = campaignsFor(t, smtpTo(Number(new URL(sink.url).port)));
    const auth = await authOf(t);
    const day = new Date(now.getTime() + 2 * 86_400_000).toISOString().slice(0, 10);
    const scheduled = await campaigns.schedule(auth, c.id, { at: `${day}T09:00`, zone: 'America/New_York' });
    expect(scheduled).toMatchObject({ status: 'scheduled', emailVersion: 1, schedule: { at: `${day}T09:00`, zone: 'America/New_York', perRecipientZone: false }, sendAt: new Date(`${day}T14:00:00Z`).toISOString() });

    // Editing a scheduled campaign takes it back to draft.
    const edited = await t.api('PATCH', `${C}/${c.id}`, { name: 'Spring launch v2' });
    expect(edited.body).toMatchObject({ status: 'draft', schedule: null, sendAt: null, emailVersion: null });

    await campaigns.schedule(auth, c.id, { at: `${day}T09:00`, zone: 'America/New_York' });
    await t.ctx.campaigns.startDue();
    expect((await t.api('GET', `${C}/${c.id}`)).body.status).toBe('scheduled');
    t.clock.set(new Date(`${day}T14:00:00Z`));
    await t.ctx.campaigns.startDue();
    expect((await t.api('GET', `${C}/${c.id}`)).body).toMatchObject({ status: 'sending', startedAt: new Date(`${day}T14:00:00Z`).toISOString() });
    // Starting enqueued the fan-out; running it now is what the job does.
    expect(await t.ctx.campaigns.fanOut(c.id)).toBe('done');
    expect((await t.api('GET', `${C}/${c.id}`)).body).toMatchObject({ recipients: 2, fanoutDone: true });
  });

  describe('with critical preflight findings', () => {
    let campaignId: string;
    beforeAll(async () => {
      // A linked image with no alt text and no other link text: critical for accessibility.
      const document = {
        theme: { primary: '#1d4ed8', text: '#1f2933', background: '#f3f4f6', contentBackground: '#ffffff', headingFont: 'Georgia, serif', bodyFont: 'Arial, sans-serif' },
        sections: [
          {
            id: 'main',
            blocks: [
              { id: 'hero', type: 'image', src: 'https://cdn.tidings-demo.com/a.jpg', alt: '', width: 552, href: 'https://tidings-demo.com/menu' },
              { id: 'text', type: 'text', text: 'Hello {{ contact.first_name }}' },
              { id: 'foot', type: 'footer', text: 'You get this because you subscribed.' },
            ],
          },
        ],
      };
      const flawed = await createEmail(t, { name: 'Flawed', document });
      campaignId = (await draft({ emailId: flawed })).id;
    });

    it('blocks the send with 409 and the findings, refuses an override without manager rights, and lets a manager override, audited', async () => {
      const blocked = await t.api('POST', `${C}/${campaignId}/send`, {});
      expect(blocked.status).toBe(409);
      expect(blocked.body.error.message).toMatch(/^preflight found \d+ critical problems? in email "Flawed"/);
      expect(blocked.body.error.details.findings.map((f: { id: string }) => f.id)).toContain('images.alt');

      // Overrides through a service with the heuristic spam engine (SpamAssassin takes seconds a run).
      const campaigns = campaignsFor(t, smtpTo(Number(new URL(sink.url).port)));
      const manager = await authOf(t);
      const editorKey = { ...manager, scopes: new Set(SCOPES.filter((s) => s !== 'brand:write')) };
      await expect(campaigns.send(editorKey, campaignId, { overridePreflight: true })).rejects.toMatchObject({ code: 'forbidden', message: 'only a manager may send despite critical preflight findings' });

      const sent = await campaigns.send(manager, campaignId, { overridePreflight: true });
      expect(sent).toMatchObject({ status: 'sending', emailVersion: 1, preflightOverride: { by: { type: 'api_key' }, findings: expect.arrayContaining([expect.objectContaining({ id: 'images.alt' })]) } });
      const audit = await t.ctx.brands.listAudit(t.brandId, { limit: 10 });
      expect(audit.filter((a) => a.targetId === campaignId).map((a) => a.action)).toEqual(expect.arrayContaining(['campaign.sent', 'campaign.preflight_overridden']));
    });

    it('pauses, resumes, cancels, duplicates and archives along the lifecycle, and refuses the rest', async () => {
      expect(await t.ctx.campaigns.fanOut(campaignId)).toBe('done');
      const step = async (action: string, status: number) => {
        const res = await t.api('POST', `${C}/${campaignId}/${action}`, {});
        expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(status);
        return res.body;
      };
      expect(await step('pause', 200)).toMatchObject({ status: 'paused' });
      expect((await step('pause', 409)).error.message).toBe(`cannot pause campaign ${campaignId}: it is paused (possible from sending, throttled)`);
      expect(await step('resume', 200)).toMatchObject({ status: 'sending' });
      expect(await step('archive', 409)).toMatchObject({ error: { code: 'conflict' } });
      expect(await step('cancel', 200)).toMatchObject({ status: 'cancelled', recipients: 2, cancelled: 2 });
      await step('resume', 409);

      const progress = await t.api('GET', `${C}/${campaignId}/progress`);
      expect(progress.body).toEqual({ status: 'cancelled', statusReason: null, fanoutDone: true, recipients: 2, skipped: 0, queued: 0, sending: 0, sent: 0, failed: 0, cancelled: 2, ratePerSec: 0, etaSeconds: null });
      const log = await t.api('GET', `${C}/${campaignId}/messages?status=cancelled`);
      expect(log.body.data.map((m: { email: string }) => m.email).sort()).toEqual(['ann@example.com', 'bob@example.com']);

      const copy = await step('duplicate', 201);
      expect(copy).toMatchObject({ status: 'draft', name: 'Spring launch (copy)', audience: { tagIds: [tagId] }, recipients: 0, preflightOverride: null });
      expect(await step('archive', 200)).toMatchObject({ archivedAt: expect.any(String) });
      expect((await t.api('DELETE', `${C}/${campaignId}`)).status).toBe(409);
      expect((await t.api('GET', C)).body.data.map((x: { id: string }) => x.id)).not.toContain(campaignId);
      expect((await t.api('GET', `${C}?archived=1`)).body.data.map((x: { id: string }) => x.id)).toEqual([campaignId]);
    });
  });

  it("test-sends the campaign's email to the given addresses", async () => {
    const c = await draft();
    const before = sink.received.length;
    const res = await t.api('POST', `${C}/${c.id}/test-send`, { to: ['qa@example.com'] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const got = sink.received.slice(before);
    expect(got.map((m) => m.to)).toEqual([['qa@example.com']]);
    expect(got[0].raw.toString()).toMatch(/^Subject: \[Test\] /m);
  });
});
