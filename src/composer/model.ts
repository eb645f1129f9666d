import { z } from 'zod';
import type { Brand } from '../brands/model.ts';
import { EmailDocument, type EmailCategory } from '../emails/model.ts';

/**
 * The Composer writes emails (S3.2): a brief plus the brand kit gives a complete email, and an
 * instruction changes one. Every implementation (the offline built-in one, OpenAI-compatible
 * servers, Anthropic) returns the same block document, never HTML.
 *
 * Series (S6.1) build on this: `planSeries(brief, brand)` plans the arc (each email's role, beats,
 * hand-off and offset) and gives every email a brief of its own (its `purpose` and the `series`
 * context: its role and its neighbours), so `generate` writes each one as a normal email that
 * still knows where it stands in the story.
 */

export const PURPOSES = ['announcement', 'newsletter', 'promo', 'welcome', 'product-update', 'event', 're-engagement'] as const;
export type Purpose = (typeof PURPOSES)[number];

export const TONES = ['friendly', 'professional', 'playful', 'urgent', 'calm', 'formal', 'casual'] as const;
export type Tone = (typeof TONES)[number];

export const LENGTHS = ['short', 'medium', 'long'] as const;
export type Length = (typeof LENGTHS)[number];

/**
 * Sections a brief may ask for, in the order they usually appear. `hero` (headline, greeting,
 * intro, button) always opens the email and `footer` always closes it.
 */
export const SECTION_KINDS = ['hero', 'offer', 'details', 'steps', 'highlights', 'features', 'story', 'image', 'testimonial', 'faq', 'cta'] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];

