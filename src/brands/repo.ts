import type { Executor } from '../store/db.ts';
import type { Insertable, Selectable } from 'kysely';
import type { BrandsTable } from '../store/schema.ts';
import { fromJson, toJson } from '../shared/json.ts';
import { DEFAULT_COLORS, type ApiKey, type Brand, type Role, type Scope } from './model.ts';

export function toBrand(r: Selectable<BrandsTable>): Brand {
  return {
    id: r.id,
    name: r.name,
    colors: { ...DEFAULT_COLORS, ...fromJson(r.colors, {}) },
    headingFont: r.heading_font,
    bodyFont: r.body_font,
    logoUrl: r.logo_url,
    voice: r.voice,
    fromName: r.from_name,
    fromEmail: r.from_email,
    replyTo: r.reply_to,
    postalAddress: r.postal_address,
    defaultLanguage: r.default_language,
    timeZone: r.time_zone,
    knowledge: r.knowledge,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const toApiKey = (r: any): ApiKey => ({
  id: r.id,
  brandId: r.brand_id,
  name: r.name,
  prefix: r.prefix,
  scopes: fromJson<Scope[]>(r.scopes, []),
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export const brandsRepo = {
  async insertBrand(db: Executor, row: Omit<Insertable<BrandsTable>, 'colors'> & { colors: unknown }) {
    await db.insertInto('brands').values({ ...row, colors: toJson(row.colors) }).execute();
  },
  async updateBrand(db: Executor, id: string, patch: Record<string, unknown>) {
    const values: Record<string, unknown> = { ...patch };
    if (patch.colors !== undefined) values.colors = toJson(patch.colors);
    await db.updateTable('brands').set(values).where('id', '=', id).execute();
  },
  async getBrand(db: Executor, id: string): Promise<Brand | undefined> {
    const r = await db.selectFrom('brands').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toBrand(r);
  },
  async listBrands(db: Executor): Promise<Brand[]> {
    return (await db.selectFrom('brands').selectAll().orderBy('id').execute()).map(toBrand);
  },
  async countUsers(db: Executor): Promise<number> {
    const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  },
  async insertUser(db: Executor, row: { id: string; email: string; name: string; password_hash: string; created_at: string }) {
    await db.insertInto('users').values(row).execute();
  },
  findUserByEmail(db: Executor, email: string) {
    return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  },
  findUser(db: Executor, id: string) {
    return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  },
  listUsers(db: Executor) {
    return db.selectFrom('users').select(['id', 'email', 'name', 'created_at']).orderBy('id').execute();
  },
  async updatePassword(db: Executor, id: string, hash: string) {
    await db.updateTable('users').set({ password_hash: hash }).where('id', '=', id).execute();
  },
  async upsertMembership(db: Executor, brandId: string, userId: string, role: Role, at: string) {
    await db
      .insertInto('memberships')
      .values({ brand_id: brandId, user_id: userId, role, created_at: at })
      .onConflict((oc) => oc.columns(['brand_id', 'user_id']).doUpdateSet({ role }))
      .execute();
  },
  async deleteMembership(db: Executor, brandId: string, userId: string) {
    await db.deleteFrom('memberships').where('brand_id', '=', brandId).where('user_id', '=', userId).execute();
  },
  membershipsOfUser(db: Executor, userId: string) {
    return db
      .selectFrom('memberships')
      .innerJoin('brands', 'brands.id', 'memberships.brand_id')
      .select(['memberships.brand_id as brandId', 'brands.name as brandName', 'memberships.role as role'])
      .where('memberships.user_id', '=', userId)
      .orderBy('brands.name')
      .execute();
  },
  membersOfBrand(db: Executor, brandId: string) {
    return db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['users.id', 'users.email', 'users.name', 'memberships.role', 'memberships.created_at'])
      .where('memberships.brand_id', '=', brandId)
      .orderBy('users.email')
      .execute();
  },
  roleOf(db: Executor, brandId: string, userId: string) {
    return db
      .selectFrom('memberships')
      .select('role')
      .where('brand_id', '=', brandId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  },
  countManagers(db: Executor, brandId: string) {
    return db
      .selectFrom('memberships')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('brand_id', '=', brandId)
      .where('role', '=', 'manager')
      .executeTakeFirstOrThrow();
  },
  async insertSession(db: Executor, row: { id: string; user_id: string; csrf_token: string; created_at: string; expires_at: string }) {
    await db.insertInto('sessions').values(row).execute();
  },
  findSession(db: Executor, id: string) {
    return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async deleteSession(db: Executor, id: string) {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
  },
  async deleteExpiredSessions(db: Executor, now: string) {
    await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
  },
  async insertApiKey(db: Executor, row: { id: string; brand_id: string; name: string; prefix: string; key_hash: string; scopes: Scope[]; created_by: string | null; created_at: string }) {
    await db.insertInto('api_keys').values({ ...row, scopes: toJson(row.scopes) }).execute();
  },
  async findApiKeyByHash(db: Executor, hash: string): Promise<ApiKey | undefined> {
    const r = await db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst();
    return r && toApiKey(r);
  },
  async listApiKeys(db: Executor, brandId: string): Promise<ApiKey[]> {
    return (await db.selectFrom('api_keys').selectAll().where('brand_id', '=', brandId).orderBy('id', 'desc').execute()).map(toApiKey);
  },
  async revokeApiKey(db: Executor, brandId: string, id: string, at: string) {
    const r = await db
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('brand_id', '=', brandId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  },
  async touchApiKey(db: Executor, id: string, at: string) {
    await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  },
};
