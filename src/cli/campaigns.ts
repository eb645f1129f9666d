import { InvalidArgumentError, Option, type Command } from 'commander';
import type { AppContext } from '../app/context.ts';
import type { AuthContext } from '../brands/model.ts';
import { CAMPAIGN_STATUSES, MESSAGE_LOG_STATUSES, type Campaign, type CampaignProgress } from '../campaigns/model.ts';
import { cliAuth, print, table, withContext } from './common.ts';

/**
 * `tidings campaigns …`: the same CampaignsService the API uses. `send` waits by default: it
 * fans out and dispatches in this process with a live progress bar (any running `tidings serve`
 * or `tidings worker` shares the work safely), and Ctrl-C leaves the rest to those workers.
 */

/** Statuses after which there is nothing left to watch. */
const SETTLED_OR_HELD = new Set(['sent', 'failed', 'cancelled', 'paused', 'draft']);
const POLL_MS = 500;

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

const n = (x: number) => x.toLocaleString('en-US');
const campaignRow = (c: Campaign) => ({ id: c.id, name: c.name, status: c.status, recipients: c.recipients, sent: c.sent, skipped: c.skipped, failed: c.failed, sendAt: c.sendAt ?? '' });

function describeCampaign(c: Campaign): void {
  const lines: Array<[string, unknown]> = [
    ['id', c.id],
    ['name', c.name],
    ['status', c.statusReason ? `${c.status} (${c.statusReason})` : c.status],
    ['email', c.emailId ? `${c.emailId}${c.emailVersion ? ` v${c.emailVersion}` : ''}` : '(deleted)'],
    ['audience', [...c.audience.segmentIds.map((s) => `segment ${s}`), ...c.audience.tagIds.map((t) => `tag ${t}`)].join(', ') || '(none)'],
    ['schedule', c.schedule ? `${c.schedule.at} ${c.schedule.perRecipientZone ? "in each recipient's zone" : c.schedule.zone} (starts ${c.sendAt})` : ''],
    ['tracking', `opens ${c.trackOpens ? 'on' : 'off'}, clicks ${c.trackClicks ? 'on' : 'off'}`],
    ['counts', `${n(c.recipients)} recipients: ${n(c.sent)} sent, ${n(c.skipped)} skipped, ${n(c.failed)} failed, ${n(c.cancelled)} cancelled`],
  ];
  for (const [k, v] of lines) if (v !== '') process.stdout.write(`${k.padEnd(10)}${v}\n`);
}

