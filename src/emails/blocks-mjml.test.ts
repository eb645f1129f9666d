import { describe, expect, it } from 'vitest';
import mjml2html from 'mjml';
import * as cheerio from 'cheerio';
import { contrastRatio, documentToMjml, inlineMarkup, labelColor, textDirection } from './blocks-mjml.ts';
import { BLOCK_TYPES, EmailDocument, type Block } from './model.ts';

const THEME = { primary: '#2f6fed', text: '#1f2933', background: '#f3f4f6', contentBackground: '#ffffff', headingFont: '"Helvetica Neue", Arial, sans-serif', bodyFont: 'Georgia, serif', width: 600 };
const META = { language: 'en', subject: 'Spring {{ contact.first_name }}', preheader: 'New & noteworthy' };

/** One block of every type, including a columns block holding leaves. */
const EVERY_BLOCK: Block[] = [
  { id: 'h1', type: 'heading', text: 'Hello {{ contact.first_name | default: "there" }}', level: 1, align: 'left' },
  { id: 'h3', type: 'heading', text: 'Small print', level: 3, align: 'center' },
  { id: 'tx', type: 'text', text: 'Line **one**\nline *two*\n\nSecond [paragraph](https://example.com/a?b=1&c=2)', align: 'left' },
  { id: 'bt', type: 'button', text: 'Shop now', url: 'https://shop.example.com/?e={{contact.email}}', align: 'center' },
  { id: 'im', type: 'image', src: 'https://cdn.example.com/hero.png', alt: 'A hero "image"', width: 1200, height: 600, href: 'https://shop.example.com/hero', align: 'center' },
  { id: 'dv', type: 'divider' },
  { id: 'sp', type: 'spacer', height: 32 },
  { id: 'ls', type: 'list', items: ['First', 'Second **bold**'], ordered: true },
  { id: 'qt', type: 'quote', text: 'Best shirts ever.', author: 'Sam' },
  { id: 'so', type: 'social', links: [{ network: 'instagram', url: 'https://instagram.com/acme' }, { network: 'x', url: 'https://x.com/acme' }], align: 'center' },
  { id: 'ft', type: 'footer', text: 'You signed up at acme.example.' },
  {
    id: 'cl',
    type: 'columns',
    columns: [
      { blocks: [{ id: 'c1', type: 'text', text: 'Left', align: 'left' }] },
      { blocks: [{ id: 'c2', type: 'image', src: 'https://cdn.example.com/c.png', alt: 'Right', align: 'center' }] },
      { blocks: [{ id: 'c3', type: 'button', text: 'Third', url: 'https://example.com/3', align: 'center' }] },
    ],
  },
];

const doc = (blocks: Block[], background?: string) => EmailDocument.parse({ theme: THEME, sections: [{ id: 's1', background, blocks }] });

