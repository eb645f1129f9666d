import type { Logger } from 'pino';
import type { Store, Executor } from '../store/db.ts';
import type { Clock } from '../shared/clock.ts';
import type { Actor, AuthContext } from '../brands/model.ts';
import { parseInput, type BrandsService } from '../brands/service.ts';
import type { EmailsService } from '../emails/service.ts';
import type { Email } from '../emails/model.ts';
import type { SegmentsService } from '../audience/segments/service.ts';
import type { PreflightService } from '../preflight/service.ts';
import type { Finding, PreflightReport } from '../preflight/model.ts';
import type { TrackingService } from '../tracking/service.ts';
import { mayOverridePreflight } from '../campaigns/service.ts';
import type { Composer, EmailDraft } from '../composer/model.ts';
import { parseRefine, SeriesWriter, type RefineOp, type SeriesKind, type SeriesPlan, type WrittenStep } from '../composer/series/index.ts';
import { seriesChecks } from '../preflight/series.ts';
import { conflict, DomainError, invalid, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { fromJson, toJson } from '../shared/json.ts';
import { toPage, type Page } from '../http/pagination.ts';
import { Drip, isTimeZone, sendZone, stepDueAt, type DripDeps, type DripOptions } from './drip.ts';
import { Enroller } from './enrol.ts';
import type { ProvidersService } from '../delivery/settings/service.ts';
import { enrolmentCounts, seriesStats, trailOf } from './results.ts';
import { beatsOf, seriesRepo as repo, type Advance, type EnrolmentRow, type SeriesRow, type StepRow } from './repo.ts';
import {
  AddStepInput,
  DEFAULT_SEND_HOUR,
  EnrolInput,
  EnrolmentListQuery,
  GenerateInput,
  InstructionInput,
  MAX_STEPS,
  RefineInput,
  ReorderInput,
  ResumeInput,
  SeriesListQuery,
  SeriesPatch,
  StartInput,
  StepPatch,
  type Enrolment,
  type EnrolResult,
  type PreflightOverride,
  type PreflightSummary,
  type Reentry,
  type Series,
  type SeriesExit,
  type SeriesPreflight,
  type SeriesStats,
  type SeriesStatus,
  type SeriesStep,
  type SeriesSummary,
  type SeriesTrigger,
  type StepEditResult,
  type TrailEntry,
} from './model.ts';

export interface SeriesDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  brands: BrandsService;
  emails: EmailsService;
  segments: SegmentsService;
  preflight: Pick<PreflightService, 'run' | 'latest'>;
  tracking: Pick<TrackingService, 'campaignStats'>;
  /** Checks that a provider account named by a series exists. */
  providers: { get(brandId: string, id: string): Promise<unknown> } & Pick<ProvidersService, 'assertRecipientsCanReachUs'>;
  /** Plans and writes the emails (TIDINGS_COMPOSER). */
  composer: Composer;
  /** Handed-off steps are delivered as jobs (Drip.registerJobs). */
  jobs: DripDeps['jobs'];
  drip?: Partial<DripOptions>;
}

const EDITABLE: readonly SeriesStatus[] = ['draft', 'active', 'paused'];
const RUNNING: readonly SeriesStatus[] = ['active', 'paused'];
/** Enrolments re-timed per statement after an edit. */
const RESCHEDULE_PAGE = 1000;

/**
 * Email Series (S6): generate from a brief, refine, check, run as a drip, and read the results.
 * The emails are normal emails (ctx.emails); each step's sending is its carrier campaign's, through
 * the campaign outbox and dispatcher; the drip tick decides who gets which step when. Behaviour
 * that users rely on is written down in model.ts.
 */
export class SeriesService {
  readonly drip: Drip;
  readonly enroller: Enroller;
  private readonly writer: SeriesWriter;

  constructor(private readonly deps: SeriesDeps) {
    this.enroller = new Enroller({ store: deps.store, clock: deps.clock, log: deps.log, brands: deps.brands, segments: deps.segments });
    this.drip = new Drip({ store: deps.store, clock: deps.clock, log: deps.log, brands: deps.brands, enroller: this.enroller, jobs: deps.jobs }, deps.drip);
    this.writer = new SeriesWriter(deps.composer);
  }

  private get db() {
    return this.deps.store.db;
  }
  private now() {
    return this.deps.clock.now().toISOString();
  }

  // ---- reading ------------------------------------------------------------------------------

