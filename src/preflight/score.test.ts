import { describe, expect, it } from 'vitest';
import { countsOf, scoreOf } from './score.ts';
import type { Finding, Severity } from './model.ts';

const f = (id: string, severity: Severity): Finding => ({ id, severity, message: 'm', fix: 'f', location: {} });

describe('preflight score', () => {
  it('is 100 with no findings', () => {
    expect(scoreOf([])).toBe(100);
  });

  it('charges each check once, at its worst severity', () => {
    expect(scoreOf([f('images.alt', 'important'), f('images.alt', 'important'), f('images.alt', 'important')])).toBe(93);
    expect(scoreOf([f('a11y.contrast', 'important'), f('a11y.contrast', 'critical')])).toBe(49);
    expect(scoreOf([f('links.shortener', 'important'), f('subject.length', 'important')])).toBe(86);
  });

  it('caps what suggestions cost in total', () => {
    const suggestions = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id) => f(id, 'suggested'));
    expect(scoreOf(suggestions)).toBe(90);
    expect(scoreOf([...suggestions, f('x', 'important')])).toBe(83);
  });

  it('keeps any critical finding below 50, and never below 0', () => {
    expect(scoreOf([f('x', 'critical')])).toBe(49);
    expect(scoreOf(['a', 'b', 'c', 'd', 'e', 'f'].map((id) => f(id, 'critical')))).toBe(0);
  });

  it('counts findings per severity', () => {
    expect(countsOf([f('a', 'critical'), f('a', 'critical'), f('b', 'suggested')])).toEqual({ critical: 2, important: 0, suggested: 1 });
  });
});
