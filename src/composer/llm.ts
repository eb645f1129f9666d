import { z } from 'zod';
import type { Brand } from '../brands/model.ts';
import { brandTheme } from '../emails/starter.ts';
import { DomainError, issuesFromZod } from '../shared/errors.ts';
import { FALLBACK_URL, NO_LINK_NOTE, planBrief } from './builtin/brief.ts';
import { draftName, DraftOutput, PURPOSES, SeriesPlanOutput, SubjectsOutput, type Brief, type Composer, type EmailDraft, type SeriesBrief, type SeriesPlan, type SeriesStepContext, type SubjectLine } from './model.ts';
import { draftIssues, lineIssues, PREHEADER_MAX, PREHEADER_MIN, SUBJECT_MAX, textsOf, type DraftIssue } from './rules.ts';
import { blocksOf } from './builtin/read.ts';
import { arcSteps, MOVE_SPECS } from './builtin/arcs.ts';
import { spaced } from './builtin/series.ts';
import { kindLabel, resolveSeries, type SeriesTarget } from './series/infer.ts';
import { plannedSteps } from './series/link.ts';

/**
 * What the OpenAI-compatible and Anthropic composers share: the prompts, the JSON schema the model
 * must answer in, validation of the answer with the email document's zod schemas, one retry that
 * shows the model its mistakes, and errors that say which provider failed and how.
 */

export type Provider = 'openai' | 'anthropic';
export const PROVIDER_NAMES: Record<Provider, string> = { openai: 'the OpenAI-compatible server', anthropic: 'Anthropic' };

/** A model's answer: its raw text, the JSON when the API already parsed it (tool input), and how it ended. */
export interface ModelReply {
  raw: string;
  json?: unknown;
  /** Anthropic's tool call, which the retry must answer with a tool result. */
  toolCallId?: string;
  truncated: boolean;
  refusal?: string;
}

export type Turn = { role: 'user'; text: string } | { role: 'assistant'; reply: ModelReply };

/** The JSON a request asks for: the plain schema (prompt, tool input) and OpenAI's strict form. */
export interface OutputSpec {
  name: string;
  description: string;
  schema: Record<string, unknown>;
  strictSchema: Record<string, unknown>;
}

/** One chat exchange with a provider; each adapter maps turns to its API and its errors to DomainErrors. */
export interface ModelClient {
  readonly provider: Provider;
  readonly model: string;
  complete(system: string, turns: Turn[], output: OutputSpec): Promise<ModelReply>;
}

interface Task<T> {
  output: OutputSpec;
  parse(json: unknown): { value?: T; issues: DraftIssue[] };
}

export class ModelComposer implements Composer {
  constructor(private readonly client: ModelClient) {}

  get provider(): Provider {
    return this.client.provider;
  }

  get model(): string {
    return this.client.model;
  }

  async generate(brief: Brief, brand: Brand): Promise<EmailDraft> {
    // The same reading of the brief as the built-in composer: purpose, topic and the button's link.
    const plan = planBrief(brief, brand);
    const language = brief.language ?? brand.defaultLanguage ?? 'en';
    const out = await this.ask(systemPrompt(brand, language), generatePrompt(brief, plan.facts.purpose, plan.facts.ctaUrl, language), DRAFT_TASK);
    return {
      name: draftName(plan.facts.purpose, plan.facts.purpose === 'promo' && plan.facts.slots.offer ? plan.facts.slots.offer : plan.facts.slots.topic),
      subject: out.subject,
      preheader: out.preheader,
      language: out.language,
      category: 'marketing',
      document: out.document,
      notes: plan.facts.ctaUrl === FALLBACK_URL ? [NO_LINK_NOTE] : [],
    };
  }

  async edit(draft: EmailDraft, instruction: string, brand: Brand, opts: { blockId?: string } = {}): Promise<EmailDraft> {
    const out = await this.ask(systemPrompt(brand, draft.language), editPrompt(draft, instruction, opts.blockId), DRAFT_TASK);
    return { ...draft, subject: out.subject, preheader: out.preheader, language: out.language, document: out.document, notes: [] };
  }

