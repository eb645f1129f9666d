import { InvalidArgumentError, Option, type Command } from 'commander';
import type { AppContext } from '../app/context.ts';
import { SERIES_KINDS } from '../composer/series/index.ts';
import { TONES } from '../composer/model.ts';
import { SERIES_STATUSES, type Series, type SeriesPreflight, type SeriesStats } from '../series/model.ts';
import { cliAuth, print, table, withContext } from './common.ts';

/**
 * `tidings series …`: the same SeriesService the API uses. Emails are numbered from 1 in send
 * order here (as people count them); step ids work wherever a number does.
 */

function wholeNumber(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}`);
    return n;
  };
}

/** A step by its number (1 = first) or its id. */
function stepIdOf(s: Series, ref: string): string {
  if (/^\d+$/.test(ref)) {
    const step = s.steps[Number(ref) - 1];
    if (!step) throw new InvalidArgumentError(`there is no email ${ref}: the series has ${s.steps.length}`);
    return step.id;
  }
  return ref;
}

const stepRows = (s: Series) =>
  s.steps.map((x) => ({
    n: x.position + 1,
    day: x.offsetDays,
    role: x.role,
    subject: x.email?.subject ?? '(email deleted)',
    preflight: x.email?.preflight ? `${x.email.preflight.score}${x.email.preflight.critical ? ` (${x.email.preflight.critical} critical)` : ''}` : '',
    id: x.id,
  }));

function describeSeries(s: Series): void {
  const trigger = s.trigger.type === 'segment' ? `segment ${s.trigger.segmentId}` : s.trigger.type === 'tag' ? `tag ${s.trigger.tagId}` : s.trigger.type === 'event' ? `event "${s.trigger.name}"` : s.trigger.type;
  const lines: Array<[string, unknown]> = [
    ['id', s.id],
    ['name', `${s.name} (${s.kind})`],
    ['status', s.status],
    ['sends', `at ${String(s.sendHour).padStart(2, '0')}:00 ${s.timeZone ?? "in each contact's zone (the brand's when unknown)"}`],
    ['trigger', s.triggerError ? `${trigger} — ${s.triggerError}` : trigger],
    ['exit', [s.exit.tagId && `goal tag ${s.exit.tagId}`, s.exit.event && `goal event "${s.exit.event}"`].filter(Boolean).join(', ') || 'unsubscribe, bounce, complaint, removal'],
    ['re-entry', s.reentry],
    ['enrolled', `${s.counts.enrolled}: ${s.counts.active} active, ${s.counts.completed} completed, ${s.counts.exited} exited`],
  ];
  for (const [k, v] of lines) process.stdout.write(`${k.padEnd(10)}${v}\n`);
  process.stdout.write('\n');
  table(stepRows(s), ['n', 'day', 'role', 'subject', 'preflight', 'id']);
}

function describePreflight(p: SeriesPreflight, s: Series): void {
  table(
    p.steps.map((x) => ({ n: x.position + 1, subject: s.steps[x.position]?.email?.subject ?? '', score: x.score, critical: x.counts.critical, important: x.counts.important, suggested: x.counts.suggested })),
    ['n', 'subject', 'score', 'critical', 'important', 'suggested'],
  );
  for (const f of p.series) process.stdout.write(`${f.severity.padEnd(10)}${f.id}: ${f.message}\n`);
  process.stdout.write(p.ok ? 'ready to start\n' : 'critical problems: fix them, or start with --override (managers)\n');
}

function describeStats(st: SeriesStats): void {
  const exited = Object.entries(st.exited).map(([reason, n]) => `${n} ${reason}`).join(', ') || 'none';
  process.stdout.write(`enrolled ${st.enrolled} · active ${st.active} · completed ${st.completed} · exited: ${exited}\n`);
  table(
    st.steps.map((x) => ({ n: x.position + 1, role: x.role, sent: x.sent, skipped: x.skipped, opens: x.opens, clicks: x.clicks, unsubscribes: x.unsubscribes, bounces: x.bounces, dropOff: `${(x.dropOff * 100).toFixed(1)} %` })),
    ['n', 'role', 'sent', 'skipped', 'opens', 'clicks', 'unsubscribes', 'bounces', 'dropOff'],
  );
}

export function registerSeriesCommands(program: Command): void {
  const series = program.command('series').description('email series: a sequence of emails from one brief, run as a drip');

  series
    .command('generate')
    .description('plan and write a series from one brief (1–12 emails); it starts as a draft')
    .requiredOption('--prompt <text>', 'e.g. "a 4-email welcome flow for new subscribers of a coffee subscription"')
    .option('--count <n>', 'how many emails (default: from the prompt, or the arc’s usual number)', wholeNumber(1))
    .addOption(new Option('--kind <kind>').choices(SERIES_KINDS))
    .addOption(new Option('--tone <tone>').choices(TONES))
    .option('--name <name>')
    .action(async (o, cmd) =>
      withAuth(cmd, async (ctx, auth) => {
        const brief = { prompt: o.prompt, ...(o.count !== undefined && { count: o.count }), ...(o.kind && { kind: o.kind }), ...(o.tone && { tone: o.tone }) };
        const s = await ctx.series.generate(auth, { brief, ...(o.name && { name: o.name }) });
        print(cmd, s, () => describeSeries(s));
      }),
    );

  series
    .command('list')
    .description('series, newest first')
    .addOption(new Option('--status <status>').choices(SERIES_STATUSES))
    .option('--cursor <cursor>')
    .action(async (o, cmd) =>
      withAuth(cmd, async (ctx, { brandId }) => {
        const page = await ctx.series.list(brandId, { status: o.status, cursor: o.cursor });
        print(cmd, page, () => {
          table(page.data as unknown as Array<Record<string, unknown>>, ['id', 'name', 'kind', 'status', 'steps', 'startedAt']);
          if (page.nextCursor) process.stdout.write(`more: --cursor ${page.nextCursor}\n`);
        });
      }),
    );

  series
    .command('show <id>')
    .description('a series: settings, its emails in order, enrolment counts')
    .action(async (id, _o, cmd) =>
      withAuth(cmd, async (ctx, { brandId }) => {
        const s = await ctx.series.get(brandId, id);
        print(cmd, s, () => describeSeries(s));
      }),
    );

  series
    .command('add <id>')
    .description('write a new email to fit at a position')
    .requiredOption('--position <n>', '1 = first; the emails from there on move down one', wholeNumber(1))
    .requiredOption('--role <text>', 'what the email is for, e.g. "customer story"')
    .option('--beat <text...>', 'points it makes')
    .option('--offset <days>', 'days after enrolment (default: between its neighbours)', wholeNumber(0))
    .action(async (id, o, cmd) =>
      withAuth(cmd, async (ctx, auth) => {
        const s = await ctx.series.addStep(auth, id, { position: o.position - 1, role: o.role, beats: o.beat ?? [], ...(o.offset !== undefined && { offsetDays: o.offset }) });
        print(cmd, s, () => describeSeries(s));
      }),
    );

  series
    .command('remove <id> <step>')
    .description('remove an email (by number or step id); it stays as a normal email')
    .action(async (id, step, _o, cmd) =>
      withAuth(cmd, async (ctx, auth) => {
        const s = await ctx.series.removeStep(auth, id, stepIdOf(await ctx.series.get(auth.brandId, id), step));
        print(cmd, s, () => describeSeries(s));
      }),
    );

  series
    .command('reorder <id> <steps...>')
    .description('the emails in their new order, by number or step id (e.g. 3 1 2 4); the cadence stays')
    .action(async (id, steps: string[], _o, cmd) =>
      withAuth(cmd, async (ctx, auth) => {
        const current = await ctx.series.get(auth.brandId, id);
        const s = await ctx.series.reorder(auth, id, { stepIds: steps.map((x) => stepIdOf(current, x)) });
        print(cmd, s, () => describeSeries(s));
      }),
    );

  series
    .command('edit-all <id> <instruction>')
    .description('one instruction applied to every email; each failure is reported, the rest saved')
    .action(async (id, instruction, _o, cmd) =>
      withAuth(cmd, async (ctx, auth) => {
        const r = await ctx.series.editAll(auth, id, { instruction });
        print(cmd, r, () => {
          for (const x of r.results) process.stdout.write(`email ${r.series.steps.findIndex((s) => s.id === x.stepId) + 1}: ${x.ok ? 'saved' : `failed: ${x.error}`}\n`);
        });
        if (r.results.some((x) => !x.ok)) process.exitCode = 1;
      }),
    );

  series
    .command('refine <id> <text>')
    .description('a change in plain words: "move email 3 before 1", "remove the last one", "make them shorter"')
    .action(async (id, text, _o, cmd) =>
      withAuth(cmd, async (ctx, auth) => {
        const r = await ctx.series.refine(auth, id, { text });
        print(cmd, r, () => {
          process.stdout.write(`${r.op.op}\n`);
          describeSeries(r.series);
        });
      }),
    );

  series
    .command('preflight <id>')
    .description('preflight of every email plus the series checks')
    .action(async (id, _o, cmd) =>
      withAuth(cmd, async (ctx, auth) => {
        const [p, s] = [await ctx.series.preflight(auth, id), await ctx.series.get(auth.brandId, id)];
        print(cmd, p, () => describePreflight(p, s));
        if (!p.ok) process.exitCode = 1;
      }),
    );

  series
    .command('start <id>')
    .description('start (preflight first) and enrol an audience once; on a running series, enrol another audience')
    .option('--segment <ids...>', 'segments to enrol')
    .option('--tag <names...>', 'tags to enrol (contacts with any of them)')
    .option('--override', 'start despite critical preflight findings (audited)')
    .action(async (id, o, cmd) =>
      withAuth(cmd, async (ctx, auth) => {
        const tagIds = o.tag ? await ctx.audience.tagIdsForNames(auth.brandId, o.tag, { create: false, field: '--tag' }) : [];
        const audience = o.segment || o.tag ? { audience: { segmentIds: o.segment ?? [], tagIds } } : {};
        const s = await ctx.series.start(auth, id, { ...audience, ...(o.override && { override: true }) });
        print(cmd, s, () => process.stdout.write(`Started ${s.name} (${s.id}): ${s.counts.active} enrolled; \`tidings serve\` sends each step when it is due\n`));
      }),
    );

  for (const [action, verb] of [
    ['pause', 'Paused'],
    ['resume', 'Resumed'],
  ] as const) {
    series
      .command(`${action} <id>`)
      .description(`${action} a series`)
      .action(async (id, _o, cmd) =>
        withAuth(cmd, async (ctx, auth) => {
          const s = await ctx.series[action](auth, id);
          print(cmd, s, () => process.stdout.write(`${verb} ${s.name} (${s.id}): ${s.status}\n`));
        }),
      );
  }

  series
    .command('enrol <id>')
    .description('enrol one contact into an active series (a no-op when already enrolled)')
    .option('--contact <id>')
    .option('--email <address>')
    .action(async (id, o, cmd) =>
      withAuth(cmd, async (ctx, auth) => {
        const r = await ctx.series.enrol(auth, id, { contactId: o.contact, email: o.email });
        print(cmd, r, () => process.stdout.write(r.enrolled ? `Enrolled (${r.enrolmentId})\n` : `Not enrolled: ${r.reason}${r.enrolmentId ? ` (${r.enrolmentId})` : ''}\n`));
      }),
    );

  series
    .command('stats <id>')
    .description('enrolled, active, completed, exited by reason; per email sends, opens, clicks, drop-off')
    .action(async (id, _o, cmd) =>
      withAuth(cmd, async (ctx, auth) => {
        const st = await ctx.series.stats(auth.brandId, id);
        print(cmd, st, () => describeStats(st));
      }),
    );
}

/** Runs a command with the app context and the CLI's authority on the brand. */
function withAuth(cmd: Command, fn: (ctx: AppContext, auth: Awaited<ReturnType<typeof cliAuth>>) => Promise<void>): Promise<void> {
  return withContext(async (ctx) => fn(ctx, await cliAuth(ctx, cmd)));
}
