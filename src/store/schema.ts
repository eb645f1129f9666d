/**
 * Row types as the services see them on both dialects: times are ISO-8601 UTC strings, flags are
 * 0/1 integers, JSON columns are text on SQLite and jsonb on PostgreSQL (read them with `fromJson`).
 */
import type { ColumnType, Generated } from 'kysely';

type Json = ColumnType<unknown, string, string>;
type Flag = number; // 0 | 1 on both dialects: one representation, no per-dialect coercion

export interface BrandsTable {
  id: string;
  name: string;
  colors: Json; // {primary, secondary, text, background, accent}
  heading_font: string;
  body_font: string;
  logo_url: string | null;
  voice: string;
  from_name: string;
  from_email: string;
  reply_to: string | null;
  postal_address: string;
  default_language: string;
  time_zone: string;
  knowledge: string;
  created_at: string;
  updated_at: string;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: string;
}

export interface MembershipsTable {
  brand_id: string;
  user_id: string;
  role: 'manager' | 'editor' | 'commenter' | 'viewer';
  created_at: string;
}

export interface SessionsTable {
  id: string; // sha256 of the cookie token: a leaked table cannot be replayed
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface ApiKeysTable {
  id: string;
  brand_id: string;
  name: string;
  prefix: string; // first characters of the secret, shown in lists so people can tell keys apart
  key_hash: string;
  scopes: Json;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface IdempotencyKeysTable {
  scope: string; // api key id or user id: keys of different callers never collide
  key: string;
  request_hash: string;
  status_code: number | null; // null while the first request is still running
  response_body: string | null;
  created_at: string;
}

export interface AuditLogTable {
  id: string;
  brand_id: string | null;
  actor_type: 'user' | 'api_key' | 'system';
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Json;
  created_at: string;
}

export interface CustomFieldsTable {
  id: string;
  brand_id: string;
  key: string;
  label: string;
  type: 'string' | 'number' | 'boolean' | 'date';
  created_at: string;
}

export type ContactStatus = 'subscribed' | 'unsubscribed' | 'non-subscribed' | 'bounced' | 'complained';
export type Validation = 'valid' | 'invalid' | 'risky' | 'unknown';

export interface ContactsTable {
  id: string;
  brand_id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  country: string | null;
  language: string | null;
  time_zone: string | null;
  status: ContactStatus;
  consent_source: string | null;
  consent_at: string | null;
  validation: Validation;
  validation_reason: string | null;
  attributes: Json; // typed custom field values, keyed by custom_fields.key
  created_at: string;
  updated_at: string;
}

export interface TagsTable {
  id: string;
  brand_id: string;
  name: string;
  color: string;
  description: string;
  created_at: string;
}

export interface ContactTagsTable {
  contact_id: string;
  tag_id: string;
  created_at: string;
}

export interface SegmentsTable {
  id: string;
  brand_id: string;
  name: string;
  description: string;
  filter: Json;
  created_at: string;
  updated_at: string;
}

export interface TopicsTable {
  id: string;
  brand_id: string;
  name: string;
  description: string;
  default_opt_in: Flag;
  is_public: Flag;
  created_at: string;
}

export interface ContactTopicsTable {
  contact_id: string;
  topic_id: string;
  opted_in: Flag;
  updated_at: string;
}

export interface SuppressionsTable {
  id: string;
  brand_id: string;
  email: string;
  reason: 'bounce' | 'complaint' | 'unsubscribe' | 'manual';
  source: string;
  created_at: string;
}

/**
 * Everything that happened to a contact: engagement (received, opened, clicked, bounced,
 * unsubscribed, complained — filled by delivery and tracking) and audience activity (created,
 * imported, tag_added, status_changed…). Segments read the engagement types; the timeline reads all.
 */
export interface EventsTable {
  id: string;
  brand_id: string;
  contact_id: string;
  type: string;
  campaign_id: string | null;
  series_id: string | null;
  occurred_at: string;
  data: Json;
  /** The outbox message the event belongs to, when it came from a sent message. */
  message_id: string | null;
  /** 1 for machine opens (Apple MPP, prefetchers) and scanner clicks. */
  machine: Generated<number>;
}

export interface ImportsTable {
  id: string;
  brand_id: string;
  status: 'uploaded' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  file_name: string;
  file_path: string;
  format: 'csv' | 'json';
  options: Json;
  size_bytes: number;
  bytes_read: number;
  rows_total: number;
  rows_imported: number;
  rows_updated: number;
  rows_skipped: number;
  rows_failed: number;
  error: string | null;
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  preview: Json; // 004 (nullable column; always written since)
  checkpoint_row: number; // 004: last source row whose batch committed
  results_bytes: number; // 004: bytes of results.csv written by committed batches
}

export interface JobsTable {
  id: string;
  queue: string;
  payload: Json;
  status: 'pending' | 'running' | 'done' | 'failed';
  run_at: string;
  attempts: number;
  max_attempts: number;
  backoff_ms: number;
  dedupe_key: string | null;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

/** 006: an email's latest content plus its unversioned metadata. */
export interface EmailsTable {
  id: string;
  brand_id: string;
  name: string;
  subject: string;
  preheader: string;
  from_name: string;
  from_email: string;
  reply_to: string | null;
  category: 'marketing' | 'transactional';
  language: string;
  format: 'blocks' | 'mjml' | 'html';
  document: Json | null; // EmailDocument when format is 'blocks'
  source: string | null; // MJML or HTML otherwise
  version: number;
  last_preflight: Json | null; // summary of the latest preflight report, for lists
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** 006: every saved state of an email's content. */
export interface EmailVersionsTable {
  email_id: string;
  version: number;
  subject: string;
  preheader: string;
  format: 'blocks' | 'mjml' | 'html';
  document: Json | null;
  source: string | null;
  note: string;
  created_by: string | null;
  created_at: string;
}

/** 007: the latest preflight report per email version (S4.1). */
export interface PreflightReportsTable {
  email_id: string;
  version: number;
  brand_id: string;
  score: number;
  critical: number;
  important: number;
  suggested: number;
  report: Json; // PreflightReport
  ran_at: string;
}

export interface DB {
  brands: BrandsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  idempotency_keys: IdempotencyKeysTable;
  audit_log: AuditLogTable;
  custom_fields: CustomFieldsTable;
  contacts: ContactsTable;
  tags: TagsTable;
  contact_tags: ContactTagsTable;
  segments: SegmentsTable;
  topics: TopicsTable;
  contact_topics: ContactTopicsTable;
  suppressions: SuppressionsTable;
  events: EventsTable;
  imports: ImportsTable;
  jobs: JobsTable;
  emails: EmailsTable;
  email_versions: EmailVersionsTable;
  preflight_reports: PreflightReportsTable;
  campaigns: CampaignsTable;
  messages: MessagesTable;
  rate_limits: RateLimitsTable;
}

export type CampaignStatus = 'draft' | 'scheduled' | 'sending' | 'throttled' | 'paused' | 'sent' | 'failed' | 'cancelled';

export interface CampaignsTable {
  id: string;
  brand_id: string;
  name: string;
  email_id: string | null;
  email_version: number | null;
  subject: string | null;
  preheader: string | null;
  from_name: string | null;
  from_email: string | null;
  reply_to: string | null;
  audience: Json; // {segmentIds: string[], tagIds: string[]}
  topic_id: string | null;
  provider_id: string | null;
  track_opens: Generated<number>;
  track_clicks: Generated<number>;
  status: CampaignStatus;
  status_reason: string | null;
  schedule: Json | null; // {at, zone, perRecipientZone?}
  send_at: string | null;
  preflight_override: Json | null; // {by, at, findings}
  recipients: Generated<number>;
  skipped: Generated<number>;
  sent: Generated<number>;
  failed: Generated<number>;
  started_at: string | null;
  finished_at: string | null;
  archived_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export type MessageStatus = 'skipped' | 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled';
export type SkipReason = 'bounced' | 'complained' | 'unsubscribed' | 'non-subscribed' | 'invalid' | 'risky' | 'topic-opt-out' | 'duplicate';

export interface MessagesTable {
  id: string;
  brand_id: string;
  dedupe_key: string;
  campaign_id: string | null;
  series_id: string | null;
  enrolment_id: string | null;
  step: number | null;
  contact_id: string;
  email: string;
  email_id: string | null;
  email_version: number | null;
  provider_id: string | null;
  status: MessageStatus;
  skip_reason: SkipReason | null;
  due_at: string;
  attempts: Generated<number>;
  lease_until: string | null;
  provider_message_id: string | null;
  error: string | null;
  sent_at: string | null;
  delivered_at: string | null;
  opened_at: string | null;
  clicked_at: string | null;
  bounced_at: string | null;
  bounce_class: 'hard' | 'soft' | 'undetermined' | null;
  complained_at: string | null;
  unsubscribed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface RateLimitsTable {
  key: string;
  tokens: number;
  updated_at: string;
}

export type { Generated };

// ---- delivery settings (009): provider accounts, capture inbox, sending domains, webhook receipts ----

export interface ProviderAccountsTable {
  id: string;
  brand_id: string;
  name: string;
  kind: string;
  settings: string; // sealed JSON (AES-256-GCM), never plain
  webhook: string | null; // sealed JSON: the webhook verification secrets
  is_default: Generated<Flag>;
  created_at: string;
  updated_at: string;
}

export interface CaptureMessagesTable {
  id: string;
  brand_id: string | null;
  message_ref: string | null;
  from_address: string;
  to_addresses: Json; // string[]
  envelope: Json; // {from, to[]}
  subject: string;
  message_id: string | null;
  html: string | null;
  text: string | null;
  headers: Json; // [{name, value}]
  raw: Buffer;
  size: number;
  received_at: string;
}

export interface SendingDomainsTable {
  id: string;
  brand_id: string;
  domain: string;
  selector: string;
  provider: string;
  setup: Json; // {spf?, region, returnPath?, dmarcReportTo?}
  private_key: string; // sealed PEM
  public_key: string;
  records: Json; // DnsRecord[]
  status: 'unverified' | 'ready' | 'partial' | 'not-started';
  last_checked_at: string | null;
  check: Json | null; // DomainReport
  created_at: string;
  updated_at: string;
}

export interface WebhookReceiptsTable {
  provider: string;
  dedupe_key: string;
  account_id: string;
  brand_id: string;
  event_type: string;
  message_ref: string | null;
  recipient: string;
  received_at: string;
}

// Declaration merging keeps this addition to DB in one place with its tables.
export interface DB {
  provider_accounts: ProviderAccountsTable;
  capture_messages: CaptureMessagesTable;
  sending_domains: SendingDomainsTable;
  webhook_receipts: WebhookReceiptsTable;
}

// 011_campaigns_extra: fan-out checkpoint, the cancelled counter and mailbox claims (declaration merging).
export interface CampaignsTable {
  fanout_cursor: string | null;
  fanout_done_at: string | null;
  cancelled: Generated<number>;
}

export interface CampaignMailboxesTable {
  campaign_id: string;
  mailbox: string;
  contact_id: string;
}

export interface DB {
  campaign_mailboxes: CampaignMailboxesTable;
}

// 012_series: Email Series (S6) — series, their steps, enrolments and the enrolments' trail.
export type SeriesStatus = 'draft' | 'active' | 'paused' | 'archived';
export type EnrolmentStatus = 'active' | 'completed' | 'exited';

export interface SeriesTable {
  id: string;
  brand_id: string;
  name: string;
  kind: string;
  brief: Json;
  status: SeriesStatus;
  send_hour: Generated<number>;
  time_zone: string | null;
  trigger: Json; // SeriesTrigger
  exit_rules: Json; // SeriesExit
  reentry: Generated<'never' | 'after-exit'>;
  utm_campaign: string | null;
  provider_id: string | null;
  trigger_error: string | null;
  preflight_override: Json | null;
  /** Due times up to this one are handed to delivery (migration 015); null: none yet, look at all. */
  handed_until: string | null;
  started_at: string | null;
  archived_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface SeriesStepsTable {
  id: string;
  series_id: string;
  position: number;
  email_id: string | null;
  role: string;
  beats: Json; // string[]
  handoff: Generated<string>;
  brief: Json; // composer Brief
  offset_days: number;
  campaign_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface EnrolmentsTable {
  id: string;
  brand_id: string;
  series_id: string;
  contact_id: string;
  status: EnrolmentStatus;
  exit_reason: string | null;
  source: string;
  enrolled_at: string;
  next_step_id: string | null;
  next_due_at: string | null;
  last_position: Generated<number>;
  ended_at: string | null;
  updated_at: string;
}

export interface EnrolmentEventsTable {
  enrolment_id: string;
  at: string;
  type: string;
  step_id: string | null;
  detail: Json;
}

export interface CampaignsTable {
  series_id: string | null;
  series_step_id: string | null;
}

export interface DB {
  series: SeriesTable;
  series_steps: SeriesStepsTable;
  enrolments: EnrolmentsTable;
  enrolment_events: EnrolmentEventsTable;
}

// 014_tracking_inbox: how far the tracking thread has written the inbox's hits (embedded mode).
export interface TrackingInboxTable {
  generation: string;
  folded: number;
  updated_at: string;
}

export interface DB {
  tracking_inbox: TrackingInboxTable;
}
