import type { Brand } from '../../brands/model.ts';
import type { BriefInput } from '../model.ts';

/**
 * Briefs a marketer might give, across purposes, tones, languages and lengths, with and without
 * offers, links and pictures. The built-in composer's quality test runs them all; the preflight
 * and SpamAssassin checks reuse them, so keep them realistic: real-looking links, no example.com.
 */

export const FIXTURE_BRAND: Brand = {
  id: 'brd_fixture',
  name: 'Acme Coffee',
  colors: { primary: '#6b3e26', secondary: '#2f855a', text: '#1f2933', background: '#ffffff', accent: '#d69e2e' },
  headingFont: 'Georgia, serif',
  bodyFont: 'Helvetica, Arial, sans-serif',
  logoUrl: 'https://cdn.acmecoffee.com/brand/logo.png',
  voice: 'Warm and knowledgeable, like a barista who remembers your order.',
  fromName: 'Acme Coffee',
  fromEmail: 'hello@acmecoffee.com',
  replyTo: null,
  postalAddress: '1 Bean Street, Portland, OR 97201, USA',
  defaultLanguage: 'en',
  timeZone: 'America/Los_Angeles',
  knowledge: 'Shop: https://shop.acmecoffee.com. We roast in Portland and Berlin. Free returns within 30 days.',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};

/** A brand without logo, site or voice notes: the composer must still write a complete email. */
export const PLAIN_BRAND: Brand = {
  ...FIXTURE_BRAND,
  id: 'brd_plain',
  name: 'Northwind Studio',
  logoUrl: null,
  voice: '',
  knowledge: '',
  defaultLanguage: 'de',
};

export interface FixtureBrief {
  label: string;
  brand: Brand;
  brief: BriefInput;
}

