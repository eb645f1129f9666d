import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/errors.ts';
import { parseDomainSetup, type DomainSetup, type DomainSetupInput, type RecordCheck } from './model.ts';
import { buildDomainRecords, generateDkimKeyPair, mergeSpf, splitTxt } from './records.ts';
import { fakeDns, type MailauthResolver, type Zone } from './testing.ts';
import { verifyDomain } from './verify.ts';

// mailauth ships no type declarations; it is the outside judge of the records we generate.
const require = createRequire(import.meta.url);
// signTime is required: without it mailauth 4.9.5 reads the clock twice, once for the t= it signs and once for
// the t= it writes, so a signature made across a second boundary carries a t= one higher and fails as "bad signature".
const { dkimSign } = require('mailauth/lib/dkim/sign.js') as {
  dkimSign(message: Buffer, opts: { signTime: Date; signatureData: Array<{ signingDomain: string; selector: string; privateKey: string }> }): Promise<{ signatures: string }>;
};
const { dkimVerify } = require('mailauth/lib/dkim/verify.js') as {
  dkimVerify(message: Buffer, opts: { resolver: MailauthResolver }): Promise<{ results: Array<{ status: { result: string } }> }>;
};
const { spf } = require('mailauth/lib/spf/index.js') as {
  spf(opts: { sender: string; ip: string; helo: string; mta: string; resolver: MailauthResolver }): Promise<{ status: { result: string }; lookups?: { count: number } }>;
};

const AMAZONSES: Zone = { 'amazonses.com': { TXT: [['v=spf1 ip4:199.255.192.0/22 ip4:199.127.232.0/22 ip4:54.240.0.0/18 -all']] } };

let keys: { privateKeyPem: string; publicKey: string };
let setup: DomainSetup;
/** The zone a user who followed our instructions has published for the SES setup below. */
let complete: Zone;

beforeAll(async () => {
  keys = await generateDkimKeyPair();
  setup = parseDomainSetup({ domain: 'Acme.test', provider: 'ses', region: 'eu-west-1', dkim: { selector: 'tid1', publicKey: keys.publicKey }, dmarcReportTo: 'dmarc@acme.test' });
  complete = {
    ...AMAZONSES,
    'tid1._domainkey.acme.test': { TXT: [splitTxt(`v=DKIM1; k=rsa; p=${keys.publicKey}`)] },
    'bounce.acme.test': { TXT: [['v=spf1 include:amazonses.com ~all']], MX: [{ exchange: 'feedback-smtp.eu-west-1.amazonses.com', priority: 10 }] },
    '_dmarc.acme.test': { TXT: [['v=DMARC1; p=none; rua=mailto:dmarc@acme.test']] },
    'acme.test': { TXT: [['google-site-verification=abc123']] },
  };
});

const byPurpose = (checks: RecordCheck[], purpose: RecordCheck['purpose']) => checks.find((c) => c.purpose === purpose)!;

