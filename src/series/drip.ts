import { IANAZone } from 'luxon';
import type { Logger } from 'pino';
import type { Dialect, Store, Executor } from '../store/db.ts';
import type { SkipReason } from '../store/schema.ts';
import type { Clock } from '../shared/clock.ts';
import type { BrandsService } from '../brands/service.ts';
import { skipReasonOf } from '../campaigns/skips.ts';
import { newId } from '../shared/ids.ts';
import { fromJson, toJson } from '../shared/json.ts';
import { CATCH_UP_MS, type ExitReason, type SeriesExit } from './model.ts';
import { seriesRepo as repo, type Advance, type DueRow, type EnrolmentEventRow, type NewMessageRow, type SeriesRow, type StepWithCarrier } from './repo.ts';
import type { Enroller } from './enrol.ts';

// ---- timing (pure) ------------------------------------------------------------------------------

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const zones = new Map<string, IANAZone | null>();
/** Per zone, its offset per UTC day, or null on a day its offset changes (DST): Intl lookups are slow. */
const dayOffsets = new Map<IANAZone, Map<number, number | null>>();

function zoneOf(name: string): IANAZone | null {
  let z = zones.get(name);
  if (z === undefined) {
    z = IANAZone.isValidZone(name) ? IANAZone.create(name) : null;
    zones.set(name, z);
  }
  return z;
}

export const isTimeZone = (name: string): boolean => zoneOf(name) !== null;

/**
 * Minutes east of UTC in `zone` at instant `ms`. Intl is slow (tens of µs), so each zone's offset
 * is looked up once per UTC day: the same at the day's first and last millisecond means no change
 * that day; on the few days it changes, the instant itself is looked up.
 */
function offsetAt(zone: IANAZone, ms: number): number {
  const day = Math.floor(ms / DAY);
  let days = dayOffsets.get(zone);
  if (!days) dayOffsets.set(zone, (days = new Map()));
  let o = days.get(day);
  if (o === undefined) {
    const first = zone.offset(day * DAY);
    o = first === zone.offset((day + 1) * DAY - 1) ? first : null;
    if (days.size > 10_000) days.clear();
    days.set(day, o);
  }
  return o ?? zone.offset(ms);
}

/** The instant a local wall-clock time (as ms since the epoch, read as if UTC) happens in `zone`; a time skipped by DST moves forward. */
function instantOfLocal(zone: IANAZone, local: number): number {
  const o1 = offsetAt(zone, local);
  const guess = local - o1 * MINUTE;
  const o2 = offsetAt(zone, guess);
  if (o1 === o2) return guess;
  const second = local - o2 * MINUTE;
  const o3 = offsetAt(zone, second);
  return o2 === o3 ? second : local - Math.min(o2, o3) * MINUTE;
}

/** The zone a contact's steps are timed in: the series' zone, else the contact's, else the brand's, else UTC. */
export function sendZone(seriesZone: string | null, contactZone: string | null, brandZone: string | null): IANAZone {
  return (seriesZone && zoneOf(seriesZone)) || (contactZone && zoneOf(contactZone)) || (brandZone && zoneOf(brandZone)) || zoneOf('UTC')!;
}

/**
 * When a step is due for an enrolment: offset 0 at the enrolment itself; offset d at `sendHour`:00
 * on the local date of enrolment + d days, in `zone`.
 */
export function stepDueAt(enrolledAt: number, offsetDays: number, sendHour: number, zone: IANAZone): number {
  if (offsetDays === 0) return enrolledAt;
  return instantOfLocal(zone, (localDayOf(enrolledAt, zone) + offsetDays) * DAY + sendHour * HOUR);
}

/** The local date (days since the epoch) of an instant in `zone`. */
const localDayOf = (ms: number, zone: IANAZone): number => Math.floor((ms + offsetAt(zone, ms) * MINUTE) / DAY);

/** The next step's due time, never inside the tick that handed off the previous one (missed steps go one per tick). */
export function nextDueAt(enrolledAt: number, offsetDays: number, sendHour: number, zone: IANAZone, now: number): number {
  return Math.max(stepDueAt(enrolledAt, offsetDays, sendHour, zone), now + CATCH_UP_MS);
}

