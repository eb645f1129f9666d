/**
 * Tracking endpoints under load (issue 4): requests/s and p99 latency of the open pixel and the
 * click redirect of the real server, each hit durably recorded before its response, next to a bare
 * Fastify route answering the same GIF, measured in the same run. Targets: ≥ 50 % of the bare
 * route's requests/s and p99 < 50 ms.
 *
 * Embedded mode answers once a hit is committed to the tracking inbox (src/tracking/inbox.ts) and
 * writes the events from a thread. So after every run the server reports how long it still took
 * until every answered hit was in the events table, and the bench prints the written rate beside
 * the request rate: the run's hits over the run plus that time. A writer that cannot keep up shows
 * there; the request rate alone would hide it.
 *
 * Two processes on loopback: this one drives the load with autocannon, and then, when the machine
 * has it (Debian's wrk package), with wrk as well (`--client autocannon|wrk` for one of them). On
 * two cores the load generator's own share decides much: autocannon takes a whole core (the bare
 * route then waits on it), wrk, in C, far less, leaving the server more of both cores, for the
 * bare route as for ours. A child (this file with --serve) runs the real app (SQLite file, WAL)
 * with a seeded campaign of sent messages, and the bare route on a second port, idle while the
 * other is measured. Each target gets a warm-up and
 * `runs` timed runs, in rounds that take every target in turn; medians are printed with the
 * ratios. Afterwards the database must hold at least as many open and click events as requests
 * were answered (nothing acknowledged is lost).
 *
 * Then the results side: campaign stats, timeline, links and a recipients page of a campaign of
 * `--stats-messages` (1,000,000) sent messages and their events (bench/.data/tracking-stats-N.db,
 * kept while its row count matches), next to the straightforward way to ask the same question
 * (DISTINCT and counts over events, a scan of the messages) in the same run; `--no-stats` skips it.
 * (Links have no such baseline: the straightforward query is the one the service runs, on its index.)
 *
 *   node --import tsx bench/tracking.ts [--client autocannon|wrk] [--messages N] [--seconds S] [--connections C] [--runs R] [--stats-messages N] [--no-stats | --no-load]
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p99: number; p50: number };
  '2xx': number;
  '3xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};

// ---- the server process ---------------------------------------------------------------------

async function serve(dir: string, messages: number): Promise<void> {
  const { default: Fastify } = await import('fastify');
  const { loadConfig } = await import('../src/app/config.ts');
  const { createContext } = await import('../src/app/context.ts');
  const { buildServer } = await import('../src/http/server.ts');
  const config = loadConfig({ TIDINGS_DATA_DIR: dir, LOG_LEVEL: 'warn', TIDINGS_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef' });
  const ctx = await createContext(config);
  const tokens = await seedSentCampaign(ctx, messages);
  fs.writeFileSync(path.join(dir, 'tokens.json'), JSON.stringify(tokens));
  const app = await buildServer(ctx, { webDist: null });
  await app.listen({ port: 0, host: '127.0.0.1' });

  const { PIXEL_GIF } = await import('../src/tracking/pages.ts');
  const bare = Fastify({ logger: false });
  bare.get('/t/o/*', (_req, reply) => reply.header('cache-control', 'no-store, no-cache, must-revalidate, private').type('image/gif').send(PIXEL_GIF));
  await bare.listen({ port: 0, host: '127.0.0.1' });

  const port = (a: { server: { address(): unknown } }) => (a.server.address() as { port: number }).port;
  process.stdout.write(`${JSON.stringify({ port: port(app), barePort: port(bare), sqlite: config.sqlitePath })}\n`);
  // 'settle' on stdin: how long until every answered open and click is in the events table (embedded
  // mode answers once a hit is in the inbox and writes the events from a thread).
  const commands = readline.createInterface({ input: process.stdin });
  commands.on('line', async (line) => {
    if (line !== 'settle') return;
    const t = performance.now();
    await ctx.tracking.settled();
    process.stdout.write(`${JSON.stringify({ settledMs: performance.now() - t })}\n`);
  });
  commands.on('close', async () => {
    await app.close();
    await bare.close();
    await ctx.close();
    process.exit(0);
  });
}

/** A brand, the fixture email, a campaign and `count` subscribed contacts with one sent message each; returns their message tokens. */
async function seedSentCampaign(ctx: import('../src/app/context.ts').AppContext, count: number): Promise<string[]> {
  const { FIXTURE_HTML, systemAuth } = await import('../src/tracking/testing.ts');
  const { signMessage } = await import('../src/tracking/tokens.ts');
  const { newId } = await import('../src/shared/ids.ts');
  const { brand } = await ctx.brands.setup({
    user: { email: 'bench@example.com', name: 'Bench', password: 'correct horse battery' },
    brand: { name: 'Bench Coffee', postalAddress: '1 Bean St, Portland, OR 97201, USA', fromEmail: 'hello@bench.test' },
  });
  const email = await ctx.emails.create(systemAuth(brand.id), { name: 'Bench', subject: 'Beans', format: 'html', source: FIXTURE_HTML });
  const sentAt = new Date(Date.now() - 3_600_000).toISOString();
  const campaignId = newId('cmp');
  const db = ctx.store.db;
  await db.insertInto('campaigns').values({ id: campaignId, brand_id: brand.id, name: 'Bench', email_id: email.id, email_version: email.version, audience: '{}', status: 'sending', sent: count, recipients: count, created_at: sentAt, updated_at: sentAt }).execute();
  const tokens: string[] = [];
  await db.transaction().execute(async (trx) => {
    for (let from = 0; from < count; from += 500) {
      const rows = Array.from({ length: Math.min(500, count - from) }, (_, k) => ({ i: from + k, contactId: newId('ctc'), messageId: newId('msg') }));
      await trx.insertInto('contacts').values(rows.map((r) => ({ id: r.contactId, brand_id: brand.id, email: `reader${r.i}@example.com`, first_name: null, last_name: null, phone: null, country: null, language: null, time_zone: null, status: 'subscribed' as const, consent_source: 'bench', consent_at: sentAt, validation: 'valid' as const, validation_reason: null, attributes: '{}', created_at: sentAt, updated_at: sentAt }))).execute();
      await trx
        .insertInto('messages')
        .values(rows.map((r) => ({ id: r.messageId, brand_id: brand.id, dedupe_key: `${campaignId}:${r.contactId}`, campaign_id: campaignId, contact_id: r.contactId, email: `reader${r.i}@example.com`, email_id: email.id, email_version: email.version, status: 'sent' as const, due_at: sentAt, sent_at: sentAt, created_at: sentAt, updated_at: sentAt })))
        .execute();
      for (const r of rows) tokens.push(signMessage(ctx.secret, { messageId: r.messageId, contactId: r.contactId, sourceId: campaignId, emailId: email.id, version: email.version }));
    }
  });
  return tokens;
}

