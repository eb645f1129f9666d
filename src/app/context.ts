import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';
import { openStore, type Store } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import { BrandsService } from '../brands/service.ts';

/**
 * The composition root: every service is built here, once, from the store and the clock, and
 * handed to HTTP, CLI and workers alike. Nothing else constructs services.
 */
export interface AppContext {
  config: Config;
  store: Store;
  clock: Clock;
  log: Logger;
  brands: BrandsService;
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
}

export async function createContext(config: Config, opts: ContextOptions = {}): Promise<AppContext> {
  const store = opts.store ?? openStore(config);
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? pino({ level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] });
  if (opts.migrate ?? config.mode === 'embedded') await migrate(store);
  const brands = new BrandsService(store, clock);
  return {
    config,
    store,
    clock,
    log,
    brands,
    close: async () => {
      await store.close();
    },
  };
}
