import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers/app.ts';
import { mapLimit } from '../shared/concurrency.ts';
import { sentCampaign } from './testing.ts';

const SERVER = new URL('../../test/helpers/tracking-server.ts', import.meta.url).pathname;
const SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

/** Starts the server process and resolves with its first line of output (JSON) and the process. */
function start(file: string, ...args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER, file, SECRET, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = new Promise<Record<string, unknown>>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
    child.once('exit', (code) => reject(new Error(`the server exited with ${code} before it said anything`)));
  });
  return { child, first };
}

describe('tracking inbox after a kill -9 (SQLite)', () => {
  it('loses no answered open and writes none twice when the process is killed mid-storm and started again', async () => {
    const t = await createTestApp('sqlite');
    const c = await sentCampaign(t.ctx, t.brandId, { contacts: 300 });
    const file = t.ctx.store.sqlite!.name;
    await t.close();

    const { child, first } = start(file);
    const { port } = (await first) as { port: number };
    const answered = new Set<string>();
    let killed = false;
    const open = async (m: (typeof c.messages)[number]) => {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/t/o/${m.token}`, { headers: { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0) Thunderbird/128.0' } });
        await res.arrayBuffer();
        if (res.status === 200 && !killed) answered.add(m.id);
      } catch {
        // the connection died with the process
      }
    };
    // A few opens first, and time for the writer thread to start: the kill then meets it at work.
    await mapLimit(c.messages.slice(0, 20), 4, open);
    await new Promise((r) => setTimeout(r, 1_500));
    await mapLimit(c.messages.slice(20).map((m, i) => ({ m, i })), 24, async ({ m, i }) => {
      if (killed) return;
      // Killed in the middle of the storm: requests in flight fail, answered ones must all survive.
      if (i === 200) {
        killed = true;
        child.kill('SIGKILL');
        return;
      }
      await open(m);
    });
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
    expect(answered.size).toBeGreaterThan(100);

    const again = start(file, '--settle');
    const settled = (await again.first) as { settled: boolean; replayed: number };
    expect(settled.settled).toBe(true);

    const Database = (await import('better-sqlite3')).default;
    const db = new Database(file, { readonly: true });
    const opens = db.prepare("select message_id, count(*) as n from events where type = 'opened' and campaign_id = ? group by message_id").all(c.campaignId) as Array<{ message_id: string; n: number }>;
    db.close();
    const written = new Map(opens.map((o) => [o.message_id, o.n]));
    expect([...answered].filter((id) => !written.has(id))).toEqual([]); // none lost
    expect(opens.filter((o) => o.n > 1)).toEqual([]); // none twice
    console.log(`kill -9: ${answered.size} opens answered, ${opens.length} written, ${settled.replayed} of them from the inbox on restart`);
  }, 60_000);
});
