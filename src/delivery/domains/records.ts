import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { PROVIDER_DNS, type DnsRecord, type DomainSetup } from './model.ts';

const generateKeyPair = promisify(crypto.generateKeyPair);

/** RSA-2048 (Gmail's recommendation; RFC 8301 requires ≥ 1024): the PEM signs, the base64 SPKI goes into DNS. */
export async function generateDkimKeyPair(): Promise<{ privateKeyPem: string; publicKey: string }> {
  const { privateKey, publicKey } = await generateKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKey: publicKey.toString('base64') };
}

/** A DNS TXT record is a list of strings of at most 255 bytes each; receivers concatenate them. */
export function splitTxt(value: string, size = 255): string[] {
  const parts: string[] = [];
  for (let i = 0; i < value.length; i += size) parts.push(value.slice(i, i + size));
  return parts.length ? parts : [''];
}

const quoted = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

function txt(purpose: DnsRecord['purpose'], name: string, value: string, why: string): DnsRecord {
  const txtStrings = splitTxt(value);
  return { purpose, type: 'TXT', name, value, txtStrings, zoneLine: `${name}. 3600 IN TXT ${txtStrings.map(quoted).join(' ')}`, why };
}

export const dkimName = (setup: DomainSetup) => `${setup.dkim.selector}._domainkey.${setup.domain}`;
export const dkimValue = (publicKey: string) => `v=DKIM1; k=rsa; p=${publicKey}`;

/** The return-path record, if this provider (or account) bounces through a subdomain of ours. */
export function returnPathOf(setup: DomainSetup): { name: string; type: 'CNAME' | 'MX'; target: string } | undefined {
  if (setup.returnPath) return { name: `${setup.returnPath.label}.${setup.domain}`, type: 'CNAME', target: setup.returnPath.target };
  const profile = PROVIDER_DNS[setup.provider].returnPath;
  return profile && { name: `${profile.label}.${setup.domain}`, type: profile.type, target: profile.target(setup.region) };
}

/** SPF belongs to the envelope (MAIL FROM) domain: our return-path subdomain when the provider uses an MX there. */
export function spfOf(setup: DomainSetup): { name: string; mechanism: string } | undefined {
  const mechanism = setup.spf ?? PROVIDER_DNS[setup.provider].spf;
  if (!mechanism) return undefined;
  const returnPath = returnPathOf(setup);
  return { name: returnPath?.type === 'MX' ? returnPath.name : setup.domain, mechanism };
}

export const dmarcValue = (setup: DomainSetup) => `v=DMARC1; p=none${setup.dmarcReportTo ? `; rua=mailto:${setup.dmarcReportTo}` : ''}`;

/** Adds a mechanism to an existing SPF record before its `all` (or `redirect=`), keeping everything else. */
export function mergeSpf(existing: string, mechanism: string): string {
  const terms = existing.trim().split(/\s+/);
  if (terms.some((t) => t.toLowerCase() === mechanism.toLowerCase())) return terms.join(' ');
  const end = terms.findIndex((t, i) => i > 0 && (/^[+\-~?]?all$/i.test(t) || /^redirect=/i.test(t)));
  if (end === -1) return [...terms, mechanism].join(' ');
  return [...terms.slice(0, end), mechanism, ...terms.slice(end)].join(' ');
}

/** Every record the user publishes for this setup, in the order a setup screen shows them. */
export function buildDomainRecords(setup: DomainSetup): DnsRecord[] {
  const records: DnsRecord[] = [txt('dkim', dkimName(setup), dkimValue(setup.dkim.publicKey), 'Lets receivers check that mail signed for this domain was not forged or altered (DKIM).')];
  const spf = spfOf(setup);
  if (spf) {
    records.push(txt('spf', spf.name, `v=spf1 ${spf.mechanism} ~all`, 'Authorises the provider to send for this domain (SPF). If the name already has a v=spf1 record, add the mechanism to it instead of adding a second record.'));
  }
  const returnPath = returnPathOf(setup);
  if (returnPath?.type === 'CNAME') {
    records.push({ purpose: 'return-path', type: 'CNAME', name: returnPath.name, value: returnPath.target, zoneLine: `${returnPath.name}. 3600 IN CNAME ${returnPath.target}.`, why: 'Bounces return to a subdomain of yours, so SPF aligns with your From domain.' });
  }
  if (returnPath?.type === 'MX') {
    records.push({ purpose: 'return-path', type: 'MX', name: returnPath.name, value: returnPath.target, priority: 10, zoneLine: `${returnPath.name}. 3600 IN MX 10 ${returnPath.target}.`, why: 'Bounces return to a subdomain of yours, so SPF aligns with your From domain.' });
  }
  records.push(txt('dmarc', `_dmarc.${setup.domain}`, dmarcValue(setup), 'Tells receivers what to do with mail that fails SPF and DKIM and where to report it (DMARC); Gmail and Yahoo require one from bulk senders.'));
  return records;
}