// ---- one batch, decided (pure) --------------------------------------------------------------------

/**
 * The next due times of one batch, as stored. Enrolments in the same zone that enrolled on the
 * same local date share each later step's time, so each is worked out (and formatted) once.
 */
class BatchDueTimes {
  private readonly known = new Map<IANAZone, Map<number, string>>();

  constructor(
    private readonly sendHour: number,
    private readonly now: number,
  ) {}

  of(enrolledAt: number, zone: IANAZone, step: Pick<StepWithCarrier, 'position' | 'offset_days'>): string {
    // Offset 0 is the enrolment's own instant, not a time of its local date.
    if (step.offset_days === 0) return this.work(enrolledAt, zone, step);
    let byDay = this.known.get(zone);
    if (!byDay) this.known.set(zone, (byDay = new Map()));
    // One number per (date, step): positions stay below MAX_STEPS (model.ts), far below 1024.
    const key = localDayOf(enrolledAt, zone) * 1024 + step.position;
    let iso = byDay.get(key);
    if (iso === undefined) byDay.set(key, (iso = this.work(enrolledAt, zone, step)));
    return iso;
  }

  private work(enrolledAt: number, zone: IANAZone, step: Pick<StepWithCarrier, 'offset_days'>): string {
    return new Date(nextDueAt(enrolledAt, step.offset_days, this.sendHour, zone, this.now)).toISOString();
  }
}

/** The skip reasons that end an enrolment, not only the step: the address itself said no. */
const EXITING: Partial<Record<SkipReason, ExitReason>> = { complained: 'complained', bounced: 'bounced', unsubscribed: 'unsubscribed' };

export interface BatchContext {
  series: SeriesRow;
  steps: StepWithCarrier[];
  brandZone: string | null;
  now: number;
  /** Contacts of the batch that reached the series' goal (tag or event). */
  goal: Set<string>;
}

export interface BatchPlan {
  messages: NewMessageRow[];
  advances: Advance[];
  /** Enrolments that end, with the step they ended on (null: none). */
  ends: Array<{ id: string; status: 'completed' | 'exited'; reason: ExitReason | null; stepId: string | null }>;
}

/**
 * Decides a batch of due enrolments: each gets its next step as an outbox message (queued, or
 * skipped with one reason), or completes, or exits. Only the next step: the one after it is due
 * at its own time, or one tick later if that time has passed.
 */
export function planBatch(rows: DueRow[], ctx: BatchContext): BatchPlan {
  const plan: BatchPlan = { messages: [], advances: [], ends: [] };
  const nowIso = new Date(ctx.now).toISOString();
  const { series, steps } = ctx;
  const dueTimes = new BatchDueTimes(Number(series.send_hour), ctx.now);
  for (const row of rows) {
    if (ctx.goal.has(row.contact_id)) {
      plan.ends.push({ id: row.id, status: 'exited', reason: 'goal', stepId: null });
      continue;
    }
    const lastPosition = Number(row.last_position);
    const step = steps[lastPosition + 1];
    if (!step) {
      plan.ends.push({ id: row.id, status: 'completed', reason: null, stepId: steps[lastPosition]?.id ?? null });
      continue;
    }
    const reason = skipReasonOf({ status: row.status, validation: row.validation, suppression: row.suppression, topicOptIn: null }, null);
    plan.messages.push({
      id: newId('msg'),
      brand_id: series.brand_id,
      dedupe_key: `${row.id}:${step.id}`,
      campaign_id: step.campaign_id,
      series_id: series.id,
      enrolment_id: row.id,
      step: step.position,
      contact_id: row.contact_id,
      email: row.email,
      email_id: step.email_id,
      email_version: step.email_version,
      provider_id: series.provider_id,
      status: reason ? 'skipped' : 'queued',
      skip_reason: reason,
      due_at: nowIso,
      created_at: nowIso,
      updated_at: nowIso,
    });
    const exit = reason ? EXITING[reason] : undefined;
    const next = exit ? undefined : steps[step.position + 1];
    const dueAt = next ? dueTimes.of(Date.parse(row.enrolled_at), sendZone(series.time_zone, row.time_zone, ctx.brandZone), next) : null;
    plan.advances.push({ id: row.id, last_position: step.position, next_step_id: next?.id ?? null, next_due_at: dueAt });
    if (exit) plan.ends.push({ id: row.id, status: 'exited', reason: exit, stepId: step.id });
    else if (!next) plan.ends.push({ id: row.id, status: 'completed', reason: null, stepId: step.id });
  }
  return plan;
}

