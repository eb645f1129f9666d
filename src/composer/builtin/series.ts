import type { Brand } from '../../brands/model.ts';
import type { SeriesBrief, SeriesKind, SeriesPlan } from '../model.ts';
import { kindLabel, resolveSeries, type Cadence } from '../series/infer.ts';
import { plannedSteps, stepBrief, type StepOutline } from '../series/link.ts';
import { arcSteps, MOVE_SPECS, type ArcStep } from './arcs.ts';
import { planBrief, tidy } from './brief.ts';
import { Writer } from './copy.ts';
import { namedTopic } from './series-copy.ts';

/**
 * The built-in series planner: the arc of the series kind at the asked length, spaced as the prompt
 * says ("over two weeks", "weekly") or at the arc's usual offsets. Deterministic, like the rest
 * of the built-in composer.
 */
export function planSeries(brief: SeriesBrief, brand: Brand): SeriesPlan {
  const target = resolveSeries(brief);
  const arc = arcSteps(target.kind, target.count);
  const offsets = spaced(arc.map((s) => s.offsetDays), target.cadence);
  const roles = uniqueRoles(arc);
  const outlines: StepOutline[] = arc.map((step, i) => {
    const spec = MOVE_SPECS[step.move];
    return { role: roles[i], beats: spec.beats, offsetDays: offsets[i], handoff: i + 1 < arc.length ? handoff(roles[i + 1], offsets[i + 1]) : '', purpose: spec.purpose };
  });
  // What the first email's reading of the brief has to say (language, missing link) holds for all of them.
  const reading = planBrief(stepBrief(brief, outlines[0]), brand);
  const about = reading.facts.slots.audience ?? namedTopic(new Writer(reading.voice, reading.facts.slots, reading.seed), reading.facts);
  return { name: seriesName(target.kind, about), kind: target.kind, steps: plannedSteps(brief, target.kind, outlines), notes: [...target.notes, ...reading.notes] };
}

/** The arc's offsets, or the prompt's cadence: a fixed gap, or the arc stretched to a span; always ≥ 1 day apart. */
export function spaced(offsets: number[], cadence: Cadence): number[] {
  if (!cadence) return offsets;
  if ('gapDays' in cadence) return offsets.map((_, i) => i * cadence.gapDays);
  const last = offsets.at(-1)!;
  const scaled = offsets.map((o) => (last === 0 ? 0 : Math.round((o * cadence.spanDays) / last)));
  for (let i = 1; i < scaled.length; i++) scaled[i] = Math.max(scaled[i], scaled[i - 1] + 1);
  return scaled;
}

/** A move used twice in a long series gets "part 2", so every role names one email. */
function uniqueRoles(arc: ArcStep[]): string[] {
  const seen = new Map<string, number>();
  return arc.map(({ move }) => {
    const role = MOVE_SPECS[move].role;
    const n = (seen.get(role) ?? 0) + 1;
    seen.set(role, n);
    return n === 1 ? role : `${role}, part ${n}`;
  });
}

const handoff = (nextRole: string, nextOffset: number) => `Tease the next email (${nextRole.toLowerCase()}, day ${nextOffset}).`;

function seriesName(kind: SeriesKind, about: string): string {
  const label = kindLabel(kind);
  return tidy(`${label[0].toUpperCase()}${label.slice(1)}: ${about}`, 80);
}
