import type { ContactStatus, SkipReason, Validation } from '../store/schema.ts';
import type { SuppressionReason } from '../audience/model.ts';

/**
 * Who is left out of a send, and why (S5.2). Every contact of the audience ends up with exactly one
 * outcome: queued, or skipped with ONE reason. When several apply, the first in this order wins:
 *
 * 1. complained, 2. bounced, 3. unsubscribed — what the address itself told us (status or the
 *    suppression list). A complaint outranks a bounce because it is the costlier signal for the
 *    sender's reputation, and both outrank an unsubscribe because they are facts about the mailbox,
 *    not only about consent. A manual suppression counts as an unsubscribe: someone took the
 *    address out on the owner's behalf.
 * 4. non-subscribed — never opted in.
 * 5. invalid, 6. risky — address quality, which only matters for someone we may mail at all.
 * 7. topic-opt-out — a preference for this campaign's topic, which only matters for a subscriber.
 * 8. duplicate — another contact earlier in this campaign (by contact id) already gets a message
 *    for the same mailbox. Checked last, so the one copy goes to a contact that is really sendable.
 */

/** What fan-out knows about one contact when it decides. */
export interface RecipientFacts {
  status: ContactStatus;
  validation: Validation;
  /** The suppression list's reason for the address, when it is listed. */
  suppression: SuppressionReason | null;
  /** The contact's own choice for the campaign's topic; null when they never chose. */
  topicOptIn: boolean | null;
}

/** The campaign's topic, when it has one. */
export interface TopicRule {
  defaultOptIn: boolean;
}

type Test = (f: RecipientFacts, topic: TopicRule | null) => boolean;

const RULES: ReadonlyArray<readonly [Exclude<SkipReason, 'duplicate'>, Test]> = [
  ['complained', (f) => f.status === 'complained' || f.suppression === 'complaint'],
  ['bounced', (f) => f.status === 'bounced' || f.suppression === 'bounce'],
  ['unsubscribed', (f) => f.status === 'unsubscribed' || f.suppression === 'unsubscribe' || f.suppression === 'manual'],
  ['non-subscribed', (f) => f.status === 'non-subscribed'],
  ['invalid', (f) => f.validation === 'invalid'],
  ['risky', (f) => f.validation === 'risky'],
  ['topic-opt-out', (f, topic) => topic !== null && !(f.topicOptIn ?? topic.defaultOptIn)],
];

/** The order reasons are checked in; the first that applies is the one recorded. */
export const SKIP_PRECEDENCE: readonly SkipReason[] = [...RULES.map(([reason]) => reason), 'duplicate'];

/** The reason to skip a contact, before duplicates are considered; null when it may be sent to. */
export function skipReasonOf(facts: RecipientFacts, topic: TopicRule | null): Exclude<SkipReason, 'duplicate'> | null {
  for (const [reason, applies] of RULES) if (applies(facts, topic)) return reason;
  return null;
}

/** Google delivers every spelling of a Gmail address to one mailbox: dots and "+tag" are ignored. */
const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * The mailbox an address shares with other spellings, or null when it has none. Contacts are
 * unique per brand by their (lower-cased) address, so two contacts can only reach the same mailbox
 * through a provider that folds spellings together; only Gmail documents doing so for both dots
 * and plus tags. Other domains may treat `a+b@` as a mailbox of its own, so they are left alone.
 */
export function sharedMailbox(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at <= 0) return null;
  const domain = email.slice(at + 1).toLowerCase();
  if (!GMAIL_DOMAINS.has(domain)) return null;
  const local = email.slice(0, at).toLowerCase().split('+', 1)[0].replaceAll('.', '');
  return `${local}@gmail.com`;
}
