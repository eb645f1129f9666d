import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock.ts';
import { DomainError } from '../../shared/errors.ts';
import type { RawWebhook, Verification } from './model.ts';
import { parseEvents } from './parse.ts';
import { snsStringToSign } from './sns.ts';
import { mailgunSigned, SNS_CERT_URL, sendgridKeys, snsSigner, svixHeaders, svixSecret } from './test-kit.ts';
import { createVerifier } from './verify.ts';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/webhooks/${name}`, import.meta.url), 'utf8');

const NOW = '2026-01-01T00:00:00Z';
const NOW_S = String(Date.parse(NOW) / 1000);
const raw = (headers: Record<string, string>, body: string | Buffer): RawWebhook => ({ headers, body });

/** Flips one byte in the middle of the body, as a tampering proxy would. */
const tamper = (body: string) => {
  const bytes = Buffer.from(body);
  bytes[Math.floor(bytes.length / 2)] ^= 0x01;
  return bytes;
};

const rejected = (v: Verification) => (v.ok ? { ok: true } : { ok: false, reason: v.reason, message: v.message });

let clock: ManualClock;
beforeEach(() => {
  clock = new ManualClock(NOW);
});

describe('SendGrid (ECDSA P-256 over timestamp + body)', () => {
  const keys = sendgridKeys();
  const body = fixture('sendgrid-events.json');
  const verifier = () => createVerifier({ provider: 'sendgrid', publicKey: keys.publicKey }, { clock });

  it('accepts a valid signature and hands the parsed batch to the parser', async () => {
    const v = await verifier().verify(raw(keys.sign(body, NOW_S), body));
    expect(v).toMatchObject({ ok: true, kind: 'events', provider: 'sendgrid' });
    expect(v.ok && v.kind === 'events' && parseEvents(v)).toHaveLength(11);
  });

  it("verifies SendGrid's published test vector", async () => {
    clock.set('2020-05-06T18:06:07Z');
    const verifier = createVerifier(
      { provider: 'sendgrid', publicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==' },
      { clock },
    );
    const headers = {
      'x-twilio-email-event-webhook-signature': 'MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=',
      'x-twilio-email-event-webhook-timestamp': '1588788367',
    };
    expect((await verifier.verify(raw(headers, '{"category":"example_payload","event":"test_event","message_id":"message_id"}'))).ok).toBe(true);
    expect(rejected(await verifier.verify(raw(headers, '{"category":"example_payload","event":"test_event","message_id":"other"}')))).toMatchObject({ reason: 'bad_signature' });
  });

  it('rejects a tampered body, a wrong key, a stale or future timestamp and missing headers, with the reason', async () => {
    const headers = keys.sign(body, NOW_S);
    expect(rejected(await verifier().verify(raw(headers, tamper(body))))).toMatchObject({ ok: false, reason: 'bad_signature' });

    const other = createVerifier({ provider: 'sendgrid', publicKey: sendgridKeys().publicKey }, { clock });
    expect(rejected(await other.verify(raw(headers, body)))).toMatchObject({ ok: false, reason: 'bad_signature' });

    clock.advance(6 * 60_000);
    expect(rejected(await verifier().verify(raw(headers, body)))).toEqual({ ok: false, reason: 'stale_timestamp', message: 'the signed timestamp is 360s old; the tolerance is 300s' });
    clock.set('2025-12-31T23:50:00Z');
    expect(rejected(await verifier().verify(raw(headers, body)))).toMatchObject({ reason: 'stale_timestamp', message: expect.stringContaining('600s in the future') });
    clock.set(NOW);

    expect(rejected(await verifier().verify(raw({ 'X-Twilio-Email-Event-Webhook-Timestamp': NOW_S }, body)))).toEqual({
      ok: false,
      reason: 'missing_signature',
      message: 'X-Twilio-Email-Event-Webhook-Signature header is missing',
    });
    const onlySignature = { 'X-Twilio-Email-Event-Webhook-Signature': headers['X-Twilio-Email-Event-Webhook-Signature'] };
    expect(rejected(await verifier().verify(raw(onlySignature, body)))).toMatchObject({ reason: 'missing_signature', message: expect.stringContaining('Timestamp') });
    expect(rejected(await verifier().verify(raw({ ...headers, 'X-Twilio-Email-Event-Webhook-Signature': 'not base64 der' }, body)))).toMatchObject({ reason: 'bad_signature' });
  });

  it('refuses to build with a key that is not an ECDSA public key, naming the field', () => {
    expect(() => createVerifier({ provider: 'sendgrid', publicKey: 'bm90IGEga2V5' }, { clock })).toThrow(DomainError);
    expect(() => createVerifier({ provider: 'sendgrid', publicKey: 'bm90IGEga2V5' }, { clock })).toThrow(/sendgrid\.publicKey/);
  });
});

describe('Resend (Svix: HMAC-SHA256 over id.timestamp.body)', () => {
  const secret = svixSecret();
  const body = fixture('resend.json');
  const verifier = () => createVerifier({ provider: 'resend', secret }, { clock });

  it('accepts a valid signature and keeps svix-id as the delivery id', async () => {
    const v = await verifier().verify(raw(svixHeaders(secret, 'msg_2W2D3qXLS5fOaPja1GDg7rF2CwB', NOW_S, body), body));
    expect(v).toMatchObject({ ok: true, kind: 'events', provider: 'resend', deliveryId: 'msg_2W2D3qXLS5fOaPja1GDg7rF2CwB' });
  });

  it("reproduces Svix's documented example", async () => {
    clock.set(new Date(1614265330 * 1000));
    const headers = { 'svix-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'svix-timestamp': '1614265330', 'svix-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' };
    const v = await createVerifier({ provider: 'resend', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }, { clock }).verify(raw(headers, '{"test": 2432232314}'));
    expect(v.ok).toBe(true);
  });

  it('accepts any matching v1 signature during a secret rotation', async () => {
    const headers = svixHeaders(secret, 'msg_1', NOW_S, body);
    const rotated = { ...headers, 'svix-signature': `v1,${Buffer.alloc(32).toString('base64')} v1a,ignored ${headers['svix-signature']}` };
    expect((await verifier().verify(raw(rotated, body))).ok).toBe(true);
  });

  it('rejects a tampered body, a wrong secret, a replay outside the window and missing headers', async () => {
    const headers = svixHeaders(secret, 'msg_1', NOW_S, body);
    expect(rejected(await verifier().verify(raw(headers, tamper(body))))).toMatchObject({ reason: 'bad_signature' });
    expect(rejected(await createVerifier({ provider: 'resend', secret: svixSecret() }, { clock }).verify(raw(headers, body)))).toMatchObject({ reason: 'bad_signature' });
    clock.advance(5 * 60_000 + 1_000);
    expect(rejected(await verifier().verify(raw(headers, body)))).toMatchObject({ reason: 'stale_timestamp' });
    clock.set(NOW);
    for (const name of ['svix-id', 'svix-timestamp', 'svix-signature']) {
      const { [name]: _omitted, ...rest } = headers;
      expect(rejected(await verifier().verify(raw(rest, body)))).toEqual({ ok: false, reason: 'missing_signature', message: `${name} header is missing` });
    }
  });

  it('also reads the Standard Webhooks header names', async () => {
    const h = svixHeaders(secret, 'msg_1', NOW_S, body);
    const renamed = { 'webhook-id': h['svix-id'], 'webhook-timestamp': h['svix-timestamp'], 'webhook-signature': h['svix-signature'] };
    expect((await verifier().verify(raw(renamed, body))).ok).toBe(true);
  });
});

describe('Mailgun (HMAC of timestamp + token inside the body)', () => {
  const signingKey = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';
  const payloads = JSON.parse(fixture('mailgun.json'));
  const signed = (name: string, key = signingKey) => JSON.stringify(mailgunSigned(payloads[name], key));
  const verifier = () => createVerifier({ provider: 'mailgun', signingKey }, { clock });

  it('accepts a valid signature', async () => {
    expect(await verifier().verify(raw({}, signed('accepted')))).toMatchObject({ ok: true, kind: 'events', provider: 'mailgun' });
  });

  it('rejects a changed token, a wrong key, a stale timestamp, a missing signature block and a non-JSON body', async () => {
    const body = JSON.parse(signed('accepted'));
    const changedToken = JSON.stringify({ ...body, signature: { ...body.signature, token: `${body.signature.token}0` } });
    expect(rejected(await verifier().verify(raw({}, changedToken)))).toMatchObject({ reason: 'bad_signature' });
    expect(rejected(await verifier().verify(raw({}, signed('accepted', 'another-key'))))).toMatchObject({ reason: 'bad_signature' });
    expect(rejected(await verifier().verify(raw({}, signed('opened'))))).toMatchObject({ reason: 'stale_timestamp', message: 'the signed timestamp is 3600s in the future; the tolerance is 300s' });
    expect(rejected(await verifier().verify(raw({}, JSON.stringify({ 'event-data': body['event-data'] }))))).toEqual({
      ok: false,
      reason: 'missing_signature',
      message: 'signature.timestamp is missing from the body',
    });
    expect(rejected(await verifier().verify(raw({}, 'event=delivered')))).toMatchObject({ reason: 'malformed', message: 'the body is not JSON' });
  });
});

describe('Postmark (no signature: basic auth in the webhook URL and/or a secret header)', () => {
  const body = fixture('postmark.json');
  const auth = `Basic ${Buffer.from('tidings:s3cret-pass').toString('base64')}`;

  it('accepts the configured credentials and header', async () => {
    const verifier = createVerifier({ provider: 'postmark', basicAuth: { username: 'tidings', password: 's3cret-pass' }, header: { name: 'X-Tidings-Secret', value: 'hdr-secret' } }, { clock });
    expect(await verifier.verify(raw({ authorization: auth, 'x-tidings-secret': 'hdr-secret' }, body))).toMatchObject({ ok: true, provider: 'postmark' });
  });

  it('rejects wrong or missing credentials', async () => {
    const verifier = createVerifier({ provider: 'postmark', basicAuth: { username: 'tidings', password: 's3cret-pass' } }, { clock });
    const wrong = `Basic ${Buffer.from('tidings:guess').toString('base64')}`;
    expect(rejected(await verifier.verify(raw({ Authorization: wrong }, body)))).toMatchObject({ reason: 'bad_credentials' });
    expect(rejected(await verifier.verify(raw({}, body)))).toMatchObject({ reason: 'bad_credentials', message: expect.stringContaining('Authorization header is missing') });
    const byHeader = createVerifier({ provider: 'postmark', header: { name: 'X-Tidings-Secret', value: 'hdr-secret' } }, { clock });
    expect(rejected(await byHeader.verify(raw({ 'X-Tidings-Secret': 'nope' }, body)))).toMatchObject({ reason: 'bad_credentials' });
  });

  it('cannot be built without any credential', () => {
    expect(() => createVerifier({ provider: 'postmark' }, { clock })).toThrow(/Postmark does not sign webhooks/);
  });
});

describe('SES via SNS (X.509 RSA signature)', () => {
  const TOPIC = 'arn:aws:sns:us-east-1:123456789012:tidings-ses-events';
  const ses = JSON.parse(fixture('ses.json'));
  const sns = snsSigner(new Date('2025-06-01T00:00:00Z'), new Date('2026-06-01T00:00:00Z'));
  beforeEach(() => {
    sns.fetched.length = 0;
  });
  const notification = (message: unknown, timestamp = '2026-01-01T00:00:00.000Z') => ({
    Type: 'Notification' as const,
    MessageId: '19ba9823-d7f2-53c1-860e-cb10e0d13dfc',
    TopicArn: TOPIC,
    Subject: 'Amazon SES Email Event Notification',
    Message: `${JSON.stringify(message)}\n`,
    Timestamp: timestamp,
  });
  const verifier = (fetchCertificate = sns.fetchCertificate) => createVerifier({ provider: 'ses', topicArns: [TOPIC] }, { clock, fetchCertificate });

  it("builds the string to sign exactly as AWS's documented examples", () => {
    const signed = { SignatureVersion: '1', Signature: 'x', SigningCertURL: SNS_CERT_URL, TopicArn: 'arn:aws:sns:us-east-2:123456789012:s4-MySNSTopic-1G1WEFCOXTC0P' };
    const notificationExample = { ...signed, Type: 'Notification' as const, Message: 'My Test Message', MessageId: '4d4dc071-ddbf-465d-bba8-08f81c89da64', Subject: 'My subject', Timestamp: '2019-01-31T04:37:04.321Z' };
    expect(snsStringToSign(notificationExample)).toBe(
      'Message\nMy Test Message\nMessageId\n4d4dc071-ddbf-465d-bba8-08f81c89da64\nSubject\nMy subject\nTimestamp\n2019-01-31T04:37:04.321Z\n' +
        'TopicArn\narn:aws:sns:us-east-2:123456789012:s4-MySNSTopic-1G1WEFCOXTC0P\nType\nNotification\n',
    );
    const subscribeUrl = 'https://sns.us-east-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-2:123456789012:s4-MySNSTopic-1G1WEFCOXTC0P&Token=233...';
    const confirmationExample = { ...signed, Type: 'SubscriptionConfirmation' as const, Message: 'My Test Message', MessageId: '3d891288-136d-417f-bc05-901c108273ee', SubscribeURL: subscribeUrl, Timestamp: '2019-01-31T19:25:13.719Z', Token: '233...' };
    expect(snsStringToSign(confirmationExample)).toBe(
      `Message\nMy Test Message\nMessageId\n3d891288-136d-417f-bc05-901c108273ee\nSubscribeURL\n${subscribeUrl}\nTimestamp\n2019-01-31T19:25:13.719Z\nToken\n233...\n` +
        'TopicArn\narn:aws:sns:us-east-2:123456789012:s4-MySNSTopic-1G1WEFCOXTC0P\nType\nSubscriptionConfirmation\n',
    );
    const { Subject: _none, ...withoutSubject } = notificationExample;
    expect(snsStringToSign(withoutSubject)).not.toContain('Subject');
  });

  it.each(['1', '2'] as const)('accepts SignatureVersion %s and parses the SES event inside', async (version) => {
    const v = await verifier().verify(raw({}, JSON.stringify(sns.sign(notification(ses.bounce), version))));
    expect(v).toMatchObject({ ok: true, kind: 'events', provider: 'ses' });
    expect(v.ok && v.kind === 'events' && parseEvents(v).map((e) => e.recipient)).toEqual(['ghost@example.org', 'carol@example.com']);
  });

  it('verifies a notification without Subject (the field is then left out of the signed string)', async () => {
    const { Subject: _none, ...withoutSubject } = notification(ses.delivery);
    expect((await verifier().verify(raw({}, JSON.stringify(sns.sign(withoutSubject))))).ok).toBe(true);
  });

  it('surfaces a SubscriptionConfirmation so the caller can confirm it', async () => {
    const confirmation = JSON.parse(fixture('sns-subscription-confirmation.json'));
    const v = await verifier().verify(raw({}, JSON.stringify(sns.sign(confirmation))));
    expect(v).toEqual({
      ok: true,
      kind: 'subscription-confirmation',
      provider: 'ses',
      topicArn: TOPIC,
      subscribeUrl: confirmation.SubscribeURL,
      token: confirmation.Token,
      messageId: confirmation.MessageId,
    });
  });

  it('fetches each certificate once and refetches after a failure', async () => {
    let failures = 1;
    const flaky = async (url: string) => {
      if (failures-- > 0) throw new Error('connect ETIMEDOUT');
      return sns.fetchCertificate(url);
    };
    const v = verifier(flaky);
    const body = JSON.stringify(sns.sign(notification(ses.open)));
    expect(rejected(await v.verify(raw({}, body)))).toMatchObject({ reason: 'certificate_unavailable', message: expect.stringContaining('ETIMEDOUT') });
    expect((await v.verify(raw({}, body))).ok).toBe(true);
    expect((await v.verify(raw({}, body))).ok).toBe(true);
    expect(sns.fetched).toEqual([SNS_CERT_URL]);
  });

  it('rejects a tampered Message and a signature made with another key', async () => {
    const signed = sns.sign(notification(ses.bounce));
    const tampered = { ...signed, Message: signed.Message.replace('ghost@example.org', 'ann@example.com') };
    expect(rejected(await verifier().verify(raw({}, JSON.stringify(tampered))))).toMatchObject({ reason: 'bad_signature' });
    const impostor = snsSigner(new Date('2025-06-01T00:00:00Z'), new Date('2026-06-01T00:00:00Z'));
    expect(rejected(await verifier().verify(raw({}, JSON.stringify(impostor.sign(notification(ses.bounce))))))).toMatchObject({ reason: 'bad_signature' });
  });

  it.each([
    ['plain http', 'http://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem', 'must use https'],
    ['a look-alike host', 'https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService-1.pem', 'not an Amazon SNS host'],
    ['another AWS service', 'https://s3.amazonaws.com/SimpleNotificationService-1.pem', 'not an Amazon SNS host'],
    ['credentials in the URL', 'https://user@sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem', 'not an Amazon SNS host'],
    ['a non-default port', 'https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-1.pem', 'not an Amazon SNS host'],
    ['a path that is not a certificate', 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe', 'does not point to a .pem'],
  ])('rejects a SigningCertURL with %s without fetching it', async (_label, certUrl, message) => {
    const v = await verifier().verify(raw({}, JSON.stringify(sns.sign(notification(ses.send), '2', certUrl))));
    expect(rejected(v)).toMatchObject({ reason: 'untrusted_url', message: expect.stringContaining(message) });
    expect(sns.fetched).toEqual([]);
  });

  it('rejects a SubscribeURL outside SNS', async () => {
    const confirmation = { ...JSON.parse(fixture('sns-subscription-confirmation.json')), SubscribeURL: 'https://evil.example/confirm' };
    expect(rejected(await verifier().verify(raw({}, JSON.stringify(sns.sign(confirmation)))))).toMatchObject({ reason: 'untrusted_url', message: expect.stringContaining('SubscribeURL') });
  });

  it('rejects other topics, stale messages, unknown signature versions, missing signatures and expired certificates', async () => {
    const otherTopic = { ...notification(ses.send), TopicArn: 'arn:aws:sns:us-east-1:999999999999:other' };
    expect(rejected(await verifier().verify(raw({}, JSON.stringify(sns.sign(otherTopic)))))).toMatchObject({ reason: 'topic_not_allowed' });

    const old = sns.sign(notification(ses.send, '2025-12-31T22:00:00.000Z'));
    expect(rejected(await verifier().verify(raw({}, JSON.stringify(old))))).toMatchObject({ reason: 'stale_timestamp', message: expect.stringContaining('7200s old') });

    const v3 = { ...sns.sign(notification(ses.send)), SignatureVersion: '3' };
    expect(rejected(await verifier().verify(raw({}, JSON.stringify(v3))))).toMatchObject({ reason: 'unsupported_signature_version' });

    const { Signature: _s, ...unsigned } = sns.sign(notification(ses.send));
    expect(rejected(await verifier().verify(raw({}, JSON.stringify(unsigned))))).toEqual({ ok: false, reason: 'missing_signature', message: 'Signature is missing from the SNS message' });
    expect(sns.fetched).toEqual([]);

    clock.set('2026-07-01T00:00:00Z');
    const late = sns.sign(notification(ses.send, '2026-07-01T00:00:00.000Z'));
    expect(rejected(await verifier().verify(raw({}, JSON.stringify(late))))).toMatchObject({ reason: 'certificate_unavailable', message: expect.stringContaining('not valid now') });
  });

  it('rejects a body that is not an SNS message', async () => {
    expect(rejected(await verifier().verify(raw({}, '{"Signature":"x","SignatureVersion":"2","SigningCertURL":"y"}')))).toMatchObject({ reason: 'malformed', message: expect.stringContaining('Type') });
    expect(() => createVerifier({ provider: 'ses', topicArns: [] }, { clock })).toThrow(/ses\.topicArns/);
  });
});
