import fs from 'node:fs';
import { once } from 'node:events';
import { Option, type Command } from 'commander';
import { CONTACT_STATUSES, FIELD_TYPES } from '../audience/model.ts';
import { CsvParser } from '../audience/import/csv.ts';
import { ON_CONFLICT, type Import } from '../audience/import/model.ts';
import { readText } from '../audience/import/source.ts';
import { invalid } from '../shared/errors.ts';
import { commandGroup } from './audience.ts';
import { cliAuth, print, withContext } from './common.ts';

/**
 * `tidings contacts import FILE` runs the import in this process (no worker needed) with a live
 * progress bar, and `tidings contacts export` writes the contacts as CSV. Both call the same
 * ImportService as the API.
 */
export function registerImportCommands(program: Command): void {
  const contacts = commandGroup(program, 'contacts', 'contacts of a brand');

  contacts
    .command('import <file>')
    .description('import contacts from a CSV/TSV or JSON/NDJSON file')
    .option('--map <column=target...>', 'map a column: email, firstName, lastName, phone, country, language, timeZone, status, consentSource, consentAt, tags, field:<key> or ignore')
    .option('--type <column=type...>', `type of a new custom field: ${FIELD_TYPES.join(', ')} (default string)`)
    .addOption(new Option('--on-conflict <mode>', 'existing emails: skip them or update them').choices(ON_CONFLICT).default('skip'))
    .option('--tag <names...>', 'add these tags to every imported contact (missing tags are created)')
    .addOption(new Option('--status <status>', 'status of new contacts whose row has none').choices(CONTACT_STATUSES).default('subscribed'))
    .action(async (file: string, o, cmd: Command) =>
      withContext(async (ctx) => {
        const auth = await cliAuth(ctx, cmd);
        const json = Boolean(cmd.optsWithGlobals().json);
        const mapping = pairs(o.map, '--map');
        const newFieldType = pairs(o.type, '--type');
        const tagIds = o.tag ? await ctx.audience.tagIdsForNames(auth.brandId, o.tag, { create: true, field: '--tag' }) : [];

        const created = await ctx.imports.createFromFile(auth, file);
        if (!json) describePreview(created);
        try {
          await ctx.imports.start(auth, created.id, { mapping, newFieldType, onConflict: o.onConflict, tagIds, defaultStatus: o.status }, { enqueue: false });
        } catch (err) {
          await ctx.imports.discard(auth.brandId, created.id);
          throw err;
        }

        // Ctrl-C cancels: the run stops after its current batch and the summary says so.
        const onInterrupt = () => {
          process.stderr.write('\nCancelling after the current batch…\n');
          ctx.imports.cancel(auth, created.id).catch(() => {});
        };
        process.once('SIGINT', onInterrupt);
        const bar = json ? null : new ProgressBar(process.stderr);
        const started = Date.now();
        const result = await ctx.imports.run(created.id, { onProgress: (i) => bar?.update(i) }).finally(() => process.off('SIGINT', onInterrupt));
        bar?.done(result);

        const resultsPath = await ctx.imports.resultsFile(auth.brandId, created.id).catch(() => null);
        const failures = resultsPath && result.rowsFailed > 0 && !json ? await firstFailures(resultsPath, 5) : [];
        print(cmd, { ...result, resultsPath }, () => summarise(result, resultsPath, failures, (Date.now() - started) / 1000));
        if (result.status === 'failed') process.exitCode = 1;
      }),
    );

  contacts
    .command('export')
    .description('write contacts as CSV (all columns, custom fields, tags)')
    .option('--out <file>', 'write to this file instead of standard output')
    .addOption(new Option('--status <status>').choices(CONTACT_STATUSES))
    .option('--tag <names...>', 'contacts with any of these tags')
    .option('--search <text>', 'email or name contains; @domain.com for a domain')
    .option('--segment <id>', 'contacts of this segment')
    .action(async (o, cmd: Command) =>
      withContext(async (ctx) => {
        const auth = await cliAuth(ctx, cmd);
        const tagIds = o.tag ? await ctx.audience.tagIdsForNames(auth.brandId, o.tag, { create: false, field: '--tag' }) : undefined;
        const chunks = await ctx.imports.exportCsv(auth, { status: o.status, search: o.search, tagIds, segmentId: o.segment });
        const out = o.out ? fs.createWriteStream(o.out) : process.stdout;
        for await (const chunk of chunks) if (!out.write(chunk)) await once(out, 'drain');
        if (o.out) {
          await new Promise<void>((resolve, reject) => (out as fs.WriteStream).end((err?: Error | null) => (err ? reject(err) : resolve())));
          process.stderr.write(`Exported to ${o.out} (${formatBytes(fs.statSync(o.out).size)})\n`);
        }
      }),
    );
}

