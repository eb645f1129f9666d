import crypto from 'node:crypto';
import { z } from 'zod';
import { issuesFromZod, validationError } from '../../shared/errors.ts';

/**
 * Sending domains (S9.3): the DNS records a brand publishes so that mailbox providers accept its mail
 * (DKIM key, SPF, DMARC, return path), and their verification against live DNS through an injected
 * resolver. Pure logic: the service that stores keys and setups comes with the campaign pipeline.
 */

export const SENDING_PROVIDERS = ['smtp', 'ses', 'resend', 'sendgrid', 'mailgun', 'postmark'] as const;
export type SendingProvider = (typeof SENDING_PROVIDERS)[number];

export interface ProviderDnsProfile {
  /**
   * SPF mechanism that authorises the provider's servers. `null`: the provider's return-path domain
   * carries SPF, nothing to publish. Absent: only the sender knows (its own SMTP relay or IPs).
   */
  spf?: string | null;
  /** The provider bounces through a subdomain of ours (custom MAIL FROM / Return-Path). */
  returnPath?: { label: string; type: 'CNAME' | 'MX'; target: (region: string) => string };
}

/** Each provider's domain-setup guide, reduced to what differs. SendGrid's return-path CNAME is per account: pass `returnPath`. */
export const PROVIDER_DNS: Readonly<Record<SendingProvider, ProviderDnsProfile>> = {
  smtp: {},
  // SES custom MAIL FROM: MX to the region's feedback endpoint, SPF on the MAIL FROM subdomain.
  ses: { spf: 'include:amazonses.com', returnPath: { label: 'bounce', type: 'MX', target: (region) => `feedback-smtp.${region}.amazonses.com` } },
  // Resend sends through SES with `send.` as its MAIL FROM subdomain.
  resend: { spf: 'include:amazonses.com', returnPath: { label: 'send', type: 'MX', target: (region) => `feedback-smtp.${region}.amazonses.com` } },
  sendgrid: { spf: 'include:sendgrid.net' },
  mailgun: { spf: 'include:mailgun.org' },
  // Postmark's custom Return-Path is a CNAME to its bounce domain, which carries the SPF record itself.
  postmark: { spf: null, returnPath: { label: 'pm-bounces', type: 'CNAME', target: () => 'pm.mtasv.net' } },
};

const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/, 'must be a domain name such as mail.example.com');
const label = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be one DNS label: letters, digits and hyphens');
const spfMechanism = z
  .string()
  .trim()
  .regex(/^(include:[a-z0-9._-]+|ip4:[\d./]+|ip6:[0-9a-f:./]+|a(:[a-z0-9._-]+)?|mx(:[a-z0-9._-]+)?)$/i, 'must be one SPF mechanism: include:…, ip4:…, ip6:…, a or mx');

export const DomainSetupSchema = z.object({
  domain: hostname,
  provider: z.enum(SENDING_PROVIDERS),
  dkim: z.object({
    selector: label,
    /** base64 SubjectPublicKeyInfo, as `generateDkimKeyPair` returns it. */
    publicKey: z.string().trim().min(1),
  }),
  /** Overrides the provider's SPF mechanism; required for `smtp`. */
  spf: spfMechanism.optional(),
  /** AWS region of SES (and Resend), for the MAIL FROM MX target. */
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1')
    .default('us-east-1'),
  /** A return-path CNAME the provider gave this account (SendGrid's `em1234` → `u1234.wl.sendgrid.net`). */
  returnPath: z.object({ label, target: hostname }).optional(),
  /** Where aggregate DMARC reports go (rua=mailto:…). */
  dmarcReportTo: z.email().optional(),
});
export type DomainSetupInput = z.input<typeof DomainSetupSchema>;
export type DomainSetup = z.output<typeof DomainSetupSchema>;

/** Validates a setup, naming the field of every problem (DomainError `validation_failed`). */
export function parseDomainSetup(input: unknown): DomainSetup {
  const parsed = DomainSetupSchema.safeParse(input);
  if (!parsed.success) throw validationError(issuesFromZod(parsed.error.issues));
  const setup = parsed.data;
  const issues = [];
  if (!rsaKeyBits(setup.dkim.publicKey)) issues.push({ field: 'dkim.publicKey', message: 'must be a base64 RSA public key (SubjectPublicKeyInfo) of at least 1024 bits' });
  if (PROVIDER_DNS[setup.provider].spf === undefined && !setup.spf) {
    issues.push({ field: 'spf', message: `the ${setup.provider} provider needs the SPF mechanism of your servers, e.g. include:_spf.example.net or ip4:203.0.113.7` });
  }
  if (issues.length) throw validationError(issues);
  return setup;
}

