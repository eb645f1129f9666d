import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../store/db.ts';
import type { ProviderAccountsTable } from '../../store/schema.ts';

export type AccountRow = Selectable<ProviderAccountsTable>;

/** Campaign states in which a campaign will still send through its provider. */
const LIVE_CAMPAIGN_STATUSES = ['scheduled', 'sending', 'throttled', 'paused'] as const;

/** Every query but `byId` names the brand: another brand's account id reads as "not found". */
export const accountsRepo = {
  async insert(db: Executor, row: Insertable<ProviderAccountsTable>): Promise<void> {
    await db.insertInto('provider_accounts').values(row).execute();
  },

  async update(db: Executor, brandId: string, id: string, patch: Partial<Pick<AccountRow, 'name' | 'kind' | 'settings' | 'webhook' | 'is_default'>> & { updated_at: string }): Promise<void> {
    await db.updateTable('provider_accounts').set(patch).where('brand_id', '=', brandId).where('id', '=', id).execute();
  },

  /** Clears the brand's default so another account (or, with none, the capture inbox) can take it. */
  async clearDefault(db: Executor, brandId: string, at: string): Promise<void> {
    await db.updateTable('provider_accounts').set({ is_default: 0, updated_at: at }).where('brand_id', '=', brandId).where('is_default', '=', 1).execute();
  },

  async delete(db: Executor, brandId: string, id: string): Promise<boolean> {
    const r = await db.deleteFrom('provider_accounts').where('brand_id', '=', brandId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },

  get(db: Executor, brandId: string, id: string): Promise<AccountRow | undefined> {
    return db.selectFrom('provider_accounts').selectAll().where('brand_id', '=', brandId).where('id', '=', id).executeTakeFirst();
  },

  /** For inbound webhooks, which name the account in their URL and carry no brand. */
  byId(db: Executor, id: string): Promise<AccountRow | undefined> {
    return db.selectFrom('provider_accounts').selectAll().where('id', '=', id).executeTakeFirst();
  },

  defaultOf(db: Executor, brandId: string): Promise<AccountRow | undefined> {
    return db.selectFrom('provider_accounts').selectAll().where('brand_id', '=', brandId).where('is_default', '=', 1).executeTakeFirst();
  },

  findByName(db: Executor, brandId: string, name: string): Promise<{ id: string } | undefined> {
    return db.selectFrom('provider_accounts').select('id').where('brand_id', '=', brandId).where('name', '=', name).executeTakeFirst();
  },

  list(db: Executor, brandId: string): Promise<AccountRow[]> {
    return db.selectFrom('provider_accounts').selectAll().where('brand_id', '=', brandId).orderBy('name').orderBy('id').execute();
  },

  /** Campaigns that would still send through this account. */
  liveCampaigns(db: Executor, brandId: string, id: string): Promise<Array<{ id: string; name: string; status: string }>> {
    return db
      .selectFrom('campaigns')
      .select(['id', 'name', 'status'])
      .where('brand_id', '=', brandId)
      .where('provider_id', '=', id)
      .where('status', 'in', LIVE_CAMPAIGN_STATUSES)
      .limit(5)
      .execute();
  },
};
