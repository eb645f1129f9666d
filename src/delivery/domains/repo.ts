import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../store/db.ts';
import type { SendingDomainsTable } from '../../store/schema.ts';

export type DomainRow = Selectable<SendingDomainsTable>;

export interface SendCounts {
  sent: number;
  bounced: number;
  hardBounced: number;
  complained: number;
}

/** Every query names the brand: another brand's domain id reads as "not found". */
export const domainsRepo = {
  async insert(db: Executor, row: Insertable<SendingDomainsTable>): Promise<void> {
    await db.insertInto('sending_domains').values(row).execute();
  },

  async saveCheck(db: Executor, brandId: string, id: string, patch: Pick<DomainRow, 'status' | 'last_checked_at' | 'updated_at'> & { check: string }): Promise<void> {
    await db.updateTable('sending_domains').set(patch).where('brand_id', '=', brandId).where('id', '=', id).execute();
  },

  async delete(db: Executor, brandId: string, id: string): Promise<boolean> {
    const r = await db.deleteFrom('sending_domains').where('brand_id', '=', brandId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },

  get(db: Executor, brandId: string, id: string): Promise<DomainRow | undefined> {
    return db.selectFrom('sending_domains').selectAll().where('brand_id', '=', brandId).where('id', '=', id).executeTakeFirst();
  },

  findByDomain(db: Executor, brandId: string, domain: string): Promise<{ id: string } | undefined> {
    return db.selectFrom('sending_domains').select('id').where('brand_id', '=', brandId).where('domain', '=', domain).executeTakeFirst();
  },

  /** The brand's rows for any of `domains` (a From domain and its parents). */
  anyOf(db: Executor, brandId: string, domains: string[]): Promise<DomainRow[]> {
    return db.selectFrom('sending_domains').selectAll().where('brand_id', '=', brandId).where('domain', 'in', domains).execute();
  },

  list(db: Executor, brandId: string): Promise<DomainRow[]> {
    return db.selectFrom('sending_domains').selectAll().where('brand_id', '=', brandId).orderBy('domain').execute();
  },

  /**
   * Outcomes of the brand's messages sent since `since` from an address at `domain`: the campaign's
   * From address, or the brand's when the campaign (or a message without one) does not set its own.
   */
  async sendCounts(db: Executor, brandId: string, domain: string, since: string): Promise<SendCounts> {
    const from = sql<string>`lower(coalesce(c.from_email, b.from_email))`;
    const row = await db
      .selectFrom('messages as m')
      .innerJoin('brands as b', 'b.id', 'm.brand_id')
      .leftJoin('campaigns as c', 'c.id', 'm.campaign_id')
      .select([
        sql<number>`count(*)`.as('sent'),
        sql<number>`count(m.bounced_at)`.as('bounced'),
        sql<number>`count(case when m.bounce_class = 'hard' then 1 end)`.as('hardBounced'),
        sql<number>`count(m.complained_at)`.as('complained'),
      ])
      .where('m.brand_id', '=', brandId)
      .where('m.sent_at', '>=', since)
      .where(sql<boolean>`${from} like ${`%@${domain}`}`)
      .executeTakeFirstOrThrow();
    return { sent: Number(row.sent), bounced: Number(row.bounced), hardBounced: Number(row.hardBounced), complained: Number(row.complained) };
  },
};
