import type { Clock } from '../../shared/clock.ts';

/**
 * Replay protection by timestamp: a signed request is only accepted close to the time it was signed,
 * in either direction (clock skew). The other half, refusing the same event twice inside the window,
 * is the database's unique `dedupeKey`.
 */

/** Svix/Standard Webhooks' tolerance, applied to every scheme that signs a timestamp. */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

export type Freshness = { fresh: true } | { fresh: false; message: string };

/** `signedAt` is Unix seconds (as most schemes send it) or a Date. */
export function checkFreshness(signedAt: number | Date, clock: Clock, toleranceSeconds: number): Freshness {
  const signedMs = signedAt instanceof Date ? signedAt.getTime() : signedAt * 1000;
  if (!Number.isFinite(signedMs)) return { fresh: false, message: 'the signed timestamp is not a valid time' };
  const skewSeconds = Math.round((clock.now().getTime() - signedMs) / 1000);
  if (Math.abs(skewSeconds) <= toleranceSeconds) return { fresh: true };
  const direction = skewSeconds > 0 ? `${skewSeconds}s old` : `${-skewSeconds}s in the future`;
  return { fresh: false, message: `the signed timestamp is ${direction}; the tolerance is ${toleranceSeconds}s` };
}
