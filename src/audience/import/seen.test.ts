import { describe, expect, it } from 'vitest';
import { SeenEmails } from './seen.ts';

describe('the emails an import has seen', () => {
  // 200,000 emails make every table grow several times past its first size.
  const emails = Array.from({ length: 200_000 }, (_, i) => `user${i}@example${i % 97}.com`);
  const rowOf = (i: number) => i + 2;

  function check(seen: SeenEmails) {
    expect(emails.filter((e, i) => seen.firstRow(e, rowOf(i)) !== null)).toEqual([]);
    expect(emails.filter((e, i) => seen.firstRow(e, 1_000_000) !== rowOf(i))).toEqual([]);
    expect(seen.firstRow('someone-else@example.com', 7)).toBeNull();
    expect(seen.firstRow('someone-else@example.com', 9)).toBe(7);
  }

  it('remembers the first row of each email while its tables grow', () => {
    check(new SeenEmails());
  });

  it('gives the same answers when sized in advance, also past the estimate', () => {
    const seen = new SeenEmails();
    seen.expect(50_000);
    check(seen);
  });
});
