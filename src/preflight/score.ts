import { SEVERITIES, type Finding, type Severity, type SeverityCounts } from './model.ts';

/**
 * The 0–100 score of a report:
 *
 *   score = 100 − Σ over the checks that fired of the cost of their worst finding
 *           critical 20, important 7, suggested 2 (suggestions cost 10 at most in total)
 *   then at most 49 when anything is critical, and at least 0.
 *
 * A check counts once however many findings it has (forty images without alt are one problem to
 * fix, not forty), suggestions can never sink a sound email, and a score of 50 or more always
 * means "can be sent as is". Counts are the number of findings per severity.
 */
export const COST: Record<Severity, number> = { critical: 20, important: 7, suggested: 2 };
export const SUGGESTED_CAP = 10;
export const CRITICAL_CEILING = 49;

export function countsOf(findings: Finding[]): SeverityCounts {
  const counts: SeverityCounts = { critical: 0, important: 0, suggested: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export function scoreOf(findings: Finding[]): number {
  const worst = new Map<string, Severity>();
  for (const f of findings) {
    const before = worst.get(f.id);
    if (!before || SEVERITIES.indexOf(f.severity) < SEVERITIES.indexOf(before)) worst.set(f.id, f.severity);
  }
  let cost = 0;
  let suggested = 0;
  for (const severity of worst.values()) {
    if (severity === 'suggested') suggested += COST.suggested;
    else cost += COST[severity];
  }
  cost += Math.min(suggested, SUGGESTED_CAP);
  let score = 100 - cost;
  if ([...worst.values()].includes('critical')) score = Math.min(score, CRITICAL_CEILING);
  return Math.max(0, score);
}
