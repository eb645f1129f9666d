import { Brief, type PlannedStep, type Purpose, type SeriesBrief, type SeriesKind } from '../model.ts';

/**
 * Turns a planned arc into the per-email briefs composers write from, and keeps each brief's
 * `series` context (position, count, neighbours) true to the current order of the steps, so an
 * email written after a reorder or an insert still refers to the right neighbours.
 */

/** One step as a planner outlines it, before it has a brief. */
export interface StepOutline {
  role: string;
  beats: string[];
  offsetDays: number;
  handoff: string;
  purpose?: Purpose;
}

export function plannedSteps(brief: SeriesBrief, kind: SeriesKind, outlines: StepOutline[]): PlannedStep[] {
  const steps = outlines.map((o) => ({ role: o.role, beats: o.beats, offsetDays: o.offsetDays, handoff: o.handoff, brief: stepBrief(brief, o) }));
  return relink(steps, kind);
}

/** What every email of the series shares (prompt, voice, audience, offer, link) plus what this one is. */
export function stepBrief(brief: SeriesBrief, outline: Pick<StepOutline, 'purpose'>): Brief {
  return Brief.parse({ prompt: brief.prompt, ...defined({ tone: brief.tone, language: brief.language, audience: brief.audience, offer: brief.offer, ctaUrl: brief.ctaUrl, purpose: outline.purpose }) });
}

/** The steps with every brief's series context set from their current order. */
export function relink(steps: PlannedStep[], kind: SeriesKind): PlannedStep[] {
  return steps.map((step, position) => {
    const previous = steps[position - 1];
    const next = steps[position + 1];
    const series = {
      kind,
      position,
      count: steps.length,
      role: step.role,
      beats: step.beats,
      handoff: step.handoff,
      offsetDays: step.offsetDays,
      ...(previous ? { previous: { role: previous.role, handoff: previous.handoff } } : {}),
      ...(next ? { next: { role: next.role, offsetDays: next.offsetDays } } : {}),
    };
    return { ...step, brief: { ...step.brief, series } };
  });
}

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
