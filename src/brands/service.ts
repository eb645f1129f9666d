import type { Store, Executor } from '../store/db.ts';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { DomainError, conflict, notFound, validationError, issuesFromZod } from '../shared/errors.ts';
import { hashPassword, randomToken, sha256, verifyPassword } from '../shared/crypto.ts';
import { fromJson, toJson } from '../shared/json.ts';
import { brandsRepo } from './repo.ts';
import {
  ApiKeyInput,
  BrandInput,
  DEFAULT_COLORS,
  ROLES,
  UserInput,
  scopesForRole,
  type Actor,
  type ApiKey,
  type AuthContext,
  type Brand,
  type Membership,
  type Role,
  type User,
} from './model.ts';
import type { z } from 'zod';

const SESSION_DAYS = 14;
export const API_KEY_PREFIX = 'tdk_';

function parse<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw validationError(issuesFromZod(r.error.issues, prefix));
  return r.data;
}
export { parse as parseInput };

export interface AuditEntry {
  id: string;
  brandId: string | null;
  actor: Actor;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: unknown;
  createdAt: string;
}

export class BrandsService {
  constructor(private store: Store, private clock: Clock) {}

  private get db() {
    return this.store.db;
  }
  private now() {
    return this.clock.now().toISOString();
  }

  // ---- brands -------------------------------------------------------------------------------

  async createBrand(input: unknown, owner?: { userId: string }, actor: Actor = { type: 'system', id: null }, db: Executor = this.db): Promise<Brand> {
    const b = parse(BrandInput, input);
    const at = this.now();
    const id = newId('brd');
    await brandsRepo.insertBrand(db, {
      id,
      name: b.name,
      colors: { ...DEFAULT_COLORS, ...b.colors } as any,
      heading_font: b.headingFont ?? 'Georgia, serif',
      body_font: b.bodyFont ?? 'Helvetica, Arial, sans-serif',
      logo_url: b.logoUrl ?? null,
      voice: b.voice ?? '',
      from_name: b.fromName ?? b.name,
      from_email: b.fromEmail ?? 'hello@example.com',
      reply_to: b.replyTo ?? null,
      postal_address: b.postalAddress ?? '',
      default_language: b.defaultLanguage ?? 'en',
      time_zone: b.timeZone ?? 'UTC',
      knowledge: b.knowledge ?? '',
      created_at: at,
      updated_at: at,
    });
    if (owner) await brandsRepo.upsertMembership(db, id, owner.userId, 'manager', at);
    await this.audit(db, { brandId: id, actor, action: 'brand.created', targetType: 'brand', targetId: id });
    return (await brandsRepo.getBrand(db, id))!;
  }

  async getBrand(id: string): Promise<Brand> {
    const b = await brandsRepo.getBrand(this.db, id);
    if (!b) throw notFound('brand', id);
    return b;
  }

  listBrands(): Promise<Brand[]> {
    return brandsRepo.listBrands(this.db);
  }

  async updateBrand(id: string, input: unknown, actor: Actor): Promise<Brand> {
    const current = await this.getBrand(id);
    const b = parse(BrandInput.partial(), input);
    const patch: Record<string, unknown> = { updated_at: this.now() };
    const map: Record<string, string> = {
      name: 'name',
      headingFont: 'heading_font',
      bodyFont: 'body_font',
      logoUrl: 'logo_url',
      voice: 'voice',
      fromName: 'from_name',
      fromEmail: 'from_email',
      replyTo: 'reply_to',
      postalAddress: 'postal_address',
      defaultLanguage: 'default_language',
      timeZone: 'time_zone',
      knowledge: 'knowledge',
    };
    for (const [k, col] of Object.entries(map)) if ((b as any)[k] !== undefined) patch[col] = (b as any)[k];
    if (b.colors) patch.colors = { ...current.colors, ...b.colors };
    await brandsRepo.updateBrand(this.db, id, patch as any);
    await this.audit(this.db, { brandId: id, actor, action: 'brand.updated', targetType: 'brand', targetId: id, details: { fields: Object.keys(b) } });
    return this.getBrand(id);
  }

  // ---- users, first run, sessions ----------------------------------------------------------

  async isSetUp(): Promise<boolean> {
    return (await brandsRepo.countUsers(this.db)) > 0;
  }

