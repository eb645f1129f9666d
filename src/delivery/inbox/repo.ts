import { sql, type Expression, type Insertable, type Selectable, type SqlBool } from 'kysely';
import type { Dialect, Executor } from '../../store/db.ts';
import type { CaptureMessagesTable } from '../../store/schema.ts';
import { fromJson } from '../../shared/json.ts';
import type { InboxMessage, InboxMessageSummary } from './model.ts';

const SUMMARY_COLUMNS = ['id', 'from_address', 'to_addresses', 'subject', 'message_id', 'message_ref', 'size', 'received_at'] as const;

type SummaryRow = Pick<Selectable<CaptureMessagesTable>, (typeof SUMMARY_COLUMNS)[number]>;

const toSummary = (r: SummaryRow): InboxMessageSummary => ({
  id: r.id,
  from: r.from_address,
  to: fromJson<string[]>(r.to_addresses, []),
  subject: r.subject,
  messageId: r.message_id,
  messageRef: r.message_ref,
  size: r.size,
  receivedAt: r.received_at,
});

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function like(dialect: Dialect, subject: Expression<unknown>, pattern: string) {
  return sql<SqlBool>`${subject} ${sql.raw(dialect === 'postgres' ? 'ilike' : 'like')} ${pattern} escape '\\'`;
}

/** Brand null is its own bucket (unattributed mail): `is null`, never `= null`. */
const ofBrand = (brandId: string | null) => (brandId === null ? sql<SqlBool>`brand_id is null` : sql<SqlBool>`brand_id = ${brandId}`);

export const inboxRepo = {
  async insert(db: Executor, row: Insertable<CaptureMessagesTable>): Promise<void> {
    await db.insertInto('capture_messages').values(row).execute();
  },

  /** Newest first; `before` is the cursor (the last id of the previous page). */
  async list(db: Executor, dialect: Dialect, brandId: string, opts: { limit: number; before?: string; search?: string }): Promise<InboxMessageSummary[]> {
    let q = db.selectFrom('capture_messages').select(SUMMARY_COLUMNS).where('brand_id', '=', brandId);
    if (opts.before) q = q.where('id', '<', opts.before);
    if (opts.search) {
      const pattern = `%${escapeLike(opts.search)}%`;
      q = q.where(
        sql<SqlBool>`(${like(dialect, sql.ref('subject'), pattern)} or ${like(dialect, sql.ref('from_address'), pattern)} or ${like(dialect, sql`cast(to_addresses as text)`, pattern)})`,
      );
    }
    return (await q.orderBy('id', 'desc').limit(opts.limit).execute()).map(toSummary);
  },

  async get(db: Executor, brandId: string, id: string): Promise<InboxMessage | undefined> {
    const r = await db
      .selectFrom('capture_messages')
      .select([...SUMMARY_COLUMNS, 'envelope', 'html', 'text', 'headers'])
      .where('brand_id', '=', brandId)
      .where('id', '=', id)
      .executeTakeFirst();
    return (
      r && {
        ...toSummary(r),
        envelope: fromJson(r.envelope, { from: '', to: [] }),
        html: r.html,
        text: r.text,
        headers: fromJson(r.headers, []),
      }
    );
  },

  async raw(db: Executor, brandId: string, id: string): Promise<Buffer | undefined> {
    const r = await db.selectFrom('capture_messages').select('raw').where('brand_id', '=', brandId).where('id', '=', id).executeTakeFirst();
    return r && Buffer.from(r.raw);
  },

  async delete(db: Executor, brandId: string, id: string): Promise<boolean> {
    const r = await db.deleteFrom('capture_messages').where('brand_id', '=', brandId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },

  async clear(db: Executor, brandId: string): Promise<number> {
    const r = await db.deleteFrom('capture_messages').where('brand_id', '=', brandId).executeTakeFirst();
    return Number(r.numDeletedRows);
  },

  /** Deletes all but the newest `keep` messages of the brand (or of the unattributed bucket). */
  async prune(db: Executor, brandId: string | null, keep: number): Promise<number> {
    const oldestKept = await db
      .selectFrom('capture_messages')
      .select('id')
      .where(ofBrand(brandId))
      .orderBy('id', 'desc')
      .limit(1)
      .offset(keep - 1)
      .executeTakeFirst();
    if (!oldestKept) return 0;
    const r = await db.deleteFrom('capture_messages').where(ofBrand(brandId)).where('id', '<', oldestKept.id).executeTakeFirst();
    return Number(r.numDeletedRows);
  },

  /** The brand of an outbox message, for mail whose Message-ID names it. */
  async brandOfMessage(db: Executor, messageId: string): Promise<string | undefined> {
    const r = await db.selectFrom('messages').select('brand_id').where('id', '=', messageId).executeTakeFirst();
    return r?.brand_id;
  },
};
