import { createHash, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Store, Executor } from '../store/db.ts';
import type { Clock } from '../shared/clock.ts';
import type { Actor, AuthContext, Brand } from '../brands/model.ts';
import { parseInput, type BrandsService } from '../brands/service.ts';
import type { AudienceService } from '../audience/service.ts';
import type { Config } from '../app/config.ts';
import { toPage, type Page } from '../http/pagination.ts';
import { newId } from '../shared/ids.ts';
import { Lru } from '../shared/lru.ts';
import { conflict, DomainError, invalid, notFound, validationError, type FieldIssue } from '../shared/errors.ts';
import { fromJson, toJson } from '../shared/json.ts';
import { emailsRepo as repo, type EmailRow, type EmailSummaryRow, type EmailVersionRow, type VersionSummaryRow } from './repo.ts';
import { compileEmail, documentToMjml } from './compile.ts';
import { prepareMessage, type PreparedMessage } from './render.ts';
import { toMime } from './mime.ts';
import { sampleRecipient } from './personas.ts';
import { starterDocument } from './starter.ts';
import { diffLines } from './diff.ts';
import { importFormatOf, readImport, type ImportedEmail } from './import.ts';
import type { Transport } from './transport.ts';
import {
  EmailInput,
  EmailListQuery,
  EmailPatch,
  ImportInput,
  LIMITS,
  TestSendInput,
  type CompiledEmail,
  type Email,
  type EmailDiff,
  type EmailDocument,
  type EmailFormat,
  type EmailSummary,
  type EmailVersion,
  type EmailVersionSummary,
  type FieldChange,
  type Persona,
  type PreflightSummary,
  type RecipientData,
  type RenderedMessage,
} from './model.ts';

export interface EmailsOptions {
  store: Store;
  clock: Clock;
  brands: BrandsService;
  audience: AudienceService;
  config: Pick<Config, 'publicUrl' | 'dkim'>;
  /** Signs tokens in rendered links (unsubscribe, view in browser). */
  secret: string;
  /** Where test sends go; null when TIDINGS_SMTP_URL is not set. */
  transport: Transport | null;
}

/** The versioned part of an email: what a version stores and what restore brings back. */
interface Content {
  subject: string;
  preheader: string;
  format: EmailFormat;
  document: EmailDocument | null;
  source: string | null;
}

interface CompiledEntry {
  email: Email;
  brand: Brand;
  compiled: CompiledEmail;
  prepared: PreparedMessage;
}

/** Compiles kept per email version; a handful of emails are edited and previewed at a time. */
const COMPILE_CACHE_SIZE = 64;

/** Content fields compared between versions; the body itself is compared as a line diff. */
const VERSIONED_FIELDS = ['subject', 'preheader', 'format'] as const;

const toEmail = (r: EmailRow): Email => ({
  ...toSummaryBase(r),
  document: r.document === null ? null : fromJson<EmailDocument | null>(r.document, null),
  source: r.source,
});

