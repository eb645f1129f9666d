import { expect } from 'vitest';
import type { TestApp } from '../../test/helpers/app.ts';
import type { Composer } from '../composer/model.ts';
import { composerFor } from '../composer/service.ts';
import { PreflightService } from '../preflight/service.ts';
import type { MessagesTable } from '../store/schema.ts';
import type { DripOptions } from './drip.ts';
import type { Series } from './model.ts';
import { SeriesService } from './service.ts';

/**
 * Test kit for series: a series service over a test app's real database and services, with
 * SpamAssassin swapped for preflight's built-in heuristic (a start checks every email; SpamAssassin
 * takes seconds per email) and the composer of the test's choosing (the built-in one by default).
 */

export const WELCOME = 'a 4-email welcome flow for new subscribers of a coffee subscription';

export function seriesFor(t: TestApp, opts: { composer?: Composer; drip?: Partial<DripOptions> } = {}): SeriesService {
  const { ctx } = t;
  const preflight = new PreflightService({ store: ctx.store, clock: ctx.clock, config: ctx.config, secret: ctx.secret, emails: ctx.emails, audience: ctx.audience, spam: { binary: '/nonexistent/spamassassin' } });
  return new SeriesService({
    store: ctx.store,
    clock: ctx.clock,
    log: ctx.log,
    brands: ctx.brands,
    emails: ctx.emails,
    segments: ctx.segments,
    preflight,
    tracking: ctx.tracking,
    providers: ctx.providers,
    composer: opts.composer ?? composerFor(ctx.config.composer),
    jobs: ctx.jobs,
    drip: opts.drip,
  });
}

/** A series with the given offsets (days after enrolment), generated from the welcome brief. */
export async function seriesWith(service: SeriesService, auth: Parameters<SeriesService['generate']>[0], offsets: number[]): Promise<Series> {
  const s = await service.generate(auth, { brief: { prompt: WELCOME, count: offsets.length } });
  expect(s.steps).toHaveLength(offsets.length);
  // All to the latest day first (from the last), then each to its own (from the first): offsets never go backwards on the way.
  const latest = Math.max(...offsets, ...s.steps.map((x) => x.offsetDays));
  for (const step of [...s.steps].reverse()) await service.setOffset(auth, s.id, step.id, { offsetDays: latest });
  for (const [i, offsetDays] of offsets.entries()) await service.setOffset(auth, s.id, s.steps[i].id, { offsetDays });
  return service.get(auth.brandId, s.id);
}

const FIXTURE: { type: 'system'; id: string } = { type: 'system', id: 'series-test' };

/**
 * Subscribed contacts written through the audience service (not the API: tests that move the clock
 * backwards would meet the API's rate limit, which refills by that clock).
 */
export async function contacts(t: TestApp, rows: Array<Record<string, unknown>>): Promise<string[]> {
  const ids: string[] = [];
  for (const row of rows) ids.push((await t.ctx.audience.createContact(t.brandId, { status: 'subscribed', ...row }, FIXTURE)).id);
  return ids;
}

/** `n` subscribed contacts with a fresh tag. */
export async function tagged(t: TestApp, n: number, prefix: string): Promise<{ tagId: string; ids: string[] }> {
  const [tagId] = await t.ctx.audience.tagIdsForNames(t.brandId, [`${prefix}-tag`], { create: true });
  return { tagId, ids: await contacts(t, Array.from({ length: n }, (_, i) => ({ email: `${prefix}${i}@example.com`, tagIds: [tagId] }))) };
}

export type MessageRow = Pick<MessagesTable, 'id' | 'contact_id' | 'campaign_id' | 'enrolment_id' | 'step' | 'status' | 'skip_reason' | 'dedupe_key' | 'email_version'> & { due_at: string };

/** The series' outbox rows, oldest first. */
export async function messagesOf(t: TestApp, seriesId: string): Promise<MessageRow[]> {
  const rows = await t.ctx.store.db
    .selectFrom('messages')
    .select(['id', 'contact_id', 'campaign_id', 'enrolment_id', 'step', 'status', 'skip_reason', 'dedupe_key', 'email_version', 'due_at'])
    .where('series_id', '=', seriesId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, due_at: new Date(r.due_at).toISOString() }));
}

/** Step ids each contact got a message for, in the order they were written. */
export async function stepsByContact(t: TestApp, seriesId: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const m of await messagesOf(t, seriesId)) out.set(m.contact_id, [...(out.get(m.contact_id) ?? []), m.dedupe_key.split(':')[1]]);
  return out;
}

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
