import type { Logger } from 'pino';
import type { Store } from '../store/db.ts';
import type { SkipReason } from '../store/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { DomainError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { fromJson } from '../shared/json.ts';
import { campaignsRepo as repo, type CampaignRow, type NewMessageRow, type RecipientRow } from './repo.ts';
import { sharedMailbox, skipReasonOf, type TopicRule } from './skips.ts';
import { dueTimes } from './schedule.ts';
import type { CampaignAudience, CampaignSchedule } from './model.ts';
import type { CampaignAudienceReader } from './audience.ts';

/** Contacts per fan-out batch: one transaction, one checkpoint. */
export const FANOUT_BATCH = 1000;

/** One contact's outcome at fan-out. */
export interface Decision {
  row: RecipientRow;
  reason: SkipReason | null;
  /** The mailbox the contact shares with other spellings (Gmail), when it is sendable. */
  mailbox: string | null;
}

/** Skip rules for a batch (in id order), before duplicates: those need to know who claimed each mailbox. */
export function decide(rows: RecipientRow[], topic: TopicRule | null): Decision[] {
  return rows.map((row) => {
    const reason = skipReasonOf(
      { status: row.status, validation: row.validation, suppression: row.suppression, topicOptIn: row.topic_opt_in === null ? null : row.topic_opt_in === 1 },
      topic,
    );
    return { row, reason, mailbox: reason === null ? sharedMailbox(row.email) : null };
  });
}

/** Marks as `duplicate` every sendable contact whose mailbox another contact owns. */
export function applyDuplicates(decisions: Decision[], owners: ReadonlyMap<string, string>): void {
  for (const d of decisions) if (d.mailbox && owners.get(d.mailbox) !== d.row.id) d.reason = 'duplicate';
}

/** First claim per mailbox within a batch (contacts come in id order, so the earliest contact wins). */
export function mailboxClaims(decisions: Decision[]): Array<{ mailbox: string; contactId: string }> {
  const first = new Map<string, string>();
  for (const d of decisions) if (d.mailbox && !first.has(d.mailbox)) first.set(d.mailbox, d.row.id);
  return [...first].map(([mailbox, contactId]) => ({ mailbox, contactId }));
}

export type FanOutResult = 'done' | 'stopped' | 'partial';

export interface FanOutOptions {
  batchSize?: number;
  maxBatches?: number;
}

/**
 * Fan-out (S5.2): the campaign's audience → one outbox row per contact, queued or skipped with its
 * reason, before any provider call. Each batch is one transaction: the campaign row is locked and
 * re-checked (a cancel in between stops it), mailboxes are claimed, rows inserted (insert-or-ignore
 * on `dedupe_key`), counters and the checkpoint (last contact id) moved — all or nothing, so a
 * crash at any point resumes after the last committed batch with nothing counted twice.
 */
export class FanOut {
  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      log: Logger;
      reader: CampaignAudienceReader;
      /** Called when the audience cannot be resolved any more (a segment deleted since sending began). */
      fail: (campaignId: string, reason: string) => Promise<void>;
    },
  ) {}

  private get db() {
    return this.deps.store.db;
  }

  /** Runs (or resumes) a campaign's fan-out; `maxBatches` stops early (tests of resuming). */
  async run(campaignId: string, opts: FanOutOptions = {}): Promise<FanOutResult> {
    const c = await repo.byId(this.db, campaignId);
    if (!c || c.fanout_done_at || ['draft', 'scheduled', 'cancelled', 'failed'].includes(c.status)) return 'stopped';
    const audience = fromJson<CampaignAudience>(c.audience, { segmentIds: [], tagIds: [] });
    let stream;
    try {
      stream = await this.deps.reader.open(c.brand_id, audience);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await this.deps.fail(c.id, `its audience cannot be resolved: ${err.message}`);
      return 'stopped';
    }
    const topicDefault = c.topic_id ? await repo.topicDefault(this.db, c.brand_id, c.topic_id) : null;
    const topic = topicDefault === null ? null : { defaultOptIn: topicDefault };
    const dueAt = dueTimes(fromJson<CampaignSchedule | null>(c.schedule, null), this.deps.clock.now());

    let batches = 0;
    for await (const ids of stream.batches(c.fanout_cursor, opts.batchSize ?? FANOUT_BATCH)) {
      const rows = await repo.recipients(this.db, ids, c.topic_id);
      if (!(await this.writeBatch(c, ids, rows, topic, dueAt))) return 'stopped';
      if (opts.maxBatches !== undefined && ++batches >= opts.maxBatches) return 'partial';
    }
    await this.finish(c.id);
    return 'done';
  }

  private async writeBatch(c: CampaignRow, ids: string[], rows: RecipientRow[], topic: TopicRule | null, dueAt: (zone: string | null) => string): Promise<boolean> {
    const now = this.deps.clock.now().toISOString();
    // Rows come back from `IN (…)` in no particular order; duplicates must be decided in id order.
    rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return this.db.transaction().execute(async (trx) => {
      const live = await repo.lockForFanout(trx, c.id, now);
      if (!live) return false;
      const decisions = decide(rows, topic);
      applyDuplicates(decisions, await repo.claimMailboxes(trx, c.id, mailboxClaims(decisions)));
      const messages = decisions.map((d) => messageRow(live, d, dueAt(d.row.time_zone), now));
      const { sqlite } = this.deps.store;
      const inserted = sqlite ? repo.insertMessagesSqlite(sqlite, messages) : await repo.insertMessages(trx, messages);
      const skipped = inserted.filter((r) => r.status === 'skipped').length;
      await repo.checkpoint(trx, c.id, { cursor: ids[ids.length - 1], recipients: inserted.length, skipped, now });
      return true;
    });
  }

  /** The whole audience is in the outbox; an audience that turned out empty fails the campaign. */
  private async finish(campaignId: string): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    const c = await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('campaigns').set({ fanout_done_at: now, updated_at: now }).where('id', '=', campaignId).where('fanout_done_at', 'is', null).execute();
      await repo.dropMailboxes(trx, campaignId);
      return repo.byId(trx, campaignId);
    });
    if (c && Number(c.recipients) === 0) await this.deps.fail(campaignId, 'its audience matched no contacts when sending started');
    this.deps.log.info({ campaignId, recipients: c?.recipients, skipped: c?.skipped }, 'campaigns: fan-out done');
  }
}

function messageRow(c: CampaignRow, d: Decision, dueAt: string, now: string): NewMessageRow {
  return {
    id: newId('msg'),
    brand_id: c.brand_id,
    dedupe_key: `${c.id}:${d.row.id}`,
    campaign_id: c.id,
    contact_id: d.row.id,
    email: d.row.email,
    email_id: c.email_id,
    email_version: c.email_version,
    provider_id: c.provider_id,
    status: d.reason ? 'skipped' : 'queued',
    skip_reason: d.reason,
    due_at: dueAt,
    created_at: now,
    updated_at: now,
  };
}
