import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import type { Finding, ReachabilityOptions, Severity } from './model.ts';
import { mapLimit } from '../shared/concurrency.ts';

/**
 * Link and image reachability (checks 18, 23 online, 24) without becoming a proxy into our own
 * network (SSRF): we resolve every host ourselves, refuse private, loopback, link-local, multicast
 * and reserved addresses (unless allowPrivateHosts), connect to the address we checked (pinned, so
 * a second DNS answer cannot swap it), and follow redirects by hand, checking every hop again.
 * Cloud metadata addresses are refused even with allowPrivateHosts: no link check needs them.
 */

/** Cloud instance-metadata endpoints (AWS, GCP, Azure, Alibaba, Oracle): never a legitimate link. */
const METADATA = new net.BlockList();
METADATA.addAddress('169.254.169.254');
METADATA.addAddress('169.254.170.2');
METADATA.addAddress('100.100.100.200');
METADATA.addAddress('fd00:ec2::254', 'ipv6');

/** Everything that is not the public internet (RFC 6890 special-purpose registries). */
const NOT_PUBLIC = new net.BlockList();
for (const [net4, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24],
  ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NOT_PUBLIC.addSubnet(net4, bits, 'ipv4');
for (const [net6, bits] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
] as const) NOT_PUBLIC.addSubnet(net6, bits, 'ipv6');

