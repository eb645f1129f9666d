import { sql, type RawBuilder } from 'kysely';
import type { Dialect, Executor } from '../../store/db.ts';
import type { SkipReason } from '../../store/schema.ts';

/**
 * The outbox's queries, in the order a message meets them: claimed with a lease, settled with its
 * outcome, or found again when its worker died. Every settle is fenced by the lease it was claimed
 * with (`lease_until` is unique to one claim: a row is claimed again only after its lease ran out
 * and it was re-queued, and a new claim's lease ends later), so a worker that lost its row to
 * another cannot overwrite the other's outcome or count it twice.
 */

export interface DispatchingCampaign {
  id: string;
  brand_id: string;
  provider_id: string | null;
  status: 'sending' | 'throttled';
}

export interface ClaimedMessage {
  id: string;
  contact_id: string;
  email: string;
  attempts: number;
}

export type Settlement =
  | { id: string; status: 'sent'; providerMessageId: string }
  /** Back in the queue: a retry (`dueAt` later) or a release that does not count as an attempt. */
  | { id: string; status: 'queued'; dueAt: string; error: string | null; attemptUsed: boolean }
  | { id: string; status: 'failed'; error: string }
  | { id: string; status: 'skipped'; skipReason: SkipReason };

export interface ClaimRequest {
  campaignId: string;
  /** The provider account the messages go through; the in-flight cap counts per account. */
  accountId: string;
  now: string;
  leaseUntil: string;
  limit: number;
  /** At most this many messages of the account may be in `sending` at once, across all processes. */
  maxInFlight: number;
}

const timeType = (dialect: Dialect) => (dialect === 'postgres' ? sql`timestamptz` : sql`text`);

