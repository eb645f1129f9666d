import type { Brief, SeriesStepContext, SubjectLine } from '../model.ts';
import { lineIssues } from '../rules.ts';
import { MOVE_SPECS, moveOf, type Move } from './arcs.ts';
import { tidy, type CtaAction, type Facts } from './brief.ts';
import { subjectLines } from './compose.ts';
import type { Writer } from './copy.ts';

/**
 * How the built-in composer writes one email of a series so the emails read as one story: each is
 * written as its move (its own subject, headline and intro), opens with a line back to what the
 * previous email promised ("As promised in our last email: the story behind Acme Coffee") and
 * closes with a line ahead to the next ("Coming up in our next email: a few tips…").
 */

export interface SeriesStep {
  /** The brief with the move's purpose and sections where the brief leaves them open. */
  brief: Brief;
  context: SeriesStepContext;
  move: Move;
  next: Move | null;
  action(facts: Facts): CtaAction;
}

export function seriesStep(brief: Brief, context: SeriesStepContext): SeriesStep {
  const move = moveOf(context.role, context.beats, context.kind);
  const spec = MOVE_SPECS[move];
  return {
    // A move without sections of its own is the hero alone, not the purpose's usual layout.
    brief: { ...brief, purpose: brief.purpose ?? spec.purpose, sections: brief.sections ?? (spec.sections.length ? spec.sections : ['hero']) },
    context,
    move,
    next: context.next ? moveOf(context.next.role, [], context.kind) : null,
    action: (facts) => buttonOf(spec.action ?? facts.action, facts),
  };
}

/** What the series is about, for names: the brief's topic; the catalogue's stand-in ("something new") names nothing, the brand does. */
export function namedTopic(w: Writer, facts: Facts): string {
  return facts.slots.topic === w.maybe(`topic.${facts.purpose}`) ? facts.slots.brand : facts.slots.topic;
}

/** "See the offer" needs an offer to see; without one, the shop. */
const buttonOf = (action: CtaAction, facts: Facts): CtaAction => (action === 'offer' && !facts.slots.offer ? 'shop' : action);

export interface SeriesCopy {
  /** "Brand story: Acme Coffee": the email's role, so it is recognisable when used alone. */
  name: string;
  line: SubjectLine;
  headlines: string[];
  intro: string;
  /** Paragraphs before the sign-off: a line inviting replies, then one pointing to the next email (or closing the series). */
  closing: string[];
}

/** A dunning email goes out only while the payment is still open: it neither promises the next one nor recalls the last. */
const linked = (step: SeriesStep) => step.context.kind !== 'dunning';

export function seriesCopy(w: Writer, facts: Facts, step: SeriesStep): SeriesCopy {
  const { context, move } = step;
  const next = linked(step) ? step.next : null;
  const about = (m: Move) => w.line(`series.about.${m}`);
  const story = w.with({ current: about(move), ...(next ? { next: about(next) } : {}) });
  const subjects = inOrder(story, `series.subject.${move}`, 'subject');
  // A move used twice ("Tips, part 2") takes its next subject, so the two emails are told apart.
  const part = Number(/\bpart (\d+)\b/i.exec(context.role)?.[1] ?? 1);
  const subject = subjects[(part - 1) % Math.max(1, subjects.length)];
  const line = subject ? { subject, preheader: preheader(story, subject) ?? subjectLines(w, facts.purpose, 1, [subject])[0].preheader } : subjectLines(w, facts.purpose, 1, [])[0];
  const intro = [
    context.previous && linked(step) ? story.line('series.back') : null,
    w.line(`series.intro.${move}`, 0),
    w.maybe(`series.more.${move}`),
    // Who the series is for is said once, in its first email.
    context.position === 0 && facts.slots.audience ? w.line('audience') : null,
  ];
  // An FAQ already tells readers to reply with their questions.
  const closing = [step.brief.sections?.includes('faq') ? null : w.line('series.reply'), next ? story.line('series.next') : lastWords(w, step)];
  return {
    name: tidy(`${context.role}: ${namedTopic(w, facts)}`, 80),
    line,
    headlines: story.all(`series.subject.${move}`).map((p) => p.text),
    intro: intro.filter(Boolean).join('\n\n'),
    closing: closing.filter((p): p is string => p !== null),
  };
}

/** "In this email: …" when it fits the inbox conventions, else "Today from <brand>: …". */
function preheader(w: Writer, subject: string): string | null {
  return inOrder(w, 'series.preheader', 'preheader').find((p) => p.toLowerCase() !== subject.toLowerCase()) ?? null;
}

/** The key's lines that meet the inbox conventions, in the catalogue's order: the first says most (the offer itself, say). */
function inOrder(w: Writer, key: string, field: 'subject' | 'preheader'): string[] {
  return w
    .all(key)
    .sort((a, b) => a.index - b.index)
    .map((p) => p.text)
    .filter((text) => lineIssues(field, text).length === 0);
}

/** The last email of a series says so, unless it is not a story at all (dunning). */
function lastWords(w: Writer, step: SeriesStep): string | null {
  return step.context.count > 1 && linked(step) ? w.line('series.last') : null;
}
