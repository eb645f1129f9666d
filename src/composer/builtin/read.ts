import type { Brand } from '../../brands/model.ts';
import type { Block, LeafBlock, Section } from '../../emails/model.ts';
import { PURPOSES, type EmailDraft, type Purpose } from '../model.ts';
import { MOVE_SPECS, type Move } from './arcs.ts';
import { CTA_ACTIONS, FALLBACK_URL, copyLanguage, inferPurpose, tidy, toneFromBrandVoice, voiceOfTone, type CtaAction, type Facts } from './brief.ts';
import { hash, moodOfKey, recognise, type CopyLanguage, type Mood, type Recognised, type Register, type Slots, type Voice } from './copy.ts';

/**
 * Reads a saved draft back: which of its sentences the built-in composer wrote (and from which
 * words), so an edit can rewrite exactly those and leave the author's own text as it is.
 */

/** One piece of text in a draft, with a way to replace it. */
export interface TextUnit {
  place: 'subject' | 'preheader' | 'block';
  blockId?: string;
  get(): string;
  set(text: string): void;
}

export interface DraftReading {
  /** The draft's language when the built-in composer has copy in it. */
  lang: CopyLanguage | null;
  voice: Voice;
  facts: Facts;
  seed: string;
  units: Array<{ unit: TextUnit; recognised: Recognised | null }>;
}

/** Keys a unit may come from: subjects from `subject.*`, block text from the body keys. */
export function acceptFor(place: TextUnit['place']): (key: string) => boolean {
  if (place === 'subject') return (k) => /^(?:series\.)?subject\./.test(k);
  if (place === 'preheader') return (k) => /^(?:preheader\.|series\.preheader$)/.test(k);
  // A series email's headline is one of its subjects; `series.about.*` are slot values, not sentences.
  return (k) => !/^(?:subject|preheader|topic|where|series\.about|series\.preheader)(?:\.|$)/.test(k);
}

export function readDraft(draft: EmailDraft, brand: Brand): DraftReading {
  const lang = copyLanguage(draft.language);
  const units = textUnits(draft).map((unit) => ({ unit, recognised: lang ? recognise(lang, unit.get(), acceptFor(unit.place)) : null }));
  const found = units.flatMap((u) => (u.recognised ? [u.recognised] : []));
  const purpose = purposeOf(found) ?? inferPurpose(units.map((u) => u.unit.get()).join('\n'));
  const tone = voiceOfTone(toneFromBrandVoice(brand.voice));
  const voice: Voice = { lang: lang ?? 'en', register: registerOf(found) ?? tone.register, mood: moodOf(found) ?? 'neutral' };
  const buttons = blocksOf(draft.document.sections).filter((b): b is Extract<Block, { type: 'button' }> => b.type === 'button');
  const ctaKey = found.find((r) => r.key.startsWith('cta.'))?.key.slice(4) as CtaAction | undefined;
  const slots: Slots = { topic: topicOf(draft, found), ...mergedSlots(found), brand: tidy(brand.name, 40) || 'our team' };
  return {
    lang,
    voice,
    seed: String(hash(draft.subject)),
    units,
    facts: {
      purpose,
      slots,
      points: [],
      action: ctaKey && (CTA_ACTIONS as readonly string[]).includes(ctaKey) ? ctaKey : 'explore',
      // A button the author labelled themselves keeps its label in sections an edit adds.
      ctaText: buttons[0] && !found.some((r) => r.key.startsWith('cta.')) ? buttons[0].text : null,
      ctaUrl: buttons[0]?.url ?? FALLBACK_URL,
      imageUrl: null,
    },
  };
}

/** Every text of the draft a composer writes: subject, preheader, and each paragraph, item and label. */
export function textUnits(draft: EmailDraft): TextUnit[] {
  const units: TextUnit[] = [
    { place: 'subject', get: () => draft.subject, set: (t) => (draft.subject = t) },
    { place: 'preheader', get: () => draft.preheader, set: (t) => (draft.preheader = t) },
  ];
  for (const block of blocksOf(draft.document.sections)) units.push(...blockUnits(block));
  return units;
}

function blockUnits(block: Block | LeafBlock): TextUnit[] {
  const unit = (get: () => string, set: (t: string) => void): TextUnit => ({ place: 'block', blockId: block.id, get, set });
  switch (block.type) {
    case 'heading':
    case 'button':
    case 'footer':
      return [unit(() => block.text, (t) => (block.text = t))];
    case 'text': {
      // Paragraphs are separate sentences of the catalogue (intro, then the audience line).
      const paragraphs = block.text.split('\n\n');
      return paragraphs.map((_, i) =>
        unit(
          () => paragraphs[i],
          (t) => {
            paragraphs[i] = t;
            block.text = paragraphs.join('\n\n');
          },
        ),
      );
    }
    case 'list':
      return block.items.map((_, i) => unit(() => block.items[i], (t) => (block.items[i] = t)));
    case 'quote':
      return [unit(() => block.text, (t) => (block.text = t)), ...(block.author !== undefined ? [unit(() => block.author!, (t) => (block.author = t))] : [])];
    default:
      return [];
  }
}

/** Top-level blocks and the blocks inside columns, in reading order. */
export function blocksOf(sections: Section[]): Array<Block | LeafBlock> {
  return sections.flatMap((s) => s.blocks.flatMap((b): Array<Block | LeafBlock> => (b.type === 'columns' ? [b, ...b.columns.flatMap((c) => c.blocks)] : [b])));
}

function purposeOf(found: Recognised[]): Purpose | null {
  // A series email is the purpose of its move ("series.intro.offer" is a promo).
  const move = found.map((r) => /^series\.(?:subject|intro)\.(.+)$/.exec(r.key)?.[1]).find((m): m is Move => !!m && m in MOVE_SPECS);
  if (move) return MOVE_SPECS[move].purpose;
  for (const r of found) {
    const purpose = r.key.split('.').find((part) => (PURPOSES as readonly string[]).includes(part));
    if (purpose) return purpose as Purpose;
  }
  return null;
}

/** The register of the sentences that differ by register; the majority wins. */
function registerOf(found: Recognised[]): Register | null {
  const votes = { formal: 0, informal: 0 };
  for (const r of found) if (!r.neutral) votes[r.register]++;
  if (votes.formal === 0 && votes.informal === 0) return null;
  return votes.informal > votes.formal ? 'informal' : 'formal';
}

function moodOf(found: Recognised[]): Mood | null {
  for (const r of found) {
    const mood = moodOfKey(r.key);
    if (mood) return mood;
  }
  return null;
}

function mergedSlots(found: Recognised[]): Partial<Slots> {
  const slots: Partial<Slots> = {};
  for (const r of found) for (const [name, value] of Object.entries(r.slots)) if (!(name in slots) && value) slots[name as keyof Slots] = value;
  return slots;
}

/** The topic the composer wrote with, or else the author's headline, or the subject. */
function topicOf(draft: EmailDraft, found: Recognised[]): string {
  const written = found.find((r) => r.slots.topic)?.slots.topic;
  if (written) return written;
  const headline = blocksOf(draft.document.sections).find((b): b is Extract<Block, { type: 'heading' }> => b.type === 'heading' && b.level === 1);
  return tidy(headline?.text ?? draft.subject, 60) || draft.name;
}
