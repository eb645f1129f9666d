import { sql } from 'kysely';
import type { Store } from './db.ts';
import * as m001 from './migrations/001_initial.ts';
import * as m002 from './migrations/002_audience_indexes.ts';
import * as m003 from './migrations/003_segment_indexes.ts';
import * as m004 from './migrations/004_imports.ts';
import * as m005 from './migrations/005_lean_contact_writes.ts';
import * as m006 from './migrations/006_emails.ts';
import * as m007 from './migrations/007_preflight.ts';
import * as m008 from './migrations/008_campaigns.ts';
import * as m009 from './migrations/009_delivery_settings.ts';
import * as m010 from './migrations/010_tracking.ts';
import * as m011 from './migrations/011_campaigns_extra.ts';
import * as m012 from './migrations/012_series.ts';
import * as m013 from './migrations/013_human_engagement_index.ts';
import * as m014 from './migrations/014_tracking_inbox.ts';
import * as m015 from './migrations/015_series_handed_until.ts';
import * as m016 from './migrations/016_event_write_indexes.ts';

/**
 * Migrations are registered in code (not discovered on disk) so the same list runs from the CLI,
 * at embedded start-up and in tests. Each runs in its own transaction on both dialects.
 */
interface Migration {
  name: string;
  up: typeof m001.up;
}

export const migrations: Migration[] = [
  { name: '001_initial', up: m001.up },
  { name: '002_audience_indexes', up: m002.up },
  { name: '003_segment_indexes', up: m003.up },
  { name: '004_imports', up: m004.up },
  { name: '005_lean_contact_writes', up: m005.up },
  { name: '006_emails', up: m006.up },
  { name: '007_preflight', up: m007.up },
  { name: '008_campaigns', up: m008.up },
  { name: '009_delivery_settings', up: m009.up },
  { name: '010_tracking', up: m010.up },
  { name: '011_campaigns_extra', up: m011.up },
  { name: '012_series', up: m012.up },
  { name: '013_human_engagement_index', up: m013.up },
  { name: '014_tracking_inbox', up: m014.up },
  { name: '015_series_handed_until', up: m015.up },
  { name: '016_event_write_indexes', up: m016.up },
];

export async function migrate(store: Store): Promise<string[]> {
  const { db, dialect } = store;
  await db.schema
    .createTable('schema_migrations')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();
  const applied: string[] = [];
  for (const m of migrations) {
    const done = await db.transaction().execute(async (trx) => {
      // Serialise concurrent migrators (several scaled processes starting together).
      if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(7301001)`.execute(trx);
      const row = await sql<{ name: string }>`select name from schema_migrations where name = ${m.name}`.execute(trx);
      if (row.rows.length > 0) return false;
      await m.up(trx as any, dialect);
      await sql`insert into schema_migrations (name, applied_at) values (${m.name}, ${new Date().toISOString()})`.execute(trx);
      return true;
    });
    if (done) applied.push(m.name);
  }
  return applied;
}