export function registerCampaignCommands(program: Command): void {
  const campaigns = program.command('campaigns').description('send one email to an audience, now or later');

  campaigns
    .command('create')
    .description('create a draft campaign')
    .requiredOption('--name <name>')
    .requiredOption('--email <id>', 'the email to send')
    .option('--segment <ids...>', 'segments of the audience')
    .option('--tag <names...>', 'tags of the audience (contacts with any of them)')
    .option('--topic <id>', 'the topic: its opted-out contacts are skipped')
    .option('--provider <id>', "provider account (default: the brand's default)")
    .option('--subject <text>', "override the email's subject")
    .option('--from-name <name>')
    .option('--from-email <address>')
    .option('--reply-to <address>')
    .option('--no-track-opens', 'no open pixel')
    .option('--no-track-clicks', 'no click tracking')
    .action(async (o, cmd) =>
      withContext(async (ctx) => {
        const auth = await cliAuth(ctx, cmd);
        const tagIds = o.tag ? await ctx.audience.tagIdsForNames(auth.brandId, o.tag, { create: false, field: '--tag' }) : [];
        const c = await ctx.campaigns.create(auth, {
          name: o.name,
          emailId: o.email,
          audience: { segmentIds: o.segment ?? [], tagIds },
          topicId: o.topic,
          providerId: o.provider,
          subject: o.subject,
          fromName: o.fromName,
          fromEmail: o.fromEmail,
          replyTo: o.replyTo,
          trackOpens: o.trackOpens,
          trackClicks: o.trackClicks,
        });
        print(cmd, c, () => process.stdout.write(`Created campaign ${c.name} (${c.id}), a draft\n`));
      }),
    );

  campaigns
    .command('list')
    .description('campaigns, newest first')
    .addOption(new Option('--status <status>').choices(CAMPAIGN_STATUSES))
    .option('--search <text>', 'name contains')
    .option('--archived', 'archived campaigns instead')
    .option('--limit <n>', 'at most 500', wholeNumber, 50)
    .option('--cursor <cursor>', 'next page: the cursor printed by the previous one')
    .action(async (o, cmd) =>
      withContext(async (ctx) => {
        const { brandId } = await cliAuth(ctx, cmd);
        const page = await ctx.campaigns.list(brandId, { status: o.status, search: o.search, archived: Boolean(o.archived), limit: o.limit, cursor: o.cursor });
        print(cmd, page, () => {
          table(page.data.map(campaignRow), ['id', 'name', 'status', 'recipients', 'sent', 'skipped', 'failed', 'sendAt']);
          if (page.nextCursor) process.stdout.write(`more: --cursor ${page.nextCursor}\n`);
        });
      }),
    );

  campaigns
    .command('show <id>')
    .description('a campaign with its status and counts')
    .action(async (id, _o, cmd) =>
      withContext(async (ctx) => {
        const { brandId } = await cliAuth(ctx, cmd);
        const c = await ctx.campaigns.get(brandId, id);
        print(cmd, c, () => describeCampaign(c));
      }),
    );

  campaigns
    .command('audience <id>')
    .description('who the audience resolves to now, and who would be skipped and why')
    .action(async (id, _o, cmd) =>
      withContext(async (ctx) => {
        const { brandId } = await cliAuth(ctx, cmd);
        const p = await ctx.campaigns.audiencePreview(brandId, id);
        print(cmd, p, () => {
          process.stdout.write(`${n(p.recipients)} in the audience, ${n(p.sendable)} would get it\n`);
          for (const [reason, count] of Object.entries(p.skipped)) process.stdout.write(`  skipped ${reason.padEnd(15)}${n(count)}\n`);
        });
      }),
    );

  campaigns
    .command('send <id>')
    .description('send now (preflight first) and follow the progress until it is done')
    .option('--override-preflight', 'send despite critical preflight findings (audited)')
    .option('--no-wait', 'return once sending has started; the workers do the rest')
    .action(async (id, o, cmd) =>
      withContext(async (ctx) => {
        const auth = await cliAuth(ctx, cmd);
        const c = await ctx.campaigns.send(auth, id, { overridePreflight: o.overridePreflight });
        if (!o.wait) return print(cmd, c, () => process.stdout.write(`Sending ${c.name} (${c.id}); follow it with: tidings campaigns stats ${c.id}\n`));
        const final = await sendHere(ctx, auth, c, Boolean(cmd.optsWithGlobals().json));
        print(cmd, final, () => describeCampaign(final));
        if (final.status === 'failed' || final.status === 'paused') process.exitCode = 1;
      }),
    );

  campaigns
    .command('schedule <id>')
    .description("schedule at a local time in a zone, or at that time in each recipient's own zone")
    .requiredOption('--at <local-time>', 'e.g. 2026-12-01T09:00 (no offset)')
    .option('--zone <iana>', "e.g. Europe/Berlin (with --per-recipient-zone: for contacts whose zone is unknown; default the brand's)")
    .option('--per-recipient-zone', "at --at in each recipient's own time zone")
    .option('--override-preflight', 'schedule despite critical preflight findings (audited)')
    .action(async (id, o, cmd) =>
      withContext(async (ctx) => {
        const c = await ctx.campaigns.schedule(await cliAuth(ctx, cmd), id, { at: o.at, zone: o.zone, perRecipientZone: Boolean(o.perRecipientZone), overridePreflight: o.overridePreflight });
        print(cmd, c, () => process.stdout.write(`Scheduled ${c.name} (${c.id}) to start at ${c.sendAt}\n`));
      }),
    );

  for (const [action, verb] of [
    ['pause', 'Paused'],
    ['resume', 'Resumed'],
    ['cancel', 'Cancelled'],
    ['archive', 'Archived'],
    ['duplicate', 'Created a draft copy:'],
  ] as const) {
    campaigns
      .command(`${action} <id>`)
      .description(`${action} a campaign`)
      .action(async (id, _o, cmd) =>
        withContext(async (ctx) => {
          const c = await ctx.campaigns[action](await cliAuth(ctx, cmd), id);
          print(cmd, c, () => process.stdout.write(`${verb} ${c.name} (${c.id}): ${c.status}\n`));
        }),
      );
  }

  campaigns
    .command('stats <id>')
    .description('progress and results: sent, skipped, failed, opens, clicks, bounces…')
    .action(async (id, _o, cmd) =>
      withContext(async (ctx) => {
        const { brandId } = await cliAuth(ctx, cmd);
        const [progress, results] = await Promise.all([ctx.campaigns.progress(brandId, id), ctx.tracking.campaignStats(brandId, id)]);
        print(cmd, { progress, results }, () => {
          process.stdout.write(`${progressLine(progress)}\n`);
          const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
          process.stdout.write(
            `delivered ${n(results.delivered)} · opens ${n(results.opens.unique)} (${pct(results.rates.open)}, ${n(results.opens.machine)} machine) · clicks ${n(results.clicks.unique)} (${pct(results.rates.click)}) · bounces ${n(results.bounces.hard)} hard, ${n(results.bounces.soft)} soft · complaints ${n(results.complaints)} · unsubscribes ${n(results.unsubscribes)}\n`,
          );
        });
      }),
    );

  campaigns
    .command('logs <id>')
    .description('the outbox of a campaign, newest first: each message with its status, skip reason and last error')
    .addOption(new Option('--status <status>').choices(MESSAGE_LOG_STATUSES))
    .option('--limit <n>', 'at most 500', wholeNumber, 50)
    .option('--cursor <cursor>')
    .action(async (id, o, cmd) =>
      withContext(async (ctx) => {
        const { brandId } = await cliAuth(ctx, cmd);
        const page = await ctx.campaigns.messages(brandId, id, { status: o.status, limit: o.limit, cursor: o.cursor });
        print(cmd, page, () => {
          table(
            page.data.map((m) => ({ ...m, detail: m.skipReason ?? m.error ?? '' })),
            ['id', 'email', 'status', 'attempts', 'sentAt', 'detail'],
          );
          if (page.nextCursor) process.stdout.write(`more: --cursor ${page.nextCursor}\n`);
        });
      }),
    );
}

