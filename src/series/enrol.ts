import type { Logger } from 'pino';
import type { Store, Executor } from '../store/db.ts';
import type { Clock } from '../shared/clock.ts';
import type { BrandsService } from '../brands/service.ts';
import type { SegmentsService } from '../audience/segments/service.ts';
import { CampaignAudienceReader } from '../campaigns/audience.ts';
import type { CampaignAudience } from '../campaigns/model.ts';
import { skipReasonOf } from '../campaigns/skips.ts';
import { DomainError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { fromJson, toJson } from '../shared/json.ts';
import { sendZone, stepDueAt } from './drip.ts';
import type { EnrolmentSource, EnrolResult, ExitReason, Reentry, SeriesExit, SeriesTrigger } from './model.ts';
import { seriesRepo as repo, type EnrolmentEventRow, type NewEnrolmentRow, type SeriesRow } from './repo.ts';

/** Contacts enrolled (or enrolments ended) per transaction. */
const BATCH = 1000;

/**
 * The earliest a new enrolment's first step may be due: just after the drip tick's mark (an
 * enrolment due at or before it would never be handed off; it can happen when the clock stands
 * where the last tick ran, or went back).
 */
const dueFloor = (series: SeriesRow | undefined): number => (series?.handed_until ? Date.parse(series.handed_until) + 1 : -Infinity);

export interface EnrollerDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  brands: Pick<BrandsService, 'getBrand'>;
  segments: SegmentsService;
}

/**
 * Who enters a series and who leaves it (S6.3): enrolment from a start audience, the API and the
 * automatic triggers, with the re-entry rule; and the exits (opt-outs, goals, removal, archive).
 * Every batch is one transaction: enrolments with their first step's due time and their
 * `enrolled` trail entries, or ended enrolments with their trail entries and withdrawn messages.
 */
export class Enroller {
  private readonly reader: CampaignAudienceReader;

  constructor(private readonly deps: EnrollerDeps) {
    this.reader = new CampaignAudienceReader(deps.segments);
  }

  private get db() {
    return this.deps.store.db;
  }

  /**
   * Enrols contacts of the brand (unknown ids are left out). Returns contact id → enrolment id for
   * those enrolled now; the others were already active, or may not enter again.
   */
  async enrol(series: SeriesRow, contactIds: readonly string[], source: EnrolmentSource): Promise<Map<string, string>> {
    const enrolled = new Map<string, string>();
    if (contactIds.length === 0) return enrolled;
    const steps = await repo.steps(this.db, series.id);
    const first = steps[0];
    if (!first) return enrolled;
    const brandZone = (await this.deps.brands.getBrand(series.brand_id)).timeZone;
    const reentry = series.reentry as Reentry;
    for (let i = 0; i < contactIds.length; i += BATCH) {
      const ids = contactIds.slice(i, i + BATCH);
      await this.db.transaction().execute(async (trx) => {
        const now = this.deps.clock.now();
        const nowIso = now.toISOString();
        const notBefore = dueFloor(await repo.lock(trx, this.deps.store.dialect, series.id, 'tick'));
        const blocked = new Set((await repo.existing(trx, series.id, ids)).filter((e) => e.status === 'active' || reentry === 'never').map((e) => e.contact_id));
        const rows: NewEnrolmentRow[] = [];
        for (const c of await repo.contactZones(trx, series.brand_id, ids)) {
          if (blocked.has(c.id)) continue;
          const due = Math.max(notBefore, stepDueAt(now.getTime(), first.offset_days, Number(series.send_hour), sendZone(series.time_zone, c.time_zone, brandZone)));
          rows.push({
            id: newId('enr'),
            brand_id: series.brand_id,
            series_id: series.id,
            contact_id: c.id,
            status: 'active',
            source,
            enrolled_at: nowIso,
            next_step_id: first.id,
            next_due_at: new Date(due).toISOString(),
            updated_at: nowIso,
          });
        }
        const inserted = await repo.insertEnrolments(trx, rows);
        await repo.insertEvents(
          trx,
          inserted.map((r) => ({ enrolment_id: r.id, at: nowIso, type: 'enrolled', step_id: null, detail: toJson({ source }) })),
        );
        for (const r of inserted) enrolled.set(r.contact_id, r.id);
      });
    }
    return enrolled;
  }

  /** One contact (the API): whether it was enrolled, and why not. */
  async enrolOne(series: SeriesRow, contactId: string, source: EnrolmentSource): Promise<EnrolResult> {
    const enrolled = await this.enrol(series, [contactId], source);
    const id = enrolled.get(contactId);
    if (id) return { enrolled: true, enrolmentId: id };
    const existing = await repo.existing(this.db, series.id, [contactId]);
    const active = existing.find((e) => e.status === 'active');
    if (active) return { enrolled: false, enrolmentId: active.id, reason: 'already-enrolled' };
    return { enrolled: false, reason: 'no-reentry' };
  }

  /** A start audience (segments and tags), in contact id order, a batch at a time. */
  async enrolAudience(series: SeriesRow, audience: CampaignAudience): Promise<number> {
    const stream = await this.reader.open(series.brand_id, audience);
    let n = 0;
    for await (const ids of stream.batches(null, BATCH)) n += (await this.enrol(series, ids, 'manual')).size;
    return n;
  }

  /** Checks an audience without enrolling anyone; errors name `audience.segmentIds.N` or `audience.tagIds`. */
  async checkAudience(brandId: string, audience: CampaignAudience): Promise<boolean> {
    return !(await (await this.reader.open(brandId, audience)).isEmpty());
  }

