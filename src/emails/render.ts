import * as cheerio from 'cheerio';
import { Context, Output, Tag, TypeGuards, type Emitter, type Liquid, type TagToken, type Template, type TopLevelToken } from 'liquidjs';
import type { Contact } from '../audience/model.ts';
import type { Brand } from '../brands/model.ts';
import { linkUrl, messageUrls, signLink, signMessage, type LinkClaims } from '../tracking/tokens.ts';
import { escapeHtml } from './blocks-mjml.ts';
import { createLiquid, LiquidSegments, parseTopLevel } from './compile.ts';
import type { CompiledEmail, RecipientData, RenderedMessage, RenderOptions } from './model.ts';

/**
 * Per-recipient rendering (S3.3). `prepareMessage` does all the parsing once per compiled email;
 * `render` is then synchronous and cheap: no MJML, no CSS inlining, no HTML parsing.
 *
 * Links: at prepare time every href of the HTML is swapped for a Liquid-free mark and its URL
 * (which may itself hold merge tags) is kept aside as link i; the text part gets the same marks
 * where html-to-text wrote the URL, and a pixel mark goes before </body>. Per recipient, each
 * link's URL is rendered once, checked (a merge value can never make a javascript: link) and, with
 * tracking, replaced by a signed click URL; the marks are filled with the result. Merge tags in a
 * URL see the recipient's data, not variables the body assigns with {% assign %}.
 *
 * Each part becomes a list of chunks: static text, merge tags, link and pixel marks. A distinct
 * merge tag is evaluated once per recipient (when no Liquid control tag could change a value
 * between two uses), so a render is mostly a string join plus the signed tokens. Control tags are
 * rendered by liquidjs itself; marks inside them become `{% tidings_link i %}` tags.
 */

export interface RenderContext extends RenderOptions {
  /** Signs tracking, unsubscribe, preferences and view-in-browser tokens. */
  secret: string;
  brand: Brand;
}

export interface PreparedMessage {
  readonly compiled: CompiledEmail;
  render(recipient: RecipientData, opts: RenderContext): RenderedMessage;
  /**
   * The same message with its HTML and text parts already transfer-encoded by `encoder` (the
   * returned message's `html` and `text` are empty). The static text between merge tags and links
   * is encoded once per prepared email and reused; only the recipient's own pieces are encoded per
   * message, which is most of the cost of framing a large email otherwise.
   */
  renderEncoded(recipient: RecipientData, opts: RenderContext, encoder: PieceEncoder): EncodedRender;
}

/**
 * A transfer encoding that can encode a body in independent pieces whose concatenation is a valid
 * encoding of the whole (quoted-printable can: each piece ends at a line end or a soft break).
 * Compared by identity: one encoder object per encoding, kept for the life of the process.
 */
export interface PieceEncoder {
  encode(piece: string): Buffer;
}

export interface EncodedRender {
  message: RenderedMessage;
  html: Buffer;
  text: Buffer;
}

const REGISTER = 'tidings';
const EMPTY = Buffer.alloc(0);
/** Our own per-recipient URLs: never click-tracked. */
type SystemLink = 'unsubscribe_url' | 'preferences_url' | 'view_in_browser_url';
const SYSTEM_LINK = /^\{\{\s*(unsubscribe_url|preferences_url|view_in_browser_url)\s*\}\}$/;
const trackClicks = (o: RenderOptions) => (typeof o.tracking === 'boolean' ? o.tracking : o.tracking.clicks);
const trackOpens = (o: RenderOptions) => (typeof o.tracking === 'boolean' ? o.tracking : o.tracking.opens);
/** Characters a merge value must not bring into an email: controls and bidi overrides that disguise text. */
const UNSAFE_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;
const SAFE_DYNAMIC_URL = /^(https?:\/\/|mailto:|tel:|#)/i;
const MAX_TRACKED_URL = 2_000;

/** What the tags read while one recipient renders. */
interface RenderState {
  htmlLinks: string[];
  textLinks: string[];
  pixel: string;
}

function stateTag(write: (state: RenderState, index: number) => string) {
  return class extends Tag {
    private readonly index: number;
    constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
      super(token, remainTokens, liquid);
      this.index = Number(token.args.trim()) || 0;
    }
    render(ctx: Context, emitter: Emitter): void {
      emitter.write(write(ctx.getRegister<RenderState>(REGISTER), this.index));
    }
  };
}

