import type { DnsResolver } from './model.ts';

/**
 * Test support only (no production code imports it): a DNS zone in memory, so verification runs
 * offline and each test publishes exactly the records it is about.
 */

export type Zone = Record<string, { TXT?: string[][]; CNAME?: string[]; MX?: Array<{ exchange: string; priority: number }>; fail?: string }>;

/** mailauth's resolver signature, for checking our records with an independent verifier. */
export type MailauthResolver = (name: string, type: string) => Promise<unknown>;

/** A DNS zone in memory, answering like node:dns (ENOTFOUND for unknown names, ENODATA for other types). */
export function fakeDns(zone: Zone): DnsResolver & { mailauth: MailauthResolver } {
  const answer = async (name: string, type: 'TXT' | 'CNAME' | 'MX') => {
    const entry = zone[name.toLowerCase()];
    if (!entry) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    if (entry.fail) throw Object.assign(new Error(`query ${entry.fail} ${name}`), { code: entry.fail });
    const records = entry[type];
    if (!records) throw Object.assign(new Error(`query ENODATA ${name}`), { code: 'ENODATA' });
    return records;
  };
  return {
    resolveTxt: (name) => answer(name, 'TXT') as Promise<string[][]>,
    resolveCname: (name) => answer(name, 'CNAME') as Promise<string[]>,
    resolveMx: (name) => answer(name, 'MX') as Promise<Array<{ exchange: string; priority: number }>>,
    mailauth: (name, type) => answer(name, type as 'TXT'),
  };
}