/** Key size of a base64 SPKI RSA key, or 0 when it is not one (RFC 8301: at least 1024 bits). */
export function rsaKeyBits(publicKey: string): number {
  try {
    const key = crypto.createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    const bits = key.asymmetricKeyType === 'rsa' ? (key.asymmetricKeyDetails?.modulusLength ?? 0) : 0;
    return bits >= 1024 ? bits : 0;
  } catch {
    return 0;
  }
}

export type RecordPurpose = 'dkim' | 'spf' | 'dmarc' | 'return-path';

export interface DnsRecord {
  purpose: RecordPurpose;
  type: 'TXT' | 'CNAME' | 'MX';
  /** Fully qualified, without the trailing dot. */
  name: string;
  value: string;
  /** TXT only: the value cut into ≤ 255-character strings, as DNS stores it (RFC 1035 character-strings). */
  txtStrings?: string[];
  priority?: number;
  /** The record as a zone-file line, for DNS hosts that import zone files. */
  zoneLine: string;
  /** One sentence on why the record matters, for the setup screen. */
  why: string;
}

/** Injected so verification runs offline in tests; `node:dns/promises` fits as is. */
export interface DnsResolver {
  resolveTxt(name: string): Promise<string[][]>;
  resolveCname(name: string): Promise<string[]>;
  resolveMx(name: string): Promise<Array<{ exchange: string; priority: number }>>;
}

export type RecordStatus = 'ok' | 'missing' | 'mismatch' | 'error';

export interface RecordCheck {
  purpose: RecordPurpose;
  type: DnsRecord['type'];
  name: string;
  /** What we asked the user to publish. */
  expected: string;
  status: RecordStatus;
  /** What DNS answered (each TXT record with its strings joined). */
  found: string[];
  /** Why the status is not ok. */
  problems: string[];
  /** Worth fixing, but the record works. */
  warnings: string[];
  /** The exact record to publish instead, when we can compute it (e.g. an SPF record merged with ours). */
  suggested?: string;
}

export type DomainHealth = 'ready' | 'partial' | 'not-started';

export interface DomainReport {
  domain: string;
  health: DomainHealth;
  checks: RecordCheck[];
  /** What to do next, most important first; empty when ready without warnings. */
  nextSteps: string[];
}

// ---- the stored sending domain (service.ts) -------------------------------------------------------

/** What a user gives to add a domain; the key pair is generated, the selector defaults to `td<yyyymm>`. */
export const DomainInput = z.object({
  domain: z.string({ error: 'is required' }),
  provider: z.enum(SENDING_PROVIDERS, { error: `must be one of ${SENDING_PROVIDERS.join(', ')}` }),
  selector: z.string().optional(),
  spf: z.string().optional(),
  region: z.string().optional(),
  returnPath: z.object({ label: z.string(), target: z.string() }).optional(),
  dmarcReportTo: z.string().optional(),
});
export type DomainInput = z.input<typeof DomainInput>;

/** unverified: never checked; otherwise the health of the last check. */
export type DomainStatus = 'unverified' | DomainHealth;

/** A record to publish with what the last check found for it (`unchecked` before the first check). */
export type PublishedRecord = DnsRecord & Partial<Pick<RecordCheck, 'found' | 'problems' | 'warnings' | 'suggested'>> & { status: RecordStatus | 'unchecked' };

export const HEALTH_THRESHOLDS = { hardBounceRate: 0.02, complaintRate: 0.003 } as const;

/** Sending reputation of a domain over the last 30 days (S9.3), against the thresholds mailbox providers enforce. */
export interface SendingHealth {
  windowDays: number;
  sent: number;
  bounced: number;
  hardBounced: number;
  complained: number;
  hardBounceRate: number;
  complaintRate: number;
  thresholds: typeof HEALTH_THRESHOLDS;
  /** no-data: nothing sent; warning: at half a threshold or more; critical: over a threshold. */
  status: 'no-data' | 'good' | 'warning' | 'critical';
}

export interface SendingDomain {
  id: string;
  domain: string;
  selector: string;
  provider: SendingProvider;
  region: string;
  spf: string | null;
  returnPath: { label: string; target: string } | null;
  dmarcReportTo: string | null;
  publicKey: string;
  status: DomainStatus;
  records: PublishedRecord[];
  nextSteps: string[];
  lastCheckedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The key the send path signs with (DKIM d= and s=), for a domain whose DKIM record checked out. */
export interface DkimKey {
  domain: string;
  selector: string;
  privateKey: string;
}
