import crypto from 'node:crypto';
import type { Logger } from 'pino';
import type { Store } from '../../store/db.ts';
import type { Clock } from '../../shared/clock.ts';
import { conflict, DomainError, invalid, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { parseInput, type BrandsService } from '../../brands/service.ts';
import type { Actor } from '../../brands/model.ts';
import { createProvider, parseProviderSettings, type ProviderSettings } from '../providers/registry.ts';
import type { OutboundMessage, ProviderKind, SendOutcome } from '../providers/model.ts';
import type { InboxService } from '../inbox/service.ts';
import { createVerifier, type VerifierConfig } from '../webhooks/verify.ts';
import type { WebhookProvider } from '../webhooks/model.ts';
import {
  AccountInput,
  AccountPatch,
  CAPTURE_ID,
  hasWebhooks,
  maskSecrets,
  mergePatch,
  SETTINGS_SECRETS,
  TestSendInput,
  WEBHOOK_SCHEMAS,
  WEBHOOK_SECRETS,
  type AccountKind,
  type ProviderAccount,
  type ResolvedProvider,
  type WebhookSettings,
} from './model.ts';
import { publicUrlProblem } from '../../preflight/checks/links.ts';
import { accountsRepo, type AccountRow } from './repo.ts';
import { Sealer } from './sealing.ts';

export interface ProvidersDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  brands: BrandsService;
  inbox: InboxService;
  /** The app secret; provider secrets are sealed with keys derived from it. */
  secret: string;
  /** Base of the webhook URLs shown to the user (TIDINGS_PUBLIC_URL). */
  publicUrl: string;
  /** The HTTP adapters' fetch (tests point vendors at local servers through their baseUrl instead). */
  fetch?: typeof fetch;
}

/** What an inbound webhook needs to know about the account named in its URL. */
export interface WebhookAccount {
  id: string;
  brandId: string;
  kind: ProviderKind;
  /** Null when the account has no webhook verification set up. */
  webhook: VerifierConfig | null;
  /** Changes whenever the webhook settings do (verifiers are cached on it). */
  version: string;
}

interface CachedProvider {
  /** The sealed settings: re-sealed (new IV) on every change, so any change anywhere shows here. */
  version: string;
  resolved: ResolvedProvider;
}

/**
 * Provider accounts per brand (S9.1) and the one way the send path gets a provider: `resolve`.
 * Instances are cached per account and rebuilt when its settings change (in this process or, seen
 * through the sealed value, in another one); the previous instance is closed.
 */
export class ProvidersService {
  private readonly settingsSealer: Sealer;
  private readonly webhookSealer: Sealer;
  private readonly cache = new Map<string, CachedProvider>();

  constructor(private readonly deps: ProvidersDeps) {
    this.settingsSealer = new Sealer(deps.secret, 'provider-settings');
    this.webhookSealer = new Sealer(deps.secret, 'provider-webhook');
  }

  private get db() {
    return this.deps.store.db;
  }
  private now() {
    return this.deps.clock.now().toISOString();
  }

  // ---- accounts ------------------------------------------------------------------------------------

  async list(brandId: string): Promise<ProviderAccount[]> {
    const rows = await accountsRepo.list(this.db, brandId);
    return [this.captureAccount(!rows.some((r) => r.is_default === 1)), ...rows.map((r) => this.toAccount(r))];
  }

  async get(brandId: string, id: string): Promise<ProviderAccount> {
    if (id === CAPTURE_ID) return this.captureAccount(!(await accountsRepo.defaultOf(this.db, brandId)));
    return this.toAccount(await this.row(brandId, id));
  }

