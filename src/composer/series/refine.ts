import { invalid } from '../../shared/errors.ts';
import { SERIES_MAX } from '../model.ts';

/**
 * Refining a series in plain words (S6.2): "move email 3 before 1", "add a testimonial email after
 * the second", "remove the last one", "send the third 2 days later". Structural requests become one
 * operation on the list of emails; anything else is an instruction for every email ("make them
 * shorter"). Positions in the result are 0-based; positions in the text are counted from 1.
 */
export type RefineOp =
  | { op: 'add'; position: number; role: string; beats: string[] }
  | { op: 'remove'; position: number }
  /** `to` is the email's index in the new order. */
  | { op: 'move'; from: number; to: number }
  /** `offsetDays` is days from enrolment, like every offset of a series. */
  | { op: 'offset'; position: number; offsetDays: number }
  | { op: 'edit-all'; instruction: string };

/**
 * `offsets` (the current offsets, in order) lets relative timing ("2 days later") become days from
 * enrolment; without them only absolute timing ("on day 5") is understood.
 */
export function parseRefine(text: string, stepCount: number, offsets?: readonly number[]): RefineOp {
  const written = normalise(text);
  const t = written.toLowerCase();
  if (!t) throw invalid('text', 'is empty; say what to change, e.g. "remove the last email" or "make every email shorter"');
  // Words are matched in lower case; a new email's role and beats keep the author's capitals.
  const ctx: Ctx = { count: stepCount, offsets, written: written.length === t.length ? written : t };
  for (const parse of PARSERS) {
    const op = parse(t, ctx);
    if (op) return op;
  }
  return { op: 'edit-all', instruction: text.trim() };
}

interface Ctx {
  count: number;
  offsets?: readonly number[];
  /** The normalised text as typed, letter for letter the same as the lower-case one matched. */
  written: string;
}

function normalise(text: string): string {
  return text
    .trim()
    .replace(/[’]/g, "'")
    .replace(/\s+/g, ' ')
    .replace(/^(?:please|can you|could you|kindly|now|ok,?)\s+/i, '')
    .replace(/[.!?]+$/, '')
    .replace(/\s+please$/i, '')
    .trim();
}

// ---- positions ----

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth'];
const CARDINALS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
const EMAIL_WORD = '(?:emails?|e-mails?|mails?|messages?|steps?)';
/** After an ordinal: "the third email", "the last one". */
const NOUN = `(?:${EMAIL_WORD}|ones?)`;
const ORDINAL = `(?:${ORDINALS.join('|')}|\\d{1,2}(?:st|nd|rd|th)|last|final|penultimate|second[- ](?:to[- ])?last|next[- ]to[- ]last)`;
const NUMBER = `(?:\\d{1,2}|${CARDINALS.join('|')})`;
/** "email number", "email no.", "no.", "#": what may come before the number of an email. */
const NUMBERED = `(?:${EMAIL_WORD}\\s*)?(?:(?:number|no\\.?)\\s*)?#?\\s*`;
/** "the third (email)", "email 3", "email #3", "email no. 3", "#3", or a bare "3". */
const POS = `(?:the\\s+)?(?:${ORDINAL}(?:\\s+${NOUN})?|${NUMBERED}${NUMBER})`;

/** Position words → 1-based number, or a number counted from the end (0 = last). */
function numberOf(phrase: string): { n: number } | { fromEnd: number } {
  const p = phrase.replace(/^the\s+/, '');
  const word = new RegExp(`^(${ORDINAL})(?:\\s+${NOUN})?$`).exec(p)?.[1] ?? p.replace(new RegExp(`^${NUMBERED}`), '');
  if (/^(?:last|final)$/.test(word)) return { fromEnd: 0 };
  if (/^(?:penultimate|second[- ](?:to[- ])?last|next[- ]to[- ]last)$/.test(word)) return { fromEnd: 1 };
  const index = Math.max(ORDINALS.indexOf(word), CARDINALS.indexOf(word));
  return { n: index >= 0 ? index + 1 : parseInt(word, 10) };
}

