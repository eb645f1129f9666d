import { describe, expect, it } from 'vitest';
import { Brief, type BriefInput } from '../model.ts';
import {
  ctaAction,
  extractAudience,
  extractCode,
  extractDeadline,
  extractOffer,
  extractPoints,
  extractTopic,
  extractWhen,
  extractWhere,
  FALLBACK_URL,
  inferPurpose,
  planBrief,
  toneFromBrandVoice,
} from './brief.ts';
import { FIXTURE_BRAND, PLAIN_BRAND } from './briefs.fixture.ts';

const plan = (brief: BriefInput, brand = FIXTURE_BRAND) => planBrief(Brief.parse(brief), brand);

describe('reading a brief', () => {
  it.each([
    ['Launch email for our spring coffee collection: 20% off all beans until Sunday', 'promo'],
    ['Announce our new espresso machine to long-time customers', 'announcement'],
    ['Invite customers to the autumn tasting evening', 'event'],
    ['Monthly newsletter with a 10% discount code for readers', 'newsletter'],
    ['Welcome new subscribers and show them around', 'welcome'],
    ["We haven't seen these customers in months, win them back", 're-engagement'],
    ['Release notes: the app now supports dark mode', 'product-update'],
    ['Einladung zur Veranstaltung in unserer Rösterei', 'event'],
    ['Soldes : 30 % de réduction sur tout', 'promo'],
    ['Write something nice', 'announcement'],
  ] as const)('infers the purpose of "%s" as %s', (prompt, purpose) => {
    expect(inferPurpose(prompt)).toBe(purpose);
  });

  it.each([
    ['Launch email for our spring coffee collection: 20% off all beans', 'our spring coffee collection'],
    ['Announce our new espresso machine, the Barista Pro, to long-time customers', 'our new espresso machine'],
    ['Introducing new loyalty programme for regulars', 'our new loyalty programme'],
    ['A newsletter about home brewing: tips and recipes', 'home brewing'],
    ['Invite our customers to the autumn tasting evening at our Berlin roastery', 'the autumn tasting evening'],
    ['Webinar on March 12 at 5pm CET: brewing better coffee at home', 'brewing better coffee'],
    ['Kündige unsere neue Kaffeemaschine "Barista Pro" an', 'Barista Pro'],
    ['Présenter notre nouvelle collection de printemps à nos clients', 'notre nouvelle collection de printemps'],
    ['Invitar a nuestros clientes a la cata de otoño el 20 de mayo', 'la cata de otoño'],
    ['Tell subscribers about Tidings 2.0. It ships today', 'Tidings 2.0'],
    ['Launch of the Barista Pro espresso machine, 15% off', 'the Barista Pro espresso machine'],
  ])('finds the topic of "%s"', (prompt, topic) => {
    expect(extractTopic(prompt)).toBe(topic);
  });

  it('names no topic rather than a wrong one: audiences, single place names and the email itself are not topics', () => {
    expect(extractTopic('Monthly newsletter for wholesale partners')).toBeNull();
    expect(extractTopic('Send an email to everyone in Madrid')).toBeNull();
    expect(extractTopic('Launch email')).toBeNull();
  });

  it('reads offers, codes, deadlines, dates, places, audiences and listed points', () => {
    expect(extractOffer('20% off all coffee beans until Sunday')).toBe('20% off all coffee beans');
    expect(extractOffer('Black Friday: save 30% on everything, ends Monday')).toBe('30% off everything');
    expect(extractOffer('win them back with free shipping on their next order')).toBe('free shipping');
    expect(extractOffer('15 % Rabatt auf alle Bohnen bis Sonntag')).toBe('15 % Rabatt auf alle Bohnen');
    expect(extractOffer('Buy one, get one half price')).toBe('buy one, get one half price');
    expect(extractOffer('A calm note about our roastery')).toBeUndefined();

    expect(extractCode('use code SPRING20 at checkout')).toBe('SPRING20');
    expect(extractCode('enter the code at checkout')).toBeUndefined();

    expect(extractDeadline('20% off until Sunday with code X')).toBe('Sunday');
    expect(extractDeadline('15 % Rabatt bis zum 3. März')).toBe('zum 3. März');
    expect(extractDeadline("jusqu'au 31 mars")).toBe('31 mars');
    expect(extractDeadline('hasta el domingo')).toBe('domingo');

    expect(extractWhen('tasting on October 3 at 6pm at the roastery')).toBe('October 3 at 6pm');
    expect(extractWhen('am 8. Mai um 18 Uhr')).toBe('8. Mai um 18 Uhr');
    expect(extractWhen('le 14 mars à 18 h')).toBe('14 mars à 18 h');
    expect(extractWhen('el 20 de mayo a las 19:00')).toBe('20 de mayo a las 19:00');

    expect(extractWhere('tasting at our Berlin roastery on October 3', 'Acme')).toBe('our Berlin roastery');
    expect(extractWhere('20% off at checkout', 'Acme')).toBeUndefined();

    expect(extractAudience('Announce the machine to long-time customers')).toBe('long-time customers');
    expect(extractAudience('Présenter la collection à nos clients fidèles')).toBe('nos clients');

    expect(extractPoints('Our newsletter: tips for cold brew, a recipe for iced lattes and news from the roastery')).toEqual(['Tips for cold brew', 'A recipe for iced lattes', 'News from the roastery']);
    expect(extractPoints('Notes:\n- New harvest arrives in May\n- Updated price list')).toEqual(['New harvest arrives in May', 'Updated price list']);
    expect(extractPoints('Sale: save 30% on everything, ends Monday')).toEqual([]);
  });

  it('picks the button from the goal, else from the purpose', () => {
    expect(ctaAction('Get people to book a demo', 'announcement')).toBe('demo');
    expect(ctaAction('Drive sign-ups: register for the webinar', 'event')).toBe('register');
    expect(ctaAction('Announce the collection', 'announcement')).toBe('explore');
    expect(ctaAction('Monthly news', 'newsletter')).toBe('read');
  });

  it('takes the tone from the brand voice when the brief has none', () => {
    expect(toneFromBrandVoice('Professional and precise')).toBe('professional');
    expect(toneFromBrandVoice('Playful, a little cheeky')).toBe('playful');
    expect(toneFromBrandVoice('')).toBe('friendly');
    expect(plan({ prompt: 'Announce X' }, { ...FIXTURE_BRAND, voice: 'formal' }).voice.register).toBe('formal');
  });

  describe('the button link', () => {
    it('uses ctaUrl first, then a link in the prompt, then a link in the brand notes', () => {
      expect(plan({ prompt: 'See https://acmecoffee.com/a', ctaUrl: 'https://acmecoffee.com/b' }).facts.ctaUrl).toBe('https://acmecoffee.com/b');
      expect(plan({ prompt: 'Our sale: https://acmecoffee.com/sale.' }).facts.ctaUrl).toBe('https://acmecoffee.com/sale');
      expect(plan({ prompt: 'Our sale' }).facts.ctaUrl).toBe('https://shop.acmecoffee.com');
    });

    it('falls back to the web version of the email, never a placeholder domain, and says so', () => {
      const p = plan({ prompt: 'Our sale' }, PLAIN_BRAND);
      expect(p.facts.ctaUrl).toBe(FALLBACK_URL);
      expect(p.notes.join(' ')).toMatch(/No link was given/);
    });

    it('takes an image link from the prompt as the picture, not as the button', () => {
      const p = plan({ prompt: 'New mug https://cdn.acmecoffee.com/mug.jpg, order at https://shop.acmecoffee.com/mug' });
      expect(p.facts.imageUrl).toBe('https://cdn.acmecoffee.com/mug.jpg');
      expect(p.facts.ctaUrl).toBe('https://shop.acmecoffee.com/mug');
    });
  });

  it('writes languages without built-in copy in English, with a note, and keeps regional tags it can write', () => {
    const italian = plan({ prompt: 'Announce X', language: 'it' });
    expect([italian.language, italian.voice.lang]).toEqual(['en', 'en']);
    expect(italian.notes.join(' ')).toMatch(/"it" is not one of them/);
    const austrian = plan({ prompt: 'Announce X', language: 'de-AT' });
    expect([austrian.language, austrian.voice.lang, austrian.notes]).toEqual(['de-AT', 'de', []]);
    expect(plan({ prompt: 'Announce X' }, PLAIN_BRAND).language).toBe('de');
  });

  it('names the field of a bad brief', () => {
    const bad = (input: unknown) => Brief.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(bad({})).toEqual(['prompt: give a prompt, or at least a goal or an offer']);
    expect(bad({ prompt: 'x', tone: 'grumpy' })?.[0]).toMatch(/^tone: /);
    expect(bad({ prompt: 'x', cta_url: 'https://a.com' })).toEqual([': unknown field "cta_url"']);
    expect(bad({ prompt: 'x', sections: ['hero', 'hero'] })).toEqual(['sections: lists a section twice']);
    expect(bad({ prompt: 'x', ctaUrl: 'shop.acme.com' })?.[0]).toMatch(/^ctaUrl: must be an absolute http\(s\) URL/);
  });
});
