import type { FastifyInstance } from 'fastify';
import { DomainError } from '../shared/errors.ts';
import type { Clock } from '../shared/clock.ts';

/**
 * Per-caller token bucket (per API key, or per user for cookie sessions): `perMinute` requests
 * refill evenly over a minute, with the full minute's worth available as a burst. Kept in process
 * memory: in scaled mode each API process enforces it on its own share of the traffic.
 */
export class TokenBuckets {
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private perMinute: number, private clock: Clock) {}

  /** Returns 0 when allowed, else the seconds to wait. */
  take(key: string): number {
    const now = this.clock.now().getTime();
    const rate = this.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }
}

export function registerRateLimit(app: FastifyInstance, buckets: TokenBuckets) {
  app.addHook('preHandler', async (req, reply) => {
    const who = req.auth?.actor.type === 'api_key' ? `key:${req.auth.actor.id}` : req.userId ? `user:${req.userId}` : null;
    if (!who) return;
    const wait = buckets.take(who);
    if (wait > 0) {
      reply.header('Retry-After', String(wait));
      throw new DomainError('rate_limited', `rate limit exceeded; retry in ${wait} s`, { retryAfterSeconds: wait });
    }
  });
}