function pairs(values: string[] | undefined, option: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const at = v.lastIndexOf('=');
    if (at <= 0 || at === v.length - 1) throw invalid(option, `expected column=value, got "${v}"`);
    out[v.slice(0, at)] = v.slice(at + 1);
  }
  return out;
}

function describePreview(i: Import) {
  const p = i.preview;
  const delimiter = p.delimiter === '\t' ? 'tab' : p.delimiter;
  process.stderr.write(`${i.fileName}: ${p.format.toUpperCase()}${delimiter ? `, delimiter "${delimiter}"` : ''}, ${p.encoding}, ${formatBytes(i.sizeBytes)}\n`);
  for (const c of p.columns) process.stderr.write(`  ${c.name.padEnd(24)} → ${c.suggested ?? 'new custom field'}\n`);
  for (const w of p.warnings) process.stderr.write(`  ! ${w}\n`);
}

function summarise(i: Import, resultsPath: string | null, failures: string[], seconds: number) {
  const n = (x: number) => x.toLocaleString('en-US');
  const head = i.status === 'done' ? 'Done' : i.status === 'cancelled' ? 'Cancelled' : `Import ${i.status}`;
  process.stdout.write(
    `${head}: ${n(i.rowsTotal)} rows in ${seconds.toFixed(1)} s — imported ${n(i.rowsImported)}, updated ${n(i.rowsUpdated)}, skipped ${n(i.rowsSkipped)}, failed ${n(i.rowsFailed)}\n`,
  );
  if (i.error) process.stdout.write(`Error: ${i.error}\n`);
  if (failures.length > 0) process.stdout.write(`First failures:\n${failures.map((f) => `  ${f}\n`).join('')}`);
  if (resultsPath) process.stdout.write(`Results per row: ${resultsPath}\n`);
}

/** Reasons of the first failed rows in results.csv, reading only as far as needed. */
async function firstFailures(file: string, limit: number): Promise<string[]> {
  const reasons: string[] = [];
  const parser = new CsvParser({ delimiter: ',', maxRecordChars: 1 << 20 });
  for await (const { text } of readText(file, 'utf-8')) {
    parser.push(text, (r) => {
      if (r.cells[2] === 'failed' && reasons.length < limit) reasons.push(r.cells[3]);
    });
    if (reasons.length >= limit) break;
  }
  return reasons;
}

/** A bar redrawn in place on a terminal; a plain line every few seconds when piped to a file or CI log. */
class ProgressBar {
  private last = 0;
  private readonly started = Date.now();
  private readonly tty: boolean;

  constructor(private readonly out: NodeJS.WriteStream) {
    this.tty = Boolean(out.isTTY);
  }

  update(i: Import) {
    const now = Date.now();
    if (now - this.last < (this.tty ? 100 : 5000)) return;
    this.last = now;
    this.out.write(this.tty ? `\r${this.line(i)}\x1b[K` : `${this.line(i)}\n`);
  }

  done(i: Import) {
    if (this.tty) this.out.write(`\r${this.line(i)}\x1b[K\n`);
  }

  private line(i: Import): string {
    const width = 24;
    const filled = Math.round(i.progress * width);
    const rate = i.rowsTotal / Math.max(0.001, (Date.now() - this.started) / 1000);
    const bar = this.tty ? `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ` : '';
    const n = (x: number) => x.toLocaleString('en-US');
    return `${bar}${(i.progress * 100).toFixed(0).padStart(3)}%  ${formatBytes(i.bytesRead)}/${formatBytes(i.sizeBytes)}  ${n(i.rowsTotal)} rows (${n(Math.round(rate))}/s)  imported ${n(i.rowsImported)} · updated ${n(i.rowsUpdated)} · skipped ${n(i.rowsSkipped)} · failed ${n(i.rowsFailed)}`;
  }
}

function formatBytes(b: number): string {
  if (b < 1024) return `${b} B`;
  if (b < 1024 * 1024) return `${(b / 1024).toFixed(1)} KB`;
  return `${(b / 1024 / 1024).toFixed(1)} MB`;
}
