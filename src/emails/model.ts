import { z } from 'zod';

/**
 * An email's body is a structured document (S3.1): sections of blocks. The editor edits it, the
 * Composer writes it (models return this JSON, never HTML), `emails/blocks-mjml.ts` turns it into
 * MJML and `emails/compile.ts` compiles that to HTML. Every block has an id, so the editor, a
 * preflight finding and an edit instruction can all point at the same block.
 *
 * Text fields hold plain text with a small inline markup: **bold**, *italic*, [label](https://url)
 * and line breaks. The compiler escapes everything else, so a document can never carry raw HTML.
 * Liquid merge tags (`{{ contact.first_name | default: "there" }}`) pass through untouched.
 */

export const LIMITS = {
  name: 200,
  subject: 300,
  preheader: 300,
  text: 20_000,
  url: 2_000,
  sections: 60,
  blocksPerSection: 40,
  columns: 3,
  /** Imported HTML/MJML/.eml source. */
  sourceBytes: 5 * 1024 * 1024,
} as const;

const id = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1–40 letters, digits, "_" or "-"');
const text = (max: number = LIMITS.text) => z.string().max(max, `must be at most ${max} characters`);
/** Merge tags may hold spaces (`{{ contact.email | url_encode }}`); the URL around them may not. */
const MERGE_TAG = /\{\{[^{}]*\}\}/g;

/**
 * Absolute http(s) or mailto: URL, which may hold merge tags (`https://x.com/?e={{ contact.email }}`),
 * or a Liquid URL variable alone such as {{ unsubscribe_url }}.
 */
export const UrlField = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(LIMITS.url)
  .refine((u) => {
    const bare = u.replace(MERGE_TAG, 'x');
    return /^https?:\/\/\S+$/i.test(bare) || /^mailto:\S+$/i.test(bare) || /^\{\{\s*[a-z_.]+\s*\}\}$/.test(u);
  }, 'must be an http(s) or mailto: URL, or a merge tag such as {{ unsubscribe_url }}');
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1a2b3c');
const align = z.enum(['left', 'center', 'right']);

export const HeadingBlock = z.object({ id, type: z.literal('heading'), text: text(500), level: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(1), align: align.default('left') });
export const TextBlock = z.object({ id, type: z.literal('text'), text: text(), align: align.default('left') });
export const ButtonBlock = z.object({ id, type: z.literal('button'), text: text(80).min(1, 'is required'), url: UrlField, align: align.default('center'), color: color.optional() });
export const ImageBlock = z.object({
  id,
  type: z.literal('image'),
  src: UrlField,
  alt: text(300),
  /** Display width in px (the file may be larger for sharp retina rendering). */
  width: z.number().int().min(16).max(1200).optional(),
  height: z.number().int().min(1).max(4000).optional(),
  href: UrlField.optional(),
  align: align.default('center'),
});
export const DividerBlock = z.object({ id, type: z.literal('divider'), color: color.optional() });
export const SpacerBlock = z.object({ id, type: z.literal('spacer'), height: z.number().int().min(4).max(200).default(24) });
export const ListBlock = z.object({ id, type: z.literal('list'), items: z.array(text(1000)).min(1).max(30), ordered: z.boolean().default(false) });
export const QuoteBlock = z.object({ id, type: z.literal('quote'), text: text(2000), author: text(200).optional() });
export const SOCIAL_NETWORKS = ['facebook', 'instagram', 'x', 'linkedin', 'youtube', 'tiktok', 'pinterest', 'github', 'web'] as const;
export const SocialBlock = z.object({
  id,
  type: z.literal('social'),
  links: z.array(z.object({ network: z.enum(SOCIAL_NETWORKS), url: UrlField })).min(1).max(10),
  align: align.default('center'),
});
/**
 * The footer's text (why you get this email, a note). The rendered footer always adds the brand's
 * postal address and, for marketing mail, the unsubscribe and preferences links.
 */
export const FooterBlock = z.object({ id, type: z.literal('footer'), text: text(2000).default('') });

/** Blocks allowed inside a column (no nested columns). */
export const LeafBlock = z.discriminatedUnion('type', [HeadingBlock, TextBlock, ButtonBlock, ImageBlock, DividerBlock, SpacerBlock, ListBlock, QuoteBlock, SocialBlock]);
export type LeafBlock = z.infer<typeof LeafBlock>;

export const ColumnsBlock = z.object({
  id,
  type: z.literal('columns'),
  columns: z
    .array(z.object({ blocks: z.array(LeafBlock).max(LIMITS.blocksPerSection) }))
    .min(2, 'needs at least 2 columns')
    .max(LIMITS.columns, `has at most ${LIMITS.columns} columns`),
});