// ---- the load process -----------------------------------------------------------------------

async function drive(): Promise<void> {
  const messages = opt('messages', 20_000);
  const seconds = opt('seconds', 5);
  const connections = opt('connections', 32);
  const runs = opt('runs', 3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-bench-tracking-'));
  console.log(`tracking: ${messages.toLocaleString('en')} sent messages, ${connections} connections, ${seconds} s per run, median of ${runs} runs (targets: ≥ 50 % of bare Fastify, p99 < 50 ms)`);

  const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--serve', dir, '--messages', String(messages)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const line = await lines.next();
    if (line.done) throw new Error('the server process ended');
    return line.value;
  };
  const first = await nextLine();
  /** How long the server took, once the load stopped, to have every answered hit in the events table. */
  const settle = async () => {
    child.stdin!.write('settle\n');
    return (JSON.parse(await nextLine()) as { settledMs: number }).settledMs;
  };
  const { port, barePort, sqlite } = JSON.parse(first) as { port: number; barePort: number; sqlite: string };
  const tokens = JSON.parse(fs.readFileSync(path.join(dir, 'tokens.json'), 'utf8')) as string[];
  fs.writeFileSync(path.join(dir, 'tokens.txt'), `${tokens.join('\n')}\n`);

  let n = 0;
  const token = () => tokens[n++ % tokens.length];
  const targets: Target[] = [
    { name: 'bare Fastify GIF route', port: barePort, path: () => `/t/o/${token()}`, expect: '2xx', compare: false },
    { name: 'app, invalid token (no write)', port, path: () => `/t/o/x${n++}`, expect: '2xx', compare: false },
    { name: 'open pixel (event written)', port, path: () => `/t/o/${token()}`, expect: '2xx', compare: true },
    { name: 'click redirect (event written)', port, path: () => `/t/c/${token()}/${n % 3}`, expect: '3xx', compare: true },
  ];
  const chosen = args.includes('--client') ? [args[args.indexOf('--client') + 1]] : ['autocannon', ...(hasWrk() ? ['wrk'] : [])];
  for (const c of chosen) if (c !== 'autocannon' && c !== 'wrk') throw new Error(`--client: autocannon or wrk, not ${c}`);
  const answered: Record<string, number> = {};
  for (const client of chosen) {
    console.log(`  load from ${client === 'wrk' ? 'wrk (one thread)' : 'autocannon'}:`);
    const load = (target: Target, duration: number): Promise<AutocannonResult> =>
      client === 'wrk'
        ? Promise.resolve(wrk(target, duration, connections, dir))
        : autocannon({
            url: `http://127.0.0.1:${target.port}`,
            connections,
            duration,
            headers: { 'user-agent': BROWSER },
            requests: [{ method: 'GET', setupRequest: (req: { path: string }) => ({ ...req, path: target.path() }) }],
          });
    await measure(targets, load, settle, { seconds, runs }, answered);
  }

  child.stdin!.end();
  await new Promise((r) => child.once('exit', r));
  const db = new Database(sqlite, { readonly: true });
  const count = (type: string) => (db.prepare('select count(*) as n from events where type = ?').get(type) as { n: number }).n;
  const opens = count('opened');
  const clicks = count('clicked');
  db.close();
  const opensAnswered = answered['open pixel (event written)'];
  const clicksAnswered = answered['click redirect (event written)'];
  console.log(`  durability: ${fmt(opensAnswered)} opens answered, ${fmt(opens)} open events stored; ${fmt(clicksAnswered)} clicks answered, ${fmt(clicks)} click events stored ${opens >= opensAnswered && clicks >= clicksAnswered ? '(none lost)' : '(LOST EVENTS)'}`);
  fs.rmSync(dir, { recursive: true, force: true });
  if (!args.includes('--no-stats')) await statsBench(opt('stats-messages', 1_000_000), runs);
}