// ---- the tick ---------------------------------------------------------------------------------------

export interface DripOptions {
  /** Enrolments handed off per transaction. */
  batchSize: number;
  /**
   * Batches one series hands off at once. PostgreSQL: several connections, disjoint rows (each
   * batch skips the rows another holds); SQLite has one writer, so one.
   */
  lanes: number;
  /** How often (per series and process) triggers enrol and the exit sweep runs. */
  sweepMs: number;
}

export const DRIP_DEFAULTS: Omit<DripOptions, 'lanes'> = { batchSize: 2000, sweepMs: 60_000 };

export interface TickResult {
  enrolled: number;
  exited: number;
  queued: number;
  skipped: number;
  completed: number;
}

export interface DripDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  brands: Pick<BrandsService, 'getBrand'>;
  enroller: Enroller;
}

/**
 * The drip scheduler (S6.3). A tick, for every active series: enrol contacts from its trigger and
 * end enrolments whose contact opted out or reached the goal (both every `sweepMs`), then hand off
 * every due step in batches. Each batch is one transaction that writes the outbox rows (unique
 * `<enrolmentId>:<stepId>`) and moves the enrolments on together, so a crash at any point leaves
 * either both or neither, and no contact ever gets the same step twice. Safe to run from several
 * processes: PostgreSQL ticks skip each other's locked rows; SQLite has one writer at a time.
 */
export class Drip {
  private readonly opts: DripOptions;
  private readonly sweptAt = new Map<string, number>();

  constructor(
    private readonly deps: DripDeps,
    opts: Partial<DripOptions> = {},
  ) {
    this.opts = { ...DRIP_DEFAULTS, lanes: deps.store.dialect === 'postgres' ? 3 : 1, ...opts };
  }

  async tick(): Promise<TickResult> {
    const result: TickResult = { enrolled: 0, exited: 0, queued: 0, skipped: 0, completed: 0 };
    for (const series of await repo.active(this.deps.store.db)) {
      try {
        await this.runSeries(series, result);
      } catch (err) {
        // One series' problem must not hold up the others; the next tick tries again.
        this.deps.log.error({ err, seriesId: series.id }, 'series: drip tick failed');
      }
    }
    return result;
  }

