import type { Clock } from '../../shared/clock.ts';
import { failed, type ProviderError, type ProviderErrorKind, type SendOutcome } from './model.ts';

/**
 * The one way the HTTP adapters (Resend, SendGrid, Mailgun, Postmark) call their vendor: plain fetch
 * with a deadline, and every answer that is not a success turned into an outcome the same way.
 * Vendors differ only in how they say what went wrong (`explain`).
 */

export interface VendorResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON (an HTML 413 page from a proxy…). */
  json: unknown;
}

export interface VendorErrorDetail {
  message: string;
  providerCode?: string;
  /** Set when the vendor's own code says more than the HTTP status (Postmark 406 → suppressed). */
  kind?: ProviderErrorKind;
}

export interface VendorCall {
  url: string;
  headers: Record<string, string>;
  body: string | FormData;
  timeoutMs: number;
  signal?: AbortSignal;
  fetch: typeof fetch;
  clock: Clock;
  explain(res: VendorResponse): VendorErrorDetail;
}

/** A 2xx response for the adapter to read, or the outcome every message of the request shares. */
export type VendorResult = { response: VendorResponse } | { outcome: SendOutcome };

export async function postToVendor(call: VendorCall): Promise<VendorResult> {
  const deadline = AbortSignal.timeout(call.timeoutMs);
  const signal = call.signal ? AbortSignal.any([deadline, call.signal]) : deadline;
  let response: VendorResponse;
  try {
    const res = await call.fetch(call.url, { method: 'POST', headers: call.headers, body: call.body, signal });
    // The deadline covers the body too: a vendor that sends headers and then stalls is a timeout.
    const text = await res.text();
    response = { status: res.status, headers: res.headers, text, json: parseJson(text) };
  } catch (err) {
    if (call.signal?.aborted) throw err;
    return { outcome: failed(networkFailure(err, deadline.aborted, call.timeoutMs)) };
  }
  if (response.status >= 200 && response.status < 300) return { response };
  const detail = call.explain(response);
  const error: ProviderError = { kind: detail.kind ?? kindForStatus(response.status), httpStatus: response.status, message: `HTTP ${response.status}: ${detail.message}` };
  if (detail.providerCode !== undefined) error.providerCode = detail.providerCode;
  return { outcome: failed(error, retryAfterMs(response.headers, call.clock.now())) };
}

export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  if (status === 408 || status >= 500) return 'transient';
  return 'validation';
}

/** Codes for a request that never reached the vendor, so it cannot have been acted on. */
export const NOT_CONNECTED: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** A call that got no HTTP answer: our deadline passed, or the connection failed or dropped. */
export function networkFailure(err: unknown, timedOut: boolean, timeoutMs: number): ProviderError {
  if (timedOut) return { kind: 'timeout', message: `no complete answer within ${timeoutMs} ms`, maybeDelivered: true };
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (err as { code?: string }).code;
  const message = `connection failed: ${cause?.message ?? (err as Error).message}`;
  if (code && NOT_CONNECTED.has(code)) return { kind: 'connection', message, providerCode: code };
  return { kind: 'connection', message, ...(code ? { providerCode: code } : {}), maybeDelivered: true };
}

/**
 * How long the vendor asked us to wait: `Retry-After` as delay-seconds or an HTTP date (RFC 9110
 * §10.2.3), else `ratelimit-reset` (delay-seconds, as Resend sends it). Undefined when neither says.
 */
export function retryAfterMs(headers: Headers, now: Date): number | undefined {
  return parseRetryAfter(headers.get('retry-after'), now) ?? parseDelaySeconds(headers.get('ratelimit-reset'));
}

export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  const seconds = parseDelaySeconds(v);
  if (seconds !== undefined) return seconds;
  // HTTP dates start with a day name; without this check Date.parse would read "1.5" as a year.
  if (!/^[A-Za-z]{3}/.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

function parseDelaySeconds(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value) * 1000;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A field of a JSON error body when it is a string or number, for `explain`. */
export function field(json: unknown, name: string): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const v = (json as Record<string, unknown>)[name];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/** The vendor's message, or the start of a non-JSON body, or the status text. */
export function messageOf(res: VendorResponse, fromJson: string | undefined): string {
  return fromJson ?? (res.text.trim().slice(0, 200) || 'no error message');
}

/** A 2xx whose body we cannot read: the email may exist, so only a reconciled retry is safe. */
export function unreadableSuccess(res: VendorResponse): SendOutcome {
  return failed({ kind: 'transient', httpStatus: res.status, message: `HTTP ${res.status} without a message id: ${res.text.slice(0, 200)}`, maybeDelivered: true });
}
