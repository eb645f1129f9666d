import type { Block, EmailDocument, LeafBlock, Section, Theme } from './model.ts';

/**
 * Block document → MJML (S3.1). Everything a user typed is HTML-escaped here; the only markup that
 * comes out of a text field is the small inline syntax (**bold**, *italic*, [label](url), line
 * breaks). Liquid merge tags pass through (entity-encoded like any other text: the compiler decodes
 * them again before Liquid sees them), so `{{ contact.first_name | default: "there" }}` survives.
 */

export interface MjmlMeta {
  language: string;
  subject: string;
  preheader: string;
}

/** Marks the footer block's container so the compiler puts the postal address and unsubscribe links inside it. */
export const FOOTER_ATTRIBUTE = 'data-tidings-footer';

/**
 * Every block's wrapper in the compiled HTML carries the class `tidings-block-<block id>`, so a
 * preflight finding on an element can name its block (and the editor select it). A class, not a
 * data attribute: MJML passes it through (`css-class`) and mail clients ignore unknown classes.
 */
export const BLOCK_CLASS_PREFIX = 'tidings-block-';
const blockClass = (block: { id: string }) => `css-class="${BLOCK_CLASS_PREFIX}${block.id}"`;

const HEADING_SIZE = { 1: 28, 2: 22, 3: 18 } as const;
const DARK_LABEL = '#111827';
const LIGHT_LABEL = '#ffffff';
const LIQUID = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;
const SOCIAL_LABEL: Record<string, string> = {
  facebook: 'Facebook',
  instagram: 'Instagram',
  x: 'X',
  linkedin: 'LinkedIn',
  youtube: 'YouTube',
  tiktok: 'TikTok',
  pinterest: 'Pinterest',
  github: 'GitHub',
  web: 'Website',
};

export function documentToMjml(doc: EmailDocument, meta: MjmlMeta): string {
  const dir = textDirection(meta.language);
  const style = styleOf(doc.theme, dir);
  const t = doc.theme;
  return [
    `<mjml lang="${attr(meta.language)}" dir="${dir}">`,
    '<mj-head>',
    `<mj-title>${escapeHtml(meta.subject)}</mj-title>`,
    `<mj-preview>${escapeHtml(meta.preheader)}</mj-preview>`,
    '<mj-attributes>',
    `<mj-all font-family="${attr(t.bodyFont)}" />`,
    `<mj-text font-size="16px" line-height="1.6" color="${t.text}" padding="8px 24px" />`,
    `<mj-button font-size="16px" font-weight="600" border-radius="6px" inner-padding="12px 28px" padding="12px 24px" />`,
    '<mj-image padding="8px 24px" />',
    '<mj-divider border-width="1px" padding="16px 24px" />',
    '<mj-section padding="0" />',
    '<mj-column padding="0" />',
    '</mj-attributes>',
    `<mj-style>:root { color-scheme: light dark; supported-color-schemes: light dark; } a { color: ${style.link}; }</mj-style>`,
    '<mj-raw><meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark"></mj-raw>',
    '</mj-head>',
    `<mj-body width="${t.width}px" background-color="${t.background}">`,
    ...doc.sections.map((s) => sectionMjml(s, style)),
    '</mj-body>',
    '</mjml>',
  ].join('\n');
}

/** Colours and direction every block needs, worked out once per document. */
interface Style {
  theme: Theme;
  dir: 'ltr' | 'rtl';
  link: string;
  muted: string;
  rule: string;
}

function styleOf(theme: Theme, dir: 'ltr' | 'rtl'): Style {
  // A light brand colour on a light background makes unreadable links: fall back to the text colour.
  const link = contrastRatio(theme.primary, theme.contentBackground) >= 3 ? theme.primary : theme.text;
  const muted = mix(theme.text, theme.contentBackground, 0.3);
  return {
    theme,
    dir,
    link,
    muted: contrastRatio(muted, theme.contentBackground) >= 4.5 ? muted : theme.text,
    rule: mix(theme.text, theme.contentBackground, 0.85),
  };
}

/**
 * A section is a band: the full-width background (when set) around the content-coloured column.
 * Runs of plain blocks share one mj-section; a columns block needs an mj-section of its own.
 */
