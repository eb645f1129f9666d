import { describe, expect, it } from 'vitest';
import { EmailDocument } from '../../emails/model.ts';
import { Brief, SERIES_KINDS, SERIES_MAX, SeriesBrief, type EmailDraft, type SeriesBriefInput, type SeriesKind } from '../model.ts';
import { draftIssues, textsOf } from '../rules.ts';
import { SeriesWriter } from '../series/index.ts';
import { defaultCount, MOVE_SPECS, moveOf } from './arcs.ts';
import { FIXTURE_BRAND, PLAIN_BRAND } from './briefs.fixture.ts';
import { BuiltinComposer } from './composer.ts';
import { copyLanguage } from './brief.ts';
import { catalogue, recognise } from './copy.ts';
import { blocksOf, readDraft } from './read.ts';
import { planSeries, spaced } from './series.ts';

const composer = new BuiltinComposer();
const writer = new SeriesWriter(composer);
const plan = (input: SeriesBriefInput, brand = FIXTURE_BRAND) => planSeries(SeriesBrief.parse(input), brand);
const PROMPT = 'emails for the subscribers of our coffee subscription';

/** Every sentence of a draft: subject, preheader and each paragraph of its blocks. */
function sentences(draft: EmailDraft): string[] {
  return [draft.subject, draft.preheader, ...blocksOf(draft.document.sections).flatMap((b) => textsOf(b).flatMap(([, t]) => t.split('\n\n')))];
}

/** The catalogue keys the draft's sentences were written from. */
function keysOf(draft: EmailDraft): string[] {
  const lang = copyLanguage(draft.language)!;
  return sentences(draft).flatMap((s) => recognise(lang, s, (k) => k.startsWith('series.'))?.key ?? []);
}