  async subjects(draft: EmailDraft, brand: Brand, count: number): Promise<SubjectLine[]> {
    const out = await this.ask(systemPrompt(brand, draft.language), subjectsPrompt(draft, count), subjectsTask(count));
    return out.subjects;
  }

  /** The kind and count are read from the brief first (as the built-in composer does); the model plans the arc within them. */
  async planSeries(brief: SeriesBrief, brand: Brand): Promise<SeriesPlan> {
    const target = resolveSeries(brief);
    const language = brief.language ?? brand.defaultLanguage ?? 'en';
    const out = await this.ask(planSystemPrompt(brand, language, target.count), planPrompt(brief, target, language), planTask(target.count));
    return { name: out.name, kind: target.kind, steps: plannedSteps(brief, target.kind, out.steps), notes: target.notes };
  }

  /**
   * Asks, validates, and asks once more with the problems listed. Style problems (a 56-character
   * subject) are worth the second try but not a failure; errors that remain are reported.
   */
  private async ask<T>(system: string, prompt: string, task: Task<T>): Promise<T> {
    const turns: Turn[] = [{ role: 'user', text: prompt }];
    for (let attempt = 1; ; attempt++) {
      const reply = await this.client.complete(system, turns, task.output);
      const { value, issues } = checkReply(reply, task);
      const errors = issues.filter((i) => i.severity === 'error');
      if (value !== undefined && (issues.length === 0 || (attempt === 2 && errors.length === 0))) return value;
      if (attempt === 2) {
        const shown = errors.slice(0, 3).map((i) => `${i.field}: ${i.message}`).join('; ');
        throw new DomainError('upstream', `${PROVIDER_NAMES[this.provider]} (model ${this.model}) returned an unusable answer twice: ${shown}${errors.length > 3 ? ` (and ${errors.length - 3} more)` : ''}`, {
          provider: this.provider,
          model: this.model,
          reason: 'invalid_output',
          issues: errors.map(({ field, message }) => ({ field, message })),
        });
      }
      turns.push({ role: 'assistant', reply }, { role: 'user', text: retryPrompt(issues) });
    }
  }
}