/** An IPv6 address carrying an IPv4 one (::ffff:a.b.c.d, ::a.b.c.d, NAT64 64:ff9b::/96) is judged by the IPv4 inside. */
function embeddedIpv4(address: string): string | null {
  const dotted = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (dotted) return dotted;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return null;
  const [hi, lo] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Why an address may not be fetched, or null when it may. */
export function refusal(address: string, allowPrivateHosts: boolean): string | null {
  const v4 = net.isIPv4(address) ? address : embeddedIpv4(address);
  const [ip, family] = v4 ? [v4, 'ipv4' as const] : [address, 'ipv6' as const];
  if (METADATA.check(ip, family)) return `${address} is a cloud metadata address`;
  if (!allowPrivateHosts && NOT_PUBLIC.check(ip, family)) return `${address} is a private, loopback, link-local or reserved address`;
  return null;
}

export interface ProbeResult {
  url: string;
  finalUrl: string;
  status: number | null;
  redirects: number;
  ms: number;
  /** Content-Length, or the bytes read when the server sent none (reading stops past the cap). */
  bytes: number | null;
  /** Why there is no answer: refused target, DNS failure, timeout, TLS or connection error. */
  error: string | null;
  errorKind: 'refused' | 'dns' | 'timeout' | 'network' | 'too-many-redirects' | null;
}

export const MAX_REDIRECTS = 5;
const DEFAULT_TIMEOUT_MS = 10_000;
/** Bytes read at most when a server sends no Content-Length (enough to judge the 2 MB image limit). */
const READ_CAP = 2 * 1024 * 1024 + 1;

interface Answer {
  status: number;
  location: string | null;
  bytes: number | null;
  contentType?: string;
  /** The body, when the request asked to keep it. */
  body?: Buffer;
}

type Resolve = (host: string) => Promise<Array<{ address: string; family: number }>>;

class ProbeError extends Error {
  constructor(readonly kind: NonNullable<ProbeResult['errorKind']>, message: string) {
    super(message);
  }
}

const systemLookup: Resolve = (host) => dns.lookup(host, { all: true, verbatim: true });

/** Every address the name has must be allowed (else one answer could point inside). */
async function pin(host: string, resolve: Resolve, allowPrivateHosts: boolean): Promise<{ address: string; family: number }> {
  const bare = host.replace(/^\[|\]$/g, '');
  let addresses: Array<{ address: string; family: number }>;
  if (net.isIP(bare)) addresses = [{ address: bare, family: net.isIP(bare) }];
  else {
    try {
      addresses = await resolve(bare);
    } catch (err) {
      throw new ProbeError('dns', `${bare} does not resolve (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  if (addresses.length === 0) throw new ProbeError('dns', `${bare} has no address`);
  for (const a of addresses) {
    const why = refusal(a.address, allowPrivateHosts);
    if (why) throw new ProbeError('refused', `not fetched: ${bare} resolves to ${why}`);
  }
  return addresses[0];
}

/**
 * One request to the pinned address. HEAD answers come back at once; a GET reads the body only
 * when it must: to count the bytes of a response without Content-Length (up to `cap`), or to keep
 * it (`keep`, for previews), refusing bodies larger than `cap`.
 */
function request(url: URL, method: 'HEAD' | 'GET', target: { address: string; family: number }, timeoutMs: number, body: { keep: boolean; cap: number } = { keep: false, cap: READ_CAP }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // The connection goes to the address we checked, whatever a new lookup would say.
    const lookup: LookupFunction = (_host, opts, cb) => {
      if ((opts as { all?: boolean }).all) (cb as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [target]);
      else cb(null, target.address, target.family);
    };
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, { method, lookup, timeout: timeoutMs, headers: { 'user-agent': 'TidingsPreflight/1 (+link check)', accept: '*/*' } }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location ?? null;
      const contentType = res.headers['content-type'];
      const length = res.headers['content-length'] ? Number(res.headers['content-length']) : null;
      const done = (answer: Answer) => {
        resolve(answer);
        req.destroy();
      };
      if (method === 'HEAD' || status >= 300 || (length !== null && !body.keep)) {
        res.resume();
        return done({ status, location, bytes: length, contentType });
      }
      if (body.keep && length !== null && length > body.cap) return done({ status, location, bytes: length, contentType });
      const chunks: Buffer[] = [];
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (body.keep) chunks.push(chunk);
        if (read >= body.cap) done({ status, location, bytes: read, contentType });
      });
      res.on('end', () => done({ status, location, bytes: read, contentType, ...(body.keep ? { body: Buffer.concat(chunks) } : {}) }));
      res.on('error', () => done({ status, location, bytes: read, contentType }));
    });
    req.on('timeout', () => req.destroy(new ProbeError('timeout', `no answer within ${timeoutMs / 1000} s`)));
    req.on('error', (err) => reject(err instanceof ProbeError ? err : new ProbeError('network', (err as NodeJS.ErrnoException).code ?? err.message)));
    req.end();
  });
}

/** HEAD first (cheap); servers that refuse or mishandle HEAD get a GET. */
async function fetchOnce(url: URL, target: { address: string; family: number }, timeoutMs: number, needBytes: boolean): Promise<Answer> {
  const head = await request(url, 'HEAD', target, timeoutMs).catch((err: ProbeError) => {
    if (err.kind === 'timeout') throw err;
    return null;
  });
  if (head && head.status < 400 && (!needBytes || head.bytes !== null || (head.status >= 300 && head.status < 400))) return head;
  return request(url, 'GET', target, timeoutMs);
}

export async function probe(rawUrl: string, opts: ReachabilityOptions & { needBytes?: boolean }): Promise<ProbeResult> {
  const started = performance.now();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const resolve = opts.lookup ?? systemLookup;
  const result: ProbeResult = { url: rawUrl, finalUrl: rawUrl, status: null, redirects: 0, ms: 0, bytes: null, error: null, errorKind: null };
  try {
    let url = new URL(rawUrl);
    for (;;) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ProbeError('refused', `not fetched: ${url.protocol} URL`);
      const target = await pin(url.hostname, resolve, opts.allowPrivateHosts);
      const answer = await fetchOnce(url, target, timeoutMs, opts.needBytes ?? false);
      result.finalUrl = url.href;
      result.status = answer.status;
      result.bytes = answer.bytes;
      if (answer.status < 300 || answer.status >= 400 || !answer.location) break;
      if (result.redirects >= MAX_REDIRECTS) throw new ProbeError('too-many-redirects', `more than ${MAX_REDIRECTS} redirects`);
      result.redirects++;
      url = new URL(answer.location, url);
    }
  } catch (err) {
    result.error = (err as Error).message;
    result.errorKind = err instanceof ProbeError ? err.kind : 'network';
  }
  result.ms = performance.now() - started;
  return result;
}

/** GETs a resource through the same guard (previews load the email's images this way); null when refused or failing. */
export async function fetchResource(rawUrl: string, opts: ReachabilityOptions & { maxBytes: number }): Promise<{ contentType: string; body: Buffer } | null> {
  const resolve = opts.lookup ?? systemLookup;
  try {
    let url = new URL(rawUrl);
    for (let hops = 0; hops <= MAX_REDIRECTS; hops++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
      const target = await pin(url.hostname, resolve, opts.allowPrivateHosts);
      const answer = await request(url, 'GET', target, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, { keep: true, cap: opts.maxBytes });
      if (answer.status >= 300 && answer.status < 400 && answer.location) {
        url = new URL(answer.location, url);
        continue;
      }
      return answer.status < 300 && answer.body ? { contentType: answer.contentType ?? 'application/octet-stream', body: answer.body } : null;
    }
    return null;
  } catch {
    return null;
  }
}

// ---- findings ----------------------------------------------------------------------------------

/** §5.1 #18: more than this many redirects, or slower than this, is a warning. */
export const SLOW_MS = 10_000;
export const MANY_REDIRECTS = 3;
/** §5.1 #24 (ours): per-image and total weight. */
export const IMAGE_WARN_BYTES = 500 * 1024;
export const IMAGE_ERROR_BYTES = 2 * 1024 * 1024;
export const IMAGES_TOTAL_WARN_BYTES = 1.5 * 1024 * 1024;

const finding = (id: string, severity: Severity, message: string, fix: string, url: string): Finding => ({ id, severity, message, fix, location: { excerpt: url } });
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;

function unreachable(id: string, r: ProbeResult, what: string): Finding | null {
  if (r.errorKind === 'refused') return finding(id, 'important', `${what} was not checked: ${r.error}.`, 'Link only to public addresses.', r.url);
  if (r.errorKind === 'timeout') return finding(id, 'important', `${what} did not answer within ${SLOW_MS / 1000} s.`, 'Check that the server is up and fast.', r.url);
  if (r.error) return finding(id, 'critical', `${what} cannot be reached (${r.error}).`, 'Fix or replace the URL.', r.url);
  if (r.status !== null && r.status >= 400) return finding(id, 'critical', `${what} answers ${r.status}${r.finalUrl !== r.url ? ` (after redirects, at ${r.finalUrl})` : ''}.`, 'Fix or replace the URL.', r.url);
  return null;
}

/** Checks 18, 23 (reachable) and 24 over the distinct public URLs of the 'full' persona. */
export async function onlineFindings(links: string[], images: string[], opts: ReachabilityOptions): Promise<Finding[]> {
  const concurrency = opts.concurrency ?? 6;
  const linkUrls = [...new Set(links.filter((u) => /^https?:\/\//i.test(u)))];
  const imageUrls = [...new Set(images.filter((u) => /^https?:\/\//i.test(u)))];
  const [linkResults, imageResults] = await Promise.all([
    mapLimit(linkUrls, concurrency, (u) => probe(u, opts)),
    mapLimit(imageUrls, concurrency, (u) => probe(u, { ...opts, needBytes: true })),
  ]);
  const findings: Finding[] = [];
  for (const r of linkResults) {
    const bad = unreachable('links.reachable', r, `The link ${r.url}`);
    if (bad) findings.push(bad);
    else if (r.redirects > MANY_REDIRECTS) findings.push(finding('links.reachable', 'important', `The link goes through ${r.redirects} redirects before ${r.finalUrl}; each one is a delay and a point of failure.`, 'Link to the final address directly.', r.url));
    else if (r.ms > SLOW_MS) findings.push(finding('links.reachable', 'important', `The link took ${(r.ms / 1000).toFixed(1)} s to answer.`, 'Check the server.', r.url));
  }
  let total = 0;
  for (const r of imageResults) {
    const bad = unreachable('images.hosting', r, `The image ${r.url}`);
    if (bad) {
      findings.push(bad);
      continue;
    }
    const bytes = r.bytes ?? 0;
    total += bytes;
    if (bytes > IMAGE_ERROR_BYTES) findings.push(finding('images.weight', 'critical', `An image weighs ${mb(bytes)}; it loads slowly on phones and eats data plans.`, 'Compress it (under 500 KB; 1,200 px wide is plenty for email).', r.url));
    else if (bytes > IMAGE_WARN_BYTES) findings.push(finding('images.weight', 'important', `An image weighs ${(bytes / 1024).toFixed(0)} KB.`, 'Compress it to under 500 KB.', r.url));
  }
  if (total > IMAGES_TOTAL_WARN_BYTES) findings.push(finding('images.weight', 'important', `The images weigh ${mb(total)} together; the email loads slowly on mobile data.`, 'Compress the images or use fewer.', imageUrls[0]));
  return findings;
}
