import type { Logger } from 'pino';
import type { Store } from '../../store/db.ts';
import type { Clock } from '../../shared/clock.ts';
import { DomainError } from '../../shared/errors.ts';
import { recipientFromContact } from '../../emails/render.ts';
import type { EmailProvider, OutboundMessage, ProviderError, SendOutcome } from '../providers/model.ts';
import { CircuitBreaker, HEALTH_LIMITS, healthProblem, type HealthLimits } from './breaker.ts';
import { rateLimitOf, TokenBuckets, type RateLimit } from './limiter.ts';
import { outboxRepo as repo, type ClaimedMessage, type DispatchingCampaign, type Settlement } from './repo.ts';
import type { SentMessage } from '../../tracking/model.ts';
import type { BuildJob, MessageBuilder } from '../send-path/model.ts';
import type { ProviderResolver, ResolvedProvider, SendPlan, SendPlans, SendRecorder } from './model.ts';
import { mapLimit } from '../../shared/concurrency.ts';

export interface DispatcherOptions {
  /** Messages claimed (and settled) together. */
  batchSize: number;
  /** A claimed message belongs to its worker this long; renewed while a slow batch is still sending. */
  leaseMs: number;
  /**
   * Messages of one provider account in flight at once, across every process: the most a crash
   * can leave ambiguous (sent or not?), so the most recipients that can get a message twice.
   */
  maxInFlight: number;
  /** Batches one process works on at once. */
  lanes: number;
  /** Provider calls at once within a batch when the provider does not say. */
  sendConcurrency: number;
  maxAttempts: number;
  /** Retry n waits about retryBaseMs · 2^(n-1) (half of it random), at most retryMaxMs, at least what the provider asked. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Transient failures in a row that pause a campaign. */
  breakerThreshold: number;
  health: HealthLimits;
  /** How often (per campaign and process) bounce and complaint rates are re-counted. */
  healthEveryMs: number;
  /** How long an idle worker sleeps before looking for due messages again. */
  pollMs: number;
  /** Messages per second for an account; the default is what the provider states (none: unlimited). */
  rateFor(account: ResolvedProvider): number | null;
  /** Jitter source (tests make it fixed). */
  random(): number;
}

export const DISPATCHER_DEFAULTS: DispatcherOptions = {
  batchSize: 100,
  leaseMs: 60_000,
  maxInFlight: 400,
  // Four batches in flight keep the SMTP connections busy while other batches are claimed and
  // settled on the database: bench/send.ts measured 1,258 msgs/s with two lanes, 1,449 with four
  // and 1,343 with six (the in-flight cap of 400 then holds the extra lanes back).
  lanes: 4,
  sendConcurrency: 8,
  maxAttempts: 6,
  retryBaseMs: 30_000,
  retryMaxMs: 3_600_000,
  breakerThreshold: 10,
  health: HEALTH_LIMITS,
  healthEveryMs: 15_000,
  pollMs: 250,
  rateFor: (account) => account.provider.capabilities.rate.requestsPerSec ?? null,
  random: Math.random,
};

export interface DispatcherDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  plans: SendPlans;
  providers: ProviderResolver;
  builder: MessageBuilder;
  recorder: SendRecorder;
  /** Runs with the dispatcher's housekeeping, about once a second (the scheduler's "start what is due"). */
  everyTick?: () => Promise<void>;
}

/** What one batch came to, beyond the rows' own outcomes. */
interface BatchResult {
  settlements: Settlement[];
  sent: SentMessage[];
  /** Set when the campaign must stop: the reason. */
  stop: string | null;
  /** Set when the provider asked us to slow down. */
  slowDown: string | null;
}

/** The claim a batch holds; renewing the lease moves `until`, which fences every later write. */
interface Lease {
  until: string;
  renewing: Promise<void> | null;
}

