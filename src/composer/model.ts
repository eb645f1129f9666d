import { z } from 'zod';
import type { Brand } from '../brands/model.ts';
import { EmailDocument, type EmailCategory } from '../emails/model.ts';

/**
 * The Composer writes emails (S3.2): a brief plus the brand kit gives a complete email, and an
 * instruction changes one. Every implementation (the offline built-in one, OpenAI-compatible
 * servers, Anthropic) returns the same block document, never HTML.
 *
 * Series (S6.1) build on this: a later `planSeries(brief, brand)` plans the arc (each email's role,
 * beats and offset) and then calls `generate` once per email with a brief derived from its role
 * (`purpose`, `sections`, `goal`), so every email of a series is a normal email.
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
const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .regex(/^https?:\/\/[^\s/?#]+\.[^\s]+$/i, 'must be an absolute http(s) URL such as https://shop.acme.com/spring');

export const Brief = strict({
  /** Free text: "Announce our spring coffee collection to long-time customers, 20% off until Sunday". */
  prompt: phrase(4000),
  goal: phrase(500),
  audience: phrase(300),
  offer: phrase(300),
  tone: z.enum(TONES).optional(),
  /** BCP 47; default: the brand's language. */
  language: z
    .string()
    .trim()
    .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a BCP 47 tag such as en or pt-BR')
    .optional(),
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
}

/** The part of a draft a model writes; validated with the email document schema. */
export const DraftOutput = z.object({
  subject: z.string().trim().min(1, 'is required').max(150, 'must be at most 150 characters'),
  preheader: z.string().trim().min(1, 'is required').max(300, 'must be at most 300 characters'),
  /** BCP 47 tag of the language the email is written in. */
  language: z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a BCP 47 tag such as en or pt-BR'),
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
