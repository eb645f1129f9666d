/**
 * The built-in composer's sentences. Each language has the same keys with the same number of
 * variants; a variant is one sentence pattern, in a formal and an informal register where the
 * language distinguishes them (Sie/du, vous/tu, usted/tú). `{slot}` marks words taken from the
 * brief (the product, the offer…), so the copy reads like the marketer's own email.
 *
 * Because every sentence comes from a known pattern, a sentence can be recognised again later:
 * `recognise` finds the pattern and the words in its slots. That is what lets an edit change the
 * register or the language of what the composer wrote while leaving the author's own sentences alone.
 */

import { DE } from './copy-de.ts';
import { EN } from './copy-en.ts';
import { ES } from './copy-es.ts';
import { FR } from './copy-fr.ts';
import type { Catalogue, Line } from './line.ts';

export type { Catalogue, Line };

export const COPY_LANGUAGES = ['en', 'de', 'fr', 'es'] as const;
export type CopyLanguage = (typeof COPY_LANGUAGES)[number];

export type Register = 'formal' | 'informal';
/** A tone's flavour beyond the register; some keys have variants per mood (`greeting.playful`). */
export type Mood = 'neutral' | 'playful' | 'urgent' | 'calm';
export const MOODS: Mood[] = ['neutral', 'playful', 'urgent', 'calm'];

export interface Voice {
  lang: CopyLanguage;
  register: Register;
  mood: Mood;
}


/** `current` and `next` name what this email and the next one of a series are about (`series.about.*`). */
export const SLOT_NAMES = ['brand', 'topic', 'offer', 'code', 'deadline', 'when', 'where', 'audience', 'current', 'next'] as const;
export type SlotName = (typeof SLOT_NAMES)[number];
/** Words from the brief; `brand` and `topic` are always known. */
export type Slots = { brand: string; topic: string } & Partial<Record<Exclude<SlotName, 'brand' | 'topic'>, string>>;

const SLOT_ALTERNATION = SLOT_NAMES.join('|');
const SLOT = new RegExp(`\\{(${SLOT_ALTERNATION})\\}`, 'g');

export function textOf(line: Line, register: Register): string {
  return typeof line === 'string' ? line : line[register];
}

export function slotsIn(template: string): SlotName[] {
  return [...template.matchAll(SLOT)].map((m) => m[1] as SlotName);
}

/** The template with its slots filled, or null when the brief lacks one of them. */
export function fill(template: string, slots: Partial<Slots>, lang: CopyLanguage = 'en'): string | null {
  if (slotsIn(template).some((name) => !slots[name])) return null;
  const filled = template.replace(SLOT, (_, name: SlotName) => slots[name]!);
  return lang === 'fr' ? elide(template, filled, slots) : filled;
}

/** French elides "de" and "que" before a vowel: "de Acme" → "d'Acme", for words that came from slots. */
const ELIDABLE = new RegExp(`\\b(de|que) \\{(${SLOT_ALTERNATION})\\}`, 'g');
const VOWEL = /^[aeiouyàâäéèêëîïôöûùüœæ]/i;
function elide(template: string, filled: string, slots: Partial<Slots>): string {
  let out = filled;
  for (const m of template.matchAll(ELIDABLE)) {
    const value = slots[m[2] as SlotName]!;
    if (VOWEL.test(value)) out = out.replace(`${m[1]} ${value}`, `${m[1] === 'de' ? 'd' : 'qu'}’${value}`);
  }
  return out;
}

/** FNV-1a: a small stable hash, so the same brief always picks the same variants. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const CATALOGUES: Record<CopyLanguage, Catalogue> = { en: EN, de: DE, fr: FR, es: ES };

export function catalogue(lang: CopyLanguage): Catalogue {
  return CATALOGUES[lang];
}

/** A rendered variant and where it came from. */
export interface Pick {
  key: string;
  index: number;
  text: string;
}

/**
 * Writes one voice's sentences for one brief. For `key` it prefers the mood's own variants
 * (`closing.promo.urgent`, then `closing.urgent`), then the plain key; among the variants whose
 * slots are all known it takes the one the seed points at, so different briefs read differently
 * and the same brief always reads the same.
 */
export class Writer {
  constructor(
    readonly voice: Voice,
    readonly slots: Slots,
    private readonly seed: string,
  ) {}

  line(key: string, prefer?: number): string {
    const pick = this.pick(key, prefer);
    if (!pick) throw new Error(`copy "${key}" has no usable variant in ${this.voice.lang}`);
    return pick.text;
  }

