import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { HitInbox, inboxFileOf } from './inbox.ts';
import type { Hit } from './recorder.ts';
import { sentCampaign, type FixtureCampaign } from './testing.ts';
import { signMessage } from './tokens.ts';
import { HitWriter } from './writer.ts';

const log = pino({ level: 'silent' });
/** The process's own priority, before any writer thread lowers its own. */
const startingPriority = os.getPriority();
/** Field `n` of a thread's /proc/self/task/<tid>/stat (fields counted from 1, the parenthesised name being the 2nd). */
const statOf = (tid: number | string, n: number) => Number(fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[n - 3]);
const statOfThreads = (n: number) => fs.readdirSync('/proc/self/task').map((tid) => statOf(tid, n));
const NICE = 19;
const POLICY = 41;
const SCHED_IDLE = 5;
/** The main thread's scheduling policy, before any writer thread changes its own. */
const startingPolicy = process.platform === 'linux' ? statOf(process.pid, POLICY) : null;
const hasChrt = spawnSync('chrt', ['--version'], { stdio: 'ignore' }).status === 0;
const openOf = (m: { id: string; contactId: string }): Hit => ({ kind: 'opened', messageId: m.id, contactId: m.contactId, at: new Date(), signal: { method: 'GET', userAgent: null, ip: null } });