export const outboxRepo = {
  async dispatching(db: Executor): Promise<DispatchingCampaign[]> {
    return (await db
      .selectFrom('campaigns')
      .select(['id', 'brand_id', 'provider_id', 'status'])
      .where('status', 'in', ['sending', 'throttled'])
      .orderBy('started_at')
      .execute()) as DispatchingCampaign[];
  },

  /**
   * Due queued messages of one campaign → `sending`, leased until `leaseUntil`, attempt counted at
   * claim (a worker killed mid-send has used an attempt too). The in-flight cap is part of the same
   * statement; on PostgreSQL an advisory lock per account serialises claims so two workers cannot
   * both read the same in-flight count, and SKIP LOCKED lets them pass rows another transaction holds.
   */
  async claim(db: Executor, dialect: Dialect, r: ClaimRequest): Promise<ClaimedMessage[]> {
    const inFlight = sql`(select count(*) from messages where status = 'sending' and provider_id = ${r.accountId})`;
    // Checked in the claim itself: a campaign paused or cancelled a moment ago gives nothing more.
    const live = sql`exists (select 1 from campaigns where id = ${r.campaignId} and status in ('sending', 'throttled'))`;
    if (dialect === 'sqlite') {
      const rows = await sql<ClaimedMessage>`
        update messages set status = 'sending', lease_until = ${r.leaseUntil}, attempts = attempts + 1, provider_id = ${r.accountId}, updated_at = ${r.now}
        where id in (
          select id from messages
          where campaign_id = ${r.campaignId} and status = 'queued' and due_at <= ${r.now} and ${live}
          order by due_at
          limit max(0, min(${r.limit}, ${r.maxInFlight} - ${inFlight})))
        returning id, contact_id, email, attempts`.execute(db);
      return rows.rows;
    }
    const rows = await sql<ClaimedMessage>`
      update messages set status = 'sending', lease_until = ${r.leaseUntil}, attempts = attempts + 1, provider_id = ${r.accountId}, updated_at = ${r.now}
      where id in (
        select id from messages
        where campaign_id = ${r.campaignId} and status = 'queued' and due_at <= ${r.now} and ${live}
        order by due_at
        limit greatest(0, least(${r.limit}::int, ${r.maxInFlight}::int - ${inFlight}))
        for update skip locked)
      returning id, contact_id, email, attempts`.execute(db);
    return rows.rows;
  },

  /** Serialises claims for one provider account until the caller's transaction ends (PostgreSQL). */
  async lockAccount(db: Executor, accountId: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtext(${`outbox:${accountId}`}))`.execute(db);
  },

  /** Writes each claimed message's outcome in one statement; returns the rows this lease still held. */
  async settle(db: Executor, dialect: Dialect, leaseUntil: string, now: string, outcomes: Settlement[]): Promise<Array<{ id: string; status: string }>> {
    if (outcomes.length === 0) return [];
    const t = timeType(dialect);
    const values = outcomes.map((o) => {
      const pmid = o.status === 'sent' ? o.providerMessageId : null;
      const error = o.status === 'queued' || o.status === 'failed' ? o.error : null;
      const due = o.status === 'queued' ? o.dueAt : null;
      const skip = o.status === 'skipped' ? o.skipReason : null;
      // A release (provider unusable, nothing was attempted) gives the attempt taken at claim back.
      const giveBack = o.status === 'queued' && !o.attemptUsed ? 1 : 0;
      return sql`(cast(${o.id} as text), cast(${o.status} as text), cast(${pmid} as text), cast(${error} as text), cast(${due} as ${t}), cast(${skip} as text), cast(${giveBack} as integer))`;
    });
    const r = await sql<{ id: string; status: string }>`
      update messages set
        status = v.column2,
        provider_message_id = coalesce(v.column3, messages.provider_message_id),
        error = v.column4,
        due_at = coalesce(v.column5, messages.due_at),
        skip_reason = coalesce(v.column6, messages.skip_reason),
        sent_at = case when v.column2 = 'sent' then cast(${now} as ${t}) else messages.sent_at end,
        attempts = messages.attempts - v.column7,
        lease_until = null,
        updated_at = cast(${now} as ${t})
      from (values ${sql.join(values)}) as v
      where messages.id = v.column1 and messages.status = 'sending' and messages.lease_until = cast(${leaseUntil} as ${t})
      returning messages.id as id, messages.status as status`.execute(db);
    return r.rows;
  },

  /**
   * Messages whose worker died (lease ran out while `sending`) go back to the queue; those are the
   * only ones that may reach a recipient twice. A message that used up its attempts this way fails
   * instead, so one that crashes every worker cannot loop forever. Returns failures per campaign.
   */
  async recoverExpired(db: Executor, now: string, maxAttempts: number): Promise<{ requeued: number; failed: Map<string, number>; campaigns: Set<string> }> {
    const gaveUp = await db
      .updateTable('messages')
      .set({ status: 'failed', error: `gave up after ${maxAttempts} attempts: the worker sending it stopped each time`, lease_until: null, updated_at: now })
      .where('status', '=', 'sending')
      .where('lease_until', '<', now)
      .where('attempts', '>=', maxAttempts)
      .returning('campaign_id')
      .execute();
    const requeued = await db
      .updateTable('messages')
      .set({ status: 'queued', lease_until: null, updated_at: now })
      .where('status', '=', 'sending')
      .where('lease_until', '<', now)
      .returning('campaign_id')
      .execute();
    const failed = new Map<string, number>();
    for (const { campaign_id } of gaveUp) if (campaign_id) failed.set(campaign_id, (failed.get(campaign_id) ?? 0) + 1);
    return { requeued: requeued.length, failed, campaigns: new Set(requeued.flatMap((r) => (r.campaign_id ? [r.campaign_id] : []))) };
  },

  /** Locks the campaign row until the transaction ends, so a cancel cannot interleave with a settle. */
  async lockCampaign(db: Executor, campaignId: string, now: string): Promise<void> {
    await db.updateTable('campaigns').set({ updated_at: now }).where('id', '=', campaignId).execute();
  },

  /**
   * Messages that came back to the queue (a retry, an expired lease) after their campaign was
   * cancelled or failed are withdrawn with the rest, so the campaign's counts still add up.
   */
  async withdrawIfStopped(db: Executor, campaignId: string, now: string): Promise<number> {
    const c = await db.selectFrom('campaigns').select('status').where('id', '=', campaignId).executeTakeFirst();
    if (c?.status !== 'cancelled' && c?.status !== 'failed') return 0;
    const r = await db.updateTable('messages').set({ status: 'cancelled', updated_at: now }).where('campaign_id', '=', campaignId).where('status', '=', 'queued').executeTakeFirst();
    const n = Number(r.numUpdatedRows);
    if (n > 0) await db.updateTable('campaigns').set((eb) => ({ cancelled: eb('cancelled', '+', n) })).where('id', '=', campaignId).execute();
    return n;
  },

  async addCounts(db: Executor, campaignId: string, c: { sent?: number; failed?: number; skipped?: number }, now: string): Promise<void> {
    if (!c.sent && !c.failed && !c.skipped) return;
    await db
      .updateTable('campaigns')
      .set((eb) => ({
        sent: eb('sent', '+', c.sent ?? 0),
        failed: eb('failed', '+', c.failed ?? 0),
        skipped: eb('skipped', '+', c.skipped ?? 0),
        updated_at: now,
      }))
      .where('id', '=', campaignId)
      .execute();
  },

  /** Hard bounces and complaints among a campaign's sent messages (filled in by provider events). */
  async health(db: Executor, campaignId: string): Promise<{ sent: number; hardBounces: number; complaints: number }> {
    const r = await db
      .selectFrom('messages')
      .select([
        sql<number>`count(*)`.as('sent'),
        sql<number>`coalesce(sum(case when bounce_class = 'hard' then 1 else 0 end), 0)`.as('hard'),
        sql<number>`coalesce(sum(case when complained_at is not null then 1 else 0 end), 0)`.as('complaints'),
      ])
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'sent')
      .executeTakeFirstOrThrow();
    return { sent: Number(r.sent), hardBounces: Number(r.hard), complaints: Number(r.complaints) };
  },

  /** `sending` ⇄ `throttled`, written only on a change. */
  async setThrottled(db: Executor, campaignId: string, reason: string | null, now: string): Promise<void> {
    const [from, to] = reason === null ? (['throttled', 'sending'] as const) : (['sending', 'throttled'] as const);
    await db.updateTable('campaigns').set({ status: to, status_reason: reason, updated_at: now }).where('id', '=', campaignId).where('status', '=', from).execute();
  },

  /**
   * The campaign is done once its whole audience is in the outbox and nothing is queued or in
   * flight: `sent`, or `failed` when not one message went out. One statement, so two workers
   * draining the last messages cannot both finish it.
   */
  async finishIfDrained(db: Executor, campaignId: string, now: string): Promise<string | null> {
    const active = sql`exists (select 1 from messages where campaign_id = ${campaignId} and status in ('queued', 'sending'))`;
    const failed: RawBuilder<boolean> = sql`(sent = 0 and failed > 0)`;
    const r = await db
      .updateTable('campaigns')
      .set({
        status: sql`case when ${failed} then 'failed' else 'sent' end`,
        status_reason: sql`case when ${failed} then 'no message was accepted: every one failed (see the campaign log)' else null end`,
        finished_at: now,
        updated_at: now,
      })
      .where('id', '=', campaignId)
      .where('status', 'in', ['sending', 'throttled'])
      .where('fanout_done_at', 'is not', null)
      .where(sql<boolean>`not ${active}`)
      .returning('status')
      .executeTakeFirst();
    return r?.status ?? null;
  },
};
