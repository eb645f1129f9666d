import { invalid } from '../../shared/errors.ts';
import { SERIES_MAX, type SeriesBrief, type SeriesKind } from '../model.ts';
import { defaultCount } from '../builtin/arcs.ts';

/**
 * Reads what a series brief says about the series itself: which arc ("a welcome flow"), how many
 * emails ("a 4-email …") and the cadence ("over two weeks", "weekly"). Every composer plans from
 * this reading, so the built-in and the model-backed ones agree on kind and count.
 */

/** How the prompt wants the emails spaced, when it says so. */
export type Cadence = { gapDays: number } | { spanDays: number } | null;

export interface SeriesTarget {
  kind: SeriesKind;
  count: number;
  cadence: Cadence;
  notes: string[];
}

const KIND_LABELS: Record<SeriesKind, string> = {
  welcome: 'welcome flow',
  onboarding: 'onboarding series',
  launch: 'launch series',
  nurture: 'nurture series',
  winback: 'win-back series',
  'post-purchase': 'post-purchase series',
  event: 'event series',
  dunning: 'dunning series',
};
export const kindLabel = (kind: SeriesKind) => KIND_LABELS[kind];

export function resolveSeries(brief: SeriesBrief): SeriesTarget {
  const notes: string[] = [];
  const inferred = brief.kind ?? inferSeriesKind(brief.prompt);
  const kind = inferred ?? 'nurture';
  if (!inferred) notes.push('The brief does not name a kind of series (welcome, onboarding, launch, …), so it is planned as a nurture series; set kind to change that.');
  const asked = countInPrompt(brief.prompt);
  // An explicit count wins over the prompt; a count in the prompt wins over the arc's usual length.
  if (brief.count === undefined && asked !== null && asked > SERIES_MAX) throw invalid('count', `must be at most ${SERIES_MAX} (the prompt asks for ${asked} emails)`);
  const count = brief.count ?? asked ?? defaultCount(kind);
  if (brief.count === undefined && asked === null) notes.push(`No number of emails given, so the ${kindLabel(kind)} has its usual ${count}; set count (1–${SERIES_MAX}) to change that.`);
  return { kind, count, cadence: cadenceInPrompt(brief.prompt), notes };
}

// ---- kind ----

