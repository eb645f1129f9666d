import type { Brand } from '../../brands/model.ts';
import { UrlField, type Block, type BlockType, type LeafBlock, type Section } from '../../emails/model.ts';
import { invalid } from '../../shared/errors.ts';
import type { EmailDraft, SectionKind, SubjectLine } from '../model.ts';
import { PREHEADER_MAX, PREHEADER_MIN, SUBJECT_MAX } from '../rules.ts';
import { extractUrls } from '../../emails/urls.ts';
import { copyLanguage } from './brief.ts';
import { fitting, subjectLines } from './compose.ts';
import { catalogue, fill, moodOfKey, textOf, Writer, COPY_LANGUAGES, type CopyLanguage, type Mood, type Register, type Slots, type Voice } from './copy.ts';
import { aSection, buildSection, kindOf, longLayout, ORDER, type AnyKind, type BuildContext } from './layouts.ts';
import { blocksOf, readDraft, type DraftReading } from './read.ts';

/**
 * Edit by instruction, offline. The built-in composer understands a fixed set of instructions
 * (listed in UNDERSTOOD) and says so plainly for anything else. Changes of tone and language
 * rewrite only the sentences it wrote itself (recognised from its catalogue); the author's own
 * sentences stay as they are, and the notes say how many.
 */

type EditOp =
  | { op: 'shorter' }
  | { op: 'longer' }
  | { op: 'voice'; label: string; change: (v: Voice) => Voice }
  | { op: 'add'; kind: SectionKind; url: string | null }
  | { op: 'remove'; target: { kind: AnyKind } | { type: BlockType } | { selected: true } }
  | { op: 'cta-text'; text: string }
  | { op: 'cta-url'; url: string }
  | { op: 'subject'; text: string | null }
  | { op: 'preheader'; text: string | null }
  | { op: 'translate'; tag: string };

export const UNDERSTOOD =
  '"shorter", "longer", "more formal", "more casual", "friendlier", "more playful", "calmer", "more urgent", ' +
  '"add a testimonial | FAQ | features | CTA | offer | details | steps | highlights | story section", "add an image https://…", ' +
  '"remove the <section>" (or "remove this block" with blockId), "change the button text to …", "change the button link to https://…", ' +
  '"change the subject (to …)", "change the preheader (to …)", "translate to English | German | French | Spanish"';

export function editDraft(draft: EmailDraft, instruction: string, brand: Brand, blockId?: string): EmailDraft {
  const ops = parseInstruction(instruction);
  const current: EmailDraft = structuredClone({ ...draft, notes: undefined });
  if (blockId && !locate(current.document.sections, blockId)) throw invalid('blockId', `there is no block "${blockId}" in this email`);
  const notes: string[] = [];
  for (const op of ops) apply(op, current, brand, blockId, notes);
  return { ...current, notes };
}

export function alternativeSubjects(draft: EmailDraft, brand: Brand, count: number): SubjectLine[] {
  const reading = readDraft(draft, brand);
  needCopy(reading, draft, 'suggest subject lines');
  const series = reading.units.find((u) => u.unit.place === 'subject' && u.recognised?.key.startsWith('series.'))?.recognised;
  return series ? seriesSubjects(writerFor(reading), series.key, draft, count) : subjectLines(writerFor(reading), reading.facts.purpose, count, [draft.subject]);
}

/**
 * A series email keeps to its move's subjects: a payment reminder must not be offered "Introducing
 * something new". The preheader stays, as it says what the email holds whatever the subject.
 */
function seriesSubjects(w: Writer, key: string, draft: EmailDraft, count: number): SubjectLine[] {
  const lines = fitting([w], [key], 'subject')
    .filter((s) => s !== draft.subject)
    .slice(0, count)
    .map((subject) => ({ subject, preheader: draft.preheader }));
  if (lines.length === 0) throw invalid('count', 'the built-in composer has no other subject line for this email of a series; write one yourself');
  return lines;
}

// ---- understanding the instruction ----

