/**
 * The worker bench/crash.ts kills: the app's own context (its provider accounts, tracking and
 * store, on the SQLite file the bench made) with a campaigns dispatcher whose lease is short, so a
 * killed worker's messages come back within seconds rather than a minute. Runs until SIGTERM.
 *
 *   TIDINGS_DATA_DIR=… node --import tsx bench/_crash-worker.ts '<dispatcher options as JSON>'
 */
import pino from 'pino';
import { loadConfig } from '../src/app/config.ts';
import { createContext } from '../src/app/context.ts';
import { CampaignsService } from '../src/campaigns/service.ts';
import { InThreadBuilder } from '../src/delivery/send-path/build.ts';

const ctx = await createContext(loadConfig(), { log: pino({ level: 'warn' }), migrate: false });
const campaigns = new CampaignsService({
  store: ctx.store,
  clock: ctx.clock,
  log: ctx.log,
  config: ctx.config,
  secret: ctx.secret,
  brands: ctx.brands,
  emails: ctx.emails,
  segments: ctx.segments,
  preflight: ctx.preflight,
  jobs: ctx.jobs,
  providers: ctx.providers,
  domains: ctx.domains,
  builder: new InThreadBuilder(),
  recorder: ctx.tracking,
  dispatcher: JSON.parse(process.argv[2] ?? '{}'),
});
campaigns.dispatcher.start();
process.stdout.write('ready\n');
process.once('SIGTERM', async () => {
  await campaigns.dispatcher.stop();
  await ctx.close();
  process.exit(0);
});
