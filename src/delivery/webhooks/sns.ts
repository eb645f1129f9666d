import { X509Certificate } from 'node:crypto';
import { z } from 'zod';

/**
 * Amazon SNS message signatures (docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html):
 * the sender signs a canonical "Name\nValue\n" string with the private key of an X.509 certificate it
 * publishes at `SigningCertURL`. Anyone can put any URL in that field, so the URL is checked *before*
 * anything is fetched: https, an `sns.<region>.amazonaws.com` host (or `.amazonaws.com.cn`), a `.pem` path.
 */

export const SNS_TYPES = ['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'] as const;

export const SnsEnvelope = z.object({
  Type: z.enum(SNS_TYPES),
  MessageId: z.string().min(1),
  TopicArn: z.string().min(1),
  Message: z.string(),
  Timestamp: z.string().min(1),
  SignatureVersion: z.string(),
  Signature: z.string().min(1),
  SigningCertURL: z.string().min(1),
  Subject: z.string().nullish(),
  SubscribeURL: z.string().optional(),
  Token: z.string().optional(),
});
export type SnsEnvelope = z.infer<typeof SnsEnvelope>;

const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** Returns the problem with a URL SNS gave us, or null when it may be fetched. */
export function snsUrlProblem(value: string, field: 'SigningCertURL' | 'SubscribeURL'): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${field} is not a URL`;
  }
  if (url.protocol !== 'https:') return `${field} must use https, got ${url.protocol.replace(':', '')}`;
  if (!SNS_HOST.test(url.hostname) || url.port !== '' || url.username !== '' || url.password !== '') {
    return `${field} host ${url.host} is not an Amazon SNS host (sns.<region>.amazonaws.com)`;
  }
  if (field === 'SigningCertURL' && !url.pathname.endsWith('.pem')) return `${field} does not point to a .pem certificate`;
  return null;
}

/** Signature version → digest: 1 is SHA1, 2 is SHA256 (set topics to 2). */
export const SNS_DIGESTS: Readonly<Record<string, string>> = { '1': 'sha1', '2': 'sha256' };

const NOTIFICATION_FIELDS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
const CONFIRMATION_FIELDS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const;

/** The canonical string SNS signed: the type's fields in byte order, each as "Name\nValue\n"; absent Subject is skipped. */
export function snsStringToSign(envelope: SnsEnvelope): string {
  const fields = envelope.Type === 'Notification' ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
  return fields
    .map((name) => [name, envelope[name]] as const)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([name, value]) => `${name}\n${value}\n`)
    .join('');
}

/** Fetches the PEM text at a URL that {@link snsUrlProblem} accepted. Injected in tests. */
export type CertificateFetcher = (url: string) => Promise<string>;

/** Production fetcher: no redirects (a redirect could leave the SNS host), a timeout, a 2xx answer. */
export const fetchCertificatePem: CertificateFetcher = async (url) => {
  const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return res.text();
};

/** SNS uses a handful of certificates for months: keep the parsed ones, forget failures so a retry refetches. */
export function snsCertificateCache(fetchPem: CertificateFetcher, maxEntries = 32): (url: string) => Promise<X509Certificate> {
  const cache = new Map<string, Promise<X509Certificate>>();
  return (url) => {
    const hit = cache.get(url);
    if (hit) return hit;
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    const loading = fetchPem(url).then((pem) => new X509Certificate(pem));
    loading.catch(() => cache.delete(url));
    cache.set(url, loading);
    return loading;
  };
}
