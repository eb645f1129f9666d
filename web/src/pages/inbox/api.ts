/** The client for the capture inbox (S9.1): what the built-in capture provider "sent" for this brand. */
import { request, send, type Page } from '../../api.ts';
import type { InboxMessage, InboxMessageSummary } from '../../../../src/delivery/inbox/model.ts';

export type { InboxMessage, InboxMessageSummary };

/** Brand-scoped query key of the inbox: ['inbox', 'list' | 'message', …]. */
export const INBOX = 'inbox';

const id = encodeURIComponent;

export const inboxApi = {
  list: (q: { search?: string; limit: number; cursor?: string }) => {
    const p = new URLSearchParams({ limit: String(q.limit) });
    if (q.search?.trim()) p.set('search', q.search.trim());
    if (q.cursor) p.set('cursor', q.cursor);
    return request<Page<InboxMessageSummary>>('GET', `/inbox?${p}`);
  },
  get: (messageId: string) => request<InboxMessage>('GET', `/inbox/${id(messageId)}`),
  /** The message exactly as received. */
  raw: async (messageId: string) => (await send('GET', `/inbox/${id(messageId)}/raw`, { headers: { accept: 'message/rfc822, text/plain' } })).text(),
  remove: (messageId: string) => request<void>('DELETE', `/inbox/${id(messageId)}`),
  clear: () => request<{ deleted: number }>('DELETE', '/inbox'),
};
