import { describe, expect, it } from 'vitest';
import type { Email, EmailDocument } from '../emails/model.ts';
import { attachAutofixes, fixPatch, placeholderAlt } from './fixes.ts';
import type { Finding } from './model.ts';

const email = (over: Partial<Email>): Email => ({
  id: 'eml_1',
  brandId: 'brd_1',
  name: 'Spring',
  subject: 'Our spring menu is here',
  preheader: '',
  fromName: 'Acme',
  fromEmail: 'hello@tidings-demo.com',
  replyTo: null,
  category: 'marketing',
  language: 'en',
  format: 'html',
  document: null,
  source: null,
  version: 1,
  createdAt: '2026-11-26T10:00:00.000Z',
  updatedAt: '2026-11-26T10:00:00.000Z',
  ...over,
});

const doc = (blocks: EmailDocument['sections'][number]['blocks']): EmailDocument => ({
  theme: { primary: '#1d4ed8', text: '#1f2933', background: '#f3f4f6', contentBackground: '#ffffff', headingFont: 'Arial', bodyFont: 'Arial', width: 600 },
  sections: [{ id: 's1', padding: 24, blocks }],
});

describe('preflight fixes', () => {
  it('derives alt placeholders from file names', () => {
    expect(placeholderAlt('https://cdn.x.com/img/spring-latte_02.jpg?v=3')).toBe('Spring latte 02');
    expect(placeholderAlt('https://cdn.x.com/123.png')).toBe('Image');
  });

  describe('HTML source: edits start tags and leaves the rest byte for byte', () => {
    const source = [
      '<!doctype html>\n<html>\n<head><title>Spring</title></head>\n<body>',
      '<img src="https://cdn.x.com/hero-latte.jpg" width="600">',
      '<a href="https://x.com"><img src="https://cdn.x.com/buy-now.png" alt=""></a>',
      '<img src="https://cdn.x.com/divider.png" alt="">',
      '<p>Keep   this   spacing &amp; entities</p>',
      '</body>\n</html>',
    ].join('\n');

    it('adds alt placeholders where alt is missing or a linked image has none', async () => {
      const patch = await fixPatch('images.add-alt', email({ source }), {});
      expect(patch?.source).toBe(
        source
          .replace('width="600">', 'width="600" alt="Hero latte">')
          .replace('buy-now.png" alt=""', 'buy-now.png" alt="Buy now"'),
      );
    });

    it('adds lang and dir to <html>', async () => {
      expect((await fixPatch('html.add-lang', email({ source, language: 'de' }), {}))?.source).toBe(source.replace('<html>', '<html lang="de" dir="ltr">'));
      expect((await fixPatch('html.add-lang', email({ source: source.replace('<html>', '<html lang="de" dir="ltr">') }), {}))).toBeNull();
    });

    it('adds a footer with the unsubscribe link and postal address before </body>', async () => {
      const patched = (await fixPatch('footer.add', email({ source }), {}))!.source!;
      expect(patched.startsWith(source.slice(0, source.indexOf('</body>')))).toBe(true);
      expect(patched).toMatch(/\{\{ brand\.postal_address \}\}<br><a href="\{\{ unsubscribe_url \}\}"[^>]*>Unsubscribe<\/a>[\s\S]*<\/div><\/body>\n<\/html>$/);
    });

    it('has nothing to do when the fix does not apply to the format', async () => {
      expect(await fixPatch('css.inline', email({ source }), {})).toBeNull();
    });
  });

  describe('MJML source', () => {
    const source = '<mjml>\n<mj-head><mj-style>.a { color: red; }</mj-style></mj-head>\n<mj-body>\n<mj-section><mj-column><mj-image src="https://cdn.x.com/spring.jpg" /><mj-image src="https://cdn.x.com/logo.png" alt="" href="https://x.com" /></mj-column></mj-section>\n</mj-body>\n</mjml>';
    const mjml = (s = source) => email({ format: 'mjml', source: s });

    it('adds alt to mj-image', async () => {
      expect((await fixPatch('images.add-alt', mjml(), {}))?.source).toBe(source.replace('spring.jpg" />', 'spring.jpg" alt="Spring" />').replace('alt="" href', 'alt="Logo" href'));
    });

    it('adds lang and dir to <mjml>', async () => {
      expect((await fixPatch('html.add-lang', mjml(), {}))?.source).toBe(source.replace('<mjml>', '<mjml lang="en" dir="ltr">'));
    });

    it('inlines mj-style', async () => {
      expect((await fixPatch('css.inline', mjml(), {}))?.source).toBe(source.replace('<mj-style>', '<mj-style inline="inline">'));
    });

    it('adds a footer section at the end of mj-body', async () => {
      const patched = (await fixPatch('footer.add', mjml(), {}))!.source!;
      expect(patched).toMatch(/<\/mj-section>\n<mj-section><mj-column><mj-text[^>]*>.*unsubscribe_url.*<\/mj-text><\/mj-column><\/mj-section><\/mj-body>\n<\/mjml>$/);
    });
  });

  describe('block documents', () => {
    it('gives linked images without alt a placeholder, also inside columns', async () => {
      const document = doc([
        { id: 'hero', type: 'image', src: 'https://cdn.x.com/hero.jpg', alt: '', href: 'https://x.com', align: 'center' },
        { id: 'cols', type: 'columns', columns: [{ blocks: [{ id: 'left', type: 'image', src: 'https://cdn.x.com/left-cup.jpg', alt: '', href: 'https://x.com/l', align: 'center' }] }, { blocks: [] }] },
        { id: 'deco', type: 'image', src: 'https://cdn.x.com/line.png', alt: '', align: 'center' },
      ]);
      const patched = (await fixPatch('images.add-alt', email({ format: 'blocks', document }), {}))!.document!;
      const blocks = patched.sections[0].blocks;
      expect(blocks[0]).toMatchObject({ alt: 'Hero' });
      expect(blocks[1].type === 'columns' && blocks[1].columns[0].blocks[0]).toMatchObject({ alt: 'Left cup' });
      expect(blocks[2]).toMatchObject({ alt: '' });
      expect(document.sections[0].blocks[0]).toMatchObject({ alt: '' }); // the input is not changed
    });

    it('appends a footer block unless there is one', async () => {
      const document = doc([{ id: 't', type: 'text', text: 'Hello', align: 'left' }]);
      const patched = (await fixPatch('footer.add', email({ format: 'blocks', document }), {}))!.document!;
      expect(patched.sections[0].blocks.map((b) => b.type)).toEqual(['text', 'footer']);
      expect(await fixPatch('footer.add', email({ format: 'blocks', document: patched }), {})).toBeNull();
    });
  });

  describe('subject', () => {
    const long = email({ subject: 'Our spring menu is here with cherry blossom lattes and cold brew tonic' });

    it('takes the first Composer suggestion of 50 characters or less', async () => {
      const subjects = async () => [
        { subject: 'A still rather long subject line about the whole spring menu at Acme', preheader: '' },
        { subject: 'Spring menu: blossom lattes are here', preheader: '' },
      ];
      expect(await fixPatch('subject.shorten', long, { subjects })).toEqual({ subject: 'Spring menu: blossom lattes are here' });
    });

    it('needs a Composer and a long subject', async () => {
      expect(await fixPatch('subject.shorten', long, {})).toBeNull();
      expect(await fixPatch('subject.shorten', email({}), { subjects: async () => [{ subject: 'Hi', preheader: '' }] })).toBeNull();
    });
  });

  it('marks the findings a fix can answer for this email', () => {
    const f = (id: string): Finding => ({ id, severity: 'important', message: 'm', fix: 'f', location: {} });
    const findings = [f('images.alt'), f('a11y.lang-dir'), f('subject.length'), f('links.shortener')];
    const blocks = attachAutofixes(findings, { format: 'blocks', subject: 'x'.repeat(60) }, { composer: true });
    expect(blocks.map((x) => x.autofix?.id ?? null)).toEqual(['images.add-alt', null, 'subject.shorten', null]);
    const html = attachAutofixes(findings, { format: 'html', subject: 'Short' }, { composer: true });
    expect(html.map((x) => x.autofix?.id ?? null)).toEqual(['images.add-alt', 'html.add-lang', null, null]);
  });
});