  async get(brandId: string, id: string): Promise<Series> {
    const row = await this.row(brandId, id);
    const steps = await repo.steps(this.db, id);
    const emails = new Map((await repo.stepEmails(this.db, brandId, steps.flatMap((s) => (s.email_id ? [s.email_id] : [])))).map((e) => [e.id, e]));
    const carriers = new Map((await repo.carriers(this.db, id)).map((c) => [c.id, c]));
    const { counts } = await enrolmentCounts(this.db, id);
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      status: row.status,
      sendHour: Number(row.send_hour),
      timeZone: row.time_zone,
      trigger: fromJson<SeriesTrigger>(row.trigger, { type: 'manual' }),
      triggerError: row.trigger_error,
      exit: fromJson<SeriesExit>(row.exit_rules, { tagId: null, event: null }),
      reentry: row.reentry as Reentry,
      utmCampaign: row.utm_campaign,
      providerId: row.provider_id,
      startedAt: row.started_at,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      steps: steps.map((s): SeriesStep => {
        const e = s.email_id ? emails.get(s.email_id) : undefined;
        const carrier = s.campaign_id ? carriers.get(s.campaign_id) : undefined;
        return {
          id: s.id,
          position: s.position,
          role: s.role,
          beats: beatsOf(s),
          handoff: s.handoff,
          offsetDays: s.offset_days,
          emailId: s.email_id,
          campaignId: s.campaign_id,
          email: e ? { id: e.id, name: e.name, subject: e.subject, preheader: e.preheader, preflight: preflightSummary(e.last_preflight) } : null,
          delivery: carrier ? { status: carrier.status, reason: carrier.status_reason } : null,
        };
      }),
      counts,
    };
  }

  private async row(brandId: string, id: string, db: Executor = this.db): Promise<SeriesRow> {
    const s = await repo.get(db, brandId, id);
    if (!s) throw notFound('series', id);
    return s;
  }

  async list(brandId: string, query: SeriesListQuery): Promise<Page<SeriesSummary>> {
    const q = parseInput(SeriesListQuery, query);
    const rows = await repo.list(this.db, brandId, { status: q.status, after: q.cursor, limit: q.limit + 1 });
    return toPage(
      rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, status: r.status, steps: Number(r.step_count), startedAt: r.started_at, createdAt: r.created_at, updatedAt: r.updated_at })),
      q.limit,
    );
  }

  // ---- generating -----------------------------------------------------------------------------

  /** Plans the arc, writes every email, and stores them as normal emails with the series around them. */
  async generate(auth: AuthContext, input: unknown): Promise<Series> {
    const { brief, name } = parseInput(GenerateInput, input);
    const brand = await this.deps.brands.getBrand(auth.brandId);
    const plan = await this.writer.plan(brief, brand);
    const written = await this.writer.write(plan, brand);
    const seriesName = name ?? plan.name;
    const emails = await this.createEmails(auth, seriesName, written);
    const id = newId('ser');
    const now = this.now();
    try {
      await this.db.transaction().execute(async (trx) => {
        await repo.insertSeries(trx, {
          id,
          brand_id: auth.brandId,
          name: seriesName,
          kind: plan.kind,
          brief: toJson(brief),
          status: 'draft',
          send_hour: DEFAULT_SEND_HOUR,
          time_zone: null,
          trigger: toJson({ type: 'manual' }),
          exit_rules: toJson({ tagId: null, event: null }),
          reentry: 'never',
          created_by: auth.actor.id,
          created_at: now,
          updated_at: now,
        });
        for (const [position, w] of written.entries()) {
          await this.insertStep(trx, { id, brand_id: auth.brandId, name: seriesName, status: 'draft', provider_id: null }, auth.actor, position, w, emails[position], now);
        }
        await this.audit(trx, auth.brandId, auth.actor, 'series.created', id, { name: seriesName, kind: plan.kind, steps: written.length, notes: plan.notes });
      });
    } catch (err) {
      // Nothing half-written: the emails made for a series that could not be stored go too.
      for (const e of emails) await this.deps.emails.remove(auth, e.id).catch(() => {});
      throw err;
    }
    return this.get(auth.brandId, id);
  }

  private async createEmails(auth: AuthContext, seriesName: string, written: WrittenStep[]): Promise<Email[]> {
    const created: Email[] = [];
    try {
      for (const w of written) created.push(await this.createEmail(auth, seriesName, w));
      return created;
    } catch (err) {
      for (const e of created) await this.deps.emails.remove(auth, e.id).catch(() => {});
      throw err;
    }
  }

  private createEmail(auth: AuthContext, seriesName: string, w: WrittenStep): Promise<Email> {
    const { draft } = w;
    const note = [`series "${seriesName}": ${w.step.role}, written by ${this.deps.composer.provider}`, ...(draft.notes ?? [])].join(' — ').slice(0, 500);
    return this.deps.emails.create(
      auth,
      { name: `${seriesName}: ${w.step.role}`.slice(0, 200), subject: draft.subject, preheader: draft.preheader, category: draft.category, language: draft.language, document: draft.document },
      note,
    );
  }

  /**
   * A step row and its carrier campaign. The carrier follows the series: a draft in a draft series;
   * sending (or paused) and pinned to the email's current version in a running one.
   */
  private async insertStep(
    trx: Executor,
    series: Pick<SeriesRow, 'id' | 'brand_id' | 'name' | 'status' | 'provider_id'>,
    actor: Actor,
    position: number,
    w: WrittenStep,
    email: Email,
    now: string,
  ): Promise<void> {
    const stepId = newId('stp');
    const carrierId = newId('cmp');
    const running = series.status === 'active' || series.status === 'paused';
    await repo.insertCarrier(trx, {
      id: carrierId,
      brand_id: series.brand_id,
      name: `${series.name} · ${w.step.role}`.slice(0, 200),
      email_id: email.id,
      email_version: running ? email.version : null,
      audience: toJson({ segmentIds: [], tagIds: [] }),
      provider_id: series.provider_id,
      track_opens: 1,
      track_clicks: 1,
      status: series.status === 'active' ? 'sending' : series.status === 'paused' ? 'paused' : 'draft',
      status_reason: series.status === 'paused' ? PAUSED_REASON : null,
      send_at: running ? now : null,
      started_at: running ? now : null,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
      series_id: series.id,
      series_step_id: stepId,
    });
    await repo.insertStep(trx, {
      id: stepId,
      series_id: series.id,
      position,
      email_id: email.id,
      role: w.step.role,
      beats: toJson(w.step.beats),
      handoff: w.step.handoff ?? '',
      brief: toJson(w.step.brief),
      offset_days: w.step.offsetDays,
      campaign_id: carrierId,
      created_at: now,
      updated_at: now,
    });
  }

  // ---- settings -------------------------------------------------------------------------------

  async update(auth: AuthContext, id: string, input: unknown): Promise<Series> {
    const p = parseInput(SeriesPatch, input);
    const current = await this.row(auth.brandId, id);
    assertStatus(current, EDITABLE, 'edit');
    const trigger = p.trigger ?? fromJson<SeriesTrigger>(current.trigger, { type: 'manual' });
    const reentry = p.reentry ?? (current.reentry as Reentry);
    if (p.trigger) await this.checkTrigger(auth.brandId, p.trigger);
    if (trigger.type === 'segment' && reentry === 'after-exit') {
      throw invalid(p.reentry ? 'reentry' : 'trigger', 'a segment trigger cannot use re-entry "after-exit": a member still in the segment when their enrolment ends would be enrolled again at once; use a tag or event trigger, or re-entry "never"');
    }
    if (p.timeZone && !isTimeZone(p.timeZone)) throw invalid('timeZone', `"${p.timeZone}" is not an IANA time zone (for example Europe/Berlin)`);
    if (p.exit?.tagId && !(await repo.tagExists(this.db, auth.brandId, p.exit.tagId))) throw invalid('exit.tagId', `tag ${p.exit.tagId} does not exist`);
    if (p.providerId) {
      await this.deps.providers.get(auth.brandId, p.providerId).catch((err) => {
        throw err instanceof DomainError && err.code === 'not_found' ? invalid('providerId', `provider account ${p.providerId} does not exist`) : err;
      });
    }
    const retime = (p.sendHour !== undefined && p.sendHour !== Number(current.send_hour)) || (p.timeZone !== undefined && p.timeZone !== current.time_zone);
    await this.edit(auth, id, 'series.updated', { fields: Object.keys(p) }, async (trx, series, brandZone) => {
      const now = this.now();
      await repo.update(trx, id, {
        ...(p.name !== undefined && { name: p.name }),
        ...(p.sendHour !== undefined && { send_hour: p.sendHour }),
        ...(p.timeZone !== undefined && { time_zone: p.timeZone }),
        ...(p.trigger !== undefined && { trigger: toJson(p.trigger), trigger_error: null }),
        ...(p.exit !== undefined && { exit_rules: toJson(p.exit) }),
        ...(p.reentry !== undefined && { reentry: p.reentry }),
        ...(p.utmCampaign !== undefined && { utm_campaign: p.utmCampaign }),
        ...(p.providerId !== undefined && { provider_id: p.providerId }),
        updated_at: now,
      });
      if (p.providerId !== undefined) await repo.setCarriers(trx, id, ['draft', 'sending', 'throttled', 'paused'], { provider_id: p.providerId, updated_at: now });
      if (retime) await this.reschedule(trx, { ...series, send_hour: p.sendHour ?? series.send_hour, time_zone: p.timeZone === undefined ? series.time_zone : p.timeZone }, brandZone, {});
    });
    return this.get(auth.brandId, id);
  }

  /** A trigger must name things that exist; errors name `trigger.segmentId` / `trigger.tagId`. */
  private async checkTrigger(brandId: string, trigger: SeriesTrigger): Promise<void> {
    if (trigger.type === 'segment') {
      await this.deps.segments.get(brandId, trigger.segmentId).catch((err) => {
        throw err instanceof DomainError && err.code === 'not_found' ? invalid('trigger.segmentId', `segment ${trigger.segmentId} does not exist (deleted?)`) : err;
      });
    }
    if (trigger.type === 'tag' && !(await repo.tagExists(this.db, brandId, trigger.tagId))) throw invalid('trigger.tagId', `tag ${trigger.tagId} does not exist (deleted?)`);
  }

  // ---- steps ------------------------------------------------------------------------------------

  /** Writes a new email to fit at `position` (0-based; the emails from there on move down one). */
  async addStep(auth: AuthContext, id: string, input: unknown): Promise<Series> {
    const a = parseInput(AddStepInput, input);
    const series = await this.row(auth.brandId, id);
    assertStatus(series, EDITABLE, 'add an email to');
    const steps = await repo.steps(this.db, id);
    if (steps.length >= MAX_STEPS) throw invalid('position', `a series has at most ${MAX_STEPS} emails; remove one first`);
    if (a.position > steps.length) throw invalid('position', `must be between 0 and ${steps.length} (the series has ${steps.length} emails)`);
    const [low, high] = offsetBounds(steps, a.position, 'insert');
    if (a.offsetDays !== undefined) checkOffset(a.offsetDays, low, high, a.position);
    const brand = await this.deps.brands.getBrand(auth.brandId);
    const taken = (await repo.stepEmails(this.db, auth.brandId, steps.flatMap((s) => (s.email_id ? [s.email_id] : [])))).map((e) => e.subject);
    const written = await this.writer.writeStep(planOf(series, steps), a.position, a.role, a.beats, brand, a.offsetDays, taken);
    const offsetDays = a.offsetDays ?? Math.min(Math.max(written.step.offsetDays, low), high ?? Number.MAX_SAFE_INTEGER);
    const step: WrittenStep = { ...written, step: { ...written.step, role: a.role, beats: a.beats.length > 0 ? a.beats : written.step.beats, offsetDays } };
    const email = await this.createEmail(auth, series.name, step);
    try {
      await this.edit(auth, id, 'series.step_added', { position: a.position, role: a.role, emailId: email.id }, async (trx, locked, brandZone) => {
        assertSameSteps(steps, await repo.steps(trx, id));
        const now = this.now();
        await this.moveSteps(trx, steps.slice(a.position), +1, now);
        await this.insertStep(trx, locked, auth.actor, a.position, step, email, now);
        await repo.shiftLastPositions(trx, id, a.position, +1);
        // Enrolments waiting for the step that is now after the new one get the new one first.
        await this.reschedule(trx, locked, brandZone, { lastPosition: a.position - 1 });
      });
    } catch (err) {
      await this.deps.emails.remove(auth, email.id).catch(() => {});
      throw err;
    }
    return this.get(auth.brandId, id);
  }

  /** Removes a step (its email stays, as a normal email); the rest renumber. */
  async removeStep(auth: AuthContext, id: string, stepId: string): Promise<Series> {
    const series = await this.row(auth.brandId, id);
    assertStatus(series, EDITABLE, 'remove an email from');
    const steps = await repo.steps(this.db, id);
    const step = stepOf(steps, stepId);
    if (steps.length === 1) throw conflict('a series needs at least one email: this is its last one (archive the series instead)', { field: 'stepId' });
    await this.edit(auth, id, 'series.step_removed', { stepId, position: step.position, emailId: step.email_id }, async (trx, locked, brandZone) => {
      assertSameSteps(steps, await repo.steps(trx, id));
      const now = this.now();
      await repo.deleteStep(trx, stepId);
      await this.moveSteps(trx, steps.slice(step.position + 1), -1, now);
      if (step.campaign_id) await repo.cancelCarriers(trx, [step.campaign_id], now);
      await repo.shiftLastPositions(trx, id, step.position, -1);
      // Enrolments waiting for it move on to the step after it, at that step's own time.
      await this.reschedule(trx, locked, brandZone, { nextStepId: stepId });
    });
    return this.get(auth.brandId, id);
  }

  /** A step's offset (days after enrolment); it must stay between its neighbours'. */
  async setOffset(auth: AuthContext, id: string, stepId: string, input: unknown): Promise<Series> {
    const { offsetDays } = parseInput(StepPatch, input);
    const series = await this.row(auth.brandId, id);
    assertStatus(series, EDITABLE, 'change the cadence of');
    const steps = await repo.steps(this.db, id);
    const step = stepOf(steps, stepId);
    const [low, high] = offsetBounds(steps, step.position, 'replace');
    checkOffset(offsetDays, low, high, step.position);
    if (offsetDays === step.offset_days) return this.get(auth.brandId, id);
    await this.edit(auth, id, 'series.offset_changed', { stepId, from: step.offset_days, to: offsetDays }, async (trx, locked, brandZone) => {
      assertSameSteps(steps, await repo.steps(trx, id));
      await repo.updateStep(trx, stepId, { offset_days: offsetDays, updated_at: this.now() });
      await this.reschedule(trx, locked, brandZone, { nextStepId: stepId });
    });
    return this.get(auth.brandId, id);
  }

  /** A new order of the emails; the cadence (offset by position) stays, so offsets never go backwards. */
  async reorder(auth: AuthContext, id: string, input: unknown): Promise<Series> {
    const { stepIds } = parseInput(ReorderInput, input);
    const series = await this.row(auth.brandId, id);
    assertStatus(series, EDITABLE, 'reorder');
    const steps = await repo.steps(this.db, id);
    const byId = new Map(steps.map((s) => [s.id, s]));
    if (stepIds.length !== steps.length || new Set(stepIds).size !== steps.length || stepIds.some((s) => !byId.has(s))) {
      throw invalid('stepIds', `must list each of the series' ${steps.length} step ids exactly once (${steps.map((s) => s.id).join(', ')})`);
    }
    if (stepIds.every((s, i) => steps[i].id === s)) return this.get(auth.brandId, id);
    await this.edit(auth, id, 'series.reordered', { from: steps.map((s) => s.id), to: stepIds }, async (trx, locked, brandZone) => {
      assertSameSteps(steps, await repo.steps(trx, id));
      const now = this.now();
      for (const [position, stepId] of stepIds.entries()) await repo.updateStep(trx, stepId, { position, offset_days: steps[position].offset_days, updated_at: now });
      await repo.mapLastPositions(
        trx,
        id,
        stepIds.map((s, to) => [byId.get(s)!.position, to]),
      );
      await this.reschedule(trx, locked, brandZone, {});
    });
    return this.get(auth.brandId, id);
  }

  private async moveSteps(trx: Executor, steps: StepRow[], delta: number, now: string): Promise<void> {
    for (const s of steps) await repo.updateStep(trx, s.id, { position: s.position + delta, updated_at: now });
  }

  /**
   * Re-times active enrolments after an edit: each one's next step is the step after its last
   * handled position in the current order, due at that step's time from its enrolment (a time in
   * the past is due at once); with no step left, the next tick completes it.
   */
  private async reschedule(trx: Executor, series: SeriesRow, brandZone: string, which: { nextStepId?: string; lastPosition?: number }): Promise<void> {
    if (!RUNNING.includes(series.status)) return;
    const steps = await repo.steps(trx, series.id);
    const now = this.deps.clock.now().getTime();
    for (let after: string | null = null; ; ) {
      const rows = await repo.toRecompute(trx, series.id, { ...which, after, limit: RESCHEDULE_PAGE });
      if (rows.length === 0) return;
      const advances: Advance[] = rows.map((r) => {
        const next = steps[r.last_position + 1];
        const due = next ? stepDueAt(Date.parse(r.enrolled_at), next.offset_days, Number(series.send_hour), sendZone(series.time_zone, r.time_zone, brandZone)) : now;
        return { id: r.id, last_position: r.last_position, next_step_id: next?.id ?? null, next_due_at: new Date(due).toISOString() };
      });
      await repo.advance(trx, this.deps.store.sqlite, advances, new Date(now).toISOString());
      // New times may fall behind the tick's mark (a shorter offset): the next tick looks at all.
      if (after === null) await repo.setHandedUntil(trx, series.id, null);
      after = rows[rows.length - 1].id;
    }
  }

  /**
   * Runs a change of the series' steps or settings in one transaction, with the series locked
   * against the drip tick, and audits it. Everything inside goes through `trx` (SQLite has one
   * connection: a query outside the transaction would wait for it for ever), so the brand's zone,
   * which re-timing needs, is read before.
   */
  private async edit<T>(auth: AuthContext, id: string, action: string, details: unknown, change: (trx: Executor, series: SeriesRow, brandZone: string) => Promise<T>): Promise<T> {
    const brandZone = (await this.deps.brands.getBrand(auth.brandId)).timeZone;
    return this.db.transaction().execute(async (trx) => {
      const series = await repo.lock(trx, this.deps.store.dialect, id, 'edit');
      if (!series || series.brand_id !== auth.brandId) throw notFound('series', id);
      assertStatus(series, EDITABLE, 'edit');
      const out = await change(trx, series, brandZone);
      await repo.update(trx, id, { updated_at: this.now() });
      await this.audit(trx, auth.brandId, auth.actor, action, id, details);
      return out;
    });
  }

  // ---- writing with the composer -------------------------------------------------------------

  /**
   * One instruction applied to every email in parallel; each email that was rewritten is saved as
   * a new version, each failure is reported with its step, and neither stops the others.
   */
  async editAll(auth: AuthContext, id: string, input: unknown): Promise<{ series: Series; results: StepEditResult[] }> {
    const { instruction } = parseInput(InstructionInput, input);
    const series = await this.row(auth.brandId, id);
    assertStatus(series, EDITABLE, 'edit');
    const steps = await repo.steps(this.db, id);
    const brand = await this.deps.brands.getBrand(auth.brandId);
    const sources = await Promise.all(steps.map((s) => this.draftOf(auth.brandId, s)));
    const editable = sources.flatMap((d, i) => (typeof d === 'string' ? [] : [{ index: i, draft: d }]));
    const edited = await this.writer.editAll(
      editable.map((e) => e.draft),
      instruction,
      brand,
    );
    const results: StepEditResult[] = sources.map((d, i) => (typeof d === 'string' ? { stepId: steps[i].id, ok: false, error: d } : { stepId: steps[i].id, ok: true }));
    await Promise.all(
      editable.map(async ({ index }, k) => {
        const outcome = edited[k];
        if (!outcome.ok) return void (results[index] = { stepId: steps[index].id, ok: false, error: outcome.error });
        try {
          const d = outcome.draft;
          await this.deps.emails.update(auth, steps[index].email_id!, { subject: d.subject, preheader: d.preheader, language: d.language, document: d.document }, `series edit-all (${this.deps.composer.provider}): ${instruction}`.slice(0, 500));
        } catch (err) {
          results[index] = { stepId: steps[index].id, ok: false, error: (err as Error).message };
        }
      }),
    );
    await this.audit(this.db, auth.brandId, auth.actor, 'series.edited_all', id, { instruction, ok: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).map((r) => r.stepId) });
    return { series: await this.get(auth.brandId, id), results };
  }

  /** A step's email as a composer draft, or why it cannot be one. */
  private async draftOf(brandId: string, step: StepRow): Promise<EmailDraft | string> {
    if (!step.email_id) return 'the email of this step was deleted';
    const e = await this.deps.emails.get(brandId, step.email_id);
    if (e.format !== 'blocks' || !e.document) return `email ${e.id} is ${e.format.toUpperCase()} code; the composer edits block documents only`;
    return { name: e.name, subject: e.subject, preheader: e.preheader, language: e.language, category: e.category, document: e.document };
  }

  /** Plain words ("move email 3 before 1", "make them shorter") → one of the operations above. */
  async refine(auth: AuthContext, id: string, input: unknown): Promise<{ op: RefineOp; series: Series; results?: StepEditResult[] }> {
    const { text } = parseInput(RefineInput, input);
    await this.row(auth.brandId, id);
    const steps = await repo.steps(this.db, id);
    const op = parseRefine(text, steps.length, steps.map((s) => s.offset_days));
    switch (op.op) {
      case 'add':
        return { op, series: await this.addStep(auth, id, { position: op.position, role: op.role, beats: op.beats }) };
      case 'remove':
        return { op, series: await this.removeStep(auth, id, steps[op.position].id) };
      case 'move': {
        const order = steps.map((s) => s.id);
        const [moved] = order.splice(op.from, 1);
        order.splice(op.to, 0, moved);
        return { op, series: await this.reorder(auth, id, { stepIds: order }) };
      }
      case 'offset':
        return { op, series: await this.setOffset(auth, id, steps[op.position].id, { offsetDays: op.offsetDays }) };
      case 'edit-all':
        return { op, ...(await this.editAll(auth, id, { instruction: op.instruction })) };
    }
  }

  // ---- checking -------------------------------------------------------------------------------

  async preflight(auth: AuthContext, id: string): Promise<SeriesPreflight> {
    const { result } = await this.check(auth, await this.row(auth.brandId, id));
    return result;
  }

  /**
   * Every email's preflight (the latest report, when it is of the email's current version; a fresh
   * run otherwise) and the series checks over all of them.
   */
  private async check(auth: AuthContext, series: SeriesRow): Promise<{ result: SeriesPreflight; versions: Map<string, number>; critical: Array<{ id: string; message: string; stepId: string | null }> }> {
    const steps = await repo.steps(this.db, series.id);
    if (steps.length === 0) throw invalid('steps', 'the series has no emails');
    const missing = steps.find((s) => !s.email_id);
    if (missing) throw invalid(`steps.${missing.position}.emailId`, 'the email of this step was deleted: remove the step or add a new email');
    const reports: PreflightReport[] = [];
    for (const s of steps) reports.push(await this.report(auth, s.email_id!));
    const compiled: Array<Awaited<ReturnType<EmailsService['compiled']>>> = [];
    for (const s of steps) compiled.push(await this.deps.emails.compiled(auth.brandId, s.email_id!));
    const seriesFindings: Finding[] = seriesChecks(
      steps.map((s, i) => ({ position: s.position, offsetDays: s.offset_days, email: compiled[i].email, compiled: compiled[i].compiled })),
      compiled[0].brand,
    );
    const critical = [
      ...reports.flatMap((r, i) => r.findings.filter((f) => f.severity === 'critical').map((f) => ({ id: f.id, message: `email ${i + 1} ("${compiled[i].email.name}"): ${f.message}`, stepId: steps[i].id }))),
      ...seriesFindings.filter((f) => f.severity === 'critical').map((f) => ({ id: f.id, message: f.message, stepId: null })),
    ];
    return {
      result: {
        steps: steps.map((s, i) => ({ stepId: s.id, position: s.position, emailId: s.email_id, version: reports[i].version, score: reports[i].score, counts: reports[i].counts })),
        series: seriesFindings,
        ok: critical.length === 0,
      },
      versions: new Map(steps.map((s, i) => [s.id, reports[i].version])),
      critical,
    };
  }

  private async report(auth: AuthContext, emailId: string): Promise<PreflightReport> {
    const email = await this.deps.emails.get(auth.brandId, emailId);
    const latest = await this.deps.preflight.latest(auth.brandId, emailId).catch((err) => {
      if (err instanceof DomainError && err.code === 'not_found') return null;
      throw err;
    });
    return latest && latest.version === email.version ? latest : this.deps.preflight.run(auth, emailId);
  }

  /** The start/resume gate: critical findings block unless a manager overrides; returns the versions to pin. */
  private async gate(auth: AuthContext, series: SeriesRow, override: boolean | undefined): Promise<{ versions: Map<string, number>; override: PreflightOverride | null }> {
    const { versions, critical } = await this.check(auth, series);
    if (critical.length === 0) return { versions, override: null };
    if (!override) {
      throw new DomainError(
        'conflict',
        `preflight found ${critical.length} critical problem${critical.length > 1 ? 's' : ''} in the series (first: ${critical[0].message}); fix ${critical.length > 1 ? 'them' : 'it'}, or start anyway with override (managers only)`,
        { findings: critical },
      );
    }
    if (!mayOverridePreflight(auth)) throw new DomainError('forbidden', 'only a manager may start a series despite critical preflight findings', { findings: critical });
    return { versions, override: { by: auth.actor, at: this.now(), findings: critical } };
  }

  // ---- running ----------------------------------------------------------------------------------

  /**
   * Starts a draft series (preflight gate, carriers pinned and sending) and enrols `audience` once;
   * on an active series, enrols another audience.
   */
  async start(auth: AuthContext, id: string, input: unknown = {}): Promise<Series> {
    const s = parseInput(StartInput, input ?? {});
    const series = await this.row(auth.brandId, id);
    assertStatus(series, ['draft', 'active'], 'start');
    const audience = s.audience && (s.audience.segmentIds.length > 0 || s.audience.tagIds.length > 0) ? s.audience : null;
    if (series.status === 'active') {
      if (!audience) throw invalid('audience', 'the series is already running: give an audience (segments or tags) to enrol more contacts');
      await this.enrolAudience(auth, series, audience);
      return this.get(auth.brandId, id);
    }
    const trigger = fromJson<SeriesTrigger>(series.trigger, { type: 'manual' });
    await this.checkTrigger(auth.brandId, trigger);
    if (trigger.type === 'manual' && !audience) throw invalid('audience', 'a series with a manual trigger starts for an audience: choose segments or tags');
    if (audience && !(await this.enroller.checkAudience(auth.brandId, audience))) throw invalid('audience', 'matches no contacts: choose segments or tags that have contacts');
    await this.deps.providers.assertRecipientsCanReachUs(auth.brandId, series.provider_id);
    const { versions, override } = await this.gate(auth, series, s.override);
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.transition(trx, id, ['draft'], { status: 'active', started_at: now, preflight_override: override ? toJson(override) : null, trigger_error: null, updated_at: now }))) {
        throw conflict(`series ${id} changed meanwhile (another request started it)`, { field: 'status' });
      }
      await this.pin(trx, id, versions, now);
      await this.audit(trx, auth.brandId, auth.actor, 'series.started', id, { versions: Object.fromEntries(versions), audience });
      if (override) await this.audit(trx, auth.brandId, auth.actor, 'series.preflight_overridden', id, { findings: override.findings });
    });
    if (audience) await this.enrolAudience(auth, { ...series, status: 'active', started_at: now }, audience);
    return this.get(auth.brandId, id);
  }

  private async enrolAudience(auth: AuthContext, series: SeriesRow, audience: { segmentIds: string[]; tagIds: string[] }): Promise<void> {
    const n = await this.enroller.enrolAudience(series, audience);
    await this.audit(this.db, auth.brandId, auth.actor, 'series.enrolled_audience', series.id, { audience, enrolled: n });
  }

  /** Every carrier of the series to `sending`, pinned to the email version that was checked. */
  private async pin(trx: Executor, seriesId: string, versions: Map<string, number>, now: string): Promise<void> {
    for (const step of await repo.steps(trx, seriesId)) {
      if (!step.campaign_id) continue;
      await repo.updateCarrier(trx, step.campaign_id, { status: 'sending', status_reason: null, email_version: versions.get(step.id) ?? null, send_at: now, started_at: now, updated_at: now });
    }
  }

  async pause(auth: AuthContext, id: string): Promise<Series> {
    const series = await this.row(auth.brandId, id);
    assertStatus(series, ['active'], 'pause');
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.transition(trx, id, ['active'], { status: 'paused', updated_at: now }))) throw conflict(`series ${id} changed meanwhile; try again`, { field: 'status' });
      await repo.setCarriers(trx, id, ['sending', 'throttled'], { status: 'paused', status_reason: PAUSED_REASON, updated_at: now });
      await this.audit(trx, auth.brandId, auth.actor, 'series.paused', id);
    });
    return this.get(auth.brandId, id);
  }

  /** Resume runs the start's gate again and pins the emails' current versions: edits made while paused go out from now on. */
  async resume(auth: AuthContext, id: string, input: unknown = {}): Promise<Series> {
    const { override: wanted } = parseInput(ResumeInput, input ?? {});
    const series = await this.row(auth.brandId, id);
    assertStatus(series, ['paused'], 'resume');
    await this.deps.providers.assertRecipientsCanReachUs(auth.brandId, series.provider_id);
    const { versions, override } = await this.gate(auth, series, wanted);
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.transition(trx, id, ['paused'], { status: 'active', handed_until: null, updated_at: now }))) throw conflict(`series ${id} changed meanwhile; try again`, { field: 'status' });
      await this.pin(trx, id, versions, now);
      await this.audit(trx, auth.brandId, auth.actor, 'series.resumed', id, { versions: Object.fromEntries(versions) });
      if (override) await this.audit(trx, auth.brandId, auth.actor, 'series.preflight_overridden', id, { findings: override.findings });
    });
    return this.get(auth.brandId, id);
  }

  /** Stops the series for good: carriers cancelled, active enrolments exit (`archived`); the emails stay. */
  async archive(auth: AuthContext, id: string): Promise<Series> {
    const series = await this.row(auth.brandId, id);
    assertStatus(series, EDITABLE, 'archive');
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.transition(trx, id, EDITABLE, { status: 'archived', archived_at: now, updated_at: now }))) throw conflict(`series ${id} changed meanwhile; try again`, { field: 'status' });
      await repo.cancelCarriers(
        trx,
        (await repo.carriers(trx, id)).map((c) => c.id),
        now,
      );
      await this.audit(trx, auth.brandId, auth.actor, 'series.archived', id);
    });
    for (;;) {
      const ids = await repo.activeIds(this.db, id, null, RESCHEDULE_PAGE);
      if (ids.length === 0) break;
      await this.enroller.exit(id, ids, 'archived');
    }
    return this.get(auth.brandId, id);
  }

  // ---- enrolments -------------------------------------------------------------------------------

  /** API enrolment of one contact (by id or address) into an active series; idempotent. */
  async enrol(auth: AuthContext, id: string, input: unknown): Promise<EnrolResult> {
    const e = parseInput(EnrolInput, input);
    if ((e.contactId === undefined) === (e.email === undefined)) throw invalid('contactId', 'give either contactId or email (one of them)');
    const series = await this.row(auth.brandId, id);
    if (series.status !== 'active') throw conflict(`series ${id} is ${series.status}: contacts can be enrolled while it is active`, { field: 'status', status: series.status });
    const contactId = e.contactId ?? (await repo.contactIdByEmail(this.db, auth.brandId, e.email!));
    if (!contactId) throw notFound('contact', e.email!);
    if (e.contactId && (await repo.contactZones(this.db, auth.brandId, [contactId])).length === 0) throw notFound('contact', contactId);
    return this.enroller.enrolOne(series, contactId, 'api');
  }

  async enrolments(brandId: string, id: string, query: EnrolmentListQuery): Promise<Page<Enrolment>> {
    await this.row(brandId, id);
    const q = parseInput(EnrolmentListQuery, query);
    return toPage((await repo.enrolments(this.db, id, { status: q.status, after: q.cursor, limit: q.limit + 1 })).map(toEnrolment), q.limit);
  }

  async enrolment(brandId: string, id: string, enrolmentId: string): Promise<Enrolment & { trail: TrailEntry[] }> {
    await this.row(brandId, id);
    const e = await repo.enrolment(this.db, id, enrolmentId);
    if (!e) throw notFound('enrolment', enrolmentId);
    return { ...toEnrolment(e), trail: await trailOf(this.db, id, e, await repo.steps(this.db, id)) };
  }

  /** Manual removal: the enrolment exits (`removed`) and its queued step messages are withdrawn. */
  async removeEnrolment(auth: AuthContext, id: string, enrolmentId: string): Promise<Enrolment> {
    await this.row(auth.brandId, id);
    const e = await repo.enrolment(this.db, id, enrolmentId);
    if (!e) throw notFound('enrolment', enrolmentId);
    if (e.status !== 'active') throw conflict(`enrolment ${enrolmentId} has already ended (${e.status}${e.exit_reason ? `: ${e.exit_reason}` : ''})`, { field: 'status' });
    await this.db.transaction().execute(async (trx) => {
      await this.enroller.exitIn(trx, id, [enrolmentId], 'removed', { by: auth.actor.id });
      await this.audit(trx, auth.brandId, auth.actor, 'series.enrolment_removed', id, { enrolmentId, contactId: e.contact_id });
    });
    return toEnrolment((await repo.enrolment(this.db, id, enrolmentId))!);
  }

  async stats(brandId: string, id: string): Promise<SeriesStats> {
    await this.row(brandId, id);
    return seriesStats(this.db, this.deps.tracking, brandId, id);
  }

  private audit(db: Executor, brandId: string, actor: Actor, action: string, id: string, details?: unknown): Promise<void> {
    return this.deps.brands.audit(db, { brandId, actor, action, targetType: 'series', targetId: id, details });
  }
}

