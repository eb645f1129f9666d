import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';
import { types } from './001_initial.ts';

/**
 * Campaign results (S5.4) at a million messages.
 *
 * Unique engagement is the count of messages whose first-time column is set. A scan of a
 * campaign's messages reads every row (about 320 ms at 1M on SQLite); one partial index per column
 * holds only the messages that have it, so each count is an index-only range count (all of them in
 * about 130 ms at 1M, most of it the delivered count). Bounces carry their class in the index so
 * "bounces by class" needs no row either.
 *
 * Clicks per link read the link index out of the event's JSON: an expression index over the click
 * events (partial: clicks only) holds it with the machine flag and the message, so links, clicks and
 * unique clicks are counted from the index alone (1.1 s at 90,000 clicks without it).
 *
 * Totals over time come from `campaign_activity`: events per campaign, UTC hour, type and machine
 * flag, kept by the same transactions that write the events. Grouping a million-message
 * campaign's events by hour took about 2 s (and the open and click totals 180 ms); the rollup
 * answers both from a few hundred rows.
 */
const FIRSTS = ['delivered_at', 'opened_at', 'clicked_at', 'complained_at', 'unsubscribed_at'] as const;

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = types(dialect);
  for (const column of FIRSTS) {
    await db.schema
      .createIndex(`messages_${column.replace(/_at$/, '')}_idx`)
      .on('messages')
      .column('campaign_id')
      .where(sql.ref(column), 'is not', null)
      .execute();
  }
  await db.schema.createIndex('messages_bounced_idx').on('messages').columns(['campaign_id', 'bounce_class']).where(sql.ref('bounced_at'), 'is not', null).execute();

  // The expression must match the one repo.ts groups by, or the planner will not use the index.
  const link = dialect === 'postgres' ? sql`(data->>'link')` : sql`json_extract(data, '$.link')`;
  await sql`create index events_clicks_idx on events (campaign_id, ${link}, machine, message_id) where type = 'clicked'`.execute(db);

  await db.schema
    .createTable('campaign_activity')
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    // Start of the UTC hour.
    .addColumn('hour', t.time, (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('machine', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_activity_pk', ['campaign_id', 'hour', 'type', 'machine'])
    .execute();
}
