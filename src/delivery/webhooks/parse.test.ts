import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/errors.ts';
import type { NormalizedEvent, VerifiedEvents, WebhookProvider } from './model.ts';
import { parseEvents } from './parse.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../../test/fixtures/webhooks/${name}`, import.meta.url), 'utf8'));
const verified = (provider: WebhookProvider, body: unknown, deliveryId?: string): VerifiedEvents => ({ ok: true, kind: 'events', provider, body, deliveryId });

/** The fields a reader of the trail cares about, without the raw payload. */
const summary = (e: NormalizedEvent) => {
  const { raw: _raw, dedupeKey: _key, ...rest } = e;
  return { ...rest, occurredAt: e.occurredAt.toISOString() };
};

/** Same input → same keys, and no two events of one fixture share a key. */
function expectStableKeys(parse: () => NormalizedEvent[]) {
  const first = parse().map((e) => e.dedupeKey);
  expect(parse().map((e) => e.dedupeKey)).toEqual(first);
  expect(new Set(first).size).toBe(first.length);
}

describe('SendGrid batch', () => {
  const batch = fixture('sendgrid-events.json');
  const events = () => parseEvents(verified('sendgrid', batch));

  it('maps every event type of the batch', () => {
    expect(events().map((e) => [e.providerEventType, e.type])).toEqual([
      ['processed', 'sent'],
      ['delivered', 'delivered'],
      ['deferred', 'deferred'],
      ['bounce', 'bounced'],
      ['bounce', 'bounced'],
      ['dropped', 'dropped'],
      ['open', 'opened'],
      ['click', 'clicked'],
      ['spamreport', 'complained'],
      ['group_unsubscribe', 'unsubscribed'],
      ['group_resubscribe', 'unknown'],
    ]);
  });

  it('reads ids, references, bounce classes, clicks and machine opens', () => {
    const [sent, , deferred, bounce, blocked, dropped, open, click, complaint] = events();
    expect(sent).toMatchObject({
      dedupeKey: 'sendgrid:rbtnWrG1DVDGGGFHFyun0A',
      recipient: 'ann@example.com',
      providerMessageId: '14c5d75ce93dfd64b469',
      messageRef: 'out_01jgz7k3m0ann',
      occurredAt: new Date('2026-01-01T00:00:00Z'),
    });
    expect(deferred.detail).toContain('temporarily deferred');
    expect(bounce.bounce).toEqual({
      class: 'hard',
      reason: 'user-unknown',
      code: '5.1.1',
      diagnostic: "550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos",
    });
    expect(blocked.bounce).toMatchObject({ class: 'block', reason: 'blocklisted', code: '5.7.1' });
    expect(dropped).toMatchObject({ detail: 'Bounced Address' });
    expect(dropped.bounce).toBeUndefined();
    expect(open).toMatchObject({ machineOpen: true, ip: '17.58.0.12', userAgent: expect.stringContaining('Macintosh') });
    expect(click).toMatchObject({ click: { url: 'https://acme.test/launch?utm_source=newsletter' }, ip: '198.51.100.23' });
    expect(complaint).toMatchObject({ recipient: 'erin@example.com', messageRef: 'out_01jgz7k3m0erin' });
  });

  it('gives stable, distinct dedupe keys', () => expectStableKeys(events));

  it('names the field of an event it cannot read', () => {
    const bad = [{ ...batch[0], email: undefined }];
    expect(() => parseEvents(verified('sendgrid', bad))).toThrow(DomainError);
    expect(() => parseEvents(verified('sendgrid', bad))).toThrow(/body\.0\.email/);
  });
});

describe('Resend events', () => {
  const payloads = fixture('resend.json');
  const one = (name: string, deliveryId = `msg_${name}`) => parseEvents(verified('resend', payloads[name], deliveryId));

  it.each([
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['delivery_delayed', 'deferred'],
    ['bounced', 'bounced'],
    ['complained', 'complained'],
    ['opened', 'opened'],
    ['clicked', 'clicked'],
    ['failed', 'failed'],
  ])('%s → %s', (name, type) => {
    expect(one(name).map((e) => e.type)).toEqual([type]);
  });

  it('reads recipients from display addresses, tags in both shapes, bounces and clicks', () => {
    expect(summary(one('sent')[0])).toEqual({
      provider: 'resend',
      type: 'sent',
      providerEventType: 'email.sent',
      recipient: 'ann@example.com',
      occurredAt: '2026-01-01T00:00:01.120Z',
      providerMessageId: '4ef9a417-02e9-4d39-ad75-9611e0fcc33c',
      messageRef: 'out_01jgz7k3m0ann',
    });
    expect(one('delivered')[0].messageRef).toBe('out_01jgz7k3m0ann');
    expect(one('bounced')[0].bounce).toMatchObject({ class: 'hard', reason: 'user-unknown', diagnostic: expect.stringContaining('hard bounce message') });
    expect(one('bounced_suppressed')[0].bounce).toMatchObject({ class: 'hard', reason: 'suppressed' });
    expect(one('clicked')[0]).toMatchObject({
      click: { url: 'https://acme.test/launch' },
      ip: '198.51.100.23',
      occurredAt: new Date('2026-01-01T01:02:00.000Z'),
    });
    expect(one('failed')[0].detail).toBe('reached_daily_quota');
  });

  it('keys on svix-id, which Resend repeats when it retries', () => {
    expect(one('opened', 'msg_2W2D3qXLS5fOaPja1GDg7rF2CwB')[0].dedupeKey).toBe('resend:msg_2W2D3qXLS5fOaPja1GDg7rF2CwB:ann@example.com');
    expectStableKeys(() => Object.keys(payloads).flatMap((name) => one(name)));
  });

  it('yields nothing for events about domains or contacts', () => {
    expect(one('domain_updated')).toEqual([]);
  });
});

