import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DIALECTS, freshStore } from '../../test/helpers/stores.ts';
import { migrate, migrations } from './migrate.ts';
import type { Store } from './db.ts';

describe.each(DIALECTS)('store on %s', (dialect) => {
  const opened: Store[] = [];
  afterAll(async () => {
    for (const s of opened) await s.close();
  });

  it('applies every migration once and is idempotent', async () => {
    const store = await freshStore(dialect, { migrate: false });
    opened.push(store);
    expect(await migrate(store)).toEqual(migrations.map((m) => m.name));
    expect(await migrate(store)).toEqual([]);
  });

  it('round-trips times as ISO strings and JSON columns', async () => {
    const store = await freshStore(dialect);
    opened.push(store);
    const at = '2026-03-04T05:06:07.089Z';
    await store.db
      .insertInto('brands')
      .values({ id: 'brd_1', name: 'B', colors: JSON.stringify({ primary: '#000000' }), heading_font: 'a', body_font: 'b', logo_url: null, voice: '', from_name: 'B', from_email: 'b@example.com', reply_to: null, postal_address: '', default_language: 'en', time_zone: 'UTC', knowledge: '', created_at: at, updated_at: at })
      .execute();
    const row = await store.db.selectFrom('brands').selectAll().executeTakeFirstOrThrow();
    expect(row.created_at).toBe(at);
    const colors = typeof row.colors === 'string' ? JSON.parse(row.colors) : row.colors;
    expect(colors).toEqual({ primary: '#000000' });
  });

  it('rolls back a failed transaction completely', async () => {
    const store = await freshStore(dialect);
    opened.push(store);
    const at = new Date().toISOString();
    await expect(
      store.db.transaction().execute(async (trx) => {
        await trx.insertInto('users').values({ id: 'usr_1', email: 'a@example.com', name: 'A', password_hash: 'x', created_at: at }).execute();
        await trx.insertInto('users').values({ id: 'usr_2', email: 'a@example.com', name: 'dup', password_hash: 'x', created_at: at }).execute();
      }),
    ).rejects.toThrow();
    const n = await sql<{ n: number }>`select count(*) as n from users`.execute(store.db);
    expect(Number(n.rows[0].n)).toBe(0);
  });
});
