import type { Executor } from '../../store/db.ts';
import type { SkipReason } from '../../store/schema.ts';
import type { PreparedMessage, RenderContext } from '../../emails/render.ts';
import type { EmailProvider, MessageCategory, ProviderKind } from '../providers/model.ts';
import type { DkimKey } from '../send-path/model.ts';
import type { Contact } from '../../audience/model.ts';
import type { SentMessage } from '../../tracking/model.ts';

/**
 * The outbox's seams (S5.3). The dispatcher owns the `messages` rows from claim to outcome; what it
 * sends, through whom, and what it records on the way are decided elsewhere and handed in:
 * - {@link SendPlans}: the campaign's prepared email and rules (campaigns decides who and what);
 * - {@link ProviderResolver}: a provider account → a live provider (delivery settings);
 * - a `MessageBuilder` (src/delivery/send-path): render + MIME + DKIM for a batch;
 * - {@link SendRecorder}: the `received` event of each accepted message (tracking).
 */

export interface ResolvedProvider {
  /** The account id ('capture' for the built-in inbox): rate limits and in-flight caps are per account. */
  id: string;
  kind: ProviderKind;
  provider: EmailProvider;
}

export interface ProviderResolver {
  /** `providerId` null: the brand's default account. Throws when the account does not exist. */
  resolve(brandId: string, providerId: string | null): Promise<ResolvedProvider>;
}

/** Everything needed to build any message of one campaign, made once per campaign and email version. */
export interface SendPlan {
  campaignId: string;
  brandId: string;
  providerId: string | null;
  prepared: PreparedMessage;
  render: RenderContext;
  category: MessageCategory;
  messageIdDomain: string;
  dkim: DkimKey | null;
  /**
   * The recipients' current data, by contact id (deleted contacts are absent), each with the
   * campaign's skip rules applied again: someone may have unsubscribed or bounced since fan-out.
   */
  recipients(contactIds: string[]): Promise<Map<string, PlannedRecipient>>;
}

export interface PlannedRecipient {
  contact: Contact;
  skipReason: SkipReason | null;
}

export interface SendPlans {
  /** Throws a DomainError when the campaign cannot be sent as it stands (its email was deleted…). */
  plan(campaignId: string): Promise<SendPlan>;
  /** Stops a campaign's sending and says why (circuit breaker, health guard, a setup problem). */
  pause(campaignId: string, reason: string): Promise<void>;
}

export interface SendRecorder {
  /** Records `received` events; runs inside the transaction that marks the messages sent, so both happen or neither. */
  recordSent(messages: readonly SentMessage[], db: Executor): Promise<void>;
}
