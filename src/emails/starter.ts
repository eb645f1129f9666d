import type { Brand } from '../brands/model.ts';
import type { EmailDocument, Section, Theme } from './model.ts';
import { brandWebsite, WEB_VERSION_URL } from './urls.ts';

/**
 * The document a new blank email starts from: the brand's colours and fonts, its logo (or its name)
 * on top, a headline, a greeting with a merge tag, a button and the footer. Every text is a
 * placeholder that says what belongs there, so the first preview already looks like the brand.
 * The button leads somewhere real (the brand's website, else the email's web version), so a new
 * email has nothing for preflight to block on but what the user still has to write.
 */
export function starterDocument(brand: Brand): EmailDocument {
  return { theme: brandTheme(brand), sections: [header(brand), body(brandWebsite(brand) ?? WEB_VERSION_URL), footer(brand)] };
}

export function brandTheme(brand: Brand): Theme {
  return {
    primary: brand.colors.primary,
    text: brand.colors.text,
    // The band around the content: the brand background shaded a little towards its text colour,
    // so the content column stands out whatever the kit's colours are.
    background: mix(brand.colors.background, brand.colors.text, 0.06),
    contentBackground: brand.colors.background,
    headingFont: brand.headingFont,
    bodyFont: brand.bodyFont,
    width: 600,
  };
}

function header(brand: Brand): Section {
  const mark = brand.logoUrl
    ? { id: 'logo', type: 'image' as const, src: brand.logoUrl, alt: brand.name, width: 160, align: 'center' as const }
    : { id: 'brand-name', type: 'heading' as const, text: brand.name, level: 2 as const, align: 'center' as const };
  return { id: 'header', padding: 24, blocks: [mark] };
}

function body(buttonUrl: string): Section {
  return {
    id: 'main',
    padding: 24,
    blocks: [
      { id: 'headline', type: 'heading', text: 'Your headline: what the reader gets', level: 1, align: 'left' },
      {
        id: 'intro',
        type: 'text',
        text: 'Hi {{ contact.first_name | default: "there" }},\n\nSay in two or three sentences why this email matters to the reader, then point them to one next step.',
        align: 'left',
      },
      { id: 'cta', type: 'button', text: 'Your call to action', url: buttonUrl, align: 'center' },
    ],
  };
}

function footer(brand: Brand): Section {
  return {
    id: 'footer',
    padding: 24,
    blocks: [{ id: 'footer-note', type: 'footer', text: `You receive this email because you signed up for news from ${brand.name}.` }],
  };
}

/** `a` moved `amount` (0–1) of the way towards `b`, both #rrggbb. */
function mix(a: string, b: string, amount: number): string {
  const channel = (hex: string, i: number) => parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16);
  const out = [0, 1, 2].map((i) => Math.round(channel(a, i) + (channel(b, i) - channel(a, i)) * amount));
  return `#${out.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}
