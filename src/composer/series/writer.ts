import type { Brand } from '../../brands/model.ts';
import { parseInput } from '../../brands/service.ts';
import { mapLimit } from '../../shared/concurrency.ts';
import { invalid } from '../../shared/errors.ts';
import { SERIES_MAX, SeriesBrief, SeriesStepContext, type Brief, type Composer, type EmailDraft, type PlannedStep, type SeriesPlan } from '../model.ts';
import { relink } from './link.ts';

export interface WrittenStep {
  step: PlannedStep;
  draft: EmailDraft;
}

export type EditResult = { ok: true; draft: EmailDraft } | { ok: false; error: string };

/** Days between emails when a new one is added after the last and the series has no gap to copy. */
const DEFAULT_GAP_DAYS = 3;

/**
 * Plans and writes series with any composer (S6.1, S6.2). Emails are written in parallel, at most
 * `concurrency` at a time (a model-backed composer is a network call per email), and each knows its
 * neighbours through its brief's `series` context, so they can be written independently and still
 * refer to each other. Subjects are made distinct afterwards, in order.
 */
export class SeriesWriter {
  private readonly concurrency: number;

  constructor(
    private readonly composer: Composer,
    opts: { concurrency?: number } = {},
  ) {
    this.concurrency = Math.max(1, Math.floor(opts.concurrency ?? 4));
  }

  /** The brief is checked again here, so a caller that skipped validation still gets errors naming the field. */
  async plan(brief: SeriesBrief, brand: Brand): Promise<SeriesPlan> {
    return this.composer.planSeries(parseInput(SeriesBrief, brief), brand);
  }

  /** Writes every email so the sequence reads as one story: no repeated subject, forward/back references. */
  async write(plan: SeriesPlan, brand: Brand): Promise<WrittenStep[]> {
    const steps = relink(plan.steps, plan.kind);
    const drafts = await mapLimit(steps, this.concurrency, (step) => this.composer.generate(step.brief, brand));
    const distinct = await this.distinctSubjects(drafts, brand, []);
    return steps.map((step, i) => ({ step, draft: distinct[i] }));
  }

  /**
   * A new email at `position` (0-based) written to fit between its neighbours. Without `offsetDays`
   * it goes halfway between them (or a gap after the last). `takenSubjects` are the subjects of the
   * other emails, which the new one must not repeat.
   */
  async writeStep(plan: SeriesPlan, position: number, role: string, beats: string[], brand: Brand, offsetDays?: number, takenSubjects: string[] = []): Promise<WrittenStep> {
    if (plan.steps.length === 0) throw invalid('steps', 'the series has no emails to fit a new one between');
    if (plan.steps.length >= SERIES_MAX) throw invalid('position', `the series already has ${plan.steps.length} emails, the most a series can have`);
    if (!Number.isInteger(position) || position < 0 || position > plan.steps.length) throw invalid('position', `must be between 0 and ${plan.steps.length} (the series has ${plan.steps.length} emails)`);
    const fields = parseInput(SeriesStepContext.pick({ role: true, beats: true }), { role, beats });
    const offset = offsetDays ?? offsetBetween(plan.steps, position);
    const previous = plan.steps[position - 1];
    const next = plan.steps[position];
    if (offsetDays !== undefined) checkOffset(offsetDays, previous, next);
    const step: PlannedStep = { ...fields, offsetDays: offset, handoff: next ? `Hand over to the next email (${next.role}).` : '', brief: sharedBrief((previous ?? next).brief) };
    const steps = relink([...plan.steps.slice(0, position), step, ...plan.steps.slice(position)], plan.kind);
    const [draft] = await this.distinctSubjects([await this.composer.generate(steps[position].brief, brand)], brand, takenSubjects);
    return { step: steps[position], draft };
  }

  /** One instruction applied to every draft in parallel (bounded); a failure is reported per email, never thrown. */
  async editAll(drafts: EmailDraft[], instruction: string, brand: Brand): Promise<EditResult[]> {
    const text = instruction.trim();
    if (!text) throw invalid('instruction', 'is required');
    return mapLimit(drafts, this.concurrency, (draft) =>
      this.composer.edit(draft, text, brand).then(
        (edited): EditResult => ({ ok: true, draft: edited }),
        (err: unknown): EditResult => ({ ok: false, error: err instanceof Error ? err.message : String(err) }),
      ),
    );
  }

  /** In order, a subject already used (case aside) gives way to the composer's alternative, else gets a number. */
  private async distinctSubjects(drafts: EmailDraft[], brand: Brand, taken: string[]): Promise<EmailDraft[]> {
    const used = new Set(taken.map(key));
    const out: EmailDraft[] = [];
    for (const draft of drafts) {
      const subject = used.has(key(draft.subject)) ? await this.freshSubject(draft, brand, used) : draft.subject;
      used.add(key(subject));
      out.push(subject === draft.subject ? draft : { ...draft, subject });
    }
    return out;
  }

  private async freshSubject(draft: EmailDraft, brand: Brand, used: Set<string>): Promise<string> {
    // Having no alternative (or a model failing to give one) is not worth failing the series: a number still tells the emails apart.
    const ideas = await this.composer.subjects(draft, brand, 5).catch(() => []);
    const idea = ideas.find((line) => !used.has(key(line.subject)));
    if (idea) return idea.subject;
    for (let n = 2; ; n++) {
      const numbered = `${draft.subject} (${n})`;
      if (!used.has(key(numbered))) return numbered;
    }
  }
}

const key = (subject: string) => subject.trim().toLowerCase();

/** What the emails of a series share (prompt, tone, language, audience, offer, link); not what one email is. */
function sharedBrief(brief: Brief): Brief {
  const { purpose: _purpose, sections: _sections, series: _series, ...shared } = brief;
  return shared;
}

function offsetBetween(steps: PlannedStep[], position: number): number {
  const previous = steps[position - 1];
  const next = steps[position];
  if (!previous) return 0;
  if (next) return Math.floor((previous.offsetDays + next.offsetDays) / 2);
  const lastGap = steps.length > 1 ? previous.offsetDays - steps[position - 2].offsetDays : 0;
  return previous.offsetDays + Math.max(lastGap, DEFAULT_GAP_DAYS);
}

/** Offsets count from enrolment and never go backwards from one email to the next. */
function checkOffset(offsetDays: number, previous: PlannedStep | undefined, next: PlannedStep | undefined): void {
  if (!Number.isInteger(offsetDays) || offsetDays < 0) throw invalid('offsetDays', 'must be a whole number of days, 0 or more');
  if (previous && offsetDays < previous.offsetDays) throw invalid('offsetDays', `is day ${offsetDays}, before the previous email (day ${previous.offsetDays})`);
  if (next && offsetDays > next.offsetDays) throw invalid('offsetDays', `is day ${offsetDays}, after the next email (day ${next.offsetDays})`);
}
