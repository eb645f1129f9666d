import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';
import { types } from './001_initial.ts';

/**
 * What fan-out and the progress view need beyond 008:
 * - `campaigns.fanout_cursor`: the last contact id whose batch committed, written in the same
 *   transaction as that batch's outbox rows, so a fan-out cut short resumes exactly after it;
 *   `fanout_done_at` says the whole audience is in the outbox (a campaign can only finish then).
 * - `campaigns.cancelled`: queued messages a cancel withdrew, the last counter the progress view
 *   needs to add up without scanning the outbox.
 * - `campaign_mailboxes`: which contact claimed a mailbox in a campaign, for the `duplicate` skip
 *   reason. Only addresses at providers that ignore dots or `+tags` get a row (see
 *   src/campaigns/skips.ts): every other address is already unique per brand.
 * - `messages_claim_idx`: workers claim a campaign's due messages in due order. Without it a claim
 *   walks every queued row of the campaign (messages_campaign_idx is in id order), which for a
 *   campaign sent in each recipient's own zone means the whole not-yet-due audience on every poll.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = types(dialect);
  await db.schema.alterTable('campaigns').addColumn('fanout_cursor', 'text').execute();
  await db.schema.alterTable('campaigns').addColumn('fanout_done_at', t.time).execute();
  await db.schema.alterTable('campaigns').addColumn('cancelled', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema
    .createIndex('messages_claim_idx')
    .on('messages')
    .columns(['campaign_id', 'due_at'])
    .where(sql.ref('status'), '=', 'queued')
    .execute();

  if (dialect === 'sqlite') {
    // The primary key is the table: one B-tree per claim instead of a rowid table plus its index.
    await sql`create table campaign_mailboxes (
      campaign_id text not null references campaigns (id) on delete cascade,
      mailbox text not null,
      contact_id text not null,
      constraint campaign_mailboxes_pk primary key (campaign_id, mailbox)
    ) without rowid`.execute(db);
  } else {
    await db.schema
      .createTable('campaign_mailboxes')
      .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
      .addColumn('mailbox', 'text', (c) => c.notNull())
      .addColumn('contact_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('campaign_mailboxes_pk', ['campaign_id', 'mailbox'])
      .execute();
  }
}
