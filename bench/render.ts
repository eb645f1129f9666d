/**
 * Per-recipient rendering speed (S3.3: "compiles each email once and personalises per recipient
 * cheaply"), on one core.
 *
 * A ~40 KB marketing email (blocks → MJML → HTML) with 10 links and merge tags is compiled and
 * prepared once; then `render` runs for RECIPIENTS different contacts: merge tags, the signed
 * message token behind the unsubscribe and preferences URLs, List-Unsubscribe headers, and with
 * tracking also the 10 click URLs and the open pixel. Five of the links carry the recipient's
 * address in their URL, so each of those also needs a link token of its own (an HMAC per link,
 * the costliest case; static links share the message token). `toMime` (MIME encoding) is timed on
 * its own, then with DKIM (RSA 2048).
 * Baseline, measured in the same run: filling the same merge-tag values into the already-compiled
 * HTML by string replacement, the least a personalised send can do. Median of `runs` runs each.
 * Targets: render ≥ 10,000 messages/s and ≥ 50% of the baseline's rate.
 *
 *   node --import tsx bench/render.ts [--recipients N] [--runs N]
 */
import crypto from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Brand } from '../src/brands/model.ts';
import { compileEmail } from '../src/emails/compile.ts';
import { prepareMessage, type RenderContext } from '../src/emails/render.ts';
import { toMime } from '../src/emails/mime.ts';
import { buildMessage, createSetup, type RecipientJob } from '../src/delivery/send-path/build.ts';
import type { CompiledEmail, EmailDocument, RecipientData, RenderedMessage } from '../src/emails/model.ts';
import { median, numberFlag, timed, timedSync } from './_measure.ts';

export interface RenderBenchResult {
  htmlKb: number;
  links: number;
  recipients: number;
  baselinePerSecond: number;
  renderPerSecond: number;
  renderTrackedPerSecond: number;
  /** The production path (delivery/send-path): render + own MIME framing, unsigned and signed. */
  sendPathPerSecond: number;
  sendPathDkimPerSecond: number;
  mimePerSecond: number;
  renderMimeDkimPerSecond: number;
}

const FIRST = ['Ann', 'Bob', 'Chloé', 'Dmitri', 'Eva', 'Farid', 'Grace', 'Hiro', 'Inés', 'Jonas', 'Kai', 'Lena'];
const LAST = ['Smith', 'Müller', 'Martin', 'García', 'Rossi', 'Jansen', 'Silva', 'Kumar', 'Sato', 'Brown', 'Weber', 'Dubois'];
const LOREM =
  'Our spring collection is here, with linen shirts, light jackets and everything you need for long evenings outside. ' +
  'Every piece is made to last, repaired for free, and shipped in recycled packaging. ';

