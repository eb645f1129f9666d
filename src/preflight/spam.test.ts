import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureInput } from './fixtures/build.ts';
import { prepareContext } from './runner.ts';
import { parseSpamAssassinReport, SPAMASSASSIN, spamFindings, spamScore } from './spam.ts';
import type { SpamResult } from './model.ts';

const SPAMMY = {
  parts: {
    subject: 'FREE MONEY!!! ACT NOW WINNER',
    content:
      '<h1 style="font-size:28px;color:#1f2933">Dear customer</h1><a href="https://bit.ly/win"><img src="https://cdn.tidings-demo.com/prize.jpg" alt="Claim your prize" width="552" height="900"></a><p style="font-size:16px;color:#1f2933">100% free money, no credit check, act now! Congratulations, you have won.</p>',
  },
};

async function score(fixture: Parameters<typeof fixtureInput>[0], binary?: string) {
  const input = await fixtureInput(fixture);
  return spamScore(await prepareContext(input), binary ? { binary } : {});
}

describe('spam score', () => {
  it('reads the score, threshold and rules (with wrapped descriptions) from a SpamAssassin report', () => {
    const report = fs.readFileSync(path.join(import.meta.dirname, 'fixtures/spamassassin-report.txt'), 'utf8');
    const parsed = parseSpamAssassinReport(report);
    expect(parsed.score).toBe(3.6);
    expect(parsed.threshold).toBe(5);
    expect(parsed.rules).toContainEqual({ name: 'HTML_IMAGE_ONLY_04', score: 1.7, description: 'BODY: HTML: images with 0-400 bytes of words' });
    expect(parsed.rules).toContainEqual({ name: 'HTML_FONT_LOW_CONTRAST', score: 0.7, description: 'BODY: HTML font color similar or identical to background' });
    expect(parsed.rules).toHaveLength(9);
  });

  it('refuses output without a report', () => {
    expect(() => parseSpamAssassinReport('Subject: hi\n\nbody')).toThrow(/no report/);
  });

  describe.skipIf(!fs.existsSync(SPAMASSASSIN))('with SpamAssassin installed', () => {
    it('scores the clean baseline well under the warning line', async () => {
      const result = await score({});
      expect(result.engine).toBe('spamassassin');
      expect(result.score).toBeLessThan(2.5);
      expect(result.note).toBeUndefined();
    }, 60_000);

    it('scores a spammy email higher and names the rules that fired', async () => {
      const [clean, spammy] = await Promise.all([score({}), score(SPAMMY)]);
      expect(spammy.score).toBeGreaterThan(clean.score);
      expect(spammy.rules.map((r) => r.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^HTML_IMAGE_ONLY_/)]));
    }, 60_000);
  });

  describe('without SpamAssassin', () => {
    const missing = '/nonexistent/spamassassin';

    it('falls back to a heuristic and says so', async () => {
      const result = await score({}, missing);
      expect(result.engine).toBe('heuristic');
      expect(result.note).toMatch(/not installed.*heuristic/i);
      expect(result.score).toBe(0);
    });

    it('scores spam signals with rules named like SpamAssassin\'s', async () => {
      const result = await score(SPAMMY, missing);
      expect(result.rules.map((r) => r.name)).toEqual(expect.arrayContaining(['TIDINGS_SUBJ_ALL_CAPS', 'TIDINGS_SUBJ_SHOUTING', 'TIDINGS_FREE_MONEY', 'TIDINGS_DEAR_SOMETHING', 'TIDINGS_URL_SHORTENER', 'TIDINGS_IMAGE_ONLY']));
      expect(result.score).toBeGreaterThanOrEqual(5);
    });

    it('counts a missing text part', async () => {
      const result = await score({ text: '' }, missing);
      expect(result.rules.map((r) => r.name)).toContain('TIDINGS_MIME_HTML_ONLY');
    });
  });

  describe('findings', () => {
    const result = (score: number, engine: SpamResult['engine'] = 'spamassassin'): SpamResult => ({ engine, score, threshold: 5, rules: [{ name: 'HTML_IMAGE_ONLY_04', score: 1.7, description: 'images' }], ms: 1 });

    it('none below 2.5, important from 2.5, critical from 5.0', () => {
      expect(spamFindings(result(2.4))).toEqual([]);
      expect(spamFindings(result(2.5))).toEqual([expect.objectContaining({ id: 'spam.score', severity: 'important' })]);
      expect(spamFindings(result(5))).toEqual([expect.objectContaining({ id: 'spam.score', severity: 'critical' })]);
    });

    it('names the engine and the main rules', () => {
      expect(spamFindings(result(6))[0].message).toMatch(/^SpamAssassin scores this email 6.*HTML_IMAGE_ONLY_04 \(1\.7\)/);
      expect(spamFindings(result(6, 'heuristic'))[0].message).toMatch(/heuristic.*not installed/);
    });
  });
});
