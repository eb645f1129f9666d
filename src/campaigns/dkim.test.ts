import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/stores.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { fakeDns, type MailauthResolver, type Zone } from '../delivery/domains/testing.ts';
import type { PublishedRecord } from '../delivery/domains/model.ts';
import { authOf, bulkContacts, campaignsFor, createEmail, LINKED_DOCUMENT, markSending, scriptedSink, smtpTo, type ScriptedSink } from './test-kit.ts';

const require = createRequire(import.meta.url);
// mailauth is the outside judge, checking the signature against the zone as a receiver would.
const { dkimVerify } = require('mailauth/lib/dkim/verify.js') as {
  dkimVerify(message: Buffer, opts: { resolver: MailauthResolver }): Promise<{ results: Array<{ signingDomain: string; selector: string; status: { result: string } }> }>;
};

describe.each(DIALECTS)('campaign DKIM from the brand’s sending domain on %s', (dialect) => {
  let t: TestApp;
  let sink: ScriptedSink;
  const zone: Zone = { 'amazonses.com': { TXT: [['v=spf1 ip4:54.240.0.0/18 -all']] } };
  const dns = fakeDns(zone);

  beforeAll(async () => {
    t = await createTestApp(dialect, { TIDINGS_PUBLIC_URL: 'https://mail.tidings-demo.com' }, { delivery: { dnsResolver: dns } });
    sink = await scriptedSink();
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  async function sendOne(prefix: string): Promise<Buffer> {
    const campaigns = campaignsFor(t, smtpTo(sink.port));
    const { tagId } = await bulkContacts(t, 1, prefix);
    const emailId = await createEmail(t, { document: LINKED_DOCUMENT, fromEmail: 'news@acme.test' });
    const c = await campaigns.create(await authOf(t), { name: prefix, emailId, audience: { tagIds: [tagId] } });
    await markSending(t, c.id);
    expect(await campaigns.fanOut(c.id)).toBe('done');
    await campaigns.dispatcher.drain();
    const got = sink.received.find((m) => m.to === `${prefix}0@example.com`);
    expect(got).toBeDefined();
    return Buffer.from(got!.raw);
  }

  it('signs with the verified domain’s own key, and not before its DKIM record is found', async () => {
    const created = await t.api('POST', '/api/v1/domains', { domain: 'acme.test', provider: 'ses', region: 'eu-west-1' });
    expect(created.status).toBe(201);
    expect(await sendOne('unverified')).not.toContain('DKIM-Signature');

    for (const r of created.body.records as PublishedRecord[]) if (r.type === 'TXT') (zone[r.name] ??= {}).TXT = [r.txtStrings!];
    expect((await t.api('POST', `/api/v1/domains/${created.body.id}/verify`)).status).toBe(200);
    const raw = await sendOne('verified');
    const verdicts = (await dkimVerify(raw, { resolver: dns.mailauth })).results.map((r) => [r.signingDomain, r.selector, r.status.result]);
    expect(verdicts).toEqual([['acme.test', created.body.selector, 'pass']]);
  });
});