describe('the tracking inbox and its writer thread (SQLite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => {
    await t?.close();
  });

  const store = () => ({ db: t.ctx.store.db, sqlite: t.ctx.store.sqlite! });
  const inboxFile = () => inboxFileOf(t.ctx.store.sqlite!.name);
  const opened = async (c: FixtureCampaign) =>
    (await t.ctx.store.db.selectFrom('events').select('message_id').where('type', '=', 'opened').where('campaign_id', '=', c.campaignId).execute()).map((e) => e.message_id).sort();
  const ids = (c: FixtureCampaign) => c.messages.map((m) => m.id).sort();

  it('answers once the open is in the inbox; the thread writes it, and settled() waits for that', async () => {
    const c = await sentCampaign(t.ctx, t.brandId, { contacts: 1 });
    expect((await t.app.inject({ method: 'GET', url: `/t/o/${c.messages[0].token}` })).statusCode).toBe(200);
    await t.ctx.tracking.settled();
    const row = await t.ctx.store.db.selectFrom('messages').select('opened_at').where('id', '=', c.messages[0].id).executeTakeFirstOrThrow();
    expect(row.opened_at).toBe(t.clock.now().toISOString());
    // Written by the thread, which is still there for the next one (it sleeps between appends).
    await new Promise((r) => setTimeout(r, 200));
    expect((t.ctx.tracking as unknown as { writer: HitWriter }).writer.writingOnMainThread).toBe(false);
    // Its work yields to answering: on Linux the thread runs only on idle cores (nice 10 without chrt), and only it does.
    if (process.platform === 'linux') {
      if (hasChrt) expect(statOfThreads(POLICY)).toContain(SCHED_IDLE);
      else expect(statOfThreads(NICE)).toContain(10);
      expect(statOf(process.pid, POLICY)).toBe(startingPolicy);
      expect(os.getPriority()).toBe(startingPriority);
    }
  });

  it('answers opens before their tokens are checked; the thread writes the genuine ones and skips the rest', async () => {
    const c = await sentCampaign(t.ctx, t.brandId, { contacts: 3 });
    const [genuine, other, third] = c.messages;
    const [body, mac] = genuine.token.split('.');
    const flipped = `${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    const preview = signMessage(t.ctx.secret, { messageId: '', contactId: genuine.contactId, sourceId: c.campaignId, emailId: 'eml_x', version: 1 });
    const claimsOfOther = Buffer.from(other.token.split('.')[0], 'base64url').toString();
    const forged = `${Buffer.from(claimsOfOther).toString('base64url')}.${flipped}`;
    const before = new HitInbox(inboxFile()).last();
    for (const token of [genuine.token, `${body}.${flipped}`, forged, preview, 'not-a-token', third.token]) {
      expect((await t.app.inject({ method: 'GET', url: `/t/o/${token}` })).statusCode).toBe(200);
    }
    await t.ctx.tracking.settled();
    expect(await opened(c)).toEqual([genuine.id, third.id].sort());
    // The inbox held the four tokens of the right shape as they came, unchecked; the malformed one never went in.
    const lines = new HitInbox(inboxFile()).read(before, 100).map((e) => e.hit!);
    expect(lines.map((h) => h.token)).toEqual([genuine.token, `${body}.${flipped}`, forged, preview, third.token]);
    expect(lines.every((h) => h.messageId === '')).toBe(true);
  });

  it('writes, exactly once, the hits a killed process appended but never wrote, when the next one starts', async () => {
    const c = await sentCampaign(t.ctx, t.brandId, { contacts: 3 });
    const killed = new HitInbox(inboxFile());
    killed.append(c.messages.map(openOf));
    killed.close();

    const next = new HitWriter(store(), log, t.ctx.secret);
    await next.flush();
    await next.close();
    expect(await opened(c)).toEqual(ids(c));

    // Another start (and the service's own writer, on the same file) finds nothing left to write.
    const again = new HitWriter(store(), log, t.ctx.secret);
    await again.flush();
    await again.close();
    await t.ctx.tracking.settled();
    expect(await opened(c)).toEqual(ids(c));
  });

  it('keeps writing from the main thread when the thread dies, without writing a hit twice', async () => {
    const c = await sentCampaign(t.ctx, t.brandId, { contacts: 4 });
    const writer = new HitWriter(store(), log, t.ctx.secret);
    await writer.record(c.messages.slice(0, 2).map(openOf));
    await writer.flush();
    expect(writer.writingOnMainThread).toBe(false);
    await (writer as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    expect(writer.writingOnMainThread).toBe(true);
    // The main thread checks the tokens of opens answered unchecked as the thread did.
    const unchecked = c.messages.slice(2).map((m): Hit => ({ ...openOf(m), messageId: '', contactId: null, token: m.token }));
    await writer.record([...unchecked, { ...unchecked[0], token: `${unchecked[0].token!.slice(0, -1)}${unchecked[0].token!.endsWith('A') ? 'B' : 'A'}` }]);
    await writer.flush();
    await writer.close();
    expect(await opened(c)).toEqual(ids(c));
  });

  it('drops a hit it cannot read, reports it, and writes the ones behind it', async () => {
    const c = await sentCampaign(t.ctx, t.brandId, { contacts: 1 });
    // A line that is not a hit, at the end of the newest segment (as a bug or a bad disk might leave it).
    const segments = fs.readdirSync(inboxFile()).filter((f) => f.endsWith('.jsonl')).sort();
    fs.appendFileSync(path.join(inboxFile(), segments.at(-1)!), '{"kind":"opened","messageId":\n');
    const errors: unknown[] = [];
    const writer = new HitWriter(store(), pino({ level: 'error' }, { write: (line: string) => void errors.push(JSON.parse(line)) }), t.ctx.secret);
    await writer.record(c.messages.map(openOf));
    await writer.flush();
    await writer.close();
    expect(await opened(c)).toEqual(ids(c));
    expect(errors).toEqual([expect.objectContaining({ msg: 'tracking event could not be recorded' })]);
  });

  it('when the inbox cannot be written, rejects, reports itself failed, and the service writes on the main thread', async () => {
    const unopenable = () => new HitWriter({ db: t.ctx.store.db, sqlite: { name: '/dev/null/not-a-directory/tidings.db' } as Database.Database }, log, t.ctx.secret);
    const broken = unopenable();
    await expect(broken.record([openOf({ id: 'msg_x', contactId: 'ctc_x' })])).rejects.toThrow(/ENOTDIR|not a directory/i);
    expect(broken.failed).toBe(true);

    (t.ctx.tracking as unknown as { writer: HitWriter }).writer = unopenable();
    const c = await sentCampaign(t.ctx, t.brandId, { contacts: 2 });
    for (const m of c.messages) expect((await t.app.inject({ method: 'GET', url: `/t/o/${m.token}` })).statusCode).toBe(200);
    expect(await opened(c)).toEqual(ids(c));
  });
});
