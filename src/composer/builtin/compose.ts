import type { Brand } from '../../brands/model.ts';
import type { Section } from '../../emails/model.ts';
import { brandTheme } from '../../emails/starter.ts';
import { draftName, type Brief, type EmailDraft, type Purpose, type SubjectLine } from '../model.ts';
import { lineIssues } from '../rules.ts';
import { planBrief } from './brief.ts';
import { Writer } from './copy.ts';
import { buildSection, frame, plannedKinds, type BuildContext } from './layouts.ts';
import { seriesCopy, seriesStep } from './series-copy.ts';

/** A brief and the brand kit → a complete email: same brief, same email. */
export function composeEmail(brief: Brief, brand: Brand): EmailDraft {
  // One email of a series is written as its move (welcome, tips, offer…) with links to its neighbours.
  const step = brief.series ? seriesStep(brief, brief.series) : null;
  const plan = planBrief(step?.brief ?? brief, brand);
  const { facts } = plan;
  if (step) facts.action = step.action(facts);
  const w = new Writer(plan.voice, facts.slots, plan.seed);
  const story = step ? seriesCopy(w, facts, step) : null;
  const line = story?.line ?? subjectLines(w, facts.purpose, 1, [])[0];
  const c: BuildContext = { w, facts, brand, pointsUsed: false, subject: line.subject, story };
  const middle = plannedKinds(facts, plan.length, plan.sections)
    // Only sections the brief itself asked for must be built; a series move's usual ones are skipped when a fact is missing.
    .map((kind) => buildSection(kind, c, brief.sections ? 'brief.sections' : null))
    .filter((s): s is Section => s !== null);
  return {
    name: story?.name ?? draftName(facts.purpose, facts.purpose === 'promo' && facts.slots.offer ? facts.slots.offer : facts.slots.topic),
    subject: line.subject,
    preheader: line.preheader,
    language: plan.language,
    category: 'marketing',
    document: { theme: brandTheme(brand), sections: frame(c, middle) },
    notes: plan.notes,
  };
}

/**
 * Subject lines for the purpose, then general ones, each with a preheader that adds to it; only
 * lines that meet the inbox conventions (≤ 50 characters, nothing spammy). A long topic is
 * shortened to its first words before a line is given up on.
 */
export function subjectLines(w: Writer, purpose: Purpose, count: number, exclude: string[]): SubjectLine[] {
  const writers = [w, w.with({ topic: shorten(w.slots.topic, 28) })];
  const subjects = fitting(writers, [`subject.${purpose}`, 'subject.any'], 'subject').filter((s) => !exclude.includes(s));
  const preheaders = fitting(writers, [`preheader.${purpose}`, 'preheader.any'], 'preheader');
  const lines: SubjectLine[] = [];
  for (const [i, subject] of subjects.entries()) {
    if (lines.length === count) break;
    const preheader = [...preheaders.slice(i % preheaders.length), ...preheaders].find((p) => p.toLowerCase() !== subject.toLowerCase());
    if (preheader) lines.push({ subject, preheader });
  }
  if (lines.length === 0) throw new Error(`no subject line fits for ${purpose} in ${w.voice.lang}`);
  return lines;
}

export function fitting(writers: Writer[], keys: string[], field: 'subject' | 'preheader'): string[] {
  const out: string[] = [];
  for (const writer of writers) {
    for (const key of keys) {
      for (const { text } of writer.all(key)) if (!out.includes(text) && lineIssues(field, text).length === 0) out.push(text);
    }
  }
  return out;
}

/** The first words of a phrase, at most `max` characters, never ending on "of" or "the". */
export function shorten(phrase: string, max: number): string {
  if (phrase.length <= max) return phrase;
  const words = phrase.split(' ');
  while (words.length > 1 && words.join(' ').length > max) words.pop();
  return words
    .join(' ')
    .replace(/\s+(?:of|the|a|an|and|de|du|des|la|le|les|el|los|las|der|die|das|und|et|y)$/i, '')
    .slice(0, max);
}
