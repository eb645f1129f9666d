/**
 * Campaign fan-out at a million recipients (S5.2, issue 4: "peak RSS < 300 MB").
 *
 * Generates CONTACTS contacts into a fresh SQLite file (95 % subscribed, 3 % unsubscribed, 2 %
 * non-subscribed; a fifth at gmail.com, some of them dotted spellings of another contact's
 * mailbox, so the duplicate check has real work), then fans a campaign for a segment of everyone
 * out with the campaigns fan-out: id-cursor batches, skip reasons, mailbox claims, insert-or-ignore
 * outbox rows, a checkpoint per batch. It runs in a process of its own (bench/_fanout-child.ts)
 * that loads only what fan-out needs, whose RSS is sampled every 20 ms.
 * Baseline, in the same run and file: one bare `INSERT INTO messages … SELECT … FROM contacts` of
 * the same rows for a second campaign (no skip reasons, no duplicates, no checkpoints), the least
 * any fan-out must do.
 *
 *   node --expose-gc --import tsx bench/fanout.ts [--contacts N]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { sql } from 'kysely';
import { loadConfig } from '../src/app/config.ts';
import { createContext, type AppContext } from '../src/app/context.ts';
import { newId } from '../src/shared/ids.ts';

const CONTACTS = Number(flag('contacts') ?? 1_000_000);
const RSS_LIMIT_MB = 300;

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

/** Contacts straight through the SQLite handle: generating data is not what is measured. */
function generate(ctx: AppContext, brandId: string, n: number): void {
  const db = ctx.store.sqlite!;
  const insert = db.prepare(
    `insert into contacts (id, brand_id, email, first_name, status, validation, time_zone, attributes, created_at, updated_at) values (?, ?, ?, ?, ?, 'valid', ?, '{}', ?, ?)`,
  );
  const now = new Date().toISOString();
  const zones = ['Europe/Berlin', 'America/New_York', null, 'Asia/Tokyo'];
  const many = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const r = i % 100;
      const status = r < 95 ? 'subscribed' : r < 98 ? 'unsubscribed' : 'non-subscribed';
      // Every 5th at gmail.com; every 50th of those a dotted spelling of the one before it.
      const email = i % 5 === 0 ? (i % 250 === 5 ? `u.ser${i - 5}@gmail.com` : `user${i}@gmail.com`) : `user${i}@example.com`;
      insert.run(newId('ctc'), brandId, email, `User${i}`, status, zones[i % 4], now, now);
    }
  });
  for (let i = 0; i < n; i += 50_000) many(i, Math.min(n, i + 50_000));
  db.pragma('optimize');
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-bench-fanout-'));
  const config = loadConfig({ TIDINGS_DATA_DIR: dir, TIDINGS_PUBLIC_URL: 'https://mail.tidings-demo.com', TIDINGS_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef' });
  const ctx = await createContext(config, { log: pino({ level: 'silent' }), migrate: true });
  try {
    const { user, brand } = await ctx.brands.setup({
      user: { email: 'owner@example.com', name: 'Owner', password: 'correct horse battery' },
      brand: { name: 'Bench', postalAddress: '1 Bench St, Portland, OR 97201, USA', fromEmail: 'news@tidings-demo.com' },
    });
    const auth = { brandId: brand.id, actor: { type: 'user' as const, id: user.id }, role: 'manager' as const, scopes: new Set<never>() };
    process.stdout.write(`Generating ${CONTACTS.toLocaleString('en-US')} contacts…\n`);
    generate(ctx, brand.id, CONTACTS);
    const email = await ctx.emails.create(auth, { name: 'Bench', subject: 'Hi {{ contact.first_name }}' });
    const everyone = await ctx.segments.create(brand.id, { name: 'Everyone', filter: null }, auth.actor);
    const campaign = await ctx.campaigns.create(auth, { name: 'Bench', emailId: email.id, audience: { segmentIds: [everyone.id] } });
    await ctx.campaigns.send(auth, campaign.id, { overridePreflight: true });

    // Fan-out runs where a worker would run it: a process of its own (see _fanout-child.ts).
    const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(import.meta.dirname, '_fanout-child.ts'), config.sqlitePath, campaign.id], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`fan-out child failed: ${child.stderr}`);
    const { result, seconds, rssBefore: before, rssPeak: peak } = JSON.parse(child.stdout) as { result: string; seconds: number; rssBefore: number; rssPeak: number };
    const c = await ctx.campaigns.get(brand.id, campaign.id);

    // Baseline: the same rows in one statement, for a second campaign.
    const baseline = await ctx.campaigns.create(auth, { name: 'Baseline', emailId: email.id, audience: { segmentIds: [everyone.id] } });
    const now = new Date().toISOString();
    const baselineStarted = performance.now();
    const inserted = await sql`
      insert into messages (id, brand_id, dedupe_key, campaign_id, contact_id, email, email_id, email_version, status, due_at, created_at, updated_at)
      select 'msg_' || id, brand_id, ${baseline.id} || ':' || id, ${baseline.id}, id, email, ${email.id}, 1, 'queued', ${now}, ${now}, ${now}
      from contacts where brand_id = ${brand.id}`.execute(ctx.store.db);
    const baselineSeconds = (performance.now() - baselineStarted) / 1000;
    const baselineRows = Number(inserted.numAffectedRows);

    const rate = c.recipients / seconds;
    const baselineRate = baselineRows / baselineSeconds;
    const f = (x: number) => Math.round(x).toLocaleString('en-US');
    process.stdout.write(
      [
        `fan-out (${result}): ${f(c.recipients)} recipients (${f(c.recipients - c.skipped)} queued, ${f(c.skipped)} skipped) in ${seconds.toFixed(1)} s = ${f(rate)} rows/s`,
        `  skip reasons: ${JSON.stringify(await skipCounts(ctx, campaign.id))}`,
        `  RSS of the fan-out process: ${mb(before).toFixed(0)} MB at start, peak ${mb(peak).toFixed(0)} MB (+${mb(peak - before).toFixed(0)} MB; limit ${RSS_LIMIT_MB} MB: ${mb(peak) < RSS_LIMIT_MB ? 'ok' : 'OVER'})`,
        `baseline INSERT…SELECT: ${f(baselineRows)} rows in ${baselineSeconds.toFixed(1)} s = ${f(baselineRate)} rows/s`,
        `ratio fan-out / baseline: ${(rate / baselineRate).toFixed(2)}`,
      ].join('\n') + '\n',
    );
    if (mb(peak) >= RSS_LIMIT_MB || c.recipients !== CONTACTS) process.exitCode = 1;
  } finally {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function skipCounts(ctx: AppContext, campaignId: string): Promise<Record<string, number>> {
  const rows = await ctx.store.db
    .selectFrom('messages')
    .select(['skip_reason', sql<number>`count(*)`.as('n')])
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'skipped')
    .groupBy('skip_reason')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.skip_reason, Number(r.n)]));
}

await main();
