import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/stores.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { authOf, bulkContacts, campaignsFor, createEmail, LINKED_DOCUMENT, markSending, scriptedSink, smtpTo, type ScriptedSink } from './test-kit.ts';

describe.each(DIALECTS)('deleting an email that campaigns use, on %s', (dialect) => {
  let t: TestApp;
  let sink: ScriptedSink;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    sink = await scriptedSink();
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  it('refuses once a campaign has sent it, naming the campaign; the email and its sent links keep working', async () => {
    const campaigns = campaignsFor(t, smtpTo(sink.port));
    const { tagId } = await bulkContacts(t, 2, 'kept');
    const emailId = await createEmail(t, { document: LINKED_DOCUMENT });
    const c = await campaigns.create(await authOf(t), { name: 'Autumn letter', emailId, audience: { tagIds: [tagId] } });
    await markSending(t, c.id);
    expect(await campaigns.fanOut(c.id)).toBe('done');
    await campaigns.dispatcher.drain();

    const refused = await t.api('DELETE', `/api/v1/emails/${emailId}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(`campaign "Autumn letter" (${c.id})`);
    expect(refused.body.error.message).toMatch(/links .* must keep working/);
    expect((await t.api('GET', `/api/v1/emails/${emailId}`)).status).toBe(200);

    const raw = sink.received.find((m) => m.to === 'kept0@example.com')!.raw.replace(/=\r\n/g, '').replace(/=3D/g, '=');
    const click = raw.match(/\/t\/c\/[A-Za-z0-9_\-.]+\/\d+/)![0];
    const redirect = await t.app.inject({ method: 'GET', url: click });
    expect(redirect.statusCode).toBe(302);
  });

  it('allows it while campaigns only hold it as a draft, and the draft loses its email', async () => {
    const { tagId } = await bulkContacts(t, 1, 'draft');
    const emailId = await createEmail(t);
    const draft = (await t.api('POST', '/api/v1/campaigns', { name: 'Not yet', emailId, audience: { tagIds: [tagId] } })).body;
    expect((await t.api('DELETE', `/api/v1/emails/${emailId}`)).status).toBe(204);
    expect((await t.api('GET', `/api/v1/campaigns/${draft.id}`)).body.emailId).toBeNull();
  });
});
