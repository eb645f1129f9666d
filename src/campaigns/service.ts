import type { Logger } from 'pino';
import type { Store, Executor } from '../store/db.ts';
import type { Clock } from '../shared/clock.ts';
import type { Config } from '../app/config.ts';
import type { Actor, AuthContext } from '../brands/model.ts';
import { parseInput, type BrandsService } from '../brands/service.ts';
import type { EmailsService } from '../emails/service.ts';
import type { Email } from '../emails/model.ts';
import type { SegmentsService } from '../audience/segments/service.ts';
import type { PreflightService } from '../preflight/service.ts';
import type { JobQueue } from '../jobs/model.ts';
import type { MessageBuilder } from '../delivery/send-path/model.ts';
import type { ProviderResolver, SendRecorder } from '../delivery/outbox/model.ts';
import { Dispatcher, type DispatcherOptions } from '../delivery/outbox/dispatcher.ts';
import type { DomainsService } from '../delivery/domains/service.ts';
import type { ProvidersService } from '../delivery/settings/service.ts';
import { conflict, DomainError, invalid, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { toJson } from '../shared/json.ts';
import { toPage, type Page } from '../http/pagination.ts';
import { CampaignAudienceReader } from './audience.ts';
import { applyDuplicates, decide, FanOut, FANOUT_BATCH, type FanOutOptions, type FanOutResult } from './fanout.ts';
import { CampaignPlans } from './plans.ts';
import { resolveSchedule } from './schedule.ts';
import { audienceJson, campaignsRepo as repo, toCampaign, type CampaignRow } from './repo.ts';
import {
  CampaignInput,
  CampaignListQuery,
  CampaignPatch,
  CampaignTestSendInput,
  CANCELLABLE,
  DISPATCHING,
  EDITABLE,
  MessageLogQuery,
  PAUSABLE,
  ScheduleInput,
  SendInput,
  SETTLED,
  STARTABLE,
  type AudiencePreview,
  type Campaign,
  type CampaignAudience,
  type CampaignMessage,
  type CampaignProgress,
  type CampaignSchedule,
  type CampaignStatus,
  type PreflightOverride,
  type SkipReason,
} from './model.ts';

export const FANOUT_QUEUE = 'campaigns.fanout';

/** The send rate shown with the progress is measured over this window. */
const RATE_WINDOW_MS = 30_000;
const SAMPLE_SIZE = 10;

export interface CampaignsDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  config: Pick<Config, 'publicUrl' | 'dkim'>;
  secret: string;
  brands: BrandsService;
  emails: EmailsService;
  segments: SegmentsService;
  preflight: Pick<PreflightService, 'run'>;
  jobs: JobQueue;
  /** Resolves provider accounts for sending, and checks that a campaign's account exists. */
  providers: ProviderResolver & { get(brandId: string, id: string): Promise<unknown> } & Pick<ProvidersService, 'assertRecipientsCanReachUs'>;
  /** The brand's verified sending domains sign with their own DKIM keys. */
  domains: Pick<DomainsService, 'dkimFor'>;
  builder: MessageBuilder;
  recorder: SendRecorder;
  dispatcher?: Partial<DispatcherOptions>;
}

/** Managers may override critical preflight findings; API keys may when they carry the manager-only brand:write scope. */
export const mayOverridePreflight = (auth: AuthContext) => auth.role === 'manager' || (auth.role === null && auth.scopes.has('brand:write'));

/**
 * Campaigns (S5.1): lifecycle, fan-out and progress. Every status change is one conditional
 * UPDATE from the statuses it may leave (repo.transition), so racing requests cannot both win;
 * sending is the outbox dispatcher's, which this service builds with its own send plans.
 */
export class CampaignsService {
  readonly dispatcher: Dispatcher;
  private readonly reader: CampaignAudienceReader;
  private readonly fanout: FanOut;
  private readonly tickWork: Array<() => Promise<void>> = [];

