import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { Persona, RecipientData, RenderedMessage } from '../emails/model.ts';
import type { PersonaMessage } from './model.ts';
import { blend, colorInBackground, contrastRatio, fontSizePx, parseColor, parseStyle, type Rgba, type StyleMap } from './style.ts';

/**
 * One persona's rendered HTML, parsed once and walked once: every check reads the same DOM, text
 * runs (with the colour, background, size and visibility each piece of text ends up with), links
 * and images. Everything is computed on first use, so a check that needs none of it costs nothing.
 */

/** A piece of text as a reader would (or would not) see it. */
export interface TextRun {
  el: Element;
  text: string;
  color: Rgba;
  background: Rgba;
  /** A background image sits behind the text: its contrast cannot be judged from colours. */
  backgroundImage: boolean;
  fontPx: number;
  bold: boolean;
  /** Why the text is invisible (display:none, zero size, …), or null when it shows. */
  hidden: string | null;
  /** The outermost element that hides it. */
  hiddenBy: Element | null;
  link: Element | null;
}

export interface LinkInfo {
  el: Element;
  href: string;
  /** Visible text of the link. */
  text: string;
  /** alt texts of images inside the link. */
  imageAlts: Array<string | null>;
  hidden: boolean;
  runs: TextRun[];
}

export interface ImageInfo {
  el: Element;
  src: string;
  /** null when the attribute is missing (alt="" is a deliberate "decorative"). */
  alt: string | null;
  link: Element | null;
  hidden: boolean;
  /** 1×1 open-tracking pixels and spacers are not content. */
  pixel: boolean;
}

export interface ParseIssue {
  code: string;
  offset: number;
}

interface WalkState {
  color: Rgba;
  background: Rgba;
  backgroundImage: boolean;
  fontPx: number;
  bold: boolean;
  hidden: string | null;
  hiddenBy: Element | null;
  link: Element | null;
}

const SKIPPED = new Set(['head', 'script', 'style', 'title', 'noscript', 'template', 'xml']);
const HEADING_EM: Record<string, number> = { h1: 2, h2: 1.5, h3: 1.17, h4: 1, h5: 0.83, h6: 0.67 };
const BOLD_TAGS = new Set(['b', 'strong', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'th']);
const BLACK: Rgba = { r: 0, g: 0, b: 0, a: 1 };
const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 1 };

/** Invisible characters preheaders are padded with. */
const PADDING = /[\u200b-\u200d\u034f\u00ad\u2007\ufeff]/g;

/** Has a letter or digit: zero-width preheader padding and punctuation are not text. */
export const hasWords = (text: string) => /[\p{L}\p{N}]/u.test(text);

export const isElement = (n: AnyNode): n is Element => n.type === 'tag' || n.type === 'script' || n.type === 'style';

export class MessageView {
  readonly persona: Persona;
  readonly recipient: RecipientData;
  readonly message: RenderedMessage;
  private issues: ParseIssue[] = [];
  private styles = new WeakMap<Element, StyleMap>();
  private hidden = new WeakMap<Element, string | null>();
  private cache: { $?: CheerioAPI; runs?: TextRun[]; links?: LinkInfo[]; images?: ImageInfo[]; visibleText?: string } = {};

  constructor(p: PersonaMessage) {
    this.persona = p.persona;
    this.recipient = p.recipient;
    this.message = p.message;
  }

  get html(): string {
    return this.message.html;
  }

  get $(): CheerioAPI {
    // Location info tells which end tags were really written (unclosed elements have none).
    this.cache.$ ??= cheerio.load(this.html, { sourceCodeLocationInfo: true, onParseError: (e) => this.issues.push({ code: e.code, offset: e.startOffset }) });
    return this.cache.$;
  }

  /** What the HTML parser had to repair (tokenizer errors), from the same single parse. */
  get parseIssues(): ParseIssue[] {
    void this.$;
    return this.issues;
  }

  style(el: Element): StyleMap {
    let s = this.styles.get(el);
    if (!s) {
      s = parseStyle(el.attribs.style);
      this.styles.set(el, s);
    }
    return s;
  }