describe('Mailgun events', () => {
  const payloads = fixture('mailgun.json');
  const one = (name: string) => parseEvents(verified('mailgun', payloads[name]));

  it.each([
    ['accepted', 'sent'],
    ['delivered', 'delivered'],
    ['failed_permanent', 'bounced'],
    ['failed_temporary', 'deferred'],
    ['failed_suppressed', 'dropped'],
    ['opened', 'opened'],
    ['clicked', 'clicked'],
    ['complained', 'complained'],
    ['unsubscribed', 'unsubscribed'],
  ])('%s → %s', (name, type) => {
    expect(one(name).map((e) => e.type)).toEqual([type]);
  });

  it('splits failures by severity and classifies the permanent ones', () => {
    expect(summary(one('failed_permanent')[0])).toEqual({
      provider: 'mailgun',
      type: 'bounced',
      providerEventType: 'failed/permanent',
      recipient: 'ghost@example.org',
      occurredAt: '2026-01-01T00:00:22.390Z',
      providerMessageId: '20260101000002.1a2b3c4d5e6f7081@mg.acme.test',
      messageRef: 'out_01jgz7k3m0ghost',
      bounce: {
        class: 'hard',
        reason: 'user-unknown',
        code: '5.1.1',
        diagnostic: "5.1.1 The email account that you tried to reach does not exist. Please try\n5.1.1 double-checking the recipient's email address for typos",
      },
    });
    expect(one('failed_temporary')[0]).toMatchObject({ detail: '4.2.0 Recipient address rejected: Greylisted' });
    expect(one('failed_suppressed')[0]).toMatchObject({ detail: 'Not delivering to previously bounced address' });
  });

  it('reads engagement details and keys on the single-use signature token', () => {
    expect(one('opened')[0]).toMatchObject({ userAgent: expect.stringContaining('iPhone'), ip: '198.51.100.23', messageRef: 'out_01jgz7k3m0ann' });
    expect(one('clicked')[0].click).toEqual({ url: 'https://acme.test/launch' });
    expect(one('delivered')[0].dedupeKey).toBe('mailgun:651869375b9df3c98fc15c4889b102119add1235c38fc92824');
    expectStableKeys(() => Object.keys(payloads).flatMap((name) => one(name)));
  });
});

describe('Postmark records', () => {
  const payloads = fixture('postmark.json');
  const one = (name: string) => parseEvents(verified('postmark', payloads[name]));

  it.each([
    ['delivery', 'delivered'],
    ['hard_bounce', 'bounced'],
    ['soft_bounce', 'bounced'],
    ['blocked', 'bounced'],
    ['auto_responder', 'unknown'],
    ['spam_complaint', 'complained'],
    ['open', 'opened'],
    ['click', 'clicked'],
    ['subscription_change', 'unsubscribed'],
  ])('%s → %s', (name, type) => {
    expect(one(name).map((e) => e.type)).toEqual([type]);
  });

  it('classifies bounces from the SMTP details', () => {
    expect(one('hard_bounce')[0]).toMatchObject({
      providerEventType: 'Bounce/HardBounce',
      recipient: 'ghost@example.org',
      messageRef: 'out_01jgz7k3m0ghost',
      occurredAt: new Date('2026-01-01T00:00:20.396Z'),
      bounce: { class: 'hard', reason: 'user-unknown', code: '5.1.1', diagnostic: 'smtp;550 5.1.1 The email account that you tried to reach does not exist.' },
    });
    expect(one('soft_bounce')[0].bounce).toMatchObject({ class: 'soft', reason: 'mailbox-full', code: '5.2.2' });
    expect(one('blocked')[0].bounce).toMatchObject({ class: 'block', reason: 'blocklisted' });
  });

  it('reads opens and clicks, with the open proxy IP', () => {
    expect(summary(one('click')[0])).toEqual({
      provider: 'postmark',
      type: 'clicked',
      providerEventType: 'Click',
      recipient: 'ann@example.com',
      occurredAt: '2026-01-01T01:02:00.906Z',
      providerMessageId: '883953f4-6105-42a2-a16a-77a8eac79483',
      messageRef: 'out_01jgz7k3m0ann',
      click: { url: 'https://acme.test/launch' },
      userAgent: expect.stringContaining('Chrome/120.0'),
      ip: '198.51.100.23',
    });
    expect(one('open')[0]).toMatchObject({ userAgent: expect.stringContaining('GoogleImageProxy'), ip: '66.249.84.2' });
  });

  it('hashes record type, message, recipient and time into a stable key', () => {
    expect(one('delivery')[0].dedupeKey).toMatch(/^postmark:[0-9a-f]{32}$/);
    const sameRecordOtherCase = { ...payloads.delivery, Recipient: 'ann@example.com' };
    expect(parseEvents(verified('postmark', sameRecordOtherCase))[0].dedupeKey).toBe(one('delivery')[0].dedupeKey);
    expectStableKeys(() => Object.keys(payloads).flatMap((name) => one(name)));
  });
});

