import { describe, expect, it } from 'vitest';
import { catalogue, COPY_LANGUAGES, fill, recognise, slotsIn, textOf, Writer, type Slots } from './copy.ts';

const SAMPLE: Slots = {
  brand: 'Acme Coffee',
  topic: 'our spring collection',
  offer: '20% off all beans',
  code: 'SPRING20',
  deadline: 'Sunday',
  when: 'May 8 at 6pm',
  where: 'our Berlin roastery',
  audience: 'long-time customers',
  current: 'the story behind Acme Coffee',
  next: 'a few tips from our baristas',
};

describe('copy catalogues', () => {
  const en = catalogue('en');

  it.each(COPY_LANGUAGES)('%s has every English key with the same number of variants (so a translation keeps its variant)', (lang) => {
    const c = catalogue(lang);
    expect(Object.keys(c).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en)) expect([key, c[key].length]).toEqual([key, en[key].length]);
  });

  it.each(COPY_LANGUAGES)('%s: no sentence starts with a slot other than the brand, and every slot is a known one', (lang) => {
    for (const [key, lines] of Object.entries(catalogue(lang))) {
      if (key.startsWith('topic.')) continue;
      for (const line of lines) {
        for (const register of ['formal', 'informal'] as const) {
          const text = textOf(line, register);
          expect(text, `${lang} ${key}`).not.toMatch(/^\{(?!brand\})/);
          expect(text.replace(/\{\{[^}]*\}\}/g, '').match(/\{[^}]*\}/g) ?? []).toEqual(slotsIn(text).map((s) => `{${s}}`));
        }
      }
    }
  });

  it.each(COPY_LANGUAGES)('%s: every sentence, once written, is recognised as itself with the same words in its slots', (lang) => {
    for (const [key, lines] of Object.entries(catalogue(lang))) {
      if (key.startsWith('topic.')) continue; // slot values, not sentences
      lines.forEach((line, index) => {
        for (const register of ['formal', 'informal'] as const) {
          const text = fill(textOf(line, register), SAMPLE, lang)!;
          const found = recognise(lang, text, (k) => k === key);
          expect(found, `${lang} ${key}[${index}] ${register}`).toMatchObject({ key, index });
          for (const [slot, value] of Object.entries(found!.slots)) expect(value).toBe(SAMPLE[slot as keyof Slots]);
        }
      });
    }
  });

  it('French elides "de" before a vowel and still recognises the sentence', () => {
    const w = new Writer({ lang: 'fr', register: 'formal', mood: 'neutral' }, { brand: 'Acme', topic: 'x' }, 'seed');
    const text = w.line('preheader.product-update', 1);
    expect(text).toBe('Petits changements, grande différence\u00a0: voici les nouveautés d’Acme.');
    expect(recognise('fr', text)?.slots.brand).toBe('Acme');
  });

  it('the writer prefers the mood’s variants and skips variants whose facts are unknown', () => {
    const slots: Slots = { brand: 'Acme', topic: 'beans', offer: '20% off' };
    const urgent = new Writer({ lang: 'en', register: 'informal', mood: 'urgent' }, slots, 'seed');
    // heading.promo.urgent[0] needs a deadline, so the other urgent headline is used.
    expect(urgent.line('heading.promo')).toBe("Don't miss it: 20% off");
    expect(urgent.with({ deadline: 'Sunday' }).all('heading.promo').map((p) => p.text)).toContain('Only until Sunday: 20% off');
    expect(new Writer({ ...urgent.voice, mood: 'neutral' }, slots, 'seed').all('heading.promo').map((p) => p.key)).toEqual(['heading.promo', 'heading.promo']);
    expect(urgent.maybe('offer.code')).toBeNull();
  });

  it('the same seed picks the same variants; another seed may pick others', () => {
    const voice = { lang: 'en' as const, register: 'formal' as const, mood: 'neutral' as const };
    const pick = (seed: string) => new Writer(voice, SAMPLE, seed).line('subject.any');
    expect(pick('a')).toBe(pick('a'));
    const seen = new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map(pick));
    expect(seen.size).toBeGreaterThan(1);
  });
});
