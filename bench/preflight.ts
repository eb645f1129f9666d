/**
 * Preflight speed (S4.1): one full offline preflight of a ~40 KB email — render the three personas
 * and the tracked 'full' message, build its MIME, parse everything, run every offline check of
 * reference/preflight.md §5.1, attach fixes, score — as PreflightService.run does minus the
 * database. The email is compiled once beforehand (the service caches compiles per version).
 *
 * Baseline, measured in the same run on the same rendered HTML: parsing it once with cheerio and
 * converting it once with html-to-text — the least any DOM-based check of the message costs.
 * SpamAssassin runs in its own process, in parallel with the checks; its time is reported apart.
 *
 *   node --import tsx bench/preflight.ts [--runs N] [--no-spamassassin]
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as cheerio from 'cheerio';
import { convert } from 'html-to-text';
import type { Brand } from '../src/brands/model.ts';
import { compileEmail } from '../src/emails/compile.ts';
import type { Block, Email, EmailDocument } from '../src/emails/model.ts';
import { findingsOf, prepareContext } from '../src/preflight/runner.ts';
import { preflightInput } from '../src/preflight/service.ts';
import { attachAutofixes } from '../src/preflight/fixes.ts';
import { scoreOf } from '../src/preflight/score.ts';
import { SPAMASSASSIN, spamScore } from '../src/preflight/spam.ts';

const NOW = new Date('2026-11-26T10:00:00Z');
const PUBLIC_URL = 'https://mail.tidings-demo.com';
const UTM = 'utm_source=tidings&utm_medium=email&utm_campaign=bench';

export interface PreflightBenchResult {
  htmlBytes: number;
  runs: number;
  compileMs: number;
  firstRunMs: number;
  preflightMs: number;
  baselineMs: number;
  ratio: number;
  findings: number;
  score: number;
  spam: { engine: string; score: number; ms: number } | null;
}

const BRAND: Brand = {
  id: 'brd_bench',
  name: 'Acme Coffee',
  colors: { primary: '#1d4ed8', secondary: '#14b8a6', text: '#1f2933', background: '#ffffff', accent: '#f59e0b' },
  headingFont: 'Georgia, serif',
  bodyFont: 'Arial, sans-serif',
  logoUrl: 'https://cdn.tidings-demo.com/logo.png',
  voice: '',
  fromName: 'Acme Coffee',
  fromEmail: 'hello@tidings-demo.com',
  replyTo: null,
  postalAddress: '1 Bean Street, Portland, OR 97201, USA',
  defaultLanguage: 'en',
  timeZone: 'America/Los_Angeles',
  knowledge: '',
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
};

/** A newsletter of `stories` sections: heading, image, two paragraphs with merge tags and links, a button, two columns. */
function newsletter(stories: number): EmailDocument {
  const story = (i: number): Block[] => [
    { id: `h${i}`, type: 'heading', text: `Story ${i + 1}: a new farm joins the spring menu`, level: 2, align: 'left' },
    { id: `img${i}`, type: 'image', src: `https://cdn.tidings-demo.com/story-${i}.jpg`, alt: `Coffee cherries at farm ${i + 1}`, width: 552, href: `https://tidings-demo.com/stories/${i}?${UTM}`, align: 'center' },
    {
      id: `t${i}`,
      type: 'text',
      text: `Hi {{ contact.first_name | default: "there" }}, our roasters spent the winter tasting beans from **three new farms**, and the best of them are in your cup from today. Read [the whole story](https://tidings-demo.com/stories/${i}?${UTM}) on our blog.\n\nEvery farm is paid at least twice the market price, and we publish what we paid for each lot.`,
      align: 'left',
    },
    { id: `b${i}`, type: 'button', text: 'Order a bag', url: `https://tidings-demo.com/shop/${i}?${UTM}`, align: 'center' },
    {
      id: `c${i}`,
      type: 'columns',
      columns: [
        { blocks: [{ id: `cl${i}`, type: 'text', text: `**Tasting notes:** red apple, brown sugar and a long cocoa finish (lot ${i}).`, align: 'left' }] },
        { blocks: [{ id: `cr${i}`, type: 'list', items: ['Washed caturra', 'Grown at 1,800 m', 'Roasted in Portland'], ordered: false }] },
      ],
    },
  ];
  return {
    theme: { primary: '#1d4ed8', text: '#1f2933', background: '#f3f4f6', contentBackground: '#ffffff', headingFont: 'Georgia, serif', bodyFont: 'Arial, sans-serif', width: 600 },
    sections: [
      { id: 'top', padding: 24, blocks: [{ id: 'logo', type: 'image', src: BRAND.logoUrl!, alt: 'Acme Coffee', width: 160, align: 'center' }, { id: 'title', type: 'heading', text: 'Our spring menu is here', level: 1, align: 'left' }] },
      ...Array.from({ length: stories }, (_, i) => ({ id: `s${i}`, padding: 24, blocks: story(i) })),
      { id: 'end', padding: 24, blocks: [{ id: 'footer', type: 'footer', text: 'You receive this email because you joined Acme Coffee Rewards.' }] },
    ],
  };
}

