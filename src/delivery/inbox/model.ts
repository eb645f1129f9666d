import { z } from 'zod';
import { PageQuery } from '../../http/pagination.ts';

/**
 * The capture inbox as the brand sees it (S9.1): every message "sent" through the built-in capture
 * provider, kept with its HTML, text, headers and raw bytes, newest first, like Mailpit.
 *
 * Which brand a message belongs to is decided when it arrives, from proof it carries:
 * 1. the `X-Tidings-Capture` header the capture provider stamps on every message it sends for a brand
 *    (`brand=…; ref=…; sig=…`, an HMAC with a key derived from the app secret, so no other program on
 *    the machine can file mail into a brand's inbox by writing the header), else
 * 2. a Message-ID whose local part is one of our outbox ids (`<msg_…@domain>`), looked up in
 *    `messages` (covers senders that bypass the provider, such as a raw pipelined SMTP client), else
 * 3. no brand: the message is kept but shown in no brand's inbox.
 */

export const CAPTURE_STAMP_HEADER = 'X-Tidings-Capture';

export const InboxQuery = PageQuery.extend({
  search: z.string().trim().max(200).optional(),
});
export type InboxQuery = z.infer<typeof InboxQuery>;

export interface InboxMessageSummary {
  id: string;
  from: string;
  to: string[];
  subject: string;
  messageId: string | null;
  /** Our outbox id of the message, when known. */
  messageRef: string | null;
  size: number;
  receivedAt: string;
}

export interface InboxMessage extends InboxMessageSummary {
  envelope: { from: string; to: string[] };
  html: string | null;
  text: string | null;
  headers: Array<{ name: string; value: string }>;
}
