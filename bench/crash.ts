/**
 * Crash test of the outbox (S5.3, issue 4: "a crash or kill -9 at any moment, followed by a
 * restart, loses no recipient and re-sends at most the messages that were in flight").
 *
 * A campaign of RECIPIENTS contacts (SQLite file mode) sends through the `smtp` provider into an
 * SMTP sink in this process that counts what each address receives. A worker process
 * (bench/_crash-worker.ts: the app's context and dispatcher, 2 s leases) is started, killed with
 * SIGKILL at a random moment while it is sending, and started again, ROUNDS times; then a last
 * worker runs until the campaign is sent. Right after each kill the messages left in `sending` are
 * counted: they are the ones whose fate the dead worker took with it, the only ones that may go
 * out twice. Prints lost (must be 0), duplicates (each must come from a kill's in-flight set, so
 * at most their sum, and no kill may leave more than the in-flight limit) and the final counts.
 *
 *   node --import tsx bench/crash.ts [--recipients N] [--rounds N]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../src/app/config.ts';
import { createContext } from '../src/app/context.ts';
import { newId } from '../src/shared/ids.ts';

const RECIPIENTS = Number(flag('recipients') ?? 20_000);
const ROUNDS = Number(flag('rounds') ?? 12);
const DISPATCHER = { leaseMs: 2_000, maxInFlight: 100, batchSize: 50, lanes: 2, pollMs: 100 };

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts what each envelope recipient receives. */
async function countingSink() {
  const received = new Map<string, number>();
  let total = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 100,
    onData(stream, session, done) {
      stream.on('data', () => {});
      stream.on('end', () => {
        for (const r of session.envelope.rcptTo) received.set(r.address, (received.get(r.address) ?? 0) + 1);
        total++;
        done();
      });
    },
  });
  // A killed worker's connections vanish mid-command: that is the point, not an error.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.server.address() as AddressInfo).port, received, total: () => total, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-bench-crash-'));
  const env = { ...process.env, TIDINGS_DATA_DIR: dir, TIDINGS_PUBLIC_URL: 'https://mail.tidings-demo.com', TIDINGS_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef', TIDINGS_CAPTURE_PORT: '0', LOG_LEVEL: 'error' };
  const sink = await countingSink();
  const config = loadConfig(env);
  let campaignId: string;
  const ctx = await createContext(config, { log: pino({ level: 'silent' }), migrate: true });
  try {
    const { user, brand } = await ctx.brands.setup({
      user: { email: 'owner@example.com', name: 'Owner', password: 'correct horse battery' },
      brand: { name: 'Crash', postalAddress: '1 Bench St, Portland, OR 97201, USA', fromEmail: 'news@tidings-demo.com' },
    });
    const actor = { type: 'user' as const, id: user.id };
    const auth = { brandId: brand.id, actor, role: 'manager' as const, scopes: new Set<never>() };
    await ctx.providers.create(brand.id, { name: 'Sink', settings: { kind: 'smtp', host: '127.0.0.1', port: sink.port, tls: 'none', maxConnections: 4 }, isDefault: true }, actor);
    const [tag] = await ctx.audience.tagIdsForNames(brand.id, ['crash'], { create: true });
    const now = new Date().toISOString();
    const insert = ctx.store.sqlite!.prepare(`insert into contacts (id, brand_id, email, first_name, status, validation, attributes, created_at, updated_at) values (?, ?, ?, ?, 'subscribed', 'valid', '{}', ?, ?)`);
    const tagged = ctx.store.sqlite!.prepare(`insert into contact_tags (contact_id, tag_id, created_at) values (?, ?, ?)`);
    ctx.store.sqlite!.transaction(() => {
      for (let i = 0; i < RECIPIENTS; i++) {
        const id = newId('ctc');
        insert.run(id, brand.id, `r${i}@example.com`, `R${i}`, now, now);
        tagged.run(id, tag, now);
      }
    })();
    const email = await ctx.emails.create(auth, { name: 'Crash', subject: 'Hi {{ contact.first_name }}' });
    const campaign = await ctx.campaigns.create(auth, { name: 'Crash test', emailId: email.id, audience: { tagIds: [tag] } });
    await ctx.campaigns.send(auth, campaign.id, { overridePreflight: true });
    await ctx.campaigns.fanOut(campaign.id);
    campaignId = campaign.id;
  } finally {
    await ctx.close();
  }

  const db = new Database(config.sqlitePath, { readonly: true });
  const inFlight = db.prepare(`select count(*) as n from messages where campaign_id = ? and status = 'sending'`).pluck();
  const campaignRow = db.prepare('select status, recipients, skipped, sent, failed, cancelled from campaigns where id = ?');
  const worker = (): ChildProcess => spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '_crash-worker.ts'), JSON.stringify(DISPATCHER)], { env, stdio: ['ignore', 'ignore', 'inherit'] });

  process.stdout.write(`${RECIPIENTS.toLocaleString('en-US')} recipients, ${ROUNDS} kill rounds, in-flight limit ${DISPATCHER.maxInFlight}, lease ${DISPATCHER.leaseMs} ms\n`);
  const kills: Array<{ afterMs: number; delivered: number; inFlight: number }> = [];
  const started = Date.now();
  for (let round = 1; round <= ROUNDS; round++) {
    const child = worker();
    const spawnedAt = Date.now();
    const before = sink.total();
    // Kill while it is sending: after its first message, at a random moment of the next 1.5 s.
    while (sink.total() === before && Date.now() - spawnedAt < 60_000) await sleep(20);
    await sleep(Math.random() * 1500);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const left = Number(inFlight.get(campaignId));
    kills.push({ afterMs: Date.now() - spawnedAt, delivered: sink.total(), inFlight: left });
    process.stdout.write(`round ${String(round).padStart(2)}: killed after ${((Date.now() - spawnedAt) / 1000).toFixed(1)} s, ${sink.total().toLocaleString('en-US')} delivered so far, ${left} left in flight\n`);
  }

  const last = worker();
  let c = campaignRow.get(campaignId) as { status: string; recipients: number; skipped: number; sent: number; failed: number; cancelled: number };
  while (c.status !== 'sent' && c.status !== 'failed' && Date.now() - started < 20 * 60_000) {
    await sleep(200);
    c = campaignRow.get(campaignId) as typeof c;
  }
  last.kill('SIGTERM');
  await new Promise((resolve) => last.once('exit', resolve));
  const seconds = (Date.now() - started) / 1000;

  const statuses = Object.fromEntries((db.prepare('select status, count(*) as n from messages where campaign_id = ? group by status').all(campaignId) as Array<{ status: string; n: number }>).map((r) => [r.status, r.n]));
  const addresses = db.prepare(`select email from messages where campaign_id = ? and status <> 'skipped'`).pluck().all(campaignId) as string[];
  const lost = addresses.filter((a) => !sink.received.has(a)).length;
  const duplicates = [...sink.received.values()].reduce((sum, n) => sum + n - 1, 0);
  const ambiguous = kills.reduce((sum, k) => sum + k.inFlight, 0);
  const worstKill = Math.max(...kills.map((k) => k.inFlight));
  const addsUp = c.recipients === c.sent + c.skipped + c.failed + c.cancelled;
  db.close();
  await sink.close();
  fs.rmSync(dir, { recursive: true, force: true });

  process.stdout.write(
    [
      `campaign ${c.status} after ${seconds.toFixed(0)} s: recipients ${c.recipients}, sent ${c.sent}, skipped ${c.skipped}, failed ${c.failed}, cancelled ${c.cancelled} (${addsUp ? 'adds up' : 'DOES NOT ADD UP'}); outbox ${JSON.stringify(statuses)}`,
      `sink: ${sink.total()} messages for ${sink.received.size} addresses`,
      `lost: ${lost} (must be 0)`,
      `duplicates: ${duplicates} (must be ≤ ${ambiguous}, the messages in flight at the ${kills.length} kills; at most ${worstKill} in flight at one kill, limit ${DISPATCHER.maxInFlight})`,
    ].join('\n') + '\n',
  );
  const ok = c.status === 'sent' && lost === 0 && duplicates <= ambiguous && worstKill <= DISPATCHER.maxInFlight && addsUp && c.sent === addresses.length;
  process.stdout.write(ok ? 'PASS\n' : 'FAIL\n');
  if (!ok) process.exitCode = 1;
}

await main();