function checkReply<T>(reply: ModelReply, task: Task<T>): { value?: T; issues: DraftIssue[] } {
  const problem = (message: string) => ({ issues: [{ field: '(reply)', message, severity: 'error' as const }] });
  if (reply.refusal) return problem(`the model refused: ${reply.refusal}`);
  if (reply.truncated) return problem('was cut off before the end (the model ran out of output tokens); keep the email shorter');
  let json = reply.json;
  if (json === undefined) {
    try {
      json = JSON.parse(reply.raw.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
    } catch (err) {
      return problem(`is not valid JSON (${(err as Error).message})`);
    }
  }
  return task.parse(withoutNulls(json));
}

/** OpenAI's strict mode answers optional fields with null; the document schema wants them absent. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
  return value;
}

// ---- the answers we ask for ----

/** Schema violations: errors the model must fix. */
const schemaIssues = (error: z.ZodError): DraftIssue[] => issuesFromZod(error.issues).map((i) => ({ ...i, severity: 'error' as const }));

const DRAFT_TASK: Task<z.infer<typeof DraftOutput>> = {
  output: outputSpec('email', 'The complete email: subject, preheader, language and the block document.', DraftOutput),
  parse(json) {
    const r = DraftOutput.safeParse(json);
    if (!r.success) return { issues: schemaIssues(r.error) };
    return { value: r.data, issues: draftIssues(r.data) };
  },
};

function subjectsTask(count: number): Task<{ subjects: SubjectLine[] }> {
  return {
    output: outputSpec('subject_lines', `Exactly ${count} subject lines, each with a preheader.`, SubjectsOutput),
    parse(json) {
      const r = SubjectsOutput.safeParse(json);
      if (!r.success) return { issues: schemaIssues(r.error) };
      const issues: DraftIssue[] = r.data.subjects.flatMap((s, i) =>
        [...lineIssues('subject', s.subject), ...lineIssues('preheader', s.preheader)].map((issue) => ({ ...issue, field: `subjects.${i}.${issue.field}` })),
      );
      if (r.data.subjects.length < count) issues.push({ field: 'subjects', message: `has ${r.data.subjects.length} entries; write ${count}`, severity: 'error' });
      return { value: { subjects: r.data.subjects.slice(0, count) }, issues };
    },
  };
}

function planTask(count: number): Task<SeriesPlanOutput> {
  return {
    output: outputSpec('series_plan', `The plan of a series of exactly ${count} emails: its name and each email's role, purpose, beats, offset and hand-off.`, SeriesPlanOutput),
    parse(json) {
      const r = SeriesPlanOutput.safeParse(json);
      if (!r.success) return { issues: schemaIssues(r.error) };
      return { value: r.data, issues: planIssues(r.data, count) };
    },
  };
}

/** What the schema cannot say: the asked number of emails, at least a day between them, one role per email. */
export function planIssues(plan: SeriesPlanOutput, count: number): DraftIssue[] {
  const issues: DraftIssue[] = [];
  if (plan.steps.length !== count) issues.push({ field: 'steps', message: `has ${plan.steps.length} emails; plan exactly ${count}`, severity: 'error' });
  plan.steps.forEach((step, i) => {
    const before = plan.steps[i - 1]?.offsetDays;
    if (before !== undefined && step.offsetDays <= before) {
      const when = step.offsetDays < before ? 'before' : 'on the same day as';
      issues.push({ field: `steps.${i}.offsetDays`, message: `is day ${step.offsetDays}, ${when} the previous email (day ${before}); send each email at least one day after the previous one`, severity: 'error' });
    }
    if (plan.steps.findIndex((s) => s.role.toLowerCase() === step.role.toLowerCase()) < i) issues.push({ field: `steps.${i}.role`, message: `"${step.role}" is the role of an earlier email too; give every email its own role`, severity: 'style' });
  });
  return issues;
}

function outputSpec(name: string, description: string, schema: z.ZodType): OutputSpec {
  return {
    name,
    description,
    schema: withoutKey(z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>, '$schema'),
    strictSchema: strictSchema(z.toJSONSchema(schema, { io: 'output' }) as Record<string, unknown>),
  };
}

function withoutKey(o: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));
}

/**
 * OpenAI's strict structured output accepts a subset of JSON Schema: every property required
 * (optional ones become nullable), no additional properties, `anyOf` rather than `oneOf`, no
 * defaults or length limits. The zod schema still checks everything afterwards.
 */
export function strictSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (['default', '$schema', 'minLength', 'maxLength'].includes(key)) continue;
      if (key === 'oneOf') out.anyOf = walk(value);
      else if (key === 'const') out.enum = [value];
      else out[key] = walk(value);
    }
    if (out.type === 'object' && out.properties && typeof out.properties === 'object') {
      const required = new Set((out.required as string[] | undefined) ?? []);
      const properties = out.properties as Record<string, Record<string, unknown>>;
      for (const [name, prop] of Object.entries(properties)) if (!required.has(name)) properties[name] = nullable(prop);
      out.required = Object.keys(properties);
      out.additionalProperties = false;
    }
    return out;
  };
  return walk(schema) as Record<string, unknown>;
}

function nullable(prop: Record<string, unknown>): Record<string, unknown> {
  if (typeof prop.type === 'string' && !prop.enum) return { ...prop, type: [prop.type, 'null'] };
  if (Array.isArray(prop.anyOf)) return { ...prop, anyOf: [...prop.anyOf, { type: 'null' }] };
  return { anyOf: [prop, { type: 'null' }] };
}

// ---- prompts ----