export const Block = z.discriminatedUnion('type', [HeadingBlock, TextBlock, ButtonBlock, ImageBlock, DividerBlock, SpacerBlock, ListBlock, QuoteBlock, SocialBlock, FooterBlock, ColumnsBlock]);
export type Block = z.infer<typeof Block>;
export type BlockType = Block['type'];
export const BLOCK_TYPES = Block.options.map((o) => o.shape.type.value) as BlockType[];

export const Section = z.object({
  id,
  /** Background of the full-width band; the content column stays on the document's content background. */
  background: color.optional(),
  padding: z.number().int().min(0).max(80).default(24),
  blocks: z.array(Block).max(LIMITS.blocksPerSection),
});
export type Section = z.infer<typeof Section>;

/** Colours and fonts; defaults come from the brand kit when the document is created. */
export const Theme = z.object({
  primary: color,
  text: color,
  background: color,
  contentBackground: color,
  headingFont: z.string().max(200),
  bodyFont: z.string().max(200),
  /** Content width in px (email-safe: 480–720). */
  width: z.number().int().min(480).max(720).default(600),
});
export type Theme = z.infer<typeof Theme>;

export const EmailDocument = z.object({
  theme: Theme,
  sections: z.array(Section).min(1, 'needs at least one section').max(LIMITS.sections),
});
export type EmailDocument = z.infer<typeof EmailDocument>;

export const EMAIL_CATEGORIES = ['marketing', 'transactional'] as const;
export type EmailCategory = (typeof EMAIL_CATEGORIES)[number];
/** What the body is written in: the block document, or code imported/edited as MJML or HTML. */
export const EMAIL_FORMATS = ['blocks', 'mjml', 'html'] as const;
export type EmailFormat = (typeof EMAIL_FORMATS)[number];