describe('documentToMjml', () => {
  it('covers every block type in the model', () => {
    expect(new Set(EVERY_BLOCK.map((b) => b.type))).toEqual(new Set(BLOCK_TYPES));
  });

  it('produces MJML that passes strict validation with every block type', async () => {
    const result = await mjml2html(documentToMjml(doc(EVERY_BLOCK, '#eef2ff'), META), { validationLevel: 'strict' });
    expect(result.errors).toEqual([]);
    const $ = cheerio.load(result.html);
    expect($('h1').text()).toBe('Hello {{ contact.first_name | default: "there" }}');
    expect($('h3').length).toBe(1);
    expect($('ol li').length).toBe(2);
    expect($('blockquote').text()).toContain('— Sam');
    expect($('a[href="https://instagram.com/acme"]').text()).toBe('Instagram');
    expect($('img').first().attr('alt')).toBe('A hero "image"');
    expect($('[data-tidings-footer]').text()).toBe('You signed up at acme.example.');
    expect($('.mj-column-per-33-333333333333336, [class*="mj-column-per-33"]').length).toBe(3);
  });

  it('marks every block in the compiled HTML with its id, around what the block shows', async () => {
    const { html } = await mjml2html(documentToMjml(doc(EVERY_BLOCK), META), { validationLevel: 'strict' });
    const $ = cheerio.load(html);
    const ids = (b: Block): string[] => (b.type === 'columns' ? [b.id, ...b.columns.flatMap((c) => c.blocks.flatMap(ids))] : [b.id]);
    for (const id of EVERY_BLOCK.flatMap(ids)) expect($(`.tidings-block-${id}`).length, id).toBeGreaterThan(0);
    expect($('.tidings-block-h1 h1').text()).toContain('Hello');
    expect($('.tidings-block-bt a').text().trim()).toBe('Shop now');
    expect($('.tidings-block-im img').attr('src')).toBe('https://cdn.example.com/hero.png');
    expect($('.tidings-block-ft [data-tidings-footer]').length).toBe(1);
    expect($('.tidings-block-cl .tidings-block-c2 img').attr('alt')).toBe('Right');
    // Markers are classes only: no inline style or attribute a mail client could act on.
    expect(html).not.toMatch(/data-block-id|tidings-block-[\w-]+\s*[{:]/);
  });

  it('puts title, preview, language, direction and the colour-scheme meta in the head', () => {
    const mjml = documentToMjml(doc([EVERY_BLOCK[0]]), { ...META, language: 'he' });
    expect(mjml).toContain('<mjml lang="he" dir="rtl">');
    expect(mjml).toContain('<mj-title>Spring {{ contact.first_name }}</mj-title>');
    expect(mjml).toContain('<mj-preview>New &amp; noteworthy</mj-preview>');
    expect(mjml).toContain('<meta name="color-scheme" content="light dark">');
    expect(mjml).toContain(`font-family="&quot;Helvetica Neue&quot;, Arial, sans-serif"`);
  });

  it('caps an image at the content width and keeps its aspect ratio', () => {
    const mjml = documentToMjml(doc([EVERY_BLOCK[4]]), META);
    expect(mjml).toContain('width="552px"');
    expect(mjml).toContain('height="276px"');
    expect(mjml).toContain('href="https://shop.example.com/hero"');
  });

  it('wraps a section with a background in a full-width band', () => {
    expect(documentToMjml(doc([EVERY_BLOCK[0]], '#112233'), META)).toMatch(/<mj-wrapper full-width="full-width" background-color="#112233"/);
    expect(documentToMjml(doc([EVERY_BLOCK[0]]), META)).not.toContain('mj-wrapper');
  });

  it('escapes everything typed, so no markup can get through', () => {
    const hostile = '<script>alert(1)</script> "><img src=x onerror=alert(1)> & [x](javascript:alert(1))';
    const mjml = documentToMjml(doc([{ id: 't', type: 'text', text: hostile, align: 'left' }, { id: 'b', type: 'button', text: '<b>x</b>', url: 'https://e.com/"onmouseover="x', align: 'center' }]), META);
    expect(mjml).not.toMatch(/<script|<img|<b>/);
    expect(mjml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mjml).toContain('[x](javascript:alert(1))'); // not a link: only http(s), mailto and merge tags are
    expect(mjml).toContain('href="https://e.com/&quot;onmouseover=&quot;x"');
  });
});

describe('inlineMarkup', () => {
  const style = { link: '#2f6fed' };

  it('turns bold, italic, links and line breaks into HTML', () => {
    expect(inlineMarkup('a **b** *c* [d](https://e.com/?x=1&y=2)\ne', style)).toBe(
      'a <strong>b</strong> <em>c</em> <a href="https://e.com/?x=1&amp;y=2" style="color:#2f6fed;text-decoration:underline">d</a><br>e',
    );
  });

  it('makes paragraphs of blank-line separated text', () => {
    expect(inlineMarkup('one\n\ntwo', style)).toBe('<p style="margin:0 0 16px 0">one</p><p style="margin:0 0 0px 0">two</p>');
  });

  it('leaves merge tags alone, even when they hold markup characters, and allows them as link targets', () => {
    expect(inlineMarkup('Hi {{ contact.first_name | default: "*you*" }}', style)).toBe('Hi {{ contact.first_name | default: &quot;*you*&quot; }}');
    expect(inlineMarkup('[Unsubscribe]({{ unsubscribe_url }})', style)).toContain('href="{{ unsubscribe_url }}"');
    expect(inlineMarkup('[Shop](https://e.com/?n={{ contact.first_name | url_encode }})', style)).toContain('href="https://e.com/?n={{ contact.first_name | url_encode }}"');
  });

  it('does not treat arithmetic stars as emphasis', () => {
    expect(inlineMarkup('2 * 3 * 4', style)).toBe('2 * 3 * 4');
  });
});

describe('colours and direction', () => {
  it('picks the button label with the better WCAG contrast', () => {
    expect(labelColor('#2f6fed')).toBe('#ffffff');
    expect(labelColor('#fde047')).toBe('#111827');
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 0);
  });

  it('falls back to the text colour for links when the brand colour is unreadable on the background', () => {
    const mjml = documentToMjml(EmailDocument.parse({ theme: { ...THEME, primary: '#fef08a' }, sections: [{ id: 's', blocks: [EVERY_BLOCK[2]] }] }), META);
    expect(mjml).toContain('a { color: #1f2933; }');
  });

  it('knows right-to-left languages', () => {
    expect(textDirection('ar')).toBe('rtl');
    expect(textDirection('fa-IR')).toBe('rtl');
    expect(textDirection('en-US')).toBe('ltr');
    expect(textDirection('de')).toBe('ltr');
  });
});
