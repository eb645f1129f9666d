import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { convert } from 'html-to-text';
import { Liquid, Parser, Tokenizer, TypeGuards, type Template, type TopLevelToken } from 'liquidjs';
import type { Brand } from '../brands/model.ts';
import { validationError, type FieldIssue } from '../shared/errors.ts';
import { documentToMjml, escapeHtml, FOOTER_ATTRIBUTE, textDirection } from './blocks-mjml.ts';
import type { CompiledEmail, Email } from './model.ts';

export { documentToMjml } from './blocks-mjml.ts';

/**
 * Compiles an email version once (S3.3): blocks → MJML → HTML, or imported MJML/HTML, then the
 * parts every sent email must have — lang/dir, <title>, a hidden preheader, the footer with the
 * postal address (and unsubscribe links for marketing mail) — active content stripped, and the
 * plain-text part. Merge tags stay in place; `render.ts` fills them per recipient.
 *
 * Liquid inside HTML: a merge tag is text of the HTML document, so it may be entity-encoded like
 * any text (`default: &quot;there&quot;` in an attribute). While the HTML is parsed and rewritten,
 * every Liquid segment is swapped for an opaque placeholder holding its entity-decoded source, so
 * neither the HTML parser, juice nor html-to-text can change or split it.
 */

export interface CompileInput {
  email: Pick<Email, 'id' | 'version' | 'category' | 'language' | 'subject' | 'preheader' | 'fromName' | 'fromEmail' | 'replyTo' | 'format' | 'document' | 'source'>;
  brand: Brand;
}

/** Variables the renderer always provides; `contact.*` custom fields come from the brand's field list. */
export const CONTACT_FIELDS = ['email', 'first_name', 'last_name', 'full_name', 'country', 'language', 'phone', 'time_zone'] as const;
export const BRAND_FIELDS = ['name', 'postal_address', 'from_name', 'from_email', 'reply_to', 'logo_url'] as const;
export const SYSTEM_VARIABLES = ['unsubscribe_url', 'preferences_url', 'view_in_browser_url', 'current_year'] as const;

const PREHEADER_PADDING = '&zwnj;&nbsp;'.repeat(90);
const PREHEADER_STYLE = 'display:none;font-size:1px;line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;mso-hide:all;visibility:hidden';
const FOOTER_STYLE = 'padding:24px 16px;font-family:Arial,Helvetica,sans-serif;font-size:12px;line-height:1.5;color:#6b7280;text-align:center';
const ACTIVE_ELEMENTS = 'script, iframe, object, embed, applet, frame, frameset, base, meta[http-equiv="refresh" i]';
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'background', 'poster', 'xlink:href', 'srcset', 'data']);

export async function compileEmail({ email, brand }: CompileInput): Promise<CompiledEmail> {
  const liquid = new LiquidSegments();
  const field = email.format === 'blocks' ? 'document' : 'source';
  let html = liquid.protect(await bodyHtml(email));
  const unclosed = unclosedMergeTag(html);
  if (unclosed) throw validationError([{ field, message: `merge tags: ${unclosed}` }]);
  if (email.format === 'html') html = await inlineCss(html);

  const $ = cheerio.load(html);
  stripActiveContent($);
  const dir = textDirection(email.language);
  const subject = liquid.protect(email.subject);
  setTitle($, subject);
  const wrapper = contentWrapper($, email.language, dir, subject);
  const sourcePreheader = takePreheader($);
  addFooter($, wrapper, email.category === 'marketing', brand, liquid);

  const text = liquid.restore(plainText($.html()));
  const preheader = email.preheader ? liquid.protect(email.preheader) : sourcePreheader;
  if (preheader) $('body').prepend(`<div style="${PREHEADER_STYLE}">${escapeHtml(preheader)}${PREHEADER_PADDING}</div>`);
  liquid.restoreAttributes($);
  const links = $('a[href], area[href]')
    .toArray()
    .map((a) => $(a).attr('href') ?? '');
  const compiledHtml = liquid.restore($.html());

  const variables = referencedVariables([
    { field: 'subject', source: email.subject, html: false },
    { field: 'preheader', source: email.preheader, html: false },
    { field, source: compiledHtml, html: true },
  ]);
  return {
    emailId: email.id,
    version: email.version,
    category: email.category,
    language: email.language,
    subject: email.subject,
    preheader: email.preheader,
    from: { name: email.fromName, email: email.fromEmail },
    replyTo: email.replyTo,
    html: compiledHtml,
    text,
    links,
    variables,
  };
}