function sectionMjml(section: Section, style: Style): string {
  const groups: Array<Block[]> = [];
  for (const block of section.blocks) {
    const last = groups[groups.length - 1];
    if (block.type !== 'columns' && last && last[0].type !== 'columns') last.push(block);
    else groups.push([block]);
  }
  if (groups.length === 0) groups.push([]);
  const bg = style.theme.contentBackground;
  const sections = groups.map((group, i) => {
    const top = i === 0 ? section.padding : 0;
    const bottom = i === groups.length - 1 ? section.padding : 0;
    const open = `<mj-section background-color="${bg}" padding="${top}px 0 ${bottom}px 0">`;
    const first = group[0];
    if (first?.type === 'columns') {
      const columns = first.columns.map((c) => `<mj-column>${c.blocks.map((b) => leafMjml(b, style)).join('\n')}</mj-column>`);
      return `${open.replace('>', ` ${blockClass(first)}>`)}\n${columns.join('\n')}\n</mj-section>`;
    }
    return `${open}\n<mj-column>\n${group.map((b) => blockMjml(b as Exclude<Block, { type: 'columns' }>, style)).join('\n')}\n</mj-column>\n</mj-section>`;
  });
  if (!section.background) return sections.join('\n');
  return `<mj-wrapper full-width="full-width" background-color="${section.background}" padding="0">\n${sections.join('\n')}\n</mj-wrapper>`;
}

function blockMjml(block: Exclude<Block, { type: 'columns' }>, style: Style): string {
  if (block.type === 'footer') {
    const text = block.text ? inlineMarkup(block.text, style) : '';
    return `<mj-text ${blockClass(block)} font-size="12px" line-height="1.5" color="${style.muted}" align="center" padding="16px 24px"><div ${FOOTER_ATTRIBUTE}="">${text}</div></mj-text>`;
  }
  return leafMjml(block, style);
}

function leafMjml(block: LeafBlock, style: Style): string {
  const { theme } = style;
  switch (block.type) {
    case 'heading': {
      const size = HEADING_SIZE[block.level];
      return `<mj-text ${blockClass(block)} font-family="${attr(theme.headingFont)}" font-size="${size}px" line-height="1.25" font-weight="700" align="${align(block.align, style)}"><h${block.level} style="margin:0;font-size:${size}px;line-height:1.25;font-weight:700">${inlineMarkup(block.text, style)}</h${block.level}></mj-text>`;
    }
    case 'text':
      return `<mj-text ${blockClass(block)} align="${align(block.align, style)}">${inlineMarkup(block.text, style)}</mj-text>`;
    case 'button': {
      const bg = block.color ?? theme.primary;
      return `<mj-button ${blockClass(block)} href="${attr(block.url)}" background-color="${bg}" color="${labelColor(bg)}" align="${align(block.align, style)}">${escapeHtml(block.text)}</mj-button>`;
    }
    case 'image':
      return imageMjml(block, style);
    case 'divider':
      return `<mj-divider ${blockClass(block)} border-color="${block.color ?? style.rule}" />`;
    case 'spacer':
      return `<mj-spacer ${blockClass(block)} height="${block.height}px" />`;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      const indent = style.dir === 'rtl' ? 'padding:0 24px 0 0' : 'padding:0 0 0 24px';
      const items = block.items.map((item) => `<li style="margin:0 0 8px 0">${inlineMarkup(item, style)}</li>`).join('');
      return `<mj-text ${blockClass(block)}><${tag} style="margin:0;${indent}">${items}</${tag}></mj-text>`;
    }
    case 'quote': {
      const side = style.dir === 'rtl' ? 'right' : 'left';
      const pad = style.dir === 'rtl' ? '4px 16px 4px 0' : '4px 0 4px 16px';
      const author = block.author ? `<p style="margin:8px 0 0 0;font-size:14px;font-style:normal;color:${style.muted}">— ${escapeHtml(block.author)}</p>` : '';
      return `<mj-text ${blockClass(block)}><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td style="border-${side}:4px solid ${theme.primary};padding:${pad};font-size:18px;font-style:italic"><blockquote style="margin:0">${inlineMarkup(block.text, style)}${author}</blockquote></td></tr></table></mj-text>`;
    }
    case 'social': {
      // mj-social would load every icon from mailjet.com and turn profile links into "share" links;
      // plain text links are lighter, private and readable in dark mode.
      const links = block.links.map((l) => `<a href="${attr(l.url)}" style="color:${style.link};text-decoration:none;font-weight:600">${SOCIAL_LABEL[l.network]}</a>`);
      return `<mj-text ${blockClass(block)} align="${align(block.align, style)}" font-size="14px">${links.join(' &nbsp;·&nbsp; ')}</mj-text>`;
    }
  }
}