export const BRAND: Brand = {
  id: 'brd_bench',
  name: 'Northwind Outfitters',
  colors: { primary: '#2f6fed', secondary: '#14b8a6', text: '#1f2933', background: '#ffffff', accent: '#f59e0b' },
  headingFont: 'Georgia, serif',
  bodyFont: 'Helvetica, Arial, sans-serif',
  logoUrl: 'https://cdn.example.com/logo.png',
  voice: '',
  fromName: 'Northwind',
  fromEmail: 'news@northwind.example',
  replyTo: null,
  postalAddress: '1 Harbour Street, Portsmouth PO1 2AB, United Kingdom',
  defaultLanguage: 'en',
  timeZone: 'Europe/London',
  knowledge: '',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

/** About 40 KB of HTML once compiled: 5 product sections, each with text, a list, an image link, a divider, a spacer and a button (10 links besides the footer's). */
export function benchDocument(): EmailDocument {
  const products = Array.from({ length: 5 }, (_, i) => ({
    id: `p${i}`,
    padding: 24,
    blocks: [
      { id: `h${i}`, type: 'heading' as const, text: `Product ${i + 1} for {{ contact.first_name | default: "you" }}`, level: 2 as const, align: 'left' as const },
      { id: `t${i}`, type: 'text' as const, text: `${LOREM}${LOREM}**Members save 20%** in {{ contact.country | default: "your country" }}.`, align: 'left' as const },
      { id: `l${i}`, type: 'list' as const, items: ['Organic cotton and linen', 'Free repairs for life', 'Carbon-neutral delivery'], ordered: false },
      { id: `i${i}`, type: 'image' as const, src: `https://cdn.example.com/p${i}.jpg`, alt: `Product ${i + 1}`, width: 552, height: 300, href: `https://shop.example.com/p/${i}?utm_source=newsletter`, align: 'center' as const },
      { id: `d${i}`, type: 'divider' as const },
      { id: `s${i}`, type: 'spacer' as const, height: 16 },
      { id: `b${i}`, type: 'button' as const, text: 'Shop now', url: `https://shop.example.com/cart/add/${i}?email={{contact.email|url_encode}}`, align: 'center' as const },
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

function recipient(i: number): RecipientData {
  const first = FIRST[i % FIRST.length];
  const last = LAST[(i * 7) % LAST.length];
  return {
    contactId: `ctc_bench${i}`,
    messageId: `msg_bench${i}`,
    email: `user${i}@example.com`,
    contact: { email: `user${i}@example.com`, first_name: i % 5 === 0 ? null : first, last_name: last, full_name: `${first} ${last}`, country: i % 3 ? 'GB' : null },
  };
}

/**
 * The baseline: the compiled HTML with each merge tag replaced by the recipient's value (escaped),
 * looked up in a map built per recipient. No tokens, no link rewriting, no text part or headers.
 */
function baseline(compiled: CompiledEmail, recipients: RecipientData[]): () => void {
  const tags = [...new Set(compiled.html.match(/\{\{[\s\S]*?\}\}/g) ?? [])];
  const valueOf = (tag: string, r: RecipientData): string => {
    const m = /^\{\{\s*([\w.]+)\s*(?:\|\s*default:\s*"([^"]*)")?/.exec(tag)!;
    const [root, key] = m[1].split('.');
    const v = root === 'contact' ? r.contact[key] : root === 'brand' ? BRAND.name : `https://mail.example.com/u/${r.contactId}`;
    return v == null || v === '' ? (m[2] ?? '') : String(v);
  };
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const TAG = /\{\{[\s\S]*?\}\}/g;
  return () => {
    for (const r of recipients) {
      const values = new Map<string, string>();
      for (const t of tags) values.set(t, escape(valueOf(t, r)));
      sink(compiled.html.replace(TAG, (t) => values.get(t)!));
    }
  };
}

let sunk = 0;
/** Keeps results alive so the engine cannot skip the work. */
const sink = (s: string | Buffer) => {
  sunk += s.length;
};

export async function benchRender(opts: { recipients?: number; runs?: number; log?: (line: string) => void } = {}): Promise<RenderBenchResult> {
  const log = opts.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const n = opts.recipients ?? 20_000;
  const runs = opts.runs ?? 5;
  const compiled = await compileEmail({
    email: {
      id: 'eml_bench',
      version: 1,
      category: 'marketing',
      language: 'en',
      subject: 'New in for you, {{ contact.first_name | default: "friend" }}',
      preheader: 'Linen, light jackets and free repairs',
      fromName: BRAND.fromName,
      fromEmail: BRAND.fromEmail,
      replyTo: null,
      format: 'blocks',
      document: benchDocument(),
      source: null,
    },
    brand: BRAND,
  });
  const prepared = prepareMessage(compiled);
  const recipients = Array.from({ length: n }, (_, i) => recipient(i));
  const base: RenderContext = { tracking: false, baseUrl: 'https://mail.example.com', secret: crypto.randomBytes(32).toString('base64url'), brand: BRAND };
  const tracked = { ...base, tracking: true };
  const mimeCount = Math.max(200, Math.floor(n / 10));
  const dkimCount = Math.max(100, Math.floor(n / 40));
  const rendered: RenderedMessage[] = recipients.slice(0, mimeCount).map((r) => prepared.render(r, base));
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dkim = { domain: 'northwind.example', selector: 'bench', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };

  const htmlKb = Buffer.byteLength(compiled.html) / 1024;
  const links = compiled.links.length;
  // Merge tags in the URL, and not one of our own per-recipient links (unsubscribe, preferences).
  const personalised = compiled.links.filter((l) => l.includes('{{') && !/^\{\{\s*\w+_url\s*\}\}$/.test(l)).length;
  log(`render: ${htmlKb.toFixed(1)} KB HTML, ${links} links (${links - 2} trackable, ${personalised} personalised), ${compiled.variables.length} variables; ${n.toLocaleString('en')} recipients, median of ${runs} runs, one core`);
  log('targets: render ≥ 10,000 msgs/s and ≥ 50% of the baseline');

  const fill = baseline(compiled, recipients);
  const setupPlain = createSetup(prepared, { render: tracked, messageIdDomain: 'northwind.example', dkim: null });
  const setupSigned = createSetup(prepared, { render: tracked, messageIdDomain: 'northwind.example', dkim });
  const jobs: RecipientJob[] = recipients.map((r, i) => ({ recipient: r, messageRef: `msg_${i}`, idempotencyKey: `k${i}`, category: 'marketing' }));
  const sendPath = (setup: typeof setupPlain, count: number) => () => {
    for (const job of jobs.slice(0, count)) sink(buildMessage(setup, job, "raw").raw!);
  };
  const times = { baseline: [] as number[], render: [] as number[], tracked: [] as number[], framed: [] as number[], signed: [] as number[], mime: [] as number[], dkim: [] as number[] };
  for (let run = 0; run < runs; run++) {
    // Interleaved, so machine noise falls on all of them alike.
    times.baseline.push(timedSync(fill));
    times.render.push(timedSync(() => recipients.forEach((r) => sink(prepared.render(r, base).html))));
    times.tracked.push(timedSync(() => recipients.forEach((r) => sink(prepared.render(r, tracked).html))));
    times.framed.push(timedSync(sendPath(setupPlain, n)));
    times.signed.push(timedSync(sendPath(setupSigned, mimeCount)));
    times.mime.push(
      await timed(async () => {
        for (const m of rendered) sink(await toMime(m, { messageIdDomain: 'northwind.example' }));
      }),
    );
    times.dkim.push(
      await timed(async () => {
        for (const r of recipients.slice(0, dkimCount)) sink(await toMime(prepared.render(r, tracked), { messageIdDomain: 'northwind.example', dkim }));
      }),
    );
  }
  if (sunk === 0) throw new Error('nothing was rendered');
  const rate = (count: number, ms: number[]) => count / (median(ms) / 1000);
  const result: RenderBenchResult = {
    htmlKb,
    links,
    recipients: n,
    baselinePerSecond: rate(n, times.baseline),
    renderPerSecond: rate(n, times.render),
    renderTrackedPerSecond: rate(n, times.tracked),
    sendPathPerSecond: rate(n, times.framed),
    sendPathDkimPerSecond: rate(mimeCount, times.signed),
    mimePerSecond: rate(mimeCount, times.mime),
    renderMimeDkimPerSecond: rate(dkimCount, times.dkim),
  };
  const row = (name: string, perSecond: number, vsBaseline: boolean) =>
    log(`${name.padEnd(54)} ${Math.round(perSecond).toLocaleString('en').padStart(9)} msgs/s ${(1e6 / perSecond).toFixed(1).padStart(8)} µs/msg${vsBaseline ? `  ${((100 * perSecond) / result.baselinePerSecond).toFixed(0).padStart(4)}% of baseline` : ''}`);
  row('baseline: merge tags by string replacement (HTML)', result.baselinePerSecond, false);
  row('render, tracking off (subject, HTML, text, headers)', result.renderPerSecond, true);
  row(`render, tracking on (${links - 2} clicks, ${personalised} link tokens, pixel)`, result.renderTrackedPerSecond, true);
  row('send path: render (tracking on) + MIME framing, no DKIM', result.sendPathPerSecond, true);
  row('send path: render (tracking on) + framing + DKIM RSA 2048', result.sendPathDkimPerSecond, true);
  log('reference, nodemailer MailComposer (test sends and previews only, not the send path):');
  row('  toMime alone, no DKIM', result.mimePerSecond, false);
  row('  render (tracking on) + toMime with DKIM', result.renderMimeDkimPerSecond, false);
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchRender({ recipients: numberFlag('--recipients'), runs: numberFlag('--runs') }).catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
  });
}
