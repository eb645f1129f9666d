import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { expect } from 'vitest';
import type { TestApp } from '../../test/helpers/app.ts';
import type { AuthContext } from '../brands/model.ts';
import { PreflightService } from '../preflight/service.ts';
import { InThreadBuilder } from '../delivery/send-path/build.ts';
import type { EmailProvider, ProviderKind } from '../delivery/providers/model.ts';
import { SmtpProvider, SmtpSettings } from '../delivery/providers/smtp.ts';
import type { DispatcherOptions } from '../delivery/outbox/dispatcher.ts';
import { newId } from '../shared/ids.ts';
import { notFound } from '../shared/errors.ts';
import { CampaignsService } from './service.ts';

/**
 * Test kit for campaigns and the outbox: a campaigns service over a test app's real database and
 * services, sending through a real provider of the test's choosing (usually SMTP into a scripted
 * sink on loopback), with SpamAssassin swapped for preflight's built-in heuristic so a send takes
 * milliseconds instead of a second. Nothing here stands in for the database or SMTP.
 */

/** What the sink answers to one message: accept, or an SMTP error reply. */
export type SinkReply = null | { code: number; message: string };

export interface ScriptedSink {
  port: number;
  /** Every accepted message: envelope recipient and raw bytes. */
  received: Array<{ to: string; raw: string }>;
  /** How many times each recipient was offered a message (accepted or not). */
  offered: Map<string, number>;
  /** Decides the reply per message; accept everything by default. */
  reply: (to: string, attempt: number) => SinkReply;
  close(): Promise<void>;
}