function email(document: EmailDocument): Email {
  return {
    id: 'eml_bench',
    brandId: BRAND.id,
    name: 'Bench newsletter',
    subject: 'Our spring menu is here',
    preheader: 'Three new farms, cherry blossom lattes and a free pastry for members.',
    fromName: BRAND.fromName,
    fromEmail: BRAND.fromEmail,
    replyTo: null,
    category: 'marketing',
    language: 'en',
    format: 'blocks',
    document,
    source: null,
    version: 1,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
  };
}

async function timed<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const t = performance.now();
  const out = await fn();
  return [performance.now() - t, out];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Enough stories for about `targetBytes` of compiled HTML. */
async function compileAbout(targetBytes: number) {
  let stories = 4;
  for (;;) {
    const e = email(newsletter(stories));
    const [ms, compiled] = await timed(() => compileEmail({ email: e, brand: BRAND }));
    if (Buffer.byteLength(compiled.html) >= targetBytes) return { email: e, compiled, ms };
    stories++;
  }
}

export async function benchPreflight(opts: { runs?: number; spamassassin?: boolean; log?: (line: string) => void } = {}): Promise<PreflightBenchResult> {
  const log = opts.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const runs = Math.max(7, opts.runs ?? 9);
  const { email: e, compiled, ms: compileMs } = await compileAbout(40 * 1024);

  const preflight = async () => {
    const input = await preflightInput({ email: e, brand: BRAND, compiled, knownFields: [], publicUrl: PUBLIC_URL, secret: 'bench-secret-0123456789abcdef0123456789', dkim: null, now: NOW });
    const ctx = await prepareContext(input);
    const findings = attachAutofixes(await findingsOf(ctx), e, { composer: false });
    return { ctx, findings, score: scoreOf(findings) };
  };

  const [firstRunMs, first] = await timed(preflight);
  const html = first.ctx.input.personas[0].message.html;
  const baseline = () => {
    cheerio.load(html);
    convert(html, { wordwrap: false });
  };
  const preflightTimes: number[] = [];
  const baselineTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    baselineTimes.push((await timed(baseline))[0]);
    preflightTimes.push((await timed(preflight))[0]);
  }
  const preflightMs = median(preflightTimes);
  const baselineMs = median(baselineTimes);

  let spam: PreflightBenchResult['spam'] = null;
  if (opts.spamassassin !== false && fs.existsSync(SPAMASSASSIN)) {
    const result = await spamScore(first.ctx);
    spam = { engine: result.engine, score: result.score, ms: result.ms };
  }

  const result: PreflightBenchResult = {
    htmlBytes: Buffer.byteLength(html),
    runs,
    compileMs,
    firstRunMs,
    preflightMs,
    baselineMs,
    ratio: preflightMs / baselineMs,
    findings: first.findings.length,
    score: first.score,
    spam,
  };
  log(`email: ${(result.htmlBytes / 1024).toFixed(1)} KB of rendered HTML, 3 personas; compiled once in ${compileMs.toFixed(0)} ms (cached per version by the service)`);
  log(`findings: ${result.findings} (score ${result.score})`);
  log(`first run (cold: parsers and client-support verdicts not yet cached): ${firstRunMs.toFixed(1)} ms`);
  log(`preflight, all offline checks, median of ${runs}: ${preflightMs.toFixed(1)} ms (target < 150 ms)`);
  log(`baseline (cheerio parse + html-to-text, once), median of ${runs}: ${baselineMs.toFixed(1)} ms`);
  log(`ratio: ${result.ratio.toFixed(1)}× the baseline`);
  log(spam ? `SpamAssassin (separate process, runs in parallel with the checks): ${spam.ms.toFixed(0)} ms, score ${spam.score}` : 'SpamAssassin: not run (not installed or --no-spamassassin)');
  return result;
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchPreflight({ runs: flag('--runs') ? Number(flag('--runs')) : undefined, spamassassin: !process.argv.includes('--no-spamassassin') }).catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
  });
}
