import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { EMAIL_CATEGORIES, LIMITS, PERSONAS, type Email, type EmailSummary } from '../emails/model.ts';
import { tooLarge } from '../emails/import.ts';
import { notFound } from '../shared/errors.ts';
import { commandGroup } from './audience.ts';
import { FIX_IDS, SEVERITIES, type PreflightReport } from '../preflight/model.ts';
import { cliAuth, print, table, withContext } from './common.ts';
import { registerComposerCommands } from './composer.ts';

/**
 * `tidings emails …`: thin commands over the services the API uses (emails, preflight); the
 * Composer's commands (generate, edit, subjects) join the same group.
 */

const summaryRow = (e: EmailSummary) => ({
  id: e.id,
  name: e.name,
  subject: e.subject,
  format: e.format,
  version: e.version,
  preflight: e.lastPreflight ? `${e.lastPreflight.score}/100` : '',
  updated: e.updatedAt,
});

function showEmail(e: Email) {
  const lines: Array<[string, unknown]> = [
    ['id', e.id],
    ['name', e.name],
    ['subject', e.subject],
    ['preheader', e.preheader],
    ['from', `${e.fromName} <${e.fromEmail}>`],
    ['reply-to', e.replyTo],
    ['category', e.category],
    ['language', e.language],
    ['format', e.format],
    ['body', e.document ? `${e.document.sections.length} sections, ${e.document.sections.reduce((n, s) => n + s.blocks.length, 0)} blocks` : `${Buffer.byteLength(e.source ?? '')} bytes of ${e.format.toUpperCase()}`],
    ['version', e.version],
    ['created', e.createdAt],
    ['updated', e.updatedAt],
  ];
  for (const [k, v] of lines) if (v !== null && v !== '') process.stdout.write(`${k.padEnd(10)} ${String(v)}\n`);
}

/** A local file within the import limit, read as bytes (an .eml may use any charset). */
function readImportFile(file: string): Buffer {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw notFound('file', file);
  }
  if (size > LIMITS.sourceBytes) throw tooLarge(path.basename(file), size);
  return fs.readFileSync(file);
}