/**
 * The outbox dispatcher (S5.3). Each tick, for every campaign in `sending`/`throttled`: take tokens
 * from the account's bucket, claim that many due messages under a lease (never more than the
 * account's in-flight cap), build them, send them, and settle every outcome — sent, retry later,
 * failed, or skipped because the contact changed since fan-out — with the counters and `received`
 * events in the same transaction. A campaign whose outbox is drained (and fully fanned out) becomes
 * `sent`. Workers that die leave leases that run out; the next tick of any worker re-queues them.
 */
export class Dispatcher {
  private readonly opts: DispatcherOptions;
  private readonly buckets: TokenBuckets;
  private readonly breaker: CircuitBreaker;
  private readonly healthCheckedAt = new Map<string, number>();
  private housekeptAt: number | null = null;
  private loops: Promise<void>[] = [];
  private stopping = false;
  private readonly sleepers = new Set<() => void>();

  constructor(
    private readonly deps: DispatcherDeps,
    opts: Partial<DispatcherOptions> = {},
  ) {
    this.opts = { ...DISPATCHER_DEFAULTS, ...opts };
    this.buckets = new TokenBuckets(deps.store, deps.clock);
    this.breaker = new CircuitBreaker(this.opts.breakerThreshold);
  }

  private get db() {
    return this.deps.store.db;
  }
  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  /** Starts the worker loops of this process. */
  start(): void {
    if (this.loops.length > 0 || this.stopping) return;
    for (let i = 0; i < this.opts.lanes; i++) this.loops.push(this.loop());
  }

  /** Stops taking work; batches in flight finish and settle (their provider calls are not cut). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of this.sleepers) wake();
    await Promise.all(this.loops);
    this.loops = [];
  }

  /** Ticks until nothing is due (tests and the CLI drive the dispatcher this way). */
  async drain(): Promise<void> {
    while ((await this.tick()) > 0);
  }

