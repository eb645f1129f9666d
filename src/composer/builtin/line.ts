/** One sentence pattern, in a formal and an informal register where the language has both. */
export type Line = string | { formal: string; informal: string };
/** Keys (`heading.promo`, `cta.shop`…) to their variants; every language has the same keys and counts. */
export type Catalogue = Readonly<Record<string, readonly Line[]>>;

/** A line that differs by register. */
export const r = (formal: string, informal: string): Line => ({ formal, informal });
