import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import postcss from 'postcss';
import type { Element } from 'domhandler';
import { clip, contrastOf, hasWords, isElement, type MessageView, type TextRun } from '../dom.ts';
import { hit, type Check, type CheckContext, type Hit } from './check.ts';

/** Elements whose end tag HTML lets you leave out: a missing one is not an error. */
const OPTIONAL_END = new Set(['html', 'head', 'body', 'p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'tbody', 'thead', 'tfoot', 'option', 'optgroup', 'colgroup', 'caption', 'rb', 'rt', 'rtc', 'rp']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr', 'param', 'keygen', 'basefont', 'bgsound', 'frame']);

const around = (html: string, offset: number) => clip(html.slice(Math.max(0, offset - 40), offset + 40).replace(/\s+/g, ' '), 90);

/**
 * Check 4: what the HTML parser had to repair. Errors where the rest of the document may be
 * swallowed (end of file inside a tag or comment) are critical; the rest are important. Clients
 * repair HTML differently from each other, so anything repaired may look different in each.
 */
export const validHtmlCheck: Check = {
  id: 'html.valid',
  scope: 'persona',
  run(view: MessageView): Hit[] {
    const hits: Hit[] = [];
    const byCode = new Map<string, number[]>();
    for (const issue of view.parseIssues) {
      // Clients strip the doctype anyway; its absence changes nothing in an inbox.
      if (issue.code.includes('doctype')) continue;
      byCode.set(issue.code, [...(byCode.get(issue.code) ?? []), issue.offset]);
    }
    for (const [code, offsets] of byCode) {
      const swallows = code.startsWith('eof-in-');
      hits.push(
        hit(
          swallows ? 'critical' : 'important',
          `The HTML has a syntax error (${code}${offsets.length > 1 ? `, ${offsets.length} times` : ''})${swallows ? ': content after it may disappear' : ''}.`,
          'Fix the markup at the quoted place.',
          { excerpt: around(view.html, offsets[0]) },
        ),
      );
    }
    for (const el of view.$('*').toArray()) {
      if (!isElement(el) || VOID.has(el.name) || OPTIONAL_END.has(el.name)) continue;
      const loc = el.sourceCodeLocation;
      // Elements the parser invented (no start tag in the source) are not the author's to close.
      if (loc?.startTag && !loc.endTag) {
        hits.push(hit('important', `<${el.name}> is never closed (or is closed out of order); clients repair this differently.`, `Close the <${el.name}> where it should end.`, { el }));
      }
    }
    const ids = new Map<string, Element[]>();
    for (const el of view.$('[id]').toArray()) ids.set(el.attribs.id, [...(ids.get(el.attribs.id) ?? []), el]);
    for (const [id, els] of ids) {
      if (els.length > 1) hits.push(hit('important', `The id "${clip(id, 40)}" is used ${els.length} times; ids must be unique.`, 'Rename the duplicates.', { el: els[1] }));
    }
    return hits;
  },
};

const FORBIDDEN_TAGS = new Set(['script', 'iframe', 'object', 'embed', 'applet', 'frame', 'frameset']);
const URL_ATTRS = ['href', 'src', 'action', 'formaction', 'background', 'xlink:href', 'poster'];
const SCRIPT_URL = /^\s*(javascript|vbscript|data:\s*text\/html)/i;

/** Check 5: content every client strips or blocks (and spam filters punish). */
export const forbiddenCheck: Check = {
  id: 'html.forbidden',
  scope: 'persona',
  run(view: MessageView): Hit[] {
    return forbiddenIn(view.$).map((f) => hit(f.severity, `${f.what} ${f.why}`, f.fix, { el: f.el }));
  },
};

/**
 * Check 5 on the source: compiling strips active content from imported HTML and MJML, so it never
 * reaches an inbox, but the author should know that part of what they wrote is gone.
 */
export const strippedSourceCheck: Check = {
  id: 'html.forbidden',
  scope: 'message',
  run(_view: MessageView, ctx: CheckContext): Hit[] {
    const source = ctx.input.email.format === 'blocks' ? null : ctx.input.email.source;
    if (!source) return [];
    return forbiddenIn(cheerio.load(source)).map((f) =>
      hit('important', `The source has ${f.what[0].toLowerCase()}${f.what.slice(1)}: it was removed from the email as sent, which may not look as written.`, f.fix, {
        excerpt: clip(`<${f.el.name} ${Object.keys(f.el.attribs).join(' ')}`.trim() + '>', 120),
      }),
    );
  },
};

interface Forbidden {
  el: Element;
  severity: 'critical' | 'important';
  /** What it is, as the subject of a sentence. */
  what: string;
  why: string;
  fix: string;
}

