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
import type { JobQueue } from '../jobs/model.ts';

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
  /** The tick's mark (series.handed_until): no next step may be due at or before it, or no tick would see it. */
  handedUntil?: number | null;
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
  const dueTimes = new BatchDueTimes(Number(series.send_hour), Math.max(ctx.now, ctx.handedUntil ?? ctx.now));
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

// ---- the tick and delivery --------------------------------------------------------------------

/** The queue of handed-off batches: each job delivers one batch's next steps. */
export const STEP_QUEUE = 'series.step';

/**
 * One batch of due enrolments handed to delivery, the payload of a {@link STEP_QUEUE} job: a range
 * of the (due time, id) order the tick found them in, so a batch of thousands is a few bytes.
 * Enrolments only ever leave the range (delivered, ended), never enter it behind the tick's
 * mark, so delivering the range later finds what the tick found, less what moved on.
 */
export interface StepBatch {
  seriesId: string;
  /** Exclusive lower key; without an id, every enrolment due at that time is left out (the mark); null: from the first. */
  after: { dueAt: string; id: string | null } | null;
  /** Inclusive upper key: due by the tick's instant. */
  through: { dueAt: string; id: string };
  /** Enrolments the tick found in the range. */
  size: number;
}

/**
 * An enrolment behind the tick's mark that has been due this long was handed off and never
 * delivered (its job failed for good): the sweep makes the next tick hand it off again. (A
 * backlog of jobs older than this is handed off twice; delivering a batch twice is harmless.)
 */
export const STRANDED_MS = 15 * 60_000;

export interface DripOptions {
  /** Enrolments per handed-off batch (one job, delivered in one transaction). */
  batchSize: number;
  /**
   * Batches one process delivers at once. PostgreSQL: several connections, disjoint rows (a batch
   * skips the rows another holds); SQLite has one writer, so one.
   */
  concurrency: number;
  /** How often (per series and process) triggers enrol and the exit sweep runs. */
  sweepMs: number;
}

export const DRIP_DEFAULTS: Omit<DripOptions, 'concurrency'> = { batchSize: 2000, sweepMs: 60_000 };

export interface TickResult {
  enrolled: number;
  exited: number;
  /** Enrolments whose next step the tick handed to delivery. */
  handedOff: number;
}

/** What delivering handed-off batches did. */
export interface DeliveryResult {
  queued: number;
  skipped: number;
  completed: number;
  exited: number;
}

export interface DripDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  brands: Pick<BrandsService, 'getBrand'>;
  enroller: Enroller;
  jobs: Pick<JobQueue, 'enqueue' | 'register'>;
}

/**
 * The drip scheduler (S6.3), in two parts.
 *
 * The tick, for every active series: enrols contacts from its trigger and ends enrolments whose
 * contact opted out or reached the goal (both every `sweepMs`), then finds the enrolments due
 * since its mark (series.handed_until) and hands them to delivery as jobs of `batchSize`
 * enrolments, moving the mark to now in the same transaction: a crash leaves both or neither.
 * Every write of a due time keeps it after the mark (enrolment, delivery) or clears the mark (an
 * edit, a resume), so an enrolment cannot fall due behind it unseen.
 *
 * Delivery, one job per batch, in one transaction: of the batch, the enrolments still active and
 * due get their next step as an outbox row (unique `<enrolmentId>:<stepId>`) and move on
 * together, never again due by the batch's time. A batch delivered twice (a retried job, a batch
 * handed off again after an edit) finds its enrolments moved on and does nothing, so no contact
 * ever gets the same step twice. Safe from several processes: PostgreSQL ticks queue on
 * the series row, deliveries skip each other's locked rows; SQLite has one writer at a time.
 */
export class Drip {
  private readonly opts: DripOptions;
  private readonly sweptAt = new Map<string, number>();

  constructor(
    private readonly deps: DripDeps,
    opts: Partial<DripOptions> = {},
  ) {
    this.opts = { ...DRIP_DEFAULTS, concurrency: deps.store.dialect === 'postgres' ? 3 : 1, ...opts };
  }

  /** Before the job queue starts: this process delivers handed-off batches. */
  registerJobs(): void {
    this.deps.jobs.register<StepBatch>(STEP_QUEUE, async (job) => void (await this.deliver(job.payload)), { concurrency: this.opts.concurrency });
  }

  async tick(): Promise<TickResult> {
    return (await this.tickAll()).result;
  }

  /**
   * A tick that also delivers what it handed off, here, before it returns: the test hook that
   * moves the clock, and tests. The batches' jobs stay queued and find nothing left to do.
   */
  async runDue(): Promise<TickResult & DeliveryResult> {
    const { result, batches } = await this.tickAll();
    const delivered: DeliveryResult = { queued: 0, skipped: 0, completed: 0, exited: 0 };
    for (const batch of batches) addCounts(delivered, await this.deliver(batch));
    return { ...result, ...delivered, exited: result.exited + delivered.exited };
  }

  private async tickAll(): Promise<{ result: TickResult; batches: StepBatch[] }> {
    const result: TickResult = { enrolled: 0, exited: 0, handedOff: 0 };
    const batches: StepBatch[] = [];
    for (const series of await repo.active(this.deps.store.db)) {
      try {
        const handed = await this.runSeries(series, result);
        for (const b of handed) result.handedOff += b.size;
        batches.push(...handed);
      } catch (err) {
        // One series' problem must not hold up the others; the next tick tries again.
        this.deps.log.error({ err, seriesId: series.id }, 'series: drip tick failed');
      }
    }
    return { result, batches };
  }

