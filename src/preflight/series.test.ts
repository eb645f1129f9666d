import { beforeAll, describe, expect, it } from 'vitest';
import type { Brand } from '../brands/model.ts';
import { FIXTURE_BRAND } from '../composer/builtin/briefs.fixture.ts';
import { BuiltinComposer } from '../composer/builtin/composer.ts';
import type { EmailDraft } from '../composer/model.ts';
import { SeriesWriter } from '../composer/series/index.ts';
import { compileEmail } from '../emails/compile.ts';
import type { Email } from '../emails/model.ts';
import { emailsLabel, seriesChecks, type SeriesCheckStep } from './series.ts';

/**
 * A three-email welcome series written by the built-in composer and compiled as it would be sent:
 * the baseline trips no series check, and each fixture changes one thing to trip exactly one.
 */

const UTM = 'utm_source=tidings&utm_medium=email&utm_campaign=welcome';
let drafts: EmailDraft[];

beforeAll(async () => {
  const writer = new SeriesWriter(new BuiltinComposer());
  const plan = await writer.plan({ prompt: 'a 3-email welcome flow for new subscribers', ctaUrl: `https://shop.acmecoffee.com/?${UTM}` }, FIXTURE_BRAND);
  drafts = (await writer.write(plan, FIXTURE_BRAND)).map((w) => w.draft);
});

function emailOf(draft: EmailDraft, i: number, brand: Brand, changes: Partial<Email>): Email {
  return {
    id: `eml_series${i}`,
    brandId: brand.id,
    name: draft.name,
    subject: draft.subject,
    preheader: draft.preheader,
    fromName: brand.fromName,
    fromEmail: brand.fromEmail,
    replyTo: brand.replyTo,
    category: draft.category,
    language: draft.language,
    format: 'blocks',
    document: draft.document,
    source: null,
    version: 1,
    createdAt: brand.createdAt,
    updatedAt: brand.updatedAt,
    ...changes,
  };
}

interface Variant {
  brand?: Brand;
  offsets?: number[];
  /** Changes to the email of step i, compiled with them. */
  emails?: Record<number, Partial<Email>>;
  /** Changes to the email of step i made after it was compiled (the compiled version is older). */
  after?: Record<number, Partial<Email>>;
}

async function series(v: Variant = {}): Promise<SeriesCheckStep[]> {
  const brand = v.brand ?? FIXTURE_BRAND;
  const offsets = v.offsets ?? [0, 2, 5];
  return Promise.all(
    drafts.map(async (draft, i) => {
      const email = emailOf(draft, i, brand, v.emails?.[i] ?? {});
      const compiled = await compileEmail({ email, brand });
      return { position: i, offsetDays: offsets[i], email: { ...email, ...v.after?.[i] }, compiled };
    }),
  );
}

/** The document with every button's link set to `url`. */
function linkedTo(draft: EmailDraft, url: string): Email['document'] {
  const doc = structuredClone(draft.document);
  for (const section of doc.sections) for (const block of section.blocks) if (block.type === 'button') block.url = url;
  return doc;
}

