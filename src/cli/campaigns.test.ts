import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../app/config.ts';
import { createContext } from '../app/context.ts';
import { registerCampaignCommands } from './campaigns.ts';

/**
 * The campaigns commands run in this process against an embedded SQLite data dir (a Node start-up
 * per command would cost seconds each); one command runs as a real process, for the exit code and
 * the one-line error of the `tidings` binary.
 */
const BIN = path.resolve(import.meta.dirname, '../../bin/tidings.js');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-cli-campaigns-'));
const env: Record<string, string> = {
  TIDINGS_DATA_DIR: dataDir,
  TIDINGS_PUBLIC_URL: 'https://mail.tidings-demo.com',
  // The capture inbox listens on a free loopback port: another app on this machine may hold the default one.
  TIDINGS_CAPTURE_PORT: '0',
  LOG_LEVEL: 'error',
};

describe('tidings campaigns (embedded SQLite)', () => {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  let emailId: string;
  let draftId: string;

  beforeAll(async () => {
    Object.assign(process.env, env);
    const ctx = await createContext(loadConfig(), { log: pino({ level: 'silent' }), migrate: true });
    try {
      const { user, brand } = await ctx.brands.setup({
        user: { email: 'owner@example.com', name: 'Owner', password: 'correct horse battery' },
        brand: { name: 'Acme Coffee', postalAddress: '1 Bean St, Portland, OR 97201, USA', fromEmail: 'hello@acme.test' },
      });
      const actor = { type: 'user' as const, id: user.id };
      const [readers] = await ctx.audience.tagIdsForNames(brand.id, ['readers'], { create: true });
      await ctx.audience.createContact(brand.id, { email: 'ann@example.com', firstName: 'Ann', status: 'subscribed', tagIds: [readers] }, actor);
      await ctx.audience.createContact(brand.id, { email: 'bob@example.com', status: 'unsubscribed', tagIds: [readers] }, actor);
      const auth = { brandId: brand.id, actor, role: 'manager' as const, scopes: new Set<never>() };
      emailId = (await ctx.emails.create(auth, { name: 'Spring', subject: 'Hi {{ contact.first_name }}' })).id;
      draftId = (await ctx.campaigns.create(auth, { name: 'Later', emailId, audience: { tagIds: [readers] } })).id;
    } finally {
      await ctx.close();
    }
  });
  afterAll(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function tidings(...args: string[]): Promise<{ stdout: string; stderr: string }> {
    const program = new Command('tidings').option('--json').option('--brand <id>').exitOverride();
    registerCampaignCommands(program);
    const out = { stdout: '', stderr: '' };
    const capture = (stream: 'stdout' | 'stderr') =>
      vi.spyOn(process[stream], 'write').mockImplementation((chunk) => {
        out[stream] += String(chunk);
        return true;
      });
    const spies = [capture('stdout'), capture('stderr')];
    try {
      await program.parseAsync(['node', 'tidings', ...args]);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    return out;
  }

  it('creates a campaign, sends it with live progress, and shows its stats and log', async () => {
    const campaign = JSON.parse((await tidings('--json', 'campaigns', 'create', '--name', 'Launch', '--email', emailId, '--tag', 'readers', '--no-track-clicks')).stdout);
    expect(campaign).toMatchObject({ name: 'Launch', status: 'draft', trackOpens: true, trackClicks: false });

    const sent = await tidings('campaigns', 'send', campaign.id);
    // Not a terminal: the progress goes to stderr as plain lines, ending with the final state.
    expect(sent.stderr.trim().split('\n').at(-1)).toMatch(/^sent · 1\/1 sent · 1 skipped · 0 failed · 0 to go · [\d.]+\/s$/);
    expect(sent.stdout).toMatch(/^status {4}sent$/m);
    expect(sent.stdout).toMatch(/^counts {4}2 recipients: 1 sent, 1 skipped, 0 failed, 0 cancelled$/m);

    const stats = JSON.parse((await tidings('--json', 'campaigns', 'stats', campaign.id)).stdout);
    expect(stats).toMatchObject({ progress: { status: 'sent', sent: 1, skipped: 1, queued: 0 }, results: { sent: 1 } });

    const logs = (await tidings('campaigns', 'logs', campaign.id)).stdout.trim().split('\n');
    expect(logs[0]).toMatch(/^id\s+email\s+status\s+attempts\s+sentAt\s+detail$/);
    expect(logs.slice(1).map((l) => l.split(/\s+/).slice(1, 3)).sort()).toEqual([
      ['ann@example.com', 'sent'],
      ['bob@example.com', 'skipped'],
    ]);
    expect(logs.find((l) => l.includes('bob@example.com'))).toMatch(/skipped\s+0\s+unsubscribed$/);

    const listed = (await tidings('campaigns', 'list', '--status', 'sent')).stdout.trim().split('\n');
    expect(listed.map((l) => l.split(/\s+/)[0])).toEqual(['id', campaign.id]);
  });

  it('says what is wrong with a schedule in one line, and exits non-zero', { timeout: 120_000 }, async () => {
    const past = await promisify(execFile)(process.execPath, [BIN, 'campaigns', 'schedule', draftId, '--at', '2020-01-01T09:00', '--zone', 'Europe/Berlin'], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } }).then(
      () => ({ code: 0, stderr: '' }),
      (err) => ({ code: err.code as number, stderr: err.stderr as string }),
    );
    expect(past).toEqual({ code: 1, stderr: 'tidings: at: is in the past: 2020-01-01T09:00 in Europe/Berlin was 2020-01-01T08:00:00.000Z\n' });
  });
});