/** The variables a compiled email uses that no recipient can fill (strict mode, for preflight). */
export function unknownVariables(compiled: CompiledEmail, knownFields: string[]): string[] {
  const contact = new Set<string>([...CONTACT_FIELDS, ...knownFields]);
  const brand = new Set<string>(BRAND_FIELDS);
  const system = new Set<string>(SYSTEM_VARIABLES);
  return compiled.variables.filter((v) => {
    const [root, key] = v.split('.');
    if (root === 'contact') return !key || !contact.has(key);
    if (root === 'brand') return !key || !brand.has(key);
    return !system.has(root);
  });
}

// ---- Liquid ---------------------------------------------------------------------------------

/**
 * The Liquid engines: `outputEscape` HTML-escapes every merge value in the HTML part (contact data
 * is untrusted), and the `raw` filter is removed so no template can switch that off. Strict
 * filters catch typos; unknown variables render empty so `default:` fallbacks work. There are no
 * partials: include/render/layout are removed (a template using them fails to compile instead of
 * failing for every recipient), and lookups would only ever see an empty in-memory map, never the
 * file system. Render time and memory are capped against runaway loops.
 */
export function createLiquid(escapeOutput: boolean): Liquid {
  const engine = new Liquid({
    outputEscape: escapeOutput ? 'escape' : undefined,
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    templates: {},
    timezoneOffset: 0,
    parseLimit: 20_000_000,
    renderLimit: 1_000,
    memoryLimit: 50_000_000,
  });
  engine.unregisterFilter('raw');
  for (const tag of ['include', 'render', 'layout']) delete engine.tags[tag];
  return engine;
}

const PLAIN = createLiquid(false);
const HTML = createLiquid(true);

function referencedVariables(parts: Array<{ field: string; source: string; html: boolean }>): string[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  for (const { field, source, html } of parts) {
    try {
      for (const v of globalVariables(html ? HTML : PLAIN, source, html)) seen.add(v);
    } catch (err) {
      // liquidjs's line/column count in the merge tags alone, not in the source the user sees.
      issues.push({ field, message: `merge tags: ${(err as Error).message.replace(/, line:\d+, col:\d+$/, '')}` });
    }
  }
  if (issues.length) throw validationError(issues);
  return [...seen];
}

/**
 * liquidjs's static analysis over just the merge tags, one top-level template at a time: it works
 * out each variable's line by scanning the input from the start, quadratic on a large document.
 * Identical pieces are analysed once; a variable assigned by an earlier top-level
 * `assign`/`capture` is local, not something the recipient must provide.
 */