  /** First run: the first user and their brand, atomically, and only while no user exists. */
  async setup(input: { user: unknown; brand: unknown }): Promise<{ user: User; brand: Brand }> {
    const userIn = parse(UserInput, input.user, 'user');
    parse(BrandInput, input.brand, 'brand');
    return this.db.transaction().execute(async (trx) => {
      if ((await brandsRepo.countUsers(trx)) > 0) throw conflict('setup has already been completed; sign in instead');
      const user = await this.insertUser(trx, userIn);
      const brand = await this.createBrand(input.brand, { userId: user.id }, { type: 'user', id: user.id }, trx);
      return { user, brand };
    });
  }

  async createUser(input: unknown): Promise<User> {
    const u = parse(UserInput, input);
    if (await brandsRepo.findUserByEmail(this.db, u.email)) throw conflict(`a user with email ${u.email} already exists`, { field: 'email' });
    return this.insertUser(this.db, u);
  }

  private async insertUser(db: Executor, u: UserInput): Promise<User> {
    const row = { id: newId('usr'), email: u.email, name: u.name, password_hash: await hashPassword(u.password), created_at: this.now() };
    await brandsRepo.insertUser(db, row);
    return { id: row.id, email: row.email, name: row.name, createdAt: row.created_at };
  }

  async listUsers(): Promise<User[]> {
    return (await brandsRepo.listUsers(this.db)).map((u) => ({ id: u.id, email: u.email, name: u.name, createdAt: u.created_at }));
  }

  async getUser(id: string): Promise<User> {
    const u = await brandsRepo.findUser(this.db, id);
    if (!u) throw notFound('user', id);
    return { id: u.id, email: u.email, name: u.name, createdAt: u.created_at };
  }

  async findUserByEmail(email: string): Promise<User> {
    const u = await brandsRepo.findUserByEmail(this.db, email.trim().toLowerCase());
    if (!u) throw notFound('user', email);
    return { id: u.id, email: u.email, name: u.name, createdAt: u.created_at };
  }

  async setPassword(userId: string, password: string): Promise<void> {
    const pw = parse(UserInput.shape.password, password, 'password');
    await this.getUser(userId);
    await brandsRepo.updatePassword(this.db, userId, await hashPassword(pw));
  }

  /** Returns the raw session token (for the cookie) and the CSRF token the web app echoes back. */
  async signIn(email: string, password: string): Promise<{ token: string; csrfToken: string; user: User; expiresAt: string }> {
    const row = await brandsRepo.findUserByEmail(this.db, String(email ?? '').trim().toLowerCase());
    // Same error for unknown user and wrong password: do not reveal which accounts exist.
    if (!row || !(await verifyPassword(String(password ?? ''), row.password_hash))) {
      throw new DomainError('unauthorized', 'email or password is incorrect');
    }
    const token = randomToken();
    const csrfToken = randomToken(24);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString();
    await brandsRepo.insertSession(this.db, { id: sha256(token), user_id: row.id, csrf_token: csrfToken, created_at: now.toISOString(), expires_at: expiresAt });
    await brandsRepo.deleteExpiredSessions(this.db, now.toISOString());
    return { token, csrfToken, expiresAt, user: { id: row.id, email: row.email, name: row.name, createdAt: row.created_at } };
  }

  async resolveSession(token: string): Promise<{ userId: string; csrfToken: string } | null> {
    const s = await brandsRepo.findSession(this.db, sha256(token));
    if (!s || s.expires_at < this.now()) return null;
    return { userId: s.user_id, csrfToken: s.csrf_token };
  }

  async signOut(token: string): Promise<void> {
    await brandsRepo.deleteSession(this.db, sha256(token));
  }

  // ---- members and roles -------------------------------------------------------------------

  async membershipsOf(userId: string): Promise<Membership[]> {
    return (await brandsRepo.membershipsOfUser(this.db, userId)) as Membership[];
  }

  async authForUser(userId: string, brandId: string): Promise<AuthContext> {
    const m = await brandsRepo.roleOf(this.db, brandId, userId);
    if (!m) throw new DomainError('forbidden', `you are not a member of brand ${brandId}`);
    return { brandId, actor: { type: 'user', id: userId }, role: m.role, scopes: new Set(scopesForRole(m.role)) };
  }

  async listMembers(brandId: string) {
    return (await brandsRepo.membersOfBrand(this.db, brandId)).map((m) => ({ userId: m.id, email: m.email, name: m.name, role: m.role as Role, since: m.created_at }));
  }