describe('built-in series planning: the arcs', () => {
  it.each<[SeriesKind, string[], number[]]>([
    ['welcome', ['Welcome', 'Brand story', 'Tips and how-tos', 'Offer'], [0, 2, 5, 9]],
    ['onboarding', ['First steps', 'Tips and how-tos', 'Feature spotlight', 'Social proof', 'Check-in'], [0, 2, 4, 7, 14]],
    ['launch', ['Teaser', 'Launch', 'Social proof', 'Last chance'], [0, 3, 5, 7]],
    ['nurture', ['Tips and how-tos', 'Brand story', 'Social proof', 'Feature spotlight', 'Offer'], [0, 3, 7, 12, 18]],
    ['winback', ['We miss you', 'Offer', 'Last call'], [0, 5, 12]],
    ['post-purchase', ['Thank you', 'Tips and how-tos', 'Check-in', 'Recommendations'], [0, 3, 10, 21]],
    ['event', ['Invitation', 'Programme', 'Reminder', 'Follow-up'], [0, 4, 7, 10]],
    ['dunning', ['Payment failed', 'Payment reminder', 'Final notice'], [0, 3, 7]],
  ])('%s: %j on days %j by default', (kind, roles, offsets) => {
    const p = plan({ prompt: PROMPT, kind });
    expect(p.kind).toBe(kind);
    expect(p.steps.map((s) => s.role)).toEqual(roles);
    expect(p.steps.map((s) => s.offsetDays)).toEqual(offsets);
    expect(defaultCount(kind)).toBe(roles.length);
  });

  it.each(SERIES_KINDS)('%s: any length from 1 to 12, spaced at least a day apart, every role its own and read back as its move', (kind) => {
    for (let count = 1; count <= SERIES_MAX; count++) {
      const { steps } = plan({ prompt: PROMPT, kind, count });
      expect(steps).toHaveLength(count);
      expect(steps[0].offsetDays).toBe(0);
      steps.slice(1).forEach((s, i) => expect(s.offsetDays - steps[i].offsetDays).toBeGreaterThanOrEqual(1));
      expect(new Set(steps.map((s) => s.role)).size).toBe(count);
      for (const s of steps) expect(MOVE_SPECS[moveOf(s.role, s.beats, kind)].role).toBe(s.role.replace(/, part \d+$/, ''));
    }
  });

  it('keeps the most important emails of a shorter arc and adds emails before the closing ones of a longer one', () => {
    expect(plan({ prompt: PROMPT, kind: 'welcome', count: 2 }).steps.map((s) => [s.role, s.offsetDays])).toEqual([['Welcome', 0], ['Offer', 9]]);
    expect(plan({ prompt: PROMPT, kind: 'launch', count: 1 }).steps.map((s) => [s.role, s.offsetDays])).toEqual([['Launch', 0]]);
    const event = plan({ prompt: PROMPT, kind: 'event', count: 6 }).steps.map((s) => [s.role, s.offsetDays]);
    expect(event).toEqual([['Invitation', 0], ['Programme', 4], ['Social proof', 6], ['Tips and how-tos', 8], ['Reminder', 11], ['Follow-up', 14]]);
  });

  it('follows the cadence the prompt asks for', () => {
    expect(plan({ prompt: 'a welcome flow spread over two weeks' }).steps.map((s) => s.offsetDays)).toEqual([0, 3, 8, 14]);
    expect(plan({ prompt: 'a weekly welcome flow' }).steps.map((s) => s.offsetDays)).toEqual([0, 7, 14, 21]);
    // Squeezed into a short span, emails still keep a day apart.
    expect(spaced([0, 2, 5, 9, 13], { spanDays: 2 })).toEqual([0, 1, 2, 3, 4]);
  });

  it('reads the kind and count from the prompt, names the series and is deterministic', () => {
    const p = plan({ prompt: 'a 4-email welcome flow for new subscribers of a coffee subscription' });
    expect(p).toMatchObject({ name: 'Welcome flow: new subscribers', kind: 'welcome', notes: [] });
    expect(p.steps).toHaveLength(4);
    expect(plan({ prompt: 'a 4-email welcome flow for new subscribers of a coffee subscription' })).toEqual(p);
    expect(plan({ prompt: 'Invite customers to our autumn tasting evening in Berlin on October 3 at 6pm' }).name).toBe('Event series: our autumn tasting evening');
  });

  it('gives every email a valid brief of its own that knows its place and its neighbours', () => {
    const p = plan({ prompt: 'a 3-email welcome flow, 10% off the first order', tone: 'playful', audience: 'new subscribers', ctaUrl: 'https://shop.acmecoffee.com' });
    for (const s of p.steps) expect(Brief.safeParse(s.brief).success).toBe(true);
    expect(p.steps[0].brief).toMatchObject({ prompt: 'a 3-email welcome flow, 10% off the first order', tone: 'playful', audience: 'new subscribers', ctaUrl: 'https://shop.acmecoffee.com', purpose: 'welcome' });
    expect(p.steps.map((s) => s.brief.series)).toEqual([
      { kind: 'welcome', position: 0, count: 3, role: 'Welcome', beats: MOVE_SPECS.hello.beats, handoff: 'Tease the next email (tips and how-tos, day 5).', offsetDays: 0, next: { role: 'Tips and how-tos', offsetDays: 5 } },
      { kind: 'welcome', position: 1, count: 3, role: 'Tips and how-tos', beats: MOVE_SPECS.tips.beats, handoff: 'Tease the next email (offer, day 9).', offsetDays: 5, previous: { role: 'Welcome', handoff: 'Tease the next email (tips and how-tos, day 5).' }, next: { role: 'Offer', offsetDays: 9 } },
      { kind: 'welcome', position: 2, count: 3, role: 'Offer', beats: MOVE_SPECS.offer.beats, handoff: '', offsetDays: 9, previous: { role: 'Tips and how-tos', handoff: 'Tease the next email (offer, day 9).' } },
    ]);
  });

  it('refuses a 40-email brief, naming count', async () => {
    await expect(composer.planSeries(SeriesBrief.parse({ prompt: 'a 40-email welcome flow' }), FIXTURE_BRAND)).rejects.toMatchObject({ code: 'validation_failed', message: 'count: must be at most 12 (the prompt asks for 40 emails)' });
  });

  it('reads roles a person typed as the nearest move', () => {
    expect(moveOf('Testimonial', [], 'welcome')).toBe('proof');
    expect(moveOf('Customer story', [], 'nurture')).toBe('proof');
    expect(moveOf('Reminder', [], 'event')).toBe('countdown');
    expect(moveOf('Reminder', [], 'launch')).toBe('reminder');
    expect(moveOf('Payment reminder', [], 'dunning')).toBe('retry');
    expect(moveOf('Something', ['share a 10% discount'], 'welcome')).toBe('offer');
    expect(moveOf('Something else', [], 'dunning')).toBe('retry');
  });
});

