import type { Block, EmailDocument, LeafBlock } from '../emails/model.ts';
import type { FieldIssue } from '../shared/errors.ts';

/**
 * What every composed email must satisfy beyond the document schema. `error` issues make a draft
 * unusable (a model's reply is retried, then refused); `style` issues are the inbox conventions
 * (subject ≤ 50 characters, preheader 40–110, nothing spammy) a model is asked once to fix.
 * The built-in composer is tested to produce neither.
 */
export interface DraftIssue extends FieldIssue {
  severity: 'error' | 'style';
}

export const SUBJECT_MAX = 50;
export const PREHEADER_MIN = 40;
export const PREHEADER_MAX = 110;

/** Words and marks that spam filters and readers distrust in a subject line. */
const SPAMMY = [/\bfree\b/i, /\bact now\b/i, /\bbuy now\b/i, /\bclick here\b/i, /\blimited time\b/i, /\bguarantee/i, /\bwinner\b/i, /\bcash\b/i, /\burgent\b/i, /\brisk[- ]free\b/i, /\b100 ?%/, /!{2,}/, /\${2,}/, /\bgratis\b/i, /\bgratuit/i, /\bkostenlos/i];
/** Hosts that never lead anywhere real; preflight fails them too. */
const PLACEHOLDER_HOST = /^(?:[a-z0-9-]+\.)*(?:example\.(?:com|org|net)|localhost|[a-z0-9-]+\.(?:test|example|invalid|localhost))$/i;
/** Anything that looks like a template placeholder and is not a Liquid merge tag. */
const PLACEHOLDER_TEXT = [/\[(?:insert|your|add|placeholder)[^\]]*\]/i, /\blorem ipsum\b/i, /\{(?!\{)[^{}]*\}(?!\})/, /<[a-z][^>]*>/i, /\bTODO\b/, /\bXXX\b/];

export function draftIssues(draft: { subject: string; preheader: string; document: EmailDocument }): DraftIssue[] {
  return [...subjectIssues(draft.subject, draft.preheader), ...documentIssues(draft.document)];
}

export function subjectIssues(subject: string, preheader: string): DraftIssue[] {
  const issues: DraftIssue[] = [...lineIssues('subject', subject), ...lineIssues('preheader', preheader)];
  if (preheader.trim().toLowerCase() === subject.trim().toLowerCase()) issues.push({ field: 'preheader', message: 'repeats the subject; it should add to it', severity: 'error' });
  return issues;
}

/** The conventions one subject line or preheader must meet on its own. */
export function lineIssues(field: 'subject' | 'preheader', text: string): DraftIssue[] {
  const issues: DraftIssue[] = [];
  const style = (message: string) => issues.push({ field, message, severity: 'style' });
  if (text.trim() === '') issues.push({ field, message: 'is empty', severity: 'error' });
  else if (field === 'subject' && text.length > SUBJECT_MAX) style(`is ${text.length} characters; keep it at most ${SUBJECT_MAX} so phones show all of it`);
  else if (field === 'preheader' && (text.length < PREHEADER_MIN || text.length > PREHEADER_MAX)) style(`is ${text.length} characters; write ${PREHEADER_MIN}–${PREHEADER_MAX}`);
  const spam = SPAMMY.find((re) => re.test(text));
  if (spam) style(`contains "${text.match(spam)![0]}", which spam filters distrust`);
  const shouting = shoutedWords(text);
  if (shouting.length > 0) style(`has words in capitals (${shouting.join(', ')}); write them normally`);
  return issues;
}

/** Words of 4+ letters in capitals, except codes that mix in digits (SPRING20). */
function shoutedWords(text: string): string[] {
  return (text.match(/\b[\p{Lu}]{4,}\b/gu) ?? []).filter((w) => !/\d/.test(w));
}

function documentIssues(doc: EmailDocument): DraftIssue[] {
  const issues: DraftIssue[] = [];
  const error = (field: string, message: string) => issues.push({ field, message, severity: 'error' });
  const ids = new Map<string, string>();
  const sectionIds = new Set<string>();
  let buttons = 0;
  let footers = 0;
  doc.sections.forEach((section, s) => {
    if (sectionIds.has(section.id)) error(`document.sections.${s}.id`, `"${section.id}" is used by another section`);
    sectionIds.add(section.id);
    section.blocks.forEach((block, b) => {
      const at = `document.sections.${s}.blocks.${b}`;
      for (const [path, leaf] of blocksWithin(block, at)) {
        if (ids.has(leaf.id)) error(`${path}.id`, `"${leaf.id}" is also the id of ${ids.get(leaf.id)}; block ids must be unique`);
        ids.set(leaf.id, path);
        if (leaf.type === 'button') buttons++;
        if (leaf.type === 'footer') footers++;
        for (const [field, url] of urlsOf(leaf)) {
          if (placeholderUrl(url)) error(`${path}.${field}`, `"${url}" is a placeholder address; use a real URL or a merge tag such as {{ view_in_browser_url }}`);
        }
        for (const [field, text] of textsOf(leaf)) {
          const found = PLACEHOLDER_TEXT.map((re) => text.replace(/\{\{[^}]*\}\}|\{%[^%]*%\}/g, '').match(re)).find(Boolean);
          if (found) error(`${path}.${field}`, `contains "${found[0]}", which looks like a placeholder or markup; write the real text`);
        }
      }
    });
  });
  if (buttons === 0) error('document', 'has no button; every email needs one clear call to action');
  if (footers !== 1) error('document', footers === 0 ? 'has no footer block; end with one (it carries the unsubscribe link and address)' : `has ${footers} footer blocks; keep one`);
  const last = doc.sections.at(-1)?.blocks.at(-1);
  if (footers === 1 && last?.type !== 'footer') error('document', 'must end with the footer block');
  return issues;
}

function* blocksWithin(block: Block, path: string): Generator<[string, Block | LeafBlock]> {
  yield [path, block];
  if (block.type === 'columns') {
    for (const [c, column] of block.columns.entries()) for (const [b, leaf] of column.blocks.entries()) yield [`${path}.columns.${c}.blocks.${b}`, leaf];
  }
}

function urlsOf(block: Block | LeafBlock): Array<[string, string]> {
  switch (block.type) {
    case 'button':
      return [['url', block.url]];
    case 'image':
      return [['src', block.src], ...(block.href ? ([['href', block.href]] as Array<[string, string]>) : [])];
    case 'social':
      return block.links.map((l, i) => [`links.${i}.url`, l.url]);
    default:
      return [];
  }
}

/** Every human-readable text of a block, with its field path. */
export function textsOf(block: Block | LeafBlock): Array<[string, string]> {
  switch (block.type) {
    case 'heading':
    case 'text':
    case 'button':
    case 'footer':
      return [['text', block.text]];
    case 'list':
      return block.items.map((item, i) => [`items.${i}`, item]);
    case 'quote':
      return [['text', block.text], ...(block.author ? ([['author', block.author]] as Array<[string, string]>) : [])];
    case 'image':
      return [['alt', block.alt]];
    default:
      return [];
  }
}

export function placeholderUrl(url: string): boolean {
  if (/^\{\{/.test(url) || /^mailto:/i.test(url)) return false;
  try {
    return PLACEHOLDER_HOST.test(new URL(url).hostname);
  } catch {
    return true;
  }
}
