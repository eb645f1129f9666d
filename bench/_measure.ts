/** What the benchmarks measure with: timings, medians and numeric flags. */

/** `run-all` starts benchmarks with --expose-gc: collect before each measurement so garbage from the last one is not billed to it. */
export const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

export function timedSync(fn: () => void): number {
  collect();
  const t = performance.now();
  fn();
  return performance.now() - t;
}

export async function timed(fn: () => Promise<unknown>): Promise<number> {
  collect();
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `--name 5` as a number; undefined when the flag is absent. */
export function numberFlag(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
}