export function parseInstruction(instruction: string): EditOp[] {
  // Values keep their punctuation ("set the preheader to Fresh roasts, 20% off."); the rest is matched without it.
  const text = instruction
    .trim()
    .replace(/^(?:please|can you|could you|kindly)\s+/i, '')
    .replace(/\s+please[.!]?$/i, '')
    .replace(/\s+/g, ' ');
  const whole = parseOne(text);
  if (whole) return [whole];
  // "shorter and more formal": every part must be understood, or none is applied.
  const parts = text.replace(/[.!?]+$/, '').split(/\s*(?:,|;|\band then\b|\bthen\b|\band\b)\s*/i).filter(Boolean);
  const ops = parts.length > 1 ? parts.map(parseOne) : [null];
  if (ops.every((o): o is EditOp => o !== null)) return ops;
  throw invalid('instruction', `the built-in composer does not understand "${instruction.trim()}". It understands: ${UNDERSTOOD}. For free-form edits, configure an AI composer (TIDINGS_COMPOSER=openai or anthropic).`);
}

const LANGUAGE_NAMES: Record<string, string> = {
  english: 'en', englisch: 'en', anglais: 'en', inglés: 'en', ingles: 'en',
  german: 'de', deutsch: 'de', allemand: 'de', alemán: 'de', aleman: 'de',
  french: 'fr', französisch: 'fr', français: 'fr', francais: 'fr', francés: 'fr', frances: 'fr',
  spanish: 'es', spanisch: 'es', espagnol: 'es', español: 'es', espanol: 'es',
  italian: 'it', portuguese: 'pt', dutch: 'nl', polish: 'pl', swedish: 'sv', danish: 'da', norwegian: 'nb', finnish: 'fi', czech: 'cs', japanese: 'ja', chinese: 'zh', korean: 'ko', turkish: 'tr', russian: 'ru', greek: 'el',
};

const KIND_WORDS: Array<[SectionKind, RegExp]> = [
  ['testimonial', /^(?:customer )?(?:testimonial|quote|review|social proof)s?$/],
  ['faq', /^(?:faqs?|questions(?: and answers)?|q ?& ?a|frequently asked questions)$/],
  ['features', /^(?:features?(?: list)?|benefits?|feature list)$/],
  ['cta', /^(?:cta|call[- ]to[- ]action|button|closing(?: cta)?)$/],
  ['image', /^(?:hero )?(?:image|picture|photo)\b/],
  ['offer', /^(?:offer|discount|coupon)(?: details)?$/],
  ['details', /^(?:event )?(?:details|agenda)$/],
  ['steps', /^(?:(?:next |getting started )?steps|getting started)$/],
  ['highlights', /^highlights$/],
  ['story', /^(?:story|paragraph)$/],
];
const FRAME_WORDS: Array<[AnyKind, RegExp]> = [
  ['hero', /^(?:hero|intro|introduction|headline section)$/],
  ['header', /^(?:header|logo)$/],
  ['signoff', /^(?:sign[- ]?off|signature)$/],
  ['footer', /^footer$/],
];
const TYPE_WORDS: Array<[BlockType, RegExp]> = [
  ['image', /^(?:images?|pictures?|photos?)$/],
  ['button', /^buttons?$/],
  ['divider', /^(?:dividers?|lines?)$/],
  ['spacer', /^spacers?$/],
  ['list', /^lists?$/],
  ['social', /^(?:social(?: links| icons)?)$/],
];

