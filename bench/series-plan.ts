/**
 * Built-in composer, Email Series (S6.1): plan and write a 12-email series from one brief, for
 * every arc the composer knows. Writing a series is planning the arc, writing each email with its
 * place in the story, and making the subjects distinct (which asks the composer for alternatives
 * when a long arc repeats a move).
 * Baseline, measured in the same run: the same 12 emails generated one by one with
 * `composer.generate` from their briefs without the series context, i.e. twelve unrelated emails.
 * Median of `runs` runs each. Target: plan + write < 2 s per series.
 *
 *   node --import tsx bench/series-plan.ts [--runs N]
 */
import { pathToFileURL } from 'node:url';
import { FIXTURE_BRAND } from '../src/composer/builtin/briefs.fixture.ts';
import { BuiltinComposer } from '../src/composer/builtin/composer.ts';
import { SERIES_KINDS, SERIES_MAX, type Brief, type SeriesKind } from '../src/composer/model.ts';
import { SeriesWriter } from '../src/composer/series/index.ts';
import { median, numberFlag, timed } from './_measure.ts';

export interface SeriesPlanBenchResult {
  emails: number;
  runs: number;
  kinds: Array<{ kind: SeriesKind; seriesMs: number; baselineMs: number }>;
  /** The slowest kind's median: what the target is about. */
  worstSeriesMs: number;
}

const PROMPT = 'emails for the subscribers of our coffee subscription, 15% off the next box with code BOX15';

let sunk = 0;
/** Keeps results alive so the engine cannot skip the work. */
const sink = (s: string) => {
  sunk += s.length;
};

export async function benchSeriesPlan(opts: { runs?: number; log?: (line: string) => void } = {}): Promise<SeriesPlanBenchResult> {
  const log = opts.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const runs = opts.runs ?? 5;
  const composer = new BuiltinComposer();
  const writer = new SeriesWriter(composer);
  const brand = FIXTURE_BRAND;
  log(`series-plan: built-in composer, a ${SERIES_MAX}-email series per kind (plan + write), median of ${runs} runs, one core`);
  log(`baseline: the same ${SERIES_MAX} emails generated one by one without the series context; target: plan + write < 2,000 ms`);

  // The baseline's briefs: each email's brief as planned, minus what makes it part of a series.
  const singles = new Map<SeriesKind, Brief[]>();
  for (const kind of SERIES_KINDS) {
    const plan = await writer.plan({ prompt: PROMPT, kind, count: SERIES_MAX }, brand);
    singles.set(kind, plan.steps.map(({ brief: { series: _series, ...single } }) => single));
  }

  const times = new Map<SeriesKind, { series: number[]; baseline: number[] }>(SERIES_KINDS.map((k) => [k, { series: [], baseline: [] }]));
  for (let run = 0; run < runs; run++) {
    // Interleaved, so machine noise falls on both alike.
    for (const kind of SERIES_KINDS) {
      const t = times.get(kind)!;
      t.series.push(
        await timed(async () => {
          const plan = await writer.plan({ prompt: PROMPT, kind, count: SERIES_MAX }, brand);
          for (const { draft } of await writer.write(plan, brand)) sink(draft.subject);
        }),
      );
      t.baseline.push(
        await timed(async () => {
          for (const brief of singles.get(kind)!) sink((await composer.generate(brief, brand)).subject);
        }),
      );
    }
  }
  if (sunk === 0) throw new Error('nothing was written');

  const kinds = SERIES_KINDS.map((kind) => ({ kind, seriesMs: median(times.get(kind)!.series), baselineMs: median(times.get(kind)!.baseline) }));
  log(`${'kind'.padEnd(14)} ${'plan + write'.padStart(13)} ${'baseline'.padStart(10)} ${'ratio'.padStart(7)}`);
  for (const k of kinds) log(`${k.kind.padEnd(14)} ${`${k.seriesMs.toFixed(1)} ms`.padStart(13)} ${`${k.baselineMs.toFixed(1)} ms`.padStart(10)} ${`${(k.seriesMs / k.baselineMs).toFixed(2)}×`.padStart(7)}`);
  const worstSeriesMs = Math.max(...kinds.map((k) => k.seriesMs));
  log(`slowest series: ${worstSeriesMs.toFixed(1)} ms (target < 2,000 ms)`);
  return { emails: SERIES_MAX, runs, kinds, worstSeriesMs };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchSeriesPlan({ runs: numberFlag('--runs') }).catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
  });
}
