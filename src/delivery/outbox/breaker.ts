/**
 * The two reasons the dispatcher stops a campaign by itself (S5.3), both pure:
 * - a circuit breaker: after N failures in a row that a retry might cure (5xx, timeouts, dropped
 *   connections) the provider is probably down, and hammering it only burns attempts; any accepted
 *   message closes the circuit again. Rate-limit answers do not count: they mean "slower", not "down".
 * - health guards: once enough messages went out to judge, too many hard bounces or complaints
 *   mean a bad list or unwanted mail, which harms the sending domain for every later campaign.
 */

export class CircuitBreaker {
  private readonly failures = new Map<string, { count: number; last: string }>();

  constructor(readonly threshold: number) {}

  succeeded(key: string): void {
    this.failures.delete(key);
  }

  /** Records a failure; returns the reason to stop when this one reaches the threshold. */
  failed(key: string, error: string): string | null {
    const count = (this.failures.get(key)?.count ?? 0) + 1;
    this.failures.set(key, { count, last: error });
    if (count < this.threshold) return null;
    this.failures.delete(key);
    return `the provider failed ${count} times in a row; last error: ${error}`;
  }
}

export interface HealthLimits {
  /** Rates are judged only after this many sent messages. */
  minSent: number;
  /** Highest share of hard bounces among sent messages. */
  hardBounceRate: number;
  /** Highest share of spam complaints among sent messages. */
  complaintRate: number;
}

export const HEALTH_LIMITS: HealthLimits = { minSent: 1000, hardBounceRate: 0.02, complaintRate: 0.003 };

export interface HealthCounts {
  sent: number;
  hardBounces: number;
  complaints: number;
}

const percent = (rate: number) => `${(rate * 100).toFixed(rate < 0.01 ? 2 : 1)} %`;

/** Why the campaign must stop, or null while it is healthy (or too young to judge). */
export function healthProblem(c: HealthCounts, limits: HealthLimits = HEALTH_LIMITS): string | null {
  if (c.sent < limits.minSent || c.sent === 0) return null;
  const bounces = c.hardBounces / c.sent;
  if (bounces > limits.hardBounceRate) {
    return `hard bounces reached ${percent(bounces)} (${c.hardBounces} of ${c.sent} sent), above the ${percent(limits.hardBounceRate)} limit: check the list before resuming`;
  }
  const complaints = c.complaints / c.sent;
  if (complaints > limits.complaintRate) {
    return `spam complaints reached ${percent(complaints)} (${c.complaints} of ${c.sent} sent), above the ${percent(limits.complaintRate)} limit: check the audience and content before resuming`;
  }
  return null;
}
