import type { Brand } from '../../brands/model.ts';
import type { Section } from '../../emails/model.ts';
import { brandTheme } from '../../emails/starter.ts';
import { draftName, type Brief, type EmailDraft, type Purpose, type SubjectLine } from '../model.ts';
import { lineIssues } from '../rules.ts';
import { planBrief } from './brief.ts';
import { Writer } from './copy.ts';
import { buildSection, frame, plannedKinds, type BuildContext } from './layouts.ts';

/** A brief and the brand kit → a complete email: same brief, same email. */
export function composeEmail(brief: Brief, brand: Brand): EmailDraft {
  const plan = planBrief(brief, brand);
  const { facts } = plan;
  const w = new Writer(plan.voice, facts.slots, plan.seed);
  const [line] = subjectLines(w, facts.purpose, 1, []);
  const c: BuildContext = { w, facts, brand, pointsUsed: false, subject: line.subject };
  const middle = plannedKinds(facts, plan.length, plan.sections)
    .map((kind) => buildSection(kind, c, plan.sections ? 'brief.sections' : null))
    .filter((s): s is Section => s !== null);
  return {
    name: draftName(facts.purpose, facts.purpose === 'promo' && facts.slots.offer ? facts.slots.offer : facts.slots.topic),
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

function fitting(writers: Writer[], keys: string[], field: 'subject' | 'preheader'): string[] {
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