describe('built-in series writing: one story', () => {
  it.each(SERIES_KINDS)('%s: every email refers back and ahead (but payment reminders), the last one closes, and no subject repeats', async (kind) => {
    const p = plan({ prompt: PROMPT, kind });
    const written = await writer.write(p, FIXTURE_BRAND);
    const subjects = written.map((w) => w.draft.subject.toLowerCase());
    expect(new Set(subjects).size).toBe(subjects.length);
    // A dunning email is sent only while the payment is open, so it promises nothing about the next one.
    const story = kind !== 'dunning';
    written.forEach(({ draft }, i) => {
      const keys = keysOf(draft);
      expect(keys.includes('series.back'), `email ${i + 1} refers back`).toBe(story && i > 0);
      expect(keys.includes('series.next'), `email ${i + 1} refers ahead`).toBe(story && i < written.length - 1);
      expect(keys.includes('series.last'), `email ${i + 1} closes the series`).toBe(story && i === written.length - 1);
    });
  });

  it('names what the next email brings in the words that email opens with', async () => {
    const written = await writer.write(plan({ prompt: 'a 3-email welcome flow for new subscribers' }), FIXTURE_BRAND);
    const [first, second, third] = written.map((w) => sentences(w.draft).join('\n'));
    expect(first).toContain("In our next email, you'll find a few tips to get more out of Acme Coffee.");
    expect(second).toMatch(/(?:As promised in our last email: |Last time we promised you )a few tips to get more out of Acme Coffee\./);
    expect(second).toMatch(/next email.*a little something just for you\./);
    expect(third).toMatch(/a little something just for you/);
    expect(third).toContain("That's the last email in this series.");
  });

  it.each(SERIES_KINDS)('%s at 12 emails: still no repeated subject, and every email inbox-ready', async (kind) => {
    const written = await writer.write(plan({ prompt: PROMPT, kind, count: 12 }), FIXTURE_BRAND);
    expect(new Set(written.map((w) => w.draft.subject.toLowerCase())).size).toBe(12);
    for (const { draft } of written) {
      expect(EmailDocument.safeParse(draft.document).error?.issues).toBeUndefined();
      expect(draftIssues(draft).filter((i) => i.severity === 'error')).toEqual([]);
      expect(blocksOf(draft.document.sections).filter((b) => b.type === 'heading' && b.level === 1)).toHaveLength(1);
      expect(draft.document.sections.at(-1)!.blocks.at(-1)!.type).toBe('footer');
    }
  });

  it('keeps one voice across the series', async () => {
    for (const tone of ['formal', 'playful'] as const) {
      const written = await writer.write(plan({ prompt: PROMPT, kind: 'onboarding', tone }), FIXTURE_BRAND);
      const voices = written.map((w) => readDraft(w.draft, FIXTURE_BRAND).voice.register);
      expect(new Set(voices)).toEqual(new Set([tone === 'formal' ? 'formal' : 'informal']));
    }
  });

  it.each([
    ['de', 'In unserer nächsten E-Mail', 'Wie in unserer letzten E-Mail versprochen'],
    ['fr', 'Dans notre prochain e-mail', 'Comme promis dans notre dernier e-mail'],
    ['es', 'En nuestro próximo correo', 'Como prometimos en nuestro último correo'],
  ])('writes a %s series in that language, linked the same way', async (language, ahead, back) => {
    const written = await writer.write(plan({ prompt: PROMPT, kind: 'welcome', language, tone: 'formal' }, PLAIN_BRAND), PLAIN_BRAND);
    expect(written.map((w) => w.draft.language)).toEqual(written.map(() => language));
    const text = written.map((w) => sentences(w.draft).join('\n'));
    expect(text[0]).toContain(ahead);
    expect(text[1]).toContain(back);
    expect(text.join('\n')).not.toMatch(/In our next email|As promised/);
  });

  it('writes a language it has no copy for in English, and says why', async () => {
    const p = plan({ prompt: PROMPT, kind: 'welcome', language: 'it' });
    expect(p.notes.some((n) => n.includes('"it"'))).toBe(true);
    const [{ draft }] = await writer.write(p, FIXTURE_BRAND);
    expect([draft.language, draft.notes?.some((n) => n.includes('"it"'))]).toEqual(['en', true]);
  });

  it('names each email by its role, and leads dunning emails to the billing page', async () => {
    const written = await writer.write(plan({ prompt: 'failed payment emails', ctaUrl: 'https://acmecoffee.com/billing' }), FIXTURE_BRAND);
    expect(written.map((w) => w.draft.name)).toEqual(['Payment failed: Acme Coffee', 'Payment reminder: Acme Coffee', 'Final notice: Acme Coffee']);
    for (const { draft } of written) {
      const buttons = blocksOf(draft.document.sections).filter((b) => b.type === 'button');
      expect(buttons.map((b) => [b.text, b.url])).toEqual([['Update payment details', 'https://acmecoffee.com/billing']]);
    }
  });

  it('shows the offer where the arc has one, and falls back to the shop when the brief gives none', async () => {
    const [withOffer] = (await writer.write(plan({ prompt: 'a welcome flow with 10% off the first order using code HELLO10', count: 2 }), FIXTURE_BRAND)).slice(1);
    expect(withOffer.draft.document.sections.map((s) => s.id)).toContain('offer');
    expect(sentences(withOffer.draft).join('\n')).toContain('HELLO10');
    const [withoutOffer] = (await writer.write(plan({ prompt: 'a welcome flow', count: 2 }), FIXTURE_BRAND)).slice(1);
    expect(withoutOffer.draft.document.sections.map((s) => s.id)).not.toContain('offer');
    expect(blocksOf(withoutOffer.draft.document.sections).find((b) => b.type === 'button')).toMatchObject({ text: 'Visit the shop' });
  });
});

