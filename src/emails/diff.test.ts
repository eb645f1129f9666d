import { describe, expect, it } from 'vitest';
import { diffLines } from './diff.ts';
import type { DiffLine } from './model.ts';

const render = (lines: DiffLine[]) => lines.map((l) => `${l.op}${l.text}`);
const side = (lines: DiffLine[], drop: '+' | '-') => lines.filter((l) => l.op !== drop).map((l) => l.text);

/** Length of the longest common subsequence, by the textbook table: the size a minimal diff keeps. */
function lcsLength(a: string[], b: string[]): number {
  const row = new Array(b.length + 1).fill(0);
  for (let i = a.length - 1; i >= 0; i--) {
    let diagonal = 0;
    for (let j = b.length - 1; j >= 0; j--) {
      const keep = row[j];
      row[j] = a[i] === b[j] ? diagonal + 1 : Math.max(row[j], row[j + 1]);
      diagonal = keep;
    }
  }
  return row[0];
}

describe('line diff', () => {
  it('marks changed, added and removed lines between common ones', () => {
    expect(render(diffLines('a\nb\nc\nd\n', 'a\nx\nc\nd\ne\n'))).toEqual(['=a', '-b', '+x', '=c', '=d', '+e']);
    expect(render(diffLines('', 'x\ny'))).toEqual(['+x', '+y']);
    expect(render(diffLines('x\r\ny\r\n', ''))).toEqual(['-x', '-y']);
    expect(render(diffLines('same\n', 'same'))).toEqual(['=same']);
  });

  it('is minimal and rebuilds both sides, on many random pairs', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const lines = () => Array.from({ length: Math.floor(random() * 14) }, () => 'abcd'[Math.floor(random() * 4)]);
    for (let i = 0; i < 1500; i++) {
      const a = lines();
      const b = lines();
      const d = diffLines(a.join('\n'), b.join('\n'));
      expect(side(d, '+')).toEqual(a);
      expect(side(d, '-')).toEqual(b);
      expect(d.filter((l) => l.op === '=').length).toBe(lcsLength(a, b));
    }
  });

  it('keeps common ends of large sources and falls back to replace-all past the edit budget', () => {
    const big = Array.from({ length: 50_000 }, (_, i) => `<p>line ${i}</p>`);
    const edited = [...big];
    edited[25_000] = '<p>changed</p>';
    const d = diffLines(big.join('\n'), edited.join('\n'));
    expect(d.filter((l) => l.op !== '=')).toEqual([
      { op: '-', text: '<p>line 25000</p>' },
      { op: '+', text: '<p>changed</p>' },
    ]);

    const unrelated = diffLines('1\n2\n3\n4', 'a\nb\nc\nd', 3);
    expect(render(unrelated)).toEqual(['-1', '-2', '-3', '-4', '+a', '+b', '+c', '+d']);
  });
});
