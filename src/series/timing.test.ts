import { describe, expect, it } from 'vitest';
import { CATCH_UP_MS } from './model.ts';
import { nextDueAt, planBatch, sendZone, stepDueAt } from './drip.ts';
import type { DueRow, SeriesRow, StepWithCarrier } from './repo.ts';

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

  it('a batch times each next step as nextDueAt does, though enrolments of one zone and local date share the work', () => {
    const offsets = [0, 0, 1, 3, 7];
    const steps = offsets.map((offset_days, position) => ({ id: `stp_${position}`, position, offset_days, campaign_id: `cmp_${position}` }) as StepWithCarrier);
    const series = { id: 'ser_1', brand_id: 'brd_1', send_hour: 9, time_zone: null, provider_id: null } as SeriesRow;
    const now = at('2026-03-09T12:00:00Z');
    // New York switches to summer time on 8 March: its enrolments span both offsets; same local date, different steps too.
    const enrolled = ['2026-03-07T14:00:00Z', '2026-03-08T04:59:00Z', '2026-03-08T05:01:00Z', '2026-03-08T20:00:00Z', '2026-03-09T03:59:00Z', '2026-03-09T11:00:00Z'];
    const rows: DueRow[] = [];
    for (const [k, time] of enrolled.entries()) {
      for (const zone of ['America/New_York', 'Europe/Berlin', null]) {
        for (const last of [-1, 0, 1, 2]) {
          rows.push({ id: `enr_${rows.length}`, contact_id: `ctc_${rows.length}`, enrolled_at: new Date(at(time)).toISOString(), last_position: last, email: `c${k}@x.test`, status: 'subscribed', validation: 'valid', time_zone: zone, suppression: null });
        }
      }
    }
    const plan = planBatch(rows, { series, steps, brandZone: 'Asia/Tokyo', now, goal: new Set() });
    expect(plan.advances).toHaveLength(rows.length);
    for (const [i, row] of rows.entries()) {
      const next = steps[row.last_position + 2];
      expect(plan.advances[i]).toEqual({ id: row.id, last_position: row.last_position + 1, next_step_id: next.id, next_due_at: iso(nextDueAt(at(row.enrolled_at), next.offset_days, 9, sendZone(null, row.time_zone, 'Asia/Tokyo'), now)) });
    }
    // Different steps of the same zone and local date get their own times.
    expect(new Set(plan.advances.filter((a, i) => rows[i].time_zone === 'America/New_York' && rows[i].enrolled_at.startsWith('2026-03-09T11')).map((a) => a.next_due_at)).size).toBe(4);
  });
});
