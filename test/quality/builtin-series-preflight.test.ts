import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_BRAND } from '../../src/composer/builtin/briefs.fixture.ts';
import { BuiltinComposer } from '../../src/composer/builtin/composer.ts';
import { SERIES_KINDS, type EmailDraft, type SeriesKind } from '../../src/composer/model.ts';
import { SeriesWriter } from '../../src/composer/series/index.ts';
import { compileEmail } from '../../src/emails/compile.ts';
import type { Email } from '../../src/emails/model.ts';
import type { Finding } from '../../src/preflight/model.ts';
import { findingsOf, prepareContext } from '../../src/preflight/runner.ts';
import { seriesChecks, type SeriesCheckStep } from '../../src/preflight/series.ts';
import { preflightInput } from '../../src/preflight/service.ts';

/**
 * The quality bar for series (S6.1, S4): for every arc the built-in composer knows, the planned and
 * written emails each pass the full offline preflight with no critical finding (rendered for three
 * personas, as `PreflightService.run` does), and the series as a whole passes the series checks.
 */

const PUBLIC_URL = 'https://mail.acmecoffee.com';
const SECRET = 'quality-test-secret-0123456789abcdef';
const BRIEF = 'emails for the subscribers of our coffee subscription, 15% off the next box with code BOX15';
const brand = FIXTURE_BRAND;

function emailOf(draft: EmailDraft, i: number): Email {
  const { name, subject, preheader, category, language, document } = draft;
  return { id: `eml_series${i}`, brandId: brand.id, name, subject, preheader, category, language, document, fromName: brand.fromName, fromEmail: brand.fromEmail, replyTo: brand.replyTo, format: 'blocks', source: null, version: 1, createdAt: brand.createdAt, updatedAt: brand.updatedAt };
}

interface Checked {
  steps: SeriesCheckStep[];
  findings: Finding[][];
}

async function checkSeries(kind: SeriesKind): Promise<Checked> {
  const writer = new SeriesWriter(new BuiltinComposer());
  const written = await writer.write(await writer.plan({ prompt: BRIEF, kind }, brand), brand);
  const steps: SeriesCheckStep[] = [];
  const findings: Finding[][] = [];
  for (const [i, { step, draft }] of written.entries()) {
    const email = emailOf(draft, i);
    const compiled = await compileEmail({ email, brand });
    const input = await preflightInput({ email, brand, compiled, knownFields: [], publicUrl: PUBLIC_URL, secret: SECRET, dkim: null, now: new Date() });
    findings.push(await findingsOf(await prepareContext(input)));
    steps.push({ position: i, offsetDays: step.offsetDays, email, compiled });
  }
  return { steps, findings };
}

const summary = (f: Finding) => `${f.severity} ${f.id}: ${f.message}${f.location.excerpt ? ` [${f.location.excerpt}]` : ''}`;

describe('built-in composer series pass preflight', () => {
  const results = new Map<SeriesKind, Checked>();

  beforeAll(async () => {
    for (const kind of SERIES_KINDS) results.set(kind, await checkSeries(kind));
  }, 180_000);

  describe.each(SERIES_KINDS)('%s', (kind) => {
    it('has no critical finding in any email', () => {
      const { findings } = results.get(kind)!;
      const critical = findings.flatMap((list, i) => list.filter((f) => f.severity === 'critical').map((f) => `email ${i + 1}: ${summary(f)}`));
      expect(critical).toEqual([]);
    });

    it('passes the series checks', () => {
      expect(seriesChecks(results.get(kind)!.steps, brand).map(summary)).toEqual([]);
    });
  });
});