describe('series checks (S4.4)', () => {
  it('find nothing in a consistent series', async () => {
    expect(seriesChecks(await series(), FIXTURE_BRAND)).toEqual([]);
  });

  it('series.sender: one email from another sender', async () => {
    const findings = seriesChecks(await series({ emails: { 1: { fromName: 'Acme Team' } } }), FIXTURE_BRAND);
    expect(findings).toEqual([
      {
        id: 'series.sender',
        severity: 'important',
        message: 'The emails do not all come from the same sender (emails 1 and 3 from Acme Coffee <hello@acmecoffee.com>; email 2 from Acme Team <hello@acmecoffee.com>); readers recognise a series by who sends it.',
        fix: 'Use the same From name, From address and Reply-To in every email of the series.',
        location: {},
        steps: [1],
      },
    ]);
  });

  it('series.sender: a different Reply-To counts too', async () => {
    const findings = seriesChecks(await series({ emails: { 2: { replyTo: 'support@acmecoffee.com' } } }), FIXTURE_BRAND);
    expect(findings.map((f) => [f.id, f.steps])).toEqual([['series.sender', [2]]]);
    expect(findings[0].message).toContain('email 3 from Acme Coffee <hello@acmecoffee.com>, reply to support@acmecoffee.com');
  });

  it('series.subjects: two emails with the same subject, whatever the case', async () => {
    const findings = seriesChecks(await series({ emails: { 2: { subject: drafts[0].subject.toUpperCase() } } }), FIXTURE_BRAND);
    expect(findings.map((f) => [f.id, f.severity, f.steps])).toEqual([['series.subjects', 'important', [0, 2]]]);
    expect(findings[0].message).toBe(`Emails 1 and 3 have the same subject ("${drafts[0].subject}"); in the inbox they look like one email sent twice.`);
  });

  it('series.spacing: two emails on the same day, and one due before the email it follows', async () => {
    const same = seriesChecks(await series({ offsets: [0, 2, 2] }), FIXTURE_BRAND);
    expect(same.map((f) => [f.id, f.steps, f.message])).toEqual([['series.spacing', [1, 2], 'Emails 2 and 3 both go out on day 2; a series needs at least a day between its emails, or they arrive together.']]);
    const backwards = seriesChecks(await series({ offsets: [0, 5, 3] }), FIXTURE_BRAND);
    expect(backwards.map((f) => [f.id, f.steps, f.message])).toEqual([['series.spacing', [1, 2], 'Email 3 (day 3) is due before email 2 (day 5); a series needs at least a day between its emails, or they arrive together.']]);
  });

  it('series.unsubscribe: a marketing email compiled without its unsubscribe link', async () => {
    // Compiled while it was transactional, switched to marketing since.
    const findings = seriesChecks(await series({ emails: { 1: { category: 'transactional' } }, after: { 1: { category: 'marketing' } } }), FIXTURE_BRAND);
    expect(findings.map((f) => [f.id, f.severity, f.steps, f.message])).toEqual([
      ['series.unsubscribe', 'critical', [1], 'Email 2 has no visible unsubscribe link; every marketing email of a series needs one (CAN-SPAM, CASL, Gmail and Yahoo).'],
    ]);
  });

  it('series.unsubscribe: a transactional email needs none', async () => {
    expect(seriesChecks(await series({ emails: { 1: { category: 'transactional' } } }), FIXTURE_BRAND)).toEqual([]);
  });

  it('series.address: a brand without a postal address', async () => {
    const brand = { ...FIXTURE_BRAND, postalAddress: '' };
    const findings = seriesChecks(await series({ brand }), brand);
    expect(findings.map((f) => [f.id, f.severity, f.steps, f.message])).toEqual([
      ['series.address', 'critical', [0, 1, 2], 'In emails 1, 2 and 3 the brand has no postal address to show; CAN-SPAM and CASL require it in every marketing email.'],
    ]);
  });

  it('series.address: an address typed into the footer counts when the brand is known', async () => {
    const typed = (draft: EmailDraft) => {
      const doc = structuredClone(draft.document);
      const footer = doc.sections.at(-1)!.blocks.at(-1)!;
      if (footer.type === 'footer') footer.text = `${footer.text}\n\n${FIXTURE_BRAND.postalAddress}`;
      return doc;
    };
    const steps = await series({ emails: { 0: { document: typed(drafts[0]) } } });
    expect(seriesChecks(steps, FIXTURE_BRAND)).toEqual([]);
    // Without the brand only the merge tag is recognised, so the typed address is reported.
    expect(seriesChecks(steps).map((f) => [f.id, f.steps])).toEqual([['series.address', [0]]]);
  });

  it('series.utm: one email reports to another campaign', async () => {
    const spring = `https://shop.acmecoffee.com/spring?utm_source=tidings&utm_medium=email&utm_campaign=spring`;
    const findings = seriesChecks(await series({ emails: { 2: { document: linkedTo(drafts[2], spring) } } }), FIXTURE_BRAND);
    expect(findings.map((f) => [f.id, f.severity, f.steps, f.message, f.fix])).toEqual([
      [
        'series.utm',
        'important',
        [2],
        'The links use 2 utm_campaign values: "welcome" (emails 1 and 2), "spring" (email 3); a series should report as one campaign in your analytics.',
        'Use utm_campaign=welcome in every email of the series (utm_content can tell the emails apart).',
      ],
    ]);
  });

  it('name emails in send order whatever their positions, and report the positions as given', async () => {
    const steps = (await series({ offsets: [0, 4, 4] })).map((s) => ({ ...s, position: s.position + 1 })).reverse();
    const [spacing] = seriesChecks(steps, FIXTURE_BRAND);
    expect([spacing.steps, spacing.message.startsWith('Emails 2 and 3 both go out on day 4')]).toEqual([[2, 3], true]);
  });

  it('label emails the way the messages read', () => {
    expect([emailsLabel([{ n: 2 }]), emailsLabel([{ n: 1 }, { n: 3 }]), emailsLabel([{ n: 1 }, { n: 2 }, { n: 4 }])]).toEqual(['email 2', 'emails 1 and 3', 'emails 1, 2 and 4']);
  });
});
