import type { Brand } from '../../brands/model.ts';
import type { Block, Section } from '../../emails/model.ts';
import { invalid } from '../../shared/errors.ts';
import type { Length, Purpose, SectionKind } from '../model.ts';
import type { Facts } from './brief.ts';
import type { Writer } from './copy.ts';

/**
 * The sections the built-in composer writes and the order it writes them in. Section ids are the
 * section's kind ("hero", "faq"…) and block ids start with it ("faq-2"), so an edit can find "the
 * testimonial" again in a saved email.
 */

/** Sections around the ones a brief may ask for. */
export const FRAME_KINDS = ['header', 'signoff', 'footer'] as const;
export type AnyKind = SectionKind | (typeof FRAME_KINDS)[number];
/** Where each kind goes; an added section is placed by this order. */
export const ORDER: AnyKind[] = ['header', 'hero', 'offer', 'details', 'steps', 'highlights', 'features', 'story', 'image', 'testimonial', 'faq', 'cta', 'signoff', 'footer'];

/** Sections between the hero and the sign-off, per purpose and length. */
const LAYOUTS: Record<Purpose, Record<Length, SectionKind[]>> = {
  announcement: { short: [], medium: ['features', 'cta'], long: ['story', 'features', 'testimonial', 'faq', 'cta'] },
  newsletter: { short: ['highlights'], medium: ['highlights', 'story', 'cta'], long: ['highlights', 'story', 'features', 'testimonial', 'cta'] },
  promo: { short: ['offer'], medium: ['offer', 'features', 'cta'], long: ['offer', 'features', 'story', 'testimonial', 'faq', 'cta'] },
  welcome: { short: ['steps'], medium: ['steps', 'features', 'cta'], long: ['steps', 'features', 'story', 'testimonial', 'faq', 'cta'] },
  'product-update': { short: ['features'], medium: ['features', 'story', 'cta'], long: ['features', 'story', 'testimonial', 'faq', 'cta'] },
  event: { short: ['details'], medium: ['details', 'features', 'cta'], long: ['details', 'features', 'story', 'testimonial', 'faq', 'cta'] },
  're-engagement': { short: [], medium: ['features', 'cta'], long: ['features', 'story', 'testimonial', 'faq', 'cta'] },
};

/** The sections a longer email adds first, per purpose (the long layout minus what is there). */
export function longLayout(purpose: Purpose): SectionKind[] {
  return LAYOUTS[purpose].long;
}

/** FAQ entries worth answering for each purpose, in order; those whose facts are unknown are skipped. */
const FAQ: Record<Purpose, string[]> = {
  announcement: ['faq.audience', 'faq.start', 'faq.questions', 'faq.change'],
  newsletter: ['faq.change', 'faq.questions', 'faq.start'],
  promo: ['faq.code', 'faq.deadline', 'faq.start', 'faq.questions'],
  welcome: ['faq.start', 'faq.change', 'faq.questions'],
  'product-update': ['faq.audience', 'faq.start', 'faq.questions'],
  event: ['faq.when', 'faq.where', 'faq.audience', 'faq.questions'],
  're-engagement': ['faq.start', 'faq.change', 'faq.questions'],
};

export interface BuildContext {
  w: Writer;
  facts: Facts;
  brand: Brand;
  /** The marketer's own list goes into the first list section only. */
  pointsUsed: boolean;
  /** The subject line, which the headline should not repeat word for word. */
  subject?: string;
  /** Set for an email of a series: its own headlines and intro, and the paragraphs before the sign-off (the one pointing to the next email). */
  story?: { headlines: string[]; intro: string; closing: string[] } | null;
}

/** Section kinds for a brief: its own list (hero first) or the purpose's layout, plus offer and details when known. */
export function plannedKinds(facts: Facts, length: Length, asked: SectionKind[] | null): SectionKind[] {
  if (asked) return asked.includes('hero') ? asked : ['hero', ...asked];
  const kinds = [...LAYOUTS[facts.purpose][length]];
  if (facts.slots.offer && !kinds.includes('offer')) kinds.unshift('offer');
  if (facts.purpose === 'event' && !kinds.includes('details') && (facts.slots.when || facts.slots.where)) kinds.unshift('details');
  return ['hero', ...kinds];
}

export function frame(c: BuildContext, middle: Section[]): Section[] {
  return [header(c), ...middle, signoff(c), footer(c)];
}

/**
 * Builds a section. When it was asked for by name (`errorField` says where: the brief's sections
 * or an edit instruction) and a fact it needs is unknown, says which.
 */
export function buildSection(kind: SectionKind, c: BuildContext, errorField: string | null): Section | null {
  const section = BUILDERS[kind](c);
  if (!section && errorField) throw invalid(errorField, `${aSection(kind)} needs ${NEEDS[kind]}`);
  return section;
}

/** "an offer section", "a testimonial section". */
export const aSection = (kind: string) => `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} section`;

const NEEDS: Record<SectionKind, string> = {
  hero: '',
  offer: 'an offer (brief.offer, or one in the prompt such as "20% off")',
  details: 'a date or a place for the event in the prompt ("on May 8 at 6pm at our Berlin store")',
  steps: '',
  highlights: '',
  features: '',
  story: '',
  image: 'a picture (brief.imageUrl, or an image URL in the prompt)',
  testimonial: '',
  faq: '',
  cta: '',
};

const heading = (id: string, text: string, level: 1 | 2 | 3 = 2): Block => ({ id, type: 'heading', text, level, align: 'left' });
const text = (id: string, body: string, align: 'left' | 'center' = 'left'): Block => ({ id, type: 'text', text: body, align });

function ctaButton(id: string, c: BuildContext): Block {
  return { id, type: 'button', text: c.facts.ctaText ?? c.w.line(`cta.${c.facts.action}`), url: c.facts.ctaUrl, align: 'center' };
}