/** The 0-based index an existing email is named by, or a DomainError naming `text`. */
function existing(phrase: string, ctx: Ctx): number {
  const found = numberOf(phrase);
  const index = 'fromEnd' in found ? ctx.count - 1 - found.fromEnd : found.n - 1;
  if ('n' in found && found.n < 1) throw invalid('text', `emails are counted from 1, so there is no email ${found.n}`);
  if (index < 0 || index >= ctx.count) throw invalid('text', `there is no ${describe(phrase)}: the series has ${ctx.count} email${ctx.count === 1 ? '' : 's'}`);
  return index;
}

/** "the third" → "third email", "#7" → "email 7", "email 9" stays. */
function describe(phrase: string): string {
  const p = phrase.replace(/^the\s+/, '').replace(/^#\s*/, '');
  if (new RegExp(`\\b${NOUN}\\b`).test(p)) return p;
  return new RegExp(`^${NUMBER}$`).test(p) ? `email ${p}` : `${p} email`;
}

// ---- the operations ----

type Parser = (t: string, ctx: Ctx) => RefineOp | null;

const re = (source: string) => new RegExp(`^${source}$`);
const FROM_SERIES = '(?:\\s+(?:from|of|in) the (?:series|sequence|flow))?';

const removeOp: Parser = (t, ctx) => {
  const m = re(`(?:remove|delete|drop|cut|skip|get rid of|take out|scrap)\\s+(${POS})${FROM_SERIES}`).exec(t);
  if (!m) return null;
  const position = existing(m[1], ctx);
  if (ctx.count === 1) throw invalid('text', 'the series has only this one email; a series needs at least one');
  return { op: 'remove', position };
};

const MOVE_VERB = '(?:move|put|place|shift|reorder|send)';
const START = '(?:start|beginning|front|top)';
const END = '(?:end|back|bottom)';

const moveOp: Parser = (t, ctx) => {
  let m = re(`${MOVE_VERB}\\s+(${POS})\\s+(before|after|behind|ahead of|in front of)\\s+(${POS})`).exec(t);
  if (m) {
    const from = existing(m[1], ctx);
    const anchor = existing(m[3], ctx);
    if (from === anchor) throw invalid('text', `email ${from + 1} cannot go ${m[2]} itself`);
    const after = m[2] === 'after' || m[2] === 'behind';
    // The anchor's index shifts down by one once the moved email is taken out in front of it.
    return move(from, (after ? anchor + 1 : anchor) - (from < anchor ? 1 : 0), ctx);
  }
  m = re(`${MOVE_VERB}\\s+(${POS})\\s+(?:to\\s+)?(?:the\\s+)?(?:(${START})|(${END}))(?:\\s+of the (?:series|sequence|flow|list))?`).exec(t);
  if (m) return move(existing(m[1], ctx), m[2] ? 0 : ctx.count - 1, ctx);
  m = re(`(?:${MOVE_VERB}|make)\\s+(${POS})\\s+(?:to\\s+)?(?:the\\s+)?(?:(?:position|place|slot|spot)\\s+(${NUMBER})|(${ORDINAL})(?:\\s+(?:position|place|slot|spot|one|email))?)`).exec(t);
  if (m) return move(existing(m[1], ctx), existing(m[2] ?? m[3], ctx), ctx);
  m = re(`${MOVE_VERB}\\s+(${POS})\\s+to\\s+(${NUMBER})`).exec(t);
  if (m) return move(existing(m[1], ctx), existing(m[2], ctx), ctx);
  m = re(`(?:swap|switch|exchange|flip)\\s+(${POS})\\s+(?:and|with|&)\\s+(${POS})`).exec(t);
  if (m) return swap(existing(m[1], ctx), existing(m[2], ctx), ctx);
  return null;
};

function move(from: number, to: number, ctx: Ctx): RefineOp {
  if (from === to) throw invalid('text', `email ${from + 1} is already in that place`);
  if (to < 0 || to >= ctx.count) throw invalid('text', `there is no position ${to + 1}: the series has ${ctx.count} emails`);
  return { op: 'move', from, to };
}

/** A swap of neighbours is one move; other swaps are two, which one instruction cannot say. */
function swap(a: number, b: number, ctx: Ctx): RefineOp {
  if (a === b) throw invalid('text', `that swaps email ${a + 1} with itself`);
  if (Math.abs(a - b) !== 1) throw invalid('text', `emails ${a + 1} and ${b + 1} are not next to each other; move them one at a time, e.g. "move email ${Math.max(a, b) + 1} before ${Math.min(a, b) + 1}"`);
  return move(Math.min(a, b), Math.max(a, b), ctx);
}

/** Days from enrolment go up to 365, so three digits. */
const DAY = `(?:\\d{1,3}|${CARDINALS.join('|')})`;
const AMOUNT = `(?:${DAY}|a|an|a couple of|a few)`;
const UNIT = '(days?|weeks?)';

function days(amount: string, unit: string): number {
  const n = /^an?$/.test(amount) ? 1 : amount === 'a couple of' ? 2 : amount === 'a few' ? 3 : CARDINALS.includes(amount) ? CARDINALS.indexOf(amount) + 1 : parseInt(amount, 10);
  return unit.startsWith('week') ? n * 7 : n;
}

const SEND = '(?:send|schedule|move|shift|push|put|set|make|have|let)';
const OUT = '(?:\\s+(?:go out|to go out|be sent|to be sent|out|arrive))?';

const offsetOp: Parser = (t, ctx) => {
  // Absolute: "send the third on day 5", "email 2 on day 3", "send email 3 4 days after enrolment", "set the offset of email 3 to 4 days".
  let m = re(`(?:${SEND}\\s+)?(${POS})${OUT}\\s+(?:on|at|to)\\s+day\\s+(${DAY})`).exec(t);
  if (m) return offset(existing(m[1], ctx), days(m[2], 'day'));
  m = re(`(?:${SEND}\\s+)?(${POS})${OUT}\\s+(${AMOUNT})\\s+${UNIT}\\s+after\\s+(?:enrol(?:l)?ment|enrol(?:l)?ing|sign-?up|signing up|joining|they (?:join|sign up|enrol)|the start)`).exec(t);
  if (m) return offset(existing(m[1], ctx), days(m[2], m[3]));
  m = re(`(?:set|change|make)\\s+the\\s+(?:offset|delay|timing|day)\\s+(?:of|for)\\s+(${POS})\\s+(?:to|at)\\s+(?:day\\s+)?(${DAY})(?:\\s+days?)?`).exec(t);
  if (m) return offset(existing(m[1], ctx), days(m[2], 'day'));
  // Relative: "send the third 2 days later", "delay email 2 by a week", "bring the last one forward by 1 day".
  m = re(`(?:${SEND}\\s+)?(${POS})${OUT}\\s+(?:by\\s+)?(${AMOUNT})\\s+${UNIT}\\s+(later|earlier|sooner)`).exec(t);
  if (m) return shifted(existing(m[1], ctx), (m[4] === 'later' ? 1 : -1) * days(m[2], m[3]), ctx);
  m = re(`(delay|postpone|push back|push|bring forward|bring|pull forward|pull)\\s+(${POS})(?:\\s+(?:back|forward))?\\s+by\\s+(${AMOUNT})\\s+${UNIT}`).exec(t);
  if (m) return shifted(existing(m[2], ctx), (/^(?:bring|pull)/.test(m[1]) || /\sforward\s/.test(t) ? -1 : 1) * days(m[3], m[4]), ctx);
  return null;
};

function offset(position: number, offsetDays: number): RefineOp {
  if (offsetDays > 365) throw invalid('text', `day ${offsetDays} is more than a year after enrolment; a series step goes out within 365 days`);
  return { op: 'offset', position, offsetDays };
}

function shifted(position: number, delta: number, ctx: Ctx): RefineOp {
  const current = ctx.offsets?.[position];
  if (current === undefined) throw invalid('text', `say on which day to send email ${position + 1}, counted from enrolment (e.g. "send email ${position + 1} on day 5")`);
  if (current + delta < 0) throw invalid('text', `email ${position + 1} goes out on day ${current}; ${-delta} day${delta === -1 ? '' : 's'} earlier would be before the contact enrols`);
  return offset(position, current + delta);
}

const EMAIL_NOUN = /\b(?:emails?|e-mails?|mails?|messages?|steps?)\b/;
/** What goes into every email rather than becoming one ("add a testimonial section", "add a P.S. to every email"). */
const PART_OF_EMAIL = /\b(?:sections?|blocks?|paragraphs?|buttons?|images?|pictures?|photos?|sentences?|links?|p\.?\s?s\.?|footers?|headers?|signatures?|emojis?|lines?|headings?|headlines?|subject lines?|preheaders?)\b|\b(?:to|in|into|for)\s+(?:every|each|all|both)\b|\bto (?:the|these|those|my|our) (?:emails|series|messages)\b/;

const addOp: Parser = (t, ctx) => {
  const m = /^(?:add|insert|include|append|write|create|squeeze in)\s+(.+)$/.exec(t);
  if (!m) return null;
  if (new RegExp(`^${NUMBER}\\s+(?:more\\s+|new\\s+)?${NOUN}`).test(m[1])) throw invalid('text', 'add one email at a time, e.g. "add a testimonial email after the second"');
  const where = placeOf(m[1], ctx);
  const what = where ? m[1].slice(0, where.index).trim() : m[1];
  if (PART_OF_EMAIL.test(what) || (!where && !EMAIL_NOUN.test(what))) return null;
  if (ctx.count >= SERIES_MAX) throw invalid('text', `the series already has ${ctx.count} emails, the most a series can have`);
  const start = t.length - m[1].length;
  const { role, beats } = described(ctx.written.slice(start, start + what.length));
  return { op: 'add', position: where?.position ?? ctx.count, role, beats };
};

/** Where an added email goes: "after the second", "before email 3", "at the start", "as the fourth", "between 2 and 3". */
function placeOf(rest: string, ctx: Ctx): { index: number; position: number } | null {
  const at = (re: RegExp) => re.exec(rest);
  let m = at(new RegExp(`\\s+(before|after|ahead of|in front of|behind)\\s+(${POS})$`));
  if (m) return { index: m.index, position: existing(m[2], ctx) + (m[1] === 'after' || m[1] === 'behind' ? 1 : 0) };
  m = at(new RegExp(`\\s+between\\s+(${POS})\\s+and\\s+(${POS})$`));
  if (m) {
    const [a, b] = [existing(m[1], ctx), existing(m[2], ctx)].sort((x, y) => x - y);
    if (b - a !== 1) throw invalid('text', `emails ${a + 1} and ${b + 1} are not next to each other, so there is no place between them`);
    return { index: m.index, position: b };
  }
  m = at(new RegExp(`\\s+(?:at|to)\\s+the\\s+(?:(${START})|(${END}))(?:\\s+of the (?:series|sequence|flow))?$`));
  if (m) return { index: m.index, position: m[1] ? 0 : ctx.count };
  m = at(new RegExp(`\\s+(?:as\\s+(?:the\\s+)?(${ORDINAL})(?:\\s+${NOUN})?|(?:in|at)\\s+position\\s+(${NUMBER}))$`));
  if (m) {
    const found = numberOf(m[1] ?? m[2]);
    // "as the last one" is the new last email; "as the third" is position 3 of the new list.
    const position = 'fromEnd' in found ? ctx.count - found.fromEnd : found.n - 1;
    if (position < 0 || position > ctx.count) throw invalid('text', `the series has ${ctx.count} emails, so a new email can go at positions 1 to ${ctx.count + 1}`);
    return { index: m.index, position };
  }
  return null;
}

/**
 * "a testimonial email with quotes from Anna, a 5-star review" → role "Testimonial", beats
 * ["quotes from Anna", "a 5-star review"]; "an email called “Meet the roasters”" → that role.
 * Read from the text as typed, so names keep their capitals.
 */
function described(what: string): { role: string; beats: string[] } {
  const body = what.replace(/^(?:one more|a new|a further|an extra|an additional|another|an|a|one|new)\s+/i, '');
  const named = /\s*\b(?:called|named|titled)\s+["“']?(.+?)["”']?$/i.exec(body);
  const about = /\s+(?:about|on|covering|with|that (?:covers|explains|shares|mentions|shows)|mentioning|featuring|explaining|sharing|showing|to)\s+/i.exec(body);
  const head = named ? body.slice(0, named.index) : about ? body.slice(0, about.index) : body;
  const beats = (about && !named ? body.slice(about.index + about[0].length) : '')
    .split(/\s*[,;]\s*(?:and\s+)?/i)
    .map((b) => b.trim().slice(0, 300))
    .filter(Boolean)
    .slice(0, 8);
  const role = named?.[1] ?? head.replace(new RegExp(EMAIL_NOUN, 'gi'), '').replace(/\s+/g, ' ').trim();
  return { role: capitalise((role || beats[0] || 'New email').slice(0, 120)), beats };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const PARSERS: Parser[] = [removeOp, moveOp, offsetOp, addOp];
