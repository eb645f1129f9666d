import { Option, type Command } from 'commander';
import { CONTACT_SORTS, CONTACT_STATUSES, SUPPRESSION_REASONS, type Contact, type ContactDetail } from '../audience/model.ts';
import { cliAuth, print, table, withContext } from './common.ts';

/**
 * The audience commands: contacts, tags, topics, suppressions. Thin: each resolves the brand and
 * calls the same AudienceService the API uses. Other audience commands (import, export) attach to
 * the same `contacts` group through `commandGroup`.
 */

/** The existing top-level group of that name, or a new one: several capabilities add to `contacts`. */
export function commandGroup(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

const contactRow = (c: Contact) => ({
  id: c.id,
  email: c.email,
  name: [c.firstName, c.lastName].filter(Boolean).join(' '),
  status: c.status,
  tags: c.tags.map((t) => t.name),
  created: c.createdAt,
});

function showContact(c: ContactDetail) {
  const lines: Array<[string, unknown]> = [
    ['id', c.id],
    ['email', c.email],
    ['name', [c.firstName, c.lastName].filter(Boolean).join(' ')],
    ['status', c.status],
    ['consent', c.consentAt ? `${c.consentAt} (${c.consentSource ?? 'unknown source'})` : ''],
    ['validation', c.validationReason ? `${c.validation} (${c.validationReason})` : c.validation],
    ['suppressed', c.suppression ? `yes (${c.suppression.reason})` : 'no'],
    ['country', c.country],
    ['language', c.language],
    ['time zone', c.timeZone],
    ['phone', c.phone],
    ['tags', c.tags.map((t) => t.name).join(', ')],
    ['topics', c.topics.map((t) => `${t.name}: ${t.optedIn ? 'in' : 'out'}`).join(', ')],
    ...Object.entries(c.fields).map(([k, v]): [string, unknown] => [`fields.${k}`, v]),
    ['created', c.createdAt],
    ['updated', c.updatedAt],
  ];
  for (const [k, v] of lines) if (v !== null && v !== '') process.stdout.write(`${k.padEnd(12)} ${String(v)}\n`);
}

export function registerAudienceCommands(program: Command): void {
  const contacts = commandGroup(program, 'contacts', 'contacts of a brand');

  contacts
    .command('add')
    .description('add a contact')
    .requiredOption('--email <email>')
    .option('--first-name <name>')
    .option('--last-name <name>')
    .addOption(new Option('--status <status>', 'default: non-subscribed').choices(CONTACT_STATUSES))
    .option('--tag <names...>', 'tag names (missing tags are created)')
    .action(async (o, cmd) =>
      withContext(async (ctx) => {
        const { brandId, actor } = await cliAuth(ctx, cmd);
        const tagIds = o.tag ? await ctx.audience.tagIdsForNames(brandId, o.tag, { create: true, field: '--tag' }) : undefined;
        const c = await ctx.audience.createContact(brandId, { email: o.email, firstName: o.firstName, lastName: o.lastName, status: o.status, tagIds }, actor);
        print(cmd, c, () => process.stdout.write(`Added ${c.email} (${c.id})\n`));
      }),
    );

  contacts
    .command('list')
    .description('list contacts, newest first')
    .option('--search <text>', 'email or name contains; @domain.com for a domain')
    .addOption(new Option('--status <status>').choices(CONTACT_STATUSES))
    .option('--tag <names...>', 'with any of these tags')
    .addOption(new Option('--sort <column>').choices(CONTACT_SORTS).default('created_at'))
    .option('--limit <n>', 'at most 500', (v) => Number(v), 50)
    .option('--cursor <cursor>', 'next page: the cursor printed by the previous one')
    .action(async (o, cmd) =>
      withContext(async (ctx) => {
        const { brandId } = await cliAuth(ctx, cmd);
        const tagIds = o.tag ? await ctx.audience.tagIdsForNames(brandId, o.tag, { create: false, field: '--tag' }) : undefined;
        const page = await ctx.audience.listContacts(brandId, { search: o.search, status: o.status, tagIds, sort: o.sort, limit: o.limit, cursor: o.cursor });
        print(cmd, page, () => {
          table(page.data.map(contactRow), ['id', 'email', 'name', 'status', 'tags', 'created']);
          if (page.nextCursor) process.stdout.write(`More: --cursor ${page.nextCursor}\n`);
        });
      }),
    );

  contacts
    .command('show <id>')
    .description('one contact with tags, fields, topics and suppression')
    .action(async (id, _o, cmd) =>
      withContext(async (ctx) => {
        const c = await ctx.audience.getContact((await cliAuth(ctx, cmd)).brandId, id);
        print(cmd, c, () => showContact(c));
      }),
    );

  contacts
    .command('delete <id>')
    .description('delete a contact')
    .action(async (id, _o, cmd) =>
      withContext(async (ctx) => {
        const { brandId, actor } = await cliAuth(ctx, cmd);
        await ctx.audience.deleteContact(brandId, id, actor);
        print(cmd, { deleted: id }, () => process.stdout.write(`Deleted ${id}\n`));
      }),
    );

  const tags = commandGroup(program, 'tags', 'contact tags');
  tags.command('list').action(async (_o, cmd) =>
    withContext(async (ctx) => {
      const all = await ctx.audience.listTags((await cliAuth(ctx, cmd)).brandId);
      print(cmd, all, () => table(all as any, ['id', 'name', 'color', 'count', 'description']));
    }),
  );
  tags
    .command('create')
    .requiredOption('--name <name>')
    .option('--color <hex>', 'like #2f6fed (default: the next palette colour)')
    .option('--description <text>')
    .action(async (o, cmd) =>
      withContext(async (ctx) => {
        const t = await ctx.audience.createTag((await cliAuth(ctx, cmd)).brandId, { name: o.name, color: o.color, description: o.description });
        print(cmd, t, () => process.stdout.write(`Created tag ${t.name} (${t.id})\n`));
      }),
    );
  tags.command('delete <id>').action(async (id, _o, cmd) =>
    withContext(async (ctx) => {
      const { brandId, actor } = await cliAuth(ctx, cmd);
      await ctx.audience.deleteTag(brandId, id, actor);
      print(cmd, { deleted: id }, () => process.stdout.write(`Deleted tag ${id}\n`));
    }),
  );

  const topics = commandGroup(program, 'topics', 'subscription topics');
  topics.command('list').action(async (_o, cmd) =>
    withContext(async (ctx) => {
      const all = await ctx.audience.listTopics((await cliAuth(ctx, cmd)).brandId);
      print(cmd, all, () => table(all as any, ['id', 'name', 'defaultOptIn', 'isPublic', 'optedInCount']));
    }),
  );
  topics
    .command('create')
    .requiredOption('--name <name>')
    .option('--description <text>')
    .option('--opt-out', 'contacts are out unless they opt in (default: in unless they opt out)')
    .option('--private', 'not shown on the public preferences page')
    .action(async (o, cmd) =>
      withContext(async (ctx) => {
        const t = await ctx.audience.createTopic((await cliAuth(ctx, cmd)).brandId, {
          name: o.name,
          description: o.description,
          defaultOptIn: !o.optOut,
          isPublic: !o.private,
        });
        print(cmd, t, () => process.stdout.write(`Created topic ${t.name} (${t.id})\n`));
      }),
    );

  const suppressions = commandGroup(program, 'suppressions', 'the suppression list: addresses no marketing email goes to');
  suppressions
    .command('list')
    .option('--search <text>')
    .addOption(new Option('--reason <reason>').choices(SUPPRESSION_REASONS))
    .option('--limit <n>', 'at most 500', (v) => Number(v), 50)
    .option('--cursor <cursor>')
    .action(async (o, cmd) =>
      withContext(async (ctx) => {
        const page = await ctx.audience.listSuppressions((await cliAuth(ctx, cmd)).brandId, { search: o.search, reason: o.reason, limit: o.limit, cursor: o.cursor });
        print(cmd, page, () => {
          table(page.data as any, ['id', 'email', 'reason', 'source', 'createdAt']);
          if (page.nextCursor) process.stdout.write(`More: --cursor ${page.nextCursor}\n`);
        });
      }),
    );
  suppressions
    .command('add <email>')
    .addOption(new Option('--reason <reason>').choices(SUPPRESSION_REASONS).default('manual'))
    .option('--source <text>', 'where it came from (default: cli)')
    .action(async (email, o, cmd) =>
      withContext(async (ctx) => {
        const { brandId, actor } = await cliAuth(ctx, cmd);
        const s = await ctx.audience.addSuppression(brandId, { email, reason: o.reason, source: o.source }, actor);
        print(cmd, s, () => process.stdout.write(`Suppressed ${s.email} (${s.id})\n`));
      }),
    );
  suppressions.command('remove <id>').action(async (id, _o, cmd) =>
    withContext(async (ctx) => {
      const { brandId, actor } = await cliAuth(ctx, cmd);
      await ctx.audience.removeSuppression(brandId, id, actor);
      print(cmd, { removed: id }, () => process.stdout.write(`Removed ${id} from the suppression list\n`));
    }),
  );
}
