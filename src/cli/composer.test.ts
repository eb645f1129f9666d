import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../app/config.ts';
import { createContext } from '../app/context.ts';
import { DomainError } from '../shared/errors.ts';
import { registerComposerCommands } from './composer.ts';

/**
 * The composer commands run in this process against an embedded SQLite data dir, registered on an
 * `emails` group the way the emails commands register theirs.
 */
describe('tidings emails generate | edit | subjects (embedded SQLite)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-cli-composer-'));
  const saved = { dir: process.env.TIDINGS_DATA_DIR, composer: process.env.TIDINGS_COMPOSER };

  beforeAll(async () => {
    process.env.TIDINGS_DATA_DIR = dataDir;
    delete process.env.TIDINGS_COMPOSER;
    const ctx = await createContext(loadConfig(), { log: pino({ level: 'silent' }) });
    await ctx.brands.setup({ user: { email: 'owner@acmecoffee.com', name: 'Owner', password: 'correct horse battery' }, brand: { name: 'Acme Coffee', fromEmail: 'hello@acmecoffee.com' } });
    await ctx.close();
  });

  afterAll(() => {
    for (const [key, value] of [['TIDINGS_DATA_DIR', saved.dir], ['TIDINGS_COMPOSER', saved.composer]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function tidings(...args: string[]): Promise<string> {
    const program = new Command('tidings').option('--json').option('--brand <id>').exitOverride();
    registerComposerCommands(program.command('emails'));
    let out = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    try {
      await program.parseAsync(['node', 'tidings', ...args]);
    } finally {
      write.mockRestore();
    }
    return out;
  }

  it('generates, edits and suggests subjects', async () => {
    const created = await tidings('--json', 'emails', 'generate', 'Launch email for our spring coffee collection: 20% off all beans until Sunday', '--tone', 'playful', '--cta-url', 'https://shop.acmecoffee.com/spring');
    const email = JSON.parse(created);
    expect(email).toMatchObject({ name: 'Promo: 20% off all beans', version: 1, format: 'blocks' });

    const edited = await tidings('emails', 'edit', email.id, 'add', 'a', 'testimonial');
    expect(edited).toMatch(new RegExp(`^Saved version 2 of Promo: 20% off all beans \\(${email.id}\\)\\nsubject    .+\\npreheader  .+\\nlanguage   en\\n$`));

    const subjects = await tidings('emails', 'subjects', email.id, '--count', '3');
    const [header, ...rows] = subjects.trim().split('\n');
    expect(header).toMatch(/^subject\s+preheader$/);
    expect(rows).toHaveLength(3);
  });

  it('reports what it does not understand as the service’s error', async () => {
    const email = JSON.parse(await tidings('--json', 'emails', 'generate', '--goal', 'Welcome new subscribers', '--length', 'short'));
    await expect(tidings('emails', 'edit', email.id, 'make', 'it', 'pop')).rejects.toThrow(DomainError);
    await expect(tidings('emails', 'edit', email.id, 'make', 'it', 'pop')).rejects.toThrow(/does not understand "make it pop"/);
    await expect(tidings('emails', 'generate', '--tone', 'grumpy')).rejects.toThrow(/Allowed choices are friendly, professional/);
  });
});
