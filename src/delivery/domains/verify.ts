import { checkDmarc, isDmarc } from './dmarc.ts';
import { lookup, lookupTxt, type Lookup } from './dns.ts';
import type { DnsResolver, DomainHealth, DomainReport, DomainSetup, RecordCheck } from './model.ts';
import { dkimName, dkimValue, dmarcValue, mergeSpf, returnPathOf, spfOf } from './records.ts';
import { analyseSpf, authorises, isSpf, SPF_LOOKUP_LIMIT, unionSpf } from './spf.ts';

/**
 * Checks a domain's published records against its setup (S9.3, preflight.md §5.2), one status per
 * record, then an overall health and the next steps in plain words. Reads DNS only through the injected
 * resolver, so the same code runs against a fake zone in tests.
 */
export async function verifyDomain(setup: DomainSetup, resolver: DnsResolver): Promise<DomainReport> {
  const returnPath = returnPathOf(setup);
  const checks = await Promise.all([
    checkDkim(setup, resolver),
    ...(spfOf(setup) ? [checkSpf(setup, resolver)] : []),
    ...(returnPath ? [checkReturnPath(returnPath, resolver)] : []),
    checkDmarcRecord(setup, resolver),
  ]);
  return { domain: setup.domain, health: healthOf(checks), checks, nextSteps: checks.flatMap(nextSteps) };
}

type Base = Pick<RecordCheck, 'purpose' | 'type' | 'name' | 'expected'>;

function result(base: Base, status: RecordCheck['status'], extra: Partial<RecordCheck> = {}): RecordCheck {
  return { ...base, status, found: [], problems: [], warnings: [], ...extra };
}

/** missing / error outcomes shared by every check. */
function unresolved(base: Base, found: Lookup<unknown>): RecordCheck | undefined {
  if (found.kind === 'missing') return result(base, 'missing');
  if (found.kind === 'error') return result(base, 'error', { problems: [`the DNS lookup failed (${found.message})`] });
  return undefined;
}

const tagsOf = (record: string) =>
  Object.fromEntries(
    record
      .split(';')
      .map((part) => part.split('='))
      .filter((kv) => kv.length >= 2)
      .map(([k, ...v]) => [k.trim().toLowerCase(), v.join('=').replace(/\s+/g, '')]),
  );

async function checkDkim(setup: DomainSetup, resolver: DnsResolver): Promise<RecordCheck> {
  const base: Base = { purpose: 'dkim', type: 'TXT', name: dkimName(setup), expected: dkimValue(setup.dkim.publicKey) };
  const found = await lookupTxt(resolver, base.name);
  if (found.kind !== 'found') return unresolved(base, found)!;
  const keys = found.value.map(tagsOf).filter((tags) => 'p' in tags);
  if (keys.length === 0) return result(base, 'missing', { found: found.value, problems: ['no DKIM key (p=) at this name'] });
  const ours = keys.find((tags) => tags.p === setup.dkim.publicKey);
  if (!ours) {
    const revoked = keys.every((tags) => tags.p === '');
    return result(base, 'mismatch', {
      found: found.value,
      problems: [revoked ? 'the published key is revoked (empty p=)' : 'the published key is not the key Tidings signs with: replace the record'],
      suggested: base.expected,
    });
  }
  const warnings = ours.k && ours.k.toLowerCase() !== 'rsa' ? [`k=${ours.k} does not match the RSA key; use k=rsa`] : [];
  return result(base, warnings.length ? 'mismatch' : 'ok', { found: found.value, problems: warnings });
}