/** Objects that refuse unknown keys and name them, so a typo such as `cta_url` never passes silently. */
const strict = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject(shape, { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')}` : undefined) });

const phrase = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).optional();
/** BCP 47, as the brand's and the email's language. */
const languageTag = z.string().trim().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a BCP 47 tag such as en or pt-BR');
const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .regex(/^https?:\/\/[^\s/?#]+\.[^\s]+$/i, 'must be an absolute http(s) URL such as https://shop.acme.com/spring');

// ---- series (S6.1) ----

export const SERIES_KINDS = ['welcome', 'onboarding', 'launch', 'nurture', 'winback', 'post-purchase', 'event', 'dunning'] as const;
export type SeriesKind = (typeof SERIES_KINDS)[number];
export const SERIES_MAX = 12;

const role = z.string().trim().min(1, 'is empty').max(120, 'must be at most 120 characters');
const beats = z.array(z.string().trim().min(1, 'is empty').max(300, 'must be at most 300 characters')).max(8, 'must list at most 8 beats');
const handoff = z.string().trim().max(300, 'must be at most 300 characters');
const seriesCount = z.number().int('must be a whole number').min(1, 'must be at least 1').max(SERIES_MAX, `must be at most ${SERIES_MAX}`);
const offsetDays = z.number().int('must be a whole number of days').min(0, 'cannot be negative').max(365, 'must be at most 365 days');

/**
 * Where one email stands in its series. Composers use it to write the email as part of one story:
 * the built-in one refers back to the previous email and teases the next, a model is told the same.
 */
export const SeriesStepContext = strict({
  kind: z.enum(SERIES_KINDS),
  /** 0-based. */
  position: z.number().int().min(0).max(SERIES_MAX - 1),
  count: seriesCount,
  role,
  beats: beats.default([]),
  handoff: handoff.default(''),
  offsetDays: offsetDays.default(0),
  previous: strict({ role, handoff: handoff.default('') }).optional(),
  next: strict({ role, offsetDays: offsetDays.default(0) }).optional(),
});
export type SeriesStepContext = z.infer<typeof SeriesStepContext>;

/** One brief for a whole series: "a 4-email welcome flow for new subscribers of a coffee subscription". */
export const SeriesBrief = strict({
  prompt: z.string().trim().min(1, 'is required').max(4000, 'must be at most 4000 characters'),
  /** Inferred from the prompt ("a 4-email welcome flow"), else the arc's usual number. */
  count: seriesCount.optional(),
  /** Inferred from the prompt, else nurture. */
  kind: z.enum(SERIES_KINDS).optional(),
  tone: z.enum(TONES).optional(),
  language: languageTag.optional(),
  audience: phrase(300),
  offer: phrase(300),
  ctaUrl: httpUrl.optional(),
});
export type SeriesBrief = z.infer<typeof SeriesBrief>;
export type SeriesBriefInput = z.input<typeof SeriesBrief>;

/** One planned email: its part in the arc, when it goes out (days from enrolment), and its own brief. */
export interface PlannedStep {
  role: string;
  beats: string[];
  offsetDays: number;
  /** What this email hands over to the next one ("tease the tips coming on day 5"); empty for the last. */
  handoff: string;
  brief: Brief;
}

export interface SeriesPlan {
  name: string;
  kind: SeriesKind;
  steps: PlannedStep[];
  /** Things the author should know ("no count given: planned the usual 4 emails of a welcome flow"). */
  notes: string[];
}

/** The plan a model writes; each step's brief is then made from it and the series brief. */
export const SeriesPlanOutput = z.object({
  name: z.string().trim().min(1, 'is required').max(120, 'must be at most 120 characters'),
  steps: z
    .array(
      z.object({
        role,
        /** The kind of email this step is, which picks its layout. */
        purpose: z.enum(PURPOSES),
        beats: beats.min(1, 'needs at least one beat'),
        offsetDays,
        handoff,
      }),
    )
    .min(1, 'needs at least one email')
    .max(SERIES_MAX, `must have at most ${SERIES_MAX} emails`),
});
export type SeriesPlanOutput = z.infer<typeof SeriesPlanOutput>;

export const Brief = strict({
  /** Free text: "Announce our spring coffee collection to long-time customers, 20% off until Sunday". */
  prompt: phrase(4000),
  goal: phrase(500),
  audience: phrase(300),
  offer: phrase(300),
  tone: z.enum(TONES).optional(),
  /** BCP 47; default: the brand's language. */
  language: languageTag.optional(),
  length: z.enum(LENGTHS).default('medium'),
  /** Inferred from the prompt when absent. */
  purpose: z.enum(PURPOSES).optional(),
  sections: z
    .array(z.enum(SECTION_KINDS))
    .min(1, 'needs at least one section')
    .max(SECTION_KINDS.length)
    .refine((s) => new Set(s).size === s.length, 'lists a section twice')
    .optional(),
  /** Where the button leads; otherwise a URL in the prompt, the brand's site, or the web version. */
  ctaUrl: httpUrl.optional(),
  /** Button label; otherwise chosen from the goal and purpose. */
  ctaText: z.string().trim().min(1, 'is empty').max(40, 'must be at most 40 characters').optional(),
  /** A picture for the hero (https). */
  imageUrl: httpUrl.optional(),
  /** Set when the email is one step of a series: what it is for and what comes before and after it. */
  series: SeriesStepContext.optional(),
}).refine((b) => Boolean(b.prompt || b.goal || b.offer), { message: 'give a prompt, or at least a goal or an offer', path: ['prompt'] });
export type Brief = z.infer<typeof Brief>;
export type BriefInput = z.input<typeof Brief>;

export const GenerateInput = strict({
  brief: Brief,
  /** Default: made from the brief ("Promo: 20% off all beans"). */
  name: z.string().trim().min(1, 'is empty').max(200).optional(),
});
export type GenerateInput = z.infer<typeof GenerateInput>;

export const EditInput = strict({
  instruction: z.string().trim().min(1, 'is required').max(2000, 'must be at most 2000 characters'),
  /** Apply the instruction to this block only (the editor's selection). */
  blockId: z.string().trim().min(1).max(40).optional(),
});
export type EditInput = z.infer<typeof EditInput>;

export const SUBJECTS_MAX = 10;
export const SubjectsInput = strict({
  count: z.number().int().min(1, 'must be at least 1').max(SUBJECTS_MAX, `must be at most ${SUBJECTS_MAX}`).default(5),
});

/** What a composer produces and edits: the parts of an email it writes. */
export interface EmailDraft {
  name: string;
  subject: string;
  preheader: string;
  language: string;
  category: EmailCategory;
  document: EmailDocument;
  /** Things the author should know ("no link given: the button opens the web version"). */
  notes?: string[];
}

export interface SubjectLine {
  subject: string;
  preheader: string;
}

export interface Composer {
  readonly provider: 'builtin' | 'openai' | 'anthropic';
  /** The model used, or null for the built-in composer. */
  readonly model: string | null;
  generate(brief: Brief, brand: Brand): Promise<EmailDraft>;
  edit(draft: EmailDraft, instruction: string, brand: Brand, opts?: { blockId?: string }): Promise<EmailDraft>;
  subjects(draft: EmailDraft, brand: Brand, count: number): Promise<SubjectLine[]>;
  /** Plans a series from one brief (the arc, not the emails); throws a validation error naming `count` beyond 12. */
  planSeries(brief: SeriesBrief, brand: Brand): Promise<SeriesPlan>;
}

/** The part of a draft a model writes; validated with the email document schema. */
export const DraftOutput = z.object({
  subject: z.string().trim().min(1, 'is required').max(150, 'must be at most 150 characters'),
  preheader: z.string().trim().min(1, 'is required').max(300, 'must be at most 300 characters'),
  /** BCP 47 tag of the language the email is written in. */
  language: languageTag,
  document: EmailDocument,
});
export type DraftOutput = z.infer<typeof DraftOutput>;

export const SubjectsOutput = z.object({
  subjects: z
    .array(z.object({ subject: z.string().trim().min(1, 'is required').max(150), preheader: z.string().trim().min(1, 'is required').max(300) }))
    .min(1)
    .max(SUBJECTS_MAX),
});

/** A short internal name for a generated email: "Promo: 20% off all beans". */
export function draftName(purpose: Purpose, topic: string): string {
  const label = purpose === 'product-update' ? 'Product update' : purpose === 're-engagement' ? 'Re-engagement' : purpose[0].toUpperCase() + purpose.slice(1);
  const name = `${label}: ${topic}`;
  return name.length > 80 ? `${name.slice(0, 79).trimEnd()}…` : name;
}
