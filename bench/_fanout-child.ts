/**
 * The fan-out of bench/fanout.ts in a process of its own, loading only what fan-out needs (the
 * store, the segment compiler, the campaign fan-out), so its RSS is the fan-out's and not the web
 * server's, MJML's or the AI clients'. Prints one JSON line.
 *
 *   node --expose-gc --import tsx bench/_fanout-child.ts <sqlite file> <campaign id>
 */
import pino from 'pino';
import { openSqlite } from '../src/store/db.ts';
import { systemClock } from '../src/shared/clock.ts';
import { BrandsService } from '../src/brands/service.ts';
import { SegmentsService } from '../src/audience/segments/service.ts';
import { CampaignAudienceReader } from '../src/campaigns/audience.ts';
import { FanOut } from '../src/campaigns/fanout.ts';

const [file, campaignId] = process.argv.slice(2);
const store = openSqlite(file);
const log = pino({ level: 'silent' });
const segments = new SegmentsService(store, systemClock, new BrandsService(store, systemClock));
const fanout = new FanOut({
  store,
  clock: systemClock,
  log,
  reader: new CampaignAudienceReader(segments),
  fail: async (_id, reason) => {
    throw new Error(reason);
  },
});

globalThis.gc?.();
const before = process.memoryUsage().rss;
let peak = before;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const started = performance.now();
const result = await fanout.run(campaignId);
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
await store.close();
process.stdout.write(JSON.stringify({ result, seconds, rssBefore: before, rssPeak: peak }) + '\n');