  async create(brandId: string, input: unknown, actor: Actor): Promise<ProviderAccount> {
    const a = parseInput(AccountInput, input);
    const settings = this.validSettings(a.settings);
    const webhook = this.validWebhook(settings.kind, a.webhook);
    await this.assertNameFree(brandId, a.name);
    const id = newId('prv');
    const at = this.now();
    await this.db.transaction().execute(async (trx) => {
      if (a.isDefault) await accountsRepo.clearDefault(trx, brandId, at);
      await accountsRepo.insert(trx, {
        id,
        brand_id: brandId,
        name: a.name,
        kind: settings.kind,
        settings: this.settingsSealer.seal(JSON.stringify(settings), id),
        webhook: webhook ? this.webhookSealer.seal(JSON.stringify(webhook), id) : null,
        is_default: a.isDefault ? 1 : 0,
        created_at: at,
        updated_at: at,
      });
      await this.deps.brands.audit(trx, { brandId, actor, action: 'provider.created', targetType: 'provider_account', targetId: id, details: { name: a.name, kind: settings.kind, isDefault: !!a.isDefault } });
    });
    return this.get(brandId, id);
  }

  async update(brandId: string, id: string, input: unknown, actor: Actor): Promise<ProviderAccount> {
    if (id === CAPTURE_ID) throw invalid('id', 'the built-in capture inbox cannot be changed');
    const p = parseInput(AccountPatch, input);
    const row = await this.row(brandId, id);
    const stored = this.openSettings(row);
    const settings = p.settings === undefined ? stored : this.validSettings(p.settings.kind === undefined || p.settings.kind === stored.kind ? mergePatch(stored, p.settings) : p.settings);
    const kindChanged = settings.kind !== stored.kind;
    // Webhook secrets belong to one provider: a new kind starts without them unless new ones are given.
    const previousWebhook = kindChanged ? null : this.openWebhook(row);
    const webhook = p.webhook === undefined ? previousWebhook : p.webhook === null ? null : this.validWebhook(settings.kind, mergePatch(previousWebhook ?? {}, p.webhook));
    if (p.name !== undefined && p.name !== row.name) await this.assertNameFree(brandId, p.name);
    const at = this.now();
    await this.db.transaction().execute(async (trx) => {
      if (p.isDefault) await accountsRepo.clearDefault(trx, brandId, at);
      await accountsRepo.update(trx, brandId, id, {
        ...(p.name !== undefined ? { name: p.name } : {}),
        kind: settings.kind,
        settings: this.settingsSealer.seal(JSON.stringify(settings), id),
        webhook: webhook ? this.webhookSealer.seal(JSON.stringify(webhook), id) : null,
        ...(p.isDefault !== undefined ? { is_default: p.isDefault ? 1 : 0 } : {}),
        updated_at: at,
      });
      const fields = Object.keys(input as object).filter((k) => k in AccountPatch.shape);
      await this.deps.brands.audit(trx, { brandId, actor, action: 'provider.updated', targetType: 'provider_account', targetId: id, details: { fields } });
    });
    await this.evict(id);
    return this.get(brandId, id);
  }

  async remove(brandId: string, id: string, actor: Actor): Promise<void> {
    if (id === CAPTURE_ID) throw invalid('id', 'the built-in capture inbox cannot be deleted');
    const row = await this.row(brandId, id);
    const live = await accountsRepo.liveCampaigns(this.db, brandId, id);
    if (live.length) {
      throw conflict(`provider account "${row.name}" is used by ${live.map((c) => `campaign "${c.name}" (${c.status})`).join(', ')}: choose another provider for them or cancel them first`, {
        campaigns: live,
      });
    }
    await this.db.transaction().execute(async (trx) => {
      await accountsRepo.delete(trx, brandId, id);
      await this.deps.brands.audit(trx, { brandId, actor, action: 'provider.deleted', targetType: 'provider_account', targetId: id, details: { name: row.name, kind: row.kind } });
    });
    await this.evict(id);
  }