  constructor(private readonly deps: CampaignsDeps) {
    this.reader = new CampaignAudienceReader(deps.segments);
    this.fanout = new FanOut({ store: deps.store, clock: deps.clock, log: deps.log, reader: this.reader, fail: (id, reason) => this.stopBySystem(id, 'failed', reason) });
    const plans = new CampaignPlans({ store: deps.store, config: deps.config, secret: deps.secret, emails: deps.emails, brands: deps.brands, domains: deps.domains, pause: (id, reason) => this.stopBySystem(id, 'paused', reason) });
    this.dispatcher = new Dispatcher(
      { store: deps.store, clock: deps.clock, log: deps.log, plans, providers: deps.providers, builder: deps.builder, recorder: deps.recorder, everyTick: () => this.everyTick() },
      deps.dispatcher,
    );
    deps.emails.guardRemoval((db, brandId, emailId) => this.whySentEmailStays(db, brandId, emailId));
  }

  /** Sent mail keeps pointing at its email: clicks resolve links, and the view-in-browser page renders it. */
  private async whySentEmailStays(db: Executor, brandId: string, emailId: string): Promise<string | null> {
    const c = await repo.sentWithEmail(db, brandId, emailId);
    if (!c) return null;
    const by = c.series_id ? `a step of series ${c.series_id}` : `campaign "${c.name}" (${c.id})`;
    return `${by} sent it, and its tracked links and view-in-browser page must keep working in the inboxes it reached. Duplicate it to change a copy.`;
  }

  private get db() {
    return this.deps.store.db;
  }
  private now() {
    return this.deps.clock.now().toISOString();
  }

  /** Fan-out runs as a job: any worker process may take it, and a crashed one is retried from its checkpoint. */
  registerJobs(): void {
    this.deps.jobs.register<{ campaignId: string }>(FANOUT_QUEUE, async (job) => void (await this.fanOut(job.payload.campaignId)));
  }

  // ---- reading ------------------------------------------------------------------------------

  async get(brandId: string, id: string): Promise<Campaign> {
    return toCampaign(await this.row(brandId, id));
  }

  private async row(brandId: string, id: string, db: Executor = this.db): Promise<CampaignRow> {
    const c = await repo.get(db, brandId, id);
    if (!c) throw notFound('campaign', id);
    // A series step's carrier campaign is run by its series (src/series), never through the campaign API.
    if (c.series_id) throw new DomainError('not_found', `campaign ${id} belongs to series ${c.series_id}: manage it from the series`, { kind: 'campaign', id, seriesId: c.series_id });
    return c;
  }

  /** Other schedulers (the series drip tick) run with the dispatcher's housekeeping, about once a second. */
  onTick(work: () => Promise<void>): void {
    this.tickWork.push(work);
  }

  private async everyTick(): Promise<void> {
    await this.startDue();
    for (const work of this.tickWork) {
      try {
        await work();
      } catch (err) {
        this.deps.log.error({ err }, 'campaigns: scheduled work failed; it runs again at the next tick');
      }
    }
  }

  async list(brandId: string, query: CampaignListQuery): Promise<Page<Campaign>> {
    const q = parseInput(CampaignListQuery, query);
    const rows = await repo.list(this.db, brandId, { status: q.status, search: q.search, archived: q.archived, after: q.cursor, limit: q.limit + 1 });
    return toPage(rows.map(toCampaign), q.limit);
  }

  // ---- drafting -----------------------------------------------------------------------------

