import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';
import { types } from './001_initial.ts';

/**
 * Campaigns (S5) and the outbox every sent message goes through (campaigns now, series steps later).
 *
 * - `campaigns` holds what to send to whom and when, its lifecycle status, and running counters
 *   the progress view reads without scanning the outbox.
 * - `messages` is the outbox: one row per (campaign, contact), written by fan-out BEFORE any
 *   provider call, and unique on `dedupe_key` (`cmp_…:ctc_…` for a campaign, `enr_…:step` for a
 *   series step) so no code path can create a second message for the same recipient. Skipped
 *   contacts get a row too (status `skipped` and exactly one `skip_reason`), so the Sent and Skipped
 *   lists and the counts come from one table. The first time of each engagement is kept on the row
 *   (unique opens and clicks are counts of non-null columns, not DISTINCT scans over events).
 * - `rate_limits` are token buckets shared by every worker process (scaled mode runs several).
 * - `events` gain the message they belong to and a machine flag (Apple MPP opens, link scanners),
 *   so human and machine engagement are counted apart.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = types(dialect);

  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('brand_id', 'text', (c) => c.notNull().references('brands.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email_id', 'text', (c) => c.references('emails.id').onDelete('set null'))
    // Pinned when sending starts: later edits of the email never change a campaign in flight.
    .addColumn('email_version', 'integer')
    .addColumn('subject', 'text')
    .addColumn('preheader', 'text')
    .addColumn('from_name', 'text')
    .addColumn('from_email', 'text')
    .addColumn('reply_to', 'text')
    // {segmentIds: string[], tagIds: string[]}: several sources, de-duplicated at fan-out.
    .addColumn('audience', t.json, (c) => c.notNull())
    .addColumn('topic_id', 'text')
    // A provider account id; null means the brand's default (the capture inbox when none is set).
    .addColumn('provider_id', 'text')
    .addColumn('track_opens', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('track_clicks', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('status', 'text', (c) => c.notNull())
    // Why the campaign is paused, throttled or failed, in words a user can act on.
    .addColumn('status_reason', 'text')
    // {at: ISO local time, zone: IANA} or {at, zone, perRecipientZone: true}; null when sent now.
    .addColumn('schedule', t.json)
    .addColumn('send_at', t.time)
    .addColumn('preflight_override', t.json)
    .addColumn('recipients', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', t.time)
    .addColumn('finished_at', t.time)
    .addColumn('archived_at', t.time)
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('campaigns_brand_idx').on('campaigns').columns(['brand_id', 'id']).execute();
  // The scheduler's tick: scheduled campaigns whose time has come.
  await db.schema.createIndex('campaigns_status_send_idx').on('campaigns').columns(['status', 'send_at']).execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('brand_id', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('campaign_id', 'text', (c) => c.references('campaigns.id').onDelete('cascade'))
    .addColumn('series_id', 'text')
    .addColumn('enrolment_id', 'text')
    .addColumn('step', 'integer')
    .addColumn('contact_id', 'text', (c) => c.notNull())
    // The address at fan-out time: what was sent stays true even if the contact changes later.
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_id', 'text')
    .addColumn('email_version', 'integer')
    .addColumn('provider_id', 'text')
    // skipped | queued | sending | sent | failed | cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('skip_reason', 'text')
    // When the message may go (the campaign's time, or the recipient's own zone); retries move it.
    .addColumn('due_at', t.time, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    // A worker that claimed the row owns it until then; an expired lease means the worker died.
    .addColumn('lease_until', t.time)
    .addColumn('provider_message_id', 'text')
    .addColumn('error', 'text')
    .addColumn('sent_at', t.time)
    .addColumn('delivered_at', t.time)
    .addColumn('opened_at', t.time)
    .addColumn('clicked_at', t.time)
    .addColumn('bounced_at', t.time)
    .addColumn('bounce_class', 'text')
    .addColumn('complained_at', t.time)
    .addColumn('unsubscribed_at', t.time)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  // Sent/Skipped lists and progress per campaign walk this index by status.
  await db.schema.createIndex('messages_campaign_idx').on('messages').columns(['campaign_id', 'status', 'id']).execute();
  // Workers claim due messages; only the queued rows are in this index, so it stays small.
  await db.schema
    .createIndex('messages_due_idx')
    .on('messages')
    .columns(['due_at'])
    .where(sql.ref('status'), '=', 'queued')
    .execute();
  // Expired leases (a worker died mid-send) are found here.
  await db.schema
    .createIndex('messages_lease_idx')
    .on('messages')
    .columns(['lease_until'])
    .where(sql.ref('status'), '=', 'sending')
    .execute();
  // Provider webhooks name the provider's message id.
  await db.schema.createIndex('messages_provider_msg_idx').on('messages').column('provider_message_id').execute();
  await db.schema.createIndex('messages_contact_idx').on('messages').columns(['contact_id', 'id']).execute();

  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('tokens', 'real', (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();

  await db.schema.alterTable('events').addColumn('message_id', 'text').execute();
  await db.schema.alterTable('events').addColumn('machine', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // Results per campaign over time, and per-recipient trails.
  await db.schema.createIndex('events_campaign_idx').on('events').columns(['campaign_id', 'type', 'occurred_at']).execute();
  await db.schema.createIndex('events_message_idx').on('events').columns(['message_id']).execute();
}