async function checkSpf(setup: DomainSetup, resolver: DnsResolver): Promise<RecordCheck> {
  const { name, mechanism } = spfOf(setup)!;
  const base: Base = { purpose: 'spf', type: 'TXT', name, expected: `v=spf1 ${mechanism} ~all` };
  const found = await lookupTxt(resolver, name);
  if (found.kind === 'error') return unresolved(base, found)!;
  const records = found.kind === 'found' ? found.value.filter(isSpf) : [];
  if (records.length === 0) return result(base, 'missing', { found: found.kind === 'found' ? found.value : [] });
  if (records.length > 1) {
    return result(base, 'mismatch', {
      found: records,
      problems: [`${records.length} SPF records at ${name}: receivers fail SPF with permerror when there is more than one (RFC 7208 §4.5); merge them`],
      suggested: unionSpf(records, mechanism),
    });
  }
  const analysis = await analyseSpf(records[0], resolver);
  const problems = [...analysis.problems];
  let suggested: string | undefined;
  if (!authorises(analysis, mechanism)) {
    suggested = mergeSpf(records[0], mechanism);
    problems.unshift(`the record does not contain ${mechanism}: add it to the existing record (do not publish a second one)`);
    if (mechanism.startsWith('include:') && analysis.lookups + 1 > SPF_LOOKUP_LIMIT) problems.push(`adding it makes ${analysis.lookups + 1} lookups; remove another include first`);
  }
  return result(base, problems.length ? 'mismatch' : 'ok', { found: records, problems, warnings: analysis.warnings, suggested });
}

async function checkReturnPath(returnPath: NonNullable<ReturnType<typeof returnPathOf>>, resolver: DnsResolver): Promise<RecordCheck> {
  const base: Base = { purpose: 'return-path', type: returnPath.type, name: returnPath.name, expected: returnPath.target };
  const found =
    returnPath.type === 'CNAME'
      ? await lookup(() => resolver.resolveCname(returnPath.name))
      : await lookup(async () => (await resolver.resolveMx(returnPath.name)).map((mx) => mx.exchange));
  if (found.kind !== 'found') return unresolved(base, found)!;
  const targets = found.value.map((t) => t.toLowerCase().replace(/\.$/, ''));
  if (targets.includes(returnPath.target)) return result(base, 'ok', { found: targets });
  return result(base, 'mismatch', { found: targets, problems: [`${returnPath.name} points to ${targets.join(', ')}, not ${returnPath.target}`], suggested: returnPath.target });
}

/** RFC 9989 tree walk: a subdomain without its own record takes the policy of the nearest parent that has one. */
async function checkDmarcRecord(setup: DomainSetup, resolver: DnsResolver): Promise<RecordCheck> {
  const base: Base = { purpose: 'dmarc', type: 'TXT', name: `_dmarc.${setup.domain}`, expected: dmarcValue(setup) };
  const labels = setup.domain.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const owner = labels.slice(i).join('.');
    const found = await lookupTxt(resolver, `_dmarc.${owner}`);
    if (found.kind === 'error') return unresolved({ ...base, name: `_dmarc.${owner}` }, found)!;
    const records = found.kind === 'found' ? found.value.filter(isDmarc) : [];
    if (records.length === 0) continue;
    const name = `_dmarc.${owner}`;
    if (records.length > 1) return result({ ...base, name }, 'mismatch', { found: records, problems: [`${records.length} DMARC records at ${name}: receivers apply no policy; keep one`], suggested: base.expected });
    const { problems, warnings } = checkDmarc(records[0]);
    const inherited = owner === setup.domain ? [] : [`no record at _dmarc.${setup.domain}: the policy of ${name} applies (its sp= if set)`];
    return result({ ...base, name }, problems.length ? 'mismatch' : 'ok', { found: records, problems, warnings: [...inherited, ...warnings], suggested: problems.length ? base.expected : undefined });
  }
  return result(base, 'missing');
}

function healthOf(checks: RecordCheck[]): DomainHealth {
  if (checks.every((c) => c.status === 'ok')) return 'ready';
  if (checks.every((c) => c.status === 'missing')) return 'not-started';
  return 'partial';
}

function nextSteps(check: RecordCheck): string[] {
  const what = `${check.purpose.toUpperCase()} (${check.type} ${check.name})`;
  switch (check.status) {
    case 'missing':
      return [`Publish ${what}: ${check.expected}`];
    case 'mismatch':
      return [`Fix ${what}: ${check.problems.join('; ')}${check.suggested ? `. Publish: ${check.suggested}` : ''}`, ...check.warnings.map((w) => `${what}: ${w}`)];
    case 'error':
      return [`Check ${what} again later: ${check.problems.join('; ')}`];
    case 'ok':
      return check.warnings.map((w) => `${what}: ${w}`);
  }
}