const LENGTH_WORDS = { short: 'short: about 80–120 words', medium: 'medium: about 150–250 words', long: 'long: about 300–450 words' };

function systemPrompt(brand: Brand, language: string): string {
  return [
    `You write marketing emails for the brand "${brand.name}" as JSON for the Tidings email editor. Never write HTML.`,
    brand.voice ? `Brand voice: ${brand.voice}` : '',
    brand.knowledge ? `What the brand has told you (products, offers, policies):\n${brand.knowledge.slice(0, 3000)}` : '',
    'An email is a document of sections; each section has blocks: heading (level 1–3), text, button, image, divider, spacer, list, quote, social, footer, columns.',
    'Text fields are plain text with **bold**, *italic*, [label](https://url) and line breaks; no HTML and no Markdown headings.',
    'Rules:',
    `- Write every text in the language "${language}" and set "language" to "${language}" unless told to translate.`,
    '- Greet the reader with {{ contact.first_name | default: "…" }}, the default being a friendly word in the email\'s language ("there" in English).',
    '- The only merge tags allowed are {{ contact.first_name }}, {{ contact.last_name }}, {{ unsubscribe_url }}, {{ preferences_url }} and {{ view_in_browser_url }}; no other {{ }} tags and no placeholders such as [Name] or [Link].',
    '- One clear call to action: a button with a specific label (never "click here" or "read more"). Never invent URLs and never use example.com.',
    '- Exactly one heading of level 1.',
    '- Exactly one footer block, the last block of the last section. It says why the reader gets this email; do not write unsubscribe links or a postal address, they are added automatically.',
    `- subject: at most ${SUBJECT_MAX} characters, no words in capitals, no "!!", no spam words (free, act now, guarantee, cash, urgent).`,
    `- preheader: ${PREHEADER_MIN}–${PREHEADER_MAX} characters; it adds to the subject and never repeats it.`,
    '- Every section and block has an id of letters, digits, "-" or "_", unique in the email.',
    `- Use this theme unchanged unless the instruction is about colours or fonts: ${JSON.stringify(brandTheme(brand))}`,
    `Answer with JSON only, matching this JSON Schema:\n${JSON.stringify(DRAFT_TASK.output.schema)}`,
  ]
    .filter(Boolean)
    .join('\n');
}