/**
 * Fans out and dispatches in this process until the campaign settles, drawing progress. Ctrl-C
 * stops this process's part; in-flight messages settle first, and the campaign stays `sending`
 * for the background workers.
 */
async function sendHere(ctx: AppContext, auth: AuthContext, c: Campaign, json: boolean): Promise<Campaign> {
  const bar = json ? null : new ProgressBar(process.stderr);
  let interrupted = false;
  const onInterrupt = () => {
    interrupted = true;
    process.stderr.write('\nStopping after the messages in flight; the background workers carry on with the rest.\n');
  };
  process.once('SIGINT', onInterrupt);
  ctx.campaigns.dispatcher.start();
  try {
    await ctx.campaigns.fanOut(c.id);
    for (;;) {
      const progress = await ctx.campaigns.progress(auth.brandId, c.id);
      bar?.update(progress);
      if (interrupted || (progress.fanoutDone && SETTLED_OR_HELD.has(progress.status))) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    process.off('SIGINT', onInterrupt);
    await ctx.campaigns.dispatcher.stop();
  }
  const progress = await ctx.campaigns.progress(auth.brandId, c.id);
  bar?.done(progress);
  return ctx.campaigns.get(auth.brandId, c.id);
}

function progressLine(p: CampaignProgress): string {
  const eta = p.etaSeconds === null ? '' : ` · ETA ${formatDuration(p.etaSeconds)}`;
  const reason = p.statusReason ? ` (${p.statusReason})` : '';
  return `${p.status}${reason} · ${n(p.sent)}/${n(p.recipients - p.skipped)} sent · ${n(p.skipped)} skipped · ${n(p.failed)} failed · ${n(p.queued + p.sending)} to go · ${p.ratePerSec}/s${eta}`;
}

function formatDuration(s: number): string {
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Redrawn in place on a terminal; a plain line every few seconds when piped to a file or CI log. */
class ProgressBar {
  private last = 0;
  private readonly tty: boolean;

  constructor(private readonly out: NodeJS.WriteStream) {
    this.tty = Boolean(out.isTTY);
  }

  update(p: CampaignProgress): void {
    const now = Date.now();
    if (now - this.last < (this.tty ? 100 : 5000)) return;
    this.last = now;
    this.out.write(this.tty ? `\r${this.line(p)}\x1b[K` : `${this.line(p)}\n`);
  }

  done(p: CampaignProgress): void {
    this.out.write(this.tty ? `\r${this.line(p)}\x1b[K\n` : `${this.line(p)}\n`);
  }

  private line(p: CampaignProgress): string {
    const width = 24;
    const total = Math.max(1, p.recipients - p.skipped);
    const filled = Math.min(width, Math.round(((p.sent + p.failed + p.cancelled) / total) * width));
    const bar = this.tty ? `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ` : '';
    return `${bar}${progressLine(p)}`;
  }
}
