/**
 * End-to-end send throughput (issue 4, "Performance and reliability"): N recipients of a segment in
 * a SQLite file, each message personalised (Liquid merge tags), tracked (signed click links, open
 * pixel, List-Unsubscribe) and DKIM-signed (RSA 2048), sent over loopback into Postfix's `smtp-sink`.
 *
 * Measured in the same run, each in its own process (for its peak RSS) against a fresh sink:
 * - campaign: the real thing: create a campaign for the segment → send → wait for status `sent`
 *   (fan-out into the outbox, the dispatcher claiming, building on the worker-thread pool, the `smtp`
 *   provider sending through the pipelined client, settling rows and `received` events);
 * - pipeline: the send path alone: segment rows → worker-thread builder → `smtp` provider, no outbox;
 * - naive: render + nodemailer building every message (`toMime`, DKIM) + nodemailer's pooled SMTP
 *   transport, 10 connections, on one thread (a sample of --naive-n recipients: it is slow);
 * - smtp-source: Postfix's C load generator, 10 sessions, messages of the same size: the ceiling.
 * Medians of --runs runs, interleaved. Targets: ≥ 1,500 messages/s end to end, ≥ 3× naive.
 *
 *   node --import tsx bench/send.ts [--n 100000] [--runs 3] [--naive-n N] [--workers N] [--no-campaign]
 *
 * smtp-sink and smtp-source come from the Debian `postfix` package, fetched with `apt-get download`
 * and unpacked with `dpkg -x` into /tmp/tidings-postfix (no mail system is configured or started).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import nodemailer from 'nodemailer';
import pino from 'pino';
import { loadConfig } from '../src/app/config.ts';
import { createContext, type AppContext } from '../src/app/context.ts';
import type { Contact } from '../src/audience/model.ts';
import { SegmentsService } from '../src/audience/segments/service.ts';
import { SCOPES, type AuthContext, type Brand } from '../src/brands/model.ts';
import { BrandsService } from '../src/brands/service.ts';
import { createMessageBuilder } from '../src/delivery/send-path/pool.ts';
import type { BuildJob, DkimKey } from '../src/delivery/send-path/model.ts';
import { SmtpProvider, SmtpSettings } from '../src/delivery/providers/smtp.ts';
import { compileEmail } from '../src/emails/compile.ts';
import { toMime } from '../src/emails/mime.ts';
import type { CompiledEmail, EmailDocument, RecipientData } from '../src/emails/model.ts';
import { prepareMessage, recipientFromContact, type RenderContext } from '../src/emails/render.ts';
import { systemClock } from '../src/shared/clock.ts';
import { openSqlite, type Store } from '../src/store/db.ts';

const HERE = fileURLToPath(import.meta.url);
const DATA_DIR = path.resolve(import.meta.dirname, '.data');
const POSTFIX_DIR = path.join(os.tmpdir(), 'tidings-postfix');
const CONNECTIONS = 10;
/** A campaign that settles nothing for this long is stuck, not slow. */
const STALL_MS = 60_000;
const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';
/**
 * Campaigns through a real provider refuse a public URL on a placeholder or private host (RFC 2606
 * names such as *.example among them: recipients could not reach it), so the bench's must look
 * public. Nothing fetches it; it only goes into the links of the messages the sink swallows.
 */
const PUBLIC_URL = 'https://mail.northwind-outfitters.co.uk';
const NODEMAILER_VERSION: string = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../node_modules/nodemailer/package.json'), 'utf8')).version;

type Variant = 'campaign' | 'pipeline' | 'naive';

interface Setup {
  /** Of the migrations the file was made with: data made under other migrations is made again. */
  schema: string;
  file: string;
  brandId: string;
  userId: string;
  emailId: string;
  segmentId: string;
  dkim: DkimKey;
}

interface ChildTask {
  variant: Variant;
  setup: Setup;
  port: number;
  n: number;
  workers: number | null;
}

