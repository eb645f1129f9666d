import type { DnsResolver } from './model.ts';
import { lookupTxt } from './dns.ts';

/**
 * SPF (RFC 7208) as far as a setup check needs it: one record per name, our mechanism present, and at
 * most 10 DNS-querying terms in the whole evaluation (§4.6.4), counted through nested includes and
 * redirects with the injected resolver.
 */

export const SPF_LOOKUP_LIMIT = 10;
/** Past twice the limit the verdict cannot change; stop asking DNS. */
const WALK_CAP = 2 * SPF_LOOKUP_LIMIT;
const LOOKUP_MECHANISMS = new Set(['include', 'a', 'mx', 'ptr', 'exists']);

export const isSpf = (txt: string) => /^v=spf1(\s|$)/i.test(txt.trim());

interface Term {
  name: string;
  value?: string;
  raw: string;
}

function terms(record: string): Term[] {
  return record
    .trim()
    .split(/\s+/)
    .slice(1)
    .map((raw) => {
      const body = raw.replace(/^[+\-~?]/, '');
      const m = /^([a-z][a-z0-9._-]*)(?:[:=]([^/]*))?/i.exec(body);
      return { name: (m?.[1] ?? body).toLowerCase(), value: m?.[2] || undefined, raw };
    });
}

export interface SpfAnalysis {
  /** DNS-querying terms the evaluation can reach. */
  lookups: number;
  /** Every domain reached through include: or redirect=, lower-cased. */
  reached: Set<string>;
  /** Terms present in the top record, lower-cased as written. */
  topTerms: Set<string>;
  problems: string[];
  warnings: string[];
}

export async function analyseSpf(record: string, resolver: DnsResolver): Promise<SpfAnalysis> {
  const analysis: SpfAnalysis = { lookups: 0, reached: new Set(), topTerms: new Set(), problems: [], warnings: [] };
  const top = terms(record);
  for (const t of top) analysis.topTerms.add(t.raw.toLowerCase());
  if (top.some((t) => t.name === 'all' && !/^[-~?]/.test(t.raw))) analysis.warnings.push('"+all" lets every server on the internet send as this domain; end with ~all or -all');
  if (!top.some((t) => t.name === 'all' || t.name === 'redirect')) analysis.warnings.push('the record has no "all" term; end it with ~all so receivers know the list is complete');
  await walk(top, resolver, analysis, new Set());
  if (analysis.lookups > SPF_LOOKUP_LIMIT) {
    const count = analysis.lookups > WALK_CAP ? `more than ${WALK_CAP}` : String(analysis.lookups);
    analysis.problems.push(`SPF needs ${count} DNS lookups, over the limit of ${SPF_LOOKUP_LIMIT} (RFC 7208 §4.6.4): receivers fail it with permerror; remove or flatten includes`);
  }
  return analysis;
}

async function walk(list: Term[], resolver: DnsResolver, analysis: SpfAnalysis, visited: Set<string>): Promise<void> {
  for (const term of list) {
    if (LOOKUP_MECHANISMS.has(term.name) || term.name === 'redirect') analysis.lookups++;
    if ((term.name !== 'include' && term.name !== 'redirect') || !term.value) continue;
    const target = term.value.toLowerCase();
    analysis.reached.add(target);
    // Macros (%{i}…) expand per message; loops and runaway trees stop here.
    if (target.includes('%') || visited.has(target) || analysis.lookups > WALK_CAP) continue;
    visited.add(target);
    const found = await lookupTxt(resolver, target);
    if (found.kind === 'error') {
      analysis.warnings.push(`could not read the SPF record of ${target} (${found.message}); its lookups are not counted`);
      continue;
    }
    const records = found.kind === 'found' ? found.value.filter(isSpf) : [];
    if (records.length !== 1) {
      analysis.problems.push(`${term.name} ${target} has ${records.length === 0 ? 'no' : records.length} SPF records; receivers fail SPF with permerror`);
      continue;
    }
    await walk(terms(records[0]), resolver, analysis, visited);
  }
}

/** Whether the record authorises `mechanism`: an include anywhere in the tree, other mechanisms in the top record. */
export function authorises(analysis: SpfAnalysis, mechanism: string): boolean {
  const wanted = mechanism.toLowerCase();
  if (wanted.startsWith('include:')) return analysis.reached.has(wanted.slice('include:'.length));
  return analysis.topTerms.has(wanted) || analysis.topTerms.has(`+${wanted}`);
}

/** One record from several: their mechanisms once each, ours added, ending with ~all. */
export function unionSpf(records: string[], mechanism: string): string {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const t of records.flatMap(terms)) {
    if (t.name === 'all' || t.name === 'redirect' || seen.has(t.raw.toLowerCase())) continue;
    seen.add(t.raw.toLowerCase());
    kept.push(t.raw);
  }
  if (!seen.has(mechanism.toLowerCase())) kept.push(mechanism);
  return ['v=spf1', ...kept, '~all'].join(' ');
}