describe('DKIM key pair and records', () => {
  it('generates an RSA-2048 pair: a PKCS#8 PEM to sign with, a base64 SPKI for DNS', () => {
    expect(keys.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const pub = crypto.createPublicKey({ key: Buffer.from(keys.publicKey, 'base64'), format: 'der', type: 'spki' });
    expect(pub.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('builds the SES records: DKIM in 255-character strings, SPF and MX on the MAIL FROM subdomain, DMARC', () => {
    const records = buildDomainRecords(setup);
    expect(records.map((r) => [r.purpose, r.type, r.name])).toEqual([
      ['dkim', 'TXT', 'tid1._domainkey.acme.test'],
      ['spf', 'TXT', 'bounce.acme.test'],
      ['return-path', 'MX', 'bounce.acme.test'],
      ['dmarc', 'TXT', '_dmarc.acme.test'],
    ]);
    const [dkim, spfRecord, mx, dmarc] = records;
    expect(dkim.value).toBe(`v=DKIM1; k=rsa; p=${keys.publicKey}`);
    expect(dkim.txtStrings!.length).toBe(2);
    expect(dkim.txtStrings!.every((s) => s.length <= 255)).toBe(true);
    expect(dkim.txtStrings!.join('')).toBe(dkim.value);
    expect(dkim.zoneLine).toBe(`tid1._domainkey.acme.test. 3600 IN TXT "${dkim.txtStrings![0]}" "${dkim.txtStrings![1]}"`);
    expect(spfRecord.value).toBe('v=spf1 include:amazonses.com ~all');
    expect(mx).toMatchObject({ value: 'feedback-smtp.eu-west-1.amazonses.com', priority: 10, zoneLine: 'bounce.acme.test. 3600 IN MX 10 feedback-smtp.eu-west-1.amazonses.com.' });
    expect(dmarc.value).toBe('v=DMARC1; p=none; rua=mailto:dmarc@acme.test');
  });

  it('produces a DKIM record that an independent verifier (mailauth) accepts for a message signed with the private key', async () => {
    const message = Buffer.from('From: hello@acme.test\r\nTo: ann@example.com\r\nSubject: Hello\r\nDate: Thu, 01 Jan 2026 00:00:00 +0000\r\nMessage-ID: <1@acme.test>\r\n\r\nHi Ann\r\n');
    const { signatures } = await dkimSign(message, { signTime: new Date('2026-01-01T00:00:00Z'), signatureData: [{ signingDomain: 'acme.test', selector: 'tid1', privateKey: keys.privateKeyPem }] });
    const dns = fakeDns({ 'tid1._domainkey.acme.test': { TXT: [buildDomainRecords(setup)[0].txtStrings!] } });
    const verdict = await dkimVerify(Buffer.concat([Buffer.from(signatures), message]), { resolver: dns.mailauth });
    expect(verdict.results.map((r) => r.status.result)).toEqual(['pass']);
  });

  it('follows each provider: Postmark needs a return-path CNAME and no SPF; SendGrid takes the account CNAME', () => {
    const postmark = buildDomainRecords(parseDomainSetup({ domain: 'acme.test', provider: 'postmark', dkim: { selector: 'pm', publicKey: keys.publicKey } }));
    expect(postmark.map((r) => [r.purpose, r.type, r.name, r.purpose === 'dkim' ? '' : r.value])).toEqual([
      ['dkim', 'TXT', 'pm._domainkey.acme.test', ''],
      ['return-path', 'CNAME', 'pm-bounces.acme.test', 'pm.mtasv.net'],
      ['dmarc', 'TXT', '_dmarc.acme.test', 'v=DMARC1; p=none'],
    ]);
    const sendgrid = buildDomainRecords(
      parseDomainSetup({ domain: 'acme.test', provider: 'sendgrid', dkim: { selector: 's1', publicKey: keys.publicKey }, returnPath: { label: 'em1234', target: 'u1234.wl.sendgrid.net' } }),
    );
    expect(sendgrid.filter((r) => r.purpose !== 'dkim').map((r) => [r.type, r.name, r.value])).toEqual([
      ['TXT', 'acme.test', 'v=spf1 include:sendgrid.net ~all'],
      ['CNAME', 'em1234.acme.test', 'u1234.wl.sendgrid.net'],
      ['TXT', '_dmarc.acme.test', 'v=DMARC1; p=none'],
    ]);
  });

  it('names every bad field of a setup', () => {
    const bad: DomainSetupInput = { domain: 'not a domain', provider: 'smtp', dkim: { selector: 'a b', publicKey: 'bm90IGEga2V5' } };
    try {
      parseDomainSetup(bad);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).details).toEqual({
        issues: [
          { field: 'domain', message: 'must be a domain name such as mail.example.com' },
          { field: 'dkim.selector', message: 'must be one DNS label: letters, digits and hyphens' },
        ],
      });
    }
    expect(() => parseDomainSetup({ ...bad, domain: 'acme.test', dkim: { selector: 'tid1', publicKey: 'bm90IGEga2V5' } })).toThrow(/dkim\.publicKey.*\(and 1 more\)/);
    expect(() => parseDomainSetup({ domain: 'acme.test', provider: 'smtp', dkim: { selector: 'tid1', publicKey: keys.publicKey } })).toThrow(/^spf: the smtp provider needs/);
    expect(parseDomainSetup({ domain: 'acme.test', provider: 'smtp', spf: 'ip4:203.0.113.7', dkim: { selector: 'tid1', publicKey: keys.publicKey } }).spf).toBe('ip4:203.0.113.7');
  });
});

describe('mergeSpf', () => {
  it.each([
    ['v=spf1 include:_spf.google.com ~all', 'v=spf1 include:_spf.google.com include:amazonses.com ~all'],
    ['v=spf1 mx -all', 'v=spf1 mx include:amazonses.com -all'],
    ['v=spf1 a redirect=_spf.example.net', 'v=spf1 a include:amazonses.com redirect=_spf.example.net'],
    ['v=spf1 ip4:203.0.113.7', 'v=spf1 ip4:203.0.113.7 include:amazonses.com'],
    ['v=spf1 include:amazonses.com ~all', 'v=spf1 include:amazonses.com ~all'],
  ])('%s → %s', (existing, merged) => {
    expect(mergeSpf(existing, 'include:amazonses.com')).toBe(merged);
  });
});

describe('verifyDomain against a fake resolver', () => {
  it('reports ready when every record is in place', async () => {
    const report = await verifyDomain(setup, fakeDns(complete));
    expect(report.checks.map((c) => [c.purpose, c.status])).toEqual([
      ['dkim', 'ok'],
      ['spf', 'ok'],
      ['return-path', 'ok'],
      ['dmarc', 'ok'],
    ]);
    expect(report).toMatchObject({ domain: 'acme.test', health: 'ready', nextSteps: [] });
  });

  it('agrees with mailauth that the published SPF passes for an SES address', async () => {
    const dns = fakeDns(complete);
    const verdict = await spf({ sender: 'bounce@bounce.acme.test', ip: '54.240.8.1', helo: 'a8-1.smtp-out.amazonses.com', mta: 'mx.example.com', resolver: dns.mailauth });
    expect(verdict.status.result).toBe('pass');
  });

  it('reports not started, with what to publish, when nothing is published', async () => {
    const report = await verifyDomain(setup, fakeDns(AMAZONSES));
    expect(report.health).toBe('not-started');
    expect(report.checks.every((c) => c.status === 'missing')).toBe(true);
    expect(report.nextSteps[0]).toBe(`Publish DKIM (TXT tid1._domainkey.acme.test): v=DKIM1; k=rsa; p=${keys.publicKey}`);
    expect(report.nextSteps).toContain('Publish RETURN-PATH (MX bounce.acme.test): feedback-smtp.eu-west-1.amazonses.com');
  });

  it('reports a missing DKIM record as partial health', async () => {
    const { 'tid1._domainkey.acme.test': _dkim, ...rest } = complete;
    const report = await verifyDomain(setup, fakeDns(rest));
    expect(byPurpose(report.checks, 'dkim').status).toBe('missing');
    expect(report.health).toBe('partial');
    expect(report.nextSteps).toHaveLength(1);
  });

  it('shows what was found when the DKIM key is another key', async () => {
    const other = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const report = await verifyDomain(setup, fakeDns({ ...complete, 'tid1._domainkey.acme.test': { TXT: [[`v=DKIM1; k=rsa; p=${other}`]] } }));
    const dkim = byPurpose(report.checks, 'dkim');
    expect(dkim).toMatchObject({ status: 'mismatch', found: [`v=DKIM1; k=rsa; p=${other}`], suggested: `v=DKIM1; k=rsa; p=${keys.publicKey}` });
    expect(dkim.problems[0]).toContain('not the key Tidings signs with');
    expect(report.health).toBe('partial');
  });

  it('flags two SPF records and proposes one merged record', async () => {
    const bounce = { ...complete['bounce.acme.test'], TXT: [['v=spf1 include:amazonses.com ~all'], ['v=spf1 include:_spf.google.com -all']] };
    const spfCheck = byPurpose((await verifyDomain(setup, fakeDns({ ...complete, 'bounce.acme.test': bounce }))).checks, 'spf');
    expect(spfCheck).toMatchObject({ status: 'mismatch', found: ['v=spf1 include:amazonses.com ~all', 'v=spf1 include:_spf.google.com -all'], suggested: 'v=spf1 include:amazonses.com include:_spf.google.com ~all' });
    expect(spfCheck.problems[0]).toContain('2 SPF records');
  });

  it('proposes adding our include to an SPF record that lacks it', async () => {
    const bounce = { ...complete['bounce.acme.test'], TXT: [['v=spf1 include:_spf.google.com ~all']] };
    const zone = { ...complete, 'bounce.acme.test': bounce, '_spf.google.com': { TXT: [['v=spf1 ip4:35.190.247.0/24 ~all']] } };
    const spfCheck = byPurpose((await verifyDomain(setup, fakeDns(zone))).checks, 'spf');
    expect(spfCheck).toMatchObject({ status: 'mismatch', suggested: 'v=spf1 include:_spf.google.com include:amazonses.com ~all' });
  });

  it('accepts our include reached through a nested include', async () => {
    const zone = { ...complete, 'bounce.acme.test': { ...complete['bounce.acme.test'], TXT: [['v=spf1 include:_spf.acme.test -all']] }, '_spf.acme.test': { TXT: [['v=spf1 include:amazonses.com -all']] } };
    expect(byPurpose((await verifyDomain(setup, fakeDns(zone))).checks, 'spf').status).toBe('ok');
  });

  it('counts DNS lookups through nested includes and refuses more than 10, as mailauth does', async () => {
    const netblocks = Object.fromEntries(['1', '2', '3', '4'].map((n) => [`_netblocks${n}.big.test`, { TXT: [[`v=spf1 ip4:192.0.${n}.0/24 ~all`]] }]));
    const zone: Zone = {
      ...complete,
      ...netblocks,
      // 1 (amazonses) + 1 (_spf.big.test) + 4 netblocks + 1 (crm.test) + 1 (a) + 1 (mx) + 1 (mail.crm.test) + 1 (exists) = 11
      'bounce.acme.test': { ...complete['bounce.acme.test'], TXT: [['v=spf1 include:amazonses.com include:_spf.big.test include:crm.test ~all']] },
      '_spf.big.test': { TXT: [['v=spf1 include:_netblocks1.big.test include:_netblocks2.big.test include:_netblocks3.big.test include:_netblocks4.big.test ~all']] },
      'crm.test': { TXT: [['v=spf1 a mx include:mail.crm.test exists:%{i}._spf.crm.test ~all']] },
      'mail.crm.test': { TXT: [['v=spf1 ip4:198.51.100.0/24 -all']] },
    };
    const spfCheck = byPurpose((await verifyDomain(setup, fakeDns(zone))).checks, 'spf');
    expect(spfCheck.status).toBe('mismatch');
    expect(spfCheck.problems).toEqual([expect.stringContaining('SPF needs 11 DNS lookups, over the limit of 10')]);
    const judged = await spf({ sender: 'bounce@bounce.acme.test', ip: '203.0.113.99', helo: 'x.test', mta: 'mx.example.com', resolver: fakeDns(zone).mailauth });
    expect(judged.status.result).toBe('permerror');
    expect(judged.lookups?.count).toBe(11);
  });

  it('stops on include loops and reports includes without an SPF record', async () => {
    const zone = {
      ...complete,
      'bounce.acme.test': { ...complete['bounce.acme.test'], TXT: [['v=spf1 include:amazonses.com include:loop-a.test include:gone.test ~all']] },
      'loop-a.test': { TXT: [['v=spf1 include:loop-b.test ~all']] },
      'loop-b.test': { TXT: [['v=spf1 include:loop-a.test ~all']] },
    };
    const spfCheck = byPurpose((await verifyDomain(setup, fakeDns(zone))).checks, 'spf');
    expect(spfCheck.problems).toEqual(['include gone.test has no SPF records; receivers fail SPF with permerror']);
  });

  it('warns about pct, rf and ri (removed in RFC 9989) but accepts the policy', async () => {
    const zone = { ...complete, '_dmarc.acme.test': { TXT: [['v=DMARC1; p=quarantine; pct=50; rf=afrf; ri=86400; rua=mailto:dmarc@acme.test']] } };
    const report = await verifyDomain(setup, fakeDns(zone));
    const dmarc = byPurpose(report.checks, 'dmarc');
    expect(dmarc.status).toBe('ok');
    expect(dmarc.warnings).toEqual([expect.stringMatching(/^pct= was removed in RFC 9989/), expect.stringMatching(/^rf= was removed/), expect.stringMatching(/^ri= was removed/)]);
    expect(report.health).toBe('ready');
    expect(report.nextSteps).toHaveLength(3);
  });

  it('rejects a DMARC record without a valid policy, and two records', async () => {
    const bad = await verifyDomain(setup, fakeDns({ ...complete, '_dmarc.acme.test': { TXT: [['v=DMARC1; p=monitor; rua=mailto:dmarc@acme.test']] } }));
    expect(byPurpose(bad.checks, 'dmarc')).toMatchObject({ status: 'mismatch', problems: ['p=monitor is not a policy: use none, quarantine or reject'] });
    const two = await verifyDomain(setup, fakeDns({ ...complete, '_dmarc.acme.test': { TXT: [['v=DMARC1; p=none'], ['v=DMARC1; p=reject']] } }));
    expect(byPurpose(two.checks, 'dmarc').problems[0]).toContain('2 DMARC records');
  });

  it('finds the parent domain policy for a subdomain (DNS tree walk)', async () => {
    const sub = { ...setup, domain: 'news.acme.test' };
    const zone: Zone = {
      ...AMAZONSES,
      'tid1._domainkey.news.acme.test': { TXT: [splitTxt(`v=DKIM1; k=rsa; p=${keys.publicKey}`)] },
      'bounce.news.acme.test': complete['bounce.acme.test'],
      '_dmarc.acme.test': { TXT: [['v=DMARC1; p=reject; rua=mailto:dmarc@acme.test']] },
    };
    const dmarc = byPurpose((await verifyDomain(sub, fakeDns(zone))).checks, 'dmarc');
    expect(dmarc).toMatchObject({ status: 'ok', name: '_dmarc.acme.test', warnings: ['no record at _dmarc.news.acme.test: the policy of _dmarc.acme.test applies (its sp= if set)'] });
  });

  it('separates a failed lookup from a missing record', async () => {
    const report = await verifyDomain(setup, fakeDns({ ...complete, 'tid1._domainkey.acme.test': { fail: 'ESERVFAIL' } }));
    expect(byPurpose(report.checks, 'dkim')).toMatchObject({ status: 'error', problems: [expect.stringContaining('ESERVFAIL')] });
    expect(report.health).toBe('partial');
    expect(report.nextSteps[0]).toMatch(/^Check DKIM \(TXT tid1\._domainkey\.acme\.test\) again later/);
  });

  it('checks the return path target', async () => {
    const zone = { ...complete, 'bounce.acme.test': { ...complete['bounce.acme.test'], MX: [{ exchange: 'mx.other.test', priority: 10 }] } };
    expect(byPurpose((await verifyDomain(setup, fakeDns(zone))).checks, 'return-path')).toMatchObject({ status: 'mismatch', found: ['mx.other.test'] });
    const postmark = parseDomainSetup({ domain: 'acme.test', provider: 'postmark', dkim: { selector: 'pm', publicKey: keys.publicKey } });
    const cname = await verifyDomain(postmark, fakeDns({ 'pm-bounces.acme.test': { CNAME: ['PM.MTASV.NET.'] } }));
    expect(byPurpose(cname.checks, 'return-path').status).toBe('ok');
  });
});