interface ChildResult {
  sent: number;
  ms: number;
  bytes: number;
  /** CPU time of the sending process (every thread) over the timed part. */
  cpuMs: number;
  peakRssMb: number;
}

// ---- Postfix's smtp-sink and smtp-source ------------------------------------------------------

interface Postfix {
  sink: string;
  source: string;
  env: NodeJS.ProcessEnv;
}

/** The two tools from the Debian package, unpacked once into a cache under /tmp. */
function postfixTools(log: (l: string) => void): Postfix {
  const root = path.join(POSTFIX_DIR, 'root');
  const tools: Postfix = {
    sink: path.join(root, 'usr/sbin/smtp-sink'),
    source: path.join(root, 'usr/sbin/smtp-source'),
    // They link against libraries that ship in the same package.
    env: { ...process.env, LD_LIBRARY_PATH: path.join(root, 'usr/lib/postfix') },
  };
  if (fs.existsSync(tools.sink) && fs.existsSync(tools.source)) return tools;
  log(`fetching smtp-sink and smtp-source: apt-get download postfix && dpkg -x into ${POSTFIX_DIR}`);
  fs.mkdirSync(POSTFIX_DIR, { recursive: true });
  const fail = (what: string, r: ReturnType<typeof spawnSync>) => {
    const detail = r.error?.message ?? String(r.stderr ?? '').trim().split('\n').slice(-3).join(' ');
    return new Error(
      `could not get Postfix's smtp-sink/smtp-source (${what} failed: ${detail}). This bench needs them: on Debian/Ubuntu run ` +
        `"cd ${POSTFIX_DIR} && apt-get download postfix && dpkg -x postfix_*.deb root" (apt-get update first if the package is not found).`,
    );
  };
  const download = spawnSync('apt-get', ['download', 'postfix'], { cwd: POSTFIX_DIR, encoding: 'utf8' });
  const deb = fs.readdirSync(POSTFIX_DIR).find((f) => /^postfix_.*\.deb$/.test(f));
  if (!deb) throw fail('apt-get download postfix', download);
  const unpack = spawnSync('dpkg', ['-x', deb, root], { cwd: POSTFIX_DIR, encoding: 'utf8' });
  if (unpack.status !== 0 || !fs.existsSync(tools.sink)) throw fail(`dpkg -x ${deb}`, unpack);
  return tools;
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** smtp-sink on a free loopback port, accepting everything; ready once it takes a connection. */
async function startSink(tools: Postfix): Promise<{ port: number; stop: () => Promise<void> }> {
  const port = await freePort();
  // As root it would switch to the user "postfix", which need not exist here.
  const user = process.getuid?.() === 0 ? ['-u', 'nobody'] : [];
  const sink = spawn(tools.sink, [...user, `127.0.0.1:${port}`, '1000'], { env: tools.env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  sink.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  for (let i = 0; i < 100; i++) {
    if (sink.exitCode !== null) throw new Error(`smtp-sink exited: ${stderr.trim()}`);
    if (await accepts(port)) return { port, stop: () => stop(sink) };
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop(sink);
  throw new Error(`smtp-sink did not listen on port ${port}: ${stderr.trim()}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** smtp-source: n messages of `bytes` each over 10 kept sessions (-d); returns the elapsed ms. */
function runSource(tools: Postfix, port: number, n: number, bytes: number): Promise<number> {
  const t = performance.now();
  const args = ['-d', '-s', String(CONNECTIONS), '-l', String(bytes), '-m', String(n), '-f', 'news@northwind.example', '-t', 'reader@example.com', `127.0.0.1:${port}`];
  const source = spawn(tools.source, args, { env: tools.env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  source.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    source.once('exit', (code) => (code === 0 ? resolve(performance.now() - t) : reject(new Error(`smtp-source exited with ${code}: ${stderr.trim()}`))));
  });
}

// ---- the data: a brand, its segment of N contacts, one email ----------------------------------

const FIRST = ['Ann', 'Bob', 'Chloé', 'Dmitri', 'Eva', 'Farid', 'Grace', 'Hiro', 'Inés', 'Jonas', 'Kai', 'Lena'];
const LAST = ['Smith', 'Müller', 'Martin', 'García', 'Rossi', 'Jansen', 'Silva', 'Kumar', 'Sato', 'Brown', 'Weber', 'Dubois'];
const COUNTRIES = ['GB', 'DE', 'FR', 'US', null];
const LOREM =
  'Our spring collection is here, with linen shirts, light jackets and everything you need for long evenings outside. ' +
  'Every piece is made to last, repaired for free, and shipped in recycled packaging. ';

/** About 24 KB of HTML once compiled (a message of about 28 KB): two product sections, merge tags, 6 tracked links. */
function benchDocument(): EmailDocument {
  const products = Array.from({ length: 2 }, (_, i) => ({
    id: `p${i}`,
    padding: 24,
    blocks: [
      { id: `h${i}`, type: 'heading' as const, text: `Product ${i + 1} for {{ contact.first_name | default: "you" }}`, level: 2 as const, align: 'left' as const },
      { id: `t${i}`, type: 'text' as const, text: `${LOREM}${LOREM}**Members save 20%** in {{ contact.country | default: "your country" }}.`, align: 'left' as const },
      { id: `l${i}`, type: 'list' as const, items: ['Organic cotton and linen', 'Free repairs for life', 'Carbon-neutral delivery'], ordered: false },
      { id: `i${i}`, type: 'image' as const, src: `https://cdn.northwind.example/p${i}.jpg`, alt: `Product ${i + 1}`, width: 552, height: 300, href: `https://shop.northwind.example/p/${i}?utm_source=newsletter`, align: 'center' as const },
      { id: `b${i}`, type: 'button' as const, text: 'Shop now', url: `https://shop.northwind.example/cart/add/${i}?email={{contact.email|url_encode}}`, align: 'center' as const },
    ],
  }));
  return {
    theme: { primary: '#2f6fed', text: '#1f2933', background: '#f3f4f6', contentBackground: '#ffffff', headingFont: 'Georgia, serif', bodyFont: 'Helvetica, Arial, sans-serif', width: 600 },
    sections: [
      { id: 'intro', padding: 32, blocks: [{ id: 'hi', type: 'heading', text: 'Hello {{ contact.first_name | default: "there" }}!', level: 1, align: 'left' }, { id: 'lead', type: 'text', text: `${LOREM}${LOREM}`, align: 'left' }] },
      ...products,
      { id: 'end', padding: 24, blocks: [{ id: 'q', type: 'quote', text: LOREM, author: 'A happy customer' }, { id: 'f', type: 'footer', text: 'You receive this email because you joined {{ brand.name }}.' }] },
    ],
  };
}

const EMAIL = { name: 'Spring collection', subject: 'New in for you, {{ contact.first_name | default: "friend" }}', preheader: 'Linen, light jackets and free repairs', category: 'marketing' as const };

/**
 * bench/.data/send-<n>.db: made through the services (brand, email, segment) plus a bulk insert of
 * the contacts, and kept for the next run while the migrations stay the same. Each variant works on
 * a copy, so runs do not see each other's outbox rows.
 */
async function prepareData(n: number, log: (l: string) => void): Promise<Setup> {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const file = path.join(DATA_DIR, `send-${n}.db`);
  const meta = `${file}.json`;
  const schema = schemaFingerprint();
  const cached = fs.existsSync(file) && fs.existsSync(meta) ? (JSON.parse(fs.readFileSync(meta, 'utf8')) as Setup) : null;
  if (cached?.schema === schema) {
    log(`using cached ${file}`);
    return cached;
  }
  for (const suffix of ['', '-wal', '-shm', '.json']) fs.rmSync(file + suffix, { force: true });
  const t = performance.now();
  log(`generating ${n.toLocaleString('en')} contacts into ${file} …`);
  const ctx = await benchContext(file, null);
  try {
    const { user, brand } = await ctx.brands.setup({
      user: { email: 'owner@northwind.example', name: 'Owner', password: 'correct horse battery' },
      brand: { name: 'Northwind Outfitters', postalAddress: '1 Harbour Street, Portsmouth PO1 2AB, United Kingdom', fromEmail: 'news@northwind.example', fromName: 'Northwind' },
    });
    const auth = authOf(brand.id, user.id);
    const email = await ctx.emails.create(auth, { ...EMAIL, format: 'blocks', document: benchDocument() });
    insertContacts(ctx.store, brand.id, n);
    const segment = await ctx.segments.create(brand.id, { name: 'Subscribers', filter: { op: 'and', rules: [{ field: 'status', op: 'is', value: 'subscribed' }] } }, auth.actor);
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const setup: Setup = { schema, file, brandId: brand.id, userId: user.id, emailId: email.id, segmentId: segment.id, dkim: { domain: 'northwind.example', selector: 'bench', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() } };
    fs.writeFileSync(meta, JSON.stringify(setup));
    log(`generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    return setup;
  } finally {
    await ctx.close();
  }
}

/** The migrations' source: a migration edited since the data was made (not only one added) means new data. */
function schemaFingerprint(): string {
  const dir = path.resolve(import.meta.dirname, '../src/store/migrations');
  const hash = crypto.createHash('sha256');
  for (const f of fs.readdirSync(dir).sort()) hash.update(f).update(fs.readFileSync(path.join(dir, f)));
  return hash.digest('hex').slice(0, 16);
}

function insertContacts(store: Store, brandId: string, n: number): void {
  const db = store.sqlite!;
  const at = new Date().toISOString();
  const insert = db.prepare(
    `insert into contacts (id, brand_id, email, first_name, last_name, country, language, status, validation, attributes, created_at, updated_at) values (?, ?, ?, ?, ?, ?, 'en', 'subscribed', 'valid', ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = `ctc_${String(i).padStart(9, '0')}`;
      insert.run(id, brandId, `reader${i}@example.com`, i % 5 === 0 ? null : FIRST[i % FIRST.length], LAST[(i * 7) % LAST.length], COUNTRIES[i % COUNTRIES.length], JSON.stringify({ plan: i % 3 ? 'free' : 'pro' }), at, at);
    }
  })();
  db.exec('analyze');
}

function authOf(brandId: string, userId: string): AuthContext {
  return { brandId, actor: { type: 'user', id: userId }, scopes: new Set(SCOPES), role: 'manager' };
}

/** The app's own composition root on the given SQLite file, quiet, signing with the bench key. */
function benchContext(file: string, dkim: DkimKey | null): Promise<AppContext> {
  const config = loadConfig({
    TIDINGS_DATA_DIR: path.join(DATA_DIR, 'send-data'),
    TIDINGS_SQLITE_PATH: file,
    TIDINGS_SECRET: SECRET,
    TIDINGS_PUBLIC_URL: PUBLIC_URL,
    TIDINGS_CAPTURE_PORT: '0',
    LOG_LEVEL: 'warn',
    ...(dkim ? { TIDINGS_DKIM_DOMAIN: dkim.domain, TIDINGS_DKIM_SELECTOR: dkim.selector, TIDINGS_DKIM_PRIVATE_KEY: dkim.privateKey } : {}),
  });
  return createContext(config, { migrate: true, log: pino({ level: 'warn' }) });
}

// ---- the variants (each runs in its own process) -------------------------------------------------

/** The real campaign send: create → send → wait for `sent`. Timed from the send call. */
async function campaignVariant(task: ChildTask): Promise<Omit<ChildResult, 'peakRssMb'>> {
  const { setup } = task;
  const ctx = await benchContext(setup.file, setup.dkim);
  try {
    const auth = authOf(setup.brandId, setup.userId);
    const provider = await ctx.providers.create(
      setup.brandId,
      { name: 'smtp-sink', isDefault: true, settings: { kind: 'smtp', host: '127.0.0.1', port: task.port, tls: 'none', maxConnections: CONNECTIONS, maxMessagesPerConnection: 100_000 } },
      auth.actor,
    );
    const campaign = await ctx.campaigns.create(auth, { name: `bench ${Date.now()}`, emailId: setup.emailId, audience: { segmentIds: [setup.segmentId] }, providerId: provider.id, trackOpens: true, trackClicks: true });
    const t = performance.now();
    const cpu = process.cpuUsage();
    await ctx.campaigns.send(auth, campaign.id, { overridePreflight: true });
    await ctx.startWorkers!();
    let c = await ctx.campaigns.get(setup.brandId, campaign.id);
    let progress = { settled: 0, at: performance.now() };
    while (!['sent', 'failed', 'paused', 'cancelled'].includes(c.status)) {
      await new Promise((r) => setTimeout(r, 100));
      c = await ctx.campaigns.get(setup.brandId, campaign.id);
      const settled = c.sent + c.failed + c.skipped;
      if (settled !== progress.settled) progress = { settled, at: performance.now() };
      else if (performance.now() - progress.at > STALL_MS) throw new Error(`the campaign settled no message for ${STALL_MS / 1000} s (status ${c.status}, ${settled} of ${task.n} settled); see the log above`);
    }
    const ms = performance.now() - t;
    const cpuMs = cpuMsSince(cpu);
    if (c.status !== 'sent' || c.sent !== task.n) throw new Error(`the campaign ended ${c.status} (${c.statusReason ?? 'no reason'}) with ${c.sent} of ${task.n} sent, ${c.failed} failed, ${c.skipped} skipped`);
    return { sent: c.sent, ms, bytes: 0, cpuMs };
  } finally {
    await ctx.close();
  }
}

/** What the campaign's plan makes for this email: compiled once, with the brand's render context. */
async function sendSetup(store: Store, setup: Setup): Promise<{ compiled: CompiledEmail; render: RenderContext; brand: Brand }> {
  const brand = await new BrandsService(store, systemClock).getBrand(setup.brandId);
  const compiled = await compileEmail({
    email: { id: setup.emailId, version: 1, language: 'en', fromName: brand.fromName, fromEmail: brand.fromEmail, replyTo: null, format: 'blocks', document: benchDocument(), source: null, ...EMAIL },
    brand,
  });
  return { compiled, brand, render: { tracking: true, baseUrl: PUBLIC_URL, secret: SECRET, brand } };
}

/** The segment's contacts in id order, a page at a time, as render data of one campaign's messages. */
async function* segmentRecipients(store: Store, setup: Setup): AsyncGenerator<RecipientData[]> {
  const segments = new SegmentsService(store, systemClock, { audit: async () => {} });
  const segment = await segments.get(setup.brandId, setup.segmentId);
  const members = await segments.contactIdsQuery(setup.brandId, segment.filter);
  let cursor = '';
  for (;;) {
    const rows = await store.db.selectFrom('contacts').selectAll().where('id', 'in', members).where('id', '>', cursor).orderBy('id').limit(1000).execute();
    if (rows.length === 0) return;
    cursor = rows[rows.length - 1].id;
    yield rows.map((r) => {
      const contact: Contact = {
        ...{ id: r.id, email: r.email, firstName: r.first_name, lastName: r.last_name, phone: r.phone, country: r.country, language: r.language, timeZone: r.time_zone },
        ...{ status: r.status, consentSource: r.consent_source, consentAt: r.consent_at, validation: r.validation, validationReason: r.validation_reason },
        ...{ fields: JSON.parse(String(r.attributes)), tags: [], createdAt: r.created_at, updatedAt: r.updated_at },
      };
      return recipientFromContact(contact, { messageId: `msg_${r.id}`, campaignId: 'cmp_bench' });
    });
  }
}

/** Segment rows → worker-thread builder → smtp provider (pipelined client), a few batches in flight. */
async function pipelineVariant(task: ChildTask): Promise<Omit<ChildResult, 'peakRssMb'>> {
  const store = openSqlite(task.setup.file);
  const { compiled, render } = await sendSetup(store, task.setup);
  const prepared = prepareMessage(compiled);
  const builder = createMessageBuilder(task.workers === null ? {} : { workers: task.workers });
  const smtp = new SmtpProvider(SmtpSettings.parse({ kind: 'smtp', host: '127.0.0.1', port: task.port, tls: 'none', maxConnections: CONNECTIONS, maxMessagesPerConnection: 100_000 }), { clock: systemClock });
  const job = (recipient: RecipientData): BuildJob => ({
    prepared,
    render,
    recipient,
    messageRef: recipient.messageId!,
    idempotencyKey: recipient.messageId!,
    category: 'marketing',
    messageIdDomain: 'northwind.example',
    dkim: task.setup.dkim,
  });
  // Worker threads start (and load the renderer) on their first build: not part of a send.
  await builder.build(Array.from({ length: 64 }, (_, i) => job({ email: `warm${i}@example.com`, contact: {}, messageId: `msg_warm${i}` })), { content: 'raw' });
  let sent = 0;
  let bytes = 0;
  const inFlight: Array<Promise<void>> = [];
  const t = performance.now();
  const cpu = process.cpuUsage();
  for await (const page of segmentRecipients(store, task.setup)) {
    for (let i = 0; i < page.length; i += 250) {
      const batch = builder.build(page.slice(i, i + 250).map(job), { content: 'raw' }).then(async (messages) => {
        const outcomes = await Promise.all(messages.map((m) => smtp.send(m)));
        for (const [k, o] of outcomes.entries()) {
          if (o.status !== 'accepted') throw new Error(`message ${messages[k].messageRef}: ${o.status}: ${o.error.message}`);
          bytes += messages[k].raw!.length;
        }
        sent += outcomes.length;
      });
      inFlight.push(batch);
      // Building the next batches while earlier ones are on the wire keeps both cores and the sink busy.
      if (inFlight.length >= 4) await inFlight.shift();
    }
  }
  await Promise.all(inFlight);
  const ms = performance.now() - t;
  const cpuMs = cpuMsSince(cpu);
  await Promise.all([smtp.close(), builder.close(), store.close()]);
  return { sent, ms, bytes, cpuMs };
}

/** The straightforward path: render, nodemailer builds and signs the MIME, nodemailer's pool sends; one thread. */
async function naiveVariant(task: ChildTask): Promise<Omit<ChildResult, 'peakRssMb'>> {
  const store = openSqlite(task.setup.file);
  const { compiled, render } = await sendSetup(store, task.setup);
  const prepared = prepareMessage(compiled);
  const transport = nodemailer.createTransport({ pool: true, host: '127.0.0.1', port: task.port, secure: false, ignoreTLS: true, maxConnections: CONNECTIONS, maxMessages: Infinity, logger: false });
  let sent = 0;
  let bytes = 0;
  const inFlight = new Set<Promise<void>>();
  const t = performance.now();
  const cpu = process.cpuUsage();
  outer: for await (const page of segmentRecipients(store, task.setup)) {
    for (const r of page) {
      if (sent + inFlight.size >= task.n) break outer;
      const raw = await toMime(prepared.render(r, render), { messageIdDomain: 'northwind.example', messageId: r.messageId, dkim: task.setup.dkim });
      const p: Promise<void> = transport.sendMail({ envelope: { from: compiled.from.email, to: [r.email] }, raw }).then(() => {
        sent++;
        bytes += raw.length;
        inFlight.delete(p);
      });
      inFlight.add(p);
      if (inFlight.size >= 100) await Promise.race(inFlight);
    }
  }
  await Promise.all(inFlight);
  const ms = performance.now() - t;
  const cpuMs = cpuMsSince(cpu);
  transport.close();
  await store.close();
  return { sent, ms, bytes, cpuMs };
}

const VARIANTS: Record<Variant, (task: ChildTask) => Promise<Omit<ChildResult, 'peakRssMb'>>> = { campaign: campaignVariant, pipeline: pipelineVariant, naive: naiveVariant };

async function runChild(task: ChildTask): Promise<ChildResult> {
  const work = { ...task, setup: { ...task.setup, file: copyDb(task.setup.file, task.variant) } };
  const child = spawn(process.execPath, [...process.execArgv, HERE, '--child', JSON.stringify(work)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(work.setup.file + suffix, { force: true });
  if (code !== 0) throw new Error(`the ${task.variant} run exited with ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult;
}

/** A private copy of the database for one run (the campaign variant fills its outbox). */
function copyDb(file: string, variant: Variant): string {
  const copy = path.join(os.tmpdir(), `tidings-bench-send-${variant}-${process.pid}.db`);
  fs.copyFileSync(file, copy);
  return copy;
}

// ---- the run ----------------------------------------------------------------------------------

export interface SendBenchOptions {
  n?: number;
  runs?: number;
  naiveN?: number;
  workers?: number;
  campaign?: boolean;
  log?: (line: string) => void;
}

/** Runs the comparison and prints it; false when a run failed (its error is printed, the others still run). */
export async function benchSend(opts: SendBenchOptions = {}): Promise<boolean> {
  const log = opts.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const n = opts.n ?? 100_000;
  const runs = opts.runs ?? 3;
  const naiveN = Math.min(n, opts.naiveN ?? Math.max(2_000, Math.round(n / 10)));
  const workers = opts.workers ?? null;
  const tools = postfixTools(log);
  const setup = await prepareData(n, log);
  const variants: Variant[] = opts.campaign === false ? ['pipeline', 'naive'] : ['campaign', 'pipeline', 'naive'];
  const results: Record<Variant | 'smtp-source', Array<ChildResult & { rate: number }>> = { campaign: [], pipeline: [], naive: [], 'smtp-source': [] };
  let ok = true;

  log(
    `send: ${n.toLocaleString('en')} recipients of a segment (SQLite), personalised, tracked, DKIM-signed (RSA 2048), into Postfix smtp-sink on loopback; ` +
      `${os.availableParallelism()} cores, builder workers: ${workers ?? os.availableParallelism()}, ${CONNECTIONS} SMTP connections; naive sample ${naiveN.toLocaleString('en')}; median of ${runs} runs`,
  );
  log('targets: ≥ 1,500 messages/s end to end, ≥ 3× the naive path; ratio to smtp-source reported');
  for (let run = 1; run <= runs; run++) {
    // Interleaved, so machine noise falls on all of them alike; a fresh sink for each.
    for (const variant of variants) {
      const sink = await startSink(tools);
      try {
        const r = await runChild({ variant, setup, port: sink.port, n: variant === 'naive' ? naiveN : n, workers });
        results[variant].push({ ...r, rate: r.sent / (r.ms / 1000) });
        log(`  run ${run} ${variant.padEnd(11)} ${r.sent.toLocaleString('en').padStart(8)} msgs in ${(r.ms / 1000).toFixed(1).padStart(6)} s = ${Math.round(r.sent / (r.ms / 1000)).toLocaleString('en').padStart(6)}/s, ${Math.round((1000 * r.cpuMs) / r.sent)} µs CPU/msg, peak RSS ${r.peakRssMb.toFixed(0)} MB`);
      } catch (err) {
        ok = false;
        log(`  run ${run} ${variant.padEnd(11)} FAILED: ${(err as Error).message}`);
      } finally {
        await sink.stop();
      }
    }
    // The same message size as ours (the pipeline's average), or the reference's 30 KB until one is known.
    const size = results.pipeline.length ? Math.round(median(results.pipeline.map((r) => r.bytes / r.sent))) : 30_000;
    const sink = await startSink(tools);
    try {
      const ms = await runSource(tools, sink.port, n, size);
      results['smtp-source'].push({ sent: n, ms, bytes: n * size, cpuMs: 0, peakRssMb: 0, rate: n / (ms / 1000) });
      log(`  run ${run} ${'smtp-source'.padEnd(11)} ${n.toLocaleString('en').padStart(8)} msgs in ${(ms / 1000).toFixed(1).padStart(6)} s = ${Math.round(n / (ms / 1000)).toLocaleString('en').padStart(6)}/s (${size} bytes each)`);
    } catch (err) {
      ok = false;
      log(`  run ${run} ${'smtp-source'.padEnd(11)} FAILED: ${(err as Error).message}`);
    } finally {
      await sink.stop();
    }
  }

  const rate = (v: keyof typeof results) => (results[v].length ? median(results[v].map((r) => r.rate)) : NaN);
  const naive = rate('naive');
  const source = rate('smtp-source');
  const labels: Record<keyof typeof results, string> = {
    campaign: 'campaign send (outbox + dispatcher + builder pool + pipelined SMTP)',
    pipeline: 'send path alone (segment → builder pool → pipelined SMTP)',
    naive: `naive: render + nodemailer ${NODEMAILER_VERSION} toMime/DKIM + pool of ${CONNECTIONS}`,
    'smtp-source': `smtp-source (Postfix, C), ${CONNECTIONS} sessions`,
  };
  log(`\n${'path'.padEnd(72)} ${'msgs/s'.padStart(7)} ${'vs naive'.padStart(9)} ${'vs smtp-source'.padStart(15)} ${'CPU/msg'.padStart(9)} ${'peak RSS'.padStart(9)}`);
  for (const v of [...variants, 'smtp-source'] as const) {
    if (results[v].length === 0) {
      log(`${labels[v].padEnd(72)} ${'failed'.padStart(7)}`);
      continue;
    }
    const own = v !== 'smtp-source';
    const cpu = own ? `${Math.round(median(results[v].map((r) => (1000 * r.cpuMs) / r.sent)))} µs` : '';
    const rss = own ? `${Math.max(...results[v].map((r) => r.peakRssMb)).toFixed(0)} MB` : '';
    log(`${labels[v].padEnd(72)} ${Math.round(rate(v)).toLocaleString('en').padStart(7)} ${`${(rate(v) / naive).toFixed(2)}×`.padStart(9)} ${`${((100 * rate(v)) / source).toFixed(0)}%`.padStart(15)} ${cpu.padStart(9)} ${rss.padStart(9)}`);
  }
  log('(CPU/msg: every thread of the sending process over the timed part; peak RSS: the largest of the runs)');
  return ok;
}

const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function flag(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const child = process.argv.indexOf('--child');
  const done =
    child >= 0
      ? (async () => {
          const task = JSON.parse(process.argv[child + 1]) as ChildTask;
          const r = await VARIANTS[task.variant](task);
          process.stdout.write(`${JSON.stringify({ ...r, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
          return true;
        })()
      : benchSend({ n: flag('--n'), runs: flag('--runs'), naiveN: flag('--naive-n'), workers: flag('--workers'), campaign: !process.argv.includes('--no-campaign') });
  done.then(
    (ok) => process.exit(ok ? 0 : 1),
    (err) => {
      process.stderr.write(`${err.stack ?? err}\n`);
      process.exit(1);
    },
  );
}
