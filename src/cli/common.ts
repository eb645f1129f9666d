import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../app/config.ts';
import { createContext, type AppContext } from '../app/context.ts';
import type { AuthContext } from '../brands/model.ts';
import { SCOPES } from '../brands/model.ts';
import { DomainError } from '../shared/errors.ts';
import pino from 'pino';

export interface GlobalOpts {
  json?: boolean;
  brand?: string;
}

/** Output: `--json` prints machine-readable JSON; otherwise a human line or table. */
export function print(cmd: Command, value: unknown, human?: () => void) {
  const opts = cmd.optsWithGlobals() as GlobalOpts;
  if (opts.json || !human) process.stdout.write(JSON.stringify(value, null, 2) + '\n');
  else human();
}

/** Opens the app context (migrating in embedded mode), runs `fn`, and always closes the store. */
export async function withContext<T>(fn: (ctx: AppContext) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  const config = loadConfig();
  // Warnings go to stderr: stdout carries the command's output, which `--json` callers parse.
  const ctx = await createContext(config, { log: pino({ level: 'warn' }, pino.destination({ dest: 2, sync: true })), ...(opts.migrate === undefined ? {} : { migrate: opts.migrate }) });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

/**
 * The CLI acts with full rights on one brand: `--brand` (or TIDINGS_BRAND), or the only brand there is.
 * It is an operator's tool on the server, like `psql`; its actions are audited as "system".
 */
export async function cliAuth(ctx: AppContext, cmd: Command): Promise<AuthContext> {
  const opts = cmd.optsWithGlobals() as GlobalOpts;
  const wanted = opts.brand || process.env.TIDINGS_BRAND;
  let brandId = wanted;
  if (!brandId) {
    const all = await ctx.brands.listBrands();
    if (all.length === 0) throw new DomainError('not_found', 'no brand exists yet: run `tidings brands create --name NAME` or open the web app');
    if (all.length > 1) throw new DomainError('validation_failed', `several brands exist (${all.map((b) => b.id).join(', ')}): choose one with --brand`);
    brandId = all[0].id;
  } else {
    await ctx.brands.getBrand(brandId);
  }
  return { brandId, actor: { type: 'system', id: 'cli' }, role: 'manager', scopes: new Set(SCOPES) };
}

/** One line on stderr and a non-zero exit: what the user did wrong, never a stack trace. */
export function fail(err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`tidings: configuration error: ${err.message}\n`);
    process.exit(78);
  }
  if (err instanceof DomainError) {
    process.stderr.write(`tidings: ${err.message}\n`);
    const issues = (err.details as any)?.issues;
    if (Array.isArray(issues) && issues.length > 1) for (const i of issues) process.stderr.write(`  - ${i.field}: ${i.message}\n`);
    process.exit(err.code === 'not_found' ? 4 : 1);
  }
  process.stderr.write(`tidings: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
}

export function table(rows: Array<Record<string, unknown>>, columns: string[]) {
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const cell = (v: unknown) => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join(',') : String(v));
  const widths = columns.map((c) => Math.min(48, Math.max(c.length, ...rows.map((r) => cell(r[c]).length))));
  const line = (vals: string[]) => vals.map((v, i) => v.slice(0, widths[i]).padEnd(widths[i])).join('  ').trimEnd();
  process.stdout.write(line(columns) + '\n');
  for (const r of rows) process.stdout.write(line(columns.map((c) => cell(r[c]))) + '\n');
}
