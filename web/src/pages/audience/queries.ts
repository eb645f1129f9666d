import { api } from '../../api.ts';
import { useBrandQuery, useInvalidateBrand } from '../../lib/queries.ts';

/** Brand-scoped query keys of the audience, so writes can refresh exactly what they change. */
export const AUDIENCE_KEYS = {
  contacts: 'contacts',
  tags: 'tags',
  topics: 'topics',
  fields: 'fields',
  suppressions: 'suppressions',
  imports: 'imports',
  segments: 'segments',
} as const;

export const useTags = () => useBrandQuery([AUDIENCE_KEYS.tags], api.tags.list);
export const useTopics = () => useBrandQuery([AUDIENCE_KEYS.topics], api.topics.list);
export const useFields = () => useBrandQuery([AUDIENCE_KEYS.fields], api.fields.list);

/** After a contact write, lists, counts and tag counts may all have changed. */
export function useRefreshAudience() {
  const invalidate = useInvalidateBrand();
  return () => Promise.all([invalidate(AUDIENCE_KEYS.contacts), invalidate(AUDIENCE_KEYS.tags), invalidate(AUDIENCE_KEYS.topics), invalidate(AUDIENCE_KEYS.segments)]);
}
