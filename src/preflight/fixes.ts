import { randomUUID } from 'node:crypto';
import * as cheerio from 'cheerio';
import type { Element } from 'domhandler';
import type { Block, Email, EmailDocument, EmailFormat, Section } from '../emails/model.ts';
import { LIMITS } from '../emails/model.ts';
import { graphemes, SUBJECT_SUGGESTED_MAX } from './checks/inbox.ts';
import type { Finding, FixId } from './model.ts';

/**
 * One-click fixes (S4.3) for what can be fixed mechanically. Each turns the email into a patch for
 * `EmailsService.update` (so it becomes a new version with its own note); code formats are edited
 * in place, one start tag at a time, so the rest of the author's source stays byte for byte.
 */

interface FixSpec {
  label: string;
  /** Checks whose findings this fix answers. */
  checks: string[];
  formats: EmailFormat[];
}

export const FIXES: Record<FixId, FixSpec> = {
  'images.add-alt': { label: 'Add alt text placeholders to images', checks: ['images.alt'], formats: ['blocks', 'mjml', 'html'] },
  'html.add-lang': { label: 'Add lang and dir attributes', checks: ['a11y.lang-dir'], formats: ['mjml', 'html'] },
  'css.inline': { label: 'Inline the CSS of <mj-style> blocks', checks: ['css.gmail-style-limit'], formats: ['mjml'] },
  // The Composer writes block documents only.
  'subject.shorten': { label: 'Shorten the subject with the Composer', checks: ['subject.length'], formats: ['blocks'] },
  'footer.add': { label: 'Add a footer with the unsubscribe link and postal address', checks: ['unsub.body-link', 'compliance.postal-address'], formats: ['blocks', 'mjml', 'html'] },
};

/** Marks each finding a fix can answer for this email. */
export function attachAutofixes(findings: Finding[], email: Pick<Email, 'format' | 'subject'>, opts: { composer: boolean }): Finding[] {
  return findings.map((f) => {
    const entry = (Object.entries(FIXES) as Array<[FixId, FixSpec]>).find(([id, spec]) => spec.checks.includes(f.id) && spec.formats.includes(email.format) && offered(id, email, opts));
    return entry ? { ...f, autofix: { id: entry[0], label: entry[1].label } } : f;
  });
}

function offered(id: FixId, email: Pick<Email, 'subject'>, opts: { composer: boolean }): boolean {
  // Only a long subject can be shortened; a too-short one needs a person.
  if (id === 'subject.shorten') return opts.composer && graphemes(email.subject) > SUBJECT_SUGGESTED_MAX;
  return true;
}

export type EmailPatchOf = Partial<Pick<Email, 'subject' | 'document' | 'source'>>;

export interface FixDeps {
  /** Subject candidates from the Composer (absent when no Composer is configured). */
  subjects?: () => Promise<Array<{ subject: string; preheader: string }>>;
}

/** The patch that applies a fix, or null when the email has nothing that fix changes. */
export async function fixPatch(id: FixId, email: Email, deps: FixDeps): Promise<EmailPatchOf | null> {
  switch (id) {
    case 'images.add-alt':
      return email.format === 'blocks' ? documentPatch(email.document, addAltToBlocks) : sourcePatch(email, addAltToSource);
    case 'html.add-lang':
      return email.format === 'blocks' ? null : sourcePatch(email, (s, format) => addLang(s, format, email.language));
    case 'css.inline':
      return email.format === 'mjml' ? sourcePatch(email, inlineMjStyles) : null;
    case 'footer.add':
      return email.format === 'blocks' ? documentPatch(email.document, addFooterBlock) : sourcePatch(email, addFooter);
    case 'subject.shorten':
      return shorterSubject(email, deps);
  }
}

// ---- block documents ---------------------------------------------------------------------------

function documentPatch(document: EmailDocument | null, change: (doc: EmailDocument) => boolean): EmailPatchOf | null {
  if (!document) return null;
  const copy = structuredClone(document);
  return change(copy) ? { document: copy } : null;
}