  get runs(): TextRun[] {
    if (!this.cache.runs) {
      const runs: TextRun[] = [];
      const root = this.$.root()[0];
      const start: WalkState = { color: BLACK, background: WHITE, backgroundImage: false, fontPx: 16, bold: false, hidden: null, hiddenBy: null, link: null };
      for (const child of root.children) this.walk(child, start, runs);
      this.cache.runs = runs;
    }
    return this.cache.runs;
  }

  /** Text a reader sees, in document order, whitespace collapsed. */
  get visibleText(): string {
    this.cache.visibleText ??= this.runs
      .filter((r) => !r.hidden)
      .map((r) => r.text)
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
    return this.cache.visibleText;
  }

  /** The hidden preview-text block at the top (what inboxes show after the subject), if any. */
  get preheader(): { el: Element; text: string } | null {
    const first = this.runs.find((r) => hasWords(r.text));
    if (!first?.hiddenBy) return null;
    const el = first.hiddenBy;
    const text = this.runs
      .filter((r) => r.hiddenBy === el)
      .map((r) => r.text)
      .join(' ');
    // Preheaders are padded with zero-width joiners and spaces so body text does not leak in.
    return { el, text: text.replace(PADDING, '').replace(/\s+/g, ' ').trim() };
  }

  get links(): LinkInfo[] {
    if (!this.cache.links) {
      const byLink = new Map<Element, TextRun[]>();
      for (const r of this.runs) if (r.link) byLink.set(r.link, [...(byLink.get(r.link) ?? []), r]);
      this.cache.links = this.$('a[href], area[href]')
        .toArray()
        .map((el) => {
          const runs = byLink.get(el) ?? [];
          const visible = runs.filter((r) => !r.hidden);
          const imageAlts = this.$(el)
            .find('img')
            .toArray()
            .map((img) => img.attribs.alt ?? null);
          return {
            el,
            href: (el.attribs.href ?? '').trim(),
            text: visible.map((r) => r.text).join(' ').replace(/\s+/g, ' ').trim(),
            imageAlts,
            hidden: runs.length > 0 ? visible.length === 0 : this.hiddenReason(el) !== null,
            runs,
          };
        });
    }
    return this.cache.links;
  }

  get images(): ImageInfo[] {
    this.cache.images ??= this.$('img')
      .toArray()
      .map((el) => {
        const s = this.style(el);
        const size = (attr: string, prop: string) => parseFloat(el.attribs[attr] ?? s.get(prop) ?? '');
        const w = size('width', 'width');
        const h = size('height', 'height');
        return {
          el,
          src: (el.attribs.src ?? '').trim(),
          alt: el.attribs.alt ?? null,
          link: this.closest(el, 'a'),
          hidden: this.hiddenReason(el) !== null,
          pixel: w <= 2 && h <= 2,
        };
      });
    return this.cache.images;
  }

  closest(el: Element, tag: string): Element | null {
    for (let p = el.parent; p; p = p.parent) if (p.type === 'tag' && (p as Element).name === tag) return p as Element;
    return null;
  }

  /** Why an element (or an ancestor) is not displayed, or null. Remembered per element: checks ask for many. */
  hiddenReason(el: Element): string | null {
    let r = this.hidden.get(el);
    if (r === undefined) {
      r = this.ownHiddenReason(el) ?? (el.parent && isElement(el.parent) ? this.hiddenReason(el.parent) : null);
      this.hidden.set(el, r);
    }
    return r;
  }

  private ownHiddenReason(el: Element): string | null {
    if (el.attribs.hidden !== undefined) return 'the hidden attribute';
    const s = this.style(el);
    if (s.get('display')?.toLowerCase() === 'none') return 'display:none';
    if (s.get('visibility')?.toLowerCase() === 'hidden') return 'visibility:hidden';
    if (s.has('opacity') && parseFloat(s.get('opacity')!) === 0) return 'opacity:0';
    const collapsed = (p: string) => s.has(p) && parseFloat(s.get(p)!) === 0;
    if ((collapsed('max-height') || collapsed('height')) && s.get('overflow')?.toLowerCase() === 'hidden') return 'zero height with overflow:hidden';
    if ((collapsed('max-width') || collapsed('width')) && s.get('overflow')?.toLowerCase() === 'hidden') return 'zero width with overflow:hidden';
    return null;
  }

