import type { Insertable } from 'kysely';
import type { Executor } from '../../store/db.ts';
import type { WebhookReceiptsTable } from '../../store/schema.ts';

export const receiptsRepo = {
  /** True when the receipt is new; false when (provider, dedupe_key) was already taken in. */
  async insertIfAbsent(db: Executor, row: Insertable<WebhookReceiptsTable>): Promise<boolean> {
    const inserted = await db
      .insertInto('webhook_receipts')
      .values(row)
      .onConflict((oc) => oc.columns(['provider', 'dedupe_key']).doNothing())
      .returning('dedupe_key')
      .executeTakeFirst();
    return inserted !== undefined;
  },

  async delete(db: Executor, provider: string, dedupeKey: string): Promise<void> {
    await db.deleteFrom('webhook_receipts').where('provider', '=', provider).where('dedupe_key', '=', dedupeKey).execute();
  },

  async deleteBefore(db: Executor, before: string): Promise<void> {
    await db.deleteFrom('webhook_receipts').where('received_at', '<', before).execute();
  },
};