export async function scriptedSink(): Promise<ScriptedSink> {
  const sink: ScriptedSink = {
    port: 0,
    received: [],
    offered: new Map(),
    reply: () => null,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // Pooled client connections stay open between tests; closing must not wait 30 s for them.
    closeTimeout: 50,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo[0]?.address ?? '';
        const attempt = (sink.offered.get(to) ?? 0) + 1;
        sink.offered.set(to, attempt);
        const reply = sink.reply(to, attempt);
        if (reply) return done(Object.assign(new Error(reply.message), { responseCode: reply.code }));
        sink.received.push({ to, raw: Buffer.concat(chunks).toString('utf8') });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.port = (server.server.address() as AddressInfo).port;
  return sink;
}

export function smtpTo(port: number): SmtpProvider {
  return new SmtpProvider(SmtpSettings.parse({ kind: 'smtp', host: '127.0.0.1', port, tls: 'none', maxConnections: 2, timeoutMs: 5_000 }), { clock: { now: () => new Date() } });
}

/** Every campaign sends through `provider`, as account `accountId` (the only account there is). */
export function fixedProvider(provider: EmailProvider, accountId = 'prv_test', kind: ProviderKind = 'smtp') {
  return {
    resolve: async () => ({ id: accountId, kind, provider }),
    // The sink runs on this machine and the tests read what it got: no recipient has to reach our links.
    assertRecipientsCanReachUs: async () => {},
    get: async (_brandId: string, id: string) => {
      if (id !== accountId) throw notFound('provider account', id);
      return { id, kind };
    },
  };
}

export function campaignsFor(t: TestApp, provider: EmailProvider, dispatcher: Partial<DispatcherOptions> = {}, kind: ProviderKind = 'smtp'): CampaignsService {
  const { ctx } = t;
  const preflight = new PreflightService({ store: ctx.store, clock: ctx.clock, config: ctx.config, secret: ctx.secret, emails: ctx.emails, audience: ctx.audience, spam: { binary: '/nonexistent/spamassassin' } });
  return new CampaignsService({
    store: ctx.store,
    clock: ctx.clock,
    log: ctx.log,
    config: ctx.config,
    secret: ctx.secret,
    brands: ctx.brands,
    emails: ctx.emails,
    segments: ctx.segments,
    preflight,
    jobs: ctx.jobs,
    providers: fixedProvider(provider, 'prv_test', kind),
    domains: ctx.domains,
    builder: new InThreadBuilder(),
    recorder: ctx.tracking,
    // Fixed jitter: retry times are exact, so tests can step the clock to them.
    dispatcher: { random: () => 1, ...dispatcher },
  });
}

export async function authOf(t: TestApp): Promise<AuthContext> {
  const auth = await t.ctx.brands.authForApiKey(t.apiKey);
  if (!auth) throw new Error('the test API key does not authenticate');
  return auth;
}

/** Contacts through the API; subscribed unless a row says otherwise (the API's own default is non-subscribed). */
export async function createContacts(t: TestApp, rows: Array<Record<string, unknown>>): Promise<string[]> {
  const ids: string[] = [];
  for (const row of rows) {
    const res = await t.api('POST', '/api/v1/contacts', { status: 'subscribed', ...row });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids.push(res.body.id);
  }
  return ids;
}

/** `n` subscribed contacts r0@example.com… tagged with a fresh tag; returns the tag id. */
export async function taggedContacts(t: TestApp, n: number, prefix = 'r'): Promise<{ tagId: string; ids: string[] }> {
  const tag = await t.api('POST', '/api/v1/tags', { name: `${prefix}-${Date.now()}-${Math.random()}` });
  expect(tag.status, JSON.stringify(tag.body)).toBe(201);
  const ids = await createContacts(
    t,
    Array.from({ length: n }, (_, i) => ({ email: `${prefix}${i}@example.com`, firstName: `R${i}`, tagIds: [tag.body.id] })),
  );
  return { tagId: tag.body.id, ids };
}

/** Many subscribed, valid contacts with one tag, written in bulk (the API takes one contact per call). */
export async function bulkContacts(t: TestApp, n: number, prefix: string): Promise<{ tagId: string; ids: string[] }> {
  const tag = await t.api('POST', '/api/v1/tags', { name: `${prefix}-bulk` });
  expect(tag.status, JSON.stringify(tag.body)).toBe(201);
  const now = t.clock.now().toISOString();
  const ids = Array.from({ length: n }, () => newId('ctc'));
  const { db } = t.ctx.store;
  for (let i = 0; i < n; i += 500) {
    const slice = ids.slice(i, i + 500);
    await db
      .insertInto('contacts')
      .values(slice.map((id, j) => ({ id, brand_id: t.brandId, email: `${prefix}${i + j}@example.com`, status: 'subscribed' as const, validation: 'valid' as const, attributes: '{}', created_at: now, updated_at: now })))
      .execute();
    await db
      .insertInto('contact_tags')
      .values(slice.map((id) => ({ contact_id: id, tag_id: tag.body.id, created_at: now })))
      .execute();
  }
  return { tagId: tag.body.id, ids };
}

/** A block email with a greeting, a tracked-looking link (a button) and a footer. */
export const LINKED_DOCUMENT = {
  theme: { primary: '#1d4ed8', text: '#1f2933', background: '#f3f4f6', contentBackground: '#ffffff', headingFont: 'Georgia, serif', bodyFont: 'Arial, sans-serif' },
  sections: [
    {
      id: 'main',
      blocks: [
        { id: 'hello', type: 'text', text: 'Hi {{ contact.first_name | default: "there" }}, the spring beans are in.' },
        { id: 'cta', type: 'button', text: 'See the spring beans', url: 'https://tidings-demo.com/spring' },
        { id: 'foot', type: 'footer', text: 'You get this because you joined Acme Coffee Rewards.' },
      ],
    },
  ],
};

export async function createEmail(t: TestApp, body: Record<string, unknown> = {}): Promise<string> {
  const res = await t.api('POST', '/api/v1/emails', { name: 'Spring', subject: 'Hi {{ contact.first_name | default: "there" }}', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

/**
 * Puts a draft straight into `sending` with its email's current version, as a send does after its
 * checks and preflight. For tests of what happens after the start (the send itself, with its
 * preflight, is tested on its own); saves a preflight run per campaign.
 */
export async function markSending(t: TestApp, campaignId: string): Promise<void> {
  const now = t.clock.now().toISOString();
  await t.ctx.store.db
    .updateTable('campaigns')
    .set((eb) => ({ status: 'sending', email_version: eb.selectFrom('emails').select('version').whereRef('emails.id', '=', 'campaigns.email_id'), send_at: now, started_at: now, updated_at: now }))
    .where('id', '=', campaignId)
    .where('status', '=', 'draft')
    .execute();
}

/** Rows of a campaign's outbox by status. */
export async function statusCounts(t: TestApp, campaignId: string): Promise<Record<string, number>> {
  const rows = await t.ctx.store.db.selectFrom('messages').select(['status']).where('campaign_id', '=', campaignId).execute();
  const out: Record<string, number> = {};
  for (const r of rows) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}
