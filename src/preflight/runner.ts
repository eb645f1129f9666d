import { parseMail } from '../shared/mail-parser.ts';
import type { Element } from 'domhandler';
import { MessageView, excerptOf, selectorOf } from './dom.ts';
import { BlockLocator, markedBlockId } from './locate.ts';
import { onlineFindings } from './reachability.ts';
import type { Check, CheckContext, Hit, SentMessage } from './checks/check.ts';
import { gmailClipCheck, styleLimitCheck } from './checks/size.ts';
import { compatCheck } from './checks/compat.ts';
import { forbiddenCheck, hiddenContentCheck, strippedSourceCheck, validHtmlCheck } from './checks/html.ts';
import { fromIdentityCheck, plainPartCheck, rfc5322Check } from './checks/mime.ts';
import { preheaderCheck, subjectDeceptiveCheck, subjectLengthCheck, titleCheck } from './checks/inbox.ts';
import { postalAddressCheck, unsubBodyLinkCheck, unsubHeadersCheck } from './checks/compliance.ts';
import { linkSyntaxCheck, publicUrlCheck, shortenerCheck, textMismatchCheck, utmCheck } from './checks/links.ts';
import { altCheck, hostingCheck, textImageBalanceCheck } from './checks/images.ts';
import { contrastCheck, langDirCheck, layoutTablesCheck, structureLinksCheck } from './checks/a11y.ts';
import { darkModeCheck, responsiveCheck } from './checks/mobile.ts';
import { unknownVariablesCheck, unresolvedTagsCheck } from './checks/merge-tags.ts';
import { SEVERITIES, type Finding, type PreflightInput } from './model.ts';

/** The offline checks of reference/preflight.md §5.1, in the table's order. */
export const CHECKS: Check[] = [
  gmailClipCheck, // 1
  styleLimitCheck, // 2
  compatCheck, // 3
  validHtmlCheck, // 4
  forbiddenCheck, // 5
  strippedSourceCheck, // 5, on the source
  hiddenContentCheck, // 6
  plainPartCheck, // 7
  rfc5322Check, // 8
  fromIdentityCheck, // 9
  subjectLengthCheck, // 10
  subjectDeceptiveCheck, // 11
  preheaderCheck, // 12
  titleCheck, // 13
  unsubHeadersCheck, // 14
  unsubBodyLinkCheck, // 15
  postalAddressCheck, // 16
  linkSyntaxCheck, // 17 (18 is online)
  publicUrlCheck,
  shortenerCheck, // 19
  textMismatchCheck, // 20
  utmCheck, // 21
  altCheck, // 22
  hostingCheck, // 23 (reachability online)
  textImageBalanceCheck, // 25 (24 is online)
  langDirCheck, // 26
  layoutTablesCheck, // 27
  contrastCheck, // 28
  structureLinksCheck, // 29
  responsiveCheck, // 30
  darkModeCheck, // 31
  unresolvedTagsCheck, // 32 (33 is spam.ts)
];

/**
 * Above this size only the 'full' persona is analysed: the message is ten times over Gmail's
 * clipping limit already (a critical finding), and every persona of it costs seconds.
 */
export const ONE_PERSONA_BYTES = 1024 * 1024;

function personasToCheck(ctx: CheckContext): MessageView[] {
  return Buffer.byteLength(ctx.views[0].html) > ONE_PERSONA_BYTES ? ctx.views.slice(0, 1) : ctx.views;
}

/** Findings per check id beyond this are summed up in the last one: 40 missing alts are one problem. */
export const MAX_PER_CHECK = 10;

/** Parses the MIME and the personas' HTML once for all checks (and the heuristic spam engine). */
export async function prepareContext(input: PreflightInput): Promise<CheckContext> {
  return { input, views: input.personas.map((p) => new MessageView(p)), sent: await readSent(input.mime) };
}

/** Every check of §5.1 over the personas' final messages (pure: no database, no network unless `online`). */
export async function runChecks(input: PreflightInput): Promise<Finding[]> {
  return findingsOf(await prepareContext(input));
}