const HTML = createLiquid(true);
const PLAIN = createLiquid(false);
HTML.registerTag('tidings_link', stateTag((s, i) => s.htmlLinks[i] ?? '#'));
HTML.registerTag('tidings_pixel', stateTag((s) => s.pixel));
PLAIN.registerTag('tidings_link', stateTag((s, i) => s.textLinks[i] ?? ''));

// ---- prepare ------------------------------------------------------------------------------

interface Link {
  /** The URL as written (may hold merge tags). */
  source: string;
  /** `source` escaped for an HTML attribute, for a static URL left as it is. */
  htmlSource: string;
  /** Set when the URL holds merge tags. */
  part: Part | null;
  /** Set when the URL is exactly one of our own per-recipient URLs. */
  system: SystemLink | null;
  /** For a URL without merge tags: whether it is a web URL the click endpoint may redirect to. */
  trackable: boolean;
}

type Chunk = string | { expr: number } | { link: number } | { pixel: true } | { tag: Template };

/** A distinct merge tag (by source text and engine), evaluated at most once per recipient. */
interface Expression {
  index: number;
  engine: Liquid;
  template: Template;
  /** The same evaluation without liquidjs's generator machinery, for the common simple forms. */
  fast: FastEval | null;
}

/** A value as text, or undefined when only liquidjs itself can say how it prints. */
type FastEval = (ctx: Context, env: Record<string, unknown> | null) => string | undefined;

/** One part (subject, HTML, text) as chunks, evaluated with one engine. */
interface Part {
  engine: Liquid;
  chunks: Chunk[];
}

export function prepareMessage(compiled: CompiledEmail): PreparedMessage {
  const exprs = new Map<string, Expression>();
  const { html, links } = markLinks(compiled.html, exprs);
  const subject = toPart(PLAIN, compiled.subject, exprs);
  const htmlPart = toPart(HTML, html, exprs);
  const textPart = toPart(PLAIN, markTextLinks(compiled.text, links), exprs);
  const parts = [subject, htmlPart, textPart, ...links.flatMap((l) => (l.part ? [l.part] : []))];
  const shareValues = !parts.some((p) => p.chunks.some((c) => typeof c === 'object' && 'tag' in c));
  return new Prepared(compiled, links, subject, htmlPart, textPart, [...exprs.values()], shareValues);
}

const LINK_MARK = (i: number) => `\uE002${i}\uE003`;
const PIXEL_MARK = '\uE004';
const MARKS = /\uE002(\d+)\uE003|\uE004/g;

/** Swaps every href for a link mark (document order, like `compiled.links`) and puts the pixel mark before </body>. */
function markLinks(compiledHtml: string, exprs: Map<string, Expression>): { html: string; links: Link[] } {
  const liquid = new LiquidSegments();
  const $ = cheerio.load(liquid.protect(compiledHtml));
  const links: Link[] = [];
  for (const a of $('a[href], area[href]').toArray()) {
    const source = liquid.restore($(a).attr('href') ?? '').trim();
    $(a).attr('href', LINK_MARK(links.push(linkOf(source, exprs)) - 1));
  }
  $('body').append(PIXEL_MARK);
  return { html: liquid.restore($.html()), links };
}

