import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HitInbox } from './inbox.ts';
import type { Hit } from './recorder.ts';

const hit = (n: number): Hit => ({
  kind: n % 2 ? 'clicked' : 'opened',
  messageId: `msg_${n}`,
  contactId: `ctc_${n}`,
  at: new Date(Date.UTC(2026, 4, 1, 9, 0, 0, n)),
  signal: { method: 'GET', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', ip: '203.0.113.7' },
  ...(n % 2 ? { link: n, url: `https://shop.example/${n}` } : {}),
  ...(n % 3 === 0 ? { provider: { name: 'sendgrid', machine: n % 2 === 0 } } : {}),
  // An open answered before its token was checked.
  ...(n === 4 ? { messageId: '', contactId: null, token: 'bXNnXzQKY3RjXzQ.AAAAAAAAAAAAAAAAAAAAAA' } : {}),
});

describe('the tracking inbox (files)', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-inbox-'));
    dirs.push(dir);
    return new HitInbox(path.join(dir, 'inbox'));
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads back what was appended, in order, a limit at a time from where the last read ended', () => {
    const inbox = fresh();
    const hits = Array.from({ length: 7 }, (_, n) => hit(n));
    inbox.append(hits.slice(0, 3));
    inbox.append(hits.slice(3));
    const read: Hit[] = [];
    let after = 0;
    for (let entries = inbox.read(after, 3); entries.length > 0; entries = inbox.read(after, 3)) {
      read.push(...entries.map((e) => e.hit!));
      after = entries.at(-1)!.seq;
    }
    expect(read).toEqual(hits);
    expect(after).toBe(inbox.last());
  });

  it('reads the lines of an older inbox, whose times are ISO strings', () => {
    const inbox = fresh();
    inbox.append([hit(1)]);
    const older = { ...hit(2), at: hit(2).at.toISOString() };
    fs.appendFileSync(path.join(inbox.dir, '000001.jsonl'), `${JSON.stringify(older)}\n`);
    expect(inbox.read(0, 10).map((e) => e.hit)).toEqual([hit(1), hit(2)]);
  });
});