  private async runSeries(series: SeriesRow, result: TickResult): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const last = this.sweptAt.get(series.id);
    if (last === undefined || now - last >= this.opts.sweepMs || now < last) {
      this.sweptAt.set(series.id, now);
      const swept = await this.sweep(series);
      result.enrolled += swept.enrolled;
      result.exited += swept.exited;
    }
    const brandZone = (await this.deps.brands.getBrand(series.brand_id)).timeZone;
    const lane = async () => {
      for (;;) {
        const batch = await this.handOffBatch(series.id, brandZone, now);
        for (const k of Object.keys(batch.counts) as Array<keyof TickResult>) result[k] += batch.counts[k];
        if (batch.taken < this.opts.batchSize) return;
      }
    };
    // Every lane ends (or fails) before the tick does: no batch outlives its tick.
    const lanes = await Promise.allSettled(Array.from({ length: this.opts.lanes }, lane));
    const failed = lanes.find((l) => l.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Enrols whoever the series' trigger brings in, and ends the enrolments of contacts that opted out or reached the goal. */
  async sweep(series: SeriesRow): Promise<{ enrolled: number; exited: number }> {
    return { enrolled: await this.deps.enroller.fromTrigger(series), exited: await this.deps.enroller.sweepExits(series) };
  }

  /**
   * One batch of due enrolments of one series, all in one transaction; returns how many it took,
   * and what became of them once the transaction committed.
   */
  async handOffBatch(seriesId: string, brandZone: string | null, now: number): Promise<{ taken: number; counts: TickResult }> {
    const { store } = this.deps;
    const nowIso = new Date(now).toISOString();
    const counts: TickResult = { enrolled: 0, exited: 0, queued: 0, skipped: 0, completed: 0 };
    const taken = await store.db.transaction().execute(async (trx) => {
      const series = await repo.lock(trx, store.dialect, seriesId, 'tick');
      if (!series || series.status !== 'active') return 0;
      const due = await repo.due(trx, store.dialect, seriesId, nowIso, this.opts.batchSize);
      if (due.length === 0) return 0;
      await repo.commitWithoutFlush(trx, store.dialect);
      const steps = await repo.stepsWithCarriers(trx, seriesId);
      const goal = await goalReached(trx, series, due);
      const plan = planBatch(due, { series, steps, brandZone, now, goal });
      const written = await repo.insertMessages(trx, store.sqlite, plan.messages);
      await repo.advance(trx, store.sqlite, plan.advances, nowIso);
      await this.end(trx, seriesId, plan.ends, nowIso, counts);
      await countOnCarriers(trx, store.dialect, plan.messages, written, nowIso, counts);
      return due.length;
    });
    return { taken, counts };
  }

  private async end(trx: Executor, seriesId: string, ends: BatchPlan['ends'], now: string, result: TickResult): Promise<void> {
    if (ends.length === 0) return;
    const events: EnrolmentEventRow[] = [];
    for (const status of ['completed', 'exited'] as const) {
      for (const reason of new Set(ends.filter((e) => e.status === status).map((e) => e.reason))) {
        const group = ends.filter((e) => e.status === status && e.reason === reason);
        const ended = new Set(await repo.end(trx, group.map((e) => e.id), { status, exit_reason: reason, now }));
        for (const e of group) if (ended.has(e.id)) events.push({ enrolment_id: e.id, at: now, type: status, step_id: e.stepId, detail: toJson(reason ? { reason } : {}) });
        if (status === 'completed') result.completed += ended.size;
        else result.exited += ended.size;
        // A goal reached while an earlier step still waits for delivery: that one is not sent either.
        if (reason === 'goal') await repo.withdraw(trx, seriesId, [...ended], now);
      }
    }
    await repo.insertEvents(trx, events);
  }
}

/** Contacts of the batch that reached the goal: have the goal tag, or an event of the goal's name since they enrolled. */
async function goalReached(db: Executor, series: SeriesRow, due: DueRow[]): Promise<Set<string>> {
  const exit = fromJson<SeriesExit>(series.exit_rules, { tagId: null, event: null });
  const reached = new Set<string>();
  if (!exit.tagId && !exit.event) return reached;
  const ids = due.map((d) => d.contact_id);
  if (exit.tagId) for (const id of await repo.withTag(db, exit.tagId, ids)) reached.add(id);
  if (exit.event) {
    const latest = await repo.latestEvents(db, series.brand_id, exit.event, ids);
    for (const d of due) {
      const at = latest.get(d.contact_id);
      if (at && at >= new Date(d.enrolled_at).toISOString()) reached.add(d.contact_id);
    }
  }
  return reached;
}

/** Recipients and skips of the written messages, per carrier, as fan-out counts them on a campaign. */
async function countOnCarriers(db: Executor, dialect: Dialect, messages: NewMessageRow[], written: Set<string>, now: string, result: TickResult): Promise<void> {
  const counts = new Map<string, { recipients: number; skipped: number }>();
  for (const m of messages) {
    if (!written.has(m.dedupe_key) || !m.campaign_id) continue;
    const c = counts.get(m.campaign_id) ?? { recipients: 0, skipped: 0 };
    c.recipients++;
    if (m.status === 'skipped') c.skipped++;
    counts.set(m.campaign_id, c);
    if (m.status === 'skipped') result.skipped++;
    else result.queued++;
  }
  await repo.countHandedOff(db, dialect, [...counts].map(([id, c]) => ({ id, ...c })), now);
}
