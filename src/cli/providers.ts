import fs from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { invalid } from '../shared/errors.ts';
import type { ProviderAccount } from '../delivery/settings/model.ts';
import { cliAuth, print, table, withContext } from './common.ts';

/**
 * `tidings providers …` (sending accounts, S9.1) and `tidings inbox …` (the capture inbox). Thin: each
 * command calls the same services as the API. Settings are JSON inline or a JSON file; a file keeps
 * API keys out of the shell history and the process list.
 */

function readJson(option: string, value: string): Record<string, unknown> {
  const text = /^\s*\{/.test(value) ? value : readFile(option, value);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw invalid(option, `is not valid JSON (${(err as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid(option, 'must be a JSON object');
  return parsed as Record<string, unknown>;
}

function readFile(option: string, file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw invalid(option, `is neither a JSON object nor a readable file: ${file}`);
  }
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

const accountRow = (p: ProviderAccount) => ({
  id: p.id,
  name: p.name,
  kind: p.kind,
  default: p.isDefault ? 'yes' : '',
  secrets: Object.entries(p.secrets)
    .filter(([, set]) => set)
    .map(([field]) => field),
  // The URL is too long for a table column: `add` prints it, and --json has it.
  webhook: p.webhookUrl === null ? '' : p.webhook ? 'verified' : 'not set up',
});

export function registerProviderCommands(program: Command): void {
  const providers = program.command('providers').description('sending provider accounts (the capture inbox is built in)');

  providers
    .command('list')
    .description('provider accounts of the brand; secrets are never shown')
    .action(async (_o, cmd) =>
      withContext(async (ctx) => {
        const { brandId } = await cliAuth(ctx, cmd);
        const data = await ctx.providers.list(brandId);
        print(cmd, { data }, () => table(data.map(accountRow), ['id', 'name', 'kind', 'default', 'secrets', 'webhook']));
      }),
    );

  providers
    .command('add')
    .description('add a provider account')
    .requiredOption('--name <name>')
    .requiredOption('--kind <kind>', 'smtp, ses, resend, sendgrid, mailgun or postmark')
    .option('--settings <json-or-file>', "the provider's settings, e.g. '{\"apiKey\":\"re_…\"}' or a JSON file", '{}')
    .option('--webhook <json-or-file>', 'webhook verification secrets, e.g. {"secret":"whsec_…"} for Resend')
    .option('--default', "make it the brand's default provider")
    .action(async (o, cmd) =>
      withContext(async (ctx) => {
        const { brandId, actor } = await cliAuth(ctx, cmd);
        const input = {
          name: o.name,
          settings: { ...readJson('--settings', o.settings), kind: o.kind },
          webhook: o.webhook === undefined ? undefined : readJson('--webhook', o.webhook),
          isDefault: !!o.default,
        };
        const p = await ctx.providers.create(brandId, input, actor);
        print(cmd, p, () => {
          process.stdout.write(`Added ${p.kind} account ${p.name} (${p.id})${p.isDefault ? ', the default' : ''}\n`);
          if (p.webhookUrl) process.stdout.write(`Point its event webhook at ${p.webhookUrl}\n`);
        });
      }),
    );

  providers
    .command('remove <id>')
    .description('delete a provider account')
    .action(async (id, _o, cmd) =>
      withContext(async (ctx) => {
        const { brandId, actor } = await cliAuth(ctx, cmd);
        await ctx.providers.remove(brandId, id, actor);
        print(cmd, { deleted: id }, () => process.stdout.write(`Deleted provider account ${id}\n`));
      }),
    );

  providers
    .command('test <id>')
    .description('send a short test message through an account ("capture" for the capture inbox)')
    .requiredOption('--to <email>')
    .action(async (id, o, cmd) =>
      withContext(async (ctx) => {
        const { brandId } = await cliAuth(ctx, cmd);
        const result = await ctx.providers.test(brandId, id, { to: o.to });
        const { outcome } = result;
        print(cmd, result, () =>
          process.stdout.write(
            outcome.status === 'accepted'
              ? `Accepted by ${result.kind} (${result.providerId}) as ${outcome.providerMessageId}\n`
              : `${outcome.status === 'retry' ? 'Failed for now' : 'Rejected'} by ${result.kind} (${result.providerId}): ${outcome.error.kind}: ${outcome.error.message}\n`,
          ),
        );
        if (outcome.status !== 'accepted') process.exitCode = 1;
      }),
    );

  const inbox = program.command('inbox').description('messages kept by the built-in capture inbox');

  inbox
    .command('list')
    .description('captured messages, newest first')
    .option('--search <text>', 'in subject, from and to')
    .option('--limit <n>', 'at most 500', wholeNumber, 50)
    .option('--cursor <cursor>', 'next page: the cursor printed by the previous one')
    .action(async (o, cmd) =>
      withContext(async (ctx) => {
        const { brandId } = await cliAuth(ctx, cmd);
        const page = await ctx.inbox.list(brandId, { search: o.search, limit: Math.min(o.limit, 500), cursor: o.cursor });
        print(cmd, page, () => {
          table(page.data.map((m) => ({ ...m, to: m.to.join(', ') })), ['id', 'receivedAt', 'from', 'to', 'subject']);
          if (page.nextCursor) process.stdout.write(`more: --cursor ${page.nextCursor}\n`);
        });
      }),
    );

  inbox
    .command('show <id>')
    .description('a captured message: headers and text (or --raw for the message as received)')
    .option('--raw', 'print the message exactly as received (RFC 5322)')
    .action(async (id, o, cmd) =>
      withContext(async (ctx) => {
        const { brandId } = await cliAuth(ctx, cmd);
        if (o.raw) {
          process.stdout.write(await ctx.inbox.raw(brandId, id));
          return;
        }
        const m = await ctx.inbox.get(brandId, id);
        print(cmd, m, () => {
          for (const h of m.headers) process.stdout.write(`${h.name}: ${h.value}\n`);
          process.stdout.write(`\n${m.text ?? '(no text part)'}\n`);
        });
      }),
    );
}