  /** One pass over the dispatching campaigns; returns how many messages it claimed. */
  async tick(): Promise<number> {
    await this.housekeeping();
    let claimed = 0;
    for (const campaign of await repo.dispatching(this.db)) {
      if (this.stopping) break;
      try {
        claimed += await this.dispatch(campaign);
      } catch (err) {
        this.deps.log.error({ err, campaignId: campaign.id }, 'outbox: dispatching failed; the batch is retried when its lease runs out');
      }
    }
    return claimed;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let claimed = 0;
      try {
        claimed = await this.tick();
      } catch (err) {
        this.deps.log.error({ err }, 'outbox: tick failed');
      }
      if (claimed === 0 && !this.stopping) await this.sleep(this.opts.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  /**
   * Starting due campaigns and recovering dead workers' leases need not run for every batch:
   * once a second per process is plenty next to leases of a minute, and keeps SQLite's single
   * writer free for the batches themselves.
   */
  private async housekeeping(): Promise<void> {
    const now = this.deps.clock.now().getTime();
    if (this.housekeptAt !== null && now - this.housekeptAt < HOUSEKEEPING_MS) return;
    this.housekeptAt = now;
    await this.deps.everyTick?.();
    await this.recoverExpired();
  }

  private async recoverExpired(): Promise<void> {
    const now = this.now();
    const { requeued, failed } = await this.db.transaction().execute(async (trx) => {
      const r = await repo.recoverExpired(trx, now, this.opts.maxAttempts);
      for (const [campaignId, n] of r.failed) await repo.addCounts(trx, campaignId, { failed: n }, now);
      for (const campaignId of r.campaigns) await repo.withdrawIfStopped(trx, campaignId, now);
      return r;
    });
    if (requeued > 0 || failed.size > 0) this.deps.log.warn({ requeued, failed: [...failed.values()].reduce((a, b) => a + b, 0) }, 'outbox: re-queued messages whose worker stopped before settling them; they may reach their recipients twice');
  }

  // ---- one campaign ---------------------------------------------------------------------------

  private async dispatch(c: DispatchingCampaign): Promise<number> {
    const plan = await this.planOf(c);
    const account = plan && (await this.accountOf(c, plan));
    if (!plan || !account) return 0;
    // Rate limits count provider calls: one per message, or one per batch request where there is one.
    const limit = this.limitOf(account);
    const bucket = `provider:${account.id}`;
    const perCall = account.provider.sendBatch ? account.provider.capabilities.maxMessagesPerBatch : 1;
    const callsWanted = Math.ceil(this.opts.batchSize / perCall);
    const calls = limit ? await this.buckets.take(bucket, callsWanted, limit) : callsWanted;
    if (calls === 0) {
      await repo.setThrottled(this.db, c.id, rateReason(limit!), this.now());
      return 0;
    }
    const lease: Lease = { until: new Date(this.deps.clock.now().getTime() + this.opts.leaseMs).toISOString(), renewing: null };
    const room = Math.min(this.opts.batchSize, calls * perCall);
    const claimed = await this.claim(c.id, account.id, room, lease.until);
    const callsUsed = Math.ceil(claimed.length / perCall);
    if (limit && callsUsed < calls) await this.buckets.refund(bucket, calls - callsUsed, limit);
    if (claimed.length === 0) {
      await repo.finishIfDrained(this.db, c.id, this.now());
      return 0;
    }
    const result = await this.withRenewal(lease, claimed, () => this.sendBatch(plan, account, claimed));
    await this.settle(c.id, lease, result);
    const heldByRate = limit !== null && claimed.length === room && room < this.opts.batchSize;
    await repo.setThrottled(this.db, c.id, result.slowDown ?? (heldByRate ? rateReason(limit!) : null), this.now());
    if (result.stop) await this.deps.plans.pause(c.id, result.stop);
    else await this.checkHealth(c);
    return claimed.length;
  }

  /** A campaign that cannot be planned (its email was deleted…) is paused with the reason. */
  private async planOf(c: DispatchingCampaign): Promise<SendPlan | null> {
    try {
      return await this.deps.plans.plan(c.id);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await this.deps.plans.pause(c.id, `cannot be sent as it stands: ${err.message}`);
      return null;
    }
  }

  private async accountOf(c: DispatchingCampaign, plan: SendPlan): Promise<ResolvedProvider | null> {
    try {
      return await this.deps.providers.resolve(c.brand_id, plan.providerId);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await this.deps.plans.pause(c.id, `its provider is not available: ${err.message}`);
      return null;
    }
  }

  private limitOf(account: ResolvedProvider): RateLimit | null {
    const perSecond = this.opts.rateFor(account);
    return perSecond ? rateLimitOf(perSecond) : null;
  }

  private async claim(campaignId: string, accountId: string, limit: number, leaseUntil: string): Promise<ClaimedMessage[]> {
    const request = { campaignId, accountId, now: this.now(), leaseUntil, limit, maxInFlight: this.opts.maxInFlight };
    const { store } = this.deps;
    if (store.dialect === 'sqlite') return repo.claim(this.db, 'sqlite', request);
    return this.db.transaction().execute(async (trx) => {
      await repo.lockAccount(trx, accountId);
      return repo.claim(trx, 'postgres', request);
    });
  }

  /** Keeps the claim alive while a slow batch is still sending, so no other worker takes it over. */
  private async withRenewal<T>(lease: Lease, claimed: ClaimedMessage[], work: () => Promise<T>): Promise<T> {
    const ids = claimed.map((m) => m.id);
    const timer = setInterval(() => {
      if (lease.renewing) return;
      const next = new Date(this.deps.clock.now().getTime() + this.opts.leaseMs).toISOString();
      lease.renewing = this.db
        .updateTable('messages')
        .set({ lease_until: next })
        .where('id', 'in', ids)
        .where('status', '=', 'sending')
        .where('lease_until', '=', lease.until)
        .execute()
        .then(() => void (lease.until = next))
        .catch((err) => this.deps.log.warn({ err }, 'outbox: lease renewal failed'))
        .finally(() => (lease.renewing = null));
    }, this.opts.leaseMs / 3);
    try {
      return await work();
    } finally {
      clearInterval(timer);
      await lease.renewing;
    }
  }

  // ---- building and sending -------------------------------------------------------------------

  private async sendBatch(plan: SendPlan, account: ResolvedProvider, claimed: ClaimedMessage[]): Promise<BatchResult> {
    const result: BatchResult = { settlements: [], sent: [], stop: null, slowDown: null };
    const recipients = await plan.recipients(claimed.map((m) => m.contact_id));
    const ready: Array<{ message: ClaimedMessage; job: BuildJob }> = [];
    for (const m of claimed) {
      const r = recipients.get(m.contact_id);
      if (!r) result.settlements.push({ id: m.id, status: 'failed', error: 'the contact was deleted before its message went out' });
      else if (r.skipReason) result.settlements.push({ id: m.id, status: 'skipped', skipReason: r.skipReason });
      else ready.push({ message: m, job: this.jobOf(plan, m, recipientFromContact({ ...r.contact, email: m.email }, { messageId: m.id, campaignId: plan.campaignId })) });
    }
    if (ready.length === 0) return result;

    let built: OutboundMessage[];
    try {
      // Providers that send raw bytes need only those; HTTP APIs build their own MIME from the fields.
      built = await this.deps.builder.build(
        ready.map((r) => r.job),
        { content: account.provider.capabilities.sendsRawMime ? 'raw' : 'fields' },
      );
    } catch (err) {
      // The same email fails for everyone: stop the campaign instead of failing its whole audience.
      result.stop = `its email could not be built: ${(err as Error).message}`;
      for (const { message } of ready) result.settlements.push(release(message, this.now()));
      return result;
    }

    const outcomes = await this.deliver(account.provider, built);
    outcomes.forEach((outcome, i) => this.record(plan, account, ready[i].message, outcome, result));
    return result;
  }

  private jobOf(plan: SendPlan, m: ClaimedMessage, recipient: BuildJob['recipient']): BuildJob {
    return {
      prepared: plan.prepared,
      recipient,
      render: plan.render,
      messageRef: m.id,
      // The outbox row is the unit of idempotency: the same key on every retry of it.
      idempotencyKey: m.id,
      category: plan.category,
      messageIdDomain: plan.messageIdDomain,
      dkim: plan.dkim,
      tags: { campaign: plan.campaignId },
      date: this.deps.clock.now(),
    };
  }

  /** Sends through the batch endpoint when there is one, else one call per message, a few at a time. */
  private async deliver(provider: EmailProvider, messages: OutboundMessage[]): Promise<SendOutcome[]> {
    const perBatch = provider.capabilities.maxMessagesPerBatch;
    if (provider.sendBatch && perBatch > 1) {
      const chunks: OutboundMessage[][] = [];
      for (let i = 0; i < messages.length; i += perBatch) chunks.push(messages.slice(i, i + perBatch));
      const results = await mapLimit(chunks, 2, (chunk) => provider.sendBatch!(chunk).catch((err) => chunk.map(() => thrown(err))));
      return results.flat();
    }
    const concurrency = provider.capabilities.rate.concurrency ?? this.opts.sendConcurrency;
    return mapLimit(messages, concurrency, (msg) => provider.send(msg).catch(thrown));
  }

  /** One provider outcome → the row's settlement, the breaker, and the campaign's fate. */
  private record(plan: SendPlan, account: ResolvedProvider, m: ClaimedMessage, outcome: SendOutcome, result: BatchResult): void {
    const now = this.now();
    if (outcome.status === 'accepted') {
      this.breaker.succeeded(plan.campaignId);
      result.settlements.push({ id: m.id, status: 'sent', providerMessageId: outcome.providerMessageId });
      result.sent.push({ id: m.id, brandId: plan.brandId, contactId: m.contact_id, campaignId: plan.campaignId, sentAt: now, provider: account.id });
      return;
    }
    const error = describe(outcome.error);
    if (outcome.status === 'rejected' && outcome.error.kind === 'auth') {
      // Every message would fail the same way: keep them queued and stop until the account is fixed.
      result.stop = `the provider refused the account's credentials: ${error}`;
      result.settlements.push(release(m, now));
      return;
    }
    if (outcome.status === 'rejected') {
      result.settlements.push({ id: m.id, status: 'failed', error });
      return;
    }
    if (outcome.error.kind === 'rate_limited' || outcome.error.kind === 'quota_exhausted') {
      result.slowDown = `the provider asked us to slow down: ${error}`;
    } else {
      result.stop ??= this.breaker.failed(plan.campaignId, error);
    }
    if (m.attempts >= this.opts.maxAttempts) {
      result.settlements.push({ id: m.id, status: 'failed', error: `gave up after ${m.attempts} attempts: ${error}` });
      return;
    }
    const dueAt = new Date(this.deps.clock.now().getTime() + this.retryDelay(m.attempts, outcome.retryAfterMs)).toISOString();
    result.settlements.push({ id: m.id, status: 'queued', dueAt, error, attemptUsed: true });
  }

  /** Exponential backoff with jitter (half fixed, half random), never sooner than the provider asked. */
  private retryDelay(attempts: number, retryAfterMs: number | undefined): number {
    const backoff = Math.min(this.opts.retryBaseMs * 2 ** (attempts - 1), this.opts.retryMaxMs);
    const jittered = backoff / 2 + this.opts.random() * (backoff / 2);
    return Math.ceil(Math.max(jittered, retryAfterMs ?? 0));
  }

  // ---- settling -------------------------------------------------------------------------------

  private async settle(campaignId: string, lease: Lease, result: BatchResult): Promise<void> {
    const now = this.now();
    const written = await this.db.transaction().execute(async (trx) => {
      await repo.lockCampaign(trx, campaignId, now);
      const rows = await repo.settle(trx, this.deps.store.dialect, lease.until, now, result.settlements);
      const count = (status: string) => rows.filter((r) => r.status === status).length;
      await repo.addCounts(trx, campaignId, { sent: count('sent'), failed: count('failed'), skipped: count('skipped') }, now);
      await repo.withdrawIfStopped(trx, campaignId, now);
      const sentIds = new Set(rows.filter((r) => r.status === 'sent').map((r) => r.id));
      await this.deps.recorder.recordSent(
        result.sent.filter((s) => sentIds.has(s.id)),
        trx,
      );
      return rows.length;
    });
    if (written < result.settlements.length) {
      this.deps.log.warn({ campaignId, lost: result.settlements.length - written }, 'outbox: messages were taken over by another worker after this lease ran out; they may reach their recipients twice');
    }
  }

  /** Re-counts bounces and complaints now and then, once the campaign is past the minimum. */
  private async checkHealth(c: DispatchingCampaign): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const last = this.healthCheckedAt.get(c.id);
    if (last !== undefined && now - last < this.opts.healthEveryMs) return;
    this.healthCheckedAt.set(c.id, now);
    const problem = healthProblem(await repo.health(this.db, c.id), this.opts.health);
    if (problem) await this.deps.plans.pause(c.id, problem);
  }
}

const HOUSEKEEPING_MS = 1000;

const rateReason = (limit: RateLimit) => `held to ${limit.perSecond} calls per second by the provider account's rate limit`;

/** Back to the queue, due now, without spending an attempt: nothing was tried with the provider. */
const release = (m: ClaimedMessage, now: string): Settlement => ({ id: m.id, status: 'queued', dueAt: now, error: null, attemptUsed: false });

function describe(e: ProviderError): string {
  const code = [e.httpStatus, e.providerCode].filter((x) => x !== undefined).join(' ');
  const ambiguous = e.maybeDelivered ? ' (the provider may have accepted it)' : '';
  return `${e.kind}${code ? ` ${code}` : ''}: ${e.message}${ambiguous}`;
}

/** A provider that threw instead of returning an outcome: treated as a passing failure. */
function thrown(err: unknown): SendOutcome {
  return { status: 'retry', error: { kind: 'transient', message: err instanceof Error ? err.message : String(err), maybeDelivered: true } };
}
