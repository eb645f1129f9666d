import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { DIALECTS } from '../../../test/helpers/stores.ts';
import { newId } from '../../shared/ids.ts';
import { toJson } from '../../shared/json.ts';
import { secondBrand } from '../settings/testing.ts';
import type { PublishedRecord } from './model.ts';
import { fakeDns, type MailauthResolver, type Zone } from './testing.ts';

// mailauth is the outside judge: a message signed with the key dkimFor hands out must verify against the published record.
const require = createRequire(import.meta.url);
// signTime is required: without it mailauth 4.9.5 reads the clock twice, once for the t= it signs and once for
// the t= it writes, so a signature made across a second boundary carries a t= one higher and fails as "bad signature".
const { dkimSign } = require('mailauth/lib/dkim/sign.js') as {
  dkimSign(message: Buffer, opts: { signTime: Date; signatureData: Array<{ signingDomain: string; selector: string; privateKey: string }> }): Promise<{ signatures: string }>;
};
const { dkimVerify } = require('mailauth/lib/dkim/verify.js') as {
  dkimVerify(message: Buffer, opts: { resolver: MailauthResolver }): Promise<{ results: Array<{ status: { result: string } }> }>;
};

const SES_SPF: Zone = { 'amazonses.com': { TXT: [['v=spf1 ip4:54.240.0.0/18 -all']] } };

/** Publishes records as a user following the setup screen would. */
function publish(zone: Zone, records: PublishedRecord[]): void {
  for (const r of records) {
    const entry = (zone[r.name] ??= {});
    if (r.type === 'TXT') entry.TXT = [...(entry.TXT ?? []), r.txtStrings!];
    if (r.type === 'MX') entry.MX = [{ exchange: r.value, priority: r.priority! }];
    if (r.type === 'CNAME') entry.CNAME = [r.value];
  }
}