  /** Like `line`, but null when no variant fits the known slots (an optional sentence). */
  maybe(key: string, prefer?: number): string | null {
    return this.pick(key, prefer)?.text ?? null;
  }

  pick(key: string, prefer?: number): Pick | null {
    for (const candidate of this.candidates(key)) {
      const usable = this.usable(candidate);
      if (usable.length === 0) continue;
      const preferred = prefer === undefined ? undefined : usable.find((u) => u.index === prefer);
      return preferred ?? usable[hash(`${this.seed}|${candidate}`) % usable.length];
    }
    return null;
  }

  /** Every usable variant of the key (mood variants first), starting at the seed's choice. */
  all(key: string): Pick[] {
    const out: Pick[] = [];
    for (const candidate of this.candidates(key)) {
      const usable = this.usable(candidate);
      const start = usable.length ? hash(`${this.seed}|${candidate}`) % usable.length : 0;
      out.push(...usable.slice(start), ...usable.slice(0, start));
    }
    return out;
  }

  with(slots: Partial<Slots>): Writer {
    return new Writer(this.voice, { ...this.slots, ...slots }, this.seed);
  }

  private candidates(key: string): string[] {
    const table = catalogue(this.voice.lang);
    const family = key.split('.')[0];
    const keys = this.voice.mood === 'neutral' ? [key] : [`${key}.${this.voice.mood}`, `${family}.${this.voice.mood}`, key];
    return [...new Set(keys)].filter((k) => table[k]);
  }

  private usable(key: string): Pick[] {
    const variants = catalogue(this.voice.lang)[key];
    return variants.flatMap((line, index) => {
      const text = fill(textOf(line, this.voice.register), this.slots, this.voice.lang);
      return text === null ? [] : [{ key, index, text }];
    });
  }
}

/** A sentence recognised as one of the catalogue's, with the words found in its slots. */
export interface Recognised {
  key: string;
  index: number;
  register: Register;
  /** The sentence is the same in both registers, so it says nothing about the register. */
  neutral: boolean;
  slots: Partial<Slots>;
}

interface Pattern extends Omit<Recognised, 'slots'> {
  regex: RegExp;
  names: SlotName[];
  /** Characters of fixed text: more means more specific. */
  fixed: number;
}

const patterns = new Map<CopyLanguage, Pattern[]>();

function patternsOf(lang: CopyLanguage): Pattern[] {
  let list = patterns.get(lang);
  if (!list) {
    list = [];
    for (const [key, variants] of Object.entries(catalogue(lang))) {
      variants.forEach((line, index) => {
        const neutral = textOf(line, 'formal') === textOf(line, 'informal');
        for (const register of neutral ? (['formal'] as const) : (['formal', 'informal'] as const)) {
          const template = textOf(line, register);
          const names = slotsIn(template);
          if (template.replace(SLOT, '').trim() === '') continue; // a bare slot would match any text
          const source = template
            .split(SLOT)
            .map((part, i) => (i % 2 === 1 ? '(.+?)' : escapeRegex(part)))
            .join('')
            // French may have elided "de"/"que" before a slot (see `elide`).
            .replace(/\b(de|que) \(\.\+\?\)/g, (_, word: string) => `(?:${word} |${word === 'de' ? 'd' : 'qu'}[’'])(.+?)`);
          list!.push({ key, index, register, neutral, regex: new RegExp(`^${source}$`, 's'), names, fixed: template.replace(SLOT, '').length });
        }
      });
    }
    // The most specific pattern wins: "{brand} : {topic}" must not swallow a longer sentence.
    list.sort((a, b) => b.fixed - a.fixed);
    patterns.set(lang, list);
  }
  return list;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The catalogue sentence `text` was written from, if any, among the keys `accept` allows. */
export function recognise(lang: CopyLanguage, text: string, accept: (key: string) => boolean = () => true): Recognised | null {
  for (const p of patternsOf(lang)) {
    if (!accept(p.key)) continue;
    const m = p.regex.exec(text.trim());
    if (!m) continue;
    const slots: Partial<Slots> = {};
    let consistent = true;
    p.names.forEach((name, i) => {
      const value = m[i + 1];
      if (slots[name] !== undefined && slots[name] !== value) consistent = false;
      slots[name] = value;
    });
    if (consistent) return { key: p.key, index: p.index, register: p.register, neutral: p.neutral, slots };
  }
  return null;
}

/** `closing.promo.urgent` → mood urgent; `greeting` → null. */
export function moodOfKey(key: string): Mood | null {
  const last = key.split('.').at(-1) as Mood;
  return MOODS.includes(last) && last !== 'neutral' ? last : null;
}