/** Cues per arc; on a tie the earlier arc (the more specific one) wins. */
const KIND_CUES: Array<[SeriesKind, RegExp]> = [
  ['dunning', /\bdunning\b|\bfailed payments?\b|\bpayments? (?:failed|declined|failure)|\bcard (?:declined|expir)|\bpast[- ]due\b|\boverdue\b|\bunpaid\b|\bbilling (?:issue|problem|failure)|\bzahlung fehlgeschlagen|\bpaiement (?:échoué|refusé)|\bpago fallido/gi],
  ['winback', /\bwin[- ]?back\b|\bre-?engag|\bre-?activat|\blapsed\b|\binactive\b|\bdormant\b|\b(?:have|has|had)(?: not|n['’]t) (?:ordered|bought|purchased|opened|visited|logged|been)|\bmiss(?:ed)? you\b|\bcome back\b|\bchurned\b|\breconquête|\breactivación/gi],
  ['post-purchase', /\bpost[- ]?purchase\b|\bafter (?:a |their |the |each |every )?(?:first |1st |next )?(?:purchase|order|checkout)|(?<!\bnot |n['’]t )\b(?:bought|purchased|ordered)\b|\border follow-?up|\breview requests?\b|\bcross-?sell|\breplenish|\bnach dem kauf|\baprès (?:l'|l’)?achat|\bdespués de la compra/gi],
  ['event', /\bevent\b|\bwebinars?\b|\bconference\b|\bworkshop\b|\bmeet-?up\b|\bsummit\b|\bmasterclass\b|\btasting\b|\blivestream\b|\brsvp\b|\binvit|\bveranstaltung|\bévénement|\bevento\b/gi],
  ['launch', /\blaunch|\bpre-?launch\b|\bproduct drop\b|\brelease\b|\bunveil|\bcoming soon\b|\bnew product\b|\bannounc|\blancement|\blanzamiento|\bmarkteinführung/gi],
  ['onboarding', /\bonboard|\bgetting started\b|\btrials?\b|\bnew users?\b|\bactivation\b|\bset ?up\b|\bfirst steps\b|\bproduct tour\b|\beinführung|\bintégration|\bincorporación/gi],
  ['welcome', /\bwelcome\b|\bnew (?:subscriber|member|customer|sign-?up|reader)s?\b|\bjust (?:signed up|joined|subscribed)\b|\bsigned up\b|\bsign-?ups\b|\bwillkommen|\bbienvenu|\bbienvenid/gi],
  ['nurture', /\bnurtur|\bleads?\b|\beducat|\bcourse\b|\blessons?\b|\bprospects?\b|\btips\b/gi],
];

export function inferSeriesKind(text: string): SeriesKind | null {
  let best: SeriesKind | null = null;
  let bestScore = 0;
  for (const [kind, re] of KIND_CUES) {
    const score = text.match(re)?.length ?? 0;
    if (score > bestScore) [best, bestScore] = [kind, score];
  }
  return best;
}

// ---- count and cadence ----

const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, twenty: 20, thirty: 30, forty: 40, fifty: 50, hundred: 100,
};
const NUMBER = `(\\d{1,3}|${Object.keys(NUMBER_WORDS).join('|')})`;
const numberOf = (word: string) => (/^\d+$/.test(word) ? Number(word) : NUMBER_WORDS[word.toLowerCase()]);

/** "a 4-email welcome flow", "five emails", "a series of 6", "3-part", "4 E-Mails", "série de 5 e-mails". */
const COUNT_PATTERNS = [
  new RegExp(`\\b${NUMBER}[-\\s](?:e-?mails?|mails?|messages?|parts?|steps?|touch(?:es|points?)?|courriels?|correos?|nachrichten)\\b`, 'i'),
  new RegExp(`\\b(?:series|sequence|flow|drip|serie|série|reihe|secuencia) (?:of|de|von|aus) ${NUMBER}\\b`, 'i'),
];

/** The number of emails the prompt asks for, even beyond what a series allows (that is an error the caller reports). */
export function countInPrompt(text: string): number | null {
  for (const re of COUNT_PATTERNS) {
    const m = re.exec(text);
    if (m) return numberOf(m[1]);
  }
  return null;
}

const UNIT_DAYS: Record<string, number> = { day: 1, week: 7, fortnight: 14, month: 30 };
const unitDays = (unit: string) => UNIT_DAYS[unit.toLowerCase().replace(/s$/, '')];

/** "over two weeks" → span 14; "every 3 days" → gap 3; "weekly" → gap 7. */
export function cadenceInPrompt(text: string): Cadence {
  const span = new RegExp(`\\b(?:over|across|within|during|spread over|in)\\s+(?:the\\s+|an?\\s+)?(?:next\\s+|first\\s+)?(?:${NUMBER}\\s+)?(days?|weeks?|fortnight|months?)\\b`, 'i').exec(text);
  if (span && (span[1] || /^(?:fortnight|week|month)$/i.test(span[2]))) return { spanDays: (span[1] ? numberOf(span[1]) : 1) * unitDays(span[2]) };
  if (/\bevery other day\b/i.test(text)) return { gapDays: 2 };
  const every = new RegExp(`\\bevery\\s+(?:${NUMBER}\\s+)?(days?|weeks?|fortnight|months?)\\b`, 'i').exec(text);
  if (every) return { gapDays: (every[1] ? numberOf(every[1]) : 1) * unitDays(every[2]) };
  const adverb = /\b(daily|weekly|fortnightly|bi-?weekly|monthly)\b/i.exec(text)?.[1].toLowerCase();
  if (adverb) return { gapDays: adverb === 'daily' ? 1 : adverb === 'weekly' ? 7 : adverb === 'monthly' ? 30 : 14 };
  return null;
}
