import fs from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { invalid } from '../shared/errors.ts';
import type { AppContext } from '../app/context.ts';
import type { Segment } from '../audience/segments/model.ts';
import { cliAuth, print, table, withContext } from './common.ts';

/**
 * `tidings segments …`: saved filters and their live counts. Thin: each command calls the same
 * SegmentsService the API uses. A filter is given as JSON inline or as the path of a JSON file.
 */

/** `--filter '{"op":"and",…}'` or `--filter path/to/filter.json`. */
function readFilter(value: string): unknown {
  const text = /^\s*[[{]|^\s*null\s*$/.test(value) ? value : readFile(value);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalid('--filter', `is not valid JSON (${(err as Error).message})`);
  }
}

function readFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw invalid('--filter', `is neither JSON nor a readable file: ${file}`);
  }
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

const clip = (text: string, n = 60) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
const segmentRow = (s: Segment) => ({ id: s.id, name: s.name, filter: clip(JSON.stringify(s.filter)), updated: s.updatedAt });

export function registerSegmentCommands(program: Command): void {
  const segments = program.command('segments').description('saved filters over contacts, always current');

  segments
    .command('create')
    .description('save a segment')
    .requiredOption('--name <name>')
    .option('--description <text>')
    .option('--filter <json-or-file>', 'the filter tree as JSON, or a JSON file (default: everyone)')
    .action(async (o, cmd) =>
      withContext(async (ctx) => {
        const { brandId, actor } = await cliAuth(ctx, cmd);
        const s = await ctx.segments.create(brandId, { name: o.name, description: o.description, filter: o.filter === undefined ? null : readFilter(o.filter) }, actor);
        print(cmd, s, () => process.stdout.write(`Created segment ${s.name} (${s.id})\n`));
      }),
    );

  segments
    .command('update <id>')
    .description('rename a segment or replace its filter')
    .option('--name <name>')
    .option('--description <text>')
    .option('--filter <json-or-file>')
    .action(async (id, o, cmd) =>
      withContext(async (ctx) => {
        const { brandId, actor } = await cliAuth(ctx, cmd);
        const patch = { name: o.name, description: o.description, ...(o.filter !== undefined ? { filter: readFilter(o.filter) } : {}) };
        const s = await ctx.segments.update(brandId, id, patch, actor);
        print(cmd, s, () => process.stdout.write(`Updated segment ${s.name} (${s.id})\n`));
      }),
    );

  segments
    .command('list')
    .description('list saved segments')
    .option('--limit <n>', 'at most 500', wholeNumber, 100)
    .option('--cursor <cursor>', 'next page: the cursor printed by the previous one')
    .action(async (o, cmd) =>
      withContext(async (ctx) => {
        const { brandId } = await cliAuth(ctx, cmd);
        const page = await ctx.segments.list(brandId, { limit: o.limit, cursor: o.cursor });
        print(cmd, page, () => {
          table(page.data.map(segmentRow), ['id', 'name', 'filter', 'updated']);
          if (page.nextCursor) process.stdout.write(`more: --cursor ${page.nextCursor}\n`);
        });
      }),
    );

  segments
    .command('show <id>')
    .description('a segment with its filter')
    .action(async (id, _o, cmd) =>
      withContext(async (ctx) => {
        const { brandId } = await cliAuth(ctx, cmd);
        print(cmd, await ctx.segments.get(brandId, id));
      }),
    );

  segments
    .command('count [id]')
    .description('how many contacts a saved segment, or an unsaved --filter, matches now')
    .option('--filter <json-or-file>')
    .action(async (id: string | undefined, o, cmd) =>
      withContext(async (ctx) => {
        const { brandId } = await cliAuth(ctx, cmd);
        const count = await ctx.segments.count(brandId, await filterOf(ctx, brandId, id, o.filter));
        print(cmd, { count }, () => process.stdout.write(`${count}\n`));
      }),
    );

  segments
    .command('preview [id]')
    .description('the first matching contacts of a saved segment or an unsaved --filter')
    .option('--filter <json-or-file>')
    .option('--limit <n>', 'at most 100', wholeNumber, 20)
    .action(async (id: string | undefined, o, cmd) =>
      withContext(async (ctx) => {
        const { brandId } = await cliAuth(ctx, cmd);
        const data = await ctx.segments.preview(brandId, await filterOf(ctx, brandId, id, o.filter), o.limit);
        print(cmd, { data }, () => table(data as any, ['id', 'email', 'firstName', 'lastName', 'status', 'country', 'createdAt']));
      }),
    );

  segments
    .command('delete <id>')
    .description('delete a segment')
    .action(async (id, _o, cmd) =>
      withContext(async (ctx) => {
        const { brandId, actor } = await cliAuth(ctx, cmd);
        await ctx.segments.delete(brandId, id, actor);
        print(cmd, { deleted: id }, () => process.stdout.write(`Deleted segment ${id}\n`));
      }),
    );
}

/** The filter of saved segment `id`, or the one given with --filter: exactly one of them. */
async function filterOf(ctx: AppContext, brandId: string, id: string | undefined, filter: string | undefined): Promise<unknown> {
  if (id !== undefined && filter !== undefined) throw invalid('--filter', 'give a segment id or --filter, not both');
  if (id !== undefined) return (await ctx.segments.get(brandId, id)).filter;
  if (filter === undefined) throw invalid('id', 'give a segment id or --filter');
  return readFilter(filter);
}