  // ---- automatic triggers ---------------------------------------------------------------------

  /** Enrols whoever the trigger brings in now; a trigger that cannot work any more is switched off with the reason. */
  async fromTrigger(series: SeriesRow): Promise<number> {
    const trigger = fromJson<SeriesTrigger>(series.trigger, { type: 'manual' });
    if (series.trigger_error || !series.started_at) return 0;
    try {
      switch (trigger.type) {
        case 'segment':
          return await this.fromSegment(series, trigger.segmentId);
        case 'tag':
          return await this.fromTag(series, trigger.tagId);
        case 'event':
          return await this.fromEvent(series, trigger.name);
        default:
          return 0;
      }
    } catch (err) {
      if (!(err instanceof DomainError) || (err.code !== 'not_found' && err.code !== 'validation_failed')) throw err;
      await this.disableTrigger(series, err.message);
      return 0;
    }
  }

  private async fromSegment(series: SeriesRow, segmentId: string): Promise<number> {
    const filter = (await this.deps.segments.get(series.brand_id, segmentId).catch((err) => {
      throw err instanceof DomainError && err.code === 'not_found' ? new DomainError('not_found', `segment ${segmentId} was deleted`) : err;
    })).filter;
    const members = await this.deps.segments.contactIdsQuery(series.brand_id, filter);
    return this.drain((after) => repo.notEnrolled(members, series.id, after, BATCH), series, 'segment');
  }

  private async fromTag(series: SeriesRow, tagId: string): Promise<number> {
    if (!(await repo.tagExists(this.db, series.brand_id, tagId))) throw new DomainError('not_found', `tag ${tagId} was deleted`);
    const reentry = series.reentry === 'after-exit';
    return this.drain((after) => repo.taggedSince(this.db, { seriesId: series.id, tagId, since: series.started_at!, reentry, after, limit: BATCH }), series, 'tag');
  }

  private async fromEvent(series: SeriesRow, name: string): Promise<number> {
    const reentry = series.reentry === 'after-exit';
    return this.drain((after) => repo.eventSince(this.db, { brandId: series.brand_id, seriesId: series.id, name, since: series.started_at!, reentry, after, limit: BATCH }), series, 'event');
  }

  /** Pages through candidates by contact id and enrols each page. */
  private async drain(page: (after: string | null) => Promise<string[]>, series: SeriesRow, source: EnrolmentSource): Promise<number> {
    let n = 0;
    for (let after: string | null = null; ; ) {
      const ids = await page(after);
      if (ids.length === 0) return n;
      n += (await this.enrol(series, ids, source)).size;
      after = ids[ids.length - 1];
    }
  }

  private async disableTrigger(series: SeriesRow, problem: string): Promise<void> {
    const reason = `the trigger is off: ${problem}; choose another trigger to switch it on again`;
    await repo.update(this.db, series.id, { trigger_error: reason, updated_at: this.deps.clock.now().toISOString() });
    this.deps.log.warn({ seriesId: series.id, reason }, 'series: trigger switched off');
  }

  // ---- exits ------------------------------------------------------------------------------------

  /** Ends the enrolments of contacts that opted out (status or suppression) or reached the goal. */
  async sweepExits(series: SeriesRow): Promise<number> {
    const byReason = new Map<ExitReason, string[]>();
    const add = (reason: ExitReason, id: string) => byReason.set(reason, [...(byReason.get(reason) ?? []), id]);
    for (const r of await repo.optedOut(this.db, series.brand_id, series.id)) {
      const reason = skipReasonOf({ status: r.status, validation: 'valid', suppression: r.suppression, topicOptIn: null }, null);
      if (reason === 'complained' || reason === 'bounced' || reason === 'unsubscribed') add(reason, r.id);
    }
    const exit = fromJson<SeriesExit>(series.exit_rules, { tagId: null, event: null });
    if (exit.tagId) for (const id of await repo.reachedGoalTag(this.db, series.id, exit.tagId)) add('goal', id);
    if (exit.event && series.started_at) for (const id of await repo.reachedGoalEvent(this.db, series.brand_id, series.id, exit.event, series.started_at)) add('goal', id);
    let n = 0;
    for (const [reason, ids] of byReason) n += await this.exit(series.id, [...new Set(ids)], reason);
    return n;
  }

  /** Ends active enrolments with a reason: trail entries, and their queued step messages withdrawn. */
  async exit(seriesId: string, ids: readonly string[], reason: ExitReason, detail: Record<string, unknown> = {}): Promise<number> {
    let n = 0;
    for (let i = 0; i < ids.length; i += BATCH) {
      n += await this.db.transaction().execute((trx) => this.exitIn(trx, seriesId, ids.slice(i, i + BATCH), reason, detail));
    }
    return n;
  }

  /** The same inside the caller's transaction. */
  async exitIn(trx: Executor, seriesId: string, ids: readonly string[], reason: ExitReason, detail: Record<string, unknown> = {}): Promise<number> {
    const now = this.deps.clock.now().toISOString();
    const ended = await repo.end(trx, ids, { status: 'exited', exit_reason: reason, now });
    await repo.withdraw(trx, seriesId, ended, now);
    const events: EnrolmentEventRow[] = ended.map((id) => ({ enrolment_id: id, at: now, type: 'exited', step_id: null, detail: toJson({ reason, ...detail }) }));
    await repo.insertEvents(trx, events);
    return ended.length;
  }
}
