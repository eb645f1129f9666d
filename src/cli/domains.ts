import type { Command } from 'commander';
import { invalid } from '../shared/errors.ts';
import type { PublishedRecord, SendingDomain } from '../delivery/domains/model.ts';
import { cliAuth, print, table, withContext } from './common.ts';

/** `tidings domains …`: sending domains (S9.3), the DNS records to publish and their verification. */

/** `--return-path em1234=u1234.wl.sendgrid.net` → {label, target}. */
function returnPath(value: string | undefined): { label: string; target: string } | undefined {
  if (value === undefined) return undefined;
  const [label, target, ...rest] = value.split('=');
  if (!label || !target || rest.length) throw invalid('--return-path', 'expected LABEL=TARGET, e.g. em1234=u1234.wl.sendgrid.net');
  return { label, target };
}

const domainRow = (d: SendingDomain) => ({ id: d.id, domain: d.domain, provider: d.provider, selector: d.selector, status: d.status, checked: d.lastCheckedAt ?? 'never' });
const recordRow = (r: PublishedRecord) => ({ status: r.status, type: r.type, name: r.name, value: r.priority === undefined ? r.value : `${r.priority} ${r.value}` });

function printRecords(d: SendingDomain): void {
  process.stdout.write(`${d.domain}: ${d.status}\n`);
  table(d.records.map(recordRow), ['status', 'type', 'name', 'value']);
  for (const step of d.nextSteps) process.stdout.write(`- ${step}\n`);
}

export function registerDomainCommands(program: Command): void {
  const domains = program.command('domains').description('sending domains: DKIM key, DNS records, verification');

  domains
    .command('add <domain>')
    .description('add a sending domain: generates its DKIM key pair and the records to publish')
    .requiredOption('--provider <provider>', 'smtp, ses, resend, sendgrid, mailgun or postmark')
    .option('--selector <selector>', 'DKIM selector (default: td<yyyymm>)')
    .option('--spf <mechanism>', 'SPF mechanism of your servers (required for smtp), e.g. ip4:203.0.113.7')
    .option('--region <region>', 'AWS region for SES and Resend, e.g. eu-west-1')
    .option('--return-path <label=target>', "the provider's return-path CNAME for this account (SendGrid)")
    .option('--dmarc-report-to <email>', 'where aggregate DMARC reports go')
    .action(async (domain, o, cmd) =>
      withContext(async (ctx) => {
        const { brandId, actor } = await cliAuth(ctx, cmd);
        const input = { domain, provider: o.provider, selector: o.selector, spf: o.spf, region: o.region, returnPath: returnPath(o.returnPath), dmarcReportTo: o.dmarcReportTo };
        const d = await ctx.domains.create(brandId, input, actor);
        print(cmd, d, () => {
          process.stdout.write(`Added ${d.domain} (${d.id}). Publish these records, then run: tidings domains verify ${d.id}\n`);
          for (const r of d.records) process.stdout.write(`${r.zoneLine}\n`);
        });
      }),
    );

  domains
    .command('list')
    .description('sending domains of the brand')
    .action(async (_o, cmd) =>
      withContext(async (ctx) => {
        const { brandId } = await cliAuth(ctx, cmd);
        const data = await ctx.domains.list(brandId);
        print(cmd, { data }, () => table(data.map(domainRow), ['id', 'domain', 'provider', 'selector', 'status', 'checked']));
      }),
    );

  domains
    .command('records <id>')
    .description('the DNS records to publish, as zone-file lines (with --json: every detail)')
    .action(async (id, _o, cmd) =>
      withContext(async (ctx) => {
        const { brandId } = await cliAuth(ctx, cmd);
        const d = await ctx.domains.get(brandId, id);
        print(cmd, d.records, () => {
          for (const r of d.records) process.stdout.write(`${r.zoneLine}\n`);
        });
      }),
    );

  domains
    .command('verify <id>')
    .description('look the records up in DNS now and show each one with its status')
    .action(async (id, _o, cmd) =>
      withContext(async (ctx) => {
        const { brandId } = await cliAuth(ctx, cmd);
        const d = await ctx.domains.verify(brandId, id);
        print(cmd, d, () => printRecords(d));
      }),
    );
}
