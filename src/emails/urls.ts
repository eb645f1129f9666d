import type { Brand } from '../brands/model.ts';

/** Web addresses as people write them in running text (up to a space, quote or closing bracket). */
const URL_RE = /https?:\/\/[^\s<>"'`)\]]+/gi;

/** Where a button leads when no page is known: the web version of the email itself always works. */
export const WEB_VERSION_URL = '{{ view_in_browser_url }}';

/** The http(s) addresses in a text, without the sentence punctuation that follows them. */
export function extractUrls(text: string): string[] {
  return (text.match(URL_RE) ?? []).map((u) => u.replace(/[.,;:!?]+$/, ''));
}

export const isImageUrl = (url: string) => /\.(?:png|jpe?g|gif|webp|avif)(?:[?#].*)?$/i.test(url);

/** `text` with every web address replaced by a space. */
export const withoutUrls = (text: string) => text.replace(URL_RE, ' ');

/**
 * The brand's website: the first page its knowledge notes link to (the brand kit has no website
 * field). Null when none: callers then use WEB_VERSION_URL, never a made-up or placeholder
 * address, where readers would land nowhere and which preflight fails.
 */
export function brandWebsite(brand: Pick<Brand, 'knowledge'>): string | null {
  return extractUrls(brand.knowledge).find((u) => !isImageUrl(u)) ?? null;
}
