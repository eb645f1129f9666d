import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/errors.ts';
import { SeriesBrief, type SeriesBriefInput } from '../model.ts';
import { cadenceInPrompt, countInPrompt, inferSeriesKind, resolveSeries } from './infer.ts';

const resolve = (input: SeriesBriefInput) => resolveSeries(SeriesBrief.parse(input));

describe('reading a series brief', () => {
  it.each([
    ['a 4-email welcome flow for new subscribers of a coffee subscription', 'welcome'],
    ['Onboarding series for new users of our app', 'onboarding'],
    ['Pre-launch sequence for the Barista Pro espresso machine', 'launch'],
    ['Educate leads about home brewing over a month', 'nurture'],
    ['Win back customers who have not ordered in six months', 'winback'],
    ["We haven't seen these subscribers in a while: re-engage them", 'winback'],
    ['After their first order: thank them and ask for a review', 'post-purchase'],
    ['Invite customers to our autumn tasting evening in Berlin', 'event'],
    ['Failed payment emails for subscribers whose card was declined', 'dunning'],
    ['Willkommensstrecke: willkommen bei Acme', 'welcome'],
    ['a welcome flow with 10% off the first order', 'welcome'],
  ] as const)('"%s" is a %s series', (prompt, kind) => {
    expect(inferSeriesKind(prompt)).toBe(kind);
  });

  it('names no kind when the prompt gives no cue', () => {
    expect(inferSeriesKind('Some emails for our customers')).toBeNull();
  });

  it.each([
    ['a 4-email welcome flow', 4],
    ['Five emails over two weeks', 5],
    ['a series of 6 for new users', 6],
    ['a 3-part onboarding', 3],
    ['twelve messages', 12],
    ['send 40 emails to everyone', 40],
    ['4 E-Mails für neue Kunden', 4],
    ['une série de 5 e-mails', 5],
    ['a welcome flow', null],
    ['20% off for 7 days', null],
  ] as const)('"%s" asks for %s emails', (prompt, count) => {
    expect(countInPrompt(prompt)).toBe(count);
  });

  it.each([
    ['spread over two weeks', { spanDays: 14 }],
    ['across 10 days', { spanDays: 10 }],
    ['over a month', { spanDays: 30 }],
    ['one every 3 days', { gapDays: 3 }],
    ['every other day', { gapDays: 2 }],
    ['a weekly nurture series', { gapDays: 7 }],
    ['daily tips', { gapDays: 1 }],
    ['a welcome flow', null],
  ] as const)('"%s" sets the cadence %j', (prompt, cadence) => {
    expect(cadenceInPrompt(prompt)).toEqual(cadence);
  });

  it('takes the count from the brief first, then the prompt, then the arc, and says when it chose', () => {
    expect(resolve({ prompt: 'a 3-email welcome flow', count: 5 })).toMatchObject({ kind: 'welcome', count: 5, notes: [] });
    expect(resolve({ prompt: 'a 3-email welcome flow' })).toMatchObject({ kind: 'welcome', count: 3, notes: [] });
    const usual = resolve({ prompt: 'a welcome flow for new subscribers' });
    expect(usual).toMatchObject({ kind: 'welcome', count: 4 });
    expect(usual.notes).toEqual(['No number of emails given, so the welcome flow has its usual 4; set count (1–12) to change that.']);
  });

  it('plans a nurture series when nothing names the kind, and says so', () => {
    const target = resolve({ prompt: 'Some emails for our customers', count: 3 });
    expect(target).toMatchObject({ kind: 'nurture', count: 3 });
    expect(target.notes[0]).toMatch(/^The brief does not name a kind of series .* planned as a nurture series; set kind to change that\.$/);
  });

  it('refuses more than 12 emails, whether asked in the brief or in the prompt, naming count', () => {
    expect(SeriesBrief.safeParse({ prompt: 'welcome flow', count: 40 }).error?.issues).toMatchObject([{ path: ['count'], message: 'must be at most 12' }]);
    let err: unknown;
    try {
      resolve({ prompt: 'a 40-email welcome flow' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'validation_failed', message: 'count: must be at most 12 (the prompt asks for 40 emails)' });
    // An explicit count settles it, whatever the prompt says.
    expect(resolve({ prompt: 'a 40-email welcome flow', count: 12 }).count).toBe(12);
  });

  it('is strict: unknown fields and a missing prompt are named', () => {
    expect(SeriesBrief.safeParse({ prompt: 'x', cout: 3 }).error?.issues).toMatchObject([{ message: 'unknown field "cout"' }]);
    expect(SeriesBrief.safeParse({ count: 3 }).error?.issues).toMatchObject([{ path: ['prompt'] }]);
  });
});
