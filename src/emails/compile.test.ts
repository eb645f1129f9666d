import { describe, expect, it } from 'vitest';
import * as cheerio from 'cheerio';
import type { Brand } from '../brands/model.ts';
import { DomainError } from '../shared/errors.ts';
import { compileEmail, unknownVariables, type CompileInput } from './compile.ts';
import { EmailDocument, type Block } from './model.ts';
import { prepareMessage } from './render.ts';

const BRAND: Brand = {
  id: 'brd_test',
  name: 'Acme Outfitters',
  colors: { primary: '#2f6fed', secondary: '#14b8a6', text: '#1f2933', background: '#ffffff', accent: '#f59e0b' },
  headingFont: 'Georgia, serif',
  bodyFont: 'Arial, sans-serif',
  logoUrl: null,
  voice: '',
  fromName: 'Acme',
  fromEmail: 'news@acme.example',
  replyTo: null,
  postalAddress: '1 Harbour Street\nPortsmouth PO1 2AB',
  defaultLanguage: 'en',
  timeZone: 'Europe/London',
  knowledge: '',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const THEME = { primary: '#2f6fed', text: '#1f2933', background: '#f3f4f6', contentBackground: '#ffffff', headingFont: 'Georgia, serif', bodyFont: 'Arial, sans-serif', width: 600 };

function input(email: Partial<CompileInput['email']>): CompileInput {
  return {
    brand: BRAND,
    email: {
      id: 'eml_test',
      version: 3,
      category: 'marketing',
      language: 'en',
      subject: 'Hello {{ contact.first_name | default: "friend" }}',
      preheader: 'Our spring picks',
      fromName: 'Acme',
      fromEmail: 'news@acme.example',
      replyTo: null,
      format: 'blocks',
      document: null,
      source: null,
      ...email,
    },
  };
}

const blocks = (...list: Block[]) => ({ format: 'blocks' as const, document: EmailDocument.parse({ theme: THEME, sections: [{ id: 's1', blocks: list }] }) });
const html = (source: string) => ({ format: 'html' as const, source });
const mjml = (source: string) => ({ format: 'mjml' as const, source });

const HEADING: Block = { id: 'h', type: 'heading', text: 'Hi {{ contact.first_name | default: "there" }} & welcome', level: 1, align: 'left' };
const BUTTON: Block = { id: 'b', type: 'button', text: 'Shop', url: 'https://shop.example.com/?e={{contact.email|url_encode}}', align: 'center' };

async function validationIssues(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  expect((err as DomainError).code).toBe('validation_failed');
  return ((err as DomainError).details as { issues: Array<{ field: string; message: string }> }).issues;
}

describe('compileEmail: the parts every email gets', () => {
  it('sets lang/dir on <html> and the content wrapper, the title and a padded hidden preheader right after <body>', async () => {
    const c = await compileEmail(input({ ...blocks(HEADING), language: 'ar' }));
    const $ = cheerio.load(c.html);
    expect($('html').attr('lang')).toBe('ar');
    expect($('html').attr('dir')).toBe('rtl');
    expect($('body > [role="article"]').attr('lang')).toBe('ar');
    expect($('body > [role="article"]').attr('dir')).toBe('rtl');
    expect($('title').text()).toBe('Hello {{ contact.first_name | default: "friend" }}');
    const preheader = $('body').children().first();
    expect(preheader.attr('style')).toMatch(/display:none/);
    expect(preheader.text()).toMatch(/^Our spring picks(\u200c\u00a0)+$/);
    expect($('body').find('[style*="display:none"]').length).toBe(1); // MJML's own mj-preview was replaced, not doubled
    expect(c.text).not.toContain('Our spring picks');
    expect(c.text).not.toMatch(/\u200c/);
  });

  it('adds the postal address and unsubscribe/preferences links into the footer block of a marketing email', async () => {
    const c = await compileEmail(input(blocks(HEADING, { id: 'f', type: 'footer', text: 'Why you get this.' })));
    const $ = cheerio.load(c.html);
    const footer = $('[data-tidings-footer]');
    expect(footer.text()).toContain('Why you get this.');
    expect(footer.text()).toContain('{{ brand.postal_address }}');
    expect(footer.find('a[href="{{ unsubscribe_url }}"]').text()).toBe('Unsubscribe');
    expect(footer.find('a[href="{{ preferences_url }}"]').text()).toBe('Manage preferences');
    expect(c.text).toContain('Unsubscribe ({{ unsubscribe_url }})');
    expect(c.text).toContain('Manage preferences ({{ preferences_url }})');
    expect(c.variables).toEqual(expect.arrayContaining(['brand.postal_address', 'unsubscribe_url', 'preferences_url', 'contact.first_name']));
  });

  it('appends a footer when the document has none, and gives transactional mail the address without unsubscribe links', async () => {
    const marketing = cheerio.load((await compileEmail(input(blocks(HEADING)))).html);
    expect(marketing('body > [role="article"] > table:last-child a[href="{{ unsubscribe_url }}"]').length).toBe(1);
    const transactional = await compileEmail(input({ ...blocks(HEADING), category: 'transactional' }));
    expect(transactional.html).toContain('{{ brand.postal_address }}');
    expect(transactional.html).not.toContain('unsubscribe_url');
    expect(transactional.links).toEqual([]);
  });

  it('keeps an imported email’s own unsubscribe link and only adds the postal address when it is missing', async () => {
    const own = await compileEmail(input(html('<p>Hi</p><a href="https://acme.example/unsubscribe?u={{ contact.email }}">Leave</a>')));
    expect(own.html).not.toContain('{{ unsubscribe_url }}');
    expect(own.html).toContain('{{ brand.postal_address }}');
    const withAddress = await compileEmail(input(html('<p>Hi</p><p>1 Harbour Street, Portsmouth PO1 2AB</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>')));
    expect(withAddress.html).not.toContain('{{ brand.postal_address }}');
    expect(withAddress.links).toEqual(['{{ unsubscribe_url }}']);
  });

  it('lists every href in document order and every variable referenced', async () => {
    const c = await compileEmail(input(blocks(HEADING, BUTTON, { id: 'i', type: 'image', src: 'https://cdn.example.com/a.png', alt: 'A', href: '{{ view_in_browser_url }}', align: 'center' })));
    expect(c.links).toEqual(['https://shop.example.com/?e={{contact.email|url_encode}}', '{{ view_in_browser_url }}', '{{ unsubscribe_url }}', '{{ preferences_url }}']);
    expect(c.variables).toEqual(['contact.first_name', 'contact.email', 'view_in_browser_url', 'brand.postal_address', 'unsubscribe_url', 'preferences_url']);
    expect(c).toMatchObject({ emailId: 'eml_test', version: 3, category: 'marketing', from: { name: 'Acme', email: 'news@acme.example' }, subject: input({}).email.subject });
  });

  it('keeps merge tags intact through MJML, the HTML rewrite and the text part (quotes included)', async () => {
    const c = await compileEmail(input(blocks(HEADING, BUTTON)));
    const $ = cheerio.load(c.html);
    expect($('h1').text()).toBe('Hi {{ contact.first_name | default: "there" }} & welcome');
    expect($('a').first().attr('href')).toBe('https://shop.example.com/?e={{contact.email|url_encode}}');
    expect(c.text).toContain('Hi {{ contact.first_name | default: "there" }} & welcome');
    expect(c.text).toContain('Shop (https://shop.example.com/?e={{contact.email|url_encode}})');
  });
});

describe('compileEmail: imported HTML', () => {
  it('inlines CSS but keeps media queries in <style>, and merge tags through it all', async () => {
    const source = `<html><head><style>.x { color: #ff0000; } @media (max-width: 600px) { .x { color: #0000ff; } }</style></head>
      <body><p class="x">Hi {{ contact.first_name | default: "you" }}</p><a class="x" href="https://e.example/?n={{ contact.first_name | default: &quot;a b&quot; | url_encode }}">Go</a></body></html>`;
    const c = await compileEmail(input(html(source)));
    const $ = cheerio.load(c.html);
    expect($('p.x').attr('style')).toMatch(/color: ?#ff0000/);
    expect($('style').text()).toContain('@media (max-width: 600px)');
    expect($('p.x').text()).toBe('Hi {{ contact.first_name | default: "you" }}');
    expect(c.links[0]).toBe('https://e.example/?n={{ contact.first_name | default: "a b" | url_encode }}');
  });

  it('strips scripts, handlers, javascript: URLs and merge tags in attribute names from the output', async () => {
    const hostile = `<html><body onload="x()"><script>alert(1)</script><iframe src="https://e.com"></iframe>
      <a href="javascript:alert(1)">a</a><a href=" jav&#x09;ascript:alert(1)">b</a><a href="https://ok.example/" onclick="steal()">c</a>
      <img src="x" onerror="alert(1)"><a href="data:text/html;base64,PHNjcmlwdD4=">d</a><p {{ contact.attr }}>e</p>
      <div style="background:url(javascript:alert(1))">f</div></body></html>`;
    const c = await compileEmail(input(html(hostile)));
    const $ = cheerio.load(c.html);
    expect($('script, iframe').length).toBe(0);
    expect(c.html).not.toMatch(/onload|onclick|onerror|javascript:|data:text/i);
    expect($('a[href="https://ok.example/"]').text()).toBe('c');
    expect(c.html).not.toContain('contact.attr');
  });

  it('copes with broken HTML', async () => {
    const c = await compileEmail(input(html('<div><p>unclosed <b>bold <table><tr><td>cell</div></body></html><<<>>>&&& </p></td>')));
    const $ = cheerio.load(c.html);
    expect($('td').first().text()).toBe('cell');
    expect($('title').text()).toContain('Hello');
  });

  it('compiles a 5 MB email with thousands of links and merge tags', async () => {
    const row = '<tr><td class="c"><p>Lorem <b>ipsum</b> {{ contact.first_name }} <a href="https://x.example/a?b=1&amp;c=2">link</a></p></td></tr>\n';
    const source = `<html><head><style>.c { padding: 4px; }</style></head><body><table>${row.repeat(Math.ceil(5_000_000 / row.length))}</table></body></html>`;
    const c = await compileEmail(input(html(source)));
    expect(c.links.length).toBeGreaterThan(30_000);
    expect(c.links[0]).toBe('https://x.example/a?b=1&c=2');
    expect(c.variables).toEqual(['contact.first_name', 'brand.postal_address', 'unsubscribe_url', 'preferences_url']);
    const m = prepareMessage(c).render({ email: 'a@example.com', contact: { first_name: 'Ada' } }, { tracking: true, baseUrl: 'https://t.example', secret: 's', brand: BRAND });
    expect(m.html.split('https://t.example/t/c/').length - 1).toBe(c.links.length - 2);
  }, 120_000);

  it('reports a merge tag that is not closed, naming the field', async () => {
    expect(await validationIssues(compileEmail(input(html('<p>Hi {{ contact.first_name</p>'))))).toEqual([{ field: 'source', message: 'merge tags: "{{ contact.first_name</p>" is not closed' }]);
    const issues = await validationIssues(compileEmail(input({ ...html('<p>Hi</p>'), subject: 'Hi {{ contact.first_name | nosuchfilter }}' })));
    expect(issues[0].field).toBe('subject');
    expect(issues[0].message).toMatch(/undefined filter: nosuchfilter/);
  });

  it('reports unbalanced Liquid blocks', async () => {
    expect(await validationIssues(compileEmail(input(html('<p>{% if contact.vip %}VIP</p>'))))).toEqual([{ field: 'source', message: 'merge tags: tag {% if contact.vip %} not closed' }]);
    expect(await validationIssues(compileEmail(input(html('<p>VIP{% endif %}</p>'))))).toEqual([{ field: 'source', message: 'merge tags: tag "endif" not found' }]);
  });

  it('refuses the raw filter, which would switch output escaping off, and partials, which do not exist', async () => {
    const issues = await validationIssues(compileEmail(input(html('<p>{{ contact.bio | raw }}</p>'))));
    expect(issues[0].message).toMatch(/undefined filter: raw/);
    for (const tag of ['include', 'render', 'layout']) {
      const [issue] = await validationIssues(compileEmail(input(html(`<p>{% ${tag} 'footer' %}</p>`))));
      expect(issue.message).toContain(`tag "${tag}" not found`);
    }
  });

  it('leaves hidden elements out of the text part', async () => {
    const c = await compileEmail(input(html('<style>.h { display: none }</style><p>Shown</p><div class="h">Inlined hidden</div><div style="display:none">Hidden</div>')));
    expect(c.text).toContain('Shown');
    expect(c.text).not.toMatch(/hidden/i);
  });
});

describe('compileEmail: MJML source', () => {
  it('compiles valid MJML', async () => {
    const c = await compileEmail(input(mjml('<mjml><mj-body><mj-section><mj-column><mj-text>Hi {{ contact.first_name }}</mj-text></mj-column></mj-section></mj-body></mjml>')));
    expect(cheerio.load(c.html)('[role="article"]').text()).toContain('Hi {{ contact.first_name }}');
  });

  it('rejects invalid MJML in strict mode, naming line and tag', async () => {
    const source = '<mjml>\n<mj-body>\n<mj-section>\n<mj-text>x</mj-text>\n<mj-column foo="bar"></mj-column>\n</mj-section>\n</mj-body>\n</mjml>';
    const issues = await validationIssues(compileEmail(input(mjml(source))));
    expect(issues).toEqual([
      { field: 'source', message: expect.stringMatching(/^line 4: <mj-text> mj-text cannot be used inside mj-section/) },
      { field: 'source', message: 'line 5: <mj-column> Attribute foo is illegal' },
    ]);
    expect(await validationIssues(compileEmail(input(mjml('not mjml at all'))))).toEqual([{ field: 'source', message: expect.stringMatching(/^is not valid MJML/) }]);
  });

  it('never follows mj-include', async () => {
    const source = '<mjml><mj-body><mj-include path="/etc/passwd" /><mj-section><mj-column><mj-text>x</mj-text></mj-column></mj-section></mj-body></mjml>';
    const outcome = await compileEmail(input(mjml(source))).then(
      (r) => r.html,
      (e: DomainError) => e.message,
    );
    expect(outcome).not.toContain('root:');
  });
});

describe('unknownVariables', () => {
  it('names variables no recipient can fill', async () => {
    const source = `<p>{{ contact.first_name }} {{ contact.plan }} {{ contact.nope }} {{ brand.name }} {{ brand.secret }} {{ coupon }} {% assign x = 1 %}{{ x }} {{ current_year }}
      {% for item in contact.orders %}{{ item.total }}{% endfor %} {{ item.stray }}</p>`;
    const c = await compileEmail(input(html(source)));
    expect(unknownVariables(c, ['plan', 'orders'])).toEqual(['contact.nope', 'brand.secret', 'coupon', 'item.stray']);
  });
});
