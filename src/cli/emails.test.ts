import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpSink, type SmtpSink } from '../../test/helpers/smtp-sink.ts';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../bin/tidings.js');
const FIXTURES = path.resolve(import.meta.dirname, '../../test/fixtures/emails');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-cli-emails-'));
const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TIDINGS_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };

async function tidings(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...baseEnv, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err: any) {
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
const json = async (...args: string[]) => {
  const r = await tidings(['--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe('emails CLI (embedded SQLite)', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await smtpSink();
    expect((await tidings(['brands', 'create', '--name', 'CLI brand'])).code).toBe(0);
  });
  afterAll(async () => {
    await sink?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  // Each command starts a Node process (about 3 s here), so the steps are split over several tests.
  let welcome: { id: string };
  let ann: { id: string };

  it('creates, lists and shows emails', async () => {
    welcome = await json('emails', 'create', '--name', 'Welcome', '--subject', 'Hi {{ contact.first_name | default: "there" }}', '--category', 'transactional');
    expect(welcome).toMatchObject({ name: 'Welcome', category: 'transactional', format: 'blocks', version: 1 });

    const listed = await tidings(['emails', 'list']);
    expect(listed.stdout.split('\n')[0]).toMatch(/^id\s+name\s+subject\s+format\s+version\s+preflight\s+updated$/);
    expect(listed.stdout).toContain(welcome.id);

    const shown = await tidings(['emails', 'show', welcome.id]);
    expect(shown.stdout).toMatch(/^format\s+blocks$/m);
    expect(shown.stdout).toMatch(/^body\s+3 sections, 5 blocks$/m);
    expect((await tidings(['emails', 'show', 'eml_nope'])).code).toBe(4);
  });

  it('imports a file and exports compiled HTML, and names an unsupported file', async () => {
    const imported = await tidings(['emails', 'import', path.join(FIXTURES, 'spring.mjml'), '--name', 'Spring']);
    expect(imported.stdout).toMatch(/^Imported Spring \(eml_\w+\) as MJML$/m);

    const out = path.join(dataDir, 'welcome.html');
    expect((await tidings(['emails', 'export-html', welcome.id, '-o', out])).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/<html[\s>]/i);

    const pdf = path.join(dataDir, 'report.pdf');
    fs.writeFileSync(pdf, '%PDF-1.4');
    const bad = await tidings(['emails', 'import', pdf]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('tidings: file: "report.pdf" is not an .html, .htm, .mjml or .eml file\n');
  });

  it('renders with a contact or a persona', async () => {
    ann = await json('contacts', 'add', '--email', 'ann@example.com', '--first-name', 'Ann');
    const missing = await tidings(['emails', 'render', welcome.id, '--persona', 'missing']);
    expect(missing.stdout.split('\n')[0]).toBe('Subject: Hi there');
    const rendered = await json('emails', 'render', welcome.id, '--contact', ann.id);
    expect(rendered.subject).toBe('Hi Ann');
    expect(rendered.html).toContain('Hi Ann,');
  });

  it('generates, edits and suggests subjects with the builtin composer', async () => {
    const generated = await json('emails', 'generate', 'Welcome email for new subscribers', '--tone', 'friendly');
    expect(generated).toMatchObject({ format: 'blocks', version: 1, category: 'marketing' });
    const edited = await tidings(['emails', 'edit', generated.id, 'make', 'it', 'shorter']);
    expect(edited.stdout).toMatch(new RegExp(`^Saved version 2 of .+ \\(${generated.id}\\)\n`));
    const subjects = await json('emails', 'subjects', generated.id, '--count', '2');
    expect(subjects.subjects).toHaveLength(2);
  });

  it('preflights: findings by severity with their fixes, exit code 3 on a critical finding, --fix', async () => {
    // The CLI brand has no postal address: every marketing email misses it.
    const long = await json('emails', 'create', '--name', 'Long', '--subject', 'Everything you need to know about our brand new spring collection of linen shirts');
    const human = await tidings(['emails', 'preflight', long.id]);
    expect(human.code, human.stderr).toBe(3);
    expect(human.stdout).toMatch(/^Preflight of version 1: score \d+\/100, [1-9]\d* critical, \d+ important, \d+ suggested\nSpam: (SpamAssassin|heuristic) /);
    expect(human.stdout).toMatch(/\nCRITICAL\n(.*\n)*  compliance\.postal-address: The brand has no postal address/);
    expect(human.stdout).toContain(`--fix subject.shorten`);

    const fixed = await tidings(['--json', 'emails', 'preflight', long.id, '--fix', 'subject.shorten']);
    expect(fixed.code).toBe(3);
    const report = JSON.parse(fixed.stdout);
    expect(report).toMatchObject({ emailId: long.id, version: 2 });
    expect(report.findings.map((f: { id: string }) => f.id)).not.toContain('subject.length');
    expect((await json('emails', 'show', long.id)).subject.length).toBeLessThan(60);

    const unknown = await tidings(['emails', 'preflight', long.id, '--fix', 'make.it.pop']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/Allowed choices are images\.add-alt/);
  }, 180_000); // five processes, two of them running SpamAssassin

  it('test-sends through TIDINGS_SMTP_URL, and says to set it when missing', async () => {
    const unconfigured = await tidings(['emails', 'test-send', welcome.id, '--to', 'qa@example.com']);
    expect(unconfigured.code).toBe(1);
    expect(unconfigured.stderr).toContain('set TIDINGS_SMTP_URL');

    const sent = await tidings(['emails', 'test-send', welcome.id, '--to', 'qa@example.com', 'lead@example.com', '--contact', ann.id], { TIDINGS_SMTP_URL: sink.url });
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toMatch(/^Sent to qa@example\.com <[^>]+>\nSent to lead@example\.com <[^>]+>\n$/);
    expect(sink.received.map((m) => m.to)).toEqual([['qa@example.com'], ['lead@example.com']]);
    expect((await simpleParser(sink.received[0].raw)).subject).toBe('[Test] Hi Ann');
  });
});
