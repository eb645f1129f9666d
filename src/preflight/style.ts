/**
 * The little CSS a preflight needs without a layout engine: inline `style` declarations, colours,
 * font sizes and WCAG contrast. Email HTML is inlined before it is sent, so the inline styles (plus
 * the legacy `bgcolor`/`color` attributes) are what most clients actually use.
 */

export type StyleMap = Map<string, string>;

/** `style="a: b; c: url(x;y)"` → {a: b, c: url(x;y)}; later declarations win, `!important` is dropped. */
export function parseStyle(attr: string | undefined): StyleMap {
  const out: StyleMap = new Map();
  if (!attr) return out;
  let depth = 0;
  let quote = '';
  let start = 0;
  const take = (end: number) => {
    const decl = attr.slice(start, end);
    const colon = decl.indexOf(':');
    if (colon > 0) {
      const prop = decl.slice(0, colon).trim().toLowerCase();
      const value = decl.slice(colon + 1).replace(/!\s*important\s*$/i, '').trim();
      if (prop && value) out.set(prop, value);
    }
    start = end + 1;
  };
  for (let i = 0; i < attr.length; i++) {
    const c = attr[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ';' && depth === 0) take(i);
  }
  take(attr.length);
  return out;
}

export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

const NAMED: Record<string, [number, number, number]> = {
  black: [0, 0, 0],
  white: [255, 255, 255],
  red: [255, 0, 0],
  green: [0, 128, 0],
  blue: [0, 0, 255],
  gray: [128, 128, 128],
  grey: [128, 128, 128],
  silver: [192, 192, 192],
  maroon: [128, 0, 0],
  purple: [128, 0, 128],
  fuchsia: [255, 0, 255],
  magenta: [255, 0, 255],
  lime: [0, 255, 0],
  olive: [128, 128, 0],
  yellow: [255, 255, 0],
  navy: [0, 0, 128],
  teal: [0, 128, 128],
  aqua: [0, 255, 255],
  cyan: [0, 255, 255],
  orange: [255, 165, 0],
  lightgray: [211, 211, 211],
  lightgrey: [211, 211, 211],
  darkgray: [169, 169, 169],
  darkgrey: [169, 169, 169],
  whitesmoke: [245, 245, 245],
  gainsboro: [220, 220, 220],
};

/** A CSS colour value, or null when it is not one we can read (then nothing is concluded from it). */
export function parseColor(value: string | undefined): Rgba | null {
  if (!value) return null;
  const v = value.trim().toLowerCase();
  if (v === 'transparent') return { r: 0, g: 0, b: 0, a: 0 };
  const named = NAMED[v];
  if (named) return { r: named[0], g: named[1], b: named[2], a: 1 };
  const hex = /^#([0-9a-f]{3,8})$/.exec(v)?.[1];
  if (hex) {
    if (hex.length === 3 || hex.length === 4) {
      const [r, g, b, a = 'f'] = hex.split('').map((c) => c);
      return { r: parseInt(r + r, 16), g: parseInt(g + g, 16), b: parseInt(b + b, 16), a: parseInt(a + a, 16) / 255 };
    }
    if (hex.length === 6 || hex.length === 8) {
      return { r: parseInt(hex.slice(0, 2), 16), g: parseInt(hex.slice(2, 4), 16), b: parseInt(hex.slice(4, 6), 16), a: hex.length === 8 ? parseInt(hex.slice(6, 8), 16) / 255 : 1 };
    }
    return null;
  }
  const fn = /^rgba?\(([^)]*)\)$/.exec(v)?.[1];
  if (fn) {
    const parts = fn.split(/[\s,/]+/).filter(Boolean);
    if (parts.length < 3) return null;
    const channel = (p: string) => (p.endsWith('%') ? (parseFloat(p) * 255) / 100 : parseFloat(p));
    const alpha = parts[3] === undefined ? 1 : parts[3].endsWith('%') ? parseFloat(parts[3]) / 100 : parseFloat(parts[3]);
    const [r, g, b] = parts.slice(0, 3).map(channel);
    if ([r, g, b, alpha].some((n) => Number.isNaN(n))) return null;
    return { r, g, b, a: alpha };
  }
  return null;
}

/** The colour inside a `background` shorthand ("#fff url(x) no-repeat"), if any. */
export function colorInBackground(value: string): Rgba | null {
  for (const token of value.match(/rgba?\([^)]*\)|#[0-9a-fA-F]{3,8}\b|\b[a-zA-Z]+\b/g) ?? []) {
    const c = parseColor(token);
    if (c) return c;
  }
  return null;
}

/** Paints `top` over an opaque `bottom`. */
export function blend(top: Rgba, bottom: Rgba): Rgba {
  const a = top.a;
  return { r: top.r * a + bottom.r * (1 - a), g: top.g * a + bottom.g * (1 - a), b: top.b * a + bottom.b * (1 - a), a: 1 };
}

function luminance(c: Rgba): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

/** WCAG 2.x contrast ratio, 1–21. */
export function contrastRatio(fg: Rgba, bg: Rgba): number {
  const a = luminance(fg);
  const b = luminance(bg);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

export const hexOf = (c: Rgba) => '#' + [c.r, c.g, c.b].map((n) => Math.round(n).toString(16).padStart(2, '0')).join('');

/** A font-size in px given the parent's, or null when unreadable. */
export function fontSizePx(value: string | undefined, parentPx: number): number | null {
  if (!value) return null;
  const v = value.trim().toLowerCase();
  const keywords: Record<string, number> = { 'xx-small': 9, 'x-small': 10, small: 13, medium: 16, large: 18, 'x-large': 24, 'xx-large': 32 };
  if (v in keywords) return keywords[v];
  const m = /^(-?[\d.]+)(px|pt|em|rem|%)?$/.exec(v);
  if (!m) return null;
  const n = parseFloat(m[1]);
  switch (m[2]) {
    case 'pt':
      return (n * 4) / 3;
    case 'em':
      return n * parentPx;
    case 'rem':
      return n * 16;
    case '%':
      return (n / 100) * parentPx;
    default:
      return n; // px, or a unitless 0
  }
}

/** A length in px when it is given in px (or unitless), else null: widths in % or em are fluid. */
export function pxLength(value: string | undefined): number | null {
  if (!value) return null;
  const m = /^\s*([\d.]+)\s*(px)?\s*$/i.exec(value);
  return m ? parseFloat(m[1]) : null;
}
