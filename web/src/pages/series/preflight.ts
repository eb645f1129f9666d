import { useQueryClient } from '@tanstack/react-query';
import { brandKey, useBrandQuery } from '../../lib/queries.ts';
import { useSignedIn } from '../../session.tsx';
import { EMAILS } from '../emails/queries.ts';
import { seriesApi, type SeriesPreflight } from './api.ts';
import { SERIES } from './queries.ts';

export interface PreflightRun {
  report: SeriesPreflight;
  ranAt: string;
}

/**
 * The last series preflight of this page's life. The API runs it on demand (POST) and keeps the
 * per-email reports; the series findings live here until the next run.
 */
export function useSeriesPreflight(seriesId: string) {
  const queryClient = useQueryClient();
  const { brandId } = useSignedIn();
  const key = [SERIES, seriesId, 'preflight'];
  // There is nothing to fetch: a refetch (after any change to the series) keeps what the last run said.
  const last = useBrandQuery<PreflightRun | null>(key, async () => queryClient.getQueryData<PreflightRun>(brandKey(brandId, ...key)) ?? null, { staleTime: Infinity, gcTime: Infinity });
  return {
    last: last.data ?? null,
    async run(): Promise<PreflightRun> {
      const run = { report: await seriesApi.preflight(seriesId), ranAt: new Date().toISOString() };
      queryClient.setQueryData(brandKey(brandId, ...key), run);
      // Each email got a fresh report: badges and the editor's panel read them (no need to wait).
      void queryClient.invalidateQueries({ queryKey: brandKey(brandId, EMAILS) });
      void queryClient.invalidateQueries({ queryKey: brandKey(brandId, SERIES, seriesId), exact: true });
      return run;
    },
  };
}

/** Critical findings block a start unless a manager overrides them: per email, and of the series as a whole. */
export function criticalCount(report: SeriesPreflight): number {
  return report.steps.reduce((n, s) => n + s.counts.critical, 0) + report.series.filter((f) => f.severity === 'critical').length;
}