  private async runSeries(series: SeriesRow, result: TickResult): Promise<StepBatch[]> {
    const now = this.deps.clock.now().getTime();
    const last = this.sweptAt.get(series.id);
    if (last === undefined || now - last >= this.opts.sweepMs || now < last) {
      this.sweptAt.set(series.id, now);
      const swept = await this.sweep(series, now);
      result.enrolled += swept.enrolled;
      result.exited += swept.exited;
    }
    return this.handOff(series.id, now);
  }

  /**
   * Enrols whoever the series' trigger brings in, ends the enrolments of contacts that opted out
   * or reached the goal, and clears the mark if a handed-off batch was never delivered.
   */
  async sweep(series: SeriesRow, now = this.deps.clock.now().getTime()): Promise<{ enrolled: number; exited: number }> {
    const swept = { enrolled: await this.deps.enroller.fromTrigger(series), exited: await this.deps.enroller.sweepExits(series) };
    await this.rescueStranded(series, now);
    return swept;
  }

  /** Due for {@link STRANDED_MS} and behind the mark: handed off, and never delivered. */
  private async rescueStranded(series: SeriesRow, now: number): Promise<void> {
    const mark = series.handed_until;
    if (mark === null) return;
    const before = new Date(Math.min(Date.parse(mark), now - STRANDED_MS)).toISOString();
    if (!(await repo.dueAtOrBefore(this.deps.store.db, series.id, before))) return;
    this.deps.log.warn({ seriesId: series.id, before }, 'series: handed-off steps were never delivered; the next tick hands them off again');
    await repo.setHandedUntil(this.deps.store.db, series.id, null);
  }

  /**
   * Hands the enrolments of one series that fell due since the mark to delivery, in jobs of
   * `batchSize`, and moves the mark to `now`, in one transaction. Returns the batches.
   */
  async handOff(seriesId: string, now: number): Promise<StepBatch[]> {
    const { store, jobs } = this.deps;
    const dueBy = new Date(now).toISOString();
    return store.db.transaction().execute(async (trx) => {
      const series = await repo.lock(trx, store.dialect, seriesId, 'edit');
      if (!series || series.status !== 'active') return [];
      const mark = series.handed_until;
      // A clock that has not passed the mark (another process just ticked) has nothing new.
      if (mark !== null && mark >= dueBy) return [];
      const due = await repo.dueKeys(trx, seriesId, mark, dueBy);
      const batches: StepBatch[] = [];
      let after: StepBatch['after'] = mark === null ? null : { dueAt: mark, id: null };
      for (let i = 0; i < due.length; i += this.opts.batchSize) {
        const last = due[Math.min(i + this.opts.batchSize, due.length) - 1];
        const through = { dueAt: last.due_at, id: last.id };
        const batch: StepBatch = { seriesId, after, through, size: Math.min(this.opts.batchSize, due.length - i) };
        await jobs.enqueue(STEP_QUEUE, batch, { db: trx, maxAttempts: 10, backoffMs: 5_000 });
        batches.push(batch);
        after = through;
      }
      await repo.setHandedUntil(trx, seriesId, dueBy);
      return batches;
    });
  }

  /**
   * Delivers one handed-off batch in one transaction: each enrolment of its range still active
   * gets its next step as an outbox message (queued, or skipped with one reason), or completes,
   * or exits. A paused series delivers nothing (its resume clears the mark, so the next tick
   * hands them off again).
   */
  async deliver(batch: StepBatch): Promise<DeliveryResult> {
    const { store } = this.deps;
    const counts: DeliveryResult = { queued: 0, skipped: 0, completed: 0, exited: 0 };
    const brandId = (await repo.byId(store.db, batch.seriesId))?.brand_id;
    if (!brandId) return counts;
    // Read before the transaction: on SQLite a query outside it would wait for it for ever.
    const brandZone = (await this.deps.brands.getBrand(brandId)).timeZone;
    await store.db.transaction().execute(async (trx) => {
      const series = await repo.lock(trx, store.dialect, batch.seriesId, 'tick');
      if (!series || series.status !== 'active') return;
      const due = await repo.dueInRange(trx, store.dialect, series.id, batch);
      if (due.length === 0) return;
      await repo.commitWithoutFlush(trx, store.dialect);
      const now = this.deps.clock.now().getTime();
      const nowIso = new Date(now).toISOString();
      const steps = await repo.stepsWithCarriers(trx, series.id);
      const goal = await goalReached(trx, series, due);
      const mark = series.handed_until;
      const plan = planBatch(due, { series, steps, brandZone, now, handedUntil: mark === null ? null : Date.parse(mark), goal });
      const written = await repo.insertMessages(trx, store.sqlite, plan.messages);
      await repo.advance(trx, store.sqlite, plan.advances, nowIso);
      await this.end(trx, series.id, plan.ends, nowIso, counts);
      await countOnCarriers(trx, store.dialect, plan.messages, written, nowIso, counts);
    });
    return counts;
  }

  private async end(trx: Executor, seriesId: string, ends: BatchPlan['ends'], now: string, result: DeliveryResult): Promise<void> {
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
async function countOnCarriers(db: Executor, dialect: Dialect, messages: NewMessageRow[], written: Set<string>, now: string, result: DeliveryResult): Promise<void> {
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

function addCounts(into: DeliveryResult, more: DeliveryResult): void {
  for (const k of Object.keys(into) as Array<keyof DeliveryResult>) into[k] += more[k];
}