  /** Sends a short message through the account (or the capture inbox) and reports what the provider said. */
  async test(brandId: string, id: string, input: unknown): Promise<{ providerId: string; kind: ProviderKind; outcome: SendOutcome }> {
    const { to } = parseInput(TestSendInput, input);
    const brand = await this.deps.brands.getBrand(brandId);
    const account = await this.get(brandId, id);
    const resolved = await this.resolve(brandId, id);
    const ref = `test_${crypto.randomUUID()}`;
    const message: OutboundMessage = {
      idempotencyKey: ref,
      messageRef: ref,
      category: 'transactional',
      from: { email: brand.fromEmail, name: brand.fromName || undefined },
      to: [{ email: to }],
      subject: `Test message from ${brand.name} via ${account.name}`,
      html: `<p>This is a test message from <strong>${escapeHtml(brand.name)}</strong>, sent through the provider account <strong>${escapeHtml(account.name)}</strong> (${account.kind}).</p><p>If you can read it, the account works.</p>`,
      text: `This is a test message from ${brand.name}, sent through the provider account ${account.name} (${account.kind}).\n\nIf you can read it, the account works.\n`,
    };
    return { providerId: resolved.id, kind: resolved.kind, outcome: await resolved.provider.send(message) };
  }

  // ---- the send path's provider ------------------------------------------------------------------

  /** What kind of provider `resolve` would give, without building it (no connections opened). */
  async kindOf(brandId: string, providerId: string | null): Promise<ProviderKind> {
    if (providerId === CAPTURE_ID) return 'capture';
    const row = providerId === null ? await accountsRepo.defaultOf(this.db, brandId) : await accountsRepo.get(this.db, brandId, providerId);
    if (!row) {
      if (providerId === null) return 'capture';
      throw notFound('provider account', providerId);
    }
    return row.kind as ProviderKind;
  }

  /**
   * Mail through a real provider carries unsubscribe, tracking and web-version links to this
   * server; with a public URL only this machine can reach, recipients could not even unsubscribe.
   * The capture inbox is read here, so it may use any URL. Campaigns and series check this before
   * they send; it cannot be overridden: it is not a judgement call.
   */
  async assertRecipientsCanReachUs(brandId: string, providerId: string | null): Promise<void> {
    const { publicUrl } = this.deps;
    const problem = publicUrlProblem(publicUrl);
    if (!problem || (await this.kindOf(brandId, providerId)) === 'capture') return;
    throw invalid(
      'providerId',
      `cannot send through a real provider while the public URL (TIDINGS_PUBLIC_URL=${publicUrl}) ${problem}: recipients could not unsubscribe or open its links. Set TIDINGS_PUBLIC_URL to this server's public https:// address, or send to the capture inbox`,
    );
  }

  /**
   * The provider to send through: the given account, or with `null` the brand's default account,
   * or with none the built-in capture inbox. An account of another brand is "not found".
   */
  async resolve(brandId: string, providerId: string | null): Promise<ResolvedProvider> {
    if (providerId === CAPTURE_ID) return this.capture(brandId);
    const row = providerId === null ? await accountsRepo.defaultOf(this.db, brandId) : await accountsRepo.get(this.db, brandId, providerId);
    if (!row) {
      if (providerId === null) return this.capture(brandId);
      throw notFound('provider account', providerId);
    }
    const hit = this.cache.get(row.id);
    if (hit?.version === row.settings) return hit.resolved;
    if (hit) await this.evict(row.id);
    const settings = this.openSettings(row);
    const resolved: ResolvedProvider = { id: row.id, kind: settings.kind, provider: createProvider(settings, { clock: this.deps.clock, fetch: this.deps.fetch }) };
    this.cache.set(row.id, { version: row.settings, resolved });
    return resolved;
  }

  /** For inbound webhooks: the account named in the URL (any brand), or null. */
  async webhookAccount(accountId: string): Promise<WebhookAccount | null> {
    const row = await accountsRepo.byId(this.db, accountId);
    if (!row) return null;
    const webhook = this.openWebhook(row);
    return { id: row.id, brandId: row.brand_id, kind: row.kind as ProviderKind, webhook: webhook && ({ provider: row.kind, ...webhook } as VerifierConfig), version: row.webhook ?? '' };
  }

  async close(): Promise<void> {
    await Promise.all([...this.cache.keys()].map((id) => this.evict(id)));
  }

  // ---- helpers -------------------------------------------------------------------------------------

  private async capture(brandId: string): Promise<ResolvedProvider> {
    return { id: CAPTURE_ID, kind: 'capture', provider: await this.deps.inbox.providerFor(brandId) };
  }

