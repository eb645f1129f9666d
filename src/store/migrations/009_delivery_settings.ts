import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.ts';
import { types } from './001_initial.ts';

/**
 * Delivery settings (S9): what a brand sends through and from, and what comes back.
 *
 * - `provider_accounts`: a brand's sending accounts. `settings` and `webhook` hold sealed JSON
 *   (AES-256-GCM, key derived from the app secret), never plain secrets. At most one default per brand
 *   (partial unique index); without one the built-in capture inbox is the default.
 * - `capture_messages`: what the built-in capture inbox received, raw bytes included, per brand.
 * - `sending_domains`: a brand's domains with their DKIM key pair (private half sealed), the records
 *   to publish and the last DNS check.
 * - `webhook_receipts`: one row per provider event taken in; the primary key refuses a replay.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = types(dialect);
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';

  await db.schema
    .createTable('provider_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('brand_id', 'text', (c) => c.notNull().references('brands.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('webhook', 'text')
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .addUniqueConstraint('provider_accounts_brand_name', ['brand_id', 'name'])
    .execute();
  await db.schema
    .createIndex('provider_accounts_one_default')
    .on('provider_accounts')
    .column('brand_id')
    .unique()
    .where(sql.ref('is_default'), '=', 1)
    .execute();

  await db.schema
    .createTable('capture_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Null when the message carried no proof of its brand (another program sending to the port).
    .addColumn('brand_id', 'text', (c) => c.references('brands.id').onDelete('cascade'))
    .addColumn('message_ref', 'text')
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('to_addresses', t.json, (c) => c.notNull())
    .addColumn('envelope', t.json, (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('html', 'text')
    .addColumn('text', 'text')
    .addColumn('headers', t.json, (c) => c.notNull())
    .addColumn('raw', bytes, (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('received_at', t.time, (c) => c.notNull())
    .execute();
  // Lists and retention walk a brand's messages newest first.
  await db.schema.createIndex('capture_messages_brand_idx').on('capture_messages').columns(['brand_id', 'id']).execute();

  await db.schema
    .createTable('sending_domains')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('brand_id', 'text', (c) => c.notNull().references('brands.id').onDelete('cascade'))
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('selector', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    // The rest of the setup the records follow from: {spf?, region, returnPath?, dmarcReportTo?}.
    .addColumn('setup', t.json, (c) => c.notNull())
    .addColumn('private_key', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('records', t.json, (c) => c.notNull())
    // unverified | ready | partial | not-started
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('last_checked_at', t.time)
    .addColumn('check', t.json)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .addUniqueConstraint('sending_domains_brand_domain', ['brand_id', 'domain'])
    .execute();

  await db.schema
    .createTable('webhook_receipts')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('brand_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('message_ref', 'text')
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('received_at', t.time, (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_receipts_pk', ['provider', 'dedupe_key'])
    .execute();
  // Old receipts are pruned once providers have stopped retrying.
  await db.schema.createIndex('webhook_receipts_received_idx').on('webhook_receipts').column('received_at').execute();
}