describe.each(DIALECTS)('sending domains (%s)', (dialect) => {
  let t: TestApp;
  const zone: Zone = { ...SES_SPF };
  const dns = fakeDns(zone);

  beforeAll(async () => {
    t = await createTestApp(dialect, {}, { delivery: { dnsResolver: dns } });
    t.clock.set('2026-03-15T12:00:00Z');
  });
  afterAll(async () => {
    await t?.close();
  });

  let domain: { id: string; records: PublishedRecord[]; publicKey: string; selector: string };

  it('adds a domain: a DKIM key pair and the records to publish, the private key sealed and never shown', async () => {
    const created = await t.api('POST', '/api/v1/domains', { domain: 'Acme.test', provider: 'ses', region: 'eu-west-1', dmarcReportTo: 'dmarc@acme.test' });
    expect(created.status).toBe(201);
    domain = created.body;
    expect(created.body).toMatchObject({ domain: 'acme.test', selector: 'td202603', provider: 'ses', region: 'eu-west-1', status: 'unverified', lastCheckedAt: null, dmarcReportTo: 'dmarc@acme.test' });
    expect(created.body.records.map((r: PublishedRecord) => [r.purpose, r.type, r.name, r.status])).toEqual([
      ['dkim', 'TXT', 'td202603._domainkey.acme.test', 'unchecked'],
      ['spf', 'TXT', 'bounce.acme.test', 'unchecked'],
      ['return-path', 'MX', 'bounce.acme.test', 'unchecked'],
      ['dmarc', 'TXT', '_dmarc.acme.test', 'unchecked'],
    ]);
    expect(JSON.stringify(created.body)).not.toContain('PRIVATE KEY');
    const row = await t.ctx.store.db.selectFrom('sending_domains').select('private_key').where('id', '=', domain.id).executeTakeFirstOrThrow();
    expect(row.private_key).toMatch(/^v1\./);
    expect((await t.api('GET', '/api/v1/domains')).body.data.map((d: { domain: string }) => d.domain)).toEqual(['acme.test']);
  });

  it('names bad fields and refuses the same domain twice', async () => {
    const bad = await t.api('POST', '/api/v1/domains', { domain: 'not a domain', provider: 'ses' });
    expect(bad.body.error.details.issues).toEqual([{ field: 'domain', message: 'must be a domain name such as mail.example.com' }]);
    expect((await t.api('POST', '/api/v1/domains', { domain: 'x.test', provider: 'smtp' })).body.error.message).toMatch(/^spf: the smtp provider needs/);
    expect((await t.api('POST', '/api/v1/domains', { provider: 'ses' })).body.error.message).toBe('domain: is required');
    expect((await t.api('POST', '/api/v1/domains', { domain: 'x.test', provider: 'sparkpost' })).body.error.message).toBe('provider: must be one of smtp, ses, resend, sendgrid, mailgun, postmark');
    const again = await t.api('POST', '/api/v1/domains', { domain: 'acme.test', provider: 'ses' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('acme.test is already a sending domain of this brand');
  });

  it('signs nothing before the DKIM record is verified', async () => {
    expect(await t.ctx.domains.dkimFor(t.brandId, 'acme.test')).toBeNull();
  });

  it('verifies nothing published as not started, then partial, then ready, with a status per record', async () => {
    const none = await t.api('POST', `/api/v1/domains/${domain.id}/verify`);
    expect(none.body).toMatchObject({ status: 'not-started', lastCheckedAt: '2026-03-15T12:00:00.000Z' });
    expect(none.body.records.map((r: PublishedRecord) => r.status)).toEqual(['missing', 'missing', 'missing', 'missing']);
    expect(none.body.nextSteps[0]).toMatch(/^Publish DKIM \(TXT td202603\._domainkey\.acme\.test\)/);

    publish(zone, domain.records.filter((r) => r.purpose !== 'dmarc'));
    const partial = await t.api('POST', `/api/v1/domains/${domain.id}/verify`);
    expect(partial.body.status).toBe('partial');
    expect(partial.body.records.map((r: PublishedRecord) => [r.purpose, r.status])).toEqual([
      ['dkim', 'ok'],
      ['spf', 'ok'],
      ['return-path', 'ok'],
      ['dmarc', 'missing'],
    ]);

    publish(zone, domain.records.filter((r) => r.purpose === 'dmarc'));
    const ready = await t.api('POST', `/api/v1/domains/${domain.id}/verify`);
    expect(ready.body).toMatchObject({ status: 'ready', nextSteps: [] });
    expect((await t.api('GET', `/api/v1/domains/${domain.id}`)).body.status).toBe('ready');
  });

  it('hands the send path a key that verifies against the published record, for the domain and its subdomains', async () => {
    const key = await t.ctx.domains.dkimFor(t.brandId, 'acme.test');
    expect(key).toMatchObject({ domain: 'acme.test', selector: 'td202603', privateKey: expect.stringContaining('BEGIN PRIVATE KEY') });
    expect(crypto.createPublicKey(key!.privateKey).export({ type: 'spki', format: 'der' }).toString('base64')).toBe(domain.publicKey);
    expect(await t.ctx.domains.dkimFor(t.brandId, 'News.Acme.test')).toEqual(key);
    expect(await t.ctx.domains.dkimFor(t.brandId, 'other.test')).toBeNull();

    const message = Buffer.from('From: hello@acme.test\r\nTo: ann@example.com\r\nSubject: Hello\r\nDate: Sun, 15 Mar 2026 12:00:00 +0000\r\nMessage-ID: <1@acme.test>\r\n\r\nHi Ann\r\n');
    const { signatures } = await dkimSign(message, { signTime: new Date('2026-03-15T12:00:00Z'), signatureData: [{ signingDomain: key!.domain, selector: key!.selector, privateKey: key!.privateKey }] });
    const verdict = await dkimVerify(Buffer.concat([Buffer.from(signatures), message]), { resolver: dns.mailauth });
    expect(verdict.results.map((r) => r.status.result)).toEqual(['pass']);
  });

  it('shows 30-day health from the outbox: hard bounces and complaints of mail from the domain, against 2 % and 0.3 %', async () => {
    const at = t.clock.now().toISOString();
    const daysAgo = (n: number) => new Date(t.clock.now().getTime() - n * 86_400_000).toISOString();
    const campaign = async (fromEmail: string | null) => {
      const id = newId('cmp');
      await t.ctx.store.db.insertInto('campaigns').values({ id, brand_id: t.brandId, name: id, from_email: fromEmail, audience: toJson({}), status: 'sent', created_at: at, updated_at: at }).execute();
      return id;
    };
    const fromAcme = await campaign('news@ACME.test');
    const brandDefault = await campaign(null); // the brand's From address is hello@acme.test
    const fromElsewhere = await campaign('hello@elsewhere.test');
    const rows = [
      ...Array.from({ length: 60 }, (_, i) => ({ campaign: fromAcme, sentAt: daysAgo(1), hard: i < 2, complained: false })),
      ...Array.from({ length: 40 }, (_, i) => ({ campaign: brandDefault, sentAt: daysAgo(10), hard: i === 0, complained: i === 1 })),
      ...Array.from({ length: 50 }, () => ({ campaign: fromElsewhere, sentAt: daysAgo(1), hard: true, complained: true })),
      ...Array.from({ length: 50 }, () => ({ campaign: fromAcme, sentAt: daysAgo(31), hard: true, complained: true })),
    ];
    await t.ctx.store.db
      .insertInto('messages')
      .values(
        rows.map((r) => {
          const id = newId('msg');
          return {
            id,
            brand_id: t.brandId,
            dedupe_key: `${r.campaign}:${id}`,
            campaign_id: r.campaign,
            contact_id: 'ctc_x',
            email: 'x@example.com',
            status: 'sent' as const,
            due_at: r.sentAt,
            sent_at: r.sentAt,
            bounced_at: r.hard ? r.sentAt : null,
            bounce_class: r.hard ? ('hard' as const) : null,
            complained_at: r.complained ? r.sentAt : null,
            created_at: at,
            updated_at: at,
          };
        }),
      )
      .execute();

    const { health } = (await t.api('GET', `/api/v1/domains/${domain.id}`)).body;
    expect(health).toEqual({
      windowDays: 30,
      sent: 100,
      bounced: 3,
      hardBounced: 3,
      complained: 1,
      hardBounceRate: 0.03,
      complaintRate: 0.01,
      thresholds: { hardBounceRate: 0.02, complaintRate: 0.003 },
      status: 'critical',
    });
  });

  it("keeps brands apart and deletes the domain with its key", async () => {
    const other = await secondBrand(t);
    expect((await other.api('GET', `/api/v1/domains/${domain.id}`)).status).toBe(404);
    expect((await other.api('POST', `/api/v1/domains/${domain.id}/verify`)).status).toBe(404);
    expect(await t.ctx.domains.dkimFor(other.brandId, 'acme.test')).toBeNull();
    expect((await other.api('POST', '/api/v1/domains', { domain: 'acme.test', provider: 'postmark' })).status).toBe(201);

    expect((await t.api('DELETE', `/api/v1/domains/${domain.id}`)).status).toBe(204);
    expect((await t.api('GET', `/api/v1/domains/${domain.id}`)).status).toBe(404);
    expect(await t.ctx.domains.dkimFor(t.brandId, 'acme.test')).toBeNull();
  });
});