interface Target {
  name: string;
  port: number;
  path: () => string;
  expect: '2xx' | '3xx';
  compare: boolean;
}

/**
 * Every target under `load`, in rounds that take each target in turn, so a busy moment of the
 * machine hits all of them alike; ratios are taken within each round, then the median of the
 * rounds is printed. After each run of a writing target the server is asked how long it still
 * took to have every answered hit in the events table: a writer that falls behind shows there,
 * and in the written rate. Adds the answered hits of each target to `answered`.
 */
async function measure(
  targets: Target[],
  load: (t: Target, seconds: number) => Promise<AutocannonResult>,
  settle: () => Promise<number>,
  { seconds, runs }: { seconds: number; runs: number },
  answered: Record<string, number>,
): Promise<void> {
  const all = new Map(targets.map((t) => [t, [] as AutocannonResult[]]));
  for (const t of targets) {
    all.get(t)!.push(await load(t, 2)); // warm-up: JIT, caches, SQLite pages (counted for durability)
    if (t.compare) await settle();
  }
  const timed = new Map(targets.map((t) => [t, [] as Array<AutocannonResult & { settledMs: number }>]));
  for (let r = 0; r < runs; r++) {
    for (const t of targets) {
      const result = await load(t, seconds);
      all.get(t)!.push(result);
      timed.get(t)!.push({ ...result, settledMs: t.compare ? await settle() : 0 });
    }
  }

  const bareRuns = timed.get(targets[0])!;
  for (const t of targets) {
    const runsOf = timed.get(t)!;
    const bad = all.get(t)!.reduce((sum, x) => sum + x.errors + x.timeouts + x.non2xx - (t.expect === '3xx' ? x['3xx'] : 0), 0);
    answered[t.name] = (answered[t.name] ?? 0) + all.get(t)!.reduce((sum, x) => sum + x[t.expect], 0);
    const rps = median(runsOf.map((x) => x.requests.average));
    const p99 = median(runsOf.map((x) => x.latency.p99));
    const share = median(runsOf.map((x, i) => x.requests.average / bareRuns[i].requests.average));
    const verdict = t.compare ? `   ${(share * 100).toFixed(0)} % of bare (≥ 50 %: ${share >= 0.5 ? 'met' : 'MISSED'}), p99 < 50 ms: ${p99 < 50 ? 'met' : 'MISSED'}` : t === targets[0] ? '' : `   ${(share * 100).toFixed(0)} % of bare`;
    console.log(`  ${t.name.padEnd(31)} ${fmt(rps).padStart(7)} req/s  p50 ${median(runsOf.map((x) => x.latency.p50)).toFixed(1).padStart(5)} ms  p99 ${p99.toFixed(1).padStart(5)} ms${verdict}`);
    console.log(`  ${''.padEnd(31)} runs: ${runsOf.map((x) => fmt(x.requests.average)).join(', ')} req/s${bad > 0 ? `; ${bad} errors, timeouts or unexpected statuses` : ''}`);
    if (!t.compare) continue;
    // Written rate: the run's hits over the time until the last of them was in the events table.
    const written = runsOf.map((x) => x[t.expect] / (seconds + x.settledMs / 1000));
    const writtenShare = median(written.map((w, i) => w / bareRuns[i].requests.average));
    console.log(
      `  ${''.padEnd(31)} all in the events table ${median(runsOf.map((x) => x.settledMs)).toFixed(0)} ms after the load stopped (runs: ${runsOf.map((x) => x.settledMs.toFixed(0)).join(', ')} ms); written ${fmt(median(written))} events/s = ${(writtenShare * 100).toFixed(0)} % of bare`,
    );
  }
}

