import { DateTime, IANAZone } from 'luxon';
import { invalid } from '../shared/errors.ts';
import type { CampaignSchedule } from './model.ts';

/**
 * Schedule arithmetic (S5.1), pure. A schedule is a local wall-clock time plus an IANA zone, kept
 * as given (so it can be shown back the way the user said it), and resolved to UTC instants:
 * - one zone: the campaign starts at that instant (`send_at`), every message is due then;
 * - each recipient's own zone: every message is due at that wall-clock time in the contact's zone
 *   (the schedule's zone when the contact has none or an unknown one). The campaign starts when the
 *   earliest zone on Earth (UTC+14) reaches the time, so fan-out has run before anyone is due.
 *   Recipients whose local time has already passed when the campaign starts get it at once.
 */

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
/** IANA's Etc zones have inverted signs: Etc/GMT-14 is UTC+14. */
const EARLIEST_ZONE = 'Etc/GMT-14';
const LATEST_ZONE = 'Etc/GMT+12';

export const isTimeZone = (zone: string): boolean => IANAZone.isValidZone(zone);

/** `at` (local, no offset) in `zone` as a UTC instant. */
export function instantOf(at: string, zone: string): Date {
  if (!LOCAL_DATE_TIME.test(at)) throw invalid('at', `must be a local date and time such as 2026-12-01T09:00, without an offset (the zone says where), got "${at}"`);
  const local = DateTime.fromISO(at, { zone });
  if (!local.isValid) throw invalid('at', `"${at}" is not a real date and time`);
  return local.toJSDate();
}

/** Checks a schedule against `now` and says when the campaign starts. */
export function resolveSchedule(s: CampaignSchedule, now: Date): { sendAt: Date } {
  if (!isTimeZone(s.zone)) throw invalid('zone', `"${s.zone}" is not an IANA time zone (for example Europe/Berlin or America/New_York)`);
  if (!s.perRecipientZone) {
    const sendAt = instantOf(s.at, s.zone);
    if (sendAt.getTime() <= now.getTime()) throw invalid('at', `is in the past: ${s.at} in ${s.zone} was ${sendAt.toISOString()}`);
    return { sendAt };
  }
  const last = instantOf(s.at, LATEST_ZONE);
  if (last.getTime() <= now.getTime()) throw invalid('at', `${s.at} has already passed in every time zone`);
  const first = instantOf(s.at, EARLIEST_ZONE);
  return { sendAt: first.getTime() > now.getTime() ? first : now };
}

/**
 * When each message of a campaign is due. Zones repeat across a large audience, so each zone's
 * instant is computed once.
 */
export function dueTimes(schedule: CampaignSchedule | null, start: Date): (contactZone: string | null) => string {
  const startIso = start.toISOString();
  if (!schedule?.perRecipientZone) return () => startIso;
  const byZone = new Map<string | null, string>();
  const fallback = instantOf(schedule.at, schedule.zone);
  return (contactZone) => {
    let due = byZone.get(contactZone);
    if (due === undefined) {
      const instant = contactZone && isTimeZone(contactZone) ? instantOf(schedule.at, contactZone) : fallback;
      due = instant.getTime() > start.getTime() ? instant.toISOString() : startIso;
      byZone.set(contactZone, due);
    }
    return due;
  };
}
