import { describe, expect, it } from 'vitest';
import type { Brand } from '../../brands/model.ts';
import { FIXTURE_BRAND } from '../builtin/briefs.fixture.ts';
import { BuiltinComposer } from '../builtin/composer.ts';
import { blocksOf } from '../builtin/read.ts';
import { textsOf } from '../rules.ts';
import type { EmailDraft } from '../model.ts';
import { SeriesWriter, type SeriesPlan } from './index.ts';

const composer = new BuiltinComposer();
const writer = new SeriesWriter(composer);
const text = (draft: EmailDraft) => blocksOf(draft.document.sections).flatMap((b) => textsOf(b).map(([, t]) => t)).join('\n');
const welcome = () => writer.plan({ prompt: 'a 4-email welcome flow for new subscribers of a coffee subscription' }, FIXTURE_BRAND);

describe('SeriesWriter.plan', () => {
  it('checks the brief itself, naming the field', async () => {
    await expect(writer.plan({ prompt: 'a welcome flow', count: 40 }, FIXTURE_BRAND)).rejects.toMatchObject({ code: 'validation_failed', message: 'count: must be at most 12' });
    await expect(writer.plan({ prompt: '' }, FIXTURE_BRAND)).rejects.toMatchObject({ message: 'prompt: is required' });
  });
});

describe('SeriesWriter.write', () => {
  it('writes the emails in the order of the plan, linked to their current neighbours', async () => {
    const plan = await welcome();
    // The author moved the offer email to the front after planning.
    const reordered: SeriesPlan = { ...plan, steps: [plan.steps[3], ...plan.steps.slice(0, 3)] };
    const written = await writer.write(reordered, FIXTURE_BRAND);
    expect(written.map((w) => w.step.role)).toEqual(['Offer', 'Welcome', 'Brand story', 'Tips and how-tos']);
    expect(written.map((w) => w.step.brief.series?.position)).toEqual([0, 1, 2, 3]);
    expect(written[0].step.brief.series?.previous).toBeUndefined();
    expect(written[1].step.brief.series?.previous?.role).toBe('Offer');
    expect(text(written[0].draft)).not.toMatch(/As promised|Last time we promised/);
    expect(text(written[0].draft)).toMatch(/next email.*a warm welcome to Acme Coffee/);
    expect(text(written[3].draft)).toContain("That's the last email in this series.");
  });

  it('gives a repeated subject the composer’s alternative, else a number', async () => {
    const plan = await writer.plan({ prompt: 'failed payment emails', count: 7 }, FIXTURE_BRAND);
    const subjects = (await writer.write(plan, FIXTURE_BRAND)).map((w) => w.draft.subject);
    expect(subjects).toEqual([
      "Your payment didn't go through",
      'A reminder about your payment',
      'Your payment is still open',
      'A reminder about your payment (2)',
      'Your payment is still open (2)',
      'A reminder about your payment (3)',
      'Last reminder about your payment',
    ]);
  });

  it('is the same series every time for the same plan', async () => {
    const plan = await welcome();
    expect(await writer.write(plan, FIXTURE_BRAND)).toEqual(await writer.write(plan, FIXTURE_BRAND));
  });
});

