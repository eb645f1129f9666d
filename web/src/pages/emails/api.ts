/**
 * The client for the emails, composer and preflight endpoints (see notes/emails-api.md). Same
 * transport as the rest of the app (session cookie, CSRF and brand headers); types come from the
 * server's model files where they exist.
 */
import { request, send, upload, type Page } from '../../api.ts';
import type {
  Block,
  BlockType,
  DiffLine,
  Email,
  EmailCategory,
  EmailDiff,
  EmailDocument,
  EmailFormat,
  EmailPatch,
  EmailSummary,
  EmailVersion,
  EmailVersionSummary,
  LeafBlock,
  Persona,
  PreflightSummary,
  Section,
  Theme,
} from '../../../../src/emails/model.ts';
import type { DevicePreview, Finding, PreflightReport, Severity } from '../../../../src/preflight/model.ts';
import type { BriefInput, Purpose, SubjectLine, Tone } from '../../../../src/composer/model.ts';

export type { Block, BlockType, DiffLine, Email, EmailCategory, EmailDiff, EmailDocument, EmailFormat, EmailPatch, EmailSummary, EmailVersion, EmailVersionSummary, LeafBlock, Persona, PreflightSummary, Section, Theme };
export type { DevicePreview, Finding, PreflightReport, Purpose, Severity, SubjectLine, Tone };

export interface EmailSettingsInput {
  name: string;
  subject: string;
  preheader: string;
  fromName: string;
  fromEmail: string;
  replyTo: string | null;
  category: EmailCategory;
  language: string;
}


export interface RenderedPreview {
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

export type Brief = BriefInput;

export interface ComposerInfo {
  provider: 'builtin' | 'openai' | 'anthropic';
  model: string | null;
  purposes: Purpose[];
}

const id = encodeURIComponent;
const base = (emailId: string) => `/emails/${id(emailId)}`;

async function text(path: string): Promise<string> {
  return (await send('GET', path, { headers: { accept: 'text/plain, text/html' } })).text();
}

export const emailsApi = {
  list: (q: { search?: string; limit: number; cursor?: string }) => {
    const p = new URLSearchParams({ limit: String(q.limit) });
    if (q.search?.trim()) p.set('search', q.search.trim());
    if (q.cursor) p.set('cursor', q.cursor);
    return request<Page<EmailSummary>>('GET', `/emails?${p}`);
  },
  get: (emailId: string) => request<Email>('GET', base(emailId)),
  create: (input: Partial<EmailSettingsInput> & { name: string; document?: EmailDocument }) => request<Email>('POST', '/emails', input),
  update: (emailId: string, patch: EmailPatch) => request<Email>('PATCH', base(emailId), patch),
  remove: (emailId: string) => request<void>('DELETE', base(emailId)),
  duplicate: (emailId: string) => request<Email>('POST', `${base(emailId)}/duplicate`),
  /** Multipart upload of an .html/.htm/.mjml/.eml file; the server tells the format from the name. */
  importFile: (file: File, onProgress: (fraction: number) => void) => upload<Email>('/emails/import', 'file', file, onProgress),

  versions: (emailId: string) => request<{ data: EmailVersionSummary[] }>('GET', `${base(emailId)}/versions`),
  version: (emailId: string, n: number) => request<EmailVersion>('GET', `${base(emailId)}/versions/${n}`),
  diff: (emailId: string, a: number, b: number) => request<EmailDiff>('GET', `${base(emailId)}/versions/${a}/diff/${b}`),
  restore: (emailId: string, n: number) => request<Email>('POST', `${base(emailId)}/versions/${n}/restore`),

  render: (emailId: string, q: { persona: Persona; contactId?: string }) => {
    const p = new URLSearchParams({ persona: q.persona, tracking: '0' });
    if (q.contactId) p.set('contactId', q.contactId);
    return request<RenderedPreview>('GET', `${base(emailId)}/render?${p}`);
  },
  mjml: (emailId: string) => text(`${base(emailId)}/mjml`),
  html: (emailId: string) => text(`${base(emailId)}/html`),
  testSend: (emailId: string, input: { to: string[]; contactId?: string }) => request<{ sent: { to: string; messageId: string }[] }>('POST', `${base(emailId)}/test-send`, input),

  composer: () => request<ComposerInfo>('GET', '/composer'),
  generate: (brief: Brief, name?: string) => request<Email>('POST', '/emails/generate', { brief, ...(name ? { name } : {}) }),
  edit: (emailId: string, instruction: string, blockId?: string) => request<Email>('POST', `${base(emailId)}/edit`, { instruction, ...(blockId ? { blockId } : {}) }),
  subjects: (emailId: string, count = 5) => request<{ subjects: SubjectLine[] }>('POST', `${base(emailId)}/subjects`, { count }),

  preflight: (emailId: string) => request<PreflightReport>('POST', `${base(emailId)}/preflight`, {}),
  latestPreflight: (emailId: string) => request<PreflightReport>('GET', `${base(emailId)}/preflight`),
  applyFix: (emailId: string, fixId: string) => request<{ email: Email; report: PreflightReport }>('POST', `${base(emailId)}/preflight/fixes`, { fixId }),
  previews: (emailId: string) => request<{ previews: DevicePreview[]; note: string }>('POST', `${base(emailId)}/previews`),
  /** A preview PNG as an object URL: an <img> cannot send the brand header itself. */
  previewImage: async (url: string) => URL.createObjectURL(await (await send('GET', url.replace(/^\/api\/v1/, ''), { headers: { accept: 'image/png' } })).blob()),
};