export const FIXTURE_BRIEFS: FixtureBrief[] = [
  {
    label: 'promo with code and deadline',
    brand: FIXTURE_BRAND,
    brief: { prompt: 'Launch email for our spring coffee collection: 20% off all beans until Sunday with code SPRING20', tone: 'friendly' },
  },
  {
    label: 'long announcement with link',
    brand: FIXTURE_BRAND,
    brief: { prompt: 'Announce our new espresso machine, the Barista Pro, to long-time customers', tone: 'professional', length: 'long', ctaUrl: 'https://shop.acmecoffee.com/barista-pro' },
  },
  {
    label: 'event with date and place',
    brand: FIXTURE_BRAND,
    brief: { prompt: 'Invite our customers to the autumn tasting evening at our Berlin roastery on October 3 at 6pm', tone: 'calm' },
  },
  {
    label: 'newsletter with listed stories',
    brand: FIXTURE_BRAND,
    brief: { prompt: 'Our weekly newsletter about home brewing: tips for cold brew, a recipe for iced lattes and news from the roastery', tone: 'casual', ctaUrl: 'https://blog.acmecoffee.com/issue-42' },
  },
  { label: 'short welcome', brand: FIXTURE_BRAND, brief: { prompt: 'Welcome new subscribers and tell them how to get started', length: 'short' } },
  {
    label: 're-engagement with free shipping',
    brand: FIXTURE_BRAND,
    brief: { prompt: "We haven't seen some customers in 3 months; win them back with free shipping on their next order", tone: 'friendly' },
  },
  {
    label: 'product update with features',
    brand: FIXTURE_BRAND,
    brief: { prompt: 'Product update: the Acme Coffee app 3.0 now supports ordering ahead, loyalty points and dark mode', tone: 'professional', ctaUrl: 'https://app.acmecoffee.com/whats-new' },
  },
  {
    label: 'playful long webinar with link in the prompt',
    brand: FIXTURE_BRAND,
    brief: { prompt: 'Webinar on March 12 at 5pm CET: brewing better coffee at home. Register at https://events.acmecoffee.com/webinar-march', tone: 'playful', length: 'long' },
  },
  {
    label: 'German urgent short promo',
    brand: PLAIN_BRAND,
    brief: { prompt: 'Kündige unsere neue Kaffeemaschine "Barista Pro" an, 15 % Rabatt bis zum 3. März', tone: 'urgent', length: 'short', language: 'de', ctaUrl: 'https://northwind.studio/shop' },
  },
  {
    label: 'French formal announcement',
    brand: FIXTURE_BRAND,
    brief: { prompt: 'Présenter notre nouvelle collection de printemps à nos clients fidèles', tone: 'formal', language: 'fr' },
  },
  {
    label: 'Spanish long promo',
    brand: FIXTURE_BRAND,
    brief: { prompt: 'Anunciar nuestra nueva colección de primavera a nuestros clientes, 20 % de descuento hasta el domingo', tone: 'friendly', length: 'long', language: 'es' },
  },
  {
    label: 'German formal long welcome from a goal',
    brand: PLAIN_BRAND,
    brief: { goal: 'Neue Abonnenten begrüßen und zum ersten Einkauf führen', purpose: 'welcome', tone: 'formal', length: 'long', language: 'de' },
  },
  {
    label: 'Spanish calm short newsletter',
    brand: FIXTURE_BRAND,
    brief: { prompt: 'Boletín mensual: novedades del tostadero y una receta de café frío', purpose: 'newsletter', tone: 'calm', length: 'short', language: 'es' },
  },
  {
    label: 'French event with date',
    brand: FIXTURE_BRAND,
    brief: { prompt: 'Invitation à notre atelier "Latte art" le 14 mars à 18 h à Paris', tone: 'friendly', language: 'fr', ctaUrl: 'https://events.acmecoffee.com/latte-art-paris' },
  },
  {
    label: 'German casual long product update',
    brand: PLAIN_BRAND,
    brief: { prompt: 'Produkt-Update: "Studio Planner 2" mit neuer Kalenderansicht, Teamfreigaben und Dunkelmodus', purpose: 'product-update', tone: 'casual', length: 'long', language: 'de' },
  },
  {
    label: 'French playful short re-engagement',
    brand: FIXTURE_BRAND,
    brief: { prompt: 'Vous nous manquez : revenez découvrir nos nouveaux cafés', purpose: 're-engagement', tone: 'playful', length: 'short', language: 'fr' },
  },
  { label: 'Italian falls back to English', brand: FIXTURE_BRAND, brief: { prompt: 'Announce our new decaf blend, the Night Owl', language: 'it' } },
  {
    label: 'promo with chosen sections, label and picture',
    brand: FIXTURE_BRAND,
    brief: {
      prompt: 'Summer sale on cold brew kits',
      offer: '25% off cold brew kits until August 31',
      sections: ['hero', 'offer', 'testimonial', 'faq', 'cta'],
      ctaText: 'Shop cold brew kits',
      ctaUrl: 'https://shop.acmecoffee.com/cold-brew',
      imageUrl: 'https://cdn.acmecoffee.com/img/cold-brew-kit.jpg',
    },
  },
  {
    label: 'professional long newsletter from bullet points',
    brand: FIXTURE_BRAND,
    brief: {
      prompt: 'Monthly newsletter for wholesale partners:\n- New harvest from Colombia arrives in May\n- Updated price list for cafés\n- Barista training dates for spring',
      tone: 'professional',
      length: 'long',
      ctaUrl: 'https://wholesale.acmecoffee.com/news',
    },
  },
  {
    label: 'Spanish playful welcome with audience',
    brand: FIXTURE_BRAND,
    brief: { goal: 'Dar la bienvenida a los nuevos miembros del club', audience: 'miembros del club del café', purpose: 'welcome', tone: 'playful', language: 'es' },
  },
  { label: 'goal and offer only', brand: PLAIN_BRAND, brief: { goal: 'Get customers to try our cold brew', offer: 'Buy one, get one half price', tone: 'urgent', language: 'en' } },
  { label: 'Black Friday', brand: FIXTURE_BRAND, brief: { prompt: 'Black Friday sale: save 30% on everything, ends Monday', tone: 'urgent', length: 'long' } },
  {
    label: 'Spanish professional event',
    brand: FIXTURE_BRAND,
    brief: { prompt: 'Invitar a nuestros clientes a la cata de otoño el 20 de mayo a las 19:00 en Madrid', purpose: 'event', tone: 'professional', length: 'long', language: 'es' },
  },
  { label: 'regional language tag', brand: PLAIN_BRAND, brief: { prompt: 'Stell unser neues Studio "Northwind Loft" in Wien vor', purpose: 'announcement', tone: 'playful', language: 'de-AT' } },
];