  private walk(node: AnyNode, parent: WalkState, out: TextRun[]): void {
    if (node.type === 'text') {
      const text = (node as unknown as { data: string }).data.replace(/\s+/g, ' ');
      if (!text.trim()) return;
      const tiny = parent.fontPx <= 1;
      out.push({
        el: node.parent as Element,
        text: text.trim(),
        color: parent.color,
        background: parent.background,
        backgroundImage: parent.backgroundImage,
        fontPx: parent.fontPx,
        bold: parent.bold,
        hidden: parent.hidden ?? (tiny ? 'a font size of 0–1 px' : null),
        hiddenBy: parent.hiddenBy ?? (tiny ? (node.parent as Element) : null),
        link: parent.link,
      });
      return;
    }
    if (!isElement(node) && node.type !== 'root') return;
    const el = node as Element;
    if (SKIPPED.has(el.name)) return;
    const state = this.stateOf(el, parent);
    for (const child of el.children) this.walk(child, state, out);
  }

  private stateOf(el: Element, parent: WalkState): WalkState {
    const s = this.style(el);
    const state = { ...parent };
    const hidden = parent.hidden ? null : this.ownHiddenReason(el);
    if (hidden) {
      state.hidden = hidden;
      state.hiddenBy = el;
    }
    const headingEm = HEADING_EM[el.name];
    const size = fontSizePx(s.get('font-size'), parent.fontPx) ?? (headingEm ? headingEm * parent.fontPx : null);
    if (size !== null) state.fontPx = size;
    const weight = s.get('font-weight')?.toLowerCase();
    if (weight) state.bold = weight === 'bold' || weight === 'bolder' || parseInt(weight, 10) >= 600;
    else if (BOLD_TAGS.has(el.name)) state.bold = true;
    const background = s.get('background-color') ?? s.get('background') ?? el.attribs.bgcolor;
    if (background) {
      const c = background === s.get('background') ? colorInBackground(background) : parseColor(background);
      if (c && c.a > 0) state.background = blend(c, parent.background);
    }
    if (/url\(/i.test(s.get('background-image') ?? s.get('background') ?? '') || el.attribs.background) state.backgroundImage = true;
    const color = parseColor(s.get('color') ?? (el.name === 'font' ? el.attribs.color : undefined));
    if (color) state.color = color.a < 1 ? blend(color, state.background) : color;
    if (el.name === 'a' && el.attribs.href !== undefined) state.link = el;
    return state;
  }
}

export const contrastOf = (r: TextRun) => contrastRatio(r.color, r.background);

/** "html > body > div:nth-of-type(2) > a": where an element is, for the editor to highlight. */
export function selectorOf(el: Element): string {
  const parts: string[] = [];
  for (let n: Element | null = el; n && isElement(n); n = n.parent && isElement(n.parent) ? n.parent : null) {
    if (n.attribs.id && /^[A-Za-z][\w-]*$/.test(n.attribs.id)) {
      parts.unshift(`${n.name}#${n.attribs.id}`);
      break;
    }
    const siblings = (n.parent?.children ?? []).filter((c) => isElement(c) && c.name === n!.name);
    parts.unshift(siblings.length > 1 ? `${n.name}:nth-of-type(${siblings.indexOf(n) + 1})` : n.name);
  }
  return parts.join(' > ');
}

export const clip = (s: string, max = 120) => (s.length <= max ? s : s.slice(0, max - 1) + '…');

/** The start tag and the first words of an element: enough to recognise it, never a whole table. */
export function excerptOf(el: Element, $: CheerioAPI): string {
  const attrs = Object.entries(el.attribs)
    .filter(([k]) => k !== 'style')
    .map(([k, v]) => (v === '' ? k : `${k}="${clip(v, 80)}"`))
    .join(' ');
  const text = $(el).text().replace(/\s+/g, ' ').trim();
  return clip(`<${el.name}${attrs ? ' ' + attrs : ''}>${text ? clip(text, 60) : ''}`, 200);
}