function toSummaryBase(r: EmailSummaryRow): Omit<Email, 'document' | 'source'> {
  return {
    id: r.id,
    brandId: r.brand_id,
    name: r.name,
    subject: r.subject,
    preheader: r.preheader,
    fromName: r.from_name,
    fromEmail: r.from_email,
    replyTo: r.reply_to,
    category: r.category,
    language: r.language,
    format: r.format,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const toSummary = (r: EmailSummaryRow): EmailSummary => ({ ...toSummaryBase(r), lastPreflight: fromJson<PreflightSummary | null>(r.last_preflight, null) });

const toVersionSummary = (r: VersionSummaryRow): EmailVersionSummary => ({
  emailId: r.email_id,
  version: r.version,
  subject: r.subject,
  preheader: r.preheader,
  format: r.format,
  note: r.note,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

const toVersion = (r: EmailVersionRow): EmailVersion => ({
  ...toVersionSummary(r),
  document: r.document === null ? null : fromJson<EmailDocument | null>(r.document, null),
  source: r.source,
});

const contentOf = (x: Content): Content => ({ subject: x.subject, preheader: x.preheader, format: x.format, document: x.document, source: x.source });

// Deep equality, not JSON text: PostgreSQL's jsonb hands documents back with their keys reordered.
const sameContent = (a: Content, b: Content) => isDeepStrictEqual(contentOf(a), contentOf(b));

/** "user usr_…", "api_key key_…", "system cli": who saved a version when they gave no reason. */
const actorLabel = (actor: Actor) => `${actor.type} ${actor.id ?? ''}`.trim();

const clip = (s: string, max: number) => (s.length <= max ? s : s.slice(0, max - 1).trimEnd() + '…');

/**
 * Emails (S3.1) and test sends (S3.4): storage with a version per content change, comparison and
 * restore, import of HTML/MJML/.eml, and the compiled form every preview, preflight and send uses,
 * compiled once per version and cached.
 */
export class EmailsService {
  private cache = new Lru<string, Promise<CompiledEntry>>(COMPILE_CACHE_SIZE);
  /** Sent versions by (email, version) alone: tracking resolves their links on every click. */
  private versionCache = new Lru<string, Promise<CompiledEntry>>(COMPILE_CACHE_SIZE);

  /** Called after an email is deleted, for what other capabilities keep about it outside the database (preview images). */
  private removeListeners: Array<(brandId: string, emailId: string) => Promise<void>> = [];

  /** Asked before an email is deleted; a reason refuses it (campaigns: it was sent, and its links must keep working). */
  private removalGuards: Array<(db: Executor, brandId: string, emailId: string) => Promise<string | null>> = [];

  constructor(private opts: EmailsOptions) {}

  onRemoved(listener: (brandId: string, emailId: string) => Promise<void>): void {
    this.removeListeners.push(listener);
  }

  guardRemoval(guard: (db: Executor, brandId: string, emailId: string) => Promise<string | null>): void {
    this.removalGuards.push(guard);
  }

  private get db() {
    return this.opts.store.db;
  }
  private now() {
    return this.opts.clock.now().toISOString();
  }

  // ---- reading -----------------------------------------------------------------------------

  async list(brandId: string, query: EmailListQuery): Promise<Page<EmailSummary>> {
    const q = parseInput(EmailListQuery, query);
    const rows = await repo.list(this.db, this.opts.store.dialect, brandId, { search: q.search || undefined, before: q.cursor, limit: q.limit + 1 });
    return toPage(rows.map(toSummary), q.limit);
  }

  async get(brandId: string, id: string): Promise<Email> {
    return toEmail(await this.row(this.db, brandId, id));
  }

  private async row(db: Executor, brandId: string, id: string): Promise<EmailRow> {
    const row = await repo.find(db, brandId, id);
    if (!row) throw notFound('email', id);
    return row;
  }

  // ---- writing -----------------------------------------------------------------------------

  /** `note` says how it was made ("composer builtin: welcome"); it defaults to who made it. */
  async create(auth: AuthContext, input: unknown, note?: string): Promise<Email> {
    const e = parseInput(EmailInput, input);
    const brand = await this.opts.brands.getBrand(auth.brandId);
    const body = this.resolveBody(e, null) ?? { format: 'blocks' as const, document: starterDocument(brand), source: null };
    const at = this.now();
    const email: Email = {
      id: newId('eml'),
      brandId: auth.brandId,
      name: e.name,
      subject: e.subject ?? '',
      preheader: e.preheader ?? '',
      fromName: e.fromName ?? brand.fromName,
      fromEmail: e.fromEmail ?? brand.fromEmail,
      replyTo: e.replyTo === undefined ? brand.replyTo : e.replyTo,
      category: e.category ?? 'marketing',
      language: e.language ?? brand.defaultLanguage,
      ...body,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    await this.assertCompiles(email, brand);
    await this.insertNew(auth.actor, email, note ?? actorLabel(auth.actor));
    return email;
  }

  /** A new version when the content (subject, preheader, body) changes; metadata changes update in place. */
  async update(auth: AuthContext, id: string, patch: unknown, note?: string): Promise<Email> {
    const p = parseInput(EmailPatch, patch);
    const current = await this.get(auth.brandId, id);
    const body = this.resolveBody(p, current) ?? current;
    const next: Email = {
      ...current,
      name: p.name ?? current.name,
      subject: p.subject ?? current.subject,
      preheader: p.preheader ?? current.preheader,
      fromName: p.fromName ?? current.fromName,
      fromEmail: p.fromEmail ?? current.fromEmail,
      replyTo: p.replyTo === undefined ? current.replyTo : p.replyTo,
      category: p.category ?? current.category,
      language: p.language ?? current.language,
      format: body.format,
      document: body.document,
      source: body.source,
    };
    const contentChanged = !sameContent(current, next);
    if (!contentChanged && isDeepStrictEqual(next, current)) return current;
    if (contentChanged) await this.assertCompiles(next, await this.opts.brands.getBrand(auth.brandId));
    return this.save(auth.actor, current, next, contentChanged ? (p.note ?? note ?? actorLabel(auth.actor)) : null);
  }

  async remove(auth: AuthContext, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await this.row(trx, auth.brandId, id);
      for (const guard of this.removalGuards) {
        const refused = await guard(trx, auth.brandId, id);
        if (refused) throw conflict(`“${row.name}” cannot be deleted: ${refused}`);
      }
      await repo.delete(trx, auth.brandId, id);
      await this.opts.brands.audit(trx, { brandId: auth.brandId, actor: auth.actor, action: 'email.deleted', targetType: 'email', targetId: id, details: { name: row.name } });
    });
    for (const listener of this.removeListeners) await listener(auth.brandId, id);
  }

  async duplicate(auth: AuthContext, id: string): Promise<Email> {
    const source = await this.get(auth.brandId, id);
    const at = this.now();
    const copy: Email = { ...source, id: newId('eml'), name: clip(`${source.name} (copy)`, LIMITS.name), version: 1, createdAt: at, updatedAt: at };
    await this.insertNew(auth.actor, copy, `duplicate of ${source.id} v${source.version}`);
    return copy;
  }

  /** Makes the content of version `n` the newest version again (the history is kept). */
  async restore(auth: AuthContext, id: string, n: number): Promise<Email> {
    const current = await this.get(auth.brandId, id);
    const old = await this.version(auth.brandId, id, n);
    return this.save(auth.actor, current, { ...current, ...contentOf(old) }, `restore of v${n}`);
  }

  /**
   * Called by preflight after each run, so email lists show the result without reading reports.
   * A new version clears it: a score only ever describes the content it checked.
   */
  async recordPreflight(brandId: string, id: string, summary: PreflightSummary): Promise<void> {
    if ((await repo.setLastPreflight(this.db, brandId, id, toJson(summary))) === 0) throw notFound('email', id);
  }

  /**
   * The body a create or patch asks for, or null when it names none. Switching a block email to
   * MJML converts its document, so it can be edited as code; nothing converts back to blocks.
   */
  private resolveBody(p: { format?: EmailFormat; document?: EmailDocument; source?: string }, current: Email | null): Pick<Email, 'format' | 'document' | 'source'> | null {
    const format = p.format ?? (p.document ? 'blocks' : p.source !== undefined ? current?.format : undefined);
    if (p.source !== undefined && !format) throw invalid('format', 'is required with source: "mjml" or "html"');
    if (!format) return null;
    if (format === 'blocks') {
      if (p.source !== undefined) throw invalid('source', 'is only used with the mjml or html format; the blocks format keeps its body in document');
      const document = p.document ?? (current?.format === 'blocks' ? current.document : null);
      if (!document) throw invalid('document', 'is required for the blocks format (MJML or HTML code cannot be turned back into blocks)');
      return { format, document, source: null };
    }
    if (p.document) throw invalid('document', `is only used with the blocks format; the ${format} format keeps its body in source`);
    const source = p.source ?? (current?.format === format ? current.source : format === 'mjml' && current?.format === 'blocks' ? this.mjmlOf(current) : null);
    if (!source) throw invalid('source', `is required for the ${format} format`);
    return { format, document: null, source };
  }

  private mjmlOf(e: Pick<Email, 'document' | 'language' | 'subject' | 'preheader'>): string {
    return documentToMjml(e.document!, { language: e.language, subject: e.subject, preheader: e.preheader });
  }

  /** MJML that does not compile in strict mode is refused at save time, not at send time. */
  private async assertCompiles(email: Email, brand: Brand): Promise<void> {
    if (email.format === 'mjml') await compileEmail({ email, brand });
  }

  private async insertNew(actor: Actor, email: Email, note: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await repo.insert(trx, {
        id: email.id,
        brand_id: email.brandId,
        name: email.name,
        subject: email.subject,
        preheader: email.preheader,
        from_name: email.fromName,
        from_email: email.fromEmail,
        reply_to: email.replyTo,
        category: email.category,
        language: email.language,
        format: email.format,
        document: email.document ? toJson(email.document) : null,
        source: email.source,
        version: email.version,
        last_preflight: null,
        created_by: actor.id,
        created_at: email.createdAt,
        updated_at: email.updatedAt,
      });
      await this.insertVersion(trx, actor, email, note);
    });
  }

  /** Writes `next` over `current`; with a note, as a new version of the content. */
  private async save(actor: Actor, current: Email, next: Email, versionNote: string | null): Promise<Email> {
    const saved: Email = { ...next, version: current.version + (versionNote === null ? 0 : 1), updatedAt: this.now() };
    await this.db.transaction().execute(async (trx) => {
      const written = await repo.update(trx, current.brandId, current.id, current.version, {
        name: saved.name,
        subject: saved.subject,
        preheader: saved.preheader,
        from_name: saved.fromName,
        from_email: saved.fromEmail,
        reply_to: saved.replyTo,
        category: saved.category,
        language: saved.language,
        format: saved.format,
        document: saved.document ? toJson(saved.document) : null,
        source: saved.source,
        version: saved.version,
        updated_at: saved.updatedAt,
        ...(versionNote === null ? {} : { last_preflight: null }),
      });
      if (written === 0) throw conflict(`email ${current.id} was changed by someone else since version ${current.version}; reload it and try again`, { field: 'version' });
      if (versionNote !== null) await this.insertVersion(trx, actor, saved, versionNote);
    });
    return saved;
  }

  private async insertVersion(db: Executor, actor: Actor, email: Email, note: string): Promise<void> {
    await repo.insertVersion(db, {
      email_id: email.id,
      version: email.version,
      subject: email.subject,
      preheader: email.preheader,
      format: email.format,
      document: email.document ? toJson(email.document) : null,
      source: email.source,
      note: clip(note, 500),
      created_by: actor.id,
      created_at: email.updatedAt,
    });
  }

  // ---- versions ----------------------------------------------------------------------------

  async versions(brandId: string, id: string): Promise<EmailVersionSummary[]> {
    await this.row(this.db, brandId, id);
    return (await repo.listVersions(this.db, id)).map(toVersionSummary);
  }

  async version(brandId: string, id: string, n: number): Promise<EmailVersion> {
    await this.row(this.db, brandId, id);
    const v = await repo.findVersion(this.db, id, n);
    if (!v) throw notFound('version', `${n} of email ${id}`);
    return toVersion(v);
  }

  /** What changed from version a to version b: fields, and the MJML (or HTML) line by line. */
  async diff(brandId: string, id: string, a: number, b: number): Promise<EmailDiff> {
    const email = await this.get(brandId, id);
    const [va, vb] = await Promise.all([this.version(brandId, id, a), this.version(brandId, id, b)]);
    const fields: FieldChange[] = VERSIONED_FIELDS.filter((f) => va[f] !== vb[f]).map((f) => ({ field: f, before: va[f], after: vb[f] }));
    const code = (v: EmailVersion) => (v.format === 'blocks' ? this.mjmlOf({ ...v, language: email.language }) : (v.source ?? ''));
    return { fields, lines: diffLines(code(va), code(vb)) };
  }

  // ---- import ------------------------------------------------------------------------------

  /** JSON import: `{name?, format, content}`. */
  async importSource(auth: AuthContext, input: unknown): Promise<Email> {
    const i = parseInput(ImportInput, input);
    return this.createFromImport(auth, await readImport(i.format, i.content, 'content'), { field: 'content', name: i.name });
  }

  /** An uploaded or local file; the extension says what it is. Bytes, so .eml charsets decode right. */
  async importFile(auth: AuthContext, file: { fileName: string; content: Buffer; name?: string }): Promise<Email> {
    return this.createFromImport(auth, await readImport(importFormatOf(file.fileName), file.content, 'file'), { field: 'file', name: file.name, fileName: file.fileName });
  }

  /** `field` is what the caller sent the code in: errors about the source name it instead. */
  private async createFromImport(auth: AuthContext, imported: ImportedEmail, opts: { field: string; name?: string; fileName?: string }): Promise<Email> {
    const { field, name, fileName } = opts;
    const fallbackName = fileName ? fileName.replace(/\.[^.]+$/, '') : `Imported ${imported.format.toUpperCase()} email`;
    const input = {
      name: clip(name || imported.name || fallbackName, LIMITS.name),
      subject: clip(imported.subject, LIMITS.subject),
      preheader: clip(imported.preheader, LIMITS.preheader),
      format: imported.format,
      source: imported.source,
    };
    try {
      return await this.create(auth, input, `imported${fileName ? ` from ${fileName}` : ''} by ${actorLabel(auth.actor)}`);
    } catch (err) {
      throw renameIssues(err, 'source', field);
    }
  }

  // ---- compiling and rendering -------------------------------------------------------------

  /** The MJML of a block email (generated) or an MJML email (as written); HTML emails have none. */
  async mjml(brandId: string, id: string): Promise<string> {
    const email = await this.get(brandId, id);
    if (email.format === 'html') throw invalid('format', 'this email is written in HTML and has no MJML; export its HTML instead');
    return email.format === 'blocks' ? this.mjmlOf(email) : email.source!;
  }

  /** The email compiled at its current version, for previews, preflight and sends. */
  async compiled(brandId: string, id: string): Promise<{ email: Email; brand: Brand; compiled: CompiledEmail }> {
    const { email, brand, compiled } = await this.entry(brandId, id);
    return { email, brand, compiled };
  }

  /**
   * A given version compiled, for messages already sent (click redirects, view in browser). Kept
   * per (email, version) without re-reading the email: a version's content never changes, and a
   * sent message should keep the links and look it was sent with, not follow later kit edits.
   * `brandId` is null for a signed token that names no message (a preview), which is trusted alone.
   */
  async compiledVersion(brandId: string | null, id: string, n: number): Promise<{ email: Email; brand: Brand; compiled: CompiledEmail; prepared: PreparedMessage }> {
    const key = `${id}:${n}`;
    let entry = this.versionCache.get(key);
    if (!entry) {
      entry = this.compileVersion(id, n);
      entry.catch(() => this.versionCache.delete(key));
      this.versionCache.set(key, entry);
    }
    const found = await entry;
    if (brandId !== null && found.brand.id !== brandId) throw notFound('email', id);
    return found;
  }

  private async compileVersion(id: string, n: number): Promise<CompiledEntry> {
    const row = await repo.findById(this.db, id);
    const v = row && (await repo.findVersion(this.db, id, n));
    if (!row || !v) throw notFound('version', `${n} of email ${id}`);
    const email: Email = { ...toEmail(row), ...contentOf(toVersion(v)), version: n };
    const brand = await this.opts.brands.getBrand(row.brand_id);
    const compiled = await compileEmail({ email, brand });
    return { email, brand, compiled, prepared: prepareMessage(compiled) };
  }

  private async entry(brandId: string, id: string): Promise<CompiledEntry> {
    const [email, brand] = await Promise.all([this.get(brandId, id), this.opts.brands.getBrand(brandId)]);
    // Metadata (From, category, language) and the brand kit shape the output without making a
    // version, so they are part of the key too.
    const { document: _d, source: _s, ...meta } = email;
    const key = `${email.id}:${email.version}:${createHash('sha1').update(JSON.stringify([meta, brand])).digest('base64url')}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const entry = compileEmail({ email, brand }).then((compiled): CompiledEntry => ({ email, brand, compiled, prepared: prepareMessage(compiled) }));
    // A failed compile is not cached: the next request reports the error again, or succeeds.
    entry.catch(() => this.cache.delete(key));
    this.cache.set(key, entry);
    return entry;
  }

  /** One render for the editor preview: a real contact of the brand, or a sample persona. */
  async renderPreview(brandId: string, id: string, opts: { contactId?: string; persona?: Persona; tracking?: boolean } = {}): Promise<RenderedMessage> {
    const entry = await this.entry(brandId, id);
    const recipient = await this.recipient(brandId, opts.contactId, opts.persona ?? 'full');
    return entry.prepared.render(recipient, this.renderOptions(entry.brand, opts.tracking ?? false));
  }

  private async recipient(brandId: string, contactId: string | undefined, persona: Persona): Promise<RecipientData> {
    const contact = contactId ? await this.opts.audience.getContact(brandId, contactId) : null;
    return sampleRecipient(contact, persona);
  }

  private renderOptions(brand: Brand, tracking: boolean) {
    return { tracking, baseUrl: this.opts.config.publicUrl, secret: this.opts.secret, brand };
  }

  // ---- test send ---------------------------------------------------------------------------

  /** S3.4: the current version to 1–10 addresses, with a chosen contact's data or the full sample persona. */
  async testSend(auth: AuthContext, id: string, input: unknown): Promise<{ sent: Array<{ to: string; messageId: string }> }> {
    const t = parseInput(TestSendInput, input);
    const entry = await this.entry(auth.brandId, id);
    const transport = this.opts.transport;
    if (!transport) {
      throw new DomainError('conflict', 'test sends need an SMTP server: set TIDINGS_SMTP_URL (for example smtp://user:pass@smtp.example.com:587) and restart Tidings', { setting: 'TIDINGS_SMTP_URL' });
    }
    // The sample's own contactId is dropped: an unsubscribe link in a test must not act on the real contact.
    const { contactId: _real, ...sample } = await this.recipient(auth.brandId, t.contactId, 'full');
    const sent: Array<{ to: string; messageId: string }> = [];
    for (const to of t.to) {
      const msg = entry.prepared.render({ ...sample, email: to }, this.renderOptions(entry.brand, false));
      const localPart = randomUUID();
      const domain = domainOf(msg.from.email);
      const raw = await toMime({ ...msg, to, subject: `[Test] ${msg.subject}` }, { messageId: localPart, messageIdDomain: domain, date: this.opts.clock.now(), dkim: this.opts.config.dkim });
      try {
        await transport.send({ from: msg.from.email, to: [to] }, raw);
      } catch (err) {
        throw new DomainError('upstream', `the SMTP server did not take the test send to ${to}: ${(err as Error).message}`, { sent, failed: to });
      }
      sent.push({ to, messageId: `<${localPart}@${domain}>` });
    }
    await this.opts.brands.audit(this.db, {
      brandId: auth.brandId,
      actor: auth.actor,
      action: 'email.test_sent',
      targetType: 'email',
      targetId: id,
      details: { version: entry.email.version, to: t.to, contactId: t.contactId ?? null },
    });
    return { sent };
  }
}

/** The same validation error, with `from` (and paths under it) called `to`. Other errors pass through. */
function renameIssues(err: unknown, from: string, to: string): unknown {
  const issues = (err as DomainError).details as { issues?: FieldIssue[] } | undefined;
  if (!(err instanceof DomainError) || err.code !== 'validation_failed' || !issues?.issues) return err;
  const renamed = issues.issues.map((i) => (i.field === from || i.field.startsWith(`${from}.`) ? { ...i, field: to + i.field.slice(from.length) } : i));
  return validationError(renamed);
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);
