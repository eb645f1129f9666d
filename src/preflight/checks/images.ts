import { clip, type ImageInfo, type MessageView, type TextRun } from '../dom.ts';
import { isUnsubscribeLink, normaliseAddress } from './compliance.ts';
import { urlOf } from './links.ts';
import { hit, type Check, type CheckContext, type Hit } from './check.ts';

const contentImages = (view: MessageView) => view.images.filter((i) => !i.pixel && !i.hidden);

/** Check 22: every image has alt; a linked image is the link's only name, so it must say something. */
export const altCheck: Check = {
  id: 'images.alt',
  scope: 'message',
  run(view: MessageView): Hit[] {
    const hits: Hit[] = [];
    for (const img of contentImages(view)) {
      const link = img.link ? view.links.find((l) => l.el === img.link) : undefined;
      const namesLink = link && !link.text && !link.imageAlts.some((a) => a && a.trim()) && !link.el.attribs['aria-label'];
      const at = { el: img.el, excerpt: clip(img.src, 160), locate: img.src };
      if (namesLink) {
        hits.push(hit('critical', 'A linked image has no alt text and the link has no other text: screen readers announce it as an unnamed link, and with images off it is invisible.', 'Describe where the link goes in the image\'s alt text.', at));
      } else if (img.alt === null) {
        hits.push(hit('important', 'An image has no alt attribute; screen readers read its file name, and with images off nothing explains it.', 'Add alt text (or alt="" if it is decorative).', at));
      }
    }
    return hits;
  },
};

const isLocalHost = (host: string) => /(^|\.)(localhost|local|internal|test|invalid|example)$/i.test(host) || /^(127\.|10\.|192\.168\.|0\.)/.test(host);

/** Check 23 (offline part): images load from public https URLs, sized for Outlook. */
export const hostingCheck: Check = {
  id: 'images.hosting',
  scope: 'message',
  run(view: MessageView): Hit[] {
    const hits: Hit[] = [];
    for (const img of contentImages(view)) {
      const problem = hostingProblem(img);
      if (problem) hits.push(hit(problem[0], problem[1], problem[2], { el: img.el, excerpt: clip(img.src, 160), locate: img.src }));
    }
    return hits;
  },
};

function hostingProblem(img: ImageInfo): ['critical' | 'important' | 'suggested', string, string] | null {
  const src = img.src;
  const host = 'Host the image on a public https:// address.';
  if (!src) return ['critical', 'An image has no src.', 'Set the image source or remove the image.'];
  if (/^cid:/i.test(src)) return null;
  if (/^data:/i.test(src)) return ['important', 'An image is embedded as a data: URI; Gmail and Outlook do not show those.', host];
  const url = urlOf(src);
  if (!url) return ['critical', `The image src "${clip(src, 60)}" is relative or malformed; it will not load from an inbox.`, host];
  if (url.protocol === 'file:' || isLocalHost(url.hostname)) return ['critical', `The image loads from ${url.protocol === 'file:' ? 'a local file' : url.hostname}, which recipients cannot reach.`, host];
  if (url.protocol === 'http:') return ['important', 'An image loads over http://; clients show a warning or block it.', 'Serve the image over https://.'];
  if (url.protocol !== 'https:') return ['critical', `The image src uses ${url.protocol}, which email clients do not load.`, host];
  if (!img.el.attribs.width) return ['suggested', 'An image has no width attribute; Outlook for Windows shows it at the size of the file, which can break the layout.', 'Add a width attribute in pixels.'];
  return null;
}

/** Text-to-image thresholds (§5.1 #25): image-only mail is a spam signal (SA HTML_IMAGE_ONLY_*). */
export const IMAGE_ONLY_CHARS = 100;
export const FEW_WORDS_CHARS = 500;

const BOILERPLATE = /(you('re| are)? receiv|you received|you signed up|you subscribed|sent to\b|why (am i|did i) (get|receiv)|no longer wish|all rights reserved|©|copyright)/i;
const VIEW_ONLINE = /view (it |this (email )?)?(in|on) (your |a )?(web ?)?browser|view online|web version/i;

/** Visible text outside the preheader and the footer boilerplate (unsubscribe, address, "you receive this…"). */
export function contentRuns(view: MessageView, ctx: CheckContext): TextRun[] {
  const address = normaliseAddress(ctx.input.brand.postalAddress);
  const footerLinks = new Set(view.links.filter((l) => isUnsubscribeLink(l) || VIEW_ONLINE.test(l.text)).map((l) => l.el));
  const preheader = view.preheader?.el;
  const isContent = (r: TextRun) => !r.hidden && r.hiddenBy !== preheader && !(r.link && footerLinks.has(r.link)) && !BOILERPLATE.test(r.text) && !(address && normaliseAddress(r.text).includes(address));
  return view.runs.filter(isContent);
}

export const contentChars = (view: MessageView, ctx: CheckContext) => contentRuns(view, ctx).reduce((n, r) => n + r.text.length, 0);

/** Check 25: enough text next to the images for filters and for readers with images off. */
export const textImageBalanceCheck: Check = {
  id: 'content.text-image-balance',
  scope: 'message',
  run(view: MessageView, ctx: CheckContext): Hit[] {
    const images = contentImages(view);
    if (images.length === 0) return [];
    const chars = contentChars(view, ctx);
    if (chars < IMAGE_ONLY_CHARS) {
      return [hit('critical', `The email is essentially images (${images.length}) with ${chars} characters of text; spam filters score image-only mail and readers with images off see nothing.`, 'Put the message in live text; use images to illustrate it.', { el: images[0].el })];
    }
    if (chars < FEW_WORDS_CHARS) {
      return [hit('important', `The email has ${images.length} image(s) and only ${chars} characters of text; filters score image-heavy mail (SpamAssassin HTML_IMAGE_ONLY_*).`, `Add text (at least ${FEW_WORDS_CHARS} characters) that carries the message without the images.`, { el: images[0].el })];
    }
    return [];
  },
};
