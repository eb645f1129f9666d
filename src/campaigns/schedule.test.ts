import { describe, expect, it } from 'vitest';
import { dueTimes, resolveSchedule } from './schedule.ts';

const now = new Date('2026-03-01T12:00:00Z');

describe('schedules', () => {
  it('turns a local time in a zone into the UTC instant, across daylight saving', () => {
    expect(resolveSchedule({ at: '2026-03-02T09:00', zone: 'Europe/Berlin', perRecipientZone: false }, now).sendAt.toISOString()).toBe('2026-03-02T08:00:00.000Z');
    // After the clocks went forward (29 March in the EU), 09:00 in Berlin is 07:00 UTC.
    expect(resolveSchedule({ at: '2026-04-01T09:00:30', zone: 'Europe/Berlin', perRecipientZone: false }, now).sendAt.toISOString()).toBe('2026-04-01T07:00:30.000Z');
  });

  it('refuses the past, unknown zones and times with an offset, naming the field', () => {
    expect(() => resolveSchedule({ at: '2026-03-01T12:59', zone: 'Europe/Berlin', perRecipientZone: false }, now)).toThrow('at: is in the past: 2026-03-01T12:59 in Europe/Berlin was 2026-03-01T11:59:00.000Z');
    expect(() => resolveSchedule({ at: '2026-03-02T09:00', zone: 'Europe/Atlantis', perRecipientZone: false }, now)).toThrow(/^zone: "Europe\/Atlantis" is not an IANA time zone/);
    expect(() => resolveSchedule({ at: '2026-03-02T09:00+01:00', zone: 'Europe/Berlin', perRecipientZone: false }, now)).toThrow(/^at: must be a local date and time/);
    expect(() => resolveSchedule({ at: '2026-02-30T09:00', zone: 'Europe/Berlin', perRecipientZone: false }, now)).toThrow('at: "2026-02-30T09:00" is not a real date and time');
  });

  it("in each recipient's zone: starts when UTC+14 reaches the time, and refuses only a time already past everywhere", () => {
    const s = { at: '2026-03-02T09:00', zone: 'UTC', perRecipientZone: true };
    expect(resolveSchedule(s, now).sendAt.toISOString()).toBe('2026-03-01T19:00:00.000Z');
    // 09:00 today has passed in Europe, but not yet in Hawaii: allowed, starting at once.
    expect(resolveSchedule({ ...s, at: '2026-03-01T09:00' }, now).sendAt).toEqual(now);
    expect(() => resolveSchedule({ ...s, at: '2026-02-28T09:00' }, now)).toThrow('at: 2026-02-28T09:00 has already passed in every time zone');
  });

  it("makes each message due at the local time in the contact's zone, at once where it has passed, the schedule's zone when unknown", () => {
    const due = dueTimes({ at: '2026-03-01T09:00', zone: 'America/Chicago', perRecipientZone: true }, now);
    expect(due('Pacific/Honolulu')).toBe('2026-03-01T19:00:00.000Z');
    expect(due('Europe/Berlin')).toBe(now.toISOString());
    expect(due(null)).toBe('2026-03-01T15:00:00.000Z');
    expect(due('Not/AZone')).toBe('2026-03-01T15:00:00.000Z');
    expect(dueTimes(null, now)('Pacific/Honolulu')).toBe(now.toISOString());
  });
});
