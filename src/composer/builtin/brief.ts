import type { Brand } from '../../brands/model.ts';
import { PURPOSES, type Brief, type Length, type Purpose, type SectionKind, type Tone } from '../model.ts';
import { brandWebsite, extractUrls, isImageUrl, WEB_VERSION_URL, withoutUrls } from '../../emails/urls.ts';
import { COPY_LANGUAGES, hash, Writer, type CopyLanguage, type Mood, type Register, type Slots, type Voice } from './copy.ts';

/**
 * Reads a brief the way a copywriter would: what kind of email it is, what it is about, the offer,
 * code and deadline, the event's date and place, who it is for, and where the button should lead.
 * Everything is taken from the marketer's own words; nothing is invented beyond the copy catalogue.
 * English prompts are read best; for other languages the structured fields (offer, audience, goal)
 * and quoted product names carry the meaning.
 */

/** `billing` and `feedback` are never read from a brief: series moves (a dunning email, a check-in) ask for them. */
export const CTA_ACTIONS = ['shop', 'offer', 'book', 'demo', 'register', 'read', 'try', 'download', 'start', 'explore', 'upgrade', 'update', 'join', 'billing', 'feedback'] as const;
export type CtaAction = (typeof CTA_ACTIONS)[number];

/** What the email says, as slots for the copy and a few choices for the layout. */
export interface Facts {
  purpose: Purpose;
  slots: Slots;
  /** Items the marketer listed ("with X, Y and Z"); used instead of generic feature lines. */
  points: string[];
  action: CtaAction;
  ctaText: string | null;
  ctaUrl: string;
  imageUrl: string | null;
}

export interface Plan {
  facts: Facts;
  voice: Voice;
  length: Length;
  sections: SectionKind[] | null;
  /** The draft's language tag (the brief's, or English when its language has no built-in copy). */
  language: string;
  seed: string;
  notes: string[];
}

/** Used when no link is given: the web version of the email itself always works. */
export const FALLBACK_URL = WEB_VERSION_URL;
export const NO_LINK_NOTE = 'No link was given, so the button opens the web version of this email. Set ctaUrl in the brief (or edit the button) to send readers to your page.';

const TONE_VOICE: Record<Tone, { register: Register; mood: Mood }> = {
  friendly: { register: 'informal', mood: 'neutral' },
  casual: { register: 'informal', mood: 'neutral' },
  playful: { register: 'informal', mood: 'playful' },
  urgent: { register: 'informal', mood: 'urgent' },
  professional: { register: 'formal', mood: 'neutral' },
  formal: { register: 'formal', mood: 'neutral' },
  calm: { register: 'formal', mood: 'calm' },
};

export function planBrief(brief: Brief, brand: Brand): Plan {
  const notes: string[] = [];
  const language = brief.language ?? brand.defaultLanguage ?? 'en';
  const lang = copyLanguage(language);
  if (!lang) notes.push(`The built-in composer writes ${COPY_LANGUAGES.join(', ')}; "${language}" is not one of them, so this email is in English. Configure an AI composer for other languages.`);
  const text = [brief.prompt, brief.goal].filter(Boolean).join('\n');
  const all = [text, brief.offer ?? ''].join('\n');
  const purpose = brief.purpose ?? inferPurpose(all);
  const tone = brief.tone ?? toneFromBrandVoice(brand.voice);
  const voice: Voice = { lang: lang ?? 'en', ...TONE_VOICE[tone] };
  const seed = String(hash(JSON.stringify(brief)));

  const urls = extractUrls(all);
  // The button leads to the brief's ctaUrl, else a link in the prompt, else the brand's site, else
  // the web version of this very email: never a made-up or placeholder address.
  const imageUrl = brief.imageUrl ?? urls.find(isImageUrl) ?? null;
  const linked = brief.ctaUrl ?? urls.find((u) => !isImageUrl(u)) ?? brandWebsite(brand);
  if (!linked) notes.push(NO_LINK_NOTE);
  const textWithoutUrls = withoutUrls(text);

  const offerSource = brief.offer ?? textWithoutUrls;
  const base = { brand: tidy(brand.name, 40) || 'our team' };
  const fromCatalogue = new Writer(voice, { ...base, topic: '' }, seed);
  // A welcome email is about the brand itself, whatever else the prompt mentions.
  const rawTopic = purpose === 'welcome' ? null : (extractTopic(withoutUrls(brief.prompt ?? '')) ?? (brief.goal ? extractTopic(brief.goal) : null));
  const slots: Slots = {
    ...base,
    topic: rawTopic ?? fromCatalogue.line(`topic.${purpose}`),
    ...defined({
      offer: extractOffer(offerSource) ?? (brief.offer ? tidy(cutAtStop(brief.offer), 80) : undefined),
      code: extractCode(`${brief.offer ?? ''}\n${textWithoutUrls}`),
      deadline: extractDeadline(`${brief.offer ?? ''}\n${textWithoutUrls}`),
      when: extractWhen(textWithoutUrls),
      where: ONLINE.test(textWithoutUrls) ? fromCatalogue.line('where.online') : extractWhere(textWithoutUrls, brand.name),
      audience: brief.audience ? tidy(brief.audience, 80) : extractAudience(textWithoutUrls),
    }),
  };
  return {
    facts: {
      purpose,
      slots,
      points: extractPoints(textWithoutUrls).filter((p) => p.toLowerCase() !== slots.offer?.toLowerCase()),
      action: ctaAction(text, purpose),
      ctaText: brief.ctaText ?? null,
      ctaUrl: linked ?? FALLBACK_URL,
      imageUrl,
    },
    voice,
    length: brief.length,
    sections: brief.sections ?? null,
    language: lang ? language : 'en',
    seed,
    notes,
  };
}

