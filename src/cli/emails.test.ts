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
