import { useQueryClient } from '@tanstack/react-query';
import { brandKey, useBrandQuery } from '../../lib/queries.ts';
import { useSignedIn } from '../../session.tsx';
import { EMAILS } from '../emails/queries.ts';
import { seriesApi, type Series } from './api.ts';

/** Brand-scoped query keys of series: ['series', 'list' | id, …]. */
export const SERIES = 'series';

/** A running series moves by itself (enrolments, sends): keep what shows it current. */
export const isLive = (s: Pick<Series, 'status'>) => s.status === 'active';

export const useSeries = (seriesId: string) => useBrandQuery([SERIES, seriesId], () => seriesApi.get(seriesId), { refetchInterval: (q) => (q.state.data && isLive(q.state.data) ? 5000 : false) });

/**
 * After an operation the server hands back the series: cache it at once, and refresh the list, its
 * results and the emails it touched (edit-all and add rewrite emails; preflight badges change).
 */
export function useSeriesUpdated() {
  const queryClient = useQueryClient();
  const { brandId } = useSignedIn();
  return async (series: Series) => {
    queryClient.setQueryData(brandKey(brandId, SERIES, series.id), series);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: brandKey(brandId, SERIES, 'list') }),
      queryClient.invalidateQueries({ queryKey: brandKey(brandId, SERIES, series.id), predicate: (q) => q.queryKey.length > 4 }),
      queryClient.invalidateQueries({ queryKey: brandKey(brandId, EMAILS) }),
    ]);
  };
}
