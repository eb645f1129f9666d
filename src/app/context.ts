import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { sql } from 'kysely';
import { ConfigError, type Config } from './config.ts';
import { openStore, type Store } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { ManualClock, systemClock, type Clock } from '../shared/clock.ts';
import { BrandsService } from '../brands/service.ts';
import { AudienceService } from '../audience/service.ts';
import { createJobQueue } from '../jobs/service.ts';
import type { JobQueue } from '../jobs/model.ts';
import { SegmentsService } from '../audience/segments/service.ts';
import { ImportService } from '../audience/import/service.ts';
import { EmailsService } from '../emails/service.ts';
import { SmtpTransport } from '../emails/transport.ts';
import { PreflightService } from '../preflight/service.ts';
import { ComposerService, composerFor } from '../composer/service.ts';
import { createDeliverySettings, type DeliverySeams, type DeliverySettings } from '../delivery/settings/wiring.ts';
import { TrackingService } from '../tracking/service.ts';
import { CampaignsService } from '../campaigns/service.ts';
import { createMessageBuilder } from '../delivery/send-path/pool.ts';
import { SeriesService } from '../series/service.ts';

/**
 * The composition root: every service is built here, once, from the store and the clock, and
 * handed to HTTP, CLI and workers alike. Nothing else constructs services.
 */
export interface AppContext {
  config: Config;
  store: Store;
  clock: Clock;
  log: Logger;
  /** Key for signed tokens (tracking, unsubscribe, view in browser): TIDINGS_SECRET, or embedded mode's generated one. */
  secret: string;
  brands: BrandsService;
  audience: AudienceService;
  segments: SegmentsService;
  imports: ImportService;
  emails: EmailsService;
  preflight: PreflightService;
  composer: ComposerService;
  /** Delivery settings (S9): provider accounts + resolve(), the capture inbox, sending domains, inbound webhooks. */
  providers: DeliverySettings['providers'];
  inbox: DeliverySettings['inbox'];
  domains: DeliverySettings['domains'];
  webhooks: DeliverySettings['webhooks'];
  /** Opens, clicks, unsubscribes and provider events (S5.4), and campaign results. */
  tracking: TrackingService;
  /** Campaigns (S5): lifecycle, fan-out, and the outbox dispatcher the workers run. */
  campaigns: CampaignsService;
  /** Email Series (S6): generate, refine, check, and the drip tick the dispatcher's housekeeping runs. */
  series: SeriesService;
  /** Capabilities register their job handlers here while the context is built; any process may enqueue. */
  jobs: JobQueue;
  /** Starts the job workers of this process (embedded runner or pg-boss); set by the jobs capability. */
  startWorkers?: () => Promise<void>;
  close(): Promise<void>;
}

export interface ContextOptions {
  store?: Store;
  clock?: Clock;
  log?: Logger;
  /** Embedded mode migrates at start-up; scaled deployments run `tidings db migrate` once. */
  migrate?: boolean;
  /** Network seams of the delivery settings (tests: DNS zone in memory, a local SNS). */
  delivery?: DeliverySeams;
}

export async function createContext(config: Config, opts: ContextOptions = {}): Promise<AppContext> {
  const store = opts.store ?? openStore(config);
  // TIDINGS_TEST_CLOCK (with TIDINGS_TEST_HOOKS) gives a served app a clock its browser tests can move.
  const clock = opts.clock ?? (config.testHooks && config.testClock ? new ManualClock(config.testClock) : systemClock);
  const log = opts.log ?? pino({ level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] });
  const secret = resolveSecret(config);
  await checkConnection(store, config);
  if (opts.migrate ?? config.mode === 'embedded') await migrate(store);
  const jobs = createJobQueue(store, clock, log);
  const brands = new BrandsService(store, clock);
  const audience = new AudienceService(store, clock, brands, { mxLookup: config.mxLookup, log });
  const segments = new SegmentsService(store, clock, brands);
  const imports = new ImportService({ store, clock, config, brands, audience, segments, jobs, log });
  imports.registerJobs();
  const testTransport = config.smtpUrl ? new SmtpTransport(config.smtpUrl) : null;
  const emails = new EmailsService({ store, clock, brands, audience, config, secret, transport: testTransport });
  const writer = composerFor(config.composer);
  const composer = new ComposerService({ composer: writer, emails, brands });
  const preflight = new PreflightService({ store, clock, config, secret, emails, audience, composer });
  const tracking = new TrackingService({ store, clock, log, secret, baseUrl: config.publicUrl, brands, emails, audience });
  const delivery = createDeliverySettings({ store, clock, log, secret, config, brands, events: tracking, seams: opts.delivery });
  const messageBuilder = createMessageBuilder();
  const campaigns = new CampaignsService({ store, clock, log, config, secret, brands, emails, segments, preflight, jobs, providers: delivery.providers, domains: delivery.domains, builder: messageBuilder, recorder: tracking });
  campaigns.registerJobs();
  const series = new SeriesService({ store, clock, log, brands, emails, segments, preflight, tracking, providers: delivery.providers, composer: writer, jobs });
  series.drip.registerJobs();
  campaigns.onTick(async () => void (await series.drip.tick()));
  return {
    config,
    store,
    clock,
    log,
    secret,
    brands,
    audience,
    segments,
    imports,
    emails,
    preflight,
    composer,
    providers: delivery.providers,
    inbox: delivery.inbox,
    domains: delivery.domains,
    webhooks: delivery.webhooks,
    tracking,
    campaigns,
    series,
    jobs,
    // `serve --no-workers` passes workers: false; that process enqueues but never works jobs.
    ...(config.workers ? { startWorkers: () => jobs.start().then(() => delivery.startEmbedded()).then(() => campaigns.dispatcher.start()) } : {}),
    close: async () => {
      await campaigns.dispatcher.stop();
      await jobs.stop();
      await messageBuilder.close();
      await audience.idle();
      testTransport?.close();
      await delivery.close();
      await tracking.close();
      await store.close();
    },
  };
}

/** A reachable-but-wrong database is a configuration error too: say which variable to fix. */
export async function checkConnection(store: Store, config: Config): Promise<void> {
  try {
    await sql`select 1`.execute(store.db);
  } catch (err) {
    await store.close().catch(() => {});
    const variable = store.dialect === 'postgres' ? 'DATABASE_URL' : 'TIDINGS_SQLITE_PATH';
    const where = store.dialect === 'postgres' ? redactUrl(config.databaseUrl ?? '') : config.sqlitePath;
    throw new ConfigError(variable, `cannot open the database at ${where}: ${(err as Error).message}`);
  }
}

const redactUrl = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

/**
 * Every process of a scaled deployment must sign and verify with the same key, so it has to be
 * configured; a single embedded process keeps a random one in its data dir, made on first start.
 */
export function resolveSecret(config: Config): string {
  if (config.secret) return config.secret;
  if (config.mode === 'scaled') throw new ConfigError('TIDINGS_SECRET', 'is required in scaled mode (every process must share it); generate one with: openssl rand -hex 32');
  const file = path.join(config.dataDir, 'secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(config.dataDir, { recursive: true });
    const fresh = crypto.randomBytes(32).toString('hex');
    // 'wx' fails if another process created it meanwhile; then that one's key is the key.
    try {
      fs.writeFileSync(file, fresh, { mode: 0o600, flag: 'wx' });
      return fresh;
    } catch {
      return fs.readFileSync(file, 'utf8').trim();
    }
  }
}
