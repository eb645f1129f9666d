import type { Element } from 'domhandler';
import { clip, contrastOf, hasWords, isElement, type MessageView, type TextRun } from '../dom.ts';
import { hexOf } from '../style.ts';
import { INVISIBLE_CONTRAST } from './html.ts';
import { hit, type Check, type CheckContext, type Hit } from './check.ts';

const BCP47 = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;
const RTL = new Set(['ar', 'he', 'fa', 'ur', 'yi', 'ps', 'sd', 'ug', 'dv', 'ku']);
const primary = (lang: string) => lang.split('-')[0].toLowerCase();

function contains(ancestor: Element, el: Element): boolean {
  for (let n: Element | null = el; n; n = n.parent && isElement(n.parent) ? n.parent : null) if (n === ancestor) return true;
  return false;
}

/** The element inside <body> that carries lang and wraps all visible text (clients strip <html>). */
function contentWrapper(view: MessageView): Element | null {
  const visible = view.runs.filter((r) => !r.hidden && hasWords(r.text));
  const first = visible[0]?.el;
  const last = visible[visible.length - 1]?.el;
  if (!first || !last) return null;
  return view.$('body [lang]').toArray().find((el) => contains(el, first) && contains(el, last)) ?? null;
}

/** Check 26: `lang` and `dir` on <html> and on the content wrapper (EMC: "serious" when missing). */
export const langDirCheck: Check = {
  id: 'a11y.lang-dir',
  scope: 'message',
  run(view: MessageView, ctx: CheckContext): Hit[] {
    const hits: Hit[] = [];
    const html = view.$('html')[0];
    const lang = html?.attribs.lang?.trim() ?? '';
    if (!lang) {
      hits.push(hit('critical', '<html> has no lang attribute; screen readers read the email with the wrong voice and pronunciation.', `Add lang="${ctx.input.email.language}" to <html>.`, { el: html }));
    } else if (!BCP47.test(lang)) {
      hits.push(hit('critical', `<html lang="${clip(lang, 20)}"> is not a valid language tag.`, `Use a BCP 47 tag such as "${ctx.input.email.language}".`, { el: html }));
    } else if (primary(lang) !== primary(ctx.input.email.language)) {
      hits.push(hit('important', `<html lang="${lang}"> does not match the email's language (${ctx.input.email.language}).`, `Set lang="${ctx.input.email.language}".`, { el: html }));
    }
    const wrapper = contentWrapper(view);
    if (!wrapper) {
      hits.push(hit('important', 'No element inside <body> carries lang around the content; Gmail, Outlook.com and others remove <html>, and its lang with it.', 'Wrap the content in a <div> with lang and dir attributes.'));
    }
    const dir = wrapper?.attribs.dir ?? html?.attribs.dir;
    const rtl = RTL.has(primary(ctx.input.email.language));
    if (!dir) {
      hits.push(hit('important', 'No dir attribute says which way the text runs; clients guess, and guess wrong for mixed-direction text.', `Add dir="${rtl ? 'rtl' : 'ltr'}" (or "auto") next to lang.`, { el: wrapper ?? html }));
    } else if (rtl && dir.toLowerCase() === 'ltr') {
      hits.push(hit('important', `The email is in a right-to-left language (${ctx.input.email.language}) but dir="ltr".`, 'Set dir="rtl".', { el: wrapper ?? html }));
    }
    return hits;
  },
};

/** Check 27: layout tables say they are layout, so screen readers do not announce rows and columns. */
export const layoutTablesCheck: Check = {
  id: 'a11y.layout-tables',
  scope: 'message',
  run(view: MessageView): Hit[] {
    const hits: Hit[] = [];
    for (const table of view.$('table').toArray()) {
      const role = (table.attribs.role ?? '').toLowerCase();
      if (role === 'presentation' || role === 'none') continue;
      // A table with headers or a caption is a data table and should be announced as one.
      const $t = view.$(table);
      const rows = $t.children('tr').add($t.children('thead, tbody, tfoot').children('tr'));
      if ($t.children('caption').length || rows.children('th').length) continue;
      hits.push(hit('important', 'A layout table has no role="presentation"; screen readers announce it as a data table, row by row.', 'Add role="presentation" to layout tables.', { el: table }));
    }
    return hits;
  },
};