function planSystemPrompt(brand: Brand, language: string, count: number): string {
  return [
    `You plan email series (drip sequences) for the brand "${brand.name}" as JSON for the Tidings email platform. You plan the arc only; each email is written later from your plan, so the plan must say what every email is for and how it leads to the next.`,
    brand.voice ? `Brand voice: ${brand.voice}` : '',
    brand.knowledge ? `What the brand has told you (products, offers, policies):\n${brand.knowledge.slice(0, 3000)}` : '',
    'Rules:',
    `- Plan exactly ${count} emails, in the order they are sent.`,
    '- offsetDays: whole days from the moment a contact enrols in the series (the first email is usually day 0); every email at least one day after the previous one.',
    '- role: a short label of what the email does in the story ("Welcome", "Brand story", "Last chance"); no two emails share a role.',
    '- beats: 2–5 short notes on what the email must say.',
    '- handoff: one sentence on what this email promises or hands over to the next one; an empty string for the last email.',
    `- purpose: the kind of email, one of ${PURPOSES.join(', ')}.`,
    '- name: a short internal name for the series.',
    `- Write name, roles, beats and hand-offs in the language "${language}".`,
    `Answer with JSON only, matching this JSON Schema:\n${JSON.stringify(planTask(count).output.schema)}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** The brief, the cadence it asks for, and the built-in arc of this kind and length as a starting point. */
function planPrompt(brief: SeriesBrief, target: SeriesTarget, language: string): string {
  const line = (label: string, value: string | undefined) => (value ? `- ${label}: ${value}` : '');
  const cadence = !target.cadence ? '' : 'gapDays' in target.cadence ? `one email every ${target.cadence.gapDays} days` : `spread over ${target.cadence.spanDays} days`;
  const arc = arcSteps(target.kind, target.count);
  const offsets = spaced(arc.map((s) => s.offsetDays), target.cadence);
  const typical = arc.map((s, i) => `${i + 1}. ${MOVE_SPECS[s.move].role} (day ${offsets[i]})`).join(', ');
  return [
    `Plan a ${kindLabel(target.kind)} of exactly ${target.count} emails from this brief.`,
    line('Prompt', brief.prompt),
    line('Audience', brief.audience),
    line('Offer', brief.offer),
    line('Tone', brief.tone),
    `- Language: ${language}`,
    line('Link for the buttons', brief.ctaUrl),
    line('Cadence', cadence),
    `A typical ${kindLabel(target.kind)} of this length, for reference (adapt it to the brief): ${typical}.`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** Where the email stands in its series, so the model writes it as one chapter of a story. */
function seriesLines(s: SeriesStepContext): string[] {
  const sentence = (text: string) => text.replace(/[.!?]+$/, '');
  return [
    `- Series: email ${s.position + 1} of ${s.count} of a ${kindLabel(s.kind)}, sent on day ${s.offsetDays} after enrolment. Keep the voice of the series; give it a subject no other email of the series would use.`,
    `- Role of this email: ${s.role}`,
    s.beats.length ? `- Beats: ${s.beats.join('; ')}` : '',
    s.previous ? `- Previous email: "${s.previous.role}"${s.previous.handoff ? `, which promised: ${sentence(s.previous.handoff)}` : ''}. Refer back to it where natural ("As promised last time…").` : '',
    s.next ? `- Next email: "${s.next.role}", on day ${s.next.offsetDays}${s.handoff ? `; hand over to it: ${sentence(s.handoff)}` : ''}. Tease it in a sentence near the end ("In our next email…").` : '',
  ];
}

function generatePrompt(brief: Brief, purpose: string, ctaUrl: string, language: string): string {
  const line = (label: string, value: string | undefined) => (value ? `- ${label}: ${value}` : '');
  return [
    'Write a complete email from this brief.',
    line('Prompt', brief.prompt),
    line('Goal', brief.goal),
    line('Audience', brief.audience),
    line('Offer', brief.offer),
    line('Tone', brief.tone),
    `- Language: ${language}`,
    `- Length: ${LENGTH_WORDS[brief.length]}`,
    `- Kind of email: ${purpose}`,
    line('Sections, in this order (plus the footer)', brief.sections?.join(', ')),
    `- Button link: ${ctaUrl}`,
    line('Button label', brief.ctaText),
    line('Image (use it in the first section)', brief.imageUrl),
    ...(brief.series ? seriesLines(brief.series) : []),
  ]
    .filter(Boolean)
    .join('\n');
}

function editPrompt(draft: EmailDraft, instruction: string, blockId: string | undefined): string {
  const current = { subject: draft.subject, preheader: draft.preheader, language: draft.language, document: draft.document };
  return [
    `Here is the email as JSON:\n${JSON.stringify(current)}`,
    `Apply this instruction: "${instruction}"`,
    blockId ? `Change only the block with id "${blockId}" and leave everything else exactly as it is.` : 'Change only what the instruction asks for; keep the ids of the blocks you keep.',
    'Return the complete email as JSON.',
  ].join('\n\n');
}

function subjectsPrompt(draft: EmailDraft, count: number): string {
  const text = blocksOf(draft.document.sections)
    .flatMap((b) => textsOf(b).map(([, t]) => t))
    .join('\n')
    .slice(0, 4000);
  return [
    `Here is an email (language "${draft.language}"). Current subject: "${draft.subject}". Current preheader: "${draft.preheader}".`,
    `Its text:\n${text}`,
    `Write ${count} different subject lines for it, each with a preheader, in the email's language. Vary the angle (benefit, curiosity, news, the offer); do not repeat the current subject.`,
    `Answer with JSON only, matching this JSON Schema:\n${JSON.stringify(subjectsTask(count).output.schema)}`,
  ].join('\n\n');
}