function linkOf(source: string, exprs: Map<string, Expression>): Link {
  const system = SYSTEM_LINK.exec(source)?.[1] as SystemLink | undefined;
  const dynamic = !system && /\{\{|\{%/.test(source);
  return { source, htmlSource: escapeHtml(source), system: system ?? null, part: dynamic ? toPart(PLAIN, source, exprs) : null, trackable: !dynamic && isTrackable(source) };
}

/** html-to-text wrote each link's URL in document order: the same marks go there, found in turn. */
function markTextLinks(text: string, links: Link[]): string {
  let out = '';
  let from = 0;
  links.forEach((link, i) => {
    if (link.source.length < 4 || !/[:{]/.test(link.source)) return; // "#", "" and relative paths are not printed as URLs
    const at = text.indexOf(link.source, from);
    if (at < 0) return;
    out += text.slice(from, at) + LINK_MARK(i);
    from = at + link.source.length;
  });
  return out + text.slice(from);
}

/** A part's source (with link and pixel marks) → chunks. */
function toPart(engine: Liquid, source: string, exprs: Map<string, Expression>): Part {
  const tagged = source.replace(MARKS, (_, i: string | undefined) => (i === undefined ? '{% tidings_pixel %}' : `{% tidings_link ${i} %}`));
  const chunks: Chunk[] = [];
  addTemplates(engine, parseTopLevel(engine, tagged), exprs, chunks);
  return { engine, chunks };
}

function addStatic(chunks: Chunk[], s: string): void {
  if (!s) return;
  if (typeof chunks[chunks.length - 1] === 'string') chunks[chunks.length - 1] += s;
  else chunks.push(s);
}

/** Top-level templates → chunks; outputs become expressions shared by every use of the same source. */
function addTemplates(engine: Liquid, templates: Template[], exprs: Map<string, Expression>, chunks: Chunk[]): void {
  for (const t of templates) {
    const token = t.token;
    if (TypeGuards.isHTMLToken(token)) {
      addStatic(chunks, token.getContent());
    } else if (TypeGuards.isOutputToken(token)) {
      const key = `${engine === HTML ? 'h' : 'p'}${token.getText()}`;
      if (!exprs.has(key)) exprs.set(key, { index: exprs.size, engine, template: t, fast: fastEval(engine, t) });
      chunks.push({ expr: exprs.get(key)!.index });
    } else if (TypeGuards.isTagToken(token) && token.name === 'tidings_link') {
      chunks.push({ link: Number(token.args.trim()) });
    } else if (TypeGuards.isTagToken(token) && token.name === 'tidings_pixel') {
      chunks.push({ pixel: true });
    } else {
      chunks.push({ tag: t });
    }
  }
}

// ---- render -------------------------------------------------------------------------------

class Prepared implements PreparedMessage {
  private readonly needs: Record<SystemLink, boolean>;

  constructor(
    readonly compiled: CompiledEmail,
    private readonly links: Link[],
    private readonly subject: Part,
    private readonly html: Part,
    private readonly text: Part,
    private readonly exprs: Expression[],
    /** No control tags anywhere: a merge tag has the same value wherever it appears. */
    private readonly shareValues: boolean,
  ) {
    const uses = (v: string) => compiled.variables.includes(v);
    this.needs = {
      unsubscribe_url: compiled.category === 'marketing' || uses('unsubscribe_url'),
      preferences_url: uses('preferences_url'),
      view_in_browser_url: uses('view_in_browser_url'),
    };
  }

  /** Everything about one recipient's message except its two body parts. */
  private begin(recipient: RecipientData, opts: RenderContext): { run: Run; message: RenderedMessage } {
    const base = baseUrlOf(opts.baseUrl);
    const c = this.compiled;
    const claims = { messageId: recipient.messageId ?? '', contactId: recipient.contactId ?? '', sourceId: recipient.campaignId ?? '', emailId: c.emailId, version: c.version };
    // One signature per message serves every endpoint; only personalised link URLs need their own.
    const token = signMessage(opts.secret, claims);
    const urls = messageUrls(base.plain, token);
    // Tokens are base64url and dots: our URLs are HTML-safe once the base URL is escaped.
    const htmlUrls = base.html === base.plain ? urls : messageUrls(base.html, token);
    const env = {
      contact: contactScope(recipient),
      brand: brandScope(opts.brand),
      unsubscribe_url: this.needs.unsubscribe_url ? urls.unsubscribe : '',
      preferences_url: this.needs.preferences_url ? urls.preferences : '',
      view_in_browser_url: this.needs.view_in_browser_url ? urls.view : '',
      current_year: currentYear(),
    };
    const n = this.links.length;
    const run: Run = {
      ctx: new Context(env, HTML.options, {}, { liquid: HTML }),
      env: this.shareValues ? env : null,
      values: new Array(this.exprs.length),
      state: { htmlLinks: new Array(n), textLinks: new Array(n), pixel: '' },
    };
    const { state } = run;
    const linkClaims: LinkClaims = { ...claims, link: 0, url: '' };
    for (let i = 0; i < n; i++) {
      const link = this.links[i];
      if (link.system) {
        state.textLinks[i] = env[link.system];
        state.htmlLinks[i] = env[link.system] && htmlUrls[SYSTEM_URL[link.system]];
        continue;
      }
      const url = link.part ? safeDynamicUrl(this.renderPart(link.part, run)) : link.source;
      if (trackClicks(opts) && (link.part ? isTrackable(url) : link.trackable) && !url.startsWith(base.own)) {
        if (link.part) {
          linkClaims.link = i;
          linkClaims.url = url;
          const linkToken = signLink(opts.secret, linkClaims);
          state.textLinks[i] = linkUrl(base.plain, linkToken);
          state.htmlLinks[i] = linkUrl(base.html, linkToken);
        } else {
          state.textLinks[i] = urls.click(i);
          state.htmlLinks[i] = htmlUrls.click(i);
        }
      } else {
        state.textLinks[i] = url;
        state.htmlLinks[i] = link.part ? escapeHtml(url) : link.htmlSource;
      }
    }
    if (trackOpens(opts)) state.pixel = `<img src="${htmlUrls.open}" width="1" height="1" alt="" style="display:block;border:0">`;
    run.ctx.setRegister(REGISTER, state);

    const headers: Record<string, string> = {};
    if (c.category === 'marketing') {
      headers['List-Unsubscribe'] = `<${env.unsubscribe_url}>`;
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    if (recipient.campaignId) headers['Feedback-ID'] = `${recipient.campaignId}:${c.emailId}:${opts.brand.id}:tidings`;
    const message: RenderedMessage = {
      to: recipient.email,
      from: c.from,
      replyTo: c.replyTo,
      // A merge value with a line break must not start a new header line.
      subject: this.renderPart(this.subject, run).replace(/\s+/g, ' ').trim(),
      html: '',
      text: '',
      headers,
    };
    return { run, message };
  }

  render(recipient: RecipientData, opts: RenderContext): RenderedMessage {
    const { run, message } = this.begin(recipient, opts);
    message.html = this.renderPart(this.html, run);
    message.text = this.renderPart(this.text, run);
    return message;
  }

  renderEncoded(recipient: RecipientData, opts: RenderContext, encoder: PieceEncoder): EncodedRender {
    const { run, message } = this.begin(recipient, opts);
    return { message, html: this.encodePart(this.html, run, encoder), text: this.encodePart(this.text, run, encoder) };
  }

  /** Static chunks come from the encoder's cache; the dynamic text between two of them is encoded as one piece. */
  private encodePart(part: Part, run: Run, encoder: PieceEncoder): Buffer {
    const statics = this.staticPieces(part, encoder);
    const pieces: Buffer[] = [];
    let dynamic = '';
    for (let i = 0; i < part.chunks.length; i++) {
      const chunk = part.chunks[i];
      if (typeof chunk !== 'string') {
        dynamic += this.renderChunk(part, chunk, run);
        continue;
      }
      if (dynamic !== '') pieces.push(encoder.encode(dynamic));
      dynamic = '';
      pieces.push(statics[i]);
    }
    if (dynamic !== '') pieces.push(encoder.encode(dynamic));
    return Buffer.concat(pieces);
  }

  private readonly encodedStatics = new WeakMap<PieceEncoder, Map<Part, Buffer[]>>();

  /** The encoded static chunks of a part, by chunk index (empty for the others). */
  private staticPieces(part: Part, encoder: PieceEncoder): Buffer[] {
    let byPart = this.encodedStatics.get(encoder);
    if (!byPart) this.encodedStatics.set(encoder, (byPart = new Map()));
    let pieces = byPart.get(part);
    if (!pieces) byPart.set(part, (pieces = part.chunks.map((c) => (typeof c === 'string' ? encoder.encode(c) : EMPTY))));
    return pieces;
  }

  private renderPart(part: Part, run: Run): string {
    let out = '';
    for (const chunk of part.chunks) out += typeof chunk === 'string' ? chunk : this.renderChunk(part, chunk, run);
    return out;
  }

  private renderChunk(part: Part, chunk: Exclude<Chunk, string>, run: Run): string {
    if ('expr' in chunk) return this.value(chunk.expr, run);
    if ('link' in chunk) return (part.engine === HTML ? run.state.htmlLinks : run.state.textLinks)[chunk.link] ?? (part.engine === HTML ? '#' : '');
    if ('pixel' in chunk) return run.state.pixel;
    return part.engine.renderSync([chunk.tag], run.ctx);
  }

  private value(index: number, run: Run): string {
    const cached = this.shareValues ? run.values[index] : undefined;
    if (cached !== undefined) return cached;
    const { engine, template, fast } = this.exprs[index];
    const v: string = fast?.(run.ctx, run.env) ?? engine.renderSync([template], run.ctx);
    if (this.shareValues) run.values[index] = v;
    return v;
  }
}

/** One recipient's render in progress. */
interface Run {
  ctx: Context;
  /** The variables, when no control tag can add or change any (so they are read straight from here). */
  env: Record<string, unknown> | null;
  /** Merge tag values by expression index, when shared. */
  values: Array<string | undefined>;
  state: RenderState;
}

const SYSTEM_URL = { unsubscribe_url: 'unsubscribe', preferences_url: 'preferences', view_in_browser_url: 'view' } as const;

/** Filters that take a value and constant arguments and return a plain value (no generators, no lookups). */
const SIMPLE_FILTERS = new Set([
  'default', 'escape', 'escape_once', 'url_encode', 'url_decode', 'upcase', 'downcase', 'capitalize', 'strip', 'lstrip', 'rstrip',
  'strip_html', 'strip_newlines', 'newline_to_br', 'append', 'prepend', 'replace', 'replace_first', 'remove', 'remove_first', 'truncate', 'truncatewords',
]);

type FilterCall = (this: unknown, value: unknown, ...args: unknown[]) => unknown;

/**
 * `{{ a.b | default: "x" | url_encode }}` — a variable path and simple filters with constant
 * arguments — evaluated by calling liquidjs's own filter functions directly (and its output
 * escape), skipping the generator machinery that dominates a render. Anything else, or a value
 * that is not a string, number, boolean or nil, is left to `renderSync`.
 */
function fastEval(engine: Liquid, template: Template): FastEval | null {
  if (!(template instanceof Output)) return null;
  const escape = engine.options.outputEscape as FilterCall | undefined;
  const filters = escape ? template.value.filters.slice(0, -1) : template.value.filters;
  const [initial, ...more] = template.value.initial.postfix;
  if (more.length || !TypeGuards.isPropertyAccessToken(initial) || initial.variable) return null;
  if (!initial.props.every((p) => TypeGuards.isWordToken(p) || TypeGuards.isQuotedToken(p))) return null;
  const path = initial.props.map((p) => String((p as { content: unknown }).content));
  const calls: Array<{ fn: FilterCall; args: unknown[] }> = [];
  for (const f of filters) {
    const fn = engine.filters[f.name];
    const args = f.args.map((a) => (Array.isArray(a) ? [a[0], constant(a[1])] : constant(a)));
    if (!SIMPLE_FILTERS.has(f.name) || typeof fn !== 'function' || args.some((a) => a === NOT_CONSTANT || (Array.isArray(a) && a[1] === NOT_CONSTANT))) return null;
    calls.push({ fn: fn as FilterCall, args });
  }
  return (ctx, env) => {
    const self = { context: ctx, liquid: engine };
    let v = env ? readPlain(env, path) : ctx.getSync(path);
    if (v === NOT_PLAIN) v = ctx.getSync(path);
    for (const c of calls) v = c.fn.call(self, v, ...c.args);
    if (escape) v = escape.call(self, v);
    if (typeof v === 'string') return v;
    if (v === null || v === undefined) return '';
    return typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  };
}

const NOT_CONSTANT = Symbol('not constant');
const NOT_PLAIN = Symbol('not plain data');
/** Names liquidjs answers itself on any object (`list.size`), whatever the object holds. */
const LIQUID_PROPERTIES = new Set(['size', 'first', 'last']);

/**
 * `a.b.c` read straight from plain data (objects, strings, numbers, booleans, null), the way
 * liquidjs reads it with `ownPropertyOnly`; NOT_PLAIN for anything liquidjs treats specially
 * (arrays, functions, drops, size/first/last), which it then reads itself.
 */
function readPlain(env: Record<string, unknown>, path: string[]): unknown {
  let v: unknown = env;
  for (const key of path) {
    if (v === null || v === undefined) return v;
    if (typeof v !== 'object' || LIQUID_PROPERTIES.has(key)) return NOT_PLAIN;
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
    if (!Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
    if (typeof v === 'function') return NOT_PLAIN;
  }
  return v;
}

function constant(token: unknown): unknown {
  return TypeGuards.isQuotedToken(token) || TypeGuards.isNumberToken(token) || TypeGuards.isLiteralToken(token) ? (token as { content: unknown }).content : NOT_CONSTANT;
}

/** Only web URLs go through the click endpoint, and only as long as a link token may carry. */
function isTrackable(url: string): boolean {
  return url.length <= MAX_TRACKED_URL && /^https?:\/\//i.test(url);
}

interface BaseUrl {
  /** As configured. */
  given: string;
  /** Without trailing slashes. */
  plain: string;
  /** The same, escaped for an HTML attribute. */
  html: string;
  /** Prefix of links to this server itself, which are never click-tracked. */
  own: string;
}

/** The server's one public URL is worked out once, not per message. */
let lastBase: BaseUrl | null = null;

function baseUrlOf(given: string): BaseUrl {
  if (lastBase?.given !== given) {
    const plain = given.replace(/\/+$/, '');
    lastBase = { given, plain, html: escapeHtml(plain), own: `${plain}/` };
  }
  return lastBase;
}

let year = 0;
let yearEnds = 0;

/** The UTC year for `{{ current_year }}`, without building a Date per message. */
function currentYear(): number {
  const now = Date.now();
  if (now >= yearEnds) {
    year = new Date(now).getUTCFullYear();
    yearEnds = Date.UTC(year + 1, 0, 1);
  }
  return year;
}

/** A URL built from merge values is used only if it is still a web, mail or phone link. */
function safeDynamicUrl(rendered: string): string {
  const url = rendered.trim();
  return SAFE_DYNAMIC_URL.test(url) ? url : '#';
}

function clean(value: unknown): unknown {
  return typeof value === 'string' && value.search(UNSAFE_CHARS) >= 0 ? value.replace(UNSAFE_CHARS, '') : value;
}

function contactScope(recipient: RecipientData): Record<string, unknown> {
  const out: Record<string, unknown> = { email: recipient.email };
  const contact = recipient.contact;
  for (const k in contact) if (Object.hasOwn(contact, k)) out[k] = clean(contact[k]);
  return out;
}

/** Brand records are read fresh for each send and never changed in place, so their scope is built once per record. */
const brandScopes = new WeakMap<Brand, Record<string, unknown>>();

function brandScope(brand: Brand): Record<string, unknown> {
  let scope = brandScopes.get(brand);
  if (!scope) brandScopes.set(brand, (scope = brandScopeOf(brand)));
  return scope;
}

function brandScopeOf(brand: Brand): Record<string, unknown> {
  return {
    name: brand.name,
    // One line: the address sits inside a sentence-sized footer and newlines would be lost in HTML anyway.
    postal_address: brand.postalAddress.trim().replace(/\s*\n\s*/g, ', '),
    from_name: brand.fromName,
    from_email: brand.fromEmail,
    reply_to: brand.replyTo ?? brand.fromEmail,
    logo_url: brand.logoUrl ?? '',
  };
}

/** A contact as merge-tag data: snake_case standard fields, then custom fields by key (standard names win). */
export function recipientFromContact(contact: Contact, ids: { messageId?: string; campaignId?: string } = {}): RecipientData {
  const fullName = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
  return {
    contactId: contact.id,
    email: contact.email,
    contact: {
      ...contact.fields,
      email: contact.email,
      first_name: contact.firstName,
      last_name: contact.lastName,
      full_name: fullName || null,
      country: contact.country,
      language: contact.language,
      phone: contact.phone,
      time_zone: contact.timeZone,
    },
    ...ids,
  };
}