function globalVariables(engine: Liquid, source: string, html: boolean): string[] {
  const segments = new LiquidSegments();
  const rest = html ? segments.protect(source) : source.replace(LIQUID_SEGMENT, (m) => segments.add(m));
  const unclosed = unclosedMergeTag(rest);
  if (unclosed) throw new Error(unclosed);
  // An output never changes scope, so its first use is all the analysis needs: a 5 MB email that
  // repeats one merge tag in a single {% if %} block stays small.
  const outputs = new Set<string>();
  const liquid = segments.sources.filter((s) => s.startsWith('{%') || (!outputs.has(s) && outputs.add(s)));
  const analysed = new Map<string, string[]>();
  const assigned = new Set<string>();
  const out: string[] = [];
  for (const piece of pieces(engine, liquid)) {
    let vars = analysed.get(piece);
    if (!vars) analysed.set(piece, (vars = engine.globalFullVariablesSync(engine.parse(piece)).map(String)));
    out.push(...vars.filter((v) => !assigned.has(v.split(/[.[]/)[0])));
    const local = /^\{%-?\s*(?:assign|capture)\s+([\w-]+)/.exec(piece);
    if (local) assigned.add(local[1]);
  }
  return out;
}

/** What is left of a "{{" or "{%" once every complete merge tag was taken out. */
function unclosedMergeTag(rest: string): string | null {
  const stray = /\{[{%][^\n]{0,30}/.exec(rest);
  return stray ? `"${stray[0].replace(/[\uE000-\uE00F]/g, '')}" is not closed` : null;
}

function pieces(engine: Liquid, segments: string[]): string[] {
  const source = segments.join('');
  const templates = parseTopLevel(engine, source);
  return templates.map((t, i) => source.slice(t.token.begin, templates[i + 1]?.token.begin ?? source.length));
}

/** Tags that open a block closed by `end<name>`: where none is open, one top-level template ends. */
const BLOCK_TAGS = new Set(['if', 'unless', 'case', 'for', 'tablerow', 'capture', 'comment', 'raw']);
const parsers = new WeakMap<Liquid, Parser>();

/**
 * `engine.parse(source)` in linear time. liquidjs's parser shifts every token off the front of one
 * array, which is quadratic in the number of tokens: minutes for a 5 MB import full of merge tags.
 * Parsing the token list in groups cut where no block is open gives the same templates. (A block
 * left open, or closed twice, still reaches the parser and fails there with its usual message.)
 */
export function parseTopLevel(engine: Liquid, source: string): Template[] {
  const o = engine.options;
  const tokens = new Tokenizer(source, o.operators, undefined, undefined, o.groupedExpressions).readTopLevelTokens(o);
  let parser = parsers.get(engine);
  if (!parser) parsers.set(engine, (parser = new Parser(engine)));
  const templates: Template[] = [];
  let group: TopLevelToken[] = [];
  let depth = 0;
  for (const token of tokens) {
    group.push(token);
    if (TypeGuards.isTagToken(token)) {
      if (BLOCK_TAGS.has(token.name)) depth++;
      else if (token.name.startsWith('end') && BLOCK_TAGS.has(token.name.slice(3))) depth--;
    }
    if (depth <= 0) {
      for (const t of parser.parseTokens(group)) templates.push(t);
      group = [];
      depth = 0;
    }
  }
  for (const t of parser.parseTokens(group)) templates.push(t);
  return templates;
}

const LIQUID_SEGMENT = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

/** Liquid segments of one document, swapped out for placeholders while the HTML is processed. */
export class LiquidSegments {
  readonly sources: string[] = [];

  /** Source with every Liquid segment replaced by a placeholder (forged placeholder and marker characters are dropped first). */
  protect(source: string): string {
    return source.replace(/[\uE000-\uE00F]/g, '').replace(LIQUID_SEGMENT, (m) => this.add(decodeEntities(m).replace(/[\uE000-\uE00F]/g, '')));
  }

  add(liquidSource: string): string {
    return `\uE000${this.sources.push(liquidSource) - 1}\uE001`;
  }

  restore(text: string): string {
    return text.replace(PLACEHOLDER, (_, i) => this.sources[Number(i)]);
  }

  /**
   * Puts Liquid back into attribute values before serialisation, which then entity-encodes it like
   * any attribute text (a `"` in a merge tag becomes `&quot;`; `protect` decodes it again).
   */
  restoreAttributes($: CheerioAPI): void {
    for (const el of elements($)) {
      for (const [name, value] of Object.entries(el.attribs)) if (value.includes('\uE000')) el.attribs[name] = this.restore(value);
    }
  }

  /** Whether a merge tag in a placeholder-bearing string matches the pattern (e.g. mentions a variable). */
  references(text: string, pattern: RegExp): boolean {
    for (const m of text.matchAll(PLACEHOLDER)) if (pattern.test(this.sources[Number(m[1])])) return true;
    return false;
  }
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(?:#(\d+)|#x([0-9a-f]+)|([a-z]+));/gi, (m, dec, hex, name) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return NAMED_ENTITIES[name.toLowerCase()] ?? m;
  });
}

// ---- body sources ---------------------------------------------------------------------------

async function bodyHtml(email: CompileInput['email']): Promise<string> {
  switch (email.format) {
    case 'blocks': {
      if (!email.document) throw validationError([{ field: 'document', message: 'is required for a blocks email' }]);
      const mjml = documentToMjml(email.document, { language: email.language, subject: email.subject, preheader: email.preheader });
      return (await (await mjmlCompiler())(mjml, { validationLevel: 'soft', fonts: {}, keepComments: false })).html;
    }
    case 'mjml':
    case 'html':
      if (!email.source?.trim()) throw validationError([{ field: 'source', message: `is required for an email written in ${email.format.toUpperCase()}` }]);
      return email.format === 'mjml' ? mjmlSource(email.source) : email.source;
  }
}

interface MjmlValidationError extends Error {
  errors?: Array<{ line: number; tagName: string; message: string }>;
}

/** Imported MJML must be valid: strict validation, errors named by line and tag. mj-include is never followed. */
async function mjmlSource(source: string): Promise<string> {
  try {
    return (await (await mjmlCompiler())(source, { validationLevel: 'strict', ignoreIncludes: true, fonts: {}, keepComments: false })).html;
  } catch (err) {
    const errors = (err as MjmlValidationError).errors;
    if (errors?.length) {
      throw validationError(errors.map((e) => ({ field: 'source', message: `line ${e.line}: <${e.tagName}> ${e.message}` })));
    }
    throw validationError([{ field: 'source', message: `is not valid MJML: ${(err as Error).message}` }]);
  }
}

/**
 * MJML and juice are loaded on first use: together they hold about 90 MB of memory, which
 * processes that never compile an email (importers, workers, the CLI) should not pay.
 */
const mjmlCompiler = async () => (await import('mjml')).default;

/** Imported HTML: CSS from <style> into style attributes (most clients drop <style>); media queries stay. */
async function inlineCss(html: string): Promise<string> {
  const { default: juice } = await import('juice');
  try {
    return juice(html, { preserveMediaQueries: true, preserveFontFaces: true, preservePseudos: true, removeStyleTags: true, applyWidthAttributes: true });
  } catch (err) {
    throw validationError([{ field: 'source', message: `CSS could not be inlined: ${(err as Error).message}` }]);
  }
}

// ---- document rewrites ----------------------------------------------------------------------

/**
 * A sent email must never carry script: <script> and friends, on* handlers, javascript:/vbscript:/
 * data: URLs (data: images aside) and attributes whose *name* is a merge tag (a contact value
 * there could become a handler). The source keeps them; preflight reports them from there.
 */
function stripActiveContent($: CheerioAPI): void {
  $(ACTIVE_ELEMENTS).remove();
  for (const el of elements($)) {
    for (const [name, value] of Object.entries(el.attribs)) {
      const lower = name.toLowerCase();
      if (lower.startsWith('on') || name.includes('\uE000') || !/^[a-z_:][\w:.-]*$/i.test(name)) delete el.attribs[name];
      else if (URL_ATTRIBUTES.has(lower) && isActiveUrl(value, el)) delete el.attribs[name];
      else if (lower === 'style' && /expression\s*\(|javascript:|behavior\s*:/i.test(value)) delete el.attribs[name];
    }
  }
}

function isActiveUrl(value: string, el: Element): boolean {
  // Browsers ignore whitespace and control characters inside the scheme ("jav\tascript:").
  const url = value.replace(/[\s\u0000-\u001f]+/g, '').toLowerCase();
  if (/^(javascript|vbscript|livescript):/.test(url)) return true;
  return url.startsWith('data:') && !(url.startsWith('data:image/') && !url.startsWith('data:image/svg') && el.name === 'img');
}

/** Every element of the document ('*' matches elements only). */
const elements = ($: CheerioAPI) => $('*').toArray() as Element[];

function setTitle($: CheerioAPI, subject: string): void {
  $('title').slice(1).remove();
  if ($('title').length === 0) $('head').prepend('<title></title>');
  $('title').text(subject);
}

/**
 * lang/dir on <html> and on the element wrapping the content (webmail drops <html> and <body>
 * attributes but keeps this one). MJML output already has the wrapper; other HTML gets one.
 */
function contentWrapper($: CheerioAPI, language: string, dir: string, subject: string) {
  $('html').attr('lang', language).attr('dir', dir);
  let wrapper = $('body > [role="article"]').first();
  if (wrapper.length === 0) {
    $('body').wrapInner(`<div role="article" aria-roledescription="email"></div>`);
    wrapper = $('body > div[role="article"]').first();
    wrapper.attr('aria-label', subject);
  }
  return wrapper.attr('lang', language).attr('dir', dir);
}

/** Removes the source's own hidden preheader (MJML's mj-preview, or a hidden first element) and returns its text. */
function takePreheader($: CheerioAPI): string {
  const first = $('body').children().first();
  const candidate = first.is('[role="article"]') ? first.children().first() : first;
  const style = (candidate.attr('style') ?? '').replace(/\s+/g, '').toLowerCase();
  if (!candidate.is('div, span') || !style.includes('display:none') || candidate.children().length > 0) return '';
  const text = candidate.text().replace(/[\u200c\u00a0\s]+/g, ' ').trim();
  candidate.remove();
  return text;
}

/**
 * Every email shows the sender's postal address; marketing mail also links to unsubscribe and
 * preferences unless the source already has an unsubscribe link. Missing parts go into the
 * document's footer block when it has one, otherwise into a footer appended to the content.
 */
function addFooter($: CheerioAPI, wrapper: ReturnType<CheerioAPI>, marketing: boolean, brand: Brand, liquid: LiquidSegments): void {
  const parts: string[] = [];
  if (!hasPostalAddress($, brand, liquid)) parts.push(liquid.add('{{ brand.postal_address }}'));
  if (marketing && !hasUnsubscribeLink($, liquid)) {
    const link = (variable: string, label: string) => `<a href="${liquid.add(`{{ ${variable} }}`)}" style="color:inherit;text-decoration:underline">${label}</a>`;
    parts.push(`${link('unsubscribe_url', 'Unsubscribe')} &nbsp;·&nbsp; ${link('preferences_url', 'Manage preferences')}`);
  }
  if (parts.length === 0) return;
  const block = $(`[${FOOTER_ATTRIBUTE}]`).last();
  if (block.length) {
    block.append(`${block.text().trim() ? '<br><br>' : ''}${parts.join('<br>')}`);
    return;
  }
  wrapper.append(
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;margin:0 auto"><tr><td style="${FOOTER_STYLE}">${parts.join('<br>')}</td></tr></table>`,
  );
}

function hasPostalAddress($: CheerioAPI, brand: Brand, liquid: LiquidSegments): boolean {
  const text = $('body').text();
  if (liquid.references(text, /\bbrand\.postal_address\b/)) return true;
  const simplify = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  const address = simplify(brand.postalAddress);
  return address.length > 0 && simplify(text).includes(address);
}

function hasUnsubscribeLink($: CheerioAPI, liquid: LiquidSegments): boolean {
  return $('a[href]')
    .toArray()
    .some((a) => {
      const href = $(a).attr('href') ?? '';
      return liquid.references(href, /\bunsubscribe_url\b/) || /unsubscribe|opt-?out/i.test(liquid.restore(href)) || /unsubscribe/i.test($(a).text());
    });
}

/** The text/plain part: links as "label (url)", headings not shouted, hidden elements and images left out. */
function plainText(html: string): string {
  const text = convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { linkBrackets: ['(', ')'], hideLinkHrefIfSameAsText: true } },
      { selector: 'img', format: 'skip' },
      { selector: '[style*="display:none"]', format: 'skip' },
      { selector: '[style*="display: none"]', format: 'skip' },
      ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
      { selector: 'table', format: 'block' },
    ],
  });
  return text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}
