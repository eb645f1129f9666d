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
import { SCOPES } from '../brands/model.ts';
import { PreflightService } from '../preflight/service.ts';
import { registerSeriesCommands } from './series.ts';

/**
 * The series commands run in this process against an embedded SQLite data dir; one command runs as
 * a real process, for the exit code and the one-line error of the `tidings` binary.
 */
const BIN = path.resolve(import.meta.dirname, '../../bin/tidings.js');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-cli-series-'));
const env: Record<string, string> = {
  TIDINGS_DATA_DIR: dataDir,
  TIDINGS_PUBLIC_URL: 'https://mail.tidings-demo.com',
  TIDINGS_CAPTURE_PORT: '0',
  LOG_LEVEL: 'error',
};

describe('tidings series (embedded SQLite)', () => {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  let brandId: string;

  beforeAll(async () => {
    Object.assign(process.env, env);
    const ctx = await createContext(loadConfig(), { log: pino({ level: 'silent' }), migrate: true });
    try {
      const { user, brand } = await ctx.brands.setup({
        user: { email: 'owner@example.com', name: 'Owner', password: 'correct horse battery' },
        brand: { name: 'Acme Coffee', postalAddress: '1 Bean St, Portland, OR 97201, USA', fromEmail: 'hello@acme.test' },
      });
      brandId = brand.id;
      const actor = { type: 'user' as const, id: user.id };
      const [readers] = await ctx.audience.tagIdsForNames(brand.id, ['readers'], { create: true });
      await ctx.audience.createContact(brand.id, { email: 'ann@example.com', firstName: 'Ann', status: 'subscribed', tagIds: [readers] }, actor);
      await ctx.audience.createContact(brand.id, { email: 'bob@example.com', status: 'subscribed', tagIds: [readers] }, actor);
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
    registerSeriesCommands(program);
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
  const json = async (...args: string[]) => JSON.parse((await tidings('--json', ...args)).stdout);
  const ids = (s: { steps: Array<{ id: string }> }) => s.steps.map((x) => x.id);

  /** Preflight reports for the emails' current versions, made with the heuristic spam score (SpamAssassin takes seconds an email); the commands reuse them. */
  async function checkEmails(emailIds: string[]): Promise<void> {
    const ctx = await createContext(loadConfig(), { log: pino({ level: 'silent' }), migrate: false });
    try {
      const preflight = new PreflightService({ store: ctx.store, clock: ctx.clock, config: ctx.config, secret: ctx.secret, emails: ctx.emails, audience: ctx.audience, spam: { binary: '/nonexistent/spamassassin' } });
      const auth = { brandId, actor: { type: 'system' as const, id: 'test' }, role: 'manager' as const, scopes: new Set(SCOPES) };
      for (const id of emailIds) await preflight.run(auth, id);
    } finally {
      await ctx.close();
    }
  }

  it('generates a series, refines it, checks it, starts it for a tag and shows its results', async () => {
    const s = await json('series', 'generate', '--prompt', 'a 3-email welcome flow for new subscribers of a coffee subscription', '--name', 'Welcome');
    expect(s).toMatchObject({ name: 'Welcome', kind: 'welcome', status: 'draft' });
    expect(s.steps).toHaveLength(3);
    const [a, b, c] = ids(s);

    const shown = (await tidings('series', 'show', s.id)).stdout;
    expect(shown).toMatch(/^status {4}draft$/m);
    expect(shown).toMatch(/^n\s+day\s+role\s+subject\s+preflight\s+id$/m);

    const added = await json('series', 'add', s.id, '--position', '2', '--role', 'Customer story', '--beat', 'a subscriber on their first bag');
    expect(added.steps[1]).toMatchObject({ position: 1, role: 'Customer story' });
    expect(ids(await json('series', 'remove', s.id, '2'))).toEqual([a, b, c]);
    expect(ids(await json('series', 'reorder', s.id, '3', '1', b))).toEqual([c, a, b]);
    const edited = await tidings('series', 'edit-all', s.id, 'make it shorter');
    expect(edited.stdout.trim().split('\n')).toEqual(['email 1: saved', 'email 2: saved', 'email 3: saved']);

    const current = await json('series', 'show', s.id);
    await checkEmails(current.steps.map((x: { emailId: string }) => x.emailId));
    const check = await tidings('series', 'preflight', s.id);
    expect(check.stdout.trim().split('\n').at(-1)).toBe('ready to start');

    const started = await tidings('series', 'start', s.id, '--tag', 'readers');
    expect(started.stdout).toMatch(/^Started Welcome \(ser_\w+\): 2 enrolled/);
    expect((await tidings('series', 'enrol', s.id, '--email', 'ann@example.com')).stdout).toMatch(/^Not enrolled: already-enrolled \(enr_\w+\)$/m);
    expect((await tidings('series', 'pause', s.id)).stdout).toMatch(/: paused$/m);

    const stats = await json('series', 'stats', s.id);
    expect(stats).toMatchObject({ enrolled: 2, active: 2, completed: 0, exited: {} });
    expect(stats.steps).toHaveLength(3);
    expect((await tidings('series', 'stats', s.id)).stdout).toMatch(/^enrolled 2 · active 2 · completed 0 · exited: none$/m);
    const listed = (await tidings('series', 'list')).stdout.trim().split('\n');
    expect(listed.map((l) => l.split(/\s+/)[0])).toEqual(['id', s.id]);
  });

  it('says what is wrong with a brief in one line, and exits non-zero', { timeout: 120_000 }, async () => {
    const run = await promisify(execFile)(process.execPath, [BIN, 'series', 'generate', '--prompt', 'a 40-email course', '--count', '40'], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } }).then(
      () => ({ code: 0, stderr: '' }),
      (err) => ({ code: err.code as number, stderr: err.stderr as string }),
    );
    expect(run).toEqual({ code: 1, stderr: 'tidings: brief.count: must be at most 12\n' });
  });
});