describe('SeriesWriter.writeStep', () => {
  it('writes a new email between its neighbours, halfway in time, referring to both', async () => {
    const plan = await welcome();
    const taken = (await writer.write(plan, FIXTURE_BRAND)).map((w) => w.draft.subject);
    const added = await writer.writeStep(plan, 2, 'Testimonial', ['Quote a long-time subscriber'], FIXTURE_BRAND, undefined, taken);
    expect(added.step).toMatchObject({ role: 'Testimonial', beats: ['Quote a long-time subscriber'], offsetDays: 3, handoff: 'Hand over to the next email (Tips and how-tos).' });
    expect(added.step.brief.series).toMatchObject({ position: 2, count: 5, previous: { role: 'Brand story' }, next: { role: 'Tips and how-tos', offsetDays: 5 } });
    expect(added.step.brief).not.toHaveProperty('purpose');
    const body = text(added.draft);
    expect(body).toMatch(/As promised in our last email: what other customers say|Last time we promised you what other customers say/);
    expect(body).toContain('a few tips to get more out of Acme Coffee');
    expect(taken.map((s) => s.toLowerCase())).not.toContain(added.draft.subject.toLowerCase());
  });

  it('places a new last email a gap after the last one, and a new first one at enrolment', async () => {
    const plan = await welcome();
    expect((await writer.writeStep(plan, 4, 'Check-in', [], FIXTURE_BRAND)).step.offsetDays).toBe(13);
    const first = await writer.writeStep(plan, 0, 'Teaser', [], FIXTURE_BRAND);
    expect(first.step.offsetDays).toBe(0);
    expect(first.step.brief.series).toMatchObject({ position: 0, next: { role: 'Welcome' } });
    expect(first.step.brief.series?.previous).toBeUndefined();
  });

  it.each([
    [-1, 'Tips', [], undefined, 'position: must be between 0 and 4 (the series has 4 emails)'],
    [5, 'Tips', [], undefined, 'position: must be between 0 and 4 (the series has 4 emails)'],
    [1, '', [], undefined, 'role: is empty'],
    [1, 'Tips', [''], undefined, 'beats.0: is empty'],
    [2, 'Tips', [], 1, 'offsetDays: is day 1, before the previous email (day 2)'],
    [2, 'Tips', [], 7, 'offsetDays: is day 7, after the next email (day 5)'],
  ] as const)('refuses position %i, role "%s", beats %j, offset %s', async (position, role, beats, offsetDays, message) => {
    const plan = await welcome();
    await expect(writer.writeStep(plan, position, role, [...beats], FIXTURE_BRAND, offsetDays)).rejects.toMatchObject({ code: 'validation_failed', message });
  });

  it('refuses a thirteenth email', async () => {
    const plan = await writer.plan({ prompt: 'a welcome flow', count: 12 }, FIXTURE_BRAND);
    await expect(writer.writeStep(plan, 3, 'Tips', [], FIXTURE_BRAND)).rejects.toMatchObject({ message: 'position: the series already has 12 emails, the most a series can have' });
  });
});

/** The built-in composer, counting how many edits run at once (each edit waits a tick so they overlap). */
class CountingComposer extends BuiltinComposer {
  running = 0;
  most = 0;
  override async edit(draft: EmailDraft, instruction: string, brand: Brand): Promise<EmailDraft> {
    this.most = Math.max(this.most, ++this.running);
    await new Promise((resolve) => setImmediate(resolve));
    try {
      return await super.edit(draft, instruction, brand);
    } finally {
      this.running--;
    }
  }
}

describe('SeriesWriter.editAll', () => {
  it('applies one instruction to every email, at most `concurrency` at a time', async () => {
    const counting = new CountingComposer();
    const bounded = new SeriesWriter(counting, { concurrency: 3 });
    const written = await bounded.write(await bounded.plan({ prompt: 'an onboarding series', count: 8 }, FIXTURE_BRAND), FIXTURE_BRAND);
    const results = await bounded.editAll(written.map((w) => w.draft), 'make it more formal', FIXTURE_BRAND);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(counting.most).toBe(3);
    for (const r of results) if (r.ok) expect(text(r.draft)).not.toMatch(/\b(?:we're|you're|we'll|it's)\b/i);
  });

  it('reports a failure per email and still returns the others', async () => {
    const written = await writer.write(await welcome(), FIXTURE_BRAND);
    // The brand story and the offer emails have a testimonial section; the others do not.
    const results = await writer.editAll(
      written.map((w) => w.draft),
      'remove the testimonial',
      FIXTURE_BRAND,
    );
    expect(results.map((r) => r.ok)).toEqual([false, true, false, true]);
    expect(results[0]).toEqual({ ok: false, error: 'instruction: there is no testimonial section to remove' });
    if (results[1].ok) expect(results[1].draft.document.sections.map((s) => s.id)).not.toContain('testimonial');
  });

  it('needs an instruction', async () => {
    await expect(writer.editAll([], '  ', FIXTURE_BRAND)).rejects.toMatchObject({ message: 'instruction: is required' });
  });
});