  async create(auth: AuthContext, input: unknown): Promise<Campaign> {
    const c = parseInput(CampaignInput, input);
    await this.checkReferences(auth.brandId, c);
    const id = newId('cmp');
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      await repo.insert(trx, {
        id,
        brand_id: auth.brandId,
        name: c.name,
        email_id: c.emailId,
        subject: c.subject ?? null,
        preheader: c.preheader ?? null,
        from_name: c.fromName ?? null,
        from_email: c.fromEmail ?? null,
        reply_to: c.replyTo ?? null,
        audience: audienceJson(c.audience),
        topic_id: c.topicId ?? null,
        provider_id: c.providerId ?? null,
        track_opens: c.trackOpens ? 1 : 0,
        track_clicks: c.trackClicks ? 1 : 0,
        status: 'draft',
        created_by: auth.actor.id,
        created_at: now,
        updated_at: now,
      });
      await this.audit(trx, auth.brandId, auth.actor, 'campaign.created', id, { name: c.name, emailId: c.emailId });
    });
    return this.get(auth.brandId, id);
  }

  /** Edits a draft; editing a scheduled campaign takes it back to draft (schedule it again to send). */
  async update(auth: AuthContext, id: string, input: unknown): Promise<Campaign> {
    const current = await this.row(auth.brandId, id);
    assertStatus(current, EDITABLE, 'edit');
    const p = parseInput(CampaignPatch, input);
    await this.checkReferences(auth.brandId, p);
    const set = {
      ...(p.name !== undefined && { name: p.name }),
      ...(p.emailId !== undefined && { email_id: p.emailId }),
      ...(p.audience !== undefined && { audience: audienceJson(p.audience) }),
      ...(p.topicId !== undefined && { topic_id: p.topicId }),
      ...(p.providerId !== undefined && { provider_id: p.providerId }),
      ...(p.subject !== undefined && { subject: p.subject }),
      ...(p.preheader !== undefined && { preheader: p.preheader }),
      ...(p.fromName !== undefined && { from_name: p.fromName }),
      ...(p.fromEmail !== undefined && { from_email: p.fromEmail }),
      ...(p.replyTo !== undefined && { reply_to: p.replyTo }),
      ...(p.trackOpens !== undefined && { track_opens: p.trackOpens ? 1 : 0 }),
      ...(p.trackClicks !== undefined && { track_clicks: p.trackClicks ? 1 : 0 }),
    };
    await this.db.transaction().execute(async (trx) => {
      const ok = await repo.transition(trx, id, EDITABLE, { ...set, ...UNSCHEDULED, updated_at: this.now() });
      if (!ok) throw conflict(`campaign ${id} started sending meanwhile; it can no longer be edited`, { field: 'status' });
      await this.audit(trx, auth.brandId, auth.actor, 'campaign.updated', id, { fields: Object.keys(p), unscheduled: current.status === 'scheduled' });
    });
    return this.get(auth.brandId, id);
  }

  async delete(auth: AuthContext, id: string): Promise<void> {
    const c = await this.row(auth.brandId, id);
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.delete(trx, auth.brandId, id, ['draft']))) throw conflict(`only a draft can be deleted; this campaign is ${c.status} (archive it instead)`, { field: 'status' });
      await this.audit(trx, auth.brandId, auth.actor, 'campaign.deleted', id, { name: c.name });
    });
  }

  async duplicate(auth: AuthContext, id: string): Promise<Campaign> {
    const c = await this.row(auth.brandId, id);
    const copy = newId('cmp');
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      await repo.insert(trx, {
        id: copy,
        brand_id: c.brand_id,
        name: `${c.name} (copy)`.slice(0, 200),
        email_id: c.email_id,
        subject: c.subject,
        preheader: c.preheader,
        from_name: c.from_name,
        from_email: c.from_email,
        reply_to: c.reply_to,
        audience: audienceJson(toCampaign(c).audience),
        topic_id: c.topic_id,
        provider_id: c.provider_id,
        track_opens: c.track_opens,
        track_clicks: c.track_clicks,
        status: 'draft',
        created_by: auth.actor.id,
        created_at: now,
        updated_at: now,
      });
      await this.audit(trx, auth.brandId, auth.actor, 'campaign.duplicated', copy, { from: id });
    });
    return this.get(auth.brandId, copy);
  }

  /** Hides a campaign that will not send any more from the default list. */
  async archive(auth: AuthContext, id: string): Promise<Campaign> {
    const c = await this.row(auth.brandId, id);
    assertStatus(c, SETTLED, 'archive');
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.transition(trx, id, SETTLED, { archived_at: c.archived_at ?? this.now(), updated_at: this.now() }))) throw conflict(`campaign ${id} changed meanwhile; try again`);
      await this.audit(trx, auth.brandId, auth.actor, 'campaign.archived', id);
    });
    return this.get(auth.brandId, id);
  }

  async testSend(auth: AuthContext, id: string, input: unknown): Promise<{ sent: Array<{ to: string; messageId: string }> }> {
    const t = parseInput(CampaignTestSendInput, input);
    const c = await this.row(auth.brandId, id);
    const email = await this.emailOf(c);
    return this.deps.emails.testSend(auth, email.id, t);
  }

  // ---- starting -----------------------------------------------------------------------------

  /** Send now: checks, preflight, then `sending` and the fan-out job, in one transaction. */
  async send(auth: AuthContext, id: string, input: unknown = {}): Promise<Campaign> {
    const { overridePreflight } = parseInput(SendInput, input ?? {});
    const c = await this.row(auth.brandId, id);
    assertStatus(c, STARTABLE, 'send');
    const { version, override } = await this.readyToStart(auth, c, overridePreflight);
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      const started = await repo.transition(trx, id, STARTABLE, {
        status: 'sending',
        status_reason: null,
        email_version: version,
        schedule: null,
        send_at: now,
        started_at: now,
        preflight_override: override ? toJson(override) : null,
        updated_at: now,
      });
      if (!started) throw conflict(`campaign ${id} changed meanwhile (another request started or cancelled it)`, { field: 'status' });
      await this.enqueueFanOut(trx, id);
      await this.audit(trx, auth.brandId, auth.actor, 'campaign.sent', id, { emailVersion: version });
      if (override) await this.audit(trx, auth.brandId, auth.actor, 'campaign.preflight_overridden', id, { emailVersion: version, findings: override.findings });
    });
    return this.get(auth.brandId, id);
  }

  /**
   * Schedule: the same checks and preflight as a send, and the email version is pinned now, so
   * what goes out at `send_at` is exactly what preflight passed (edit the email, then schedule
   * again, to send a newer version).
   */
  async schedule(auth: AuthContext, id: string, input: unknown): Promise<Campaign> {
    const s = parseInput(ScheduleInput, input);
    const c = await this.row(auth.brandId, id);
    assertStatus(c, STARTABLE, 'schedule');
    if (s.zone === undefined && !s.perRecipientZone) throw invalid('zone', 'is required (an IANA time zone such as Europe/Berlin)');
    const schedule: CampaignSchedule = { at: s.at, zone: s.zone ?? (await this.deps.brands.getBrand(auth.brandId)).timeZone, perRecipientZone: s.perRecipientZone };
    const { sendAt } = resolveSchedule(schedule, this.deps.clock.now());
    const { version, override } = await this.readyToStart(auth, c, s.overridePreflight);
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      const ok = await repo.transition(trx, id, STARTABLE, {
        status: 'scheduled',
        status_reason: null,
        email_version: version,
        schedule: toJson(schedule),
        send_at: sendAt.toISOString(),
        preflight_override: override ? toJson(override) : null,
        updated_at: now,
      });
      if (!ok) throw conflict(`campaign ${id} changed meanwhile (another request started or cancelled it)`, { field: 'status' });
      await this.audit(trx, auth.brandId, auth.actor, 'campaign.scheduled', id, { ...schedule, sendAt: sendAt.toISOString(), emailVersion: version });
      if (override) await this.audit(trx, auth.brandId, auth.actor, 'campaign.preflight_overridden', id, { emailVersion: version, findings: override.findings });
    });
    return this.get(auth.brandId, id);
  }

  /** Starts every scheduled campaign whose time has come (each worker tick; any process may win each one). */
  async startDue(): Promise<void> {
    const now = this.now();
    for (const id of await repo.dueScheduled(this.db, now)) {
      await this.db.transaction().execute(async (trx) => {
        if (!(await repo.transition(trx, id, ['scheduled'], { status: 'sending', started_at: now, updated_at: now }))) return;
        await this.enqueueFanOut(trx, id);
        const c = await repo.byId(trx, id);
        await this.audit(trx, c!.brand_id, SCHEDULER, 'campaign.started', id, { sendAt: c!.send_at });
      });
    }
  }

  /** Runs the fan-out in this process (the job handler; tests and the CLI call it directly). */
  fanOut(campaignId: string, opts: FanOutOptions = {}): Promise<FanOutResult> {
    return this.fanout.run(campaignId, opts);
  }

  private enqueueFanOut(db: Executor, campaignId: string): Promise<string> {
    return this.deps.jobs.enqueue(FANOUT_QUEUE, { campaignId }, { db, dedupeKey: `fanout:${campaignId}`, maxAttempts: 20, backoffMs: 5_000 });
  }

  /** Everything a send needs, checked before anything changes; errors name the field to fix. */
  private async readyToStart(auth: AuthContext, c: CampaignRow, overridePreflight: boolean | undefined): Promise<{ version: number; override: PreflightOverride | null }> {
    const email = await this.emailOf(c);
    const campaign = toCampaign(c);
    const stream = await this.reader.open(auth.brandId, campaign.audience);
    if (await stream.isEmpty()) throw invalid('audience', 'matches no contacts: choose segments or tags that have contacts');
    await this.checkReferences(auth.brandId, { topicId: c.topic_id, providerId: c.provider_id });
    await this.deps.providers.assertRecipientsCanReachUs(auth.brandId, c.provider_id);
    const report = await this.deps.preflight.run(auth, email.id);
    const critical = report.findings.filter((f) => f.severity === 'critical');
    if (critical.length === 0) return { version: report.version, override: null };
    const findings = critical.map((f) => ({ id: f.id, message: f.message }));
    if (!overridePreflight) {
      throw new DomainError(
        'conflict',
        `preflight found ${critical.length} critical problem${critical.length > 1 ? 's' : ''} in email "${email.name}" (first: ${critical[0].message}); fix ${critical.length > 1 ? 'them' : 'it'}, or send anyway with overridePreflight (managers only)`,
        { findings: critical, emailId: email.id, version: report.version },
      );
    }
    if (!mayOverridePreflight(auth)) throw new DomainError('forbidden', 'only a manager may send despite critical preflight findings', { findings: critical });
    return { version: report.version, override: { by: auth.actor, at: this.now(), findings } };
  }

  private async emailOf(c: CampaignRow): Promise<Email> {
    if (!c.email_id) throw invalid('emailId', 'the campaign has no email (it was deleted): choose one');
    try {
      return await this.deps.emails.get(c.brand_id, c.email_id);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'not_found') throw invalid('emailId', `email ${c.email_id} does not exist (deleted?): choose another`);
      throw err;
    }
  }

  /** The ids a draft names must exist in the brand (an empty audience is fine while drafting). */
  private async checkReferences(brandId: string, c: { emailId?: string; audience?: CampaignAudience; topicId?: string | null; providerId?: string | null }): Promise<void> {
    if (c.emailId !== undefined) await this.emailOf({ brand_id: brandId, email_id: c.emailId } as CampaignRow);
    if (c.audience && (c.audience.segmentIds.length > 0 || c.audience.tagIds.length > 0)) await this.reader.open(brandId, c.audience);
    if (c.topicId && (await repo.topicDefault(this.db, brandId, c.topicId)) === null) throw invalid('topicId', `topic ${c.topicId} does not exist`);
    if (c.providerId) {
      // Looked up, not built: checking a draft must not open connections (or start the capture inbox).
      await this.deps.providers.get(brandId, c.providerId).catch((err) => {
        throw err instanceof DomainError && err.code === 'not_found' ? invalid('providerId', `provider account ${c.providerId} does not exist`) : err;
      });
    }
  }

  // ---- while sending ------------------------------------------------------------------------

  async pause(auth: AuthContext, id: string): Promise<Campaign> {
    return this.move(auth, id, PAUSABLE, 'pause', { status: 'paused', status_reason: null }, 'campaign.paused');
  }

  async resume(auth: AuthContext, id: string): Promise<Campaign> {
    const c = await this.move(auth, id, ['paused'], 'resume', { status: 'sending', status_reason: null }, 'campaign.resumed');
    // A fan-out that gave up (its job out of attempts) gets another chance; one still running is not doubled.
    if (!c.fanoutDone) await this.enqueueFanOut(this.db, id);
    return c;
  }

  /** Cancel: nothing more goes out; queued messages are withdrawn (in-flight ones finish). */
  async cancel(auth: AuthContext, id: string): Promise<Campaign> {
    const c = await this.row(auth.brandId, id);
    assertStatus(c, CANCELLABLE, 'cancel');
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.transition(trx, id, CANCELLABLE, { status: 'cancelled', status_reason: null, finished_at: now, updated_at: now }))) throw conflict(`campaign ${id} changed meanwhile; try again`, { field: 'status' });
      const withdrawn = await repo.cancelQueued(trx, id, now);
      await trx.updateTable('campaigns').set((eb) => ({ cancelled: eb('cancelled', '+', withdrawn) })).where('id', '=', id).execute();
      await this.audit(trx, auth.brandId, auth.actor, 'campaign.cancelled', id, { withdrawn });
    });
    return this.get(auth.brandId, id);
  }

  private async move(auth: AuthContext, id: string, from: readonly CampaignStatus[], verb: string, set: { status: CampaignStatus; status_reason: string | null }, action: string): Promise<Campaign> {
    const c = await this.row(auth.brandId, id);
    assertStatus(c, from, verb);
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.transition(trx, id, from, { ...set, updated_at: this.now() }))) throw conflict(`campaign ${id} changed meanwhile; try again`, { field: 'status' });
      await this.audit(trx, auth.brandId, auth.actor, action, id, { from: c.status });
    });
    return this.get(auth.brandId, id);
  }

  /**
   * The system stops a campaign: the dispatcher pauses it (breaker, health guard, an unusable
   * provider or email), fan-out fails it (its audience vanished). A failed campaign's queued
   * messages are withdrawn like a cancel's, so its counts still add up.
   */
  async stopBySystem(id: string, status: 'paused' | 'failed', reason: string): Promise<void> {
    const now = this.now();
    const from = status === 'paused' ? DISPATCHING : [...DISPATCHING, 'paused' as const];
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.transition(trx, id, from, { status, status_reason: reason, updated_at: now, ...(status === 'failed' && { finished_at: now }) }))) return;
      const c = (await repo.byId(trx, id))!;
      if (status === 'failed') {
        const withdrawn = await repo.cancelQueued(trx, id, now);
        await trx.updateTable('campaigns').set((eb) => ({ cancelled: eb('cancelled', '+', withdrawn) })).where('id', '=', id).execute();
      }
      await this.audit(trx, c.brand_id, DISPATCHER, `campaign.${status}`, id, { reason });
    });
    this.deps.log.warn({ campaignId: id, status, reason }, 'campaigns: stopped by the system');
  }

  // ---- views --------------------------------------------------------------------------------

  async progress(brandId: string, id: string): Promise<CampaignProgress> {
    const c = toCampaign(await this.row(brandId, id));
    const now = this.deps.clock.now();
    const [sending, recent] = await Promise.all([repo.countSending(this.db, id), repo.receivedSince(this.db, id, new Date(now.getTime() - RATE_WINDOW_MS).toISOString())]);
    const queued = Math.max(0, c.recipients - c.skipped - c.sent - c.failed - c.cancelled - sending);
    const ratePerSec = recent / (RATE_WINDOW_MS / 1000);
    const left = queued + sending;
    return {
      status: c.status,
      statusReason: c.statusReason,
      fanoutDone: c.fanoutDone,
      recipients: c.recipients,
      skipped: c.skipped,
      queued,
      sending,
      sent: c.sent,
      failed: c.failed,
      cancelled: c.cancelled,
      ratePerSec: Math.round(ratePerSec * 10) / 10,
      etaSeconds: left > 0 && ratePerSec > 0 && DISPATCHING.includes(c.status) ? Math.ceil(left / ratePerSec) : null,
    };
  }

  /**
   * Who the audience resolves to right now and who would be skipped, by reason: the same rules as
   * fan-out over the whole audience, streamed in batches, without writing anything.
   */
  async audiencePreview(brandId: string, id: string): Promise<AudiencePreview> {
    const c = await this.row(brandId, id);
    const stream = await this.reader.open(brandId, toCampaign(c).audience);
    const topicDefault = c.topic_id ? await repo.topicDefault(this.db, brandId, c.topic_id) : null;
    const topic = topicDefault === null ? null : { defaultOptIn: topicDefault };
    const owners = new Map<string, string>();
    const skipped: Partial<Record<SkipReason, number>> = {};
    const sample: string[] = [];
    let recipients = 0;
    for await (const ids of stream.batches(null, FANOUT_BATCH)) {
      const decisions = decide((await repo.recipients(this.db, ids, c.topic_id)).sort((a, b) => (a.id < b.id ? -1 : 1)), topic);
      for (const d of decisions) if (d.mailbox && !owners.has(d.mailbox)) owners.set(d.mailbox, d.row.id);
      applyDuplicates(decisions, owners);
      for (const d of decisions) {
        recipients++;
        if (d.reason) skipped[d.reason] = (skipped[d.reason] ?? 0) + 1;
        else if (sample.length < SAMPLE_SIZE) sample.push(d.row.id);
      }
    }
    const named = new Map((await repo.recipientsWithContent(this.db, sample, null)).map((r) => [r.id, r]));
    const skippedTotal = Object.values(skipped).reduce((a, b) => a + b, 0);
    return {
      recipients,
      sendable: recipients - skippedTotal,
      skipped,
      sample: sample.flatMap((contactId) => {
        const r = named.get(contactId);
        return r ? [{ contactId, email: r.email, name: [r.first_name, r.last_name].filter(Boolean).join(' ') || null }] : [];
      }),
    };
  }

  /** The campaign's outbox rows, newest first: failures and retries with their errors, skips with their reasons. */
  async messages(brandId: string, id: string, query: MessageLogQuery): Promise<Page<CampaignMessage>> {
    await this.row(brandId, id);
    const q = parseInput(MessageLogQuery, query);
    return toPage(await repo.messages(this.db, id, { status: q.status, after: q.cursor, limit: q.limit + 1 }), q.limit);
  }

  private audit(db: Executor, brandId: string, actor: Actor, action: string, id: string, details?: unknown): Promise<void> {
    return this.deps.brands.audit(db, { brandId, actor, action, targetType: 'campaign', targetId: id, details });
  }
}

const SCHEDULER: Actor = { type: 'system', id: 'scheduler' };
const DISPATCHER: Actor = { type: 'system', id: 'dispatcher' };

/** What leaving `scheduled` for `draft` clears. */
const UNSCHEDULED = { status: 'draft', schedule: null, send_at: null, email_version: null, preflight_override: null } as const;

function assertStatus(c: CampaignRow, allowed: readonly CampaignStatus[], verb: string): void {
  if (!allowed.includes(c.status)) {
    throw conflict(`cannot ${verb} campaign ${c.id}: it is ${c.status} (possible from ${allowed.join(', ')})`, { field: 'status', status: c.status });
  }
}
