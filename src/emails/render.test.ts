import { describe, expect, it } from 'vitest';
import * as cheerio from 'cheerio';
import { Liquid } from 'liquidjs';
import type { Contact } from '../audience/model.ts';
import type { Brand } from '../brands/model.ts';
import { verifyLink, verifyMessage } from '../tracking/tokens.ts';
import { compileEmail, type CompileInput } from './compile.ts';
import { EmailDocument, type Block, type RecipientData } from './model.ts';
import { sampleRecipient, HOSTILE_VALUES } from './personas.ts';
import { prepareMessage, recipientFromContact, type RenderContext } from './render.ts';

const BRAND: Brand = {
  id: 'brd_test',
  name: 'Acme & Sons',
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
const SECRET = 'render-test-secret';
const BASE = 'https://mail.acme.example';
const OFF: RenderContext = { tracking: false, baseUrl: BASE, secret: SECRET, brand: BRAND };
const ON: RenderContext = { ...OFF, tracking: true };

const BLOCKS: Block[] = [
  { id: 'h', type: 'heading', text: 'Hi {{ contact.first_name | default: "there" }}', level: 1, align: 'left' },
  { id: 't', type: 'text', text: 'Your plan: {{ contact.plan | default: "free" | upcase }}. [Read more](https://blog.acme.example/spring) or [write to us](mailto:help@acme.example).', align: 'left' },
  { id: 'b', type: 'button', text: 'Shop', url: 'https://shop.acme.example/?e={{contact.email|url_encode}}', align: 'center' },
  { id: 'v', type: 'text', text: '[View online]({{ view_in_browser_url }}) © {{ current_year }} {{ brand.name }}', align: 'left' },
  { id: 'f', type: 'footer', text: '' },
];

function input(email: Partial<CompileInput['email']> = {}): CompileInput {
  return {
    brand: BRAND,
    email: {
      id: 'eml_test',
      version: 2,
      category: 'marketing',
      language: 'en',
      subject: 'Hello {{ contact.first_name | default: "friend" }}',
      preheader: 'For {{ contact.first_name }}',
      fromName: 'Acme',
      fromEmail: 'news@acme.example',
      replyTo: 'help@acme.example',
      format: 'blocks',
      document: EmailDocument.parse({ theme: THEME, sections: [{ id: 's1', blocks: BLOCKS }] }),
      source: null,
      ...email,
    },
  };
}

const prepare = async (email: Partial<CompileInput['email']> = {}) => prepareMessage(await compileEmail(input(email)));

const ADA: RecipientData = {
  contactId: 'ctc_ada',
  messageId: 'msg_1',
  email: 'ada@example.com',
  contact: { email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace', plan: 'pro' },
};

describe('render: merge tags', () => {
  it('fills merge tags in subject, HTML and text, with default fallbacks', async () => {
    const p = await prepare();
    const full = p.render(ADA, OFF);
    expect(full.subject).toBe('Hello Ada');
    expect(cheerio.load(full.html)('h1').text()).toBe('Hi Ada');
    expect(full.text).toContain('Your plan: PRO.');
    expect(full.text).toContain(`© ${new Date().getUTCFullYear()} Acme & Sons`);
    expect(cheerio.load(full.html)('body').children().first().text()).toMatch(/^For Ada\u200c/);
    const bare = p.render({ email: 'x@example.com', contact: {} }, OFF);
    expect(bare.subject).toBe('Hello friend');
    expect(cheerio.load(bare.html)('h1').text()).toBe('Hi there');
    expect(bare.text).toContain('Your plan: FREE.');
  });

  it('gives the recipient and sender fields of the message', async () => {
    const m = (await prepare()).render(ADA, OFF);
    expect(m).toMatchObject({ to: 'ada@example.com', from: { name: 'Acme', email: 'news@acme.example' }, replyTo: 'help@acme.example' });
  });

  it('puts the brand postal address on one line', async () => {
    const m = (await prepare()).render(ADA, OFF);
    expect(cheerio.load(m.html)('[data-tidings-footer]').text()).toContain('1 Harbour Street, Portsmouth PO1 2AB');
  });

  it('renders merge values in URLs, URL-encoded where the template says so', async () => {
    const m = (await prepare()).render({ ...ADA, contact: { ...ADA.contact, email: 'a+b@example.com' } }, OFF);
    expect(cheerio.load(m.html)('a:contains("Shop")').attr('href')).toBe('https://shop.acme.example/?e=a%2Bb%40example.com');
    expect(m.text).toContain('Shop (https://shop.acme.example/?e=a%2Bb%40example.com)');
  });

  it('fills merge tags written with spaces and quoted defaults inside button URLs', async () => {
    const blocks: Block[] = [
      { id: 'b', type: 'button', text: 'Shop', url: 'https://x.test/{{ contact.country | default: "gb" | downcase }}/?e={{ contact.email }}', align: 'center' },
      { id: 'w', type: 'button', text: 'Web version', url: '{{ view_in_browser_url }}', align: 'center' },
      { id: 'f', type: 'footer', text: '' },
    ];
    const p = await prepare({ document: EmailDocument.parse({ theme: THEME, sections: [{ id: 's1', blocks }] }) });
    const $ = cheerio.load(p.render({ ...ADA, contact: { ...ADA.contact, country: 'FR' } }, OFF).html);
    expect($('a:contains("Shop")').attr('href')).toBe('https://x.test/fr/?e=ada@example.com');
    expect($('a:contains("Web version")').attr('href')).toMatch(new RegExp(`^${BASE}/v/[\\w-]+\\.[\\w-]+$`));
    expect(cheerio.load(p.render(ADA, OFF).html)('a:contains("Shop")').attr('href')).toBe('https://x.test/gb/?e=ada@example.com');
  });

  it('gives the same output through liquidjs when control tags force the general path', async () => {
    const source = `<p>{% if contact.first_name %}Hi {{ contact.first_name }}{% else %}Hello{% endif %}</p>
      {% if contact.plan == "pro" %}<a href="https://acme.example/pro?n={{ contact.first_name }}">Pro</a>{% endif %}
      {% assign greeting = "Yo" %}<p>{{ greeting }} {{ contact.first_name | default: "you" }}</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>`;
    const p = prepareMessage(await compileEmail(input({ format: 'html', source, document: null })));
    const $ = cheerio.load(p.render(ADA, OFF).html);
    expect($('p').first().text()).toBe('Hi Ada');
    expect($('a:contains("Pro")').attr('href')).toBe('https://acme.example/pro?n=Ada');
    expect($('p').eq(1).text()).toBe('Yo Ada');
    expect($('a:contains("Unsubscribe")').attr('href')).toMatch(new RegExp(`^${BASE}/u/`));
    const other = cheerio.load(p.render({ email: 'b@example.com', contact: { plan: 'free' } }, OFF).html);
    expect(other('p').first().text()).toBe('Hello');
    expect(other('a:contains("Pro")').length).toBe(0);
  });

  it('reads merge values exactly as liquidjs does, special names and odd data included', async () => {
    const tags = ['contact.tags.size', 'contact.tags.first', 'contact.tags.last', 'contact.first_name.size', 'contact.address.city', 'contact.address.size', 'contact.constructor', 'contact.missing.deep', 'contact.score', 'contact.vip', 'contact.nothing', 'brand.name', 'nothing.at.all'];
    const source = `<p>${tags.map((t) => `[{{ ${t} }}]`).join('')}</p>`;
    const contact = { first_name: 'Ada', tags: ['a', 'b'], address: { city: 'Paris', size: 'XL' }, score: 41.5, vip: true, nothing: null };
    const p = prepareMessage(await compileEmail(input({ format: 'html', source, document: null, category: 'transactional' })));
    const fast = cheerio.load(p.render({ email: 'a@example.com', contact }, OFF).html)('p');
    const liquid = new Liquid({ ownPropertyOnly: true, outputEscape: 'escape' });
    expect(fast.html()).toBe(liquid.parseAndRenderSync(source.replace(/<\/?p>/g, ''), { contact: { email: 'a@example.com', ...contact }, brand: { name: BRAND.name } }));
    expect(fast.text()).toBe('[2][a][b][3][Paris][XL][][][41.5][true][][Acme & Sons][]');
  });

  it('evaluates expressions outside the fast path through liquidjs', async () => {
    const source = '<p>{{ contact.tags | join: ", " }}|{{ contact.first_name | append: "!" | prepend: contact.last_name }}|{{ contact.score | plus: 1 }}</p><p>{{ "Hello" | upcase }}</p>';
    const p = prepareMessage(await compileEmail(input({ format: 'html', source, document: null, category: 'transactional' })));
    const $ = cheerio.load(p.render({ email: 'a@example.com', contact: { tags: ['a', 'b'], first_name: 'Ada', last_name: 'L.', score: 41 } }, OFF).html);
    expect($('p').first().text()).toBe('a, b|L.Ada!|42');
    expect($('p').eq(1).text()).toBe('HELLO');
  });
});

describe('render: hostile data stays text', () => {
  it('escapes every hostile persona value and never runs merge tags inside values', async () => {
    const source = `<p id="n">{{ contact.first_name }} {{ contact.last_name }}</p><p id="f">{{ contact.full_name }}</p><p id="c">{{ contact.country }}</p>
      <img alt="{{ contact.last_name }}" src="https://cdn.acme.example/a.png"><a id="w" href="{{ contact.website }}">site</a><a id="x" href="https://acme.example/?n={{ contact.last_name | url_encode }}">x</a>`;
    const p = prepareMessage(await compileEmail(input({ format: 'html', source, document: null, subject: 'Hi {{ contact.time_zone }} {{ contact.first_name }}' })));
    const m = p.render(sampleRecipient(null, 'hostile'), ON);
    const $ = cheerio.load(m.html);
    expect($('script').length).toBe(0);
    expect($('img').length).toBe(2); // the image and the open pixel: no injected <img onerror>
    expect($('[onerror], [onload]').length).toBe(0);
    expect($('#n').text()).toBe(`${HOSTILE_VALUES.first_name} ${HOSTILE_VALUES.last_name}`);
    expect($('#f').text()).toBe(HOSTILE_VALUES.full_name); // {{ 7*7 }} and {% raw %} printed, not evaluated
    expect($('#c').text()).toBe('GB'); // bidi override characters removed
    expect($('img').first().attr('alt')).toBe(HOSTILE_VALUES.last_name);
    expect($('#w').attr('href')).toBe('#'); // a merge value cannot make a javascript: link
    expect(verifyLink(SECRET, $('#x').attr('href')!.slice(`${BASE}/t/l/`.length))).toMatchObject({ url: `https://acme.example/?n=${encodeURIComponent(HOSTILE_VALUES.last_name).replace(/%20/g, '+')}` });
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect(m.subject).toContain('Bcc: victim@example.com <script>');
  });

  it('renders the three personas of any email without error', async () => {
    const p = await prepare();
    const contact: Contact = {
      id: 'ctc_real',
      email: 'real@example.com',
      firstName: 'Grace',
      lastName: 'Hopper',
      phone: null,
      country: 'US',
      language: 'en',
      timeZone: null,
      status: 'subscribed',
      consentSource: null,
      consentAt: null,
      validation: 'valid',
      validationReason: null,
      fields: { plan: 'team' },
      tags: [],
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    expect(p.render(sampleRecipient(contact, 'full'), OFF).subject).toBe('Hello Grace');
    expect(p.render(sampleRecipient(null, 'full'), OFF).subject).toBe('Hello Ada');
    expect(p.render(sampleRecipient(contact, 'missing'), OFF).subject).toBe('Hello friend');
    const hostile = p.render(sampleRecipient(contact, 'hostile'), OFF);
    expect(cheerio.load(hostile.html)('h1').text()).toBe(`Hi ${HOSTILE_VALUES.first_name}`);
    expect(hostile.text).toContain(`Your plan: ${HOSTILE_VALUES.last_name.toUpperCase()}.`);
  });
});

describe('render: links, tracking and unsubscribe', () => {
  it('rewrites static links to the message click URL with the link index, personalised ones to a signed link URL', async () => {
    const p = await prepare();
    const m = p.render(ADA, ON);
    const $ = cheerio.load(m.html);
    const hrefs = $('a[href^="https://mail.acme.example/t/"]').toArray().map((a) => $(a).attr('href')!);
    expect(hrefs).toHaveLength(2);
    const [, messageToken, index] = /\/t\/c\/([\w.-]+)\/(\d+)$/.exec(hrefs[0])!;
    expect(index).toBe('0'); // the click endpoint looks link 0 up in the email version
    expect(verifyMessage(SECRET, messageToken)).toEqual({ messageId: 'msg_1', contactId: 'ctc_ada', sourceId: '', emailId: 'eml_test', version: 2 });
    expect(verifyLink(SECRET, hrefs[1].slice(`${BASE}/t/l/`.length))).toEqual({
      messageId: 'msg_1', contactId: 'ctc_ada', sourceId: '', emailId: 'eml_test', version: 2, link: 2, url: 'https://shop.acme.example/?e=ada%40example.com',
    });
    expect($('a[href="mailto:help@acme.example"]').length).toBe(1);
    const own = ['u', 'p', 'v'].map((k) => $(`a[href^="${BASE}/${k}/"]`).length);
    expect(own).toEqual([1, 1, 1]); // unsubscribe, preferences and view in browser are never click-tracked
    expect(m.text).toContain(`Read more (${BASE}/t/c/${messageToken}/0)`);
    expect(m.text).toContain('write to us (help@acme.example)');
  });

  it('uses one message token for every endpoint of a message, and another for another recipient', async () => {
    const p = await prepare();
    const tokens = (r: RecipientData) => {
      const m = p.render(r, ON);
      return new Set([...m.html.matchAll(/mail\.acme\.example\/(?:t\/o|t\/c|u|p|v)\/([\w-]+\.[\w-]+)/g)].map((x) => x[1]));
    };
    const ada = tokens(ADA);
    expect(ada.size).toBe(1);
    const grace = tokens({ ...ADA, contactId: 'ctc_grace', messageId: 'msg_2' });
    expect(grace.size).toBe(1);
    expect([...grace][0]).not.toBe([...ada][0]);
  });

  it('carries the campaign as the source and an empty message id for previews', async () => {
    const p = await prepare();
    const token = (m: { html: string }) => /\/t\/o\/([\w.-]+)"/.exec(m.html)![1];
    expect(verifyMessage(SECRET, token(p.render({ ...ADA, campaignId: 'cmp_1' }, ON)))).toMatchObject({ messageId: 'msg_1', sourceId: 'cmp_1' });
    const preview = p.render(sampleRecipient(null, 'full'), ON);
    expect(verifyMessage(SECRET, token(preview))).toMatchObject({ messageId: '', emailId: 'eml_test', version: 2 });
  });

  it('leaves links to its own base URL and overlong personalised URLs untracked', async () => {
    const source = `<a id="own" href="${BASE}/pages/about">own</a><a id="long" href="https://acme.example/?q={{ contact.note }}">long</a>`;
    const p = prepareMessage(await compileEmail(input({ format: 'html', source, document: null, category: 'transactional' })));
    const $ = cheerio.load(p.render({ ...ADA, contact: { note: 'x'.repeat(2_100) } }, ON).html);
    expect($('#own').attr('href')).toBe(`${BASE}/pages/about`);
    expect($('#long').attr('href')).toBe(`https://acme.example/?q=${'x'.repeat(2_100)}`);
  });

  it('adds the open pixel before </body> only with tracking', async () => {
    const p = await prepare();
    const tracked = p.render(ADA, ON).html;
    expect(tracked).toMatch(new RegExp(`<img src="${BASE}/t/o/[\\w.-]+" width="1" height="1" alt="" style="display:block;border:0"></body>`));
    const token = /\/t\/o\/([\w.-]+)"/.exec(tracked)![1];
    expect(verifyMessage(SECRET, token)).toEqual({ messageId: 'msg_1', contactId: 'ctc_ada', sourceId: '', emailId: 'eml_test', version: 2 });
    const plain = p.render(ADA, OFF);
    expect(plain.html).not.toContain('/t/o/');
    expect(plain.html).not.toContain('/t/c/');
  });

  it('signs unsubscribe, preferences and view-in-browser URLs that verify without a database', async () => {
    const m = (await prepare()).render(ADA, OFF);
    const $ = cheerio.load(m.html);
    const token = (k: string) => $(`a[href^="${BASE}/${k}/"]`).attr('href')!.slice(`${BASE}/${k}/`.length);
    const claims = { messageId: 'msg_1', contactId: 'ctc_ada', sourceId: '', emailId: 'eml_test', version: 2 };
    for (const k of ['u', 'p', 'v']) expect(verifyMessage(SECRET, token(k)), k).toEqual(claims);
    expect(m.headers['List-Unsubscribe']).toBe(`<${BASE}/u/${token('u')}>`);
  });

  it('sends List-Unsubscribe headers for marketing mail only', async () => {
    const marketing = (await prepare()).render(ADA, OFF);
    expect(marketing.headers).toEqual({ 'List-Unsubscribe': expect.stringMatching(/^<https:\/\/mail\.acme\.example\/u\/[\w.-]+>$/), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    const transactional = (await prepare({ category: 'transactional' })).render(ADA, OFF);
    expect(transactional.headers).toEqual({});
    expect(transactional.html).not.toContain('/u/');
  });

  it('works with a plain-http base URL for local use', async () => {
    const m = (await prepare()).render(ADA, { ...OFF, baseUrl: 'http://localhost:3000/' });
    expect(m.headers['List-Unsubscribe']).toMatch(/^<http:\/\/localhost:3000\/u\/[\w.-]+>$/);
  });

  it('adds a Feedback-ID for campaign sends', async () => {
    const m = (await prepare()).render({ ...ADA, campaignId: 'cmp_1' }, OFF);
    expect(m.headers['Feedback-ID']).toBe('cmp_1:eml_test:brd_test:tidings');
  });
});

describe('recipientFromContact', () => {
  it('maps a contact to snake_case merge data with custom fields, standard names winning', () => {
    const r = recipientFromContact(
      {
        id: 'ctc_1',
        email: 'a@example.com',
        firstName: 'Ada',
        lastName: null,
        phone: null,
        country: 'GB',
        language: null,
        timeZone: null,
        status: 'subscribed',
        consentSource: null,
        consentAt: null,
        validation: 'valid',
        validationReason: null,
        fields: { plan: 'pro', first_name: 'shadowed' },
        tags: [],
        createdAt: '',
        updatedAt: '',
      },
      { messageId: 'msg_1' },
    );
    expect(r).toEqual({
      contactId: 'ctc_1',
      messageId: 'msg_1',
      email: 'a@example.com',
      contact: { plan: 'pro', email: 'a@example.com', first_name: 'Ada', last_name: null, full_name: 'Ada', country: 'GB', language: null, phone: null, time_zone: null },
    });
  });
});