function forbiddenIn($: CheerioAPI): Forbidden[] {
  const found: Forbidden[] = [];
  const add = (el: Element, severity: Forbidden['severity'], what: string, why: string, fix: string) => found.push({ el, severity, what, why, fix });
  const blocked = 'is removed or blocked by email clients and flags the message as suspicious.';
  for (const el of $('*').toArray()) {
    if (!isElement(el)) continue;
    if (FORBIDDEN_TAGS.has(el.name)) add(el, 'critical', `A <${el.name}>`, blocked, `Remove the <${el.name}>; link to a web page instead.`);
    else if (el.name === 'link' && /\bstylesheet\b/i.test(el.attribs.rel ?? '')) add(el, 'critical', 'An external stylesheet (<link rel="stylesheet">)', 'is not loaded by email clients.', 'Inline the CSS or put it in a <style> block.');
    else if (el.name === 'meta' && /^refresh$/i.test(el.attribs['http-equiv'] ?? '')) add(el, 'critical', 'A <meta http-equiv="refresh"> redirect', 'is blocked and looks like phishing.', 'Remove the refresh tag.');
    else if (el.name === 'form') add(el, 'important', 'A <form>', 'does not work in most email clients (Gmail and Outlook disable forms).', 'Link to a form on a web page instead.');
    for (const [name, value] of Object.entries(el.attribs)) {
      if (/^on[a-z]+$/i.test(name)) add(el, 'critical', `The event handler ${name}=`, 'is script; clients strip it and spam filters punish it.', `Remove the ${name} attribute.`);
      else if (URL_ATTRS.includes(name) && SCRIPT_URL.test(value)) add(el, 'critical', `A ${clip(value.trim(), 30)} URL`, 'runs script; clients block it and spam filters punish it.', 'Use an https:// link instead.');
    }
  }
  return found;
}

/**
 * Classes that media queries reveal: content hidden by default and shown on mobile (or dark mode)
 * is responsive design, not hidden text.
 */
function revealedClasses(view: MessageView): Set<string> {
  const classes = new Set<string>();
  for (const el of view.$('style').toArray()) {
    try {
      postcss.parse(view.$(el).text()).walkAtRules('media', (media) => {
        media.walkRules((rule) => {
          for (const m of rule.selector.matchAll(/\.([A-Za-z_][\w-]*)/g)) classes.add(m[1]);
        });
      });
    } catch {
      // unparsable CSS is reported by css.gmail-style-limit
    }
  }
  return classes;
}

/** Below this contrast text is effectively invisible (hidden content); above it, a11y.contrast judges it. */
export const INVISIBLE_CONTRAST = 1.25;

/** Check 6: text a reader cannot see (Google's guidelines forbid it; SA HTML_FONT_LOW_CONTRAST). */
export const hiddenContentCheck: Check = {
  id: 'html.hidden-content',
  scope: 'persona',
  run(view: MessageView): Hit[] {
    const hits: Hit[] = [];
    const preheader = view.preheader?.el ?? null;
    const revealed = revealedClasses(view);
    const isRevealed = (el: Element) => (el.attribs.class ?? '').split(/\s+/).some((c) => revealed.has(c));
    const groups = new Map<Element, TextRun[]>();
    for (const r of view.runs) {
      if (!r.hidden || !r.hiddenBy || r.hiddenBy === preheader) continue;
      groups.set(r.hiddenBy, [...(groups.get(r.hiddenBy) ?? []), r]);
    }
    for (const [el, runs] of groups) {
      const text = runs.map((r) => r.text).join(' ');
      if (!hasWords(text) || isRevealed(el)) continue;
      hits.push(hit('important', `Text is hidden with ${runs[0].hidden}: "${clip(text, 60)}". Hidden text is a spam signal and Gmail's guidelines forbid it.`, 'Remove the hidden text or make it visible.', { el, excerpt: clip(text, 120) }));
    }
    const invisible = new Map<Element, TextRun[]>();
    for (const r of view.runs) {
      if (r.hidden || r.backgroundImage || !hasWords(r.text) || contrastOf(r) >= INVISIBLE_CONTRAST) continue;
      invisible.set(r.el, [...(invisible.get(r.el) ?? []), r]);
    }
    for (const [el, runs] of invisible) {
      const text = runs.map((r) => r.text).join(' ');
      hits.push(hit('important', `Text is the same colour as its background: "${clip(text, 60)}". This reads as hidden text to spam filters.`, 'Give the text a colour that contrasts with its background, or remove it.', { el, excerpt: clip(text, 120) }));
    }
    return hits;
  },
};
