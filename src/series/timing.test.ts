import { describe, expect, it } from 'vitest';
import { CATCH_UP_MS } from './model.ts';
import { nextDueAt, sendZone, stepDueAt } from './drip.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('step due times', () => {
  it('offset 0 is the enrolment itself; offset d is the send hour on the local date of enrolment + d', () => {
    const utc = sendZone(null, null, 'UTC');
    expect(iso(stepDueAt(at('2026-03-02T15:20:00Z'), 0, 9, utc))).toBe('2026-03-02T15:20:00.000Z');
    expect(iso(stepDueAt(at('2026-03-02T15:20:00Z'), 1, 9, utc))).toBe('2026-03-03T09:00:00.000Z');
    expect(iso(stepDueAt(at('2026-03-02T23:59:00Z'), 2, 18, utc))).toBe('2026-03-04T18:00:00.000Z');
  });

  it("uses the series' zone, else the contact's, else the brand's, else UTC (an unknown zone counts as none)", () => {
    const enrolled = at('2026-03-02T02:00:00Z'); // 21:00 on 1 March in New York, 11:00 on 2 March in Tokyo
    expect(iso(stepDueAt(enrolled, 1, 9, sendZone('Asia/Tokyo', 'America/New_York', 'Europe/Berlin')))).toBe('2026-03-03T00:00:00.000Z');
    expect(iso(stepDueAt(enrolled, 1, 9, sendZone(null, 'America/New_York', 'Europe/Berlin')))).toBe('2026-03-02T14:00:00.000Z');
    expect(iso(stepDueAt(enrolled, 1, 9, sendZone(null, 'Mars/Olympus', 'Europe/Berlin')))).toBe('2026-03-03T08:00:00.000Z');
    expect(iso(stepDueAt(enrolled, 1, 9, sendZone(null, null, 'Nowhere/Else')))).toBe('2026-03-03T09:00:00.000Z');
  });

  it('keeps the local send hour across daylight saving changes', () => {
    // New York moves to summer time on 8 March 2026: 09:00 is 14:00 UTC before and 13:00 UTC after.
    const ny = sendZone(null, 'America/New_York', 'UTC');
    const enrolled = at('2026-03-06T15:00:00Z');
    expect(iso(stepDueAt(enrolled, 1, 9, ny))).toBe('2026-03-07T14:00:00.000Z');
    expect(iso(stepDueAt(enrolled, 3, 9, ny))).toBe('2026-03-09T13:00:00.000Z');
    // 02:30 does not exist on 8 March in New York: it moves forward to 03:30 EDT.
    expect(iso(stepDueAt(enrolled, 2, 2, ny))).toBe('2026-03-08T07:00:00.000Z');
    // Berlin moves back on 25 October 2026.
    const berlin = sendZone(null, 'Europe/Berlin', 'UTC');
    expect(iso(stepDueAt(at('2026-10-24T10:00:00Z'), 1, 9, berlin))).toBe('2026-10-25T08:00:00.000Z');
  });

  it('a next step whose time has passed is due one tick after the step before it', () => {
    const utc = sendZone(null, null, 'UTC');
    const enrolled = at('2026-03-01T10:00:00Z');
    const now = at('2026-03-20T10:00:00Z');
    expect(nextDueAt(enrolled, 3, 9, utc, now)).toBe(now + CATCH_UP_MS);
    expect(iso(nextDueAt(enrolled, 30, 9, utc, now))).toBe('2026-03-31T09:00:00.000Z');
  });
});
