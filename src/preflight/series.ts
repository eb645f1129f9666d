import type { Brand } from '../brands/model.ts';
import type { CompiledEmail, Email } from '../emails/model.ts';
import { sampleRecipient } from '../emails/personas.ts';
import { isUnsubscribeLink, normaliseAddress } from './checks/compliance.ts';
import { clip, MessageView } from './dom.ts';
import type { Finding, Severity } from './model.ts';

/**
 * Series checks (S4.4): what holds across the emails of a series rather than within one. Every
 * email still gets its own preflight; these say whether the emails belong together: one sender,
 * one subject each, a day or more between them, unsubscribe and postal address in every marketing
 * email, one `utm_campaign`. Each finding names the emails ("emails 2 and 4", counted from 1 in
 * send order) and lists their positions in `steps`.
 */

export interface SeriesCheckStep {
  position: number;
  offsetDays: number;
  email: Email;
  compiled: CompiledEmail;
}

/** A finding about some emails of a series: `steps` are their positions as given. */
export interface SeriesFinding extends Finding {
  steps: number[];
}

/** An email of the series with its number in send order and its compiled HTML read once. */
interface Step {
  n: number;
  position: number;
  offsetDays: number;
  email: Email;
  compiled: CompiledEmail;
  view: MessageView;
}

type SeriesCheck = (steps: Step[], brand: Pick<Brand, 'postalAddress'> | undefined) => SeriesFinding[];

/**
 * `brand` lets the address check recognise an address typed into an email and notice a brand with
 * no address at all; without it only the `{{ brand.postal_address }}` merge tag counts.
 */
export function seriesChecks(steps: SeriesCheckStep[], brand?: Pick<Brand, 'postalAddress'>): SeriesFinding[] {
  const ordered = [...steps].sort((a, b) => a.position - b.position).map((s, i) => ({ ...s, n: i + 1, view: viewOf(s.compiled) }));
  return CHECKS.flatMap((check) => check(ordered, brand));
}

/** The compiled HTML as preflight's DOM reads it; merge tags stay unrendered, which is what the checks look for. */
function viewOf(compiled: CompiledEmail): MessageView {
  const message = { to: '', from: compiled.from, replyTo: compiled.replyTo, subject: compiled.subject, html: compiled.html, text: compiled.text, headers: {} };
  return new MessageView({ persona: 'full', recipient: sampleRecipient(null, 'full'), message });
}

const finding = (id: string, severity: Severity, steps: Step[], message: string, fix: string, excerpt?: string): SeriesFinding => ({
  id,
  severity,
  message,
  fix,
  location: excerpt ? { excerpt: clip(excerpt, 120) } : {},
  steps: steps.map((s) => s.position),
});

/** "email 2", "emails 1 and 3", "emails 1, 2 and 4". */
export function emailsLabel(steps: Array<{ n: number }>): string {
  const ns = steps.map((s) => String(s.n));
  if (ns.length === 1) return `email ${ns[0]}`;
  return `emails ${ns.slice(0, -1).join(', ')} and ${ns.at(-1)}`;
}

/** Steps grouped by a key, in first-seen order. */
function groupBy(steps: Step[], keyOf: (s: Step) => string): Array<[string, Step[]]> {
  const groups = new Map<string, Step[]>();
  for (const s of steps) groups.set(keyOf(s), [...(groups.get(keyOf(s)) ?? []), s]);
  return [...groups];
}

/** The largest group is the series' own (the first on a tie); the others are the odd ones out. */
function oddOnesOut(groups: Array<[string, Step[]]>): Array<[string, Step[]]> {
  const main = groups.reduce((best, g) => (g[1].length > best[1].length ? g : best));
  return groups.filter((g) => g !== main);
}

const senderCheck: SeriesCheck = (steps) => {
  const identity = (s: Step) => `${s.compiled.from.name} <${s.compiled.from.email.toLowerCase()}>${s.compiled.replyTo ? `, reply to ${s.compiled.replyTo.toLowerCase()}` : ''}`;
  const groups = groupBy(steps, identity);
  if (groups.length < 2) return [];
  const odd = oddOnesOut(groups).flatMap(([, g]) => g);
  const described = groups.map(([who, g]) => `${emailsLabel(g)} from ${who}`).join('; ');
  return [finding('series.sender', 'important', odd, `The emails do not all come from the same sender (${described}); readers recognise a series by who sends it.`, 'Use the same From name, From address and Reply-To in every email of the series.')];
};

