import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/stores.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { createContacts, createEmail } from './test-kit.ts';

const C = '/api/v1/campaigns';

describe.each(DIALECTS)('sending with a public URL only this machine can reach, on %s', (dialect) => {
  let t: TestApp;
  let emailId: string;
  let tagId: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { TIDINGS_API_RATE_LIMIT: '100000', TIDINGS_PUBLIC_URL: 'http://localhost:3000' });
    emailId = await createEmail(t);
    tagId = (await t.api('POST', '/api/v1/tags', { name: 'Readers' })).body.id;
    await createContacts(t, [{ email: 'ann@example.com', firstName: 'Ann', tagIds: [tagId] }]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const draft = async (body: Record<string, unknown> = {}) => (await t.api('POST', C, { name: 'Spring', emailId, audience: { tagIds: [tagId] }, ...body })).body;

  it('refuses a real provider, naming the variable to set, even for a manager overriding preflight; the capture inbox may send', async () => {
    // Nothing is sent: the account is never reached, so its settings need not point anywhere real.
    const account = await t.api('POST', '/api/v1/providers', { name: 'Resend', settings: { kind: 'resend', apiKey: 're_live_secret', baseUrl: 'https://api.resend.example' } });
    expect(account.status, JSON.stringify(account.body)).toBe(201);
    const real = await draft({ providerId: account.body.id });
    const refused = await t.api('POST', `${C}/${real.id}/send`, { overridePreflight: true });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.issues[0].field).toBe('providerId');
    expect(refused.body.error.message).toMatch(/TIDINGS_PUBLIC_URL=http:\/\/localhost:3000\) only exists on this machine/);
    const scheduled = await t.api('POST', `${C}/${real.id}/schedule`, { at: '2030-01-01T09:00', zone: 'UTC', overridePreflight: true });
    expect(scheduled.status).toBe(400);
    expect((await t.api('GET', `${C}/${real.id}`)).body.status).toBe('draft');

    const captured = await draft();
    const sent = await t.api('POST', `${C}/${captured.id}/send`, { overridePreflight: true });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  });

  it('refuses to start a series through a real provider in the same way', async () => {
    const account = await t.api('POST', '/api/v1/providers', { name: 'Resend for series', settings: { kind: 'resend', apiKey: 're_live_secret', baseUrl: 'https://api.resend.example' } });
    const series = await t.api('POST', '/api/v1/series/generate', { brief: { prompt: 'a 2-email welcome flow for new readers', count: 2 } });
    expect(series.status, JSON.stringify(series.body)).toBe(201);
    expect((await t.api('PATCH', `/api/v1/series/${series.body.id}`, { providerId: account.body.id })).status).toBe(200);
    const refused = await t.api('POST', `/api/v1/series/${series.body.id}/start`, { audience: { tagIds: [tagId] }, override: true });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.issues[0].field).toBe('providerId');
    expect(refused.body.error.message).toMatch(/TIDINGS_PUBLIC_URL=http:\/\/localhost:3000\) only exists on this machine/);
    expect((await t.api('GET', `/api/v1/series/${series.body.id}`)).body.status).toBe('draft');
  });
});
