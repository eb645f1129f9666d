import { InvalidArgumentError, Option, type Command } from 'commander';
import { LENGTHS, PURPOSES, SECTION_KINDS, SUBJECTS_MAX, TONES } from '../composer/model.ts';
import type { Email } from '../emails/model.ts';
import { cliAuth, print, table, withContext } from './common.ts';

/**
 * `tidings emails generate|edit|subjects`: the Composer from the command line, through the same
 * ComposerService the API uses. Registered on the `emails` command group.
 */
export function registerComposerCommands(emails: Command): void {
  emails
    .command('generate [prompt...]')
    .description('write a new email from a brief with the configured composer (TIDINGS_COMPOSER)')
    .option('--goal <text>', 'what the email should achieve')
    .option('--audience <text>', 'who it is for')
    .option('--offer <text>', 'e.g. "20% off all beans until Sunday with code SPRING20"')
    .addOption(new Option('--tone <tone>').choices(TONES))
    .option('--language <tag>', 'BCP 47, default: the brand language')
    .addOption(new Option('--length <length>', 'default: medium').choices(LENGTHS))
    .addOption(new Option('--purpose <purpose>', 'default: inferred from the prompt').choices(PURPOSES))
    .option('--sections <list>', `comma-separated, in order: ${SECTION_KINDS.join(', ')}`, (v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .option('--cta-url <url>', 'where the button leads')
    .option('--cta-text <text>', 'the button label')
    .option('--image-url <url>', 'a picture for the top of the email')
    .option('--name <name>', 'default: made from the brief')
    .action(async (words: string[], o, cmd) =>
      withContext(async (ctx) => {
        const brief = {
          prompt: words.length ? words.join(' ') : undefined,
          goal: o.goal,
          audience: o.audience,
          offer: o.offer,
          tone: o.tone,
          language: o.language,
          length: o.length,
          purpose: o.purpose,
          sections: o.sections,
          ctaUrl: o.ctaUrl,
          ctaText: o.ctaText,
          imageUrl: o.imageUrl,
        };
        const e = await ctx.composer.generate(await cliAuth(ctx, cmd), { brief, ...(o.name ? { name: o.name } : {}) });
        print(cmd, e, () => describe(`Created ${e.name} (${e.id})`, e));
      }),
    );

  emails
    .command('edit <id> <instruction...>')
    .description('change an email by instruction ("make it shorter", "add a testimonial"); saves a new version')
    .option('--block <id>', 'apply the instruction to this block only')
    .action(async (id: string, words: string[], o, cmd) =>
      withContext(async (ctx) => {
        const e = await ctx.composer.edit(await cliAuth(ctx, cmd), id, { instruction: words.join(' '), ...(o.block ? { blockId: o.block } : {}) });
        print(cmd, e, () => describe(`Saved version ${e.version} of ${e.name} (${e.id})`, e));
      }),
    );

  emails
    .command('subjects <id>')
    .description('suggest other subject lines, each with a preheader')
    .option('--count <n>', `1–${SUBJECTS_MAX}`, count, 5)
    .action(async (id: string, o, cmd) =>
      withContext(async (ctx) => {
        const result = await ctx.composer.subjects(await cliAuth(ctx, cmd), id, { count: o.count });
        print(cmd, result, () => table(result.subjects.map((l) => ({ ...l })), ['subject', 'preheader']));
      }),
    );
}

function describe(headline: string, e: Email): void {
  process.stdout.write(`${headline}\nsubject    ${e.subject}\npreheader  ${e.preheader}\nlanguage   ${e.language}\n`);
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > SUBJECTS_MAX) throw new InvalidArgumentError(`expected a whole number from 1 to ${SUBJECTS_MAX}`);
  return n;
}
