import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BuiltinComposer } from '../../src/composer/builtin/composer.ts';
import { FIXTURE_BRIEFS, type FixtureBrief } from '../../src/composer/builtin/briefs.fixture.ts';
import { Brief } from '../../src/composer/model.ts';
import { compileEmail } from '../../src/emails/compile.ts';
import type { Finding, SpamResult } from '../../src/preflight/model.ts';
import { findingsOf, prepareContext } from '../../src/preflight/runner.ts';
import { preflightInput } from '../../src/preflight/service.ts';
import { SPAM_WARNING, SPAMASSASSIN, spamFindings, spamScore } from '../../src/preflight/spam.ts';
import type { CheckContext } from '../../src/preflight/checks/check.ts';
import { mapLimit } from '../../src/shared/concurrency.ts';

/**
 * The issue's quality bar (S3.2, S4): every email the built-in composer writes for a set of varied
 * briefs passes the full offline preflight with no critical finding and scores below 2.5 in
 * SpamAssassin. The emails are rendered and checked exactly as `PreflightService.run` does it
 * (three personas, the tracked MIME as sent), minus storing the report.
 *
 * SpamAssassin is required, not optional: without it the spam half of the bar cannot be checked,
 * so the test fails and says how to install it (`.ci/run` does).
 */

const PUBLIC_URL = 'https://mail.acmecoffee.com';
const SECRET = 'quality-test-secret-0123456789abcdef';
/** SpamAssassin takes about a second per message in its own process: two at a time on two cores. */
const SPAM_CONCURRENCY = 2;
const SA_MISSING = `SpamAssassin is not installed at ${SPAMASSASSIN}: the quality bar needs its score. Install it (apt-get install spamassassin; .ci/run does).`;

interface Checked {
  subject: string;
  findings: Finding[];
  spam: Omit<SpamResult, 'ms'> | null;
}

async function check({ brief, brand }: FixtureBrief): Promise<{ subject: string; ctx: CheckContext; findings: Finding[] }> {
  const draft = await new BuiltinComposer().generate(Brief.parse(brief), brand);
  const email = {
    id: 'eml_quality',
    version: 1,
    category: draft.category,
    language: draft.language,
    subject: draft.subject,
    preheader: draft.preheader,
    fromName: brand.fromName,
    fromEmail: brand.fromEmail,
    replyTo: brand.replyTo,
    format: 'blocks' as const,
    document: draft.document,
    source: null,
  };
  const compiled = await compileEmail({ email, brand });
  const input = await preflightInput({
    email: { ...email, brandId: brand.id, name: draft.name, createdAt: brand.createdAt, updatedAt: brand.updatedAt },
    brand,
    compiled,
    knownFields: [],
    publicUrl: PUBLIC_URL,
    secret: SECRET,
    dkim: null,
    now: new Date(),
  });
  const ctx = await prepareContext(input);
  return { subject: draft.subject, ctx, findings: await findingsOf(ctx) };
}

const hasSpamAssassin = fs.existsSync(SPAMASSASSIN);
const summary = (f: Finding) => `${f.severity} ${f.id}: ${f.message}${f.location.excerpt ? ` [${f.location.excerpt}]` : ''}`;

describe('built-in composer emails pass preflight', () => {
  const results = new Map<string, Checked>();

  beforeAll(async () => {
    const checked = await Promise.all(FIXTURE_BRIEFS.map(check));
    const spam = hasSpamAssassin ? await mapLimit(checked, SPAM_CONCURRENCY, ({ ctx }) => spamScore(ctx)) : [];
    FIXTURE_BRIEFS.forEach((f, i) => {
      const result = spam[i] ?? null;
      const findings = [...checked[i].findings, ...(result ? spamFindings(result) : [])];
      results.set(f.label, { subject: checked[i].subject, findings, spam: result && { engine: result.engine, score: result.score, threshold: result.threshold, rules: result.rules, ...(result.note ? { note: result.note } : {}) } });
    });
  }, 180_000); // about 25 s on two idle cores; a busy machine takes a few times longer

  it('covers at least 20 varied briefs', () => {
    expect(FIXTURE_BRIEFS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(FIXTURE_BRIEFS.map((f) => f.brief.language ?? f.brand.defaultLanguage)).size).toBeGreaterThanOrEqual(4);
  });

  it('has SpamAssassin to score them', () => {
    expect(hasSpamAssassin, SA_MISSING).toBe(true);
  });

  describe.each(FIXTURE_BRIEFS)('$label', ({ label }) => {
    it('has no critical finding', () => {
      const { findings } = results.get(label)!;
      expect(findings.filter((f) => f.severity === 'critical').map(summary)).toEqual([]);
    });

    it(`scores below ${SPAM_WARNING} in SpamAssassin`, () => {
      const { spam } = results.get(label)!;
      expect(spam, SA_MISSING).not.toBeNull();
      expect(spam!.engine, spam!.note).toBe('spamassassin');
      const rules = spam!.rules.filter((r) => r.score !== 0).map((r) => `${r.name} ${r.score}`);
      expect(spam!.score, `SpamAssassin rules: ${rules.join(', ')}`).toBeLessThan(SPAM_WARNING);
    });
  });
});