export function registerEmailCommands(program: Command): void {
  const emails = commandGroup(program, 'emails', 'emails: generate, edit, import, render, preflight, test-send');
  registerComposerCommands(emails);

  emails
    .command('list')
    .description('emails, newest first')
    .option('--search <text>', 'name or subject contains')
    .option('--limit <n>', 'at most 500', (v) => Number(v), 50)
    .option('--cursor <cursor>', 'next page: the cursor printed by the previous one')
    .action(async (o, cmd) =>
      withContext(async (ctx) => {
        const page = await ctx.emails.list((await cliAuth(ctx, cmd)).brandId, { search: o.search, limit: o.limit, cursor: o.cursor });
        print(cmd, page, () => {
          table(page.data.map(summaryRow), ['id', 'name', 'subject', 'format', 'version', 'preflight', 'updated']);
          if (page.nextCursor) process.stdout.write(`More: --cursor ${page.nextCursor}\n`);
        });
      }),
    );

  emails
    .command('create')
    .description('create an email from the brand starter document')
    .requiredOption('--name <name>')
    .option('--subject <text>')
    .option('--preheader <text>')
    .addOption(new Option('--category <category>', 'default: marketing').choices(EMAIL_CATEGORIES))
    .option('--language <tag>', 'BCP 47, default: the brand language')
    .option('--from-name <name>')
    .option('--from-email <address>')
    .option('--reply-to <address>')
    .action(async (o, cmd) =>
      withContext(async (ctx) => {
        const e = await ctx.emails.create(await cliAuth(ctx, cmd), {
          name: o.name,
          subject: o.subject,
          preheader: o.preheader,
          category: o.category,
          language: o.language,
          fromName: o.fromName,
          fromEmail: o.fromEmail,
          replyTo: o.replyTo,
        });
        print(cmd, e, () => process.stdout.write(`Created ${e.name} (${e.id})\n`));
      }),
    );

  emails
    .command('show <id>')
    .description('one email: metadata and a summary of its body')
    .action(async (id, _o, cmd) =>
      withContext(async (ctx) => {
        const e = await ctx.emails.get((await cliAuth(ctx, cmd)).brandId, id);
        print(cmd, e, () => showEmail(e));
      }),
    );

  emails
    .command('import <file>')
    .description(`import an .html, .htm, .mjml or .eml file (at most ${LIMITS.sourceBytes / 1024 / 1024} MB)`)
    .option('--name <name>', 'default: the title or subject in the file, else the file name')
    .action(async (file, o, cmd) =>
      withContext(async (ctx) => {
        const content = readImportFile(file);
        const e = await ctx.emails.importFile(await cliAuth(ctx, cmd), { fileName: path.basename(file), content, ...(o.name ? { name: o.name } : {}) });
        print(cmd, e, () => process.stdout.write(`Imported ${e.name} (${e.id}) as ${e.format.toUpperCase()}\n`));
      }),
    );

  emails
    .command('export-html <id>')
    .description('the compiled HTML (merge tags not yet filled), to stdout or a file')
    .option('-o, --out <file>', 'write to this file')
    .action(async (id, o, cmd) =>
      withContext(async (ctx) => {
        const { compiled } = await ctx.emails.compiled((await cliAuth(ctx, cmd)).brandId, id);
        if (!o.out) return void process.stdout.write(compiled.html);
        fs.writeFileSync(o.out, compiled.html);
        print(cmd, { id, file: path.resolve(o.out), bytes: Buffer.byteLength(compiled.html) }, () => process.stdout.write(`Wrote ${o.out}\n`));
      }),
    );

  emails
    .command('render <id>')
    .description('render for one recipient: subject, headers and text part (--html for the HTML)')
    .option('--contact <id>', 'a contact of the brand')
    .addOption(new Option('--persona <persona>', 'sample data when no contact is given').choices(PERSONAS).default('full'))
    .option('--html', 'print the HTML part instead of the text part')
    .action(async (id, o, cmd) =>
      withContext(async (ctx) => {
        const msg = await ctx.emails.renderPreview((await cliAuth(ctx, cmd)).brandId, id, { contactId: o.contact, persona: o.persona });
        const { subject, html, text, headers } = msg;
        print(cmd, { subject, html, text, headers }, () => {
          process.stdout.write(`Subject: ${subject}\n`);
          for (const [k, v] of Object.entries(headers)) process.stdout.write(`${k}: ${v}\n`);
          process.stdout.write(`\n${o.html ? html : text}\n`);
        });
      }),
    );

  emails
    .command('test-send <id>')
    .description('send the current version to 1–10 addresses (needs TIDINGS_SMTP_URL)')
    .requiredOption('--to <addresses...>')
    .option('--contact <id>', "fill merge tags with this contact's data (default: sample data)")
    .action(async (id, o, cmd) =>
      withContext(async (ctx) => {
        const result = await ctx.emails.testSend(await cliAuth(ctx, cmd), id, { to: o.to, ...(o.contact ? { contactId: o.contact } : {}) });
        print(cmd, result, () => {
          for (const s of result.sent) process.stdout.write(`Sent to ${s.to} ${s.messageId}\n`);
        });
      }),
    );

  emails
    .command('preflight <id>')
    .description('check the current version as it would be sent: findings by severity, score and spam score (exit code 3 when a critical finding remains)')
    .option('--online', 'also check that links and images answer (makes network requests)')
    .addOption(new Option('--fix <fixId>', 'apply a one-click fix as a new version, then check again').choices(FIX_IDS))
    .action(async (id, o, cmd) =>
      withContext(async (ctx) => {
        const auth = await cliAuth(ctx, cmd);
        const report = o.fix ? (await ctx.preflight.applyFix(auth, id, { fixId: o.fix })).report : await ctx.preflight.run(auth, id, o.online ? { online: true } : {});
        print(cmd, report, () => showReport(report));
        // Like a linter: a script can stop on a critical finding.
        if (report.counts.critical > 0) process.exitCode = 3;
      }),
    );
}

function showReport(r: PreflightReport): void {
  const spam = r.spam.engine === 'spamassassin' ? `SpamAssassin ${r.spam.score} (spam at ${r.spam.threshold})` : `heuristic ${r.spam.score} (${r.spam.note ?? 'SpamAssassin not installed'})`;
  process.stdout.write(`Preflight of version ${r.version}: score ${r.score}/100, ${r.counts.critical} critical, ${r.counts.important} important, ${r.counts.suggested} suggested\nSpam: ${spam}\n`);
  for (const severity of SEVERITIES) {
    const findings = r.findings.filter((f) => f.severity === severity);
    if (!findings.length) continue;
    process.stdout.write(`\n${severity.toUpperCase()}\n`);
    for (const f of findings) {
      const where = [f.location.blockId && `block ${f.location.blockId}`, f.location.persona && `persona ${f.location.persona}`].filter(Boolean).join(', ');
      process.stdout.write(`  ${f.id}: ${f.message}${where ? ` [${where}]` : ''}\n    fix: ${f.fix}${f.autofix ? ` (tidings emails preflight ${r.emailId} --fix ${f.autofix.id})` : ''}\n`);
    }
  }
}