export async function findingsOf(ctx: CheckContext): Promise<Finding[]> {
  const locator = new BlockLocator(ctx.input.email.document);
  const byPersona = personasToCheck(ctx).map((view) => {
    const out: Finding[] = [];
    for (const check of CHECKS) {
      if (check.scope === 'message' && view !== ctx.views[0]) continue;
      const persona = check.scope === 'persona' ? view.persona : undefined;
      for (const h of check.run(view, ctx)) out.push(toFinding(check.id, h, view, locator, persona));
    }
    return out;
  });
  const found = mergePersonas(byPersona.length, byPersona);
  for (const h of unknownVariablesCheck(ctx.input.unknownVariables)) found.push(toFinding('personalization.merge-tags', h, ctx.views[0], locator, undefined));
  if (ctx.input.online) {
    const full = ctx.views[0];
    for (const f of await onlineFindings(full.links.map((l) => l.href), full.images.filter((i) => !i.pixel).map((i) => i.src), ctx.input.online)) {
      const blockId = locator.find(f.location.excerpt);
      found.push(blockId ? { ...f, location: { blockId, ...f.location } } : f);
    }
  }
  return order(capPerCheck(found));
}

function toFinding(id: string, h: Hit, view: MessageView, locator: BlockLocator, persona: MessageView['persona'] | undefined): Finding {
  const el: Element | undefined = h.el;
  const location: Finding['location'] = {};
  const blockId = (el && markedBlockId(el)) ?? locator.find(h.locate ?? (el ? needleOf(el, view) : h.excerpt));
  if (blockId) location.blockId = blockId;
  if (el) location.selector = selectorOf(el);
  const excerpt = h.excerpt ?? (el ? excerptOf(el, view.$) : undefined);
  if (excerpt) location.excerpt = excerpt;
  if (persona) location.persona = persona;
  return { id, severity: h.severity, message: h.message, location, fix: h.fix };
}

/** What identifies an element's block: the URL it links or shows, else its first words. */
function needleOf(el: Element, view: MessageView): string {
  if (el.name === 'img') return el.attribs.src ?? '';
  if (el.name === 'a') return el.attribs.href ?? '';
  return view.$(el).text().replace(/\s+/g, ' ').trim().slice(0, 40);
}

/**
 * Per-persona findings that every persona shares are about the email itself and lose the persona;
 * the others name the first persona that shows them.
 */
function mergePersonas(personas: number, byPersona: Finding[][]): Finding[] {
  const seen = new Map<string, { finding: Finding; count: number }>();
  const out: Finding[] = [];
  for (const f of byPersona.flat()) {
    if (!f.location.persona) {
      out.push(f);
      continue;
    }
    const key = `${f.id}|${f.severity}|${f.location.selector ?? ''}|${f.message}`;
    const entry = seen.get(key);
    if (entry) entry.count++;
    else {
      const e = { finding: f, count: 1 };
      seen.set(key, e);
      out.push(f);
    }
  }
  for (const { finding, count } of seen.values()) if (count === personas) delete finding.location.persona;
  return out;
}

function capPerCheck(findings: Finding[]): Finding[] {
  const count = new Map<string, number>();
  const out: Finding[] = [];
  for (const f of findings) {
    const n = (count.get(f.id) ?? 0) + 1;
    count.set(f.id, n);
    if (n <= MAX_PER_CHECK) out.push(f);
  }
  for (const [id, n] of count) {
    if (n <= MAX_PER_CHECK) continue;
    const last = out.filter((f) => f.id === id).pop()!;
    last.message += ` (and ${n - MAX_PER_CHECK} more like this)`;
  }
  return out;
}

function order(findings: Finding[]): Finding[] {
  const rank = new Map(CHECKS.map((c, i) => [c.id, i]));
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITIES.indexOf(a.f.severity) - SEVERITIES.indexOf(b.f.severity) || (rank.get(a.f.id) ?? 99) - (rank.get(b.f.id) ?? 99) || a.i - b.i)
    .map((x) => x.f);
}

/** The sent message: mailparser's reading and the header lines exactly as written (duplicates kept). */
export async function readSent(raw: Buffer): Promise<SentMessage> {
  const parsed = await parseMail(raw, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  let end = raw.indexOf('\r\n\r\n');
  if (end < 0) end = raw.indexOf('\n\n');
  const block = raw.subarray(0, end < 0 ? raw.length : end).toString('latin1');
  const headers: SentMessage['headers'] = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && headers.length) headers[headers.length - 1].value += ' ' + line.trim();
    else {
      const colon = line.indexOf(':');
      if (colon > 0) headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
    }
  }
  // latin1 keeps every byte as one character, so unencoded UTF-8 shows up as non-ASCII.
  return { parsed, headers, raw };
}
