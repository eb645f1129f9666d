import { useQueryClient, type UseQueryOptions } from '@tanstack/react-query';
import { brandKey, useBrandQuery, useInvalidateBrand } from '../../lib/queries.ts';
import { useSignedIn } from '../../session.tsx';
import { campaignsApi, domainsApi, providersApi, type Campaign } from './api.ts';

/** Brand-scoped query keys: ['campaigns', 'list' | id, …], ['providers'], ['domains', …]. */
export const CAMPAIGNS = 'campaigns';
export const PROVIDERS = 'providers';
export const DOMAINS = 'domains';

/** States in which the campaign is on its way out: progress is polled and the results move. */
export const LIVE_STATUSES: ReadonlySet<string> = new Set(['sending', 'throttled', 'paused']);

export const useCampaign = (campaignId: string, options: Pick<UseQueryOptions<Campaign>, 'refetchInterval'> = {}) =>
  useBrandQuery([CAMPAIGNS, campaignId], () => campaignsApi.get(campaignId), options);

export const useProviders = () => useBrandQuery([PROVIDERS], providersApi.list);
export const useDomains = () => useBrandQuery([DOMAINS, 'list'], domainsApi.list);

/** After a lifecycle action the server hands back the campaign: cache it and refresh the lists and results. */
export function useCampaignUpdated() {
  const queryClient = useQueryClient();
  const { brandId } = useSignedIn();
  const invalidate = useInvalidateBrand();
  return async (campaign: Campaign) => {
    queryClient.setQueryData(brandKey(brandId, CAMPAIGNS, campaign.id), campaign);
    await Promise.all([
      invalidate(CAMPAIGNS, 'list'),
      queryClient.invalidateQueries({ queryKey: brandKey(brandId, CAMPAIGNS, campaign.id), predicate: (q) => q.queryKey.length > 4 }),
    ]);
  };
}
