import type { Logger } from 'pino';
import type { Store, Executor } from '../store/db.ts';
import type { Clock } from '../shared/clock.ts';
import type { Actor } from '../brands/model.ts';
import type { AudienceService } from '../audience/service.ts';
import type { ContactDetail, ContactStatus, SuppressionReason, Topic } from '../audience/model.ts';
import type { EmailsService } from '../emails/service.ts';
import type { CompiledEmail } from '../emails/model.ts';
import { recipientFromContact } from '../emails/render.ts';
import { sampleRecipient } from '../emails/personas.ts';
import type { NormalizedEvent } from '../delivery/webhooks/model.ts';
import { DomainError, notFound } from '../shared/errors.ts';
import { fromJson } from '../shared/json.ts';
import { parseInput, type BrandsService } from '../brands/service.ts';
import type { Page } from '../http/pagination.ts';
import { verifyLink, verifyMessage, wellFormed, type LinkClaims, type MessageClaims } from './tokens.ts';
import type { RequestSignal } from './machine.ts';
import { kyselyHitQueries, trackingRepo as repo, type MessageFacts, type MessageRow } from './repo.ts';
import { checkedHit, eventRow, HitRecorder, type Hit } from './recorder.ts';
import { HitWriter } from './writer.ts';
import {
  hrefOf,
  RecipientsQuery,
  type ClickTarget,
  type CampaignStats,
  type LinkStats,
  type PreferencesView,
  type Recipient,
  type SentMessage,
  type TimelineBucket,
  type TimelinePoint,
  type TrailEntry,
  type UnsubscribeHow,
} from './model.ts';

export interface TrackingOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  secret: string;
  /** Public base URL the emails link to (TIDINGS_PUBLIC_URL). */
  baseUrl: string;
  brands: BrandsService;
  emails: EmailsService;
  audience: AudienceService;
}

/** What an event row needs of its message. */
type MessageRef = Pick<MessageRow, 'id' | 'brand_id' | 'contact_id' | 'campaign_id' | 'series_id' | 'email'>;

/** A unique or foreign-key violation: the fault of one item, not of the batch. */
const isConstraintError = (err: unknown) => /^(SQLITE_CONSTRAINT|23)/.test(String((err as { code?: string } | null)?.code ?? ''));

