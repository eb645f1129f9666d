import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../bin/tidings.js');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-cli-import-'));
const env = { PATH: process.env.PATH, HOME: process.env.HOME, TIDINGS_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };

async function tidings(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err: any) {
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('contacts import and export CLI (embedded SQLite)', () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const file = (name: string, content: string) => {
    const p = path.join(dataDir, name);
    fs.writeFileSync(p, content);
    return p;
  };

  it('imports with mapping, types and tags, summarises with the first failures, and exports back', async () => {
    expect((await tidings('brands', 'create', '--name', 'CLI brand')).code).toBe(0);
    const csv = file('in.csv', 'Mail,Given,Points,Extra\nann@example.com,Ann,3,x\nbob@example.com,Bob,lots,y\n');

    const imported = await tidings('contacts', 'import', csv, '--map', 'Given=firstName', 'Extra=ignore', '--type', 'Points=number', '--tag', 'cli-import', '--status', 'non-subscribed');
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain('in.csv: CSV, delimiter ",", utf-8');
    expect(imported.stderr).toMatch(/Mail\s+→ email/);
    const [summary, heading, failure, resultsLine] = imported.stdout.trim().split('\n');
    expect(summary).toMatch(/^Done: 2 rows in [\d.]+ s — imported 1, updated 0, skipped 0, failed 1$/);
    expect([heading, failure]).toEqual(['First failures:', '  row 3, column "Points": expected a number, got "lots"']);
    const resultsPath = resultsLine.replace('Results per row: ', '');
    expect(fs.readFileSync(resultsPath, 'utf8').split('\r\n')[1]).toBe('2,ann@example.com,imported,');

    const again = JSON.parse((await tidings('--json', 'contacts', 'import', csv, '--on-conflict', 'upsert', '--map', 'Extra=ignore', 'Given=firstName')).stdout);
    expect(again).toMatchObject({ status: 'done', rowsUpdated: 1, rowsFailed: 1, resultsPath: expect.stringContaining(again.id) });

    const out = path.join(dataDir, 'out.csv');
    const exported = await tidings('contacts', 'export', '--out', out, '--tag', 'cli-import');
    expect(exported.code).toBe(0);
    const lines = fs.readFileSync(out, 'utf8').split('\r\n');
    expect(lines[0]).toBe('\ufeffemail,first_name,last_name,phone,country,language,time_zone,status,consent_source,consent_at,tags,validation,validation_reason,created_at,updated_at,id,points');
    expect(lines[1]).toMatch(/^ann@example\.com,Ann,,,,,,non-subscribed,,,cli-import,valid,,.*,3$/);
  });

  it('refuses a bad mapping with exit code 1, the reason, and no import left behind', async () => {
    const imports = () => fs.readdirSync(path.join(dataDir, 'imports'));
    const before = imports();
    const bad = await tidings('contacts', 'import', file('b.csv', 'email\na@x.com\n'), '--map', 'mail=email');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('tidings: mapping.mail: there is no column "mail" in the file (columns: "email")');
    expect(imports()).toEqual(before);
    const missing = await tidings('contacts', 'import', path.join(dataDir, 'nope.csv'));
    expect(missing.code).toBe(4);
  });
});
