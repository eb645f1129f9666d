import { describe, expect, it } from 'vitest';
import type { Brand } from '../brands/model.ts';
import { EmailDocument, type Block } from './model.ts';
import { starterDocument } from './starter.ts';

const BRAND: Brand = {
  id: 'brd_test',
  name: 'Acme Coffee',
  colors: { primary: '#2f6fed', secondary: '#14b8a6', text: '#1f2933', background: '#ffffff', accent: '#f59e0b' },
  headingFont: 'Georgia, serif',
  bodyFont: 'Arial, sans-serif',
  logoUrl: null,
  voice: '',
  fromName: 'Acme',
  fromEmail: 'hello@acmecoffee.com',
  replyTo: null,
  postalAddress: '1 Bean St, Portland',
  defaultLanguage: 'en',
  timeZone: 'Europe/London',
  knowledge: '',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const button = (brand: Brand) =>
  starterDocument(brand)
    .sections.flatMap((s) => s.blocks)
    .find((b): b is Extract<Block, { type: 'button' }> => b.type === 'button')!;

describe('starter document', () => {
  it('is a valid document in the brand colours and fonts', () => {
    const doc = starterDocument(BRAND);
    expect(EmailDocument.parse(doc)).toEqual(doc);
    expect(doc.theme).toMatchObject({ primary: '#2f6fed', headingFont: 'Georgia, serif', bodyFont: 'Arial, sans-serif', contentBackground: '#ffffff' });
  });

  it("links its button to the brand's website, the first page its notes link to", () => {
    const brand = { ...BRAND, knowledge: 'Logo: https://cdn.acmecoffee.com/logo.png. Shop at https://acmecoffee.com/shop, open daily.' };
    expect(button(brand).url).toBe('https://acmecoffee.com/shop');
  });

  it('links its button to the web version of the email when the brand names no website, never to a placeholder', () => {
    expect(button(BRAND).url).toBe('{{ view_in_browser_url }}');
    expect(JSON.stringify(starterDocument(BRAND))).not.toMatch(/example\.(com|org|net)/);
  });
});