/** Opens and clicks committed per transaction, at most: bounded statements and bounded waits. */
const MAX_BATCH = 500;
/** Same cap as the render's: longer URLs are never tracked, so never redirected to. */
const MAX_TRACKED_URL = 2_000;
/** A personalised link (its URL travels in a link token, /t/l/), and our own per-recipient links (never tracked); as in render.ts. */
const MERGE_TAG = /\{\{|\{%/;
const SYSTEM_LINK = /^\{\{\s*(unsubscribe_url|preferences_url|view_in_browser_url)\s*\}\}$/;
/** The public topic list is the same for every preferences page of a brand; counting it is not cheap. */
const TOPICS_TTL_MS = 30_000;

/** Contact statuses by how much they say about mailing someone: a status only ever moves up. */
const STATUS_RANK: Record<ContactStatus, number> = { subscribed: 0, 'non-subscribed': 0, unsubscribed: 1, bounced: 2, complained: 3 };

const UNSUBSCRIBE_SOURCE: Record<UnsubscribeHow, string> = {
  'one-click': 'one-click unsubscribe',
  page: 'unsubscribe page',
  preferences: 'preferences page',
  provider: 'provider report',
};

/** Which count of a timeline point each event type adds to (machine opens and clicks have their own). */
const TIMELINE_FIELD: Record<string, keyof Omit<TimelinePoint, 'at'>> = {
  received: 'sent',
  delivered: 'delivered',
  opened: 'opens',
  clicked: 'clicks',
  bounced: 'bounces',
  complained: 'complaints',
  unsubscribed: 'unsubscribes',
};

const systemActor = (id: string): Actor => ({ type: 'system', id });
const NOTHING = Promise.resolve();
const unique = <T>(xs: readonly T[]) => [...new Set(xs)];
const ratio = (n: number, d: number) => (d > 0 ? n / d : 0);

/**
 * Group commit: writes wait for the transaction that carries them, and every transaction carries
 * everything that arrived while the previous one ran. At low load a write commits at once (one
 * event loop turn later); under load batches grow by themselves, up to MAX_BATCH, with no timer
 * adding latency. A batch that breaks a constraint (a contact erased a moment ago) is retried item
 * by item, so one bad item fails only its own request; any other failure fails the batch.
 */
class GroupCommit<T> {
  private queue: Array<{ item: T; resolve: () => void; reject: (err: unknown) => void }> = [];
  private draining: Promise<void> | null = null;

  constructor(private write: (items: T[]) => Promise<void>) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    // Let the requests that arrived in this I/O turn join the first batch.
    await new Promise((r) => setImmediate(r));
    while (this.queue.length > 0) await this.commit(this.queue.splice(0, MAX_BATCH));
    this.draining = null;
  }

  /** Settles every item of the batch; never rejects. */
  private async commit(batch: Array<{ item: T; resolve: () => void; reject: (err: unknown) => void }>): Promise<void> {
    try {
      await this.write(batch.map((b) => b.item));
      for (const b of batch) b.resolve();
    } catch (err) {
      for (const b of batch) {
        try {
          if (batch.length === 1 || !isConstraintError(err)) throw err;
          await this.write([b.item]);
          b.resolve();
        } catch (single) {
          b.reject(single);
        }
      }
    }
  }
}

/**
 * Tracking (S5.4): records what recipients and providers did with sent messages — opens, clicks,
 * unsubscribes, deliveries, bounces, complaints — and answers the results views.
 *
 * - Every public endpoint verifies its signed token without touching the database; a click only
 *   ever redirects to a URL of the email version the token names (or the URL signed into a link
 *   token), never to one taken from the request.
 * - Opens and clicks are durable before the response goes out, through a group commit: on
 *   PostgreSQL the event rows and first-time columns in one transaction per batch; in embedded
 *   mode the batch is appended to the tracking inbox and a thread writes the events moments
 *   later (writer.ts; `settled` waits for it). An open or click that cannot be recorded is logged
 *   and still answered (pixel, redirect).
 * - Machine opens and scanner clicks (machine.ts) are recorded with events.machine = 1 and never
 *   set opened_at / clicked_at: those columns are the recipient's own firsts, so unique opens and
 *   clicks count people. A human click also sets opened_at (a click implies an open).
 * - Unsubscribes, hard bounces and complaints change the contact and the suppression list at once,
 *   through the audience service.
 */
export class TrackingService {
  private hits = new GroupCommit<Hit>((batch) => this.writeHits(batch));
  /** Embedded mode: hits go to the inbox, and a thread with its own connection writes them (writer.ts). */
  private writer: HitWriter | null;
  private recorder = new HitRecorder();
  private publicTopics = new Map<string, { at: number; topics: Promise<Topic[]> }>();
  /**
   * The click targets of each compiled email version (the emails service keeps those), worked out
   * on its first click: they are the same for every recipient.
   */
  private clickTargets = new WeakMap<CompiledEmail, Array<ClickTarget | null>>();

  constructor(private opts: TrackingOptions) {
    const { store } = opts;
    this.writer = store.sqlite && !store.sqlite.memory ? new HitWriter({ db: store.db, sqlite: store.sqlite }, opts.log, opts.secret) : null;
  }

  /**
   * Through the inbox and the writer thread; on PostgreSQL (no thread needed: the pool's queries
   * do not block), or once the inbox cannot be written, straight to the database on this thread.
   */
  private async writeHits(batch: Hit[]): Promise<void> {
    const writer = this.writer;
    if (writer && !writer.failed) {
      try {
        return await writer.record(batch);
      } catch (err) {
        if (!writer.failed) throw err;
        this.opts.log.error({ err }, 'the tracking inbox cannot be written; opens and clicks are written on the main thread from now on');
      }
    }
    const checked = batch.map((h) => checkedHit(this.opts.secret, h)).filter((h) => h !== null);
    await this.db.transaction().execute((trx) => this.recorder.record(kyselyHitQueries(trx, this.dialect), checked));
  }

  private get db() {
    return this.opts.store.db;
  }
  private get dialect() {
    return this.opts.store.dialect;
  }
  private now(): Date {
    return this.opts.clock.now();
  }

  /** Resolves once every open and click answered so far is in the database (the results show it). */
  async settled(): Promise<void> {
    await this.hits.idle();
    await this.writer?.flush();
  }

  /** Waits until every accepted open and click is committed (shutdown). */
  async close(): Promise<void> {
    await this.hits.idle();
    await this.writer?.close();
  }

  // ---- tokens --------------------------------------------------------------------------------

  messageClaims(token: string): MessageClaims | null {
    return verifyMessage(this.opts.secret, token);
  }

  linkClaims(token: string): LinkClaims | null {
    return verifyLink(this.opts.secret, token);
  }

  // ---- opens and clicks ----------------------------------------------------------------------

  /**
   * Records an open by the token the pixel was asked for; never rejects (a pixel must load
   * whatever happens), failures are logged. The pixel is the same whatever the token, so in
   * embedded mode a token of the right shape goes into the inbox unchecked, and the tracking
   * thread checks its MAC (the largest share of answering an open) before writing anything.
   */
  recordOpenToken(token: string, signal: RequestSignal): Promise<void> {
    if (!wellFormed(token)) return NOTHING;
    if (this.writer && !this.writer.failed) return this.hit({ kind: 'opened', messageId: '', contactId: null, at: this.now(), signal, token });
    const claims = this.messageClaims(token);
    return claims ? this.recordOpen(claims, signal) : NOTHING;
  }

  /** Records an open; never rejects (a pixel must load whatever happens), failures are logged. */
  recordOpen(claims: MessageClaims, signal: RequestSignal): Promise<void> {
    return claims.messageId ? this.hit({ kind: 'opened', messageId: claims.messageId, contactId: claims.contactId, at: this.now(), signal }) : NOTHING;
  }

  /** Records a click on link `link` that goes to `url`; never rejects: the redirect must happen. */
  recordClick(claims: MessageClaims, link: number, url: string, signal: RequestSignal): Promise<void> {
    return claims.messageId ? this.hit({ kind: 'clicked', messageId: claims.messageId, contactId: claims.contactId, at: this.now(), signal, link, url }) : NOTHING;
  }

  /** Plain promises, not async functions: each layer of those cost an open its own promise and turn. */
  private hit(h: Hit): Promise<void> {
    return this.hits.add(h).catch((err) => this.opts.log.error({ err, messageId: h.messageId, kind: h.kind }, 'tracking event could not be recorded'));
  }

  /**
   * Where static link `index` of the email version the token names goes (the URL as written, and
   * the normalised one to redirect to), or null when there is no such tracked link (out of range,
   * personalised, one of our own, not http(s), not a URL, email gone). It mirrors render.ts:
   * exactly the links the render sent through /t/c/ resolve here.
   */
  async staticLink(claims: MessageClaims, index: number): Promise<ClickTarget | null> {
    let compiled: CompiledEmail;
    try {
      compiled = (await this.opts.emails.compiledVersion(null, claims.emailId, claims.version)).compiled;
    } catch (err) {
      if (err instanceof DomainError && err.code === 'not_found') return null;
      throw err;
    }
    let targets = this.clickTargets.get(compiled);
    if (!targets) this.clickTargets.set(compiled, (targets = compiled.links.map((link) => this.clickTarget(link))));
    return targets[index] ?? null;
  }

  private clickTarget(link: string): ClickTarget | null {
    const url = link.trim();
    if (!this.clickTracked(url) || MERGE_TAG.test(url)) return null;
    const href = hrefOf(url);
    return href === null ? null : { url, href };
  }

  /** Whether the render sends this link (as written in the email) through click tracking: web links that are not our own pages. */
  private clickTracked(source: string): boolean {
    const url = source.trim();
    if (MERGE_TAG.test(url)) return !SYSTEM_LINK.test(url);
    return /^https?:\/\//i.test(url) && !url.startsWith(`${this.opts.baseUrl.replace(/\/+$/, '')}/`) && url.length <= MAX_TRACKED_URL;
  }

  // ---- sent (dispatcher) ---------------------------------------------------------------------

  /**
   * `received` events for messages a provider accepted, in one statement batch. Pass the
   * dispatcher's transaction as `db` to commit them with the message's own status change.
   * Messages whose contact was erased meanwhile are left out (there is no one to attach them to).
   */
  async recordSent(messages: readonly SentMessage[], db: Executor = this.db): Promise<void> {
    if (messages.length === 0) return;
    const live = new Set((await repo.messageFacts(db, messages.map((m) => m.id))).map((m) => m.id));
    const rows = messages
      .filter((m) => live.has(m.id))
      .map((m) => eventRow({ id: m.id, brand_id: m.brandId, contact_id: m.contactId, campaign_id: m.campaignId, series_id: null }, 'received', m.sentAt, m.provider ? { provider: m.provider } : {}));
    await repo.recordEvents(db, rows);
  }

  // ---- provider events (webhooks) ------------------------------------------------------------

  /**
   * One verified, de-duplicated provider event, recorded on its message. When no message of the
   * brand matches, a hard bounce, complaint or unsubscribe still suppresses the address.
   */
  async recordProviderEvent(brandId: string, e: NormalizedEvent): Promise<void> {
    const m =
      (e.messageRef ? await repo.findMessageForProvider(this.db, brandId, { messageId: e.messageRef }) : undefined) ??
      (e.providerMessageId ? await repo.findMessageForProvider(this.db, brandId, { providerMessageId: e.providerMessageId }) : undefined);
    const at = e.occurredAt.toISOString();
    const source = `provider ${e.provider}`;
    if (!m) {
      if (e.type === 'bounced' && e.bounce?.class === 'hard') await this.suppress(brandId, e.recipient, 'bounce', source);
      if (e.type === 'complained') await this.suppress(brandId, e.recipient, 'complaint', source);
      if (e.type === 'unsubscribed') await this.suppress(brandId, e.recipient, 'unsubscribe', source);
      return;
    }
    const base = { provider: e.provider, providerEvent: e.providerEventType };
    switch (e.type) {
      case 'opened':
      case 'clicked':
        await this.hits.add({
          kind: e.type,
          messageId: m.id,
          contactId: null,
          at: e.occurredAt,
          signal: { method: 'GET', userAgent: e.userAgent ?? null, ip: e.ip ?? null },
          url: e.click?.url,
          provider: { name: e.provider, machine: !!e.machineOpen },
        });
        break;
      case 'delivered':
        await this.firstWithEvent(m, 'delivered_at', 'delivered', at, base);
        break;
      case 'sent':
        // The dispatcher records `received` when the provider takes the message; this is the same fact, late.
        if (!(await repo.hasEvent(this.db, m, 'received'))) await repo.recordEvents(this.db, [eventRow(m, 'received', at, base)]);
        break;
      case 'bounced':
        await this.recordBounce(m, e, at, base);
        break;
      case 'complained':
        await this.firstWithEvent(m, 'complained_at', 'complained', at, { ...base, ...(e.detail ? { detail: e.detail } : {}) });
        await this.setContactStatus(m.brand_id, m.contact_id, 'complained', source);
        await this.suppress(m.brand_id, m.email, 'complaint', source);
        break;
      case 'unsubscribed':
        await this.unsubscribeMessage(m, 'provider', at);
        break;
      case 'deferred':
      case 'failed':
      case 'dropped':
        await repo.recordEvents(this.db, [eventRow(m, e.type === 'deferred' ? 'deferred' : 'failed', at, { ...base, ...(e.detail ? { detail: e.detail } : {}) })]);
        break;
      case 'unknown':
        break;
    }
  }

  private async recordBounce(m: MessageFacts, e: NormalizedEvent, at: string, base: Record<string, unknown>): Promise<void> {
    const klass = e.bounce?.class ?? 'undetermined';
    const data = { ...base, bounceClass: klass, reason: e.bounce?.reason, code: e.bounce?.code, diagnostic: e.bounce?.diagnostic };
    await this.db.transaction().execute(async (trx) => {
      await repo.recordEvents(trx, [eventRow(m, 'bounced', at, data)]);
      // A block is the receiver refusing the sender, not the address: counted with the soft ones.
      await repo.setBounce(trx, m.id, at, klass === 'block' ? 'soft' : klass);
    });
    if (klass === 'hard') {
      await this.setContactStatus(m.brand_id, m.contact_id, 'bounced', `provider ${e.provider}`);
      await this.suppress(m.brand_id, m.email, 'bounce', `provider ${e.provider}`);
    }
  }

  /** Sets a first-time column and writes its event in one transaction; repeats write nothing. */
  private async firstWithEvent(m: MessageRef, column: 'delivered_at' | 'complained_at' | 'unsubscribed_at', type: string, at: string, data: Record<string, unknown>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (await repo.setFirst(trx, m.id, column, at)) await repo.recordEvents(trx, [eventRow(m, type, at, data)]);
    });
  }

  // ---- unsubscribe and preferences -----------------------------------------------------------

  /**
   * Unsubscribes the contact a message token names, at once and idempotently: contact status
   * `unsubscribed`, the address on the suppression list, an `unsubscribed` event and
   * messages.unsubscribed_at (both once). Works even when the message row is gone.
   */
  async unsubscribe(claims: MessageClaims, how: UnsubscribeHow): Promise<void> {
    if (!claims.messageId) return;
    const m = await repo.findMessage(this.db, claims.messageId);
    if (m && m.contact_id === claims.contactId) return this.unsubscribeMessage(m, how, this.now().toISOString());
    const brandId = await repo.brandOfContact(this.db, claims.contactId);
    const contact = brandId && (await this.setContactStatus(brandId, claims.contactId, 'unsubscribed', UNSUBSCRIBE_SOURCE[how]));
    if (brandId && contact) await this.suppress(brandId, contact.email, 'unsubscribe', UNSUBSCRIBE_SOURCE[how]);
  }

  /** The address the message went to is suppressed, whatever the contact's address is now. */
  private async unsubscribeMessage(m: MessageRef, how: UnsubscribeHow, at: string): Promise<void> {
    const source = UNSUBSCRIBE_SOURCE[how];
    const contact = await this.setContactStatus(m.brand_id, m.contact_id, 'unsubscribed', source);
    await this.suppress(m.brand_id, m.email, 'unsubscribe', source);
    if (contact) await this.firstWithEvent(m, 'unsubscribed_at', 'unsubscribed', at, { how });
  }

  /** What the preferences page shows, or null when the token names no contact that still exists. */
  async preferences(claims: MessageClaims): Promise<PreferencesView | null> {
    return (await this.preferencesOf(claims))?.view ?? null;
  }

  /** Saves the page's choices: `optedIn` are the public topics ticked; the others are opted out. Previews change nothing. */
  async savePreferences(claims: MessageClaims, optedIn: readonly string[]): Promise<PreferencesView | null> {
    const found = await this.preferencesOf(claims);
    if (!found || !claims.messageId) return found?.view ?? null;
    const wanted = new Set(optedIn);
    for (const t of found.view.topics) {
      if (wanted.has(t.id) !== t.optedIn) await this.opts.audience.setTopicPreference(found.brandId, claims.contactId, t.id, wanted.has(t.id), systemActor(UNSUBSCRIBE_SOURCE.preferences));
    }
    return this.preferences(claims);
  }

  private async preferencesOf(claims: MessageClaims): Promise<{ brandId: string; view: PreferencesView } | null> {
    const found = await this.contactOfClaims(claims);
    if (!found) return null;
    const { brandId, contact } = found;
    const [topics, brand] = await Promise.all([this.topicsOf(brandId), this.opts.brands.getBrand(brandId)]);
    const choice = new Map(contact.topics.map((t) => [t.id, t.optedIn]));
    return {
      brandId,
      view: {
        brandName: brand.name,
        email: contact.email,
        unsubscribed: contact.status === 'unsubscribed' || contact.status === 'bounced' || contact.status === 'complained' || contact.suppression !== null,
        topics: topics.filter((t) => t.isPublic).map((t) => ({ id: t.id, name: t.name, description: t.description, optedIn: choice.get(t.id) ?? t.defaultOptIn })),
      },
    };
  }

  private async topicsOf(brandId: string): Promise<Topic[]> {
    const cached = this.publicTopics.get(brandId);
    if (cached && Date.now() - cached.at < TOPICS_TTL_MS) return cached.topics;
    const topics = this.opts.audience.listTopics(brandId);
    this.publicTopics.set(brandId, { at: Date.now(), topics });
    topics.catch(() => this.publicTopics.delete(brandId));
    return topics;
  }

  private async contactOfClaims(claims: MessageClaims): Promise<{ brandId: string; contact: ContactDetail } | null> {
    if (!claims.contactId) return null;
    const m = claims.messageId ? await repo.findMessage(this.db, claims.messageId) : undefined;
    const brandId = m?.brand_id ?? (await repo.brandOfContact(this.db, claims.contactId));
    const contact = brandId ? await this.contactOrNull(brandId, claims.contactId) : null;
    return brandId && contact ? { brandId, contact } : null;
  }

  private async contactOrNull(brandId: string, contactId: string): Promise<ContactDetail | null> {
    try {
      return await this.opts.audience.getContact(brandId, contactId);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'not_found') return null;
      throw err;
    }
  }

  /** Moves a contact's status up (never from complained back to bounced, say). Returns the contact, null when gone. */
  private async setContactStatus(brandId: string, contactId: string, status: ContactStatus, source: string): Promise<ContactDetail | null> {
    const contact = await this.contactOrNull(brandId, contactId);
    if (!contact || STATUS_RANK[contact.status] >= STATUS_RANK[status]) return contact;
    return this.opts.audience.updateContact(brandId, contactId, { status }, systemActor(source));
  }

  /** Adds the address to the suppression list; already there is fine (idempotent). */
  private async suppress(brandId: string, email: string, reason: SuppressionReason, source: string): Promise<void> {
    if (!email) return;
    try {
      await this.opts.audience.addSuppression(brandId, { email, reason, source }, systemActor(source));
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'conflict')) throw err;
    }
  }

  // ---- view in browser -----------------------------------------------------------------------

  /**
   * The email as this recipient got it (their current data, the version that was sent), without
   * tracking; a preview token shows the sample persona. Null when the message, contact or email is gone.
   */
  async view(claims: MessageClaims): Promise<string | null> {
    const m = claims.messageId ? await repo.findMessage(this.db, claims.messageId) : undefined;
    if (claims.messageId && (!m || m.contact_id !== claims.contactId)) return null;
    let entry;
    try {
      entry = await this.opts.emails.compiledVersion(m?.brand_id ?? null, claims.emailId, claims.version);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'not_found') return null;
      throw err;
    }
    const contact = claims.contactId ? await this.contactOrNull(entry.brand.id, claims.contactId) : null;
    if (claims.contactId && !contact) return null;
    const recipient = contact
      ? recipientFromContact(contact, { messageId: claims.messageId || undefined, campaignId: claims.sourceId || undefined })
      : sampleRecipient(null, 'full');
    return entry.prepared.render(recipient, { tracking: false, baseUrl: this.opts.baseUrl, secret: this.opts.secret, brand: entry.brand }).html;
  }

  // ---- results -------------------------------------------------------------------------------

  private async campaign(brandId: string, campaignId: string) {
    const c = await repo.findCampaign(this.db, brandId, campaignId);
    if (!c) throw notFound('campaign', campaignId);
    return c;
  }

  async campaignStats(brandId: string, campaignId: string): Promise<CampaignStats> {
    const c = await this.campaign(brandId, campaignId);
    const [firsts, bounceRows, activity] = await Promise.all([repo.firstCounts(this.db, c.id), repo.bounceCounts(this.db, c.id), repo.activity(this.db, c.id)]);
    const total = (type: string, machine: number) => activity.reduce((n, a) => (a.type === type && a.machine === machine ? n + a.n : n), 0);
    const bounces = { hard: 0, soft: 0, undetermined: 0 };
    for (const r of bounceRows) bounces[r.bounce_class === 'hard' || r.bounce_class === 'soft' ? r.bounce_class : 'undetermined'] += Number(r.n);
    const sent = Number(c.sent);
    const bounced = bounces.hard + bounces.soft + bounces.undetermined;
    const reached = Math.max(sent - bounced, 0);
    const opens = { unique: Number(firsts.opened), total: total('opened', 0), machine: total('opened', 1) };
    const clicks = { unique: Number(firsts.clicked), total: total('clicked', 0), machine: total('clicked', 1) };
    const unsubscribes = Number(firsts.unsubscribed);
    const complaints = Number(firsts.complained);
    const delivered = Number(firsts.delivered);
    return {
      sent,
      delivered,
      opens,
      clicks,
      unsubscribes,
      bounces,
      complaints,
      rates: {
        delivery: ratio(delivered, sent),
        open: ratio(opens.unique, reached),
        click: ratio(clicks.unique, reached),
        unsubscribe: ratio(unsubscribes, reached),
        bounce: ratio(bounced, sent),
        complaint: ratio(complaints, reached),
      },
    };
  }

  /** Events per UTC hour or day, from the hourly rollup. */
  async timeline(brandId: string, campaignId: string, bucket: TimelineBucket): Promise<TimelinePoint[]> {
    const c = await this.campaign(brandId, campaignId);
    const points = new Map<string, TimelinePoint>();
    for (const a of await repo.activity(this.db, c.id)) {
      const field = TIMELINE_FIELD[a.type];
      if (!field) continue;
      const at = bucket === 'hour' ? a.hour : `${a.hour.slice(0, 10)}T00:00:00.000Z`;
      let p = points.get(at);
      if (!p) points.set(at, (p = { at, sent: 0, delivered: 0, opens: 0, machineOpens: 0, clicks: 0, machineClicks: 0, bounces: 0, complaints: 0, unsubscribes: 0 }));
      p[a.machine && field === 'opens' ? 'machineOpens' : a.machine && field === 'clicks' ? 'machineClicks' : field] += a.n;
    }
    return [...points.values()];
  }

  /** Every tracked link of the campaign's email with its clicks, links nobody clicked included. */
  async linkStats(brandId: string, campaignId: string): Promise<LinkStats[]> {
    const c = await this.campaign(brandId, campaignId);
    const counted = await repo.linkCounts(this.db, this.dialect, c.id);
    const links = c.email_id && c.email_version ? await this.emailLinks(brandId, c.email_id, c.email_version) : [];
    const byIndex = new Map(counted.flatMap((r) => (r.link !== null && Number.isInteger(r.link) ? [[r.link, r] as const] : [])));
    const indexes = unique([...links.flatMap((url, i) => (this.clickTracked(url) ? [i] : [])), ...byIndex.keys()]).sort((a, b) => a - b);
    return indexes.map((index) => {
      const r = byIndex.get(index);
      return { index, url: links[index]?.trim() ?? '', clicks: Number(r?.clicks ?? 0), uniqueClicks: Number(r?.unique_clicks ?? 0), machineClicks: Number(r?.machine_clicks ?? 0) };
    });
  }

  private async emailLinks(brandId: string, emailId: string, version: number): Promise<string[]> {
    try {
      return (await this.opts.emails.compiledVersion(brandId, emailId, version)).compiled.links;
    } catch (err) {
      if (err instanceof DomainError && err.code === 'not_found') return [];
      throw err;
    }
  }

  async recipients(brandId: string, campaignId: string, query: RecipientsQuery): Promise<Page<Recipient>> {
    const q = parseInput(RecipientsQuery, query);
    const c = await this.campaign(brandId, campaignId);
    const rows = await repo.recipients(this.db, this.dialect, c.id, { ...q, limit: q.limit + 1 });
    const data = rows.slice(0, q.limit).map(toRecipient);
    return { data, nextCursor: rows.length > q.limit ? data[data.length - 1].messageId : null };
  }

  /** The message's trail: queued (or skipped, with its reason) from the outbox row, then every event in order. */
  async messageTrail(brandId: string, messageId: string): Promise<TrailEntry[]> {
    const m = await repo.findBrandMessage(this.db, brandId, messageId);
    if (!m) throw notFound('message', messageId);
    const start: TrailEntry =
      m.status === 'skipped'
        ? { type: 'skipped', at: m.created_at, data: { reason: m.skip_reason }, machine: false }
        : { type: 'queued', at: m.created_at, data: {}, machine: false };
    const events = await repo.messageEvents(this.db, m);
    return [start, ...events.map((e) => ({ type: e.type, at: e.occurred_at, data: fromJson<Record<string, unknown>>(e.data, {}), machine: e.machine === 1 }))];
  }
}

// ---- helpers -----------------------------------------------------------------------------------

function toRecipient(r: MessageRow): Recipient {
  return {
    messageId: r.id,
    contactId: r.contact_id,
    email: r.email,
    status: r.status,
    skipReason: r.skip_reason,
    error: r.error,
    sentAt: r.sent_at,
    deliveredAt: r.delivered_at,
    openedAt: r.opened_at,
    clickedAt: r.clicked_at,
    bouncedAt: r.bounced_at,
    bounceClass: r.bounce_class,
    complainedAt: r.complained_at,
    unsubscribedAt: r.unsubscribed_at,
  };
}
