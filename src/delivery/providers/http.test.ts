import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock.ts';
import { vendorServer, type VendorServer } from '../../../test/helpers/vendor-server.ts';
import { parseRetryAfter, postToVendor, retryAfterMs, type VendorCall } from './http.ts';

const now = new Date('2026-03-01T12:00:00Z');

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP dates, never a negative wait, and ignores what is neither', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('Sunday, 01-Mar-26 12:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('falls back to ratelimit-reset when there is no Retry-After', () => {
    expect(retryAfterMs(new Headers({ 'ratelimit-reset': '2' }), now)).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': '5', 'ratelimit-reset': '2' }), now)).toBe(5000);
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });
});

describe('postToVendor', () => {
  let server: VendorServer;
  const clock = new ManualClock(now);
  const call = (overrides: Partial<VendorCall> = {}): VendorCall => ({
    url: `${server.baseUrl}/send`,
    headers: { 'content-type': 'application/json' },
    body: '{}',
    timeoutMs: 300,
    fetch,
    clock,
    explain: (res) => ({ message: String((res.json as { error?: string } | undefined)?.error ?? res.text) }),
    ...overrides,
  });

  beforeAll(async () => {
    server = await vendorServer(() => ({ status: 200, json: { ok: true } }));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('hands a 2xx response over with its body parsed', async () => {
    const result = await postToVendor(call());
    expect('response' in result && result.response).toMatchObject({ status: 200, json: { ok: true } });
  });

  it('lets the vendor’s own code decide the kind when it says more than the status', async () => {
    server.script({ status: 422, json: { error: 'inactive recipient' } });
    const result = await postToVendor(call({ explain: () => ({ message: 'inactive', providerCode: '406', kind: 'suppressed' }) }));
    expect('outcome' in result && result.outcome).toEqual({ status: 'rejected', error: { kind: 'suppressed', httpStatus: 422, providerCode: '406', message: 'HTTP 422: inactive' } });
  });

  it('retries a 503 after its Retry-After', async () => {
    server.script({ status: 503, json: { error: 'maintenance' }, headers: { 'retry-after': '30' } });
    const result = await postToVendor(call());
    expect('outcome' in result && result.outcome).toMatchObject({ status: 'retry', retryAfterMs: 30_000, error: { kind: 'transient', message: 'HTTP 503: maintenance' } });
  });

  it('retries a refused connection, knowing nothing was sent', async () => {
    const closed = await vendorServer(() => ({ status: 200 }));
    await closed.close();
    const result = await postToVendor(call({ url: `${closed.baseUrl}/send` }));
    expect('outcome' in result && result.outcome).toEqual({ status: 'retry', error: { kind: 'connection', providerCode: 'ECONNREFUSED', message: expect.stringContaining('ECONNREFUSED') } });
  });

  it('throws when the caller cancels, instead of inventing an outcome', async () => {
    server.script('hang');
    const cancel = new AbortController();
    const pending = postToVendor(call({ timeoutMs: 10_000, signal: cancel.signal }));
    cancel.abort(new Error('shutting down'));
    await expect(pending).rejects.toThrow('shutting down');
  });
});
