import { describe, expect, it } from 'vitest';
import { BASELINE, fixtureInput, html } from './fixtures/build.ts';
import { CASES } from './fixtures/cases.ts';
import { CHECKS, MAX_PER_CHECK, runChecks } from './runner.ts';
import type { EmailDocument } from '../emails/model.ts';

const ids = (findings: Array<{ id: string }>) => [...new Set(findings.map((f) => f.id))];

describe('preflight checks (pure, §5.1)', () => {
  it('finds nothing wrong with the clean baseline', async () => {
    expect(await runChecks(await fixtureInput())).toEqual([]);
  });

  it.each(CASES)('$name trips only $check ($severity)', async (c) => {
    const findings = await runChecks(await fixtureInput(c.fixture));
    expect(ids(findings)).toEqual([c.check]);
    expect(findings.map((f) => f.severity)).toContain(c.severity);
    for (const f of findings) {
      expect(f.message.length).toBeGreaterThan(10);
      expect(f.fix.length).toBeGreaterThan(5);
    }
  });

  it('has a fixture for every offline check', () => {
    const covered = new Set(CASES.map((c) => c.check));
    expect(CHECKS.map((c) => c.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it('points a finding at the element: selector and excerpt', async () => {
    const [f] = await runChecks(await fixtureInput(CASES.find((c) => c.check === 'links.shortener')!.fixture));
    expect(f.location.selector).toMatch(/ > a$/);
    expect(f.location.excerpt).toBe('https://bit.ly/3xSpring');
    expect(f.location.persona).toBeUndefined(); // every persona shows it
  });

  it('names the persona when only some personas show a finding', async () => {
    const greeting = CASES.find((c) => c.name.includes('"Hi ,"'))!;
    const [f] = await runChecks(await fixtureInput(greeting.fixture));
    expect(f.location.persona).toBe('missing');
  });

  it('does not take the hostile persona\'s own data for unresolved merge tags', async () => {
    // The hostile recipient's last name is "{{ 7*7 }}": shown as text, it is data, not a leftover tag.
    const hostile = html({ ...BASELINE, content: BASELINE.content + '<p style="font-size:16px;color:#1f2933">Thanks, {{ 7*7 }}!</p>' });
    expect(await runChecks(await fixtureInput({ personaHtml: { hostile } }))).toEqual([]);
  });

  it('reports variables no contact field provides as critical', async () => {
    const findings = await runChecks(await fixtureInput({ unknownVariables: ['contact.frist_name'] }));
    expect(findings).toEqual([expect.objectContaining({ id: 'personalization.merge-tags', severity: 'critical', message: expect.stringContaining('contact.frist_name') })]);
  });

  it('maps findings back to the document block by what it links to', async () => {
    const c = CASES.find((x) => x.check === 'links.shortener')!;
    const input = await fixtureInput(c.fixture);
    const document: EmailDocument = {
      theme: { primary: '#1d4ed8', text: '#1f2933', background: '#f3f4f6', contentBackground: '#ffffff', headingFont: 'Arial', bodyFont: 'Arial', width: 600 },
      sections: [{ id: 's1', padding: 24, blocks: [{ id: 'intro', type: 'text', text: 'Hello', align: 'left' }, { id: 'notes', type: 'text', text: "Read the [roaster's notes](https://bit.ly/3xSpring)", align: 'left' }] }],
    };
    const [f] = await runChecks({ ...input, email: { ...input.email, format: 'blocks', document } });
    expect(f.location.blockId).toBe('notes');
  });

  it('names the block from the marker around the element, even where the block text would point elsewhere', async () => {
    const c = CASES.find((x) => x.check === 'links.shortener')!;
    const input = await fixtureInput(c.fixture);
    const marked = (h: string) => h.replace(/(<a [^>]*href="https:\/\/bit\.ly\/3xSpring")/, '<div class="x tidings-block-second">$1').replace(/(href="https:\/\/bit\.ly\/3xSpring"[^>]*>[^<]*<\/a>)/, '$1</div>');
    const personas = input.personas.map((p) => ({ ...p, message: { ...p.message, html: marked(p.message.html) } }));
    expect(personas[0].message.html).toContain('tidings-block-second');
    // The same link is in two blocks: by content the first would be named.
    const document: EmailDocument = {
      theme: { primary: '#1d4ed8', text: '#1f2933', background: '#f3f4f6', contentBackground: '#ffffff', headingFont: 'Arial', bodyFont: 'Arial', width: 600 },
      sections: [{ id: 's1', padding: 24, blocks: [{ id: 'first', type: 'text', text: '[Notes](https://bit.ly/3xSpring)', align: 'left' }, { id: 'second', type: 'text', text: '[Notes](https://bit.ly/3xSpring)', align: 'left' }] }],
    };
    const [f] = await runChecks({ ...input, personas, email: { ...input.email, format: 'blocks', document } });
    expect(f).toMatchObject({ id: 'links.shortener', location: { blockId: 'second' } });
  });

  it('lists at most ten findings per check and says how many more there are', async () => {
    const images = Array.from({ length: 14 }, (_, i) => `<img src="https://cdn.tidings-demo.com/p${i}.jpg" width="100" height="100">`).join('');
    const findings = await runChecks(await fixtureInput({ parts: { content: BASELINE.content + images } }));
    const alt = findings.filter((f) => f.id === 'images.alt');
    expect(alt).toHaveLength(MAX_PER_CHECK);
    expect(alt[MAX_PER_CHECK - 1].message).toContain('(and 4 more like this)');
  });

  it('orders findings by severity', async () => {
    const findings = await runChecks(await fixtureInput({ parts: { preheader: null, subject: 'Re: Our spring menu is here' } }));
    expect(findings.map((f) => f.severity)).toEqual(['critical', 'important']);
  });

  it('skips the unsubscribe and postal-address rules for transactional mail', async () => {
    const footer = '<p style="font-size:13px;color:#4b5563">Questions? Reply to this email.</p>';
    expect(await runChecks(await fixtureInput({ category: 'transactional', headers: null, parts: { footer } }))).toEqual([]);
  });

  describe('hostile content never crashes the checks', () => {
    const hostile: Array<[string, string]> = [
      ['script and handlers', '<html><body><script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a><svg onload=alert(1)></svg></body></html>'],
      ['broken markup', '<html><body><table><tr><td><div><p <b>unclosed <a href="http://[::1">x</a><style>@media {{{ </style><!-- never closed'],
      ['odd CSS and attributes', '<div style="color:;background:url(;font-size:-5em;width:99999999px" a"b=1 ="x">text</div><style>@import url(x); a{color:red</style><x-y:z>tag</x-y:z>'],
      ['nothing at all', ''],
    ];
    it.each(hostile)('%s', async (_name, doc) => {
      const findings = await runChecks(await fixtureInput({ html: doc }));
      expect(findings.length).toBeGreaterThan(0);
    });

    it('a 5 MB document', async () => {
      const doc = html({ ...BASELINE, content: BASELINE.content + '<p style="font-size:16px">Lots of words here.</p>'.repeat(110_000) });
      expect(doc.length).toBeGreaterThan(5_000_000);
      const findings = await runChecks(await fixtureInput({ html: doc }));
      expect(findings).toContainEqual(expect.objectContaining({ id: 'size.gmail-clip', severity: 'critical' }));
    }, 60_000);

    it('reports script and javascript: URLs as critical', async () => {
      const findings = await runChecks(await fixtureInput({ html: hostile[0][1] }));
      const forbidden = findings.filter((f) => f.id === 'html.forbidden' && f.severity === 'critical');
      expect(forbidden.map((f) => f.message).join('\n')).toMatch(/<script>[\s\S]*onerror[\s\S]*javascript:/);
    });
  });

  it('reports active content that compiling stripped from the source', async () => {
    const source = '<html><body><p>Watch the video</p><iframe src="https://video.tidings-demo.com/1"></iframe><a href="#" onclick="track()">x</a></body></html>';
    const findings = await runChecks(await fixtureInput({ source }));
    expect(findings.map((f) => `${f.id} ${f.severity} ${f.location.excerpt}`)).toEqual(['html.forbidden important <iframe src>', 'html.forbidden important <a href onclick>']);
    expect(findings[0].message).toMatch(/^The source has a <iframe>: it was removed/);
  });
});
