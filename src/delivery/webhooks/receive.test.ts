import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { DIALECTS } from '../../../test/helpers/stores.ts';
import type { NormalizedEvent } from './model.ts';
import { fetchFromSns, WebhooksService, type ProviderEventSink } from './service.ts';
import { mailgunSigned, sendgridKeys, snsSigner, svixHeaders, svixSecret } from './test-kit.ts';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/webhooks/${name}`, import.meta.url), 'utf8');

const NOW = '2026-01-01T00:00:00Z';
const NOW_S = String(Date.parse(NOW) / 1000);
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:tidings-ses-events';

/** The tracking capability's side of the seam: keeps what it is handed, or fails on demand. */
class RecordingSink implements ProviderEventSink {
  recorded: Array<{ brandId: string; event: NormalizedEvent }> = [];
  failNext = false;
  async recordProviderEvent(brandId: string, event: NormalizedEvent): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('database is locked');
    }
    this.recorded.push({ brandId, event });
  }
}

describe('fetching from SNS', () => {
  it('refuses a URL outside SNS before any network access', async () => {
    await expect(fetchFromSns('https://evil.example/confirm?Token=x')).rejects.toThrow('SubscribeURL host evil.example is not an Amazon SNS host');
    await expect(fetchFromSns('http://sns.us-east-1.amazonaws.com/cert.pem')).rejects.toThrow('SigningCertURL must use https');
  });
});

describe.each(DIALECTS)('inbound provider webhooks (%s)', (dialect) => {
  let t: TestApp;
  const sink = new RecordingSink();
  const sns = snsSigner(new Date('2025-06-01T00:00:00Z'), new Date('2026-06-01T00:00:00Z'));
  const confirmed: string[] = [];
  const snsFetch = async (url: string) => {
    if (url.endsWith('.pem')) return sns.fetchCertificate(url);
    confirmed.push(url);
    return '<ConfirmSubscriptionResponse/>';
  };
  const sendgrid = sendgridKeys();
  const resendSecret = svixSecret();
  const mailgunKey = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';
  const accounts = {} as Record<'sendgrid' | 'resend' | 'mailgun' | 'postmark' | 'ses' | 'bare', string>;
  /** The app's own service, wired to the tracking capability (the tests before the last use a recording sink). */
  let wired: WebhooksService;

  beforeAll(async () => {
    t = await createTestApp(dialect, {}, { delivery: { snsFetch } });
    t.clock.set(NOW);
    wired = t.ctx.webhooks;
    t.ctx.webhooks = new WebhooksService({ store: t.ctx.store, clock: t.ctx.clock, log: t.ctx.log, providers: t.ctx.providers, sink, snsFetch });
    const add = async (name: string, settings: object, webhook?: object) => {
      const r = await t.api('POST', '/api/v1/providers', { name, settings, webhook });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id as string;
    };
    accounts.sendgrid = await add('SendGrid', { kind: 'sendgrid', apiKey: 'SG.x' }, { publicKey: sendgrid.publicKey });
    accounts.resend = await add('Resend', { kind: 'resend', apiKey: 're_x' }, { secret: resendSecret });
    accounts.mailgun = await add('Mailgun', { kind: 'mailgun', apiKey: 'k', domain: 'mg.acme.test' }, { signingKey: mailgunKey });
    accounts.postmark = await add('Postmark', { kind: 'postmark', serverToken: 'pm' }, { basicAuth: { username: 'hooks', password: 'p4ss' } });
    accounts.ses = await add('SES', { kind: 'ses', region: 'us-east-1' }, { topicArns: [TOPIC] });
    accounts.bare = await add('SendGrid without webhook', { kind: 'sendgrid', apiKey: 'SG.y' });
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(() => {
    sink.recorded.length = 0;
  });

  const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: path, payload: body, headers: { 'content-type': 'application/json', ...headers } }).then((r) => ({ status: r.statusCode, body: r.json() }));

  it('records a signed SendGrid batch once, over the exact bytes sent, and answers a replay as a duplicate', async () => {
    const body = fixture('sendgrid-events.json');
    const headers = sendgrid.sign(body, NOW_S);
    const first = await post(`/webhooks/sendgrid/${accounts.sendgrid}`, body, headers);
    expect(first).toEqual({ status: 200, body: { received: 11, duplicates: 0, duplicate: false } });
    expect(sink.recorded).toHaveLength(11);
    expect(sink.recorded.every((r) => r.brandId === t.brandId && r.event.provider === 'sendgrid')).toBe(true);
    expect(sink.recorded[0].event).toMatchObject({ type: 'sent', recipient: 'ann@example.com', messageRef: 'out_01jgz7k3m0ann' });

    const replay = await post(`/webhooks/sendgrid/${accounts.sendgrid}`, body, headers);
    expect(replay).toEqual({ status: 200, body: { received: 0, duplicates: 11, duplicate: true } });
    expect(sink.recorded).toHaveLength(11);
    const receipts = await t.ctx.store.db.selectFrom('webhook_receipts').selectAll().where('account_id', '=', accounts.sendgrid).execute();
    expect(receipts).toHaveLength(11);
    expect(receipts[0]).toMatchObject({ provider: 'sendgrid', brand_id: t.brandId });
  });

  it('refuses a bad signature, a stale one and a missing one with 401 and the reason, recording nothing', async () => {
    const body = fixture('sendgrid-events.json');
    const tampered = await post(`/webhooks/sendgrid/${accounts.sendgrid}`, body.replace('ann@example.com', 'eve@example.com'), sendgrid.sign(body, NOW_S));
    expect(tampered).toMatchObject({ status: 401, body: { error: { code: 'unauthorized', message: 'sendgrid webhook refused (bad_signature): X-Twilio-Email-Event-Webhook-Signature does not match the body and timestamp' } } });
    const stale = await post(`/webhooks/sendgrid/${accounts.sendgrid}`, body, sendgrid.sign(body, String(Number(NOW_S) - 3600)));
    expect(stale).toMatchObject({ status: 401, body: { error: { details: { reason: 'stale_timestamp' } } } });
    expect((await post(`/webhooks/sendgrid/${accounts.sendgrid}`, body)).body.error.message).toContain('missing_signature');
    expect(sink.recorded).toHaveLength(0);
  });

  it('answers 400 to a body it cannot read, and 404 to an unknown provider, account or a provider mismatch', async () => {
    const notJson = 'event=delivered';
    const malformed = await post(`/webhooks/resend/${accounts.resend}`, notJson, svixHeaders(resendSecret, 'msg_bad', NOW_S, notJson));
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', message: 'resend webhook refused (malformed): the body is not JSON' } } });
    const wrongShape = '{"type":"email.bounced"}';
    const unreadable = await post(`/webhooks/resend/${accounts.resend}`, wrongShape, svixHeaders(resendSecret, 'msg_shape', NOW_S, wrongShape));
    expect(unreadable.status).toBe(400);

    expect((await post(`/webhooks/sparkpost/${accounts.resend}`, '{}')).status).toBe(404);
    expect((await post('/webhooks/resend/prv_missing', '{}')).body.error.message).toBe('provider account prv_missing was not found');
    expect((await post(`/webhooks/resend/${accounts.sendgrid}`, '{}')).status).toBe(404);
    expect(await post(`/webhooks/sendgrid/${accounts.bare}`, '{}')).toMatchObject({ status: 401, body: { error: { message: expect.stringContaining('webhook verification is not set up for this account') } } });
    expect(sink.recorded).toHaveLength(0);
  });

  it('verifies Resend (Svix), whatever content type the request claims', async () => {
    const body = JSON.stringify(JSON.parse(fixture('resend.json')).delivered);
    const ok = await post(`/webhooks/resend/${accounts.resend}`, body, { ...svixHeaders(resendSecret, 'msg_1', NOW_S, body), 'content-type': 'text/plain' });
    expect(ok).toEqual({ status: 200, body: { received: 1, duplicates: 0, duplicate: false } });
    expect(sink.recorded[0].event).toMatchObject({ provider: 'resend', type: 'delivered', dedupeKey: expect.any(String) });
  });

  it('verifies Mailgun (HMAC in the body) and refuses a replayed token', async () => {
    const body = JSON.stringify(mailgunSigned(JSON.parse(fixture('mailgun.json')).accepted, mailgunKey));
    expect((await post(`/webhooks/mailgun/${accounts.mailgun}`, body)).body).toEqual({ received: 1, duplicates: 0, duplicate: false });
    expect((await post(`/webhooks/mailgun/${accounts.mailgun}`, body)).body).toEqual({ received: 0, duplicates: 1, duplicate: true });
    const forged = JSON.stringify(mailgunSigned(JSON.parse(fixture('mailgun.json')).accepted, 'another-key'));
    expect((await post(`/webhooks/mailgun/${accounts.mailgun}`, forged)).status).toBe(401);
    expect(sink.recorded).toHaveLength(1);
  });

  it('checks Postmark basic auth (Postmark signs nothing)', async () => {
    const body = JSON.stringify(JSON.parse(fixture('postmark.json')).delivery);
    const auth = (pass: string) => ({ authorization: `Basic ${Buffer.from(`hooks:${pass}`).toString('base64')}` });
    expect((await post(`/webhooks/postmark/${accounts.postmark}`, body, auth('guess'))).status).toBe(401);
    expect((await post(`/webhooks/postmark/${accounts.postmark}`, body, auth('p4ss'))).body).toMatchObject({ received: 1 });
    expect(sink.recorded.map((r) => r.event.type)).toEqual(['delivered']);
  });

  it('confirms an SNS subscription by fetching its SubscribeURL, then records SES notifications', async () => {
    const confirmation = JSON.parse(fixture('sns-subscription-confirmation.json'));
    const answer = await post(`/webhooks/ses/${accounts.ses}`, JSON.stringify(sns.sign(confirmation)), { 'content-type': 'text/plain; charset=UTF-8' });
    expect(answer).toEqual({ status: 200, body: { confirmed: true, topicArn: TOPIC } });
    expect(confirmed).toEqual([confirmation.SubscribeURL]);

    const ses = JSON.parse(fixture('ses.json'));
    const notification = { Type: 'Notification' as const, MessageId: 'sns-1', TopicArn: TOPIC, Subject: 'Amazon SES Email Event Notification', Message: JSON.stringify(ses.bounce), Timestamp: '2026-01-01T00:00:00.000Z' };
    const bounced = await post(`/webhooks/ses/${accounts.ses}`, JSON.stringify(sns.sign(notification)));
    expect(bounced.body).toEqual({ received: 2, duplicates: 0, duplicate: false });
    expect(sink.recorded.map((r) => [r.event.recipient, r.event.bounce?.class])).toEqual([
      ['ghost@example.org', 'hard'],
      ['carol@example.com', expect.any(String)],
    ]);
    const otherTopic = { ...notification, MessageId: 'sns-2', TopicArn: 'arn:aws:sns:us-east-1:999999999999:other' };
    expect((await post(`/webhooks/ses/${accounts.ses}`, JSON.stringify(sns.sign(otherTopic)))).body.error.details.reason).toBe('topic_not_allowed');
  });

  it('forgets the receipt of an event it could not record, so the provider retry records it', async () => {
    const body = JSON.stringify(JSON.parse(fixture('resend.json')).opened);
    const headers = svixHeaders(resendSecret, 'msg_retry', NOW_S, body);
    sink.failNext = true;
    const failed = await t.app.inject({ method: 'POST', url: `/webhooks/resend/${accounts.resend}`, payload: body, headers: { 'content-type': 'application/json', ...headers } });
    expect(failed.statusCode).toBe(500);
    expect(sink.recorded).toHaveLength(0);
    expect((await post(`/webhooks/resend/${accounts.resend}`, body, headers)).body).toEqual({ received: 1, duplicates: 0, duplicate: false });
    expect(sink.recorded).toHaveLength(1);
  });

  it('hands events to the tracking capability in the app: a hard bounce suppresses the address at once, once', async () => {
    t.ctx.webhooks = wired;
    const body = JSON.stringify(JSON.parse(fixture('postmark.json')).hard_bounce);
    const headers = { authorization: `Basic ${Buffer.from('hooks:p4ss').toString('base64')}` };
    expect((await post(`/webhooks/postmark/${accounts.postmark}`, body, headers)).body).toEqual({ received: 1, duplicates: 0, duplicate: false });
    expect((await post(`/webhooks/postmark/${accounts.postmark}`, body, headers)).body).toMatchObject({ duplicate: true });
    const suppressed = await t.ctx.store.db.selectFrom('suppressions').select(['email', 'reason']).where('brand_id', '=', t.brandId).execute();
    expect(suppressed).toEqual([{ email: 'ghost@example.org', reason: 'bounce' }]);
  });

  it('serves the route outside /api/v1 without an API key, and the raw-body parser stays in its scope', async () => {
    const api = await t.api('POST', '/api/v1/providers', { name: 'JSON still parsed', settings: { kind: 'resend', apiKey: 're_y' } });
    expect(api.status).toBe(201);
  });
});