export interface Email {
  id: string;
  brandId: string;
  name: string;
  subject: string;
  preheader: string;
  fromName: string;
  fromEmail: string;
  replyTo: string | null;
  category: EmailCategory;
  /** BCP 47, e.g. "en", "de-AT". */
  language: string;
  format: EmailFormat;
  /** Set when format is 'blocks'. */
  document: EmailDocument | null;
  /** MJML or HTML source when format is 'mjml' or 'html'. */
  source: string | null;
  /** Number of the latest version (1 for a new email). */
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A saved state of an email; every save makes one. */
export interface EmailVersion {
  emailId: string;
  version: number;
  subject: string;
  preheader: string;
  format: EmailFormat;
  document: EmailDocument | null;
  source: string | null;
  /** Who saved it and how: "user usr_…", "composer builtin: shorter", "restore of v3". */
  note: string;
  createdBy: string | null;
  createdAt: string;
}

// ---- rendering contract (emails/render.ts produces these; preflight and delivery consume them) ----

/**
 * An email version compiled once: MJML → HTML → CSS inlined, with Liquid merge tags still in
 * place, and everything per-recipient work needs prepared ahead (S3.3).
 */
export interface CompiledEmail {
  emailId: string;
  version: number;
  category: EmailCategory;
  language: string;
  subject: string;
  preheader: string;
  from: { name: string; email: string };
  replyTo: string | null;
  /** Final HTML with merge tags unrendered (footer, preheader and lang already in). */
  html: string;
  /** Plain-text part with merge tags unrendered. */
  text: string;
  /** Every href of the HTML in document order (before tracking rewrite). */
  links: string[];
  /** Variables the templates reference (e.g. "contact.first_name", "unsubscribe_url"). */
  variables: string[];
}

/** Data one recipient's render uses. */
export interface RecipientData {
  /** Absent for a test render with sample data. */
  contactId?: string;
  email: string;
  contact: Record<string, unknown>;
  /** Set by campaigns/series; tokens and tracking need it. */
  messageId?: string;
  campaignId?: string;
}

export interface RenderOptions {
  /** Rewrite links through the click endpoint and add the open pixel (needs messageId); or each on its own (a campaign's options). */
  tracking: boolean | { opens: boolean; clicks: boolean };
  /** Public base URL of this server, e.g. https://mail.example.com (tracking, unsubscribe, view-in-browser). */
  baseUrl: string;
}

/** One recipient's final message, before MIME encoding. */
export interface RenderedMessage {
  to: string;
  from: { name: string; email: string };
  replyTo: string | null;
  subject: string;
  html: string;
  text: string;
  /** Extra headers: List-Unsubscribe, List-Unsubscribe-Post, Feedback-ID… */
  headers: Record<string, string>;
}

// ---- API inputs and shapes of the emails service (S3.1, S3.4) ----

/** Objects that refuse unknown keys and say which ones, so a typo never passes silently. */
const strict = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject(shape, { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')}` : undefined) });

const language = z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a BCP 47 tag such as en or pt-BR');
const emailAddress = z.email('must be an email address').max(320);
/** Code edited or imported as MJML or HTML. */
export const EmailSource = z
  .string()
  .min(1, 'is required')
  .refine((s) => Buffer.byteLength(s) <= LIMITS.sourceBytes, `must be at most ${LIMITS.sourceBytes / 1024 / 1024} MB`);

const emailFields = {
  name: z.string().trim().min(1, 'is required').max(LIMITS.name, `must be at most ${LIMITS.name} characters`),
  subject: z.string().trim().max(LIMITS.subject, `must be at most ${LIMITS.subject} characters`),
  preheader: z.string().trim().max(LIMITS.preheader, `must be at most ${LIMITS.preheader} characters`),
  fromName: z.string().trim().min(1, 'is required').max(120),
  fromEmail: emailAddress,
  replyTo: emailAddress.nullable(),
  category: z.enum(EMAIL_CATEGORIES),
  language,
  format: z.enum(EMAIL_FORMATS),
  document: EmailDocument,
  source: EmailSource,
};

/** POST /emails: only the name is required; the rest defaults from the brand kit. */
export const EmailInput = strict({
  ...emailFields,
  subject: emailFields.subject.optional(),
  preheader: emailFields.preheader.optional(),
  fromName: emailFields.fromName.optional(),
  fromEmail: emailFields.fromEmail.optional(),
  replyTo: emailFields.replyTo.optional(),
  category: emailFields.category.optional(),
  language: emailFields.language.optional(),
  format: emailFields.format.optional(),
  document: emailFields.document.optional(),
  source: emailFields.source.optional(),
});
export type EmailInput = z.infer<typeof EmailInput>;

/** PATCH /emails/:id: any subset; `note` says why (kept on the version the change makes). */
export const EmailPatch = strict({
  name: emailFields.name.optional(),
  subject: emailFields.subject.optional(),
  preheader: emailFields.preheader.optional(),
  fromName: emailFields.fromName.optional(),
  fromEmail: emailFields.fromEmail.optional(),
  replyTo: emailFields.replyTo.optional(),
  category: emailFields.category.optional(),
  language: emailFields.language.optional(),
  format: emailFields.format.optional(),
  document: emailFields.document.optional(),
  source: emailFields.source.optional(),
  note: z.string().trim().max(500).optional(),
});
export type EmailPatch = z.infer<typeof EmailPatch>;

export const IMPORT_FORMATS = ['html', 'mjml', 'eml'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
/** POST /emails/import as JSON; the size limit is checked by the service (413, like an uploaded file). */
export const ImportInput = strict({
  name: emailFields.name.optional(),
  format: z.enum(IMPORT_FORMATS),
  content: z.string().min(1, 'is empty'),
});
export type ImportInput = z.infer<typeof ImportInput>;

export const TEST_SEND_MAX = 10;
export const TestSendInput = strict({
  to: z.array(emailAddress).min(1, 'needs at least one address').max(TEST_SEND_MAX, `has at most ${TEST_SEND_MAX} addresses`),
  contactId: z.string().max(100).optional(),
});
export type TestSendInput = z.infer<typeof TestSendInput>;

export const PERSONAS = ['full', 'missing', 'hostile'] as const;
export type Persona = (typeof PERSONAS)[number];

export const EmailListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
  search: z.string().trim().max(200).optional().describe('substring of the name or subject'),
});
export type EmailListQuery = z.input<typeof EmailListQuery>;

/** The latest preflight report in brief, shown in email lists. */
export interface PreflightSummary {
  score: number;
  critical: number;
  important: number;
  suggested: number;
  at: string;
}

export type EmailSummary = Omit<Email, 'document' | 'source'> & { lastPreflight: PreflightSummary | null };
export type EmailVersionSummary = Omit<EmailVersion, 'document' | 'source'>;

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}
export interface DiffLine {
  op: '=' | '+' | '-';
  text: string;
}
/** Two versions compared: changed fields, and a line diff of their MJML or HTML. */
export interface EmailDiff {
  fields: FieldChange[];
  lines: DiffLine[];
}
