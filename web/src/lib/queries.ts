import { useQuery, useQueryClient, type QueryKey, type UseQueryOptions } from '@tanstack/react-query';
import { useSession } from '../session.tsx';

/** Query keys of brand-scoped data carry the brand id, so switching brand never shows another brand's cache. */
export const brandKey = (brandId: string | null, ...rest: string[]): QueryKey => ['brand', brandId, ...rest];

/** A query against a brand-scoped endpoint of the current brand. */
export function useBrandQuery<T>(name: string[], fetcher: () => Promise<T>, options: Omit<UseQueryOptions<T>, 'queryKey' | 'queryFn'> = {}) {
  const { state } = useSession();
  const brandId = state.status === 'signed-in' ? state.brandId : null;
  return useQuery({ ...options, queryKey: brandKey(brandId, ...name), queryFn: fetcher, enabled: brandId !== null && (options.enabled ?? true) });
}

/** Invalidates a brand-scoped query of the current brand (after a write). */
export function useInvalidateBrand() {
  const queryClient = useQueryClient();
  const { state } = useSession();
  const brandId = state.status === 'signed-in' ? state.brandId : null;
  return (...name: string[]) => queryClient.invalidateQueries({ queryKey: brandKey(brandId, ...name) });
}