/** "spring-latte_02.jpg" → "Spring latte 02": a start the author should make descriptive. */
export function placeholderAlt(src: string): string {
  const file = decodeURIComponent(src.split(/[?#]/)[0].split('/').pop() ?? '').replace(/\.[a-z0-9]{2,5}$/i, '');
  const words = file.replace(/[-_.+]+/g, ' ').replace(/\s+/g, ' ').trim();
  return words && /\p{L}/u.test(words) ? words[0].toUpperCase() + words.slice(1) : 'Image';
}

function addAltToBlocks(doc: EmailDocument): boolean {
  let changed = false;
  const visit = (blocks: Block[]) => {
    for (const b of blocks) {
      // alt="" marks a decorative image; it only needs words when it is a link's only content.
      if (b.type === 'image' && !b.alt.trim() && b.href) {
        b.alt = placeholderAlt(b.src);
        changed = true;
      } else if (b.type === 'columns') b.columns.forEach((c) => visit(c.blocks));
    }
  };
  doc.sections.forEach((s) => visit(s.blocks));
  return changed;
}

function addFooterBlock(doc: EmailDocument): boolean {
  const has = (blocks: Block[]): boolean => blocks.some((b) => b.type === 'footer' || (b.type === 'columns' && b.columns.some((c) => has(c.blocks as Block[]))));
  if (doc.sections.some((s) => has(s.blocks))) return false;
  // The compiler puts the postal address and the unsubscribe links into the footer block.
  const footer: Block = { id: `footer-${randomUUID().slice(0, 8)}`, type: 'footer', text: '' };
  const last = doc.sections[doc.sections.length - 1];
  if (last && last.blocks.length < LIMITS.blocksPerSection) last.blocks.push(footer);
  else {
    const section: Section = { id: `footer-section-${randomUUID().slice(0, 8)}`, padding: 24, blocks: [footer] };
    doc.sections.push(section);
  }
  return true;
}

// ---- MJML and HTML source --------------------------------------------------------------------

interface Edit {
  start: number;
  end: number;
  text: string;
}

interface Source {
  $: cheerio.CheerioAPI;
  text: string;
  format: 'mjml' | 'html';
  /** [start, end) of an element's start tag in the source. */
  startTag(el: Element): [number, number] | null;
}

function sourcePatch(email: Email, change: (s: Source, format: 'mjml' | 'html') => Edit[]): EmailPatchOf | null {
  if (email.format === 'blocks' || !email.source) return null;
  const src = parseSource(email.source, email.format);
  const edits = change(src, email.format).sort((a, b) => b.start - a.start);
  if (edits.length === 0) return null;
  let out = email.source;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { source: out };
}

function parseSource(text: string, format: 'mjml' | 'html'): Source {
  if (format === 'html') {
    const $ = cheerio.load(text, { sourceCodeLocationInfo: true });
    return { $, text, format, startTag: (el) => (el.sourceCodeLocation?.startTag ? [el.sourceCodeLocation.startTag.startOffset, el.sourceCodeLocation.startTag.endOffset] : null) };
  }
  const $ = cheerio.load(text, { xml: { xmlMode: true, withStartIndices: true, withEndIndices: true } });
  return { $, text, format, startTag: (el) => (el.startIndex === null ? null : [el.startIndex, tagEnd(text, el.startIndex)]) };
}

/** The index just past the `>` that closes the tag starting at `start` (quotes may hold `>`). */
function tagEnd(text: string, start: number): number {
  let quote = '';
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
  }
  return text.length;
}

const escapeAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** Sets an attribute inside one isolated start tag: replaces its value, or adds it before `>`/`/>`. */
function withAttr(tag: string, name: string, value: string): string {
  const attr = `${name}="${escapeAttr(value)}"`;
  const existing = new RegExp(`(\\s)${name}\\s*=\\s*("[^"]*"|'[^']*'|[^\\s>]+)`, 'i');
  if (existing.test(tag)) return tag.replace(existing, `$1${attr}`);
  const close = tag.endsWith('/>') ? tag.length - 2 : tag.length - 1;
  const head = tag.slice(0, close).replace(/\s*$/, '');
  return `${head} ${attr}${tag.slice(head.length)}`;
}

function setAttrs(src: Source, el: Element, attrs: Record<string, string>): Edit | null {
  const range = src.startTag(el);
  if (!range) return null;
  let tag = src.text.slice(range[0], range[1]);
  for (const [name, value] of Object.entries(attrs)) tag = withAttr(tag, name, value);
  return { start: range[0], end: range[1], text: tag };
}

function addAltToSource(src: Source): Edit[] {
  const { $ } = src;
  const tag = src.format === 'html' ? 'img' : 'mj-image';
  return $(tag)
    .toArray()
    .filter((img) => {
      const alt = img.attribs.alt;
      if (alt === undefined) return true;
      const linked = src.format === 'html' ? $(img).closest('a') : img.attribs.href ? $(img) : $();
      return !alt.trim() && linked.length > 0 && !linked.text().trim();
    })
    .map((img) => setAttrs(src, img, { alt: placeholderAlt(img.attribs.src ?? '') }))
    .filter((e): e is Edit => e !== null);
}

function addLang(src: Source, format: 'mjml' | 'html', language: string): Edit[] {
  const root = src.$(format === 'html' ? 'html' : 'mjml')[0];
  if (!root) return [];
  const dir = /^(ar|he|fa|ur|yi|ps|sd|ug|dv|ku)\b/i.test(language) ? 'rtl' : 'ltr';
  const attrs: Record<string, string> = {};
  if (!root.attribs.lang?.trim()) attrs.lang = language;
  if (!root.attribs.dir?.trim()) attrs.dir = dir;
  const edit = Object.keys(attrs).length ? setAttrs(src, root, attrs) : null;
  return edit ? [edit] : [];
}

function inlineMjStyles(src: Source): Edit[] {
  return src
    .$('mj-style')
    .toArray()
    .filter((el) => el.attribs.inline !== 'inline')
    .map((el) => setAttrs(src, el, { inline: 'inline' }))
    .filter((e): e is Edit => e !== null);
}

const FOOTER_HTML =
  '<div style="padding:24px 16px;font-family:Arial,Helvetica,sans-serif;font-size:12px;line-height:1.5;color:#4b5563;text-align:center">{{ brand.postal_address }}<br><a href="{{ unsubscribe_url }}" style="color:#4b5563;text-decoration:underline">Unsubscribe</a> · <a href="{{ preferences_url }}" style="color:#4b5563;text-decoration:underline">Manage preferences</a></div>';
const FOOTER_MJML = `<mj-section><mj-column><mj-text font-size="12px" color="#4b5563" align="center">${FOOTER_HTML}</mj-text></mj-column></mj-section>`;

function addFooter(src: Source, format: 'mjml' | 'html'): Edit[] {
  const container = src.$(format === 'html' ? 'body' : 'mj-body')[0];
  if (!container) return [];
  const at = endOfContent(src, container);
  return [{ start: at, end: at, text: format === 'html' ? FOOTER_HTML : FOOTER_MJML }];
}

/** Where the container's content ends: before its end tag, or at the end of the source. */
function endOfContent(src: Source, el: Element): number {
  if (src.format === 'html') return el.sourceCodeLocation?.endTag?.startOffset ?? src.text.length;
  return el.endIndex === null ? src.text.length : src.text.lastIndexOf('<', el.endIndex);
}

// ---- subject ----------------------------------------------------------------------------------

async function shorterSubject(email: Email, deps: FixDeps): Promise<EmailPatchOf | null> {
  if (!deps.subjects || graphemes(email.subject) <= SUBJECT_SUGGESTED_MAX) return null;
  const candidates = (await deps.subjects()).map((c) => c.subject.trim()).filter(Boolean);
  const short = candidates.filter((s) => graphemes(s) <= SUBJECT_SUGGESTED_MAX);
  const pick = short[0] ?? [...candidates].sort((a, b) => graphemes(a) - graphemes(b))[0];
  return pick && graphemes(pick) < graphemes(email.subject) ? { subject: pick } : null;
}
