import crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { Store } from '../../store/db.ts';
import type { Clock } from '../../shared/clock.ts';
import { conflict, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { fromJson, toJson } from '../../shared/json.ts';
import { parseInput, type BrandsService } from '../../brands/service.ts';
import type { Actor } from '../../brands/model.ts';
import { Sealer } from '../settings/sealing.ts';
import {
  DomainInput,
  HEALTH_THRESHOLDS,
  parseDomainSetup,
  type DkimKey,
  type DnsRecord,
  type DnsResolver,
  type DomainReport,
  type DomainSetup,
  type PublishedRecord,
  type SendingDomain,
  type SendingHealth,
  type SendingProvider,
} from './model.ts';
import { buildDomainRecords, generateDkimKeyPair } from './records.ts';
import { domainsRepo, type DomainRow, type SendCounts } from './repo.ts';
import { verifyDomain } from './verify.ts';

export interface DomainsDeps {
  store: Store;
  clock: Clock;
  brands: BrandsService;
  secret: string;
  /** DNS for verification; node:dns in production, a zone in memory in tests. */
  resolver: DnsResolver;
}

const generateKeyPair = promisify(crypto.generateKeyPair);
const HEALTH_WINDOW_DAYS = 30;
/** How long the send path may use a looked-up signing key before asking the database again (other processes' changes). */
const DKIM_CACHE_MS = 60_000;

interface StoredSetup {
  spf?: string;
  region: string;
  returnPath?: { label: string; target: string };
  dmarcReportTo?: string;
}

/**
 * Sending domains (S9.3): a DKIM key pair generated per domain (the private half sealed at rest), the
 * records to publish, verification against DNS, and the domain's sending health from the outbox.
 */
export class DomainsService {
  private readonly sealer: Sealer;
  private readonly dkimCache = new Map<string, { at: number; key: DkimKey | null }>();

  constructor(private readonly deps: DomainsDeps) {
    this.sealer = new Sealer(deps.secret, 'dkim-private-key');
  }

  private get db() {
    return this.deps.store.db;
  }
  private now() {
    return this.deps.clock.now().toISOString();
  }

  async list(brandId: string): Promise<SendingDomain[]> {
    return (await domainsRepo.list(this.db, brandId)).map(toDomain);
  }

  async get(brandId: string, id: string): Promise<SendingDomain & { health: SendingHealth }> {
    const row = await this.row(brandId, id);
    return { ...toDomain(row), health: await this.health(brandId, row.domain) };
  }

  async create(brandId: string, input: unknown, actor: Actor): Promise<SendingDomain> {
    const d = parseInput(DomainInput, input);
    // The user's fields are checked first (with a stand-in key), so a typo costs no RSA-2048 key generation.
    const checked = parseDomainSetup({
      domain: d.domain,
      provider: d.provider,
      dkim: { selector: d.selector ?? this.defaultSelector(), publicKey: await standInPublicKey() },
      spf: d.spf,
      region: d.region,
      returnPath: d.returnPath,
      dmarcReportTo: d.dmarcReportTo,
    });
    if (await domainsRepo.findByDomain(this.db, brandId, checked.domain)) {
      throw conflict(`${checked.domain} is already a sending domain of this brand`, { issues: [{ field: 'domain', message: 'is already added' }] });
    }
    const keys = await generateDkimKeyPair();
    const setup: DomainSetup = { ...checked, dkim: { ...checked.dkim, publicKey: keys.publicKey } };
    const id = newId('dom');
    const at = this.now();
    const stored: StoredSetup = { spf: setup.spf, region: setup.region, returnPath: setup.returnPath, dmarcReportTo: setup.dmarcReportTo };
    await this.db.transaction().execute(async (trx) => {
      await domainsRepo.insert(trx, {
        id,
        brand_id: brandId,
        domain: setup.domain,
        selector: setup.dkim.selector,
        provider: setup.provider,
        setup: toJson(stored),
        private_key: this.sealer.seal(keys.privateKeyPem, id),
        public_key: keys.publicKey,
        records: toJson(buildDomainRecords(setup)),
        status: 'unverified',
        last_checked_at: null,
        check: null,
        created_at: at,
        updated_at: at,
      });
      await this.deps.brands.audit(trx, { brandId, actor, action: 'domain.created', targetType: 'sending_domain', targetId: id, details: { domain: setup.domain, provider: setup.provider } });
    });
    return toDomain((await domainsRepo.get(this.db, brandId, id))!);
  }

  async remove(brandId: string, id: string, actor: Actor): Promise<void> {
    const row = await this.row(brandId, id);
    await this.db.transaction().execute(async (trx) => {
      await domainsRepo.delete(trx, brandId, id);
      await this.deps.brands.audit(trx, { brandId, actor, action: 'domain.deleted', targetType: 'sending_domain', targetId: id, details: { domain: row.domain } });
    });
    this.dkimCache.clear();
  }

  /** Looks the records up in DNS now and keeps the result; returns the domain with each record's status. */
  async verify(brandId: string, id: string): Promise<SendingDomain & { health: SendingHealth }> {
    const row = await this.row(brandId, id);
    const report = await verifyDomain(setupOf(row), this.deps.resolver);
    const at = this.now();
    await domainsRepo.saveCheck(this.db, brandId, id, { status: report.health, last_checked_at: at, check: toJson(report), updated_at: at });
    this.dkimCache.clear();
    return this.get(brandId, id);
  }

  /**
   * The key to DKIM-sign mail from `fromDomain` with, or null. A brand's domain covers its subdomains
   * too (relaxed DMARC alignment), the closest one wins. Only keys whose DKIM record was found in the
   * last check are used: a signature receivers cannot verify is no better than none.
   */
  async dkimFor(brandId: string, fromDomain: string): Promise<DkimKey | null> {
    const domain = fromDomain.trim().toLowerCase();
    const cacheKey = `${brandId}:${domain}`;
    const hit = this.dkimCache.get(cacheKey);
    if (hit && Date.now() - hit.at < DKIM_CACHE_MS) return hit.key;
    const labels = domain.split('.');
    const candidates = labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'));
    const rows = await domainsRepo.anyOf(this.db, brandId, candidates);
    const usable = rows.filter(dkimVerified).sort((a, b) => b.domain.length - a.domain.length)[0];
    const key = usable ? { domain: usable.domain, selector: usable.selector, privateKey: this.sealer.open(usable.private_key, usable.id, `the DKIM key of ${usable.domain}`) } : null;
    this.dkimCache.set(cacheKey, { at: Date.now(), key });
    return key;
  }

  /** Hard-bounce and complaint rates of mail from the domain over the last 30 days, against the thresholds. */
  async health(brandId: string, domain: string): Promise<SendingHealth> {
    const since = new Date(this.deps.clock.now().getTime() - HEALTH_WINDOW_DAYS * 86_400_000).toISOString();
    return healthOf(await domainsRepo.sendCounts(this.db, brandId, domain, since));
  }

  private async row(brandId: string, id: string): Promise<DomainRow> {
    const row = await domainsRepo.get(this.db, brandId, id);
    if (!row) throw notFound('sending domain', id);
    return row;
  }

  /** A new selector each month, so a rotated key never collides with the record of the previous one. */
  private defaultSelector(): string {
    return `td${this.deps.clock.now().toISOString().slice(0, 7).replace('-', '')}`;
  }
}

let standIn: Promise<string> | null = null;

/** A small RSA key made once per process, only to validate a setup before its real key exists. */
function standInPublicKey(): Promise<string> {
  standIn ??= generateKeyPair('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }).then(({ publicKey }) =>
    publicKey.toString('base64'),
  );
  return standIn;
}

function healthOf(counts: SendCounts): SendingHealth {
  const rate = (n: number) => (counts.sent ? n / counts.sent : 0);
  const hardBounceRate = rate(counts.hardBounced);
  const complaintRate = rate(counts.complained);
  const worst = Math.max(hardBounceRate / HEALTH_THRESHOLDS.hardBounceRate, complaintRate / HEALTH_THRESHOLDS.complaintRate);
  const status = counts.sent === 0 ? 'no-data' : worst > 1 ? 'critical' : worst >= 0.5 ? 'warning' : 'good';
  return { windowDays: HEALTH_WINDOW_DAYS, ...counts, hardBounceRate, complaintRate, thresholds: HEALTH_THRESHOLDS, status };
}

function setupOf(row: DomainRow): DomainSetup {
  const stored = fromJson<StoredSetup>(row.setup, { region: 'us-east-1' });
  return { domain: row.domain, provider: row.provider as SendingProvider, dkim: { selector: row.selector, publicKey: row.public_key }, ...stored };
}

const dkimVerified = (row: DomainRow) => fromJson<DomainReport | null>(row.check, null)?.checks.find((c) => c.purpose === 'dkim')?.status === 'ok';

function toDomain(row: DomainRow): SendingDomain {
  const stored = fromJson<StoredSetup>(row.setup, { region: 'us-east-1' });
  const report = fromJson<DomainReport | null>(row.check, null);
  const records = fromJson<DnsRecord[]>(row.records, []).map((record): PublishedRecord => {
    const check = report?.checks.find((c) => c.purpose === record.purpose);
    if (!check) return { ...record, status: 'unchecked' };
    return { ...record, status: check.status, found: check.found, problems: check.problems, warnings: check.warnings, ...(check.suggested ? { suggested: check.suggested } : {}) };
  });
  return {
    id: row.id,
    domain: row.domain,
    selector: row.selector,
    provider: row.provider as SendingProvider,
    region: stored.region,
    spf: stored.spf ?? null,
    returnPath: stored.returnPath ?? null,
    dmarcReportTo: stored.dmarcReportTo ?? null,
    publicKey: row.public_key,
    status: row.status,
    records,
    nextSteps: report?.nextSteps ?? [`Publish the ${records.length} records below, then verify.`],
    lastCheckedAt: row.last_checked_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