const subjectsCheck: SeriesCheck = (steps) =>
  groupBy(steps, (s) => s.email.subject.trim().replace(/\s+/g, ' ').toLowerCase())
    .filter(([, g]) => g.length > 1)
    .map(([, g]) => finding('series.subjects', 'important', g, `${capitalised(emailsLabel(g))} have the same subject ("${clip(g[0].email.subject, 60)}"); in the inbox they look like one email sent twice.`, 'Give every email of the series a subject of its own.', g[0].email.subject));

const spacingCheck: SeriesCheck = (steps) =>
  steps.slice(1).flatMap((s, i) => {
    const before = steps[i];
    if (s.offsetDays - before.offsetDays >= 1) return [];
    const when = s.offsetDays < before.offsetDays ? `email ${s.n} (day ${s.offsetDays}) is due before email ${before.n} (day ${before.offsetDays})` : `emails ${before.n} and ${s.n} both go out on day ${s.offsetDays}`;
    return [finding('series.spacing', 'important', [before, s], `${capitalised(when)}; a series needs at least a day between its emails, or they arrive together.`, `Send email ${s.n} at least one day after email ${before.n}.`)];
  });

const marketing = (steps: Step[]) => steps.filter((s) => s.email.category === 'marketing');

const unsubscribeCheck: SeriesCheck = (steps) => {
  const missing = marketing(steps).filter((s) => !s.view.links.some((l) => isUnsubscribeLink(l) && !l.hidden));
  if (missing.length === 0) return [];
  return [finding('series.unsubscribe', 'critical', missing, `${capitalised(emailsLabel(missing))} ${missing.length === 1 ? 'has' : 'have'} no visible unsubscribe link; every marketing email of a series needs one (CAN-SPAM, CASL, Gmail and Yahoo).`, 'Compile the email again (the footer adds the link) or add an unsubscribe link to its footer.')];
};

const addressCheck: SeriesCheck = (steps, brand) => {
  const address = brand ? normaliseAddress(brand.postalAddress) : '';
  const missing = marketing(steps).filter((s) => {
    const text = s.view.visibleText;
    const tagged = /\{\{\s*brand\.postal_address\s*\}\}/.test(text) && (!brand || address !== '');
    return !tagged && !(address && normaliseAddress(text).includes(address));
  });
  if (missing.length === 0) return [];
  const why = brand && !address ? 'the brand has no postal address to show' : 'the postal address is missing';
  return [finding('series.address', 'critical', missing, `In ${emailsLabel(missing)} ${why}; CAN-SPAM and CASL require it in every marketing email.`, brand && !address ? 'Add the postal address in the brand settings.' : 'Compile the email again (the footer adds the address) or add the address to its footer.')];
};

const utmCheck: SeriesCheck = (steps) => {
  const used = steps.map((s) => ({ s, values: [...new Set(s.compiled.links.map(utmCampaign).filter((c): c is string => c !== null))] }));
  const values = [...new Set(used.flatMap((u) => u.values))];
  if (values.length < 2) return [];
  const users = (v: string) => used.filter((u) => u.values.includes(v)).map((u) => u.s);
  // The value most emails use is the series' own; the emails using any other are the ones to fix.
  const main = values.reduce((best, v) => (users(v).length > users(best).length ? v : best));
  const odd = used.filter((u) => u.values.some((v) => v !== main)).map((u) => u.s);
  const described = values.map((v) => `"${clip(v, 30)}" (${emailsLabel(users(v))})`).join(', ');
  return [finding('series.utm', 'important', odd, `The links use ${values.length} utm_campaign values: ${described}; a series should report as one campaign in your analytics.`, `Use utm_campaign=${main} in every email of the series (utm_content can tell the emails apart).`)];
};

function utmCampaign(href: string): string | null {
  try {
    return new URL(href).searchParams.get('utm_campaign') || null;
  } catch {
    return null; // merge tags, mailto: and other non-URLs carry no campaign
  }
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const CHECKS: SeriesCheck[] = [senderCheck, subjectsCheck, spacingCheck, unsubscribeCheck, addressCheck, utmCheck];
