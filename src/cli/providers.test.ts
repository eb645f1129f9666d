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
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-cli-providers-'));
// Port 0: each CLI process that sends to the capture inbox listens on a free loopback port of its own.
const env = { PATH: process.env.PATH, HOME: process.env.HOME, TIDINGS_DATA_DIR: dataDir, LOG_LEVEL: 'warn', TIDINGS_CAPTURE_PORT: '0' };

async function tidings(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err: any) {
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
const json = async (...args: string[]) => {
  const r = await tidings('--json', ...args);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

// Each step waits for CLI processes (about 4 s of CPU each to start): generous on a loaded machine.
describe('providers and inbox CLI (embedded SQLite)', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    // The brand is made in this process: every CLI process costs seconds, and brands have their own CLI tests.
    const ctx = await createContext(loadConfig(env), { log: pino({ level: 'silent' }) });
    await ctx.brands.createBrand({ name: 'CLI brand', postalAddress: '1 Bean St, Portland, OR 97201, USA', fromEmail: 'hello@acme.test' });
    await ctx.close();
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  // Each command starts a Node process (seconds here, more on a busy machine), so independent commands run side by side.
  let account: { id: string };

  it('adds an account from a settings file, and lists it without its secrets', async () => {
    const settings = path.join(dataDir, 'resend.json');
    fs.writeFileSync(settings, JSON.stringify({ apiKey: 're_cli_secret' }));
    account = await json('providers', 'add', '--name', 'Resend', '--kind', 'resend', '--settings', settings, '--webhook', '{"secret":"whsec_c2VjcmV0LXNpZ25pbmcta2V5LTEyMzQ1Njc4"}', '--default');
    expect(account).toMatchObject({ name: 'Resend', kind: 'resend', isDefault: true, secrets: { apiKey: true }, webhookSecrets: { secret: true } });

    const [listed, bad] = await Promise.all([tidings('providers', 'list'), tidings('providers', 'add', '--name', 'Broken', '--kind', 'mailgun', '--settings', '{"apiKey":"k","domain":"acme"}')]);
    const lines = listed.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+name\s+kind\s+default\s+secrets\s+webhook$/);
    expect(lines[1]).toMatch(/^capture\s+Capture inbox\s+capture$/);
    expect(lines[2]).toMatch(new RegExp(`^${account.id}\\s+Resend\\s+resend\\s+yes\\s+apiKey\\s+verified$`));
    expect(listed.stdout).not.toContain('re_cli_secret');
    expect(bad).toMatchObject({ code: 1, stderr: 'tidings: settings.domain: must be the sending domain as set up in Mailgun, e.g. mg.example.com\n' });
  });

  let captured: { id: string };

  it('sends a test through the capture inbox, and another process lists it', async () => {
    const sent = await tidings('providers', 'test', 'capture', '--to', 'ann@example.com');
    expect(sent.stdout).toMatch(/^Accepted by capture \(capture\) as \S+$/m);

    const page = await json('inbox', 'list', '--search', 'test message');
    expect(page.data).toMatchObject([{ subject: 'Test message from CLI brand via Capture inbox', to: ['ann@example.com'] }]);
    captured = page.data[0];
  });

  it('shows a captured message, and removes an account', async () => {
    const [shown, removed] = await Promise.all([tidings('inbox', 'show', captured.id), tidings('providers', 'remove', account.id)]);
    expect(shown.stdout).toMatch(/^Subject: Test message from CLI brand via Capture inbox$/m);
    expect(shown.stdout).toContain('If you can read it, the account works.');
    expect(removed.stdout).toBe(`Deleted provider account ${account.id}\n`);
  });
});