function retryPrompt(issues: DraftIssue[]): string {
  const list = issues.slice(0, 20).map((i) => `- ${i.field}: ${i.message}`);
  return ['Your JSON cannot be used as it is:', ...list, 'Return the complete corrected JSON only.'].join('\n');
}

// ---- provider errors ----

export interface UpstreamFailure {
  kind: 'timeout' | 'unreachable' | 'status';
  status?: number;
  message: string;
  retryAfter?: string | null;
}

/** A provider failure as the error a user can act on: which provider, what happened, what to check. */
export function upstreamError(provider: Provider, model: string, baseUrl: string, timeoutMs: number, f: UpstreamFailure): DomainError {
  const who = PROVIDER_NAMES[provider];
  const details = { provider, model, status: f.status ?? null, reason: f.kind === 'status' ? statusReason(f.status!) : f.kind };
  if (f.kind === 'timeout') return new DomainError('upstream', `${who} did not answer within ${timeoutMs} ms (TIDINGS_COMPOSER_TIMEOUT_MS); try again or raise the timeout`, details);
  if (f.kind === 'unreachable') return new DomainError('upstream', `cannot reach ${who} at ${baseUrl}: ${f.message}; check TIDINGS_COMPOSER_BASE_URL and that the server is running`, details);
  const said = f.message ? `: ${f.message}` : '';
  switch (details.reason) {
    case 'auth':
      return new DomainError('upstream', `${who} rejected the API key (${f.status})${said}; check TIDINGS_COMPOSER_API_KEY`, details);
    case 'rate_limited':
      return new DomainError('upstream', `${who} is rate-limiting requests (429)${said}${f.retryAfter ? `; retry after ${f.retryAfter} s` : '; try again shortly'}`, details);
    case 'not_found':
      return new DomainError('upstream', `${who} answered 404${said}; check TIDINGS_COMPOSER_MODEL ("${model}") and TIDINGS_COMPOSER_BASE_URL`, details);
    case 'server_error':
      return new DomainError('upstream', `${who} had a server error (${f.status})${said}; try again later`, details);
    default:
      return new DomainError('upstream', `${who} refused the request (${f.status})${said}`, details);
  }
}

function statusReason(status: number): string {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limited';
  if (status === 404) return 'not_found';
  if (status >= 500) return 'server_error';
  return 'rejected';
}

/** "ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:9)" rather than the SDKs' generic "Connection error." */
/** What both vendor SDKs' clients are made with: the key, the server, the timeout, and no retries of their own. */
export interface SdkOptions {
  apiKey: string;
  baseURL: string;
  timeout: number;
  maxRetries: number;
}

/**
 * A vendor SDK and its client, loaded and made with the first request: an app that never calls
 * the model does not carry the SDK (the Anthropic one alone is 16 MB). Failures surface at once
 * with a clear error (no retries); the caller decides whether to try again. A local server needs
 * no key, but both SDKs insist on one (passing it also keeps them from looking for credentials
 * elsewhere); the server ignores it.
 */
export function lazySdk<Sdk, Client>(load: () => Promise<Sdk>, make: (sdk: Sdk, options: SdkOptions) => Client, config: { apiKey?: string | null; timeoutMs: number }, baseURL: string) {
  let made: Promise<{ sdk: Sdk; client: Client }> | null = null;
  return () => (made ??= load().then((sdk) => ({ sdk, client: make(sdk, { apiKey: config.apiKey ?? 'not-needed', baseURL, timeout: config.timeoutMs, maxRetries: 0 }) })));
}

export function causeOf(err: Error): string {
  let message = err.message;
  for (let cause: unknown = err.cause; cause instanceof Error; cause = cause.cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    message = code ? `${code} (${cause.message})` : cause.message;
  }
  return message;
}
