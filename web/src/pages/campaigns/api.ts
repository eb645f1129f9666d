/**
 * The client for the campaign, results and delivery-settings endpoints of issue 4 (see
 * notes/campaigns-contract.md): campaigns and their lifecycle, results (stats, timeline, links,
 * recipients, trails), provider accounts and sending domains. Same transport as the rest of the app.
 */
import { request, type Page } from '../../api.ts';
import type { ProviderAccount } from '../../../../src/delivery/settings/model.ts';
import type { SendOutcome } from '../../../../src/delivery/providers/model.ts';
import type { DomainInput, PublishedRecord, SendingDomain, SendingHealth } from '../../../../src/delivery/domains/model.ts';
import type { AudiencePreview, Campaign, CampaignAudience, CampaignProgress, CampaignSchedule, CampaignStatus, SkipReason } from '../../../../src/campaigns/model.ts';
import type { CampaignStats, LinkStats, Recipient, TimelinePoint, TrailEntry } from '../../../../src/tracking/model.ts';

export type { AudiencePreview, Campaign, CampaignStats, CampaignStatus, LinkStats, Recipient, SkipReason, TimelinePoint, TrailEntry };
export type Audience = CampaignAudience;
export type Progress = CampaignProgress;

export interface CampaignInput {
  name: string;
  emailId: string;
  audience: Partial<Audience>;
  topicId?: string | null;
  providerId?: string | null;
  subject?: string | null;
  preheader?: string | null;
  fromName?: string | null;
  fromEmail?: string | null;
  replyTo?: string | null;
  trackOpens?: boolean;
  trackClicks?: boolean;
}

export type Schedule = Pick<CampaignSchedule, 'at' | 'zone'> & { perRecipientZone?: boolean };

export type RecipientStatus = 'sent' | 'skipped' | 'failed' | 'queued' | 'cancelled';

// ---- Delivery settings -------------------------------------------------------------------------

export type { ProviderAccount };
type ProviderKind = ProviderAccount['kind'];

export interface ProviderInput {
  name: string;
  settings: Record<string, unknown>;
  webhook?: Record<string, unknown> | null;
  isDefault?: boolean;
}

/** What a provider test send did: the provider's own outcome, accepted or not. */
export interface ProviderTestResult {
  providerId: string;
  kind: ProviderKind;
  outcome: SendOutcome;
}

export type { DomainInput, PublishedRecord, SendingDomain, SendingHealth };
export type DomainDetail = SendingDomain & { health: SendingHealth };

const id = encodeURIComponent;
const base = (campaignId: string) => `/campaigns/${id(campaignId)}`;

function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export interface CampaignQuery {
  status?: CampaignStatus;
  search?: string;
  archived?: boolean;
  limit: number;
  cursor?: string;
}

export const campaignsApi = {
  list: (q: CampaignQuery) => request<Page<Campaign>>('GET', `/campaigns${query({ ...q, search: q.search?.trim(), archived: q.archived ? 'true' : undefined })}`),
  get: (campaignId: string) => request<Campaign>('GET', base(campaignId)),
  create: (input: CampaignInput) => request<Campaign>('POST', '/campaigns', input),
  update: (campaignId: string, patch: Partial<CampaignInput>) => request<Campaign>('PATCH', base(campaignId), patch),
  remove: (campaignId: string) => request<void>('DELETE', base(campaignId)),
  audiencePreview: (campaignId: string) => request<AudiencePreview>('GET', `${base(campaignId)}/audience-preview`),
  send: (campaignId: string, overridePreflight: boolean) => request<Campaign>('POST', `${base(campaignId)}/send`, { overridePreflight }),
  schedule: (campaignId: string, input: Schedule & { overridePreflight: boolean }) => request<Campaign>('POST', `${base(campaignId)}/schedule`, input),
  action: (campaignId: string, action: 'pause' | 'resume' | 'cancel' | 'duplicate' | 'archive') => request<Campaign>('POST', `${base(campaignId)}/${action}`),
  testSend: (campaignId: string, to: string[]) => request<unknown>('POST', `${base(campaignId)}/test-send`, { to }),
  progress: (campaignId: string) => request<Progress>('GET', `${base(campaignId)}/progress`),

  stats: (campaignId: string) => request<CampaignStats>('GET', `${base(campaignId)}/stats`),
  timeline: async (campaignId: string, bucket: 'hour' | 'day') => (await request<{ data: TimelinePoint[] }>('GET', `${base(campaignId)}/timeline${query({ bucket })}`)).data,
  links: async (campaignId: string) => (await request<{ data: LinkStats[] }>('GET', `${base(campaignId)}/links`)).data,
  recipients: (campaignId: string, q: { status: RecipientStatus; search?: string; limit: number; cursor?: string }) =>
    request<Page<Recipient>>('GET', `${base(campaignId)}/recipients${query({ ...q, search: q.search?.trim() })}`),
  trail: async (messageId: string) => (await request<{ data: TrailEntry[] }>('GET', `/messages/${id(messageId)}/trail`)).data,
};

export const providersApi = {
  list: () => request<{ data: ProviderAccount[] }>('GET', '/providers'),
  create: (input: ProviderInput) => request<ProviderAccount>('POST', '/providers', input),
  update: (providerId: string, patch: Partial<ProviderInput>) => request<ProviderAccount>('PATCH', `/providers/${id(providerId)}`, patch),
  remove: (providerId: string) => request<void>('DELETE', `/providers/${id(providerId)}`),
  test: (providerId: string, to: string) => request<ProviderTestResult>('POST', `/providers/${id(providerId)}/test`, { to }),
};

export const domainsApi = {
  list: () => request<{ data: SendingDomain[] }>('GET', '/domains'),
  get: (domainId: string) => request<DomainDetail>('GET', `/domains/${id(domainId)}`),
  create: (input: DomainInput) => request<SendingDomain>('POST', '/domains', input),
  remove: (domainId: string) => request<void>('DELETE', `/domains/${id(domainId)}`),
  verify: (domainId: string) => request<DomainDetail>('POST', `/domains/${id(domainId)}/verify`),
};
