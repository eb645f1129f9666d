import dns from 'node:dns/promises';
import type { DnsResolver } from './model.ts';

/** The real resolver, for production; tests inject a zone in memory. */
export const systemResolver: DnsResolver = {
  resolveTxt: (name) => dns.resolveTxt(name),
  resolveCname: (name) => dns.resolveCname(name),
  resolveMx: (name) => dns.resolveMx(name),
};

export type Lookup<T> = { kind: 'found'; value: T } | { kind: 'missing' } | { kind: 'error'; message: string };

// NXDOMAIN and "no record of this type" both mean: nothing published (yet).
const NOT_FOUND = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN']);

/** Separates "not published" from "could not ask" (SERVFAIL, timeout), which must not read as missing. */
export async function lookup<T>(query: () => Promise<T>): Promise<Lookup<T>> {
  try {
    return { kind: 'found', value: await query() };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code && NOT_FOUND.has(code)) return { kind: 'missing' };
    return { kind: 'error', message: code ? `${code}: ${(err as Error).message}` : (err as Error).message };
  }
}

/** TXT records with their strings joined, as receivers read them. */
export async function lookupTxt(resolver: DnsResolver, name: string): Promise<Lookup<string[]>> {
  const found = await lookup(() => resolver.resolveTxt(name));
  return found.kind === 'found' ? { kind: 'found', value: found.value.map((strings) => strings.join('')) } : found;
}
