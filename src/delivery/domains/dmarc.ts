/**
 * DMARC record tags (RFC 9989, which replaced RFC 7489 in 2026). Records written for RFC 7489 stay valid;
 * `pct`, `rf` and `ri` were removed and receivers ignore them, so they earn a warning rather than a failure.
 */

export const isDmarc = (txt: string) => /^v=DMARC1\s*(;|$)/i.test(txt.trim());

const POLICIES = new Set(['none', 'quarantine', 'reject']);
const REMOVED_TAGS: Record<string, string> = {
  pct: 'pct= was removed in RFC 9989 and receivers ignore it: the policy applies to all mail; use t=y to test a policy instead',
  rf: 'rf= was removed in RFC 9989 (failure reports have one format); drop it',
  ri: 'ri= was removed in RFC 9989 (receivers choose the report interval); drop it',
};

export interface DmarcCheck {
  tags: Record<string, string>;
  problems: string[];
  warnings: string[];
}

export function checkDmarc(record: string): DmarcCheck {
  const tags: Record<string, string> = {};
  for (const part of record.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) tags[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim();
  }
  const problems: string[] = [];
  const warnings: string[] = [];
  const p = tags.p?.toLowerCase();
  if (!p) problems.push('the record has no p= policy; receivers ignore it (publish p=none at least)');
  else if (!POLICIES.has(p)) problems.push(`p=${tags.p} is not a policy: use none, quarantine or reject`);
  for (const sub of ['sp', 'np'] as const) {
    if (tags[sub] && !POLICIES.has(tags[sub].toLowerCase())) problems.push(`${sub}=${tags[sub]} is not a policy: use none, quarantine or reject`);
  }
  for (const [tag, advice] of Object.entries(REMOVED_TAGS)) if (tag in tags) warnings.push(advice);
  if (!tags.rua) warnings.push('no rua= address: you will not receive aggregate reports showing who sends as this domain');
  else if (!tags.rua.split(',').every((uri) => /^mailto:[^@\s]+@[^@\s]+$/i.test(uri.trim()))) warnings.push(`rua=${tags.rua} should list mailto: addresses`);
  return { tags, problems, warnings };
}
