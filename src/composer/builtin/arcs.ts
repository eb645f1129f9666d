import type { Purpose, SectionKind, SeriesKind } from '../model.ts';
import type { CtaAction } from './brief.ts';

/**
 * The arcs the built-in composer plans (S6.1): each series kind is a sequence of "moves" (welcome,
 * brand story, tips, offer…) with offsets in days from enrolment. A move knows the kind of email it
 * is (purpose and sections) and has its own copy in every catalogue language (`series.*.<move>`),
 * so the emails of an arc differ from each other and can refer to one another by name.
 */

export const MOVES = [
  'hello', 'story', 'tips', 'setup', 'feature', 'proof', 'checkin', 'offer', 'reminder', 'teaser', 'reveal', 'missyou',
  'news', 'goodbye', 'thanks', 'picks', 'invite', 'agenda', 'countdown', 'followup', 'payment', 'retry', 'final',
] as const;
export type Move = (typeof MOVES)[number];

interface MoveSpec {
  /** The role shown in the plan; `moveOf` reads it back to the same move. */
  role: string;
  beats: string[];
  purpose: Purpose;
  /** Sections besides the hero; one whose facts are unknown (no offer, no date) is left out, so each move has enough text without it. */
  sections: SectionKind[];
  /** The button, when the move needs a particular one (a dunning email always leads to billing). */
  action?: CtaAction;
}

export const MOVE_SPECS: Record<Move, MoveSpec> = {
  hello: { role: 'Welcome', beats: ['Thank them for joining', 'Say what the next emails will bring', 'Point to one first step'], purpose: 'welcome', sections: ['steps'] },
  story: { role: 'Brand story', beats: ['Tell how and why the brand began', 'Share what it stands for', 'Invite a reply'], purpose: 'announcement', sections: ['testimonial'] },
  tips: { role: 'Tips and how-tos', beats: ['Share a few practical tips', 'Suggest one thing to try this week', 'Offer help by reply'], purpose: 'newsletter', sections: ['faq'], action: 'explore' },
  setup: { role: 'First steps', beats: ['Walk through the first steps', 'Remove one obstacle', 'Point to help'], purpose: 'welcome', sections: ['steps'], action: 'start' },
  feature: { role: 'Feature spotlight', beats: ['Show one feature or product in depth', 'Explain what it changes for them', 'Link to try it'], purpose: 'product-update', sections: ['features'] },
  proof: { role: 'Social proof', beats: ['Quote a happy customer', 'Show why others trust the brand', 'Invite them to see for themselves'], purpose: 'announcement', sections: ['testimonial'] },
  checkin: { role: 'Check-in', beats: ['Ask how it is going', 'Invite feedback or a review', 'Offer help'], purpose: 'newsletter', sections: ['faq'], action: 'feedback' },
  offer: { role: 'Offer', beats: ['Present the offer and its terms', 'Make redeeming it easy', 'Say when it ends'], purpose: 'promo', sections: ['offer', 'testimonial'], action: 'offer' },
  reminder: { role: 'Last chance', beats: ['Remind them of the offer or the news', 'Say what they miss when it ends', 'One clear button'], purpose: 'promo', sections: ['offer', 'testimonial'], action: 'offer' },
  teaser: { role: 'Teaser', beats: ['Hint at what is coming', 'Build curiosity without giving it all away', 'Say when to expect it'], purpose: 'announcement', sections: ['features'] },
  reveal: { role: 'Launch', beats: ['Announce it properly', 'Show what is new and for whom', 'Link to see or buy it'], purpose: 'announcement', sections: ['features'] },
  missyou: { role: 'We miss you', beats: ['Say it has been a while, warmly', 'Remind them what they liked', 'Invite them back'], purpose: 're-engagement', sections: ['features'] },
  news: { role: "What's new", beats: ['Show what changed since their last visit', 'Pick the changes they care about', 'Link to see them'], purpose: 're-engagement', sections: ['features'] },
  goodbye: { role: 'Last call', beats: ['Ask whether they still want these emails', 'Offer fewer emails instead of none', 'Respect their choice'], purpose: 're-engagement', sections: ['faq'] },
  thanks: { role: 'Thank you', beats: ['Thank them for the order', 'Say what happens next', 'Point to help'], purpose: 'announcement', sections: ['steps'] },
  picks: { role: 'Recommendations', beats: ['Suggest what goes well with their order', 'Keep it personal, not pushy', 'Link to the picks'], purpose: 'promo', sections: ['features'], action: 'shop' },
  invite: { role: 'Invitation', beats: ['Invite them and say why it is worth it', 'Give date, time and place', 'Ask them to register'], purpose: 'event', sections: ['details', 'features'], action: 'register' },
  agenda: { role: 'Programme', beats: ['Share the programme or the speakers', 'Say what they will take away', 'Remind them to register'], purpose: 'event', sections: ['details', 'features'], action: 'register' },
  countdown: { role: 'Reminder', beats: ['Remind them it is coming up', 'Repeat date, time and place', 'One button to join'], purpose: 'event', sections: ['details', 'features'], action: 'register' },
  followup: { role: 'Follow-up', beats: ['Thank them for coming', 'Share a recap or the recording', 'Point to what is next'], purpose: 'event', sections: ['testimonial'], action: 'read' },
  payment: { role: 'Payment failed', beats: ['Say calmly that the payment did not go through', 'Explain how to update the details', 'Reassure that nothing is lost yet'], purpose: 'announcement', sections: [], action: 'billing' },
  retry: { role: 'Payment reminder', beats: ['Remind them the payment is still open', 'Make updating the details easy', 'Say what happens if nothing changes'], purpose: 'announcement', sections: [], action: 'billing' },
  final: { role: 'Final notice', beats: ['Say this is the last reminder', 'State what happens and when', 'One button to fix it'], purpose: 'announcement', sections: [], action: 'billing' },
};

