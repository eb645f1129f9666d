import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../bin/tidings.js');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-cli-'));
const env = { PATH: process.env.PATH, HOME: process.env.HOME, TIDINGS_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };

async function tidings(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err: any) {
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('audience CLI (embedded SQLite)', () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('adds contacts with tags by name, lists them as JSON and tables, and names bad input', async () => {
    expect((await tidings('brands', 'create', '--name', 'CLI brand')).code).toBe(0);
    const added = await tidings('--json', 'contacts', 'add', '--email', 'Ann@Example.com', '--first-name', 'Ann', '--status', 'subscribed', '--tag', 'VIP', 'Beta');
    expect(added.code).toBe(0);
    const ann = JSON.parse(added.stdout);
    expect(ann).toMatchObject({ email: 'ann@example.com', status: 'subscribed', consentSource: 'cli' });
    expect(ann.tags.map((t: any) => t.name)).toEqual(['Beta', 'VIP']);

    const listed = JSON.parse((await tidings('--json', 'contacts', 'list', '--tag', 'VIP')).stdout);
    expect(listed.data.map((c: any) => c.id)).toEqual([ann.id]);

    const tags = await tidings('tags', 'list');
    expect(tags.stdout.split('\n')[0]).toMatch(/^id\s+name\s+color\s+count/);
    expect(tags.stdout).toMatch(/VIP\s+#[0-9a-f]{6}\s+1/);

    const bad = await tidings('contacts', 'add', '--email', 'not-an-email');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('email: "not-an-email" is not a valid email address');
  });
});
