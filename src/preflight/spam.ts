import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { hit, type CheckContext, type Hit } from './checks/check.ts';
import { contentChars } from './checks/images.ts';
import { urlOf } from './checks/links.ts';
import type { Finding, SpamResult, SpamRule } from './model.ts';

/**
 * Check 33, `spam.score`: SpamAssassin's verdict on the full MIME when it is installed (Debian
 * ships it with its rules; `-L` keeps it offline), otherwise a small heuristic that says so.
 */

export const SPAMASSASSIN = '/usr/bin/spamassassin';
/** SpamAssassin's required_score: at or above it, the message is spam. */
export const SPAM_THRESHOLD = 5.0;
/** Ours (§5.1 #33): half the threshold is where mail starts landing in spam folders. */
export const SPAM_WARNING = 2.5;
const TIMEOUT_MS = 60_000;

export interface SpamOptions {
  /** Path of the spamassassin binary (tests point it at a missing file to get the heuristic). */
  binary?: string;
  timeoutMs?: number;
}

export async function spamScore(ctx: CheckContext, opts: SpamOptions = {}): Promise<SpamResult> {
  const started = performance.now();
  const binary = opts.binary ?? SPAMASSASSIN;
  let note: string;
  if (fs.existsSync(binary)) {
    try {
      const report = await runSpamAssassin(binary, ctx.input.mime, opts.timeoutMs ?? TIMEOUT_MS);
      return { engine: 'spamassassin', ...parseSpamAssassinReport(report), ms: performance.now() - started };
    } catch (err) {
      note = `SpamAssassin failed (${(err as Error).message}); this is a heuristic estimate instead, not a SpamAssassin score.`;
    }
  } else {
    note = 'SpamAssassin is not installed; this is a heuristic estimate with SpamAssassin-like rules, not a SpamAssassin score.';
  }
  const rules = heuristicRules(ctx);
  return { engine: 'heuristic', score: round(rules.reduce((s, r) => s + r.score, 0)), threshold: SPAM_THRESHOLD, rules, note, ms: performance.now() - started };
}

/** `-L` local tests only (no network), `-t` appends the report, `-x -p /dev/null` never touches a home directory. */
function runSpamAssassin(binary: string, mime: Buffer, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['-L', '-t', '-x', '-p', '/dev/null', '--cf=use_bayes 0'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`exit code ${code}: ${err.trim().split('\n').pop() ?? ''}`));
    });
    child.stdin.on('error', () => {}); // a crash before reading all input surfaces as the exit code
    child.stdin.end(mime);
  });
}

/** Reads "Content analysis details: (3.8 points, 5.0 required)" and the rule table after it. */
export function parseSpamAssassinReport(report: string): { score: number; threshold: number; rules: SpamRule[] } {
  const start = report.lastIndexOf('Content analysis details:');
  if (start < 0) throw new Error('no report in the output');
  const body = report.slice(start);
  const head = /\((-?[\d.]+) points?, (-?[\d.]+) required\)/.exec(body);
  if (!head) throw new Error('no score in the report');
  const rules: SpamRule[] = [];
  for (const line of body.split('\n')) {
    const rule = /^\s*(-?\d+(?:\.\d+)?)\s+([A-Z0-9_]+)\s+(.*)$/.exec(line);
    if (rule) rules.push({ name: rule[2], score: Number(rule[1]), description: rule[3].trim() });
    else if (rules.length && /^\s{20,}\S/.test(line)) rules[rules.length - 1].description += ' ' + line.trim();
  }
  return { score: Number(head[1]), threshold: Number(head[2]), rules };
}

const round = (n: number) => Math.round(n * 10) / 10;

