import { useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api.ts';
import { brandKey, useBrandQuery } from '../../lib/queries.ts';
import { useSignedIn } from '../../session.tsx';
import { emailsApi, type Email, type PreflightReport } from './api.ts';

/** Brand-scoped query keys of emails: ['emails', 'list' | id, …]. */
export const EMAILS = 'emails';

export const useEmail = (emailId: string) => useBrandQuery([EMAILS, emailId], () => emailsApi.get(emailId));
/** The latest preflight report, or null when the email was never checked. */
export const useLatestPreflight = (emailId: string) =>
  useBrandQuery([EMAILS, emailId, 'preflight'], async () => {
    try {
      return await emailsApi.latestPreflight(emailId);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  });

export const useComposerInfo = (enabled = true) => useBrandQuery(['composer'], emailsApi.composer, { staleTime: Infinity, enabled });

/** Who writes (“Built-in composer (offline)”, or the model's provider and name), for the composer dialogs; null until known. */
export function useComposerLabel(enabled = true): string | null {
  const { data } = useComposerInfo(enabled);
  if (!data) return null;
  return data.provider === 'builtin' ? 'Built-in composer (offline)' : `${data.provider}${data.model ? ` · ${data.model}` : ''}`;
}

/**
 * After the server hands back a new state of an email (save, composer edit, restore, fix): put it
 * in the cache at once and refresh what derives from it (list, versions, code views).
 */
export function useEmailUpdated() {
  const queryClient = useQueryClient();
  const { brandId } = useSignedIn();
  return async (email: Email) => {
    queryClient.setQueryData(brandKey(brandId, EMAILS, email.id), email);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: brandKey(brandId, EMAILS, 'list') }),
      queryClient.invalidateQueries({ queryKey: brandKey(brandId, EMAILS, email.id), predicate: (q) => q.queryKey.length > 4 }),
    ]);
  };
}

/** The latest preflight report of an email lives in the cache so the top bar and the panel agree. */
export function usePreflightCache(emailId: string) {
  const queryClient = useQueryClient();
  const { brandId } = useSignedIn();
  const key = brandKey(brandId, EMAILS, emailId, 'preflight');
  return {
    key,
    set: (report: PreflightReport) => queryClient.setQueryData<PreflightReport | null>(key, report),
  };
}
