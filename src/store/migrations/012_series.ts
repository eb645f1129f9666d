import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';
import { types } from './001_initial.ts';

/**
 * Email Series (S6): a planned sequence of normal emails, run as a drip.
 *
 * - `series`: the sequence and how it runs (send hour, zone, trigger, exit rules, re-entry).
 * - `series_steps`: one per email, in `position` order. `email_id` is a normal email; `campaign_id`
 *   is the step's *carrier campaign*: delivery reuses the campaign outbox unchanged, so every step
 *   message is a `messages` row of its carrier (dedupe key `<enrolmentId>:<stepId>`).
 * - `enrolments`: one contact going through one series. `next_due_at` is the truth the drip tick
 *   reads; `last_position` is the current position of the last step handled (sent or skipped), so
 *   the next step is always the one after it in the current order.
 * - `enrolment_events`: the enrolment's own trail (enrolled, exited, completed); the steps' part of
 *   the trail is their outbox rows and the events of those (sent, opened, clicked…).
 *
 * Indexes, and why:
 * - `enrolments_due_idx` (series_id, next_due_at) WHERE status = 'active': the tick walks one
 *   series' due rows in due order and nothing else; ended enrolments leave the index, and a paused
 *   series is never walked at all.
 * - `enrolments_active_uq` UNIQUE (series_id, contact_id) WHERE status = 'active': a contact is in a
 *   series at most once at a time, whatever races (two API calls, a trigger and a manual start).
 * - `enrolments_series_contact_idx` (series_id, contact_id, status, ended_at, exit_reason): re-entry
 *   checks ("has this contact been in the series, and when did that end?") and the counts by status
 *   and reason read the index alone.
 * Nothing else: every index of `enrolments` is written again each time the tick moves an
 * enrolment on (PostgreSQL cannot update in place when an indexed column, `next_due_at`, changes).
 * An enrolment's step messages are found by their unique dedupe keys (`<enrolmentId>:<stepId>` for
 * each step the series ever had), so the outbox needs no index of its own for series.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = types(dialect);

  await db.schema
    .createTable('series')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('brand_id', 'text', (c) => c.notNull().references('brands.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    // The brief it was generated from, kept so added steps can be written to match.
    .addColumn('brief', t.json, (c) => c.notNull())
    // draft | active | paused | archived
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('send_hour', 'integer', (c) => c.notNull().defaultTo(9))
    .addColumn('time_zone', 'text')
    .addColumn('trigger', t.json, (c) => c.notNull())
    .addColumn('exit_rules', t.json, (c) => c.notNull())
    // never | after-exit
    .addColumn('reentry', 'text', (c) => c.notNull().defaultTo('never'))
    .addColumn('utm_campaign', 'text')
    .addColumn('provider_id', 'text')
    // Why the automatic trigger is off (its segment was deleted…), in words a user can act on.
    .addColumn('trigger_error', 'text')
    .addColumn('preflight_override', t.json)
    .addColumn('started_at', t.time)
    .addColumn('archived_at', t.time)
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('series_brand_idx').on('series').columns(['brand_id', 'id']).execute();
  await db.schema.createIndex('series_status_idx').on('series').columns(['status']).execute();

  await db.schema.alterTable('campaigns').addColumn('series_id', 'text').execute();
  await db.schema.alterTable('campaigns').addColumn('series_step_id', 'text').execute();
  await db.schema.createIndex('campaigns_series_idx').on('campaigns').columns(['series_id']).where(sql.ref('series_id'), 'is not', null).execute();

  await db.schema
    .createTable('series_steps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('series_id', 'text', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    // A deleted email leaves the step without one: its carrier is paused by the dispatcher with the reason.
    .addColumn('email_id', 'text', (c) => c.references('emails.id').onDelete('set null'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('beats', t.json, (c) => c.notNull())
    .addColumn('handoff', 'text', (c) => c.notNull().defaultTo(''))
    // The composer brief the email was written from.
    .addColumn('brief', t.json, (c) => c.notNull())
    .addColumn('offset_days', 'integer', (c) => c.notNull())
    .addColumn('campaign_id', 'text', (c) => c.references('campaigns.id').onDelete('set null'))
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('series_steps_series_idx').on('series_steps').columns(['series_id', 'position']).execute();

  await db.schema
    .createTable('enrolments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('brand_id', 'text', (c) => c.notNull())
    .addColumn('series_id', 'text', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    // active | completed | exited
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('exit_reason', 'text')
    // manual | api | segment | tag | event
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('enrolled_at', t.time, (c) => c.notNull())
    .addColumn('next_step_id', 'text')
    .addColumn('next_due_at', t.time)
    .addColumn('last_position', 'integer', (c) => c.notNull().defaultTo(-1))
    .addColumn('ended_at', t.time)
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('enrolments_due_idx').on('enrolments').columns(['series_id', 'next_due_at']).where(sql.ref('status'), '=', 'active').execute();
  await db.schema.createIndex('enrolments_active_uq').on('enrolments').columns(['series_id', 'contact_id']).unique().where(sql.ref('status'), '=', 'active').execute();
  await db.schema.createIndex('enrolments_series_contact_idx').on('enrolments').columns(['series_id', 'contact_id', 'status', 'ended_at', 'exit_reason']).execute();

  await db.schema
    .createTable('enrolment_events')
    .addColumn('enrolment_id', 'text', (c) => c.notNull().references('enrolments.id').onDelete('cascade'))
    .addColumn('at', t.time, (c) => c.notNull())
    // enrolled | exited | completed
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('step_id', 'text')
    .addColumn('detail', t.json, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('enrolment_events_enrolment_idx').on('enrolment_events').columns(['enrolment_id', 'at']).execute();

}
