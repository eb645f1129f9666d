import { describe, expect, it } from 'vitest';
import { CircuitBreaker, HEALTH_LIMITS, healthProblem } from './breaker.ts';

describe('circuit breaker', () => {
  it('opens after N failures in a row, and any success starts the count again', () => {
    const b = new CircuitBreaker(3);
    expect(b.failed('cmp_1', 'timeout')).toBeNull();
    expect(b.failed('cmp_1', 'timeout')).toBeNull();
    b.succeeded('cmp_1');
    expect(b.failed('cmp_1', 'timeout')).toBeNull();
    expect(b.failed('cmp_2', 'other campaign')).toBeNull();
    expect(b.failed('cmp_1', 'timeout')).toBeNull();
    expect(b.failed('cmp_1', '421 busy')).toBe('the provider failed 3 times in a row; last error: 421 busy');
    // Tripping resets it: after a resume, the campaign gets N more tries.
    expect(b.failed('cmp_1', 'timeout')).toBeNull();
  });
});

describe('health guards', () => {
  it('judge only after the first 1,000 sends', () => {
    expect(healthProblem({ sent: 999, hardBounces: 500, complaints: 500 })).toBeNull();
    expect(healthProblem({ sent: 1000, hardBounces: 20, complaints: 3 })).toBeNull();
  });

  it('stop above 2 % hard bounces or 0.3 % complaints, saying which and how much', () => {
    expect(healthProblem({ sent: 1000, hardBounces: 21, complaints: 0 })).toBe('hard bounces reached 2.1 % (21 of 1000 sent), above the 2.0 % limit: check the list before resuming');
    expect(healthProblem({ sent: 1000, hardBounces: 0, complaints: 4 })).toBe('spam complaints reached 0.40 % (4 of 1000 sent), above the 0.30 % limit: check the audience and content before resuming');
    expect(HEALTH_LIMITS).toEqual({ minSent: 1000, hardBounceRate: 0.02, complaintRate: 0.003 });
  });
});
