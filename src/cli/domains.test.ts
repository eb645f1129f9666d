import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../app/config.ts';
import { createContext } from '../app/context.ts';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../bin/tidings.js');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-cli-domains-'));
const env = { PATH: process.env.PATH, HOME: process.env.HOME, TIDINGS_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };

async function tidings(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err: any) {
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

// Each step waits for CLI processes (about 4 s of CPU each to start): generous on a loaded machine.
describe('domains CLI (embedded SQLite)', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    // The brand is made in this process: every CLI process costs seconds, and brands have their own CLI tests.
    const ctx = await createContext(loadConfig(env), { log: pino({ level: 'silent' }) });
    await ctx.brands.createBrand({ name: 'CLI brand', postalAddress: '1 Bean St, Portland, OR 97201, USA', fromEmail: 'hello@acme.test' });
    await ctx.close();
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  let domain: { id: string; zone: string[] };

  it('adds a domain and prints the records to publish as zone-file lines', async () => {
    // .invalid never resolves (RFC 2606), so verification reads the real resolver without depending on anyone's zone.
    const [added, bad] = await Promise.all([
      tidings('domains', 'add', 'mail.example.invalid', '--provider', 'ses', '--region', 'eu-west-1', '--selector', 'cli1'),
      tidings('domains', 'add', 'example.invalid', '--provider', 'sendgrid', '--return-path', 'em1234'),
    ]);
    expect(added.code, added.stderr).toBe(0);
    const [intro, ...zone] = added.stdout.trim().split('\n');
    const id = /\((dom_\w+)\)/.exec(intro)![1];
    expect(intro).toBe(`Added mail.example.invalid (${id}). Publish these records, then run: tidings domains verify ${id}`);
    expect(zone.map((line) => line.split(' ').slice(0, 4).join(' '))).toEqual([
      'cli1._domainkey.mail.example.invalid. 3600 IN TXT',
      'bounce.mail.example.invalid. 3600 IN TXT',
      'bounce.mail.example.invalid. 3600 IN MX',
      '_dmarc.mail.example.invalid. 3600 IN TXT',
    ]);
    expect(bad).toMatchObject({ code: 1, stderr: 'tidings: --return-path: expected LABEL=TARGET, e.g. em1234=u1234.wl.sendgrid.net\n' });
    domain = { id, zone };
  });

  it('lists domains, prints their records, and verifies them against DNS', async () => {
    const { id, zone } = domain;
    const [listed, records, verified] = await Promise.all([tidings('--json', 'domains', 'list'), tidings('domains', 'records', id), tidings('domains', 'verify', id)]);
    expect(JSON.parse(listed.stdout).data).toMatchObject([{ id, domain: 'mail.example.invalid', selector: 'cli1', records: expect.any(Array) }]);
    expect(records.stdout.trim().split('\n')).toEqual(zone);
    const lines = verified.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^mail\.example\.invalid: (not-started|partial)$/);
    expect(lines[1]).toMatch(/^status\s+type\s+name\s+value$/);
    expect(lines.slice(2, 6).map((l) => l.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      expect.stringMatching(/^(missing|error) TXT cli1\._domainkey\.mail\.example\.invalid$/),
      expect.stringMatching(/^(missing|error) TXT bounce\.mail\.example\.invalid$/),
      expect.stringMatching(/^(missing|error) MX bounce\.mail\.example\.invalid$/),
      expect.stringMatching(/^(missing|error) TXT _dmarc\.mail\.example\.invalid$/),
    ]);
  });
});
