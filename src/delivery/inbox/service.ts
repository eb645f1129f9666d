import crypto from 'node:crypto';
import type { Logger } from 'pino';
import type { Store } from '../../store/db.ts';
import type { Clock } from '../../shared/clock.ts';
import { notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { toJson } from '../../shared/json.ts';
import { toPage, type Page } from '../../http/pagination.ts';
import { CaptureInbox, CaptureSettings, captureProvider, type CapturedMessage, type CaptureStore } from '../providers/capture.ts';
import type { EmailProvider, OutboundMessage, SendOptions, SendOutcome } from '../providers/model.ts';
import { deriveKey } from '../settings/sealing.ts';
import { CAPTURE_STAMP_HEADER, type InboxMessage, type InboxMessageSummary, type InboxQuery } from './model.ts';
import { inboxRepo } from './repo.ts';

export interface InboxOptions {
  /** The well-known loopback port (TIDINGS_CAPTURE_PORT); 0 picks a free one. */
  port: number;
  /** Messages kept per brand; older ones are deleted as new ones arrive. */
  keep: number;
}

/** Outbox ids as the dispatcher puts them in Message-IDs: `<msg_…@domain>`. */
const OUTBOX_ID = /^(msg_[0-9a-z]{26})@/;

/**
 * The capture inbox of this process: the SMTP server (started on first use, or at start-up in
 * embedded mode), the store behind it (table `capture_messages`, pruned to the newest `keep` per
 * brand), the `capture` provider that sends to it, and the brand-scoped reading side for the API.
 */
export class InboxService implements CaptureStore {
  private server: CaptureInbox | null = null;
  private starting: Promise<number> | null = null;
  private sender: EmailProvider | null = null;
  private readonly stampKey: Buffer;
  /** Saves since the last prune, per brand (key '' = unattributed). */
  private readonly sincePrune = new Map<string, number>();

  constructor(
    private readonly deps: { store: Store; clock: Clock; log: Logger; secret: string; options: InboxOptions },
  ) {
    this.stampKey = deriveKey(deps.secret, 'capture-stamp');
  }

  private get db() {
    return this.deps.store.db;
  }

  // ---- the SMTP side ------------------------------------------------------------------------------

  /**
   * Starts the inbox if this process has not yet, and returns its port. When the well-known port is
   * taken (another Tidings process on this machine, or a second CLI run next to `serve`), this process
   * listens on a free port instead: each inbox writes to its own process's database, so mail is never
   * filed into someone else's store.
   */
  start(): Promise<number> {
    this.starting ??= this.listen().catch((err) => {
      this.starting = null;
      throw err;
    });
    return this.starting;
  }

  private async listen(): Promise<number> {
    const { port } = this.deps.options;
    try {
      this.server = new CaptureInbox({ port }, this, this.deps.clock);
      return await this.server.start();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw err;
      this.deps.log.warn({ port }, 'capture inbox port in use; this process listens on a free loopback port instead');
      this.server = new CaptureInbox({ port: 0 }, this, this.deps.clock);
      return this.server.start();
    }
  }

  /** The `capture` provider for a brand: sends to this process's inbox and stamps the brand on each message. */
  async providerFor(brandId: string): Promise<EmailProvider> {
    const port = await this.start();
    this.sender ??= captureProvider(CaptureSettings.parse({ kind: 'capture', port }), { clock: this.deps.clock });
    return stampingProvider(this.sender, (ref) => this.stamp(brandId, ref));
  }

  async stop(): Promise<void> {
    await this.sender?.close();
    this.sender = null;
    const server = this.server;
    this.server = null;
    this.starting = null;
    await server?.stop();
  }

  /** The header value that files a message into `brandId`'s inbox; only this process's secret can make it. */
  stamp(brandId: string, messageRef: string): string {
    return `brand=${brandId}; ref=${messageRef}; sig=${this.signature(brandId, messageRef)}`;
  }

  private signature(brandId: string, messageRef: string): string {
    return crypto.createHmac('sha256', this.stampKey).update(`${brandId}\n${messageRef}`).digest('base64url');
  }

  private readStamp(value: string | undefined): { brandId: string; messageRef: string } | null {
    const m = value && /^brand=([^;\s]+); ref=([^;\s]*); sig=([A-Za-z0-9_-]+)$/.exec(value.trim());
    if (!m) return null;
    const expected = Buffer.from(this.signature(m[1], m[2]));
    const given = Buffer.from(m[3]);
    return given.length === expected.length && crypto.timingSafeEqual(given, expected) ? { brandId: m[1], messageRef: m[2] } : null;
  }

  // ---- CaptureStore --------------------------------------------------------------------------------

  async save(msg: CapturedMessage): Promise<void> {
    const { brandId, messageRef } = await this.attribute(msg);
    await inboxRepo.insert(this.db, {
      id: newId('cap'),
      brand_id: brandId,
      message_ref: messageRef,
      from_address: msg.from,
      to_addresses: toJson(msg.to),
      envelope: toJson(msg.envelope),
      subject: msg.subject,
      message_id: msg.messageId,
      html: msg.html,
      text: msg.text,
      headers: toJson(msg.headers),
      raw: msg.raw,
      size: msg.raw.length,
      received_at: msg.receivedAt.toISOString(),
    });
    await this.pruneNow(brandId);
  }

  private async attribute(msg: CapturedMessage): Promise<{ brandId: string | null; messageRef: string | null }> {
    const stamped = this.readStamp(msg.headers.find((h) => h.name.toLowerCase() === CAPTURE_STAMP_HEADER.toLowerCase())?.value);
    if (stamped) return { brandId: stamped.brandId, messageRef: stamped.messageRef || null };
    const outboxId = msg.messageId ? OUTBOX_ID.exec(msg.messageId)?.[1] : undefined;
    const brandId = outboxId ? await inboxRepo.brandOfMessage(this.db, outboxId) : undefined;
    return brandId ? { brandId, messageRef: outboxId! } : { brandId: null, messageRef: null };
  }

  /**
   * Retention: keeps the newest `keep` per brand. Pruning after every save would cost a query per
   * message at campaign speed, so it runs every `keep / 100` saves: at most 1 % over between prunes,
   * exact right after each one (and after every save for a small `keep`).
   */
  private async pruneNow(brandId: string | null): Promise<void> {
    const key = brandId ?? '';
    const count = (this.sincePrune.get(key) ?? 0) + 1;
    if (count < Math.max(1, Math.floor(this.deps.options.keep / 100))) {
      this.sincePrune.set(key, count);
      return;
    }
    this.sincePrune.set(key, 0);
    await inboxRepo.prune(this.db, brandId, this.deps.options.keep);
  }

  // ---- the brand's inbox ---------------------------------------------------------------------------

  async list(brandId: string, query: InboxQuery): Promise<Page<InboxMessageSummary>> {
    const rows = await inboxRepo.list(this.db, this.deps.store.dialect, brandId, { limit: query.limit + 1, before: query.cursor, search: query.search || undefined });
    return toPage(rows, query.limit);
  }

  async get(brandId: string, id: string): Promise<InboxMessage> {
    const found = await inboxRepo.get(this.db, brandId, id);
    if (!found) throw notFound('captured message', id);
    return found;
  }

  async raw(brandId: string, id: string): Promise<Buffer> {
    const found = await inboxRepo.raw(this.db, brandId, id);
    if (!found) throw notFound('captured message', id);
    return found;
  }

  async delete(brandId: string, id: string): Promise<void> {
    if (!(await inboxRepo.delete(this.db, brandId, id))) throw notFound('captured message', id);
  }

  async clear(brandId: string): Promise<{ deleted: number }> {
    return { deleted: await inboxRepo.clear(this.db, brandId) };
  }
}

/**
 * The shared capture sender with the brand's stamp added to each message: as a header for messages
 * built from fields, as a first header line for finished raw messages (outside any DKIM signature,
 * which covers the headers it names only). The sender is the inbox's; closing this view closes nothing.
 */
function stampingProvider(inner: EmailProvider, stampFor: (messageRef: string) => string): EmailProvider {
  const stamped = (msg: OutboundMessage): OutboundMessage => {
    const value = stampFor(msg.messageRef);
    if (msg.raw) return { ...msg, raw: Buffer.concat([Buffer.from(`${CAPTURE_STAMP_HEADER}: ${value}\r\n`), msg.raw]) };
    return { ...msg, headers: { ...msg.headers, [CAPTURE_STAMP_HEADER]: value } };
  };
  return {
    id: inner.id,
    capabilities: inner.capabilities,
    send: (msg: OutboundMessage, opts?: SendOptions): Promise<SendOutcome> => inner.send(stamped(msg), opts),
    close: async () => {},
  };
}