function parseOne(text: string): EditOp | null {
  const t = text.toLowerCase().replace(/[.!?]+$/, '');
  let m: RegExpExecArray | null;
  if ((m = /^(?:translate|rewrite|write|put)(?: (?:it|this|the email|everything|the text))? (?:in|into|to) ([\p{L}-]+)$/iu.exec(t))) {
    return { op: 'translate', tag: LANGUAGE_NAMES[m[1].toLowerCase()] ?? m[1] };
  }
  if ((m = /^(?:change|set|update|point|make|link)(?: the)? (?:cta|call[- ]to[- ]action|buttons?)(?:'s)?(?: (?:link|url|address|target|destination))? (?:to|at|go to) (\S+?)[.!]?$/i.exec(text)) && isLink(m[1])) {
    return { op: 'cta-url', url: m[1] };
  }
  if ((m = /^(?:change|set|rename|make|update|replace)(?: the)? (?:cta|call[- ]to[- ]action|buttons?)(?: (?:text|label|copy|wording|title))? (?:to|into|as|with) (.+)$/i.exec(text))) {
    const value = unquote(m[1]).replace(/\.$/, '');
    return isLink(value) ? { op: 'cta-url', url: value } : { op: 'cta-text', text: value };
  }
  for (const [op, word] of [['subject', 'subject(?: line)?'], ['preheader', '(?:preheader|preview text|preview)']] as const) {
    const verb = `^(?:change|set|update|replace|rewrite|use|make|try|write|suggest|give (?:it|me))(?: (?:a|the|another|a new|a different|a better))? ${word}`;
    if ((m = new RegExp(`${verb} (?:to|with|as|into) (.+)$`, 'i').exec(text))) return { op, text: unquote(m[1]) };
    if (new RegExp(`${verb}$|^(?:new|another|different|better) ${word}$`, 'i').test(t)) return { op, text: null };
  }
  const target = '(?: (?:it|this|the (?:email|text|copy|block|message)))?';
  if (new RegExp(`^(?:make${target} )?(?:a bit |a little |much )?(?:shorter|more concise|briefer|tighter|less wordy)$|^(?:shorten|trim|condense|tighten)${target}(?: down)?$|^(?:too long|less text)$`).test(t)) return { op: 'shorter' };
  if (new RegExp(`^(?:make${target} )?(?:a bit |a little |much )?(?:longer|more detailed)$|^(?:expand|lengthen|elaborate)(?: on)?${target}$|^add more (?:detail|details|content|text|information|info)$`).test(t)) return { op: 'longer' };
  if ((m = /^(?:(?:make(?: (?:it|this|the (?:email|text|copy|tone|block)))?|use an?|be|sound|write(?: it)?(?: in an?)?|change the tone to|set the tone to) )?(?:(?:a bit |a little |much )?(more|less) )?(formal|professional|serious|casual|informal|relaxed|friendly|friendlier|warm|warmer|playful|fun|funnier|calm|calmer|urgent)(?: tone)?$/.exec(t))) {
    return voiceOp(m[2], m[1] === 'less');
  }
  if ((m = /^(?:add|include|insert|append|put in)(?: (?:a|an|the|some|one|another|short))? (.+?)(?: (?:section|block|part))?$/.exec(t))) {
    const words = m[1].replace(/https?:\/\/\S+/g, '').trim().replace(/ (?:section|block|part)$/, '');
    const kind = KIND_WORDS.find(([, re]) => re.test(words))?.[0];
    if (kind) return { op: 'add', kind, url: extractUrls(text)[0] ?? null };
  }
  if ((m = /^(?:remove|delete|drop|cut|take out|get rid of|hide)(?: (?:the|this|that|all|any|all the))? (.+?)$/.exec(t))) {
    const words = m[1].replace(/ (?:section|sections|part)$/, '');
    if (/^(?:block|it|this|selected block|this block|the selected block)$/.test(words)) return { op: 'remove', target: { selected: true } };
    const kind = [...KIND_WORDS.filter(([k]) => k !== 'cta'), ['cta', /^(?:cta|call[- ]to[- ]action|closing(?: cta)?)$/] as [AnyKind, RegExp], ...FRAME_WORDS].find(([, re]) => re.test(words))?.[0];
    if (kind) return { op: 'remove', target: { kind } };
    const type = TYPE_WORDS.find(([, re]) => re.test(words))?.[0];
    if (type) return { op: 'remove', target: { type } };
  }
  return null;
}

function voiceOp(word: string, less: boolean): EditOp {
  const formal = /^(?:formal|professional|serious)$/.test(word);
  const casual = /^(?:casual|informal|relaxed|friendly|friendlier|warm|warmer)$/.test(word);
  const playful = /^(?:playful|fun|funnier)$/.test(word);
  const calm = /^(?:calm|calmer)$/.test(word);
  if ((formal && !less) || (casual && less)) return { op: 'voice', label: 'formal', change: (v) => ({ ...v, register: 'formal', mood: 'neutral' }) };
  if ((casual && !less) || (formal && less)) return { op: 'voice', label: 'casual', change: (v) => ({ ...v, register: 'informal', mood: v.mood === 'urgent' ? 'neutral' : v.mood }) };
  if (less) return { op: 'voice', label: `less ${word}`, change: (v) => ({ ...v, mood: 'neutral' }) };
  if (playful) return { op: 'voice', label: 'playful', change: (v) => ({ ...v, register: 'informal', mood: 'playful' }) };
  if (calm) return { op: 'voice', label: 'calm', change: (v) => ({ ...v, mood: 'calm' }) };
  return { op: 'voice', label: 'urgent', change: (v) => ({ ...v, mood: 'urgent' }) };
}

/** `"Spring is here".` → Spring is here; an unquoted value is kept as typed. */
const unquote = (s: string) => s.trim().match(/^["“'‘«]\s*(.*?)\s*["”'’»][.!]?$/)?.[1] ?? s.trim();
const isLink = (s: string) => UrlField.safeParse(s).success && !/^mailto:/i.test(s);

// ---- applying it ----

function apply(op: EditOp, draft: EmailDraft, brand: Brand, blockId: string | undefined, notes: string[]): void {
  const reading = readDraft(draft, brand);
  const sections = draft.document.sections;
  switch (op.op) {
    case 'shorter':
      return blockId ? shortenBlock(locate(sections, blockId)!.block, blockId) : shortenEmail(sections);
    case 'longer':
      needCopy(reading, draft, 'add text');
      return blockId ? lengthenBlock(locate(sections, blockId)!.block, blockId, reading) : lengthenEmail(draft, reading, brand);
    case 'add':
      if (op.kind !== 'image') needCopy(reading, draft, `write a ${op.kind} section`);
      return addSection(draft, reading, brand, op.kind, op.url, blockId);
    case 'remove':
      return remove(draft, op.target, blockId, notes);
    case 'cta-text':
      if (op.text.length < 1 || op.text.length > 80) throw invalid('instruction', `the button text must be 1–80 characters (got ${op.text.length})`);
      for (const b of buttons(sections, blockId)) b.text = op.text;
      return;
    case 'cta-url':
      for (const b of buttons(sections, blockId)) b.url = op.url;
      return;
    case 'subject':
      if (op.text !== null) {
        draft.subject = op.text;
        if (op.text.length > SUBJECT_MAX) notes.push(`The subject is ${op.text.length} characters; phones show about ${SUBJECT_MAX}.`);
        return;
      }
      needCopy(reading, draft, 'suggest a subject line');
      draft.subject = subjectLines(writerFor(reading), reading.facts.purpose, 1, [draft.subject, draft.preheader])[0].subject;
      return;
    case 'preheader':
      if (op.text !== null) {
        draft.preheader = op.text;
        if (op.text.length < PREHEADER_MIN || op.text.length > PREHEADER_MAX) notes.push(`The preheader is ${op.text.length} characters; ${PREHEADER_MIN}–${PREHEADER_MAX} shows best.`);
        return;
      }
      needCopy(reading, draft, 'suggest a preheader');
      draft.preheader = alternativePreheader(draft, reading);
      return;
    case 'voice': {
      needCopy(reading, draft, 'change the tone');
      const target = op.change(reading.voice);
      if (target.register === reading.voice.register && target.mood === reading.voice.mood) throw invalid('instruction', `the email already reads ${op.label}`);
      return rewrite(draft, reading, target, notes, 'tone');
    }
    case 'translate': {
      const lang = copyLanguage(op.tag);
      if (!lang) throw invalid('instruction', `the built-in composer writes ${COPY_LANGUAGES.join(', ')}, not "${op.tag}"; configure an AI composer to translate into other languages`);
      needCopy(reading, draft, 'translate it');
      if (lang === reading.lang) throw invalid('instruction', `the email is already in ${op.tag}`);
      rewrite(draft, reading, { ...reading.voice, lang }, notes, 'language');
      draft.language = op.tag.length === 2 ? lang : op.tag;
      return;
    }
  }
}

function needCopy(reading: DraftReading, draft: EmailDraft, what: string): asserts reading is DraftReading & { lang: CopyLanguage } {
  if (!reading.lang) throw invalid('instruction', `the built-in composer writes ${COPY_LANGUAGES.join(', ')}; this email is in "${draft.language}", so it cannot ${what}. Configure an AI composer for other languages.`);
}

function writerFor(reading: DraftReading, voice: Voice = reading.voice): Writer {
  return new Writer(voice, reading.facts.slots, reading.seed);
}

/**
 * Rewrites every sentence the composer wrote in another voice or language, keeping its variant
 * and the words in its slots. A fallback topic ("something new") is itself catalogue text, so it
 * is translated too; the author's words stay as they were written.
 */
function rewrite(draft: EmailDraft, reading: DraftReading & { lang: CopyLanguage }, target: Voice, notes: string[], what: 'tone' | 'language'): void {
  const carried = carrySlots(reading.facts.slots, reading.lang, target.lang, reading.voice.register, target.register);
  const w = new Writer(target, carried, reading.seed);
  let rewritten = 0;
  let kept = 0;
  for (const { unit, recognised } of reading.units) {
    if (!recognised) {
      if (unit.get().trim() !== '') kept++;
      continue;
    }
    const own = carrySlots({ ...carried, ...recognised.slots, brand: carried.brand } as Slots, reading.lang, target.lang, reading.voice.register, target.register);
    const pick = w.with(own).pick(baseKey(recognised.key, reading.facts.purpose, target.lang), recognised.index);
    if (!pick) {
      kept++;
      continue;
    }
    unit.set(pick.text);
    rewritten++;
  }
  if (rewritten === 0) throw invalid('instruction', `none of this email's text was written by the built-in composer, so it cannot change its ${what}; configure an AI composer for free-form edits`);
  if (kept > 0) notes.push(`${kept} text${kept === 1 ? '' : 's'} not written by the built-in composer ${kept === 1 ? 'was' : 'were'} left as ${kept === 1 ? 'it was' : 'they were'}; check ${kept === 1 ? 'it' : 'them'} in the editor.`);
}

/** Catalogue-made slot values (a fallback topic, "Online", what a series email is about) follow the new language and register. */
function carrySlots(slots: Slots, from: CopyLanguage, to: CopyLanguage, fromRegister: Register, toRegister: Register): Slots {
  const out = { ...slots };
  for (const [name, prefix] of [['topic', 'topic.'], ['where', 'where.'], ['current', 'series.about.'], ['next', 'series.about.']] as const) {
    const value = slots[name];
    if (!value) continue;
    for (const [key, lines] of Object.entries(catalogue(from))) {
      if (!key.startsWith(prefix)) continue;
      if (fill(textOf(lines[0], fromRegister), slots, from) !== value) continue;
      out[name] = fill(textOf(catalogue(to)[key][0], toRegister), out, to) ?? value;
    }
  }
  return out;
}

/** `closing.urgent` → `closing.promo`; `greeting.playful` → `greeting`: the key before its mood. */
function baseKey(key: string, purpose: string, lang: CopyLanguage): string {
  const mood: Mood | null = moodOfKey(key);
  if (!mood) return key;
  const stripped = key.slice(0, -(mood.length + 1));
  return catalogue(lang)[stripped] ? stripped : `${stripped}.${purpose}`;
}

function alternativePreheader(draft: EmailDraft, reading: DraftReading): string {
  const w = writerFor(reading);
  const candidates = subjectLines(w, reading.facts.purpose, 10, []).map((l) => l.preheader);
  const next = candidates.find((p) => p !== draft.preheader && p.toLowerCase() !== draft.subject.toLowerCase());
  if (!next) throw invalid('instruction', 'the built-in composer has no other preheader for this email; write one: "change the preheader to …"');
  return next;
}

// ---- structure ----

/** Least important first: what "shorter" removes. */
const SHORTER_ORDER: AnyKind[] = ['faq', 'testimonial', 'story', 'image', 'features', 'cta', 'steps', 'highlights'];
/** What "longer" adds when the purpose's long layout is complete. */
const LONGER_EXTRA: SectionKind[] = ['story', 'features', 'testimonial', 'faq', 'cta'];

function shortenEmail(sections: Section[]): void {
  const index = SHORTER_ORDER.map((kind) => sections.findIndex((s) => kindOf(s.id) === kind)).find((i) => i >= 0);
  if (index !== undefined) {
    sections.splice(index, 1);
    return;
  }
  let changed = false;
  for (const section of sections) {
    if (['header', 'signoff', 'footer'].includes(kindOf(section.id) ?? '')) continue;
    for (const block of section.blocks) {
      if (block.type === 'text' && block.text.includes('\n\n')) {
        block.text = block.text.split('\n\n')[0];
        changed = true;
      } else if (block.type === 'list' && block.items.length > 3) {
        block.items = block.items.slice(0, 3);
        changed = true;
      }
    }
  }
  if (!changed) throw invalid('instruction', 'the email is already as short as the built-in composer makes it (a headline, a greeting, one paragraph, the button and the footer)');
}

function shortenBlock(block: Block | LeafBlock, id: string): void {
  if (block.type === 'text') {
    const shorter = shortenText(block.text);
    if (shorter === block.text) throw invalid('instruction', `block "${id}" is already a single sentence`);
    block.text = shorter;
  } else if (block.type === 'list') {
    if (block.items.length <= 2) throw invalid('instruction', `block "${id}" already has only ${block.items.length} item${block.items.length === 1 ? '' : 's'}`);
    block.items = block.items.slice(0, Math.max(2, Math.ceil(block.items.length / 2)));
  } else {
    throw invalid('blockId', `a ${block.type} block cannot be made shorter; choose a text or list block`);
  }
}

/** The first paragraph, or the first half of its sentences. */
function shortenText(text: string): string {
  const paragraphs = text.split('\n\n');
  if (paragraphs.length > 1) return paragraphs[0];
  const sentences = text.split(/(?<=[.!?])\s+(?=\p{Lu})/u);
  return sentences.length > 1 ? sentences.slice(0, Math.max(1, Math.floor(sentences.length / 2))).join(' ') : text;
}

function lengthenBlock(block: Block | LeafBlock, id: string, reading: DraftReading): void {
  const w = writerFor(reading);
  const p = reading.facts.purpose;
  if (block.type === 'text') {
    const story = w.line(`story.${p}`);
    if (block.text.includes(story)) throw invalid('instruction', `block "${id}" already has everything the built-in composer would add`);
    block.text = `${block.text}\n\n${story}`;
  } else if (block.type === 'list') {
    const more = w.all(`features.item.${p}`).map((i) => i.text).filter((i) => !block.items.includes(i));
    if (more.length === 0) throw invalid('instruction', `block "${id}" already has every item the built-in composer would add`);
    block.items.push(...more.slice(0, 2));
  } else {
    throw invalid('blockId', `a ${block.type} block cannot be made longer; choose a text or list block`);
  }
}

function lengthenEmail(draft: EmailDraft, reading: DraftReading, brand: Brand): void {
  const present = new Set(draft.document.sections.map((s) => kindOf(s.id)));
  const c = context(reading, brand, null);
  for (const kind of [...longLayout(reading.facts.purpose), ...LONGER_EXTRA]) {
    if (present.has(kind)) continue;
    const section = buildSection(kind, c, null);
    if (section) return insert(draft.document.sections, section, kind, null);
  }
  throw invalid('instruction', 'the email already has every section the built-in composer writes; add your own text in the editor');
}

function addSection(draft: EmailDraft, reading: DraftReading, brand: Brand, kind: SectionKind, url: string | null, blockId: string | undefined): void {
  if (draft.document.sections.some((s) => kindOf(s.id) === kind)) throw invalid('instruction', `the email already has ${aSection(kind)}`);
  const section = buildSection(kind, context(reading, brand, url), 'instruction')!;
  insert(draft.document.sections, section, kind, blockId ?? null);
}

function context(reading: DraftReading, brand: Brand, imageUrl: string | null): BuildContext {
  return { w: writerFor(reading), facts: { ...reading.facts, imageUrl }, brand, pointsUsed: true };
}

/** After the selected block's section, or where the kind belongs in the usual order. */
function insert(sections: Section[], section: Section, kind: AnyKind, afterBlockId: string | null): void {
  uniqueIds(section, sections);
  if (afterBlockId) {
    const at = sections.findIndex((s) => blocksOf([s]).some((b) => b.id === afterBlockId));
    // Nothing goes after the footer.
    const index = kindOf(sections[at].id) === 'footer' ? at : at + 1;
    sections.splice(index, 0, section);
    return;
  }
  const rank = ORDER.indexOf(kind);
  const before = sections.findIndex((s) => {
    const k = kindOf(s.id);
    return k !== null && ORDER.indexOf(k) > rank;
  });
  sections.splice(before === -1 ? sections.length : before, 0, section);
}

/** Section and block ids of an added section must not clash with the author's. */
function uniqueIds(section: Section, sections: Section[]): void {
  const taken = new Set([...sections.map((s) => s.id), ...blocksOf(sections).map((b) => b.id)]);
  const free = (id: string) => {
    let candidate = id;
    for (let n = 2; taken.has(candidate); n++) candidate = `${id}-${n}`;
    taken.add(candidate);
    return candidate;
  };
  section.id = free(section.id);
  for (const block of blocksOf([section])) block.id = free(block.id);
}

function remove(draft: EmailDraft, target: Extract<EditOp, { op: 'remove' }>['target'], blockId: string | undefined, notes: string[]): void {
  const sections = draft.document.sections;
  if ('selected' in target) {
    if (!blockId) throw invalid('instruction', 'say what to remove: select a block (blockId) or name a section, e.g. "remove the testimonial"');
    const found = locate(sections, blockId)!;
    if (found.block.type === 'footer') throw invalid('instruction', 'the footer stays: it carries the unsubscribe link and the postal address');
    found.container.splice(found.container.indexOf(found.block as never), 1);
  } else if ('kind' in target) {
    if (target.kind === 'footer') throw invalid('instruction', 'the footer stays: it carries the unsubscribe link and the postal address');
    const keep = sections.filter((s) => kindOf(s.id) !== target.kind);
    if (keep.length === sections.length) throw invalid('instruction', `there is no ${target.kind} section to remove`);
    sections.splice(0, sections.length, ...keep);
  } else {
    const scope = blockId ? sections.filter((s) => blocksOf([s]).some((b) => b.id === blockId)) : sections;
    let removed = 0;
    for (const section of scope) {
      const before = section.blocks.length;
      section.blocks = section.blocks.filter((b) => b.type !== target.type);
      removed += before - section.blocks.length;
    }
    if (removed === 0) throw invalid('instruction', `there is no ${target.type} block to remove`);
  }
  const nonEmpty = sections.filter((s) => s.blocks.length > 0);
  sections.splice(0, sections.length, ...nonEmpty);
  if (!blocksOf(sections).some((b) => b.type === 'button')) notes.push('The email has no button now; readers have nothing to click.');
}

function buttons(sections: Section[], blockId: string | undefined): Array<Extract<Block, { type: 'button' }>> {
  const all = blocksOf(sections).filter((b): b is Extract<Block, { type: 'button' }> => b.type === 'button' && (!blockId || b.id === blockId));
  if (all.length === 0) throw invalid(blockId ? 'blockId' : 'instruction', blockId ? `block "${blockId}" is not a button` : 'the email has no button');
  return all;
}

/** A block by id, and the array that holds it (a section's blocks or a column's). */
function locate(sections: Section[], id: string): { block: Block | LeafBlock; container: Array<Block | LeafBlock> } | null {
  for (const section of sections) {
    for (const block of section.blocks) {
      if (block.id === id) return { block, container: section.blocks };
      if (block.type === 'columns') for (const column of block.columns) for (const leaf of column.blocks) if (leaf.id === id) return { block: leaf, container: column.blocks };
    }
  }
  return null;
}