/** `de-AT` → de; null when the built-in composer has no copy in that language. */
export function copyLanguage(tag: string): CopyLanguage | null {
  const primary = tag.split('-')[0].toLowerCase();
  return (COPY_LANGUAGES as readonly string[]).includes(primary) ? (primary as CopyLanguage) : null;
}

export function voiceOfTone(tone: Tone): { register: Register; mood: Mood } {
  return TONE_VOICE[tone];
}

/** The brand kit's voice notes ("warm, playful, never pushy") pick the tone when the brief has none. */
export function toneFromBrandVoice(voice: string): Tone {
  const v = voice.toLowerCase();
  if (/\b(formal|professional|serious|authoritative|corporate)\b/.test(v)) return 'professional';
  if (/\b(playful|fun|witty|cheeky|humou?r)/.test(v)) return 'playful';
  if (/\b(calm|gentle|soothing|mindful|quiet)\b/.test(v)) return 'calm';
  if (/\b(casual|relaxed|laid-back)\b/.test(v)) return 'casual';
  return 'friendly';
}

// ---- purpose ----

/** Keyword evidence per purpose; naming the format ("newsletter", "webinar") outweighs hints. */
const PURPOSE_CUES: Array<[Purpose, RegExp, number]> = [
  ['welcome', /\bwelcome\b|\bonboard|\bnew (?:subscriber|member|customer|user)s?\b|\bjust (?:signed up|joined)\b|\bwillkommen|\bbienvenu|\bbienvenid|\bneue (?:abonnent|kund)/gi, 4],
  ['re-engagement', /\bmiss(?:ed)? you|\bhaven['’]?t (?:seen|heard|visited|opened|ordered)|\bcome back\b|\bwin-?back\b|\bre-?engag|\binactive\b|\blapsed\b|\bdormant\b|\bvermiss|\blange nicht|\breviens|\brevenez|\bmanquez|\bte echamos|\ble echamos|\binactiv/gi, 4],
  ['event', /\bevent\b|\bwebinar|\bmeetup|\bmeet-up|\bworkshop|\bconference|\bsummit|\blivestream|\bopen house|\btasting\b|\bmasterclass|\binvit|\brsvp\b|\bveranstaltung|\beinladung|\bvortrag|\bévénement|\bwebinaire|\batelier|\bsoirée|\bevento|\binvitación|\btaller\b/gi, 4],
  ['promo', /\d\s?%|\bsale\b|\bdiscount|\bcoupon|\bpromo\b|\bdeal\b|\bblack friday|\bcyber monday|\bfree shipping|\bbuy one\b|\bhalf price|\brabatt|\bgutschein|\bréduction|\bsoldes|\bdescuento|\boferta|\brebajas|\bbogo\b/gi, 3],
  ['promo', /\boffer\b|\bangebot|\boffre\b|\bcode\b/gi, 1],
  ['product-update', /\bproduct update|\brelease notes|\bchangelog|\bnew features?\b|\bnow supports|\bv\d+(?:\.\d+)+|\bversion \d|\bneue funktion|\bmise à jour|\bnouvelle fonctionnalité|\bactualización|\bnueva función/gi, 5],
  ['product-update', /\bupdate[sd]?\b|\brelease[sd]?\b|\bimprove|\bshipped\b|\bfeature\b/gi, 1],
  ['newsletter', /\bnewsletter|\bdigest\b|\broundup|\bround-up|\bbulletin|\bboletín/gi, 8],
  ['newsletter', /\bmonthly|\bweekly|\bthis month|\bedition|\bissue\b|\bnews\b|\bausgabe|\bnuméro/gi, 1],
  ['announcement', /\bannounc|\bintroduc|\blaunch|\bunveil|\bnew\b|\bcoming soon|\bankünd|\bneu\b|\bneue|\blancement|\bnouveau|\bnouvelle|\blanzamiento|\bnuevo|\bnueva/gi, 1],
];
/** On a tie the more specific purpose wins. */
const PRIORITY: Purpose[] = ['welcome', 're-engagement', 'event', 'promo', 'product-update', 'newsletter', 'announcement'];

export function inferPurpose(text: string): Purpose {
  const score = new Map<Purpose, number>(PURPOSES.map((p) => [p, 0]));
  for (const [purpose, re, weight] of PURPOSE_CUES) score.set(purpose, score.get(purpose)! + (text.match(re)?.length ?? 0) * weight);
  const best = Math.max(...score.values());
  return best === 0 ? 'announcement' : PRIORITY.find((p) => score.get(p) === best)!;
}

// ---- phrases ----

/** Words that end a phrase taken from a prompt, in the four languages the composer reads. */
const STOP = new Set(
  (
    'to for with on at in by until till through from and that which who so because before after featuring including while as via plus using ' +
    'starting ending this next but or if when where we you they it is are be was will now supports adds brings has gets ' +
    'für mit am an bis ab zu zum zur und oder wir sie ihr sind ist im auf ' +
    "pour avec à au aux jusqu jusqu'au jusqu’au dès et ou nous vous sont est chez " +
    'para con hasta desde y o nosotros ustedes son es'
  ).split(' '),
);
/** Stop words that are also articles elsewhere ("a" is English and Spanish): they end a phrase only inside it. */
const MID_STOP = new Set(['a']);
/** Articles that start a date ("el 20 de mayo", "le 14 mars", "am 3. Mai"): they end a phrase when a number follows. */
const DATE_LEAD = new Set(['el', 'le', 'am', 'den', 'the']);
/** Words that may not end a phrase ("the launch of" → "the launch"). */
const DANGLING = /(?:^|\s+)(?:of|the|a|an|our|their|your|his|her|my|its|de|du|des|la|le|les|el|los|las|der|die|das|von|del)$/i;

/**
 * The phrase that starts at `from`: words up to punctuation or a stop word, at most `maxWords`.
 * `lead` lists stop words allowed as the first word ("on" in "20% off on all beans").
 */
export function phraseAt(text: string, from: number, maxWords = 7, lead: string[] = []): string {
  const words: string[] = [];
  const re = /[^\s,;:!?()"“”„«»\n]+|[,;:!?()"“”„«»\n]/g;
  re.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) && words.length < maxWords) {
    let word = m[0];
    if (/^[,;:!?()"“”„«»\n]$/.test(word)) break;
    // A full stop ends the phrase, except after a bare number ("8. Mai") or inside one ("2.0").
    const endsSentence = word.endsWith('.') && !/^\d+\.$/.test(word);
    if (endsSentence) word = word.replace(/\.+$/, '');
    const lower = word.toLowerCase();
    const dateFollows = DATE_LEAD.has(lower) && /^\s+\d/.test(text.slice(re.lastIndex));
    const stops = STOP.has(lower) || (words.length > 0 && (MID_STOP.has(lower) || dateFollows));
    if (stops && !(words.length === 0 && lead.includes(lower))) break;
    if (word) words.push(word);
    if (endsSentence) break;
  }
  let phrase = words.join(' ');
  while (DANGLING.test(phrase)) phrase = phrase.replace(DANGLING, '');
  return phrase.trim();
}

/** Text up to the first "until/with code/bis/jusqu'/hasta": the offer itself without its terms. */
function cutAtStop(text: string): string {
  return text.split(/\s+(?:until|till|through|with code|using code|with the code|bis|mit dem code|mit code|jusqu|avec le code|hasta|con el código)\b/i)[0];
}

/** Cleans a phrase for use inside copy: no markup or merge-tag characters, no shouting. */
export function tidy(text: string, max: number): string {
  const cleaned = text
    .replace(/^\s*[-–•]\s+/, '')
    .replace(/[*_{}[\]<>`|\\]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[,;:.!?]+$/, '')
    .replace(/\b(\p{Lu})(\p{Lu}{3,})\b/gu, (w, first: string, rest: string) => (/\d/.test(w) ? w : first + rest.toLowerCase()));
  if (cleaned.length <= max) return cleaned;
  return cleaned.slice(0, max).replace(/\s+\S*$/, '').replace(DANGLING, '');
}

const EMAILISH =
  /^(?:(?:a|an|the|our|this)\s+)?(?:new\s+|product\s+|weekly\s+|monthly\s+)?(?:e-?mail|newsletter|campaign|message|mail|promo(?:tion)?|announcement|update|invite|invitation|sale|welcome|series|flow|boletín(?: mensual| semanal)?|bulletin|lettre d'information|rundbrief|produkt-update|mise à jour|actualización)s?$/i;
const DETERMINER = /^(?:our|the|a|an|your|this|these|its|their|my)\b/i;

/**
 * Where a topic starts in a prompt. English launch verbs name a product ("launch new loyalty
 * programme" → "our new loyalty programme"); "about" and event labels name a subject, which takes
 * no "our". `keep` keeps the matched words ("unsere neue …"), `words` caps the phrase.
 */
const TOPIC_LEADS: Array<{ re: RegExp; product?: boolean; keep?: boolean; words?: number }> = [
  {
    re: /\b(?:announc(?:e|es|ing)|introduc(?:e|es|ing)|launch(?:es|ing)?|unveil(?:s|ing)?|present(?:s|ing)?|promot(?:e|es|ing)|celebrat(?:e|es|ing)|showcas(?:e|es|ing))\s+(?:of\s+|the\s+launch\s+of\s+|the\s+release\s+of\s+)?/gi,
    product: true,
  },
  { re: /\b(?:e-?mail|newsletter|campaign|message|announcement|promo(?:tion)?|invitation|invite)\s+(?:for|announcing|introducing|promoting|to announce|to promote|to introduce)\s+(?:the\s+launch\s+of\s+)?/gi, product: true },
  { re: /\b(?:try|discover|explore|check out)\s+/gi, product: true },
  { re: /\b(?:about|regarding|on the topic of)\s+/gi },
  // "Webinar on March 12: email deliverability basics"
  { re: /\b(?:webinar|workshop|talk|masterclass|meetup|event|newsletter|edition|issue|update|release|changelog|boletín|bulletin|lettre|rundbrief|webinaire|atelier|taller)\b[^:\n]{0,40}:[ \t]*/gi },
  { re: /\b(?:our|the)\s+new\s+/gi, product: true, keep: true, words: 5 },
  { re: /\b(?:unser(?:e|en|er|em|es)?|die|der|das)\s+neu\w*\s+/gi, keep: true, words: 4 },
  { re: /\b(?:Ankündigung|Einführung|Vorstellung|Launch)\s+(?:von\s+)?/g, words: 5 },
  { re: /\b(?:annoncer|présenter|lancer|promouvoir|faire découvrir|annonce|présente|lance)\s+/gi, words: 6 },
  { re: /\b(?:notre|nos|la|le|les)\s+nouv\w+\s+/gi, keep: true, words: 4 },
  { re: /\b(?:anunciar|presentar|lanzar|promocionar|dar a conocer|anuncia|presenta|lanza)\s+/gi, words: 6 },
  { re: /\b(?:nuestr[oa]s?|el|la|los|las)\s+nuev[oa]s?\s+/gi, keep: true, words: 4 },
];

/** What the email is about: a product, a collection, an event. */
export function extractTopic(text: string): string | null {
  const candidates: Array<{ phrase: string; product: boolean }> = [];
  const push = (phrase: string, product = false) => {
    const p = tidy(phrase, 60);
    // "newsletter for wholesale partners" names the audience, not the topic.
    if (p.length >= 2 && !EMAILISH.test(p) && !STOP.has(p.toLowerCase()) && !AUDIENCE_END.test(p)) candidates.push({ phrase: p, product });
  };
  // A name in quotes is the surest sign of what the email is about.
  for (const m of text.matchAll(/["“„«]([^"“”„«»\n]{2,60})["”“»]/g)) push(m[1]);
  for (const { re, product, keep, words } of TOPIC_LEADS) {
    for (const m of text.matchAll(re)) push((keep ? m[0] : '') + phraseAt(text, m.index! + m[0].length, words), product);
  }
  // "Invite our customers to the tasting": every "to/a/à/zum" after the verb, as the first may lead to the guests.
  for (const m of text.matchAll(/\b(?:invit|einlad|lade)\p{L}*/giu)) {
    const window = text.slice(m.index!, m.index! + 120);
    for (const p of window.matchAll(/\s(?:to|a|à|zu[mr]?)\s+(?:join\s+(?:us\s+)?(?:for|at)\s+)?/g)) push(phraseAt(text, m.index! + p.index! + p[0].length));
  }
  // "Black Friday sale: save 30% on everything" – a short label before the first colon.
  const label = /^\s*([^:\n]{3,40}):/.exec(text)?.[1];
  if (label && label.split(/\s+/).length <= 5 && !NOT_NAMES.test(label.split(/\s+/)[0])) push(label);
  const first = candidates.find((c) => c.phrase.split(' ').length <= 8) ?? null;
  // German capitalises every noun, so a capital letter says nothing about a name there.
  if (!first) return GERMAN.test(text) ? null : properNoun(text);
  // "new loyalty programme" reads as "our new loyalty programme" in an English sentence.
  return first.product && /^\p{Ll}/u.test(first.phrase) && !DETERMINER.test(first.phrase) && !/^\d/.test(first.phrase) ? `our ${first.phrase}` : first.phrase;
}

const GERMAN = /\b(?:und|der|die|das|unsere?n?|mit|für|neue[nr]?|ist|sind|wir|Sie)\b/;
const NOT_NAMES = /^(?:[A-Z]{2,4}|I|A|An|The|Our|We|You|Please|Email|Send|Write|Announce|Launch|Introduce|Promote|Tell|Invite|Remind|Make|Create|Give|Get|Let|Use|Welcome|New|Updated|This|Next|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December)$/;

/** A capitalised name inside a sentence ("…to Tidings Pro users") when no verb pointed at the topic. */
function properNoun(text: string): string | null {
  for (const m of text.matchAll(/(?<=[^.!?\n]\s)(\p{Lu}[\p{L}\d'’+-]*(?:\s+(?:\p{Lu}[\p{L}\d'’+-]*|\d[\d.]*))*)/gu)) {
    // One capitalised word is as likely a place ("Berlin") as a product; a name has two ("Barista Pro", "Tidings 2.0").
    const words = m[1].split(/\s+/).filter((w) => !NOT_NAMES.test(w));
    if (words.length >= 2) return tidy(words.join(' '), 40);
  }
  return null;
}

const OFFER_CORES: RegExp[] = [
  /\b(?:save|spare|get|enjoy|take)\s+(\d{1,3}\s?%)(?!\s?(?:off|rabatt|discount))/i,
  /(\d{1,3}\s?%\s*(?:off|discount|rabatt|de réduction|de remise|de descuento|réduction|descuento|dto\.?)(?=\W|$))/i,
  /((?:[$€£]\s?\d+(?:[.,]\d{2})?|\d+(?:[.,]\d{2})?\s?(?:€|\$|£|eur|usd|euros?))\s*(?:off|rabatt|de réduction|de descuento)(?=\W|$))/i,
  /(free (?:shipping|delivery|returns|gift wrapping)|kostenlose[rn]? (?:versand|lieferung)|gratis[- ]versand|livraison (?:gratuite|offerte)|env[ií]o gratis|env[ií]o gratuito)/i,
  /(buy one,? get one(?: free| half price)?|two for one|2 for 1|2 für 1|2x1|deux pour le prix d['’]un|dos por uno)/i,
];

/** "20% off all coffee beans", "free shipping", "15 % Rabatt auf alle Bohnen". */
export function extractOffer(text: string): string | undefined {
  for (const re of OFFER_CORES) {
    const m = re.exec(text);
    if (!m) continue;
    let core = m[1].replace(/\s+/g, ' ');
    if (/^\d{1,3}\s?%$/.test(core)) core = `${core} off`;
    const rest = phraseAt(text, m.index + m[0].length, 5, ['on', 'auf', 'sur', 'en']);
    const object = rest.replace(/^on(?:\s+|$)/i, '');
    // Offers sit mid-sentence ("Treat yourself to buy one, get one half price"), so no capital.
    return tidy(object ? `${core} ${object}` : core, 80).replace(/^\p{Lu}(?=\p{Ll})/u, (c) => c.toLowerCase());
  }
  return undefined;
}

export function extractCode(text: string): string | undefined {
  const m = /\b(?:promo code|discount code|coupon code|code|coupon|gutscheincode|gutschein|rabattcode|code promo|código promocional|código|cupón)\s*[:"“'‘]?\s*([A-Za-z0-9][A-Za-z0-9_-]{2,24})\b/i.exec(text);
  if (!m) return undefined;
  const code = m[1];
  return code === code.toUpperCase() || /\d/.test(code) ? code.toUpperCase() : undefined;
}

export function extractDeadline(text: string): string | undefined {
  const leads: Array<[RegExp, string[]]> = [
    [/\b(?:until|till|through|thru|ends?|ending|expires?|valid until)\s+(?:on\s+)?/i, []],
    [/\bbis\s+/i, ['zum', 'zur']],
    [/\bjusqu['’]\s*(?:au|à|a)\s+/i, []],
    [/\bhasta\s+(?:el\s+)?/i, []],
  ];
  for (const [re, lead] of leads) {
    const m = re.exec(text);
    if (!m) continue;
    const phrase = phraseAt(text, m.index + m[0].length, 5, lead);
    if (phrase && !/^(?:you|they|we|it)\b/i.test(phrase)) return tidy(phrase, 30);
  }
  return undefined;
}

const MONTHS_EN = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DAYS_EN = '(?:mon|tues|wednes|thurs|fri|satur|sun)day';
const TIME_EN = `(?:,?\\s+(?:at|from)\\s+\\d{1,2}(?:[:.]\\d{2})?\\s*(?:am|pm|h)?(?:\\s*(?:-|–|to)\\s*\\d{1,2}(?:[:.]\\d{2})?\\s*(?:am|pm|h)?)?(?:\\s+(?:CET|CEST|UTC|GMT|BST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|AEST|AEDT|JST)\\b)?)?`;
const WHEN_PATTERNS: RegExp[] = [
  new RegExp(`\\b((?:${DAYS_EN},?\\s+)?(?:(?:${MONTHS_EN})\\b\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${MONTHS_EN})\\b)(?:,?\\s+\\d{4})?${TIME_EN})`, 'i'),
  new RegExp(`\\b((?:this|next)\\s+${DAYS_EN}${TIME_EN}|${DAYS_EN}${TIME_EN.replace('(?:at|from)', 'at')})`, 'i'),
  /\b(\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2})?)/,
  /\b(\d{1,2}\.\s*(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)(?:\s+\d{4})?(?:,?\s+(?:um|ab)\s+\d{1,2}(?:[:.]\d{2})?\s*Uhr)?)/,
  /\b(\d{1,2}(?:er)?\s+(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)(?:\s+\d{4})?(?:\s+à\s+\d{1,2}\s*h(?:\s*\d{2})?)?)/i,
  /\b(\d{1,2}\s+de\s+(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)(?:\s+(?:de\s+)?\d{4})?(?:\s+a\s+las\s+\d{1,2}(?:[:.]\d{2})?)?)/i,
];

export function extractWhen(text: string): string | undefined {
  for (const re of WHEN_PATTERNS) {
    const m = re.exec(text);
    if (m) return tidy(m[1], 60);
  }
  return undefined;
}

const ONLINE = /\b(?:webinar|webinaire|online|livestream|live stream|zoom|virtual|en ligne|en línea)\b/i;

export function extractWhere(text: string, brandName: string): string | undefined {
  for (const m of text.matchAll(/\b(?:at|in|im|bei|à|au|chez|en)\s+/g)) {
    const phrase = phraseAt(text, m.index! + m[0].length, 5);
    const content = phrase.replace(DETERMINER, '').replace(/^(?:unserer?m?|notre|nuestr[oa])\s+/i, '').trim();
    if (!/^\p{Lu}/u.test(content) || NOT_NAMES.test(content.split(' ')[0]) || new RegExp(`^(?:${MONTHS_EN})\\b`, 'i').test(content)) continue;
    if (content.toLowerCase() === brandName.toLowerCase()) continue;
    return tidy(phrase, 60);
  }
  return undefined;
}

const AUDIENCE_NOUNS =
  'customers|subscribers|members|users|clients|readers|followers|fans|lovers|owners|buyers|shoppers|guests|attendees|developers|designers|teams|parents|students|professionals|partners|patients|donors|supporters|community|' +
  '\\p{L}*(?:kund|abonnent|mitglied|nutzer|leser)\\p{L}*|abonnés|membres|utilisateurs|lecteurs|clientes|suscriptores|miembros|usuarios|lectores';

const AUDIENCE_END = new RegExp(`(?:${AUDIENCE_NOUNS})$`, 'iu');

export function extractAudience(text: string): string | undefined {
  const re = new RegExp(`(?<![\\p{L}])(?:to|for|an|für|à|aux|pour|para|a(?=\\s+(?:nuestr|l[oa]s\\s|tod)))\\s+((?:[\\p{L}'’-]+\\s+){0,3}?(?:${AUDIENCE_NOUNS}))(?![\\p{L}])`, 'giu');
  for (const m of text.matchAll(re)) {
    const words = m[1].split(/\s+/);
    if (!words.slice(0, -1).some((w) => STOP.has(w.toLowerCase()))) return tidy(m[1], 80);
  }
  return undefined;
}

/** "with A, B and C", "…: A, B and C" or bullet lines → [A, B, C]. */
export function extractPoints(text: string): string[] {
  const bullets = [...text.matchAll(/^\s*[-*•]\s+(.+)$/gm)].map((m) => point(m[1]));
  if (bullets.length >= 2) return bullets.filter(Boolean).slice(0, 6);
  // Words that announce a list come first; a list after a bare colon is the fallback.
  const leads = [
    /\b(?:with|featuring|including|includes|highlight(?:s|ing)?|mention(?:s|ing)?|covering|covers|supports|adds|brings|mit|inklusive|avec|comprenant|con|incluyendo)\s+([^.;:!?\n]+)/gi,
    /:\s*([^.;:!?\n]+)/g,
  ];
  for (const m of leads.flatMap((re) => [...text.matchAll(re)])) {
    // The offer's terms ("save 30%", "ends Monday") are not features.
    const items = m[1]
      .split(/,\s*(?:and\s+|und\s+|et\s+|y\s+|&\s+)?|\s+(?:and|und|et|y|&)\s+/i)
      .filter((item) => !extractOffer(item) && !extractDeadline(item) && !extractCode(item))
      .map(point)
      .filter(Boolean);
    // After a bare colon only a real list counts ("Launch: 20% off all beans and free shipping" is one offer).
    const afterColon = m[0].trimStart().startsWith(':');
    if (items.length >= 2 && (!afterColon || m[1].includes(','))) return items.slice(0, 6);
  }
  return [];
}

function point(text: string): string {
  const p = tidy(cutAtStop(text), 80);
  return p.length >= 2 ? p[0].toUpperCase() + p.slice(1) : '';
}

const ACTION_CUES: Array<[CtaAction, RegExp]> = [
  ['demo', /\bdemo\b/i],
  ['register', /\b(?:register|sign[- ]?up for|rsvp|save (?:a|your) (?:seat|spot)|reserve (?:a|your) (?:seat|spot)|anmeld|inscri|inscrib|regístr)/i],
  ['book', /\b(?:book|booking|appointment|buchen|réserv|reservar)/i],
  ['download', /\b(?:download|the app|our app|herunterladen|télécharg|descarg)/i],
  ['upgrade', /\b(?:upgrade|pricing|premium plan|tarif)/i],
  ['try', /\b(?:try|trial|test drive|ausprobieren|essayer|probar)/i],
  ['shop', /\b(?:shop|buy|purchase|store|kaufen|bestell|acheter|commander|boutique|comprar|tienda)/i],
  ['read', /\b(?:read|article|blog post|lesen|lire|leer)\b/i],
];
const DEFAULT_ACTION: Record<Purpose, CtaAction> = {
  announcement: 'explore',
  newsletter: 'read',
  promo: 'offer',
  welcome: 'start',
  'product-update': 'update',
  event: 'register',
  're-engagement': 'update',
};

/** What the button asks the reader to do: the goal's verb if it names one, else the purpose's. */
export function ctaAction(text: string, purpose: Purpose): CtaAction {
  return ACTION_CUES.find(([, re]) => re.test(text))?.[0] ?? DEFAULT_ACTION[purpose];
}

function defined<T extends Record<string, string | undefined>>(o: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<Record<keyof T, string>>;
}
