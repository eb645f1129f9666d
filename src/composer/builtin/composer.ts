import type { Brand } from '../../brands/model.ts';
import type { Brief, Composer, EmailDraft, SeriesBrief, SeriesPlan, SubjectLine } from '../model.ts';
import { composeEmail } from './compose.ts';
import { alternativeSubjects, editDraft } from './edit.ts';
import { planSeries } from './series.ts';

/**
 * The offline composer (S3.2): templates and rules, no model, no network. Deterministic: the same
 * brief and brand give the same email, so it is the default and what tests rely on.
 */
export class BuiltinComposer implements Composer {
  readonly provider = 'builtin' as const;
  readonly model = null;

  async generate(brief: Brief, brand: Brand): Promise<EmailDraft> {
    return composeEmail(brief, brand);
  }

  async edit(draft: EmailDraft, instruction: string, brand: Brand, opts: { blockId?: string } = {}): Promise<EmailDraft> {
    return editDraft(draft, instruction, brand, opts.blockId);
  }

  async subjects(draft: EmailDraft, brand: Brand, count: number): Promise<SubjectLine[]> {
    return alternativeSubjects(draft, brand, count);
  }

  async planSeries(brief: SeriesBrief, brand: Brand): Promise<SeriesPlan> {
    return planSeries(brief, brand);
  }
}