describe('SES events inside SNS notifications', () => {
  const events = fixture('ses.json');
  const notification = (name: string, messageId = `sns-${name}`) => ({
    Type: 'Notification',
    MessageId: messageId,
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:tidings-ses-events',
    Message: JSON.stringify(events[name]),
    Timestamp: '2026-01-01T04:00:00.000Z',
  });
  const one = (name: string) => parseEvents(verified('ses', notification(name)));

  it.each([
    ['send', ['sent']],
    ['delivery', ['delivered']],
    ['bounce', ['bounced', 'bounced']],
    ['bounce_suppressed', ['bounced']],
    ['complaint', ['complained']],
    ['delivery_delay', ['deferred']],
    ['reject', ['failed']],
    ['open', ['opened']],
    ['click', ['clicked']],
    ['subscription', ['unsubscribed']],
  ])('%s → %j', (name, types) => {
    expect(one(name).map((e) => e.type)).toEqual(types);
  });

  it('gives each bounced recipient its own class', () => {
    const [ghost, carol] = one('bounce');
    expect(summary(ghost)).toEqual({
      provider: 'ses',
      type: 'bounced',
      providerEventType: 'Bounce',
      recipient: 'ghost@example.org',
      occurredAt: '2026-01-01T00:00:20.101Z',
      providerMessageId: '0100019a1b2c3d50-11223344-5566-7788-99aa-bbccddeeff00-000000',
      messageRef: 'out_01jgz7k3m0ghost',
      bounce: { class: 'hard', reason: 'user-unknown', code: '5.1.1', diagnostic: 'smtp; 550 5.1.1 <ghost@example.org>... User unknown' },
    });
    // SES called it Permanent; the code and text say the receiver refused the sender, not the address.
    expect(carol.bounce).toMatchObject({ class: 'block', reason: 'blocklisted' });
    expect(one('bounce_suppressed')[0].bounce).toEqual({ class: 'hard', reason: 'suppressed' });
  });

  it('reads complaints, delays, rejections, opens and clicks', () => {
    expect(one('complaint')[0]).toMatchObject({ detail: 'abuse', messageRef: 'out_01jgz7k3m0erin', occurredAt: new Date('2026-01-01T02:00:00.000Z') });
    expect(one('delivery_delay')[0].detail).toBe('TransientCommunicationFailure: smtp; 421 4.4.1 Unable to connect to remote host');
    expect(one('reject')[0]).toMatchObject({ recipient: 'hank@example.com', detail: 'Bad content' });
    expect(one('open')[0]).toMatchObject({ ip: '17.58.0.12', occurredAt: new Date('2026-01-01T01:00:00.652Z') });
    expect(one('click')[0]).toMatchObject({ click: { url: 'https://acme.test/launch' }, userAgent: expect.stringContaining('iPhone') });
    expect(one('send')[0].recipient).toBe('ann@example.com');
  });

  it('keys on the SNS MessageId and the recipient', () => {
    expect(one('bounce').map((e) => e.dedupeKey)).toEqual(['ses:sns-bounce:ghost@example.org', 'ses:sns-bounce:carol@example.com']);
    expectStableKeys(() => Object.keys(events).flatMap((name) => one(name)));
  });

  it('names a Message that is not SES JSON', () => {
    expect(() => parseEvents(verified('ses', { ...notification('send'), Message: 'hello' }))).toThrow(/body\.Message/);
    expect(() => parseEvents(verified('ses', { ...notification('send'), Message: '{"eventType":"Send"}' }))).toThrow(/body\.Message\.mail/);
  });
});
