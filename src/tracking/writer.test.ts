import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { sentCampaign } from './testing.ts';
import { HitWriter } from './writer.ts';

const hit = { kind: 'opened' as const, messageId: 'msg_x', contactId: 'ctc_x', at: new Date(), signal: { method: 'GET', userAgent: null, ip: null } };
const unopenable = () => new HitWriter('/nonexistent-dir/for-sure/tidings.db');

describe('the tracking writer thread (SQLite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('rejects the waiting batch and reports itself failed when its thread cannot run', async () => {
    const writer = unopenable();
    await expect(writer.record([hit])).rejects.toThrow(/unable to open database file|directory does not exist/i);
    expect(writer.failed).toBe(true);
    await writer.close();
  });

  it('writes opens from its own connection, visible to the app as soon as the pixel is answered', async () => {
    const c = await sentCampaign(t.ctx, t.brandId, { contacts: 1 });
    expect((await t.app.inject({ method: 'GET', url: `/t/o/${c.messages[0].token}` })).statusCode).toBe(200);
    const row = await t.ctx.store.db.selectFrom('messages').select('opened_at').where('id', '=', c.messages[0].id).executeTakeFirstOrThrow();
    expect(row.opened_at).toBe(t.clock.now().toISOString());
  });

  it('loses no open when the thread fails: that batch and the ones after are written on the main thread', async () => {
    // The service's own writer, swapped for one whose thread cannot open the file.
    (t.ctx.tracking as unknown as { writer: HitWriter }).writer = unopenable();
    const c = await sentCampaign(t.ctx, t.brandId, { contacts: 2 });
    for (const m of c.messages) expect((await t.app.inject({ method: 'GET', url: `/t/o/${m.token}` })).statusCode).toBe(200);
    const opens = await t.ctx.store.db.selectFrom('events').select('message_id').where('type', '=', 'opened').where('campaign_id', '=', c.campaignId).execute();
    expect(opens.map((e) => e.message_id).sort()).toEqual(c.messages.map((m) => m.id).sort());
  });
});
