import { describe, expect, it } from 'vitest';
import { EmailDocument } from '../../emails/model.ts';
import { DomainError } from '../../shared/errors.ts';
import { Brief, type BriefInput, type EmailDraft } from '../model.ts';
import { draftIssues, lineIssues, textsOf } from '../rules.ts';
import { FIXTURE_BRAND, PLAIN_BRAND } from './briefs.fixture.ts';
import { composeEmail } from './compose.ts';
import { alternativeSubjects, editDraft } from './edit.ts';
import { kindOf } from './layouts.ts';
import { blocksOf } from './read.ts';

const brand = FIXTURE_BRAND;
const compose = (brief: BriefInput) => composeEmail(Brief.parse(brief), brand);
const PROMO: BriefInput = { prompt: 'Launch email for our spring coffee collection: 20% off all beans until Sunday with code SPRING20', tone: 'friendly' };
const kinds = (d: EmailDraft) => d.document.sections.map((s) => kindOf(s.id));
const block = (d: EmailDraft, id: string) => blocksOf(d.document.sections).find((b) => b.id === id)!;
const allText = (d: EmailDraft) => [d.subject, d.preheader, ...blocksOf(d.document.sections).flatMap((b) => textsOf(b).map(([, t]) => t))].join('\n');

/** Edits must leave a draft that is still valid and inbox-ready. */
function edit(d: EmailDraft, instruction: string, blockId?: string): EmailDraft {
  const out = editDraft(d, instruction, brand, blockId);
  expect(EmailDocument.safeParse(out.document).error?.issues).toBeUndefined();
  expect(draftIssues(out).filter((i) => i.severity === 'error')).toEqual([]);
  return out;
}

function refusal(d: EmailDraft, instruction: string, blockId?: string): { field: string; message: string } {
  try {
    editDraft(d, instruction, brand, blockId);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('validation_failed');
    return (err as DomainError & { details: { issues: Array<{ field: string; message: string }> } }).details.issues[0];
  }
  throw new Error(`"${instruction}" was applied`);
}