describe('built-in edits of series emails', () => {
  it('translates the links between emails along with the rest', async () => {
    const [first] = await writer.write(plan({ prompt: PROMPT, kind: 'welcome', tone: 'friendly' }), FIXTURE_BRAND);
    const german = await composer.edit(first.draft, 'translate to German', FIXTURE_BRAND);
    const text = sentences(german).join('\n');
    expect(text).toContain('die Geschichte hinter Acme Coffee');
    expect(text).not.toMatch(/next email|story behind/);
    expect(catalogue('de')['series.next']).toBeDefined();
  });

  it('suggests other subjects of the same move only, and says when there are none', async () => {
    const [, reminder] = await writer.write(plan({ prompt: 'failed payment emails' }), FIXTURE_BRAND);
    expect(await composer.subjects(reminder.draft, FIXTURE_BRAND, 5)).toEqual([{ subject: 'Your payment is still open', preheader: reminder.draft.preheader }]);
    // Without an offer, the offer email has a single subject that fits.
    const [, offer] = await writer.write(plan({ prompt: 'a welcome flow', count: 2 }), FIXTURE_BRAND);
    await expect(composer.subjects(offer.draft, FIXTURE_BRAND, 5)).rejects.toMatchObject({ message: 'count: the built-in composer has no other subject line for this email of a series; write one yourself' });
  });
});