/** Whether wrk (Debian's wrk package) is on this machine. */
const hasWrk = () => spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;

/**
 * One run of wrk against a target, its figures in autocannon's shape. The paths come from a Lua
 * script over the same tokens (wrk builds each request from it); wrk counts 2xx and 3xx alike as
 * answered, and reports the rest as "Non-2xx or 3xx responses".
 */
function wrk(target: Target, seconds: number, connections: number, dir: string): AutocannonResult {
  const requestPath = target.name.startsWith('click') ? `"/t/c/" .. tokens[i % #tokens + 1] .. "/" .. (i % 3)` : target.name.startsWith('app, invalid') ? `"/t/o/x" .. i` : `"/t/o/" .. tokens[i % #tokens + 1]`;
  const script = path.join(dir, `wrk-${target.name.replace(/\W+/g, '-')}.lua`);
  fs.writeFileSync(
    script,
    `local tokens = {}
for line in io.lines("${path.join(dir, 'tokens.txt')}") do tokens[#tokens + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", ${requestPath}, { ["User-Agent"] = "${BROWSER}" })
end
`,
  );
  const run = spawnSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, `http://127.0.0.1:${target.port}`], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`wrk failed (${run.error?.message ?? run.stderr}); it is in Debian's wrk package`);
  const out = run.stdout;
  const number = (re: RegExp) => Number(re.exec(out)?.[1] ?? 0);
  const ms = (pct: string) => {
    const m = new RegExp(`^\\s*${pct}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(out);
    return m ? Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[m[2]] : Number.NaN;
  };
  const total = number(/(\d+) requests in/);
  const failed = number(/Non-2xx or 3xx responses: (\d+)/);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)?.slice(1).map(Number) ?? [0, 0, 0, 0];
  const answered = total - failed;
  return {
    requests: { average: number(/Requests\/sec:\s+([\d.]+)/), total },
    latency: { p50: ms('50'), p99: ms('99') },
    '2xx': target.expect === '2xx' ? answered : 0,
    '3xx': target.expect === '3xx' ? answered : 0,
    non2xx: failed + (target.expect === '3xx' ? answered : 0),
    errors: socket[0] + socket[1] + socket[2],
    timeouts: socket[3],
  };
}

// ---- results at a million messages ------------------------------------------------------------

const STATS_CAMPAIGN = 'cmp_bench_stats';

async function statsBench(messages: number, runs: number): Promise<void> {
  const { loadConfig } = await import('../src/app/config.ts');
  const { createContext } = await import('../src/app/context.ts');
  const file = path.resolve(import.meta.dirname, '.data', `tracking-stats-${messages}.db`);
  if (statsRows(file) !== messages) for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-bench-stats-'));
  const ctx = await createContext(loadConfig({ TIDINGS_DATA_DIR: dir, TIDINGS_SQLITE_PATH: file, LOG_LEVEL: 'warn', TIDINGS_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef' }));
  const brandId = await seedStats(ctx, messages);
  const sqlite = ctx.store.sqlite!;
  console.log(`\nresults: campaign of ${fmt(messages)} sent messages, ${fmt((sqlite.prepare('select count(*) as n from events').get() as { n: number }).n)} events; median of ${runs} runs`);

  const naive = {
    // Unique engagement as DISTINCT over events, everything else as counts over the campaign's rows.
    stats: () => {
      sqlite.prepare(`select type, count(*) as n, count(distinct message_id) as u, sum(machine) as m from events where campaign_id = ? group by type`).all(STATS_CAMPAIGN);
      sqlite.prepare(`select count(sent_at), count(delivered_at), count(bounced_at), count(complained_at), count(unsubscribed_at) from messages where campaign_id = ?`).get(STATS_CAMPAIGN);
    },
    timeline: () => sqlite.prepare(`select substr(occurred_at, 1, 13) as h, type, machine, count(*) from events where campaign_id = ? group by 1, 2, 3`).all(STATS_CAMPAIGN),
  };
  const cases: Array<[string, () => unknown, (() => unknown) | null]> = [
    ['campaign stats', () => ctx.tracking.campaignStats(brandId, STATS_CAMPAIGN), naive.stats],
    ['timeline by hour', () => ctx.tracking.timeline(brandId, STATS_CAMPAIGN, 'hour'), naive.timeline],
    ['links', () => ctx.tracking.linkStats(brandId, STATS_CAMPAIGN), null],
    ['recipients page (sent)', () => ctx.tracking.recipients(brandId, STATS_CAMPAIGN, { status: 'sent', limit: 50 }), null],
    ['recipients search by email', () => ctx.tracking.recipients(brandId, STATS_CAMPAIGN, { search: `reader${messages - 7}@`, limit: 50 }), null],
  ];
  for (const [name, service, baseline] of cases) {
    const ours = median(await timesOf(service, runs));
    const theirs = baseline ? median(await timesOf(baseline, runs)) : null;
    console.log(`  ${name.padEnd(28)} ${ours.toFixed(0).padStart(6)} ms${theirs === null ? '' : `   straightforward ${theirs.toFixed(0).padStart(6)} ms   ratio ${(ours / theirs).toFixed(2)}`}`);
  }
  await ctx.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Messages of the stats campaign in an earlier run's file, or null when there is none. */
function statsRows(file: string): number | null {
  if (!fs.existsSync(file)) return null;
  const db = new Database(file, { readonly: true });
  try {
    const rolledUp = (db.prepare('select count(*) as n from campaign_activity where campaign_id = ?').get(STATS_CAMPAIGN) as { n: number }).n;
    return rolledUp > 0 ? (db.prepare('select count(*) as n from messages where campaign_id = ?').get(STATS_CAMPAIGN) as { n: number }).n : null;
  } catch {
    return null;
  } finally {
    db.close();
  }
}

async function timesOf(fn: () => unknown, runs: number): Promise<number[]> {
  await fn(); // warm the page cache once
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/**
 * One brand, the fixture email, and a campaign of `count` sent messages to as many contacts:
 * 95 % delivered, 35 % opened by people (some several times), 2 % opened only by Apple MPP,
 * 9 % clicked, 2 % bounced (three in four hard), 0.3 % unsubscribed, 0.05 % complaints.
 */
async function seedStats(ctx: import('../src/app/context.ts').AppContext, count: number): Promise<string> {
  const sqlite = ctx.store.sqlite!;
  const existing = sqlite.prepare('select brand_id from messages where campaign_id = ? limit 1').get(STATS_CAMPAIGN) as { brand_id: string } | undefined;
  if (existing) return existing.brand_id;
  const { FIXTURE_HTML, systemAuth } = await import('../src/tracking/testing.ts');
  const { brand } = await ctx.brands.setup({
    user: { email: 'stats@example.com', name: 'Stats', password: 'correct horse battery' },
    brand: { name: 'Stats Coffee', postalAddress: '1 Bean St, Portland, OR 97201, USA', fromEmail: 'hello@stats.test' },
  });
  const email = await ctx.emails.create(systemAuth(brand.id), { name: 'Stats', subject: 'Beans', format: 'html', source: FIXTURE_HTML });
  const t0 = Date.parse('2026-05-01T08:00:00.000Z');
  const iso = (ms: number) => new Date(ms).toISOString();
  sqlite
    .prepare(`insert into campaigns (id, brand_id, name, email_id, email_version, audience, status, sent, recipients, created_at, updated_at) values (?, ?, 'Stats', ?, ?, '{}', 'sent', ?, ?, ?, ?)`)
    .run(STATS_CAMPAIGN, brand.id, email.id, email.version, count, count, iso(t0), iso(t0));
  const contact = sqlite.prepare(`insert into contacts (id, brand_id, email, status, validation, attributes, created_at, updated_at) values (?, ?, ?, 'subscribed', 'valid', '{}', ?, ?)`);
  const message = sqlite.prepare(`insert into messages (id, brand_id, dedupe_key, campaign_id, contact_id, email, email_id, email_version, status, due_at, sent_at, delivered_at, opened_at, clicked_at,
    bounced_at, bounce_class, complained_at, unsubscribed_at, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, 'sent', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const event = sqlite.prepare(`insert into events (id, brand_id, contact_id, type, campaign_id, occurred_at, data, message_id, machine) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  let seq = 0;
  const add = (c: string, m: string, type: string, at: number, data: string, machine = 0) => event.run(`evt_b${String(seq++).padStart(10, '0')}`, brand.id, c, type, STATS_CAMPAIGN, iso(at), data, m, machine);
  const fill = sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = String(i).padStart(9, '0');
      const c = `ctc_b${id}`;
      const m = `msg_b${id}`;
      const r = (i * 2654435761) % 10_000; // a spread, repeatable "random" in 0..9999
      const sent = t0 + Math.floor((i / count) * 2 * 3_600_000);
      const bounced = r < 200;
      const delivered = !bounced && r < 9_700;
      const human = delivered && r >= 6_000 && r < 9_500;
      const mpp = delivered && r >= 9_500;
      const clicked = human && r < 6_900;
      const openedAt = human ? sent + 3_600_000 + (r % 40) * 3_600_000 : null;
      contact.run(c, brand.id, `reader${i}@example.com`, iso(sent), iso(sent));
      message.run(m, brand.id, `${STATS_CAMPAIGN}:${c}`, STATS_CAMPAIGN, c, `reader${i}@example.com`, email.id, email.version, iso(sent), iso(sent),
        delivered ? iso(sent + 2_000) : null, openedAt === null ? null : iso(openedAt), clicked ? iso(openedAt! + 30_000) : null,
        bounced ? iso(sent + 5_000) : null, bounced ? (r < 150 ? 'hard' : 'soft') : null, r >= 6_000 && r < 6_005 ? iso(sent + 86_400_000) : null,
        r >= 6_100 && r < 6_130 ? iso(openedAt! + 60_000) : null, iso(sent), iso(sent));
      add(c, m, 'received', sent, '{}');
      if (mpp) add(c, m, 'opened', sent + 4_000, '{"machineReason":"apple-mpp"}', 1);
      if (human) for (let k = 0; k <= r % 3; k++) add(c, m, 'opened', openedAt! + k * 600_000, '{}');
      if (clicked) add(c, m, 'clicked', openedAt! + 30_000, `{"link":${r % 3},"url":"https://shop.acme.test/"}`);
      if (bounced) add(c, m, 'bounced', sent + 5_000, `{"bounceClass":"${r < 150 ? 'hard' : 'soft'}"}`);
    }
  });
  console.log(`\nresults: generating ${fmt(count)} messages and their events into ${path.relative(process.cwd(), sqlite.name)} (kept for the next run)…`);
  for (let from = 0; from < count; from += 50_000) fill(from, Math.min(count, from + 50_000));
  // The rollup the app keeps as it writes events, built here in one pass.
  sqlite
    .prepare(`insert into campaign_activity (campaign_id, hour, type, machine, n)
      select campaign_id, substr(occurred_at, 1, 13) || ':00:00.000Z', type, machine, count(*) from events where campaign_id = ? group by 1, 2, 3, 4`)
    .run(STATS_CAMPAIGN);
  sqlite.pragma('optimize');
  return brand.id;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number) => Math.round(n).toLocaleString('en');

if (args[0] === '--serve') await serve(args[1], opt('messages', 20_000));
else if (args.includes('--no-load')) await statsBench(opt('stats-messages', 1_000_000), opt('runs', 3));
else await drive();
