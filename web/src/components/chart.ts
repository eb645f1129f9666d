/** Helpers shared by the SVG charts (campaign timeline, series drop-off). */

/** A y axis of at most five round whole-number ticks (steps of 1, 2 or 5 × 10ⁿ) that covers `v`. */
export function axis(v: number): { max: number; ticks: number[] } {
  const rough = Math.max(1, v / 4);
  const exp = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * exp).find((s) => s >= rough) ?? rough;
  const max = Math.max(step, Math.ceil(v / step) * step);
  return { max, ticks: Array.from({ length: Math.round(max / step) + 1 }, (_, i) => i * step) };
}

/** A copy of `set` with `value` added, or removed when it was there (a legend entry clicked). */
export function toggled<T>(set: Set<T>, value: T): Set<T> {
  const next = new Set(set);
  if (next.has(value)) next.delete(value);
  else next.add(value);
  return next;
}