function listItems(c: BuildContext, generic: string): string[] {
  if (!c.pointsUsed && c.facts.points.length >= 2) {
    c.pointsUsed = true;
    return c.facts.points;
  }
  return c.w.all(generic).map((p) => p.text);
}

const BUILDERS: Record<SectionKind, (c: BuildContext) => Section | null> = {
  hero(c) {
    const p = c.facts.purpose;
    const intro = c.story?.intro ?? [c.w.maybe(`intro.${p}`) ?? c.w.line('intro.announcement'), c.facts.slots.audience ? c.w.line('audience') : null].filter(Boolean).join('\n\n');
    // A series email keeps to its own headlines, even if that means repeating its subject.
    const headlines = c.story?.headlines ?? [...c.w.all(`heading.${p}`), ...c.w.all('heading.announcement')].map((h) => h.text);
    const blocks: Block[] = [heading('hero-heading', headlines.find((h) => h !== c.subject) ?? headlines[0], 1)];
    if (c.facts.imageUrl) blocks.push({ id: 'hero-image', type: 'image', src: c.facts.imageUrl, alt: c.facts.slots.topic, align: 'center' });
    blocks.push(text('hero-greeting', c.w.line('greeting')), text('hero-intro', intro), ctaButton('hero-cta', c));
    return { id: 'hero', padding: 24, blocks };
  },
  offer(c) {
    if (!c.facts.slots.offer) return null;
    const deadline = c.w.maybe('offer.deadline');
    const blocks = [heading('offer-heading', c.w.line('offer.heading')), text('offer-text', c.w.maybe('offer.code') ?? c.w.line('offer.body')), ...(deadline ? [text('offer-deadline', deadline)] : [])];
    return { id: 'offer', background: tint(c.brand.colors.accent), padding: 24, blocks };
  },
  details(c) {
    if (!c.facts.slots.when && !c.facts.slots.where) return null;
    const items = ['details.what', 'details.when', 'details.where'].map((k) => c.w.maybe(k)).filter((i): i is string => i !== null);
    return { id: 'details', padding: 24, blocks: [heading('details-heading', c.w.line('details.heading')), { id: 'details-list', type: 'list', items, ordered: false }] };
  },
  steps(c) {
    // Steps read in the catalogue's order (explore, preferences, questions), not the seed's rotation.
    return { id: 'steps', padding: 24, blocks: [heading('steps-heading', c.w.line('steps.heading')), { id: 'steps-list', type: 'list', items: c.w.all('steps.item').sort((a, b) => a.index - b.index).map((i) => i.text), ordered: true }] };
  },
  highlights(c) {
    return { id: 'highlights', padding: 24, blocks: [heading('highlights-heading', c.w.line('highlights.heading')), { id: 'highlights-list', type: 'list', items: listItems(c, 'highlights.item'), ordered: false }] };
  },
  features(c) {
    const p = c.facts.purpose;
    return { id: 'features', padding: 24, blocks: [heading('features-heading', c.w.line(`features.heading.${p}`)), { id: 'features-list', type: 'list', items: listItems(c, `features.item.${p}`), ordered: false }] };
  },
  story(c) {
    return { id: 'story', padding: 24, blocks: [text('story-text', c.w.line(`story.${c.facts.purpose}`))] };
  },
  image(c) {
    if (!c.facts.imageUrl) return null;
    return { id: 'image', padding: 0, blocks: [{ id: 'image-picture', type: 'image', src: c.facts.imageUrl, alt: c.facts.slots.topic, align: 'center', href: c.facts.ctaUrl }] };
  },
  testimonial(c) {
    return { id: 'testimonial', background: tint(c.brand.colors.secondary), padding: 32, blocks: [{ id: 'testimonial-quote', type: 'quote', text: c.w.line('testimonial.quote'), author: c.w.line('testimonial.author') }] };
  },
  faq(c) {
    const entries = FAQ[c.facts.purpose].map((k) => c.w.maybe(k)).filter((e): e is string => e !== null).slice(0, 3);
    return { id: 'faq', padding: 24, blocks: [heading('faq-heading', c.w.line('faq.heading')), ...entries.map((e, i) => text(`faq-${i + 1}`, e))] };
  },
  cta(c) {
    return { id: 'cta', padding: 24, blocks: [text('cta-text', c.w.line(`closing.${c.facts.purpose}`)), ctaButton('cta-button', c)] };
  },
};

function header(c: BuildContext): Section {
  const mark: Block = c.brand.logoUrl
    ? { id: 'header-logo', type: 'image', src: c.brand.logoUrl, alt: c.brand.name, width: 160, align: 'center' }
    : text('header-brand', c.w.line('header'), 'center');
  return { id: 'header', padding: 16, blocks: [mark] };
}

function signoff(c: BuildContext): Section {
  return { id: 'signoff', padding: 24, blocks: [text('signoff-text', [...(c.story?.closing ?? []), c.w.line('signoff')].join('\n\n'))] };
}

function footer(c: BuildContext): Section {
  return { id: 'footer', padding: 24, blocks: [{ id: 'footer-text', type: 'footer', text: c.w.line('footer') }] };
}

/** A pale band of a brand colour: 88% of the way to white, light enough for body text. */
function tint(hex: string): string {
  const channel = (i: number) => parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16);
  return `#${[0, 1, 2].map((i) => Math.round(channel(i) + (255 - channel(i)) * 0.88).toString(16).padStart(2, '0')).join('')}`;
}

/** "faq-2" → faq; null for sections the author made. */
export function kindOf(sectionId: string): AnyKind | null {
  const kind = sectionId.replace(/-\d+$/, '') as AnyKind;
  return ORDER.includes(kind) ? kind : null;
}