/** Words in a role (or its beats) that name a move, most specific first: "payment reminder" is not an event reminder. */
const MOVE_CUES: Array<[Move, RegExp]> = [
  ['final', /\bfinal notice\b|\blast notice\b|\bsuspen|\bcancell?ation\b|\baccount (?:will be )?(?:paused|closed)/],
  ['retry', /\bpayment reminder\b|\bretry\b|\bsecond notice\b|\bstill (?:open|unpaid|due)\b|\bupdate (?:your |the )?(?:payment|card|billing)/],
  ['payment', /\bpayment (?:failed|declined|issue|problem)|\bfailed payment|\bcard (?:declined|expired)|\bbilling (?:issue|problem)|\bdunning\b/],
  ['followup', /\bfollow[- ]?up\b|\brecap\b|\brecording\b|\bafter the event\b|\bthanks? (?:you )?for (?:coming|attending|joining us)/],
  ['countdown', /\breminder\b|\btomorrow\b|\bcountdown\b|\bstarts (?:soon|in)\b|\bsee you (?:soon|there)\b/],
  ['invite', /\binvit|\bsave the date\b|\brsvp\b/],
  ['agenda', /\bagenda\b|\bprogram(?:me)?\b|\bspeakers?\b|\bschedule\b|\bline-?up\b/],
  ['checkin', /\bcheck[- ]?in\b|\bfeedback\b|\bsurvey\b|\breview request|\bask(?:ing)? for (?:a )?review|\brating\b|\bhow (?:is|it'?s) it going/],
  ['reminder', /\blast chance\b|\bending soon\b|\bends (?:today|tomorrow|soon)\b|\bexpir|\burgen|\bdeadline\b/],
  ['goodbye', /\bgoodbye\b|\blast call\b|\bbreak-?up\b|\bsunset|\bstill interested\b|\bpreferences\b|\bunsubscrib/],
  ['missyou', /\bmiss(?:ed)? you\b|\bre-?engag|\bcome back\b|\bwin[- ]?back\b|\bbeen a while\b/],
  ['teaser', /\bteaser?\b|\bsneak peek\b|\bcoming soon\b|\bpre-?launch\b|\bhint\b/],
  ['picks', /\brecommend|\bcross-?sell|\bupsell|\bpicks?\b|\bpairs? (?:well )?with\b|\breplenish|\breorder|\brefill/],
  ['thanks', /\bthank|\border confirm|\breceipt\b|\bconfirmation\b/],
  ['proof', /\btestimonial|\bsocial proof\b|\bcase stud|\bcustomer stor|\breviews?\b|\bproof\b|\bquotes?\b/],
  ['setup', /\bfirst steps?\b|\bset ?up\b|\bgetting started\b|\bactivat|\bonboard/],
  ['hello', /\bwelcome\b|\bhello\b|\bgreet/],
  ['story', /\bstory\b|\babout us\b|\bmission\b|\bvalues\b|\bfounder|\bwhy we\b|\bbehind\b/],
  ['tips', /\btips?\b|\bhow[- ]tos?\b|\bguide\b|\beducat|\blessons?\b|\blearn|\badvice\b/],
  ['offer', /\boffer\b|\bdiscount|\bcoupon|\bincentive|\bdeal\b|\bgift\b|\bpromo|\bsale\b|\d+\s?%/],
  ['feature', /\bfeature|\bspotlight\b|\bdeep dive\b|\bproduct\b|\bbenefit/],
  ['reveal', /\blaunch|\bannounc|\breveal|\brelease|\bavailable now\b|\bit'?s here\b|\bintroduc/],
  ['news', /\bwhat['’]?s new\b|\bnews\b|\bupdates?\b|\bchanges?\b|\bimprovements?\b/],
];

/** The move a role stands for: its own words first, then its beats, else the arc's usual extra email. */
export function moveOf(role: string, beats: string[], kind: SeriesKind): Move {
  for (const text of [role, beats.join(' ')]) {
    const found = MOVE_CUES.find(([, re]) => re.test(text.toLowerCase()))?.[0];
    // "a reminder" in a welcome flow reminds of the offer, not of an event.
    if (found) return found === 'countdown' && kind !== 'event' ? 'reminder' : found;
  }
  return ARCS[kind].extras[0];
}

interface Arc {
  /** The usual arc: moves and their offsets in days from enrolment. */
  steps: Array<[Move, number]>;
  /** Which moves a shorter series keeps, most important first. */
  keep: Move[];
  /** What a longer series adds, in turn, before its closing emails. */
  extras: Move[];
  /** Days between added emails. */
  extraGap: number;
  /** How many emails close the arc and stay last (an event's reminder and follow-up); default 1. */
  closing?: number;
}

const ARCS: Record<SeriesKind, Arc> = {
  welcome: { steps: [['hello', 0], ['story', 2], ['tips', 5], ['offer', 9]], keep: ['hello', 'offer', 'tips', 'story'], extras: ['proof', 'picks', 'checkin', 'feature'], extraGap: 4 },
  onboarding: { steps: [['setup', 0], ['tips', 2], ['feature', 4], ['proof', 7], ['checkin', 14]], keep: ['setup', 'feature', 'checkin', 'tips', 'proof'], extras: ['feature', 'tips', 'offer'], extraGap: 3 },
  launch: { steps: [['teaser', 0], ['reveal', 3], ['proof', 5], ['reminder', 7]], keep: ['reveal', 'reminder', 'teaser', 'proof'], extras: ['feature', 'tips', 'offer'], extraGap: 2 },
  nurture: { steps: [['tips', 0], ['story', 3], ['proof', 7], ['feature', 12], ['offer', 18]], keep: ['tips', 'offer', 'proof', 'feature', 'story'], extras: ['tips', 'feature', 'checkin', 'picks'], extraGap: 5 },
  winback: { steps: [['missyou', 0], ['offer', 5], ['goodbye', 12]], keep: ['missyou', 'goodbye', 'offer'], extras: ['news', 'proof', 'picks'], extraGap: 4 },
  'post-purchase': { steps: [['thanks', 0], ['tips', 3], ['checkin', 10], ['picks', 21]], keep: ['thanks', 'checkin', 'tips', 'picks'], extras: ['proof', 'story', 'offer'], extraGap: 5 },
  event: { steps: [['invite', 0], ['agenda', 4], ['countdown', 7], ['followup', 10]], keep: ['invite', 'countdown', 'followup', 'agenda'], extras: ['proof', 'tips', 'feature'], extraGap: 2, closing: 2 },
  dunning: { steps: [['payment', 0], ['retry', 3], ['final', 7]], keep: ['payment', 'final', 'retry'], extras: ['retry'], extraGap: 2 },
};

export const defaultCount = (kind: SeriesKind) => ARCS[kind].steps.length;

export interface ArcStep {
  move: Move;
  offsetDays: number;
}

/** The arc of `kind` with `count` emails: shortened by importance or lengthened before its last email. */
export function arcSteps(kind: SeriesKind, count: number): ArcStep[] {
  const arc = ARCS[kind];
  const steps = count <= arc.steps.length ? shortened(arc, count) : lengthened(arc, count);
  // The series starts when the contact enrols, whichever email comes first.
  const start = steps[0].offsetDays;
  return steps.map((s) => ({ ...s, offsetDays: s.offsetDays - start }));
}

function shortened(arc: Arc, count: number): ArcStep[] {
  const kept = new Set(arc.keep.slice(0, count));
  return arc.steps.filter(([move]) => kept.has(move)).map(([move, offsetDays]) => ({ move, offsetDays }));
}

/** Extras go before the closing emails, which keep their spacing after the last extra. */
function lengthened(arc: Arc, count: number): ArcStep[] {
  const split = arc.steps.length - (arc.closing ?? 1);
  const steps = arc.steps.slice(0, split).map(([move, offsetDays]) => ({ move, offsetDays }));
  for (let i = 0; steps.length < count - (arc.steps.length - split); i++) steps.push({ move: arc.extras[i % arc.extras.length], offsetDays: steps.at(-1)!.offsetDays + arc.extraGap });
  for (let i = split; i < arc.steps.length; i++) {
    const [move, offset] = arc.steps[i];
    steps.push({ move, offsetDays: steps.at(-1)!.offsetDays + offset - arc.steps[i - 1][1] });
  }
  return steps;
}
