import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/errors.ts';
import { parseRefine, type RefineOp } from './refine.ts';

/** A series of four emails on days 0, 2, 5 and 9 unless a case says otherwise. */
const COUNT = 4;
const OFFSETS = [0, 2, 5, 9];

describe('parseRefine: structural instructions', () => {
  it.each<[string, RefineOp]>([
    // remove
    ['remove the last one', { op: 'remove', position: 3 }],
    ['Delete email 3', { op: 'remove', position: 2 }],
    ['drop the second email', { op: 'remove', position: 1 }],
    ['remove #1', { op: 'remove', position: 0 }],
    ['get rid of the penultimate email', { op: 'remove', position: 2 }],
    ['please remove email no. 2 from the series.', { op: 'remove', position: 1 }],
    ['cut the 4th', { op: 'remove', position: 3 }],
    ['remove the first', { op: 'remove', position: 0 }],
    ['remove email one', { op: 'remove', position: 0 }],
    // move (before/after, ends, positions)
    ['move email 3 before 1', { op: 'move', from: 2, to: 0 }],
    ['move email 1 after 3', { op: 'move', from: 0, to: 2 }],
    ['move the first email before the third', { op: 'move', from: 0, to: 1 }],
    ['put the last one after the second', { op: 'move', from: 3, to: 2 }],
    ['Move #4 in front of #2', { op: 'move', from: 3, to: 1 }],
    ['move the last one before email number 2', { op: 'move', from: 3, to: 1 }],
    ['move the last email to the start', { op: 'move', from: 3, to: 0 }],
    ['move the first one to the end of the series', { op: 'move', from: 0, to: 3 }],
    ['move email 2 to position 4', { op: 'move', from: 1, to: 3 }],
    ['move email 3 to 1', { op: 'move', from: 2, to: 0 }],
    ['put the last email first', { op: 'move', from: 3, to: 0 }],
    ['make the third email the first one', { op: 'move', from: 2, to: 0 }],
    ['swap emails 2 and 3', { op: 'move', from: 1, to: 2 }],
    ['switch the last one with the third', { op: 'move', from: 2, to: 3 }],
    // offsets: absolute and relative
    ['send the third on day 7', { op: 'offset', position: 2, offsetDays: 7 }],
    ['email 2 on day 3', { op: 'offset', position: 1, offsetDays: 3 }],
    ['send the last one 14 days after signup', { op: 'offset', position: 3, offsetDays: 14 }],
    ['set the offset of email 4 to 12 days', { op: 'offset', position: 3, offsetDays: 12 }],
    ['send the third 2 days later', { op: 'offset', position: 2, offsetDays: 7 }],
    ['send email 2 one day earlier', { op: 'offset', position: 1, offsetDays: 1 }],
    ['move the last email a week later', { op: 'offset', position: 3, offsetDays: 16 }],
    ['delay the second email by 2 days', { op: 'offset', position: 1, offsetDays: 4 }],
    ['bring the fourth forward by 3 days', { op: 'offset', position: 3, offsetDays: 6 }],
    ['push email 3 back by a couple of days', { op: 'offset', position: 2, offsetDays: 7 }],
    // add
    ['add a testimonial email after the second', { op: 'add', position: 2, role: 'Testimonial', beats: [] }],
    ['add an email about our new grinder at the end', { op: 'add', position: 4, role: 'Our new grinder', beats: ['our new grinder'] }],
    ['insert a new email between the second and third', { op: 'add', position: 2, role: 'New email', beats: [] }],
    ['add a customer story email before email 1', { op: 'add', position: 0, role: 'Customer story', beats: [] }],
    ['add a reminder email with the code SPRING20, the deadline; and free shipping', { op: 'add', position: 4, role: 'Reminder', beats: ['the code SPRING20', 'the deadline', 'free shipping'] }],
    ['add a follow-up email as the third', { op: 'add', position: 2, role: 'Follow-up', beats: [] }],
    ['add an email called "Meet the Roasters" at the start', { op: 'add', position: 0, role: 'Meet the Roasters', beats: [] }],
    ['Add a Barista Pro email about the Barista Pro grinder', { op: 'add', position: 4, role: 'Barista Pro', beats: ['the Barista Pro grinder'] }],
    ['add a feedback survey after the last one', { op: 'add', position: 4, role: 'Feedback survey', beats: [] }],
  ])('"%s"', (text, op) => {
    expect(parseRefine(text, COUNT, OFFSETS)).toEqual(op);
  });
});

describe('parseRefine: everything else is one instruction for every email', () => {
  it.each([
    'make them shorter',
    'Make every email more formal',
    'add a testimonial section',
    'add a P.S. to every email',
    'remove the testimonial from all emails',
    'remove the last paragraph',
    'move the button to the top',
    'translate to German',
    'add a testimonial',
  ])('"%s"', (text) => {
    expect(parseRefine(text, COUNT, OFFSETS)).toEqual({ op: 'edit-all', instruction: text });
  });

  it('keeps the instruction as typed, trimmed', () => {
    expect(parseRefine('  Use the button text “Order now”.  ', COUNT)).toEqual({ op: 'edit-all', instruction: 'Use the button text “Order now”.' });
  });
});

describe('parseRefine: positions that do not exist are errors naming text', () => {
  it.each([
    ['remove email 7', 'there is no email 7: the series has 4 emails'],
    ['delete the fifth email', 'there is no fifth email: the series has 4 emails'],
    ['remove email 0', 'emails are counted from 1, so there is no email 0'],
    ['move email 3 before 9', 'there is no email 9: the series has 4 emails'],
    ['move email 2 before 3', 'email 2 is already in that place'],
    ['move email 2 after 2', 'email 2 cannot go after itself'],
    ['swap emails 1 and 3', 'emails 1 and 3 are not next to each other; move them one at a time, e.g. "move email 3 before 1"'],
    ['send email 6 on day 3', 'there is no email 6: the series has 4 emails'],
    ['send the first one 2 days earlier', 'email 1 goes out on day 0; 2 days earlier would be before the contact enrols'],
    ['send the third on day 400', 'day 400 is more than a year after enrolment; a series step goes out within 365 days'],
    ['add a testimonial email after the ninth', 'there is no ninth email: the series has 4 emails'],
    ['add an email as the seventh', 'the series has 4 emails, so a new email can go at positions 1 to 5'],
    ['add an email between 1 and 3', 'emails 1 and 3 are not next to each other, so there is no place between them'],
    ['add 3 more emails', 'add one email at a time, e.g. "add a testimonial email after the second"'],
    ['   ', 'is empty; say what to change, e.g. "remove the last email" or "make every email shorter"'],
  ])('"%s"', (text, message) => {
    const err = catchError(() => parseRefine(text, COUNT, OFFSETS));
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'validation_failed', message: `text: ${message}`, details: { issues: [{ field: 'text', message }] } });
  });

  it('refuses to remove the only email and to add a thirteenth', () => {
    expect(catchError(() => parseRefine('remove the first email', 1))).toMatchObject({ message: 'text: the series has only this one email; a series needs at least one' });
    expect(catchError(() => parseRefine('add a tips email at the end', 12))).toMatchObject({ message: 'text: the series already has 12 emails, the most a series can have' });
  });

  it('needs the current offsets to shift an email by some days, and says how to give an absolute day instead', () => {
    expect(catchError(() => parseRefine('send the third 2 days later', COUNT))).toMatchObject({ message: 'text: say on which day to send email 3, counted from enrolment (e.g. "send email 3 on day 5")' });
    expect(parseRefine('send the third on day 5', COUNT)).toEqual({ op: 'offset', position: 2, offsetDays: 5 });
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}
