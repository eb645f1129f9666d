import type { Element } from 'domhandler';
import { clip, isElement, type MessageView } from '../dom.ts';
import { hit, type Check, type Hit } from './check.ts';

const ID = 'personalization.merge-tags';

/**
 * Merge-tag syntaxes (ours and other platforms': Liquid/Handlebars, Mailchimp, Salesforce,
 * template literals, double brackets), plus the stray halves a broken tag leaves behind.
 */
const UNRESOLVED = /\{\{[^{}]{0,100}\}\}|\{%[^%]{0,100}%\}|\*\|[A-Za-z0-9_:]{1,40}\|\*|%%[A-Za-z0-9_=.-]{1,40}%%|\$\{[A-Za-z0-9_.]{1,40}\}|\[\[[A-Za-z0-9_. ]{1,40}\]\]|\{\{|\}\}|\{%|%\}/g;

/** "Hi ," / "Dear !" — a greeting whose name came out empty (the space before the punctuation gives it away). */
const EMPTY_GREETING = /\b(hi|hello|hey|dear|hallo|liebe[rs]?|guten tag|bonjour|salut|hola|ciao|ol[áa]|oi|hej|hoi|beste)\s+[,!.:;]/i;
/** What fallbacks produce and SpamAssassin scores as DEAR_SOMETHING. */
const DEAR_SOMETHING = /\bdear\s+(valued\s+)?(customer|client|sir|madam|sir\s+or\s+madam|friend|member|subscriber|user|reader)\b/i;

const ATTRS = ['alt', 'title', 'aria-label', 'src', 'placeholder', 'value'];

/** The persona's own data is allowed to look like a merge tag (the hostile persona's does, on purpose). */
function withoutRecipientData(text: string, view: MessageView): string {
  const values = [view.recipient.email, ...Object.values(view.recipient.contact).flatMap((v) => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).filter((x) => typeof x === 'string') : []))]
    .filter((v): v is string => typeof v === 'string' && v.length > 0)
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const v of values) out = out.split(v).join(' ');
  return out;
}

interface Place {
  where: string;
  text: string;
  el?: Element;
}

function places(view: MessageView): Place[] {
  const out: Place[] = [
    { where: 'the subject', text: view.message.subject },
    { where: 'the text part', text: view.message.text },
  ];
  for (const r of view.runs) out.push({ where: r.hidden ? 'hidden text' : 'the body', text: r.text, el: r.el });
  for (const el of view.$('[alt], [title], [aria-label], [src], [placeholder], [value]').toArray()) {
    if (!isElement(el)) continue;
    for (const a of ATTRS) if (el.attribs[a]) out.push({ where: `the ${a} of <${el.name}>`, text: el.attribs[a], el });
  }
  return out;
}

/** Check 32 (render part): tokens left unrendered, and greetings whose fallback came out empty. */
export const unresolvedTagsCheck: Check = {
  id: ID,
  scope: 'persona',
  run(view: MessageView): Hit[] {
    const hits: Hit[] = [];
    const seen = new Set<string>();
    const all = places(view);
    for (const p of all) {
      const text = withoutRecipientData(p.text, view);
      for (const m of text.matchAll(UNRESOLVED)) {
        if (seen.has(m[0])) continue;
        seen.add(m[0]);
        hits.push(hit('critical', `"${clip(m[0], 60)}" in ${p.where} was not replaced; recipients will see it as is.`, 'Use a merge tag that exists (with a default, e.g. {{ contact.first_name | default: "there" }}), or remove it.', { el: p.el, excerpt: clip(m[0], 120), locate: m[0] }));
      }
    }
    for (const p of all.filter((x) => x.where === 'the subject' || x.where === 'the body')) {
      // Judged on the text as rendered: the name the persona filled in is exactly what must be there.
      const text = p.text;
      const greeting = EMPTY_GREETING.exec(text)?.[0] ?? DEAR_SOMETHING.exec(text)?.[0];
      if (greeting && !seen.has(greeting)) {
        seen.add(greeting);
        hits.push(hit('important', `${p.where === 'the subject' ? 'The subject' : 'The body'} says "${greeting}": a name merge tag came out empty or fell back to a generic word (spam filters score "Dear customer").`, 'Give the name tag a friendly fallback ({{ contact.first_name | default: "there" }}) or rephrase the greeting.', { el: p.el, excerpt: clip(greeting, 120), locate: greeting }));
      }
    }
    return hits;
  },
};

/** Check 32 (strict part): variables no contact field or system variable provides render empty. */
export function unknownVariablesCheck(variables: string[]): Hit[] {
  return variables.map((v) => hit('critical', `{{ ${v} }} is not a contact field or a system variable; it renders empty for everyone.`, 'Fix the variable name, create the custom field, or remove the tag.', { excerpt: `{{ ${v} }}`, locate: v }));
}