function imageMjml(block: Extract<LeafBlock, { type: 'image' }>, style: Style): string {
  const max = style.theme.width - 48; // the image padding
  const attrs = [blockClass(block), `src="${attr(block.src)}"`, `alt="${attr(block.alt)}"`, `align="${block.align}"`];
  if (block.width) {
    const width = Math.min(block.width, max);
    attrs.push(`width="${width}px"`);
    if (block.height) attrs.push(`height="${Math.round((block.height * width) / block.width)}px"`);
  } else if (block.height) {
    attrs.push(`height="${block.height}px"`);
  }
  if (block.href) attrs.push(`href="${attr(block.href)}"`);
  return `<mj-image ${attrs.join(' ')} />`;
}

/** "left" means the start of the line: in a right-to-left email it is the right. */
function align(a: 'left' | 'center' | 'right', style: Style): string {
  if (style.dir === 'ltr' || a === 'center') return a;
  return a === 'left' ? 'right' : 'left';
}

// ---- inline markup --------------------------------------------------------------------------

const LIQUID_MARK = /[\uE000-\uE003]/g;

/**
 * Plain text with **bold**, *italic*, [label](url) and line breaks → HTML. Liquid segments and
 * link targets are set aside first so neither the markup rules nor the escaping can touch them.
 */
export function inlineMarkup(text: string, style: Pick<Style, 'link'>): string {
  const liquid: string[] = [];
  let s = text.replace(LIQUID_MARK, '').replace(LIQUID, (m) => `\uE000${liquid.push(m) - 1}\uE001`);
  const restoreLiquid = (html: string, encode: (x: string) => string) => html.replace(/\uE000(\d+)\uE001/g, (_, i) => encode(liquid[Number(i)]));
  const links: string[] = [];
  s = s.replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (whole, label: string, target: string) => {
    // A merge tag inside the URL may hold spaces; the URL around it may not.
    if (!isLinkTarget(restoreLiquid(target, () => 'x')) && !isLinkTarget(restoreLiquid(target, (x) => x))) return whole;
    const url = restoreLiquid(target, (x) => x);
    const inner = restoreLiquid(emphasis(escapeHtml(label)), escapeHtml);
    links.push(`<a href="${attr(url)}" style="color:${style.link};text-decoration:underline">${inner}</a>`);
    return `\uE002${links.length - 1}\uE003`;
  });
  const html = paragraphs(emphasis(escapeHtml(s))).replace(/\uE002(\d+)\uE003/g, (_, i) => links[Number(i)]);
  return restoreLiquid(html, escapeHtml);
}

function emphasis(html: string): string {
  return html.replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '<strong>$1</strong>').replace(/\*(?=[^\s*])([^*\n]*?[^\s*])\*/g, '<em>$1</em>');
}

/** Blank lines separate paragraphs; a single line break stays a line break. */
function paragraphs(html: string): string {
  const paras = html
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (paras.length <= 1) return (paras[0] ?? '').replace(/\n/g, '<br>');
  return paras.map((p, i) => `<p style="margin:0 0 ${i === paras.length - 1 ? 0 : 16}px 0">${p.replace(/\n/g, '<br>')}</p>`).join('');
}

function isLinkTarget(url: string): boolean {
  return /^https?:\/\/[^\s<>"]+$/i.test(url) || /^mailto:[^\s<>"]+$/i.test(url) || /^\{\{\s*[a-z_.]+\s*\}\}$/.test(url);
}

// ---- escaping, colour and direction ---------------------------------------------------------

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITY[c]);
}
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const attr = escapeHtml;

const RTL_LANGUAGES = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ks', 'ps', 'sd', 'ug', 'ur', 'yi']);

export function textDirection(language: string): 'ltr' | 'rtl' {
  const [primary, ...rest] = language.toLowerCase().split('-');
  if (rest.includes('arab') || rest.includes('hebr')) return 'rtl';
  return RTL_LANGUAGES.has(primary) ? 'rtl' : 'ltr';
}

/** White or dark label, whichever contrasts more with the button colour (WCAG 2 contrast ratio). */
export function labelColor(background: string): string {
  return contrastRatio(background, LIGHT_LABEL) >= contrastRatio(background, DARK_LABEL) ? LIGHT_LABEL : DARK_LABEL;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** `a` moved towards `b` by `t` (0 = a, 1 = b). */
function mix(a: string, b: string, t: number): string {
  const [x, y] = [rgb(a), rgb(b)];
  return `#${x.map((v, i) => Math.round(v + (y[i] - v) * t).toString(16).padStart(2, '0')).join('')}`;
}

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