const SPAM_PHRASES: Array<[string, RegExp, string, number]> = [
  ['FREE_MONEY', /\b(100\s?% free|free money|free cash|free gift|free access)\b/i, 'a "free …" money phrase', 1.0],
  ['ACT_NOW', /\b(act now|apply now|buy now|order now|call now)\b/i, 'a pushy call to act now', 0.5],
  ['CLICK_HERE', /\b(click here|click below)\b/i, '"click here"', 0.3],
  ['GUARANTEE', /\b(risk[- ]free|no risk|guaranteed?|money[- ]back)\b/i, 'a guarantee or no-risk claim', 0.5],
  ['PRIZE', /\b(winner|you('ve| have) won|congratulations|claim your (prize|reward))\b/i, 'a prize or winner claim', 1.0],
  ['MONEY_MAKING', /\b(no credit check|lowest (price|rate)|cash bonus|earn (extra )?(cash|money)|make money)\b/i, 'a money-making claim', 1.0],
  ['TIME_PRESSURE', /\b(limited time|expires? (today|tonight)|last chance|only \d+ left|while supplies last)\b/i, 'time pressure', 0.3],
  ['SPAM_TOPIC', /\b(viagra|cialis|casino|crypto(currency)? (profit|giveaway)|weight loss)\b/i, 'a classic spam topic', 1.5],
];

/** The fallback when SpamAssassin is absent: rules modelled on its own (names prefixed TIDINGS_). */
export function heuristicRules(ctx: CheckContext): SpamRule[] {
  const view = ctx.views[0];
  const subject = view.message.subject;
  const text = `${subject}\n${view.visibleText}`;
  const rules: SpamRule[] = [];
  const add = (name: string, score: number, description: string) => rules.push({ name: `TIDINGS_${name}`, score, description });
  const letters = subject.match(/\p{L}/gu) ?? [];
  if (letters.length >= 8 && (subject.match(/\p{Lu}/gu) ?? []).length / letters.length > 0.5) add('SUBJ_ALL_CAPS', 0.5, 'Subject is mostly capital letters');
  if (/!{2,}|\${2,}/.test(subject)) add('SUBJ_SHOUTING', 0.5, 'Subject has repeated ! or $');
  for (const [name, re, description, score] of SPAM_PHRASES) if (re.test(text)) add(name, score, `Body or subject contains ${description}`);
  const words = view.visibleText.match(/\b[\p{L}]{4,}\b/gu) ?? [];
  const shouted = words.filter((w) => w === w.toUpperCase() && /\p{Lu}/u.test(w)).length;
  if (words.length >= 20 && shouted / words.length > 0.3) add('BODY_ALL_CAPS', 1.0, 'Much of the body is in capital letters');
  const images = view.images.filter((i) => !i.pixel).length;
  const chars = contentChars(view, ctx);
  if (images > 0 && chars < 400) add('IMAGE_ONLY', 1.7, `HTML: images with ${chars} characters of text`);
  else if (images > 0 && chars < 1200) add('IMAGE_HEAVY', 0.7, 'HTML: images with little text');
  if (!ctx.sent.parsed.text?.trim()) add('MIME_HTML_ONLY', 0.1, 'Message only has text/html MIME parts');
  if (/\bdear\s+(valued\s+)?(customer|friend|sir|madam|member)\b/i.test(text)) add('DEAR_SOMETHING', 2.0, 'Contains "Dear (something)"');
  if (view.links.some((l) => /^(bit\.ly|tinyurl\.com|t\.co|goo\.gl|ow\.ly|is\.gd|cutt\.ly|rb\.gy)$/i.test(urlOf(l.href)?.hostname ?? ''))) add('URL_SHORTENER', 1.0, 'Links through a public URL shortener');
  if (!ctx.sent.headers.some((h) => h.name.toLowerCase() === 'date')) add('MISSING_DATE', 2.7, 'Missing Date: header');
  if (!ctx.sent.headers.some((h) => h.name.toLowerCase() === 'message-id')) add('MISSING_MID', 0.5, 'Missing Message-Id: header');
  return rules;
}

/** Check 33's findings from whichever engine ran. */
export function spamFindings(result: SpamResult): Finding[] {
  if (result.score < SPAM_WARNING) return [];
  const critical = result.score >= SPAM_THRESHOLD;
  const top = [...result.rules]
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, 5)
    .map((r) => `${r.name} (${r.score})`);
  const engine = result.engine === 'spamassassin' ? 'SpamAssassin' : 'The heuristic spam estimate (SpamAssassin is not installed)';
  const h: Hit = hit(
    critical ? 'critical' : 'important',
    `${engine} scores this email ${result.score} (spam at ${result.threshold}${critical ? '' : `; we warn from ${SPAM_WARNING}`}). Main rules: ${top.join(', ') || 'none'}.`,
    'Address the rules listed in the spam report, highest scores first.',
  );
  return [{ id: 'spam.score', severity: h.severity, message: h.message, fix: h.fix, location: { excerpt: top.join(', ') } }];
}
