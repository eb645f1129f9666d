import { hasWords, type MessageView } from '../dom.ts';
import { pxLength } from '../style.ts';
import { contentRuns } from './images.ts';
import { hit, type Check, type CheckContext, type Hit } from './check.ts';

/** Wider than this cannot fit a phone without a fluid fallback (§5.1 #30). */
export const MAX_FIXED_WIDTH = 640;
/** Body text below this is hard to read on a phone (§5.1 #30: info). */
export const MIN_BODY_FONT_PX = 14;

const styleText = (view: MessageView) =>
  view
    .$('style')
    .toArray()
    .map((el) => view.$(el).text())
    .join('\n');

/** Check 30: viewport, fixed widths that force sideways scrolling, and small body text. */
export const responsiveCheck: Check = {
  id: 'mobile.responsive',
  scope: 'message',
  run(view: MessageView, ctx: CheckContext): Hit[] {
    const hits: Hit[] = [];
    if (view.$('meta[name="viewport" i]').length === 0) {
      hits.push(hit('important', 'The HTML has no <meta name="viewport">; phones render it at desktop width and zoom out.', 'Add <meta name="viewport" content="width=device-width, initial-scale=1">.'));
    }
    const media = /@media[^{]*(max-width|min-width)/i.test(styleText(view));
    for (const el of view.$('table, td, div, img').toArray()) {
      const s = view.style(el);
      const width = Math.max(pxLength(el.attribs.width) ?? 0, pxLength(s.get('width')) ?? 0, pxLength(s.get('min-width')) ?? 0);
      // max-width (or a media query that can resize it) lets the element shrink on small screens.
      if (width > MAX_FIXED_WIDTH && !s.has('max-width') && !(media && el.attribs.class)) {
        hits.push(hit('important', `An element is ${width} px wide with nothing to shrink it; phones scroll sideways.`, 'Use width:100% with a max-width, or a media query for small screens.', { el }));
        break;
      }
    }
    // Footers are small by design; what matters is the size of the message itself.
    const content = contentRuns(view, ctx).filter((r) => hasWords(r.text));
    const bySize = new Map<boolean, number>();
    for (const r of content) {
      const small = r.fontPx < MIN_BODY_FONT_PX;
      bySize.set(small, (bySize.get(small) ?? 0) + r.text.length);
    }
    const smallChars = bySize.get(true) ?? 0;
    if (smallChars > (bySize.get(false) ?? 0)) {
      const sample = content.find((r) => r.fontPx < MIN_BODY_FONT_PX)!;
      hits.push(hit('suggested', `Most of the text is smaller than ${MIN_BODY_FONT_PX} px (for example ${Math.round(sample.fontPx)} px); hard to read on a phone.`, 'Use 16 px for body text (at least 14 px).', { el: sample.el }));
    }
    return hits;
  },
};

/** Check 31: the email says it handles dark mode (clients invert colours of those that do not). */
export const darkModeCheck: Check = {
  id: 'darkmode.readiness',
  scope: 'message',
  run(view: MessageView): Hit[] {
    const meta = view.$('meta[name="color-scheme" i], meta[name="supported-color-schemes" i]').length > 0;
    const css = styleText(view);
    if (meta || /prefers-color-scheme/i.test(css) || /(^|[;{\s])color-scheme\s*:/i.test(css)) return [];
    return [
      hit('suggested', 'The email declares no dark-mode support (no color-scheme meta tag, no prefers-color-scheme styles); Apple Mail, Outlook and Gmail apps will invert its colours on their own.', 'Add <meta name="color-scheme" content="light dark"> and dark-mode styles, or check the dark previews.'),
    ];
  },
};