/** WCAG 2.x AA: 4.5:1 for normal text, 3:1 for large (≥ 24 px, or ≥ 18.66 px bold). */
const isLarge = (r: TextRun) => r.fontPx >= 24 || (r.fontPx >= 18.66 && r.bold);

/** Check 28: text contrast from the inlined colours (no layout engine: background images are skipped). */
export const contrastCheck: Check = {
  id: 'a11y.contrast',
  scope: 'message',
  run(view: MessageView): Hit[] {
    const worst = new Map<string, { run: TextRun; ratio: number; large: boolean }>();
    for (const r of view.runs) {
      if (r.hidden || r.backgroundImage || !hasWords(r.text)) continue;
      const ratio = contrastOf(r);
      const large = isLarge(r);
      if (ratio < INVISIBLE_CONTRAST || ratio >= (large ? 3 : 4.5)) continue;
      const key = `${hexOf(r.color)}/${hexOf(r.background)}/${large}`;
      if (!worst.has(key)) worst.set(key, { run: r, ratio, large });
    }
    return [...worst.values()].map(({ run, ratio, large }) =>
      hit(
        !large && ratio < 3 ? 'critical' : 'important',
        `${large ? 'Large text' : 'Text'} in ${hexOf(run.color)} on ${hexOf(run.background)} has a contrast of ${ratio.toFixed(2)}:1; WCAG AA needs ${large ? '3' : '4.5'}:1.`,
        'Darken the text or lighten the background (or the other way round).',
        { el: run.el, excerpt: clip(run.text, 120) },
      ),
    );
  },
};

const GENERIC_LINK_TEXT = new Set([
  'click here', 'click', 'here', 'read more', 'more', 'learn more', 'this link', 'link', 'go', 'details', 'more info', 'info', 'continue',
  'hier', 'hier klicken', 'klicken sie hier', 'mehr', 'weiterlesen', 'ici', 'cliquez ici', 'en savoir plus', 'aquí', 'haga clic aquí', 'haz clic aquí', 'más', 'clicca qui', 'qui', 'leggi di più', 'klik hier',
]);

/** Check 29: headings that outline the email, and links that say where they go. */
export const structureLinksCheck: Check = {
  id: 'a11y.structure-links',
  scope: 'message',
  run(view: MessageView): Hit[] {
    const hits: Hit[] = [];
    const seen = new Set<string>();
    for (const link of view.links) {
      if (link.hidden || link.imageAlts.length > 0) continue; // image links: images.alt
      // The same link repeated (a "Read more" under every story to one page) is one finding.
      const key = `${link.text}\n${link.href}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const name = link.text || link.el.attribs['aria-label'] || link.el.attribs.title || '';
      const normalised = name.toLowerCase().replace(/[^\p{L}\p{N} ]+/gu, '').replace(/\s+/g, ' ').trim();
      if (!name.trim()) hits.push(hit('important', 'A link has no text; screen readers announce an unnamed link.', 'Give the link text that says where it goes.', { el: link.el, locate: link.href }));
      else if (GENERIC_LINK_TEXT.has(normalised)) {
        hits.push(hit('suggested', `The link text "${clip(name, 40)}" does not say where the link goes; screen-reader users browse by link lists.`, 'Use text that names the destination ("See the spring menu").', { el: link.el, locate: link.href }));
      }
    }
    for (const button of view.$('button').toArray()) {
      if (!view.$(button).text().trim() && !button.attribs['aria-label']) hits.push(hit('important', 'A button has no text.', 'Give the button a label.', { el: button }));
    }
    const headings = view.$('h1, h2, h3, h4, h5, h6').toArray();
    if (headings.length === 0) {
      hits.push(hit('suggested', 'The email has no headings; screen-reader users navigate by them.', 'Mark the main title as a heading (h1) and section titles as h2.'));
      return hits;
    }
    if (!headings.some((h) => h.name === 'h1')) hits.push(hit('suggested', 'The email has no h1 heading.', 'Make the main title an h1.', { el: headings[0] }));
    let previous = 0;
    for (const h of headings) {
      const level = Number(h.name[1]);
      if (previous && level > previous + 1) {
        hits.push(hit('suggested', `A heading jumps from h${previous} to h${level}; screen readers announce levels, so skipped ones suggest missing content.`, `Use h${previous + 1} here.`, { el: h }));
        break;
      }
      previous = level;
    }
    return hits;
  },
};