  async setMember(brandId: string, email: string, role: string, actor: Actor): Promise<void> {
    if (!ROLES.includes(role as Role)) throw validationError([{ field: 'role', message: `must be one of ${ROLES.join(', ')}` }]);
    const user = await this.findUserByEmail(email);
    await this.getBrand(brandId);
    await this.db.transaction().execute(async (trx) => {
      const before = await brandsRepo.roleOf(trx, brandId, user.id);
      if (before?.role === 'manager' && role !== 'manager') await this.assertAnotherManager(trx, brandId);
      await brandsRepo.upsertMembership(trx, brandId, user.id, role as Role, this.now());
      await this.audit(trx, { brandId, actor, action: 'member.set', targetType: 'user', targetId: user.id, details: { role, previous: before?.role ?? null } });
    });
  }

  async removeMember(brandId: string, userId: string, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const before = await brandsRepo.roleOf(trx, brandId, userId);
      if (!before) throw notFound('member', userId);
      if (before.role === 'manager') await this.assertAnotherManager(trx, brandId);
      await brandsRepo.deleteMembership(trx, brandId, userId);
      await this.audit(trx, { brandId, actor, action: 'member.removed', targetType: 'user', targetId: userId });
    });
  }

  private async assertAnotherManager(db: Executor, brandId: string) {
    const { n } = await brandsRepo.countManagers(db, brandId);
    if (Number(n) <= 1) throw conflict('a brand must keep at least one manager');
  }

  // ---- API keys ----------------------------------------------------------------------------

  /** The secret is returned once and never stored: only its sha256 is kept. */
  async createApiKey(brandId: string, input: unknown, actor: Actor): Promise<{ key: ApiKey; secret: string }> {
    const k = parse(ApiKeyInput, input);
    await this.getBrand(brandId);
    const secret = API_KEY_PREFIX + randomToken(30);
    const id = newId('key');
    await brandsRepo.insertApiKey(this.db, {
      id,
      brand_id: brandId,
      name: k.name,
      prefix: secret.slice(0, 10),
      key_hash: sha256(secret),
      scopes: [...new Set(k.scopes)],
      created_by: actor.id,
      created_at: this.now(),
    });
    await this.audit(this.db, { brandId, actor, action: 'api_key.created', targetType: 'api_key', targetId: id, details: { name: k.name, scopes: k.scopes } });
    const key = (await brandsRepo.listApiKeys(this.db, brandId)).find((x) => x.id === id)!;
    return { key, secret };
  }

  listApiKeys(brandId: string): Promise<ApiKey[]> {
    return brandsRepo.listApiKeys(this.db, brandId);
  }

  async revokeApiKey(brandId: string, id: string, actor: Actor): Promise<void> {
    if ((await brandsRepo.revokeApiKey(this.db, brandId, id, this.now())) === 0) throw notFound('api key', id);
    await this.audit(this.db, { brandId, actor, action: 'api_key.revoked', targetType: 'api_key', targetId: id });
  }

  async authForApiKey(secret: string): Promise<AuthContext | null> {
    if (!secret.startsWith(API_KEY_PREFIX)) return null;
    const key = await brandsRepo.findApiKeyByHash(this.db, sha256(secret));
    if (!key || key.revokedAt) return null;
    // Coarse "last used" (once a minute at most) keeps key checks read-only on the hot path.
    const now = this.clock.now();
    if (!key.lastUsedAt || now.getTime() - new Date(key.lastUsedAt).getTime() > 60_000) await brandsRepo.touchApiKey(this.db, key.id, now.toISOString());
    return { brandId: key.brandId, actor: { type: 'api_key', id: key.id }, role: null, scopes: new Set(key.scopes) };
  }

  // ---- audit log ---------------------------------------------------------------------------

  async audit(
    db: Executor,
    e: { brandId: string | null; actor: Actor; action: string; targetType?: string; targetId?: string; details?: unknown },
  ): Promise<void> {
    await db
      .insertInto('audit_log')
      .values({
        id: newId('aud'),
        brand_id: e.brandId,
        actor_type: e.actor.type,
        actor_id: e.actor.id,
        action: e.action,
        target_type: e.targetType ?? null,
        target_id: e.targetId ?? null,
        details: toJson(e.details ?? {}),
        created_at: this.now(),
      })
      .execute();
  }

  async listAudit(brandId: string, opts: { limit: number; before?: string }): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit_log').selectAll().where('brand_id', '=', brandId);
    if (opts.before) q = q.where('id', '<', opts.before);
    const rows = await q.orderBy('id', 'desc').limit(opts.limit).execute();
    return rows.map((r) => ({
      id: r.id,
      brandId: r.brand_id,
      actor: { type: r.actor_type, id: r.actor_id },
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      details: fromJson(r.details, {}),
      createdAt: r.created_at,
    }));
  }
}