  private async evict(id: string): Promise<void> {
    const hit = this.cache.get(id);
    this.cache.delete(id);
    await hit?.resolved.provider.close().catch((err) => this.deps.log.warn({ err, providerId: id }, 'closing a replaced provider failed'));
  }

  private async row(brandId: string, id: string): Promise<AccountRow> {
    const row = await accountsRepo.get(this.db, brandId, id);
    if (!row) throw notFound('provider account', id);
    return row;
  }

  private async assertNameFree(brandId: string, name: string): Promise<void> {
    if (await accountsRepo.findByName(this.db, brandId, name)) {
      throw new DomainError('conflict', `a provider account named "${name}" already exists`, { issues: [{ field: 'name', message: 'is already used by another account' }] });
    }
  }

  private validSettings(input: unknown): ProviderSettings & { kind: AccountKind } {
    if ((input as { kind?: unknown } | null)?.kind === 'capture') throw invalid('settings.kind', `the capture inbox is built in (provider id "${CAPTURE_ID}"); add an account of another kind`);
    return parseProviderSettings(input, 'settings') as ProviderSettings & { kind: AccountKind };
  }

  /** Validates the webhook secrets by building the verifier they are for, which checks key formats too. */
  private validWebhook(kind: AccountKind, input: unknown): WebhookSettings[WebhookProvider] | null {
    if (input === null || input === undefined) return null;
    if (!hasWebhooks(kind)) throw invalid('webhook', `${kind} accounts post no events; leave webhook out`);
    const webhook = parseInput(WEBHOOK_SCHEMAS[kind], input, 'webhook') as WebhookSettings[WebhookProvider];
    try {
      createVerifier({ provider: kind, ...webhook } as VerifierConfig, { clock: this.deps.clock });
    } catch (err) {
      throw err instanceof DomainError ? renameFields(err, kind, 'webhook') : err;
    }
    return webhook;
  }

  private openSettings(row: AccountRow): ProviderSettings & { kind: AccountKind } {
    return JSON.parse(this.settingsSealer.open(row.settings, row.id, `the settings of provider account "${row.name}" (${row.id})`));
  }

  private openWebhook(row: AccountRow): Record<string, unknown> | null {
    return row.webhook ? JSON.parse(this.webhookSealer.open(row.webhook, row.id, `the webhook secrets of provider account "${row.name}" (${row.id})`)) : null;
  }

  private toAccount(row: AccountRow): ProviderAccount {
    const kind = row.kind as AccountKind;
    const settings = maskSecrets(this.openSettings(row) as Record<string, unknown>, SETTINGS_SECRETS[kind]);
    const webhook = this.openWebhook(row);
    const masked = hasWebhooks(kind) && webhook ? maskSecrets(webhook, WEBHOOK_SECRETS[kind]) : null;
    return {
      id: row.id,
      name: row.name,
      kind,
      settings: settings.visible,
      secrets: settings.secrets,
      webhook: masked?.visible ?? null,
      webhookSecrets: masked?.secrets ?? {},
      webhookUrl: hasWebhooks(kind) ? `${this.deps.publicUrl}/webhooks/${kind}/${row.id}` : null,
      isDefault: row.is_default === 1,
      builtIn: false,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  private captureAccount(isDefault: boolean): ProviderAccount {
    return {
      id: CAPTURE_ID,
      name: 'Capture inbox',
      kind: 'capture',
      settings: { kind: 'capture' },
      secrets: {},
      webhook: null,
      webhookSecrets: {},
      webhookUrl: null,
      isDefault,
      builtIn: true,
      createdAt: null,
      updatedAt: null,
    };
  }
}

/** The verifier names fields after its provider ("sendgrid.publicKey"); here they live under "webhook". */
function renameFields(err: DomainError, from: string, to: string): DomainError {
  const rename = (field: string) => (field === from || field.startsWith(`${from}.`) ? to + field.slice(from.length) : field);
  const issues = ((err.details as { issues?: Array<{ field: string; message: string }> })?.issues ?? []).map((i) => ({ ...i, field: rename(i.field) }));
  const [first] = issues;
  return new DomainError(err.code, first ? `${first.field}: ${first.message}` : err.message, { issues });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