describe('built-in composer: edit by instruction', () => {
  it('"shorter" drops the least important section each time, then trims, then says it cannot', () => {
    let d = compose({ ...PROMO, length: 'long' });
    expect(kinds(d)).toEqual(['header', 'hero', 'offer', 'features', 'story', 'testimonial', 'faq', 'cta', 'signoff', 'footer']);
    d = edit(d, 'make it shorter');
    expect(kinds(d)).not.toContain('faq');
    d = edit(d, 'Shorter.');
    expect(kinds(d)).not.toContain('testimonial');
    for (let i = 0; i < 3; i++) d = edit(d, 'shorten it');
    expect(kinds(d)).toEqual(['header', 'hero', 'offer', 'signoff', 'footer']);
    expect(refusal(d, 'shorter').message).toMatch(/already as short as the built-in composer makes it/);
  });

  it('"shorter" on a selected block halves a text or a list, and refuses other blocks', () => {
    const d = compose({ ...PROMO, length: 'long', audience: 'long-time customers' });
    expect((block(edit(d, 'shorter', 'hero-intro'), 'hero-intro') as { text: string }).text).not.toContain('long-time customers');
    expect((block(edit(d, 'shorter', 'features-list'), 'features-list') as { items: string[] }).items).toHaveLength(2);
    expect(refusal(d, 'shorter', 'hero-heading')).toEqual({ field: 'blockId', message: 'a heading block cannot be made shorter; choose a text or list block' });
  });

  it('"longer" adds the next section the purpose would have, in its place', () => {
    const d = edit(compose({ ...PROMO, length: 'short' }), 'make it longer');
    expect(kinds(d)).toEqual(['header', 'hero', 'offer', 'features', 'signoff', 'footer']);
    const again = edit(d, 'add more detail');
    expect(kinds(again)).toContain('story');
  });

  it('adds a testimonial, an FAQ or a picture where they belong, and refuses what it cannot write', () => {
    const d = compose(PROMO);
    const withQuote = edit(d, 'add a testimonial section');
    expect(kinds(withQuote)).toEqual(['header', 'hero', 'offer', 'features', 'testimonial', 'cta', 'signoff', 'footer']);
    expect(block(withQuote, 'testimonial-quote')).toMatchObject({ type: 'quote', author: 'A member of the Acme Coffee community' });
    const withFaq = edit(withQuote, 'Please add an FAQ');
    expect(blocksOf(withFaq.document.sections).filter((b) => /^faq-\d$/.test(b.id)).map((b) => (b as { text: string }).text.split('\n')[0])).toEqual([
      '**How do I use my discount?**',
      '**How long does the offer last?**',
      '**How do I get started?**',
    ]);
    const withImage = edit(d, 'add an image https://cdn.acmecoffee.com/spring.jpg');
    expect(block(withImage, 'image-picture')).toMatchObject({ type: 'image', src: 'https://cdn.acmecoffee.com/spring.jpg', alt: 'our spring coffee collection' });
    expect(refusal(d, 'add an image').message).toMatch(/needs a picture/);
    expect(refusal(withQuote, 'add a testimonial').message).toBe('the email already has a testimonial section');
    expect(refusal(compose({ prompt: 'Announce our new mug' }), 'add an offer section').message).toMatch(/needs an offer/);
  });

  it('inserts an added section after the selected block’s section', () => {
    const d = edit(compose(PROMO), 'add a testimonial', 'hero-cta');
    expect(kinds(d).slice(0, 3)).toEqual(['header', 'hero', 'testimonial']);
  });

  it('removes a section, a selected block or all blocks of a type, but never the footer', () => {
    const d = compose({ ...PROMO, length: 'long' });
    expect(kinds(edit(d, 'remove the testimonial'))).not.toContain('testimonial');
    expect(kinds(edit(d, 'delete the FAQ section'))).not.toContain('faq');
    expect(blocksOf(edit(d, 'remove this block', 'story-text').document.sections).map((b) => b.id)).not.toContain('story-text');
    expect(kinds(edit(d, 'remove this block', 'story-text'))).not.toContain('story');
    const noButtons = editDraft(d, 'remove the buttons', brand);
    expect(blocksOf(noButtons.document.sections).some((b) => b.type === 'button')).toBe(false);
    expect(noButtons.notes).toEqual(['The email has no button now; readers have nothing to click.']);
    expect(refusal(d, 'remove the footer').message).toMatch(/footer stays/);
    expect(refusal(d, 'remove this block').message).toMatch(/select a block \(blockId\) or name a section/);
    expect(refusal(compose({ ...PROMO, length: 'short' }), 'remove the testimonial').message).toBe('there is no testimonial section to remove');
  });

  it('changes the button text and link everywhere, or on the selected button', () => {
    const d = compose(PROMO);
    const relabelled = edit(d, 'Change the CTA text to "Shop the beans"');
    expect(blocksOf(relabelled.document.sections).filter((b) => b.type === 'button').map((b) => (b as { text: string }).text)).toEqual(['Shop the beans', 'Shop the beans']);
    const one = edit(d, 'change the button text to Order now', 'cta-button');
    expect([(block(one, 'hero-cta') as { text: string }).text, (block(one, 'cta-button') as { text: string }).text]).toEqual(['See the offer', 'Order now']);
    const relinked = edit(d, 'change the button link to https://shop.acmecoffee.com/spring');
    expect((block(relinked, 'hero-cta') as { url: string }).url).toBe('https://shop.acmecoffee.com/spring');
    expect(refusal(d, 'change the button text to X', 'hero-heading')).toEqual({ field: 'blockId', message: 'block "hero-heading" is not a button' });
    expect(refusal(d, 'shorter', 'nope')).toEqual({ field: 'blockId', message: 'there is no block "nope" in this email' });
  });

  it('sets the subject or preheader, or suggests another one', () => {
    const d = compose(PROMO);
    expect(edit(d, 'change the subject to "Spring is here"').subject).toBe('Spring is here');
    const other = edit(d, 'Change the subject.');
    expect(other.subject).not.toBe(d.subject);
    expect(lineIssues('subject', other.subject)).toEqual([]);
    expect(edit(d, 'set the preheader to Our freshest roasts, 20% off until Sunday.').preheader).toBe('Our freshest roasts, 20% off until Sunday.');
    expect(edit(d, 'new preheader').preheader).not.toBe(d.preheader);
  });

  describe('tone', () => {
    const german = composeEmail(Brief.parse({ prompt: 'Kündige unsere neue Kaffeemaschine "Barista Pro" an', language: 'de', tone: 'friendly', length: 'long' }), PLAIN_BRAND);

    it('"more formal" turns du into Sie in everything the composer wrote, and back with "more casual"', () => {
      expect(allText(german)).toMatch(/\b(?:du|dir|dich|dein)\b/);
      const formal = editDraft(german, 'make it more formal', PLAIN_BRAND);
      expect(allText(formal)).not.toMatch(/\b(?:du|dir|dich|dein|deine)\b/);
      expect(allText(formal)).toMatch(/\bSie\b/);
      expect(formal.document.sections.find((s) => s.id === 'signoff')!.blocks[0]).toMatchObject({ text: 'Mit freundlichen Grüßen\nIhr Team von Northwind Studio' });
      expect(editDraft(formal, 'more casual', PLAIN_BRAND)).toEqual({ ...german, notes: [] });
    });

    it('leaves the author’s own sentences alone and says how many', () => {
      const own = structuredClone(german);
      (own.document.sections.find((s) => s.id === 'story')!.blocks[0] as { text: string }).text = 'Wir rösten jede Woche frisch – komm vorbei!';
      const formal = editDraft(own, 'more formal', PLAIN_BRAND);
      expect((formal.document.sections.find((s) => s.id === 'story')!.blocks[0] as { text: string }).text).toBe('Wir rösten jede Woche frisch – komm vorbei!');
      expect(formal.notes).toEqual(['1 text not written by the built-in composer was left as it was; check it in the editor.']);
    });

    it('"more playful", "calmer" and "more urgent" change the mood; asking for the current one is refused', () => {
      const d = compose(PROMO);
      expect(block(edit(d, 'more playful'), 'hero-greeting')).toMatchObject({ text: 'Hey {{ contact.first_name | default: "there" }},' });
      expect(block(edit(d, 'calmer'), 'cta-text')).toMatchObject({ text: 'Take your time, and have a look whenever it suits you.' });
      expect((block(edit(d, 'more urgent'), 'hero-intro') as { text: string }).text).toMatch(/^A quick heads-up: 20% off all beans is only available until Sunday/);
      expect(refusal(d, 'more casual').message).toBe('the email already reads casual');
    });
  });

  describe('translation', () => {
    it('rewrites the composer’s sentences in the new language and keeps the brief’s own words', () => {
      const d = compose(PROMO);
      const de = edit(d, 'translate to German');
      expect(de.language).toBe('de');
      expect(block(de, 'hero-greeting')).toMatchObject({ text: 'Hallo {{ contact.first_name | default: "zusammen" }},' });
      expect(block(de, 'offer-text')).toMatchObject({ text: 'Gib an der Kasse den Code **SPRING20** ein.' });
      expect(allText(de)).toContain('20% off all beans');
      expect(de.notes).toEqual([]);
      const fr = edit(de, 'translate it into français');
      expect([fr.language, (block(fr, 'cta-button') as { text: string }).text]).toEqual(['fr', "Voir l'offre"]);
      expect(edit(fr, 'translate to English')).toEqual({ ...d, notes: [] });
    });

    it('translates a fallback topic too, since the composer chose it', () => {
      const d = compose({ prompt: 'Tell everyone the shop has moved', purpose: 'announcement' });
      expect(allText(d)).toContain('something new');
      const es = edit(d, 'translate to Spanish');
      expect(allText(es)).toContain('algo nuevo');
      expect(allText(es)).not.toContain('something new');
    });

    it('refuses languages without built-in copy, and the language it is already in', () => {
      const d = compose(PROMO);
      expect(refusal(d, 'translate to Italian').message).toMatch(/writes en, de, fr, es, not "it"/);
      expect(refusal(d, 'translate to English').message).toBe('the email is already in en');
      expect(refusal({ ...d, language: 'it' }, 'more formal').message).toMatch(/this email is in "it", so it cannot change the tone/);
    });
  });

  it('applies several instructions in one, all or nothing', () => {
    const d = compose({ ...PROMO, length: 'long' });
    const both = edit(d, 'shorter and more formal');
    expect(kinds(both)).not.toContain('faq');
    expect(block(both, 'hero-greeting')).toMatchObject({ text: 'Hello {{ contact.first_name | default: "there" }},' });
    expect(refusal(d, 'shorter and dance').field).toBe('instruction');
  });

  it('says plainly what it understands when it does not understand', () => {
    const { field, message } = refusal(compose(PROMO), 'make it pop');
    expect(field).toBe('instruction');
    expect(message).toMatch(/^the built-in composer does not understand "make it pop"\. It understands: "shorter", "longer", "more formal"/);
    expect(message).toMatch(/translate to English \| German \| French \| Spanish/);
    expect(message).toMatch(/configure an AI composer/);
  });

  it('suggests different subject lines that meet the inbox conventions', () => {
    const d = compose(PROMO);
    const lines = alternativeSubjects(d, brand, 8);
    expect(lines).toHaveLength(8);
    expect(new Set(lines.map((l) => l.subject)).size).toBe(8);
    for (const l of lines) {
      expect(l.subject).not.toBe(d.subject);
      expect([...lineIssues('subject', l.subject), ...lineIssues('preheader', l.preheader)]).toEqual([]);
      expect(l.preheader).not.toBe(l.subject);
    }
  });
});