const PAUSED_REASON = 'the series is paused';

function assertStatus(s: SeriesRow, allowed: readonly SeriesStatus[], verb: string): void {
  if (!allowed.includes(s.status)) throw conflict(`cannot ${verb} series ${s.id}: it is ${s.status} (possible when ${allowed.join(', ')})`, { field: 'status', status: s.status });
}

function stepOf(steps: StepRow[], stepId: string): StepRow {
  const s = steps.find((x) => x.id === stepId);
  if (!s) throw notFound('step', stepId);
  return s;
}

/** A concurrent edit changed the steps between reading them and locking the series. */
function assertSameSteps(before: StepRow[], now: StepRow[]): void {
  if (before.length !== now.length || before.some((s, i) => s.id !== now[i].id)) throw conflict('the series was changed by someone else meanwhile; reload it and try again');
}

/** The offsets a step at `position` may have: from the one before it to the one after it. */
function offsetBounds(steps: StepRow[], position: number, mode: 'insert' | 'replace'): [number, number | null] {
  const before = steps[position - 1];
  const after = mode === 'insert' ? steps[position] : steps[position + 1];
  return [before?.offset_days ?? 0, after?.offset_days ?? null];
}

function checkOffset(offsetDays: number, low: number, high: number | null, position: number): void {
  const field = `steps[${position}].offsetDays`;
  if (offsetDays < low) throw invalid(field, `must be at least ${low} (the offset of the email before it): offsets are days after enrolment and cannot go backwards`);
  if (high !== null && offsetDays > high) throw invalid(field, `must be at most ${high} (the offset of the email after it): offsets are days after enrolment and cannot go backwards`);
}

/** The series as the composer's plan: what a new step is written to fit into. */
function planOf(series: SeriesRow, steps: StepRow[]): SeriesPlan {
  return {
    name: series.name,
    kind: series.kind as SeriesKind,
    steps: steps.map((s) => ({ role: s.role, beats: beatsOf(s), offsetDays: s.offset_days, handoff: s.handoff, brief: fromJson(s.brief, { prompt: s.role, length: 'medium' as const }) })),
    notes: [],
  };
}

function preflightSummary(v: unknown): PreflightSummary | null {
  const p = fromJson<PreflightSummary | null>(v, null);
  return p ? { score: p.score, critical: p.critical, important: p.important, suggested: p.suggested } : null;
}

function toEnrolment(e: EnrolmentRow & { email: string | null }): Enrolment {
  return {
    id: e.id,
    seriesId: e.series_id,
    contactId: e.contact_id,
    email: e.email,
    status: e.status,
    exitReason: e.exit_reason,
    source: e.source,
    enrolledAt: e.enrolled_at,
    nextStepId: e.next_step_id,
    nextDueAt: e.next_due_at,
    lastPosition: Number(e.last_position),
    endedAt: e.ended_at,
  };
}

