import { describe, expect, it } from 'vitest';
import { sharedMailbox, SKIP_PRECEDENCE, skipReasonOf, type RecipientFacts } from './skips.ts';

const sendable: RecipientFacts = { status: 'subscribed', validation: 'valid', suppression: null, topicOptIn: null };

describe('skip reasons', () => {
  it('checks reasons in the documented order, duplicate last', () => {
    expect(SKIP_PRECEDENCE).toEqual(['complained', 'bounced', 'unsubscribed', 'non-subscribed', 'invalid', 'risky', 'topic-opt-out', 'duplicate']);
  });

  it('names each reason from the fact that causes it', () => {
    const topic = { defaultOptIn: true };
    const cases: Array<[Partial<RecipientFacts>, string | null]> = [
      [{}, null],
      [{ status: 'complained' }, 'complained'],
      [{ suppression: 'complaint' }, 'complained'],
      [{ status: 'bounced' }, 'bounced'],
      [{ suppression: 'bounce' }, 'bounced'],
      [{ status: 'unsubscribed' }, 'unsubscribed'],
      [{ suppression: 'unsubscribe' }, 'unsubscribed'],
      [{ suppression: 'manual' }, 'unsubscribed'],
      [{ status: 'non-subscribed' }, 'non-subscribed'],
      [{ validation: 'invalid' }, 'invalid'],
      [{ validation: 'risky' }, 'risky'],
      [{ validation: 'unknown' }, null],
      [{ topicOptIn: false }, 'topic-opt-out'],
      [{ topicOptIn: true }, null],
    ];
    for (const [facts, reason] of cases) expect(skipReasonOf({ ...sendable, ...facts }, topic), JSON.stringify(facts)).toBe(reason);
  });

  it('gives exactly one reason, the first that applies, when several do', () => {
    const all: RecipientFacts = { status: 'unsubscribed', validation: 'invalid', suppression: 'complaint', topicOptIn: false };
    expect(skipReasonOf(all, { defaultOptIn: true })).toBe('complained');
    expect(skipReasonOf({ ...all, suppression: 'bounce' }, { defaultOptIn: true })).toBe('bounced');
    expect(skipReasonOf({ ...all, suppression: null }, { defaultOptIn: true })).toBe('unsubscribed');
    expect(skipReasonOf({ ...all, suppression: null, status: 'non-subscribed' }, { defaultOptIn: true })).toBe('non-subscribed');
    expect(skipReasonOf({ ...all, suppression: null, status: 'subscribed' }, { defaultOptIn: true })).toBe('invalid');
    expect(skipReasonOf({ ...sendable, validation: 'risky', topicOptIn: false }, { defaultOptIn: true })).toBe('risky');
  });

  it('applies a topic default only to contacts who never chose, and no topic rule without a topic', () => {
    expect(skipReasonOf(sendable, { defaultOptIn: false })).toBe('topic-opt-out');
    expect(skipReasonOf({ ...sendable, topicOptIn: true }, { defaultOptIn: false })).toBeNull();
    expect(skipReasonOf({ ...sendable, topicOptIn: false }, null)).toBeNull();
  });
});

describe('shared mailboxes', () => {
  it('folds the spellings Gmail delivers to one mailbox', () => {
    for (const spelling of ['john.doe@gmail.com', 'JohnDoe@Gmail.com', 'j.o.h.n.d.o.e+news@gmail.com', 'johndoe@googlemail.com']) {
      expect(sharedMailbox(spelling)).toBe('johndoe@gmail.com');
    }
  });

  it('leaves other domains alone: their plus and dotted addresses may be separate mailboxes', () => {
    expect(sharedMailbox('john.doe+news@example.com')).toBeNull();
    expect(sharedMailbox('john.doe@outlook.com')).toBeNull();
  });
});
