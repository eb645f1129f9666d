import { describe, expect, it } from 'vitest';
import { compileEmail, unknownVariables } from '../../emails/compile.ts';
import { EmailDocument } from '../../emails/model.ts';
import { Brief } from '../model.ts';
import { draftIssues, PREHEADER_MAX, PREHEADER_MIN, SUBJECT_MAX, textsOf } from '../rules.ts';
import { FIXTURE_BRIEFS } from './briefs.fixture.ts';
import { composeEmail } from './compose.ts';
import { kindOf } from './layouts.ts';
import { blocksOf } from './read.ts';

/** Every fixture brief must give an email a marketer could send as it is. */
describe.each(FIXTURE_BRIEFS)('built-in composer: $label', ({ brief, brand }) => {
  const draft = composeEmail(Brief.parse(brief), brand);
  const blocks = blocksOf(draft.document.sections);
  const texts = blocks.flatMap((b) => textsOf(b).map(([, t]) => t));

  it('is a valid document with inbox-ready subject and preheader', () => {
    expect(EmailDocument.safeParse(draft.document).error?.issues).toBeUndefined();
    expect(draftIssues(draft)).toEqual([]);
    expect(draft.subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(draft.preheader.length).toBeGreaterThanOrEqual(PREHEADER_MIN);
    expect(draft.preheader.length).toBeLessThanOrEqual(PREHEADER_MAX);
    expect(draft.preheader).not.toBe(draft.subject);
  });

  it('has one headline, a greeting with a merge tag, a real call to action and the footer last', () => {
    expect(blocks.filter((b) => b.type === 'heading' && b.level === 1)).toHaveLength(1);
    expect(texts.some((t) => /\{\{ contact\.first_name \| default: "[^"]+" \}\}/.test(t))).toBe(true);
    const buttons = blocks.filter((b) => b.type === 'button');
    expect(buttons.length).toBeGreaterThan(0);
    for (const b of buttons) {
      expect(b.url).toMatch(/^https:\/\/[a-z.]+\.(?:com|studio)\/?|^\{\{ view_in_browser_url \}\}$/);
      expect(b.text).not.toMatch(/click here|read more/i);
    }
    expect(draft.document.sections.at(-1)!.blocks.at(-1)!.type).toBe('footer');
  });

  it('leaves no placeholder other than Liquid merge tags, and repeats no section', () => {
    for (const t of [draft.subject, draft.preheader, ...texts]) {
      expect(t.replace(/\{\{[^}]*\}\}/g, ''), t).not.toMatch(/[{}]|undefined|null|\[object/);
      expect(t.trim(), 'empty text').not.toBe('');
    }
    const kinds = draft.document.sections.map((s) => kindOf(s.id));
    expect(kinds).not.toContain(null);
    expect(new Set(kinds).size).toBe(kinds.length);
  });

  it('is written in the brief’s language (or English, with a note saying why)', () => {
    const wanted = brief.language ?? brand.defaultLanguage;
    if (['en', 'de', 'fr', 'es'].includes(wanted.split('-')[0])) expect(draft.language).toBe(wanted);
    else expect([draft.language, draft.notes?.some((n) => n.includes(`"${wanted}"`))]).toEqual(['en', true]);
  });

  it('is the same email every time for the same brief', () => {
    expect(composeEmail(Brief.parse(brief), brand)).toEqual(draft);
  });

  it('compiles to HTML using only variables every recipient has', async () => {
    const compiled = await compileEmail({
      email: { id: 'eml_fixture', version: 1, category: draft.category, language: draft.language, subject: draft.subject, preheader: draft.preheader, fromName: brand.fromName, fromEmail: brand.fromEmail, replyTo: null, format: 'blocks', document: draft.document, source: null },
      brand,
    });
    expect(unknownVariables(compiled, [])).toEqual([]);
    expect(compiled.html).toContain(`lang="${draft.language}"`);
  });
});

describe('built-in composer: the fixture', () => {
  it('covers every purpose, tone, length and language it writes, with and without offers', () => {
    const briefs = FIXTURE_BRIEFS.map((f) => ({ ...Brief.parse(f.brief), draft: composeEmail(Brief.parse(f.brief), f.brand) }));
    expect(FIXTURE_BRIEFS.length).toBeGreaterThanOrEqual(20);
    const purposes = new Set(briefs.map((b) => b.draft.name.split(':')[0]));
    expect(purposes.size).toBe(7);
    expect(new Set(briefs.map((b) => b.tone).filter(Boolean)).size).toBe(7);
    expect(new Set(briefs.map((b) => b.length))).toEqual(new Set(['short', 'medium', 'long']));
    expect(new Set(briefs.map((b) => b.draft.language.split('-')[0]))).toEqual(new Set(['en', 'de', 'fr', 'es']));
    expect(briefs.some((b) => b.draft.document.sections.some((s) => s.id === 'offer'))).toBe(true);
    expect(briefs.some((b) => !b.draft.document.sections.some((s) => s.id === 'offer'))).toBe(true);
  });
});
