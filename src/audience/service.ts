import type { Logger } from 'pino';
import { z } from 'zod';
import type { Updateable } from 'kysely';
import type { ContactsTable } from '../store/schema.ts';
import type { Store, Executor } from '../store/db.ts';
import type { Clock } from '../shared/clock.ts';
import type { Actor } from '../brands/model.ts';
import { parseInput, type BrandsService } from '../brands/service.ts';
import type { Page } from '../http/pagination.ts';
import { newId } from '../shared/ids.ts';
import { conflict, invalid, notFound, validationError, type FieldIssue } from '../shared/errors.ts';
import { fromJson, toJson } from '../shared/json.ts';
import { audienceRepo as repo, isUniqueViolation, sortValue, type ContactRow, type EventInsert, type EventRow, type SuppressionRow, type TagRow } from './repo.ts';
import { checkMx, normaliseContact, normaliseEmail, type MxResolver, type NormalisedContact } from './normalise.ts';
import {
  BulkInput,
  ContactFilter,
  ContactInput,
  ContactListQuery,
  CustomFieldInput,
  SUPPRESSION_REASONS,
  SuppressionInput,
  TagInput,
  TopicInput,
  type Contact,
  type ContactDetail,
  type ContactStatus,
  type CustomFieldDef,
  type FieldType,
  type FieldValue,
  type Suppression,
  type Tag,
  type TagRef,
  type TimelineEvent,
  type Topic,
} from './model.ts';

export interface AudienceOptions {
  /** TIDINGS_MX_LOOKUP: check the mail domain of new and changed emails in DNS after saving. */
  mxLookup: boolean;
  resolveMx?: MxResolver;
  log?: Logger;
}

const SuppressionListQuery = z.object({
  search: z.string().trim().max(200).optional(),
  reason: z.enum(SUPPRESSION_REASONS).optional(),
  limit: z.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

/** Bulk actions work through this many contacts per transaction: short write locks, bounded memory. */
const BULK_BATCH = 1000;

/** Tag colours handed out in turn, so neighbouring tags differ. */
const TAG_PALETTE = ['#2f6fed', '#14b8a6', '#f59e0b', '#e64980', '#7950f2', '#40c057', '#fd7e14', '#15aabf', '#be4bdb', '#fa5252'];

/** Where a change came from, as recorded in consent_source and suppression source. */
function channelOf(actor: Actor): string {
  if (actor.type === 'api_key') return 'api';
  if (actor.type === 'user') return 'manual';
  return actor.id ?? 'system';
}

/** API (camelCase) name → column, for the values normaliseContact returns. */
const COLUMN_OF = {
  email: 'email',
  firstName: 'first_name',
  lastName: 'last_name',
  phone: 'phone',
  country: 'country',
  language: 'language',
  timeZone: 'time_zone',
  consentSource: 'consent_source',
  consentAt: 'consent_at',
} as const satisfies Record<string, keyof NormalisedContact & keyof ContactRow>;
type ContactColumn = (typeof COLUMN_OF)[keyof typeof COLUMN_OF];

// ---- cursors: opaque to callers, base64url of [sort value, id] ------------------------------------

export function encodeCursor(value: string, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

function decodeCursor(cursor: string | undefined): [string, string] | null {
  if (!cursor) return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // fall through to the error below
  }
  throw invalid('cursor', 'is not a cursor returned by this list');
}

function toPage<R, T>(rows: R[], limit: number, map: (r: R) => T, cursorOf: (r: R) => string): Page<T> {
  const data = rows.slice(0, limit);
  return { data: data.map(map), nextCursor: rows.length > limit ? cursorOf(data[data.length - 1]) : null };
}

// ---- row → API shapes ------------------------------------------------------------------------

function toContact(r: ContactRow, tags: TagRef[]): Contact {
  return {
    id: r.id,
    email: r.email,
    firstName: r.first_name,
    lastName: r.last_name,
    phone: r.phone,
    country: r.country,
    language: r.language,
    timeZone: r.time_zone,
    status: r.status,
    consentSource: r.consent_source,
    consentAt: r.consent_at,
    validation: r.validation,
    validationReason: r.validation_reason,
    fields: fromJson<Record<string, FieldValue>>(r.attributes, {}),
    tags,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const toTag = (r: Pick<TagRow, 'id' | 'name' | 'color' | 'description' | 'created_at'>, count: number): Tag => ({
  id: r.id,
  name: r.name,
  color: r.color,
  description: r.description,
  count,
  createdAt: r.created_at,
});

const toSuppression = (r: SuppressionRow): Suppression => ({ id: r.id, email: r.email, reason: r.reason, source: r.source, createdAt: r.created_at });

const toEvent = (r: EventRow): TimelineEvent => ({
  id: r.id,
  type: r.type,
  occurredAt: r.occurred_at,
  campaignId: r.campaign_id,
  seriesId: r.series_id,
  data: fromJson<Record<string, unknown>>(r.data, {}),
});

const toField = (r: { id: string; key: string; label: string; type: FieldType; created_at: string }): CustomFieldDef => ({
  id: r.id,
  key: r.key,
  label: r.label,
  type: r.type,
  createdAt: r.created_at,
});

const unique = <T>(xs: readonly T[]) => [...new Set(xs)];

/**
 * The audience core: contacts, custom fields, tags, topics, the suppression list, the activity
 * timeline, GDPR export and erasure, and bulk actions. Every contact write goes through
 * `normaliseContact`, the same path import takes, so both accept and reject the same values.
 */
export class AudienceService {
  private pendingChecks = new Set<Promise<void>>();

  constructor(
    private store: Store,
    private clock: Clock,
    private brands: BrandsService,
    private opts: AudienceOptions,
  ) {}

  private get db() {
    return this.store.db;
  }
  private now() {
    return this.clock.now().toISOString();
  }
  private event(brandId: string, contactId: string, type: string, data: Record<string, unknown>, at = this.now()): EventInsert {
    return { id: newId('evt'), brand_id: brandId, contact_id: contactId, type, campaign_id: null, series_id: null, occurred_at: at, data: toJson(data) };
  }

  /** Resolves once the background MX checks started so far have finished (shutdown waits on it). */
  async idle(): Promise<void> {
    await Promise.all([...this.pendingChecks]);
  }

  // ---- custom field definitions ------------------------------------------------------------

  async listFields(brandId: string): Promise<CustomFieldDef[]> {
    return (await repo.listFields(this.db, brandId)).map(toField);
  }

  /** key → type, the shape normaliseContact checks custom values against. */
  async fieldTypes(brandId: string): Promise<Map<string, FieldType>> {
    return new Map((await repo.listFields(this.db, brandId)).map((f) => [f.key, f.type]));
  }

  async createField(brandId: string, input: unknown): Promise<CustomFieldDef> {
    const f = parseInput(CustomFieldInput, input);
    const row = { id: newId('fld'), brand_id: brandId, key: f.key, label: f.label ?? f.key, type: f.type, created_at: this.now() };
    try {
      await repo.insertField(this.db, row);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`a custom field with key "${f.key}" already exists`, { field: 'key' });
      throw err;
    }
    return toField(row);
  }

  /** Deleting a definition also removes its values from every contact of the brand. */
  async deleteField(brandId: string, id: string, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const f = await repo.findField(trx, brandId, id);
      if (!f) throw notFound('custom field', id);
      await repo.deleteField(trx, brandId, id);
      await repo.removeFieldValues(trx, this.store.dialect, brandId, f.key);
      await this.brands.audit(trx, { brandId, actor, action: 'field.deleted', targetType: 'custom_field', targetId: id, details: { key: f.key } });
    });
  }

  // ---- contacts: reading -------------------------------------------------------------------

  async listContacts(brandId: string, query: ContactListQuery): Promise<Page<Contact>> {
    const q = parseInput(ContactListQuery, query);
    await this.assertTagsExist(brandId, q.tagIds ?? [], 'tagIds');
    const order = q.order ?? (q.sort === 'created_at' || q.sort === 'updated_at' ? 'desc' : 'asc');
    const rows = await repo.listContacts(this.db, this.store.dialect, brandId, q, { sort: q.sort, order, after: decodeCursor(q.cursor), limit: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    const tags = await this.tagRefsOf(this.db, page.map((r) => r.id));
    return toPage(rows, q.limit, (r) => toContact(r, tags.get(r.id) ?? []), (r) => encodeCursor(sortValue(r, q.sort), r.id));
  }

  async countContacts(brandId: string, filter: ContactFilter): Promise<number> {
    const f = parseInput(ContactFilter, filter);
    await this.assertTagsExist(brandId, f.tagIds ?? [], 'tagIds');
    return repo.countContacts(this.db, this.store.dialect, brandId, f);
  }

  async getContact(brandId: string, id: string): Promise<ContactDetail> {
    const db = this.db;
    const row = await repo.findContact(db, brandId, id);
    if (!row) throw notFound('contact', id);
    const [tags, topics, suppressions] = await Promise.all([
      this.tagRefsOf(db, [id]),
      repo.topicsOfContact(db, brandId, id),
      repo.suppressionsByEmails(db, brandId, [row.email]),
    ]);
    return {
      ...toContact(row, tags.get(id) ?? []),
      topics: topics.map((t) => ({ id: t.id, name: t.name, optedIn: (t.opted_in ?? t.default_opt_in) === 1 })),
      suppression: suppressions[0] ? toSuppression(suppressions[0]) : null,
    };
  }

  private async tagRefsOf(db: Executor, contactIds: string[]): Promise<Map<string, TagRef[]>> {
    const byContact = new Map<string, TagRef[]>();
    for (const t of await repo.tagsOfContacts(db, contactIds)) {
      const list = byContact.get(t.contact_id) ?? [];
      list.push({ id: t.id, name: t.name, color: t.color });
      byContact.set(t.contact_id, list);
    }
    return byContact;
  }

  async timeline(brandId: string, id: string, page: { limit: number; cursor?: string }): Promise<Page<TimelineEvent>> {
    if (!(await repo.findContact(this.db, brandId, id))) throw notFound('contact', id);
    const rows = await repo.timeline(this.db, brandId, id, decodeCursor(page.cursor), page.limit + 1);
    return toPage(rows, page.limit, toEvent, (r) => encodeCursor(r.occurred_at, r.id));
  }

  // ---- contacts: writing -------------------------------------------------------------------

  /** Tag ids that are not this brand's tags, as issues naming their position (`tagIds.2`). */
  private async unknownTagIssues(brandId: string, tagIds: readonly string[], field: string): Promise<FieldIssue[]> {
    const known = new Set((await repo.tagsByIds(this.db, brandId, unique(tagIds))).map((t) => t.id));
    return tagIds.flatMap((id, i) => (known.has(id) ? [] : [{ field: `${field}.${i}`, message: `unknown tag ${id}` }]));
  }

  private async assertTagsExist(brandId: string, tagIds: readonly string[], field: string): Promise<void> {
    const issues = await this.unknownTagIssues(brandId, tagIds, field);
    if (issues.length > 0) throw validationError(issues);
  }

  /** Cleans the input the one way import does too, and checks tag ids: every problem in one error. */
  private async normalise(brandId: string, raw: ContactInput | Partial<ContactInput>, partial: boolean) {
    const n = normaliseContact(raw, { fields: await this.fieldTypes(brandId), partial });
    const issues = [...(n.ok ? [] : n.issues), ...(await this.unknownTagIssues(brandId, raw.tagIds ?? [], 'tagIds'))];
    if (!n.ok || issues.length > 0) throw validationError(issues);
    return n;
  }

  private async assertEmailFree(db: Executor, brandId: string, email: string): Promise<void> {
    const existing = await repo.contactIdByEmail(db, brandId, email);
    if (existing) throw conflict(`a contact with email ${email} already exists`, { field: 'email', id: existing });
  }

  /**
   * Status defaults to non-subscribed. Subscribing without a recorded consent stamps it now, with
   * the channel (api, manual, cli) as its source, so every subscribed contact has a consent trail.
   */
  async createContact(brandId: string, input: unknown, actor: Actor): Promise<ContactDetail> {
    const raw = parseInput(ContactInput, input);
    const { contact: c } = await this.normalise(brandId, raw, false);
    const now = this.now();
    const status = c.status ?? 'non-subscribed';
    const subscribing = status === 'subscribed';
    const tagIds = unique(raw.tagIds ?? []);
    const id = newId('ctc');
    await this.db.transaction().execute(async (trx) => {
      await this.assertEmailFree(trx, brandId, c.email);
      try {
        await repo.insertContact(trx, {
          id,
          brand_id: brandId,
          email: c.email,
          first_name: c.first_name,
          last_name: c.last_name,
          phone: c.phone,
          country: c.country,
          language: c.language,
          time_zone: c.time_zone,
          status,
          consent_source: c.consent_source ?? (subscribing ? channelOf(actor) : null),
          consent_at: c.consent_at ?? (subscribing ? now : null),
          validation: c.validation,
          validation_reason: c.validation_reason,
          attributes: toJson(dropNulls(c.attributes)),
          created_at: now,
          updated_at: now,
        });
      } catch (err) {
        // Two creates racing past assertEmailFree: the unique index decides.
        if (isUniqueViolation(err)) throw conflict(`a contact with email ${c.email} already exists`, { field: 'email' });
        throw err;
      }
      await repo.addContactTags(trx, [id], tagIds, now);
      await repo.insertEvents(trx, [this.event(brandId, id, 'created', { source: channelOf(actor), status, tagIds })]);
    });
    this.scheduleMxCheck(brandId, id, c.email);
    return this.getContact(brandId, id);
  }

  /** Partial update: only the given values change; `tagIds` replaces the tag set; `fields` merge (null clears one). */
  async updateContact(brandId: string, id: string, input: unknown, actor: Actor): Promise<ContactDetail> {
    const raw = parseInput(ContactInput.partial(), input);
    const { contact: c, present } = await this.normalise(brandId, raw, true);
    const now = this.now();
    const emailChanged = await this.db.transaction().execute(async (trx) => {
      const cur = await repo.findContact(trx, brandId, id, this.store.dialect === 'postgres');
      if (!cur) throw notFound('contact', id);
      const patch: Partial<Record<ContactColumn | 'status' | 'validation' | 'validation_reason' | 'attributes', string | null>> = {};
      const changed: string[] = [];
      for (const [apiName, column] of Object.entries(COLUMN_OF) as Array<[keyof typeof COLUMN_OF, ContactColumn]>) {
        if (present.has(apiName) && c[column] !== cur[column]) {
          patch[column] = c[column];
          changed.push(apiName);
        }
      }
      if (patch.email !== undefined) {
        await this.assertEmailFree(trx, brandId, c.email);
        patch.validation = c.validation;
        patch.validation_reason = c.validation_reason;
      }

      const events: EventInsert[] = [];
      if (c.status && c.status !== cur.status) {
        patch.status = c.status;
        if (c.status === 'subscribed' && (patch.consent_at ?? cur.consent_at) === null) {
          patch.consent_at = now;
          patch.consent_source = patch.consent_source ?? cur.consent_source ?? channelOf(actor);
        }
        events.push(this.event(brandId, id, 'status_changed', { from: cur.status, to: c.status, source: channelOf(actor) }, now));
      }

      const before = fromJson<Record<string, FieldValue>>(cur.attributes, {});
      const after = dropNulls({ ...before, ...c.attributes });
      const changedFields = Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]);
      if (changedFields.length > 0) {
        patch.attributes = toJson(after);
        changed.push(...changedFields.map((k) => `fields.${k}`));
      }
      if (changed.length > 0) events.push(this.event(brandId, id, 'updated', { changed, source: channelOf(actor) }, now));

      if (raw.tagIds !== undefined) events.push(...(await this.replaceTags(trx, brandId, id, unique(raw.tagIds), now)));
      if (events.length === 0) return false;
      // The values came through normaliseContact, so they fit their columns.
      await repo.updateContact(trx, brandId, id, { ...patch, updated_at: now } as Updateable<ContactsTable>);
      await repo.insertEvents(trx, events);
      return patch.email !== undefined;
    });
    if (emailChanged) this.scheduleMxCheck(brandId, id, c.email);
    return this.getContact(brandId, id);
  }

  private async replaceTags(trx: Executor, brandId: string, contactId: string, wanted: string[], now: string): Promise<EventInsert[]> {
    const current = (await repo.tagsOfContacts(trx, [contactId])).map((t) => t.id);
    const added = await repo.addContactTags(trx, [contactId], wanted.filter((t) => !current.includes(t)), now);
    const removed = await repo.removeContactTags(trx, [contactId], current.filter((t) => !wanted.includes(t)));
    return this.tagEvents(trx, brandId, added, removed, now);
  }

  /** tag_added / tag_removed entries, carrying the tag name so the timeline survives the tag's deletion. */
  private async tagEvents(db: Executor, brandId: string, added: Array<{ contact_id: string; tag_id: string }>, removed: typeof added, now: string): Promise<EventInsert[]> {
    if (added.length === 0 && removed.length === 0) return [];
    const names = new Map((await repo.tagsByIds(db, brandId, unique([...added, ...removed].map((p) => p.tag_id)))).map((t) => [t.id, t.name]));
    const entry = (type: string) => (p: { contact_id: string; tag_id: string }) => this.event(brandId, p.contact_id, type, { tagId: p.tag_id, tag: names.get(p.tag_id) }, now);
    return [...added.map(entry('tag_added')), ...removed.map(entry('tag_removed'))];
  }

  // Audit entries name contacts by id only: an email in the audit log would outlive its erasure.

  async deleteContact(brandId: string, id: string, actor: Actor): Promise<void> {
    await this.removeContact(brandId, id, actor, 'contact.deleted');
  }

  /**
   * GDPR erasure: the contact row and, by cascade, their tags, topic choices and timeline. A
   * suppression entry for the address stays on purpose: it is what keeps the person from being
   * mailed again if the address is re-imported (remove it separately if that is wanted too).
   */
  async eraseContact(brandId: string, id: string, actor: Actor): Promise<void> {
    await this.removeContact(brandId, id, actor, 'contact.erased');
  }

  private async removeContact(brandId: string, id: string, actor: Actor, action: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if ((await repo.deleteContacts(trx, brandId, [id])) === 0) throw notFound('contact', id);
      await this.brands.audit(trx, { brandId, actor, action, targetType: 'contact', targetId: id });
    });
  }

  /** GDPR access: everything held about one contact, as one JSON document. */
  async exportContact(brandId: string, id: string) {
    const contact = await this.getContact(brandId, id);
    const [fields, events, suppressions] = await Promise.all([
      this.listFields(brandId),
      repo.timeline(this.db, brandId, id, null),
      repo.suppressionsByEmails(this.db, brandId, [contact.email]),
    ]);
    return {
      exportedAt: this.now(),
      contact,
      customFields: fields.filter((f) => f.key in contact.fields).map((f) => ({ key: f.key, label: f.label, type: f.type, value: contact.fields[f.key] })),
      tags: contact.tags,
      topics: contact.topics,
      events: events.map(toEvent),
      suppressions: suppressions.map(toSuppression),
    };
  }

  async setTopicPreference(brandId: string, contactId: string, topicId: string, optedIn: boolean, actor: Actor): Promise<ContactDetail> {
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.findContact(trx, brandId, contactId))) throw notFound('contact', contactId);
      const topic = (await repo.topicsOfContact(trx, brandId, contactId)).find((t) => t.id === topicId);
      if (!topic) throw notFound('topic', topicId);
      const now = this.now();
      await repo.setContactTopic(trx, contactId, topicId, optedIn, now);
      const was = (topic.opted_in ?? topic.default_opt_in) === 1;
      if (was !== optedIn) {
        await repo.insertEvents(trx, [this.event(brandId, contactId, 'topic_changed', { topicId, topic: topic.name, optedIn, source: channelOf(actor) }, now)]);
      }
    });
    return this.getContact(brandId, contactId);
  }

  // ---- bulk actions ------------------------------------------------------------------------

  /**
   * tag / untag / delete / set_status on up to BULK_MAX_IDS ids or on every contact matching a
   * filter, in batches of BULK_BATCH contacts, one transaction each. `affected` counts the
   * contacts that actually changed (tagging a contact that already has the tag does not count).
   */
  async bulk(brandId: string, input: unknown, actor: Actor): Promise<{ affected: number }> {
    const b = parseInput(BulkInput, input);
    const tagIds = unique(b.tagIds ?? []);
    const issues = [...(await this.unknownTagIssues(brandId, tagIds, 'tagIds')), ...(await this.unknownTagIssues(brandId, b.filter?.tagIds ?? [], 'filter.tagIds'))];
    if (issues.length > 0) throw validationError(issues);
    const channel = channelOf(actor);

    const apply = async (trx: Executor, rows: ContactRow[]): Promise<number> => {
      const now = this.now();
      const ids = rows.map((r) => r.id);
      switch (b.action) {
        case 'delete':
          return repo.deleteContacts(trx, brandId, ids);
        case 'tag':
        case 'untag': {
          const pairs = b.action === 'tag' ? await repo.addContactTags(trx, ids, tagIds, now) : await repo.removeContactTags(trx, ids, tagIds);
          const changed = unique(pairs.map((p) => p.contact_id));
          await repo.touchContacts(trx, brandId, changed, now);
          await repo.insertEvents(trx, await this.tagEvents(trx, brandId, b.action === 'tag' ? pairs : [], b.action === 'untag' ? pairs : [], now));
          return changed.length;
        }
        case 'set_status': {
          const to = b.status as ContactStatus;
          const changing = rows.filter((r) => r.status !== to);
          await repo.setStatus(trx, brandId, changing.map((r) => r.id), to, now, channel);
          await repo.insertEvents(trx, changing.map((r) => this.event(brandId, r.id, 'status_changed', { from: r.status, to, source: channel }, now)));
          return changing.length;
        }
      }
    };

    const affected = b.ids ? await this.bulkByIds(brandId, unique(b.ids), apply) : await this.bulkByFilter(brandId, b.filter ?? {}, apply);
    await this.brands.audit(this.db, {
      brandId,
      actor,
      action: `contacts.bulk_${b.action}`,
      targetType: 'contact',
      details: { affected, ...(b.ids ? { ids: b.ids.length } : { filter: b.filter }), ...(b.tagIds ? { tagIds } : {}), ...(b.status ? { status: b.status } : {}) },
    });
    return { affected };
  }

  private async bulkByIds(brandId: string, ids: string[], apply: (trx: Executor, rows: ContactRow[]) => Promise<number>): Promise<number> {
    let affected = 0;
    for (let i = 0; i < ids.length; i += BULK_BATCH) {
      const batch = ids.slice(i, i + BULK_BATCH);
      // Ids of other brands simply match nothing here.
      affected += await this.db.transaction().execute(async (trx) => apply(trx, await repo.contactsByIds(trx, brandId, batch)));
    }
    return affected;
  }

  /** Walks the filter by (created_at, id) keyset: rows already handled stay behind the cursor even when the action changes or deletes them. */
  private async bulkByFilter(brandId: string, filter: ContactFilter, apply: (trx: Executor, rows: ContactRow[]) => Promise<number>): Promise<number> {
    let affected = 0;
    let after: [string, string] | null = null;
    for (;;) {
      const cursor: [string, string] | null = after;
      const done = await this.db.transaction().execute(async (trx) => {
        const rows = await repo.listContacts(trx, this.store.dialect, brandId, filter, { sort: 'created_at', order: 'asc', after: cursor, limit: BULK_BATCH });
        if (rows.length === 0) return true;
        affected += await apply(trx, rows);
        const last = rows[rows.length - 1];
        after = [sortValue(last, 'created_at'), last.id];
        return rows.length < BULK_BATCH;
      });
      if (done) return affected;
    }
  }

  // ---- MX check (TIDINGS_MX_LOOKUP) --------------------------------------------------------

  /**
   * Runs after the contact is saved and never holds up or fails the request: a slow or failing
   * resolver only leaves the offline verdict in place.
   */
  private scheduleMxCheck(brandId: string, contactId: string, email: string): void {
    if (!this.opts.mxLookup) return;
    const check = (async () => {
      try {
        const verdict = await checkMx(email, this.opts.resolveMx);
        if (verdict) await repo.setValidation(this.db, brandId, contactId, email, verdict);
      } catch (err) {
        this.opts.log?.warn({ err, contactId }, 'MX check could not be saved');
      }
    })();
    this.pendingChecks.add(check);
    void check.finally(() => this.pendingChecks.delete(check));
  }

  // ---- tags --------------------------------------------------------------------------------

  async listTags(brandId: string): Promise<Tag[]> {
    return (await repo.listTagsWithCounts(this.db, brandId)).map((r) => toTag(r, Number(r.count)));
  }

  async getTag(brandId: string, id: string): Promise<Tag> {
    const row = await repo.findTag(this.db, brandId, id);
    if (!row) throw notFound('tag', id);
    return toTag(row, await repo.countTagged(this.db, id));
  }

  async createTag(brandId: string, input: unknown): Promise<Tag> {
    const t = parseInput(TagInput, input);
    return this.insertTag(this.db, brandId, t.name, t.color, t.description);
  }

  private async insertTag(db: Executor, brandId: string, name: string, color?: string, description?: string): Promise<Tag> {
    const row = {
      id: newId('tag'),
      brand_id: brandId,
      name,
      color: color ?? TAG_PALETTE[(await repo.countTags(db, brandId)) % TAG_PALETTE.length],
      description: description ?? '',
      created_at: this.now(),
    };
    try {
      await repo.insertTag(db, row);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`a tag named "${name}" already exists`, { field: 'name' });
      throw err;
    }
    return toTag(row, 0);
  }

  async updateTag(brandId: string, id: string, input: unknown): Promise<Tag> {
    const t = parseInput(TagInput.partial(), input);
    if (!(await repo.findTag(this.db, brandId, id))) throw notFound('tag', id);
    try {
      await repo.updateTag(this.db, brandId, id, t);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`a tag named "${t.name}" already exists`, { field: 'name' });
      throw err;
    }
    return this.getTag(brandId, id);
  }

  /** Removes the tag from every contact (cascade); their timelines keep the earlier tag_added entries. */
  async deleteTag(brandId: string, id: string, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const tag = await repo.findTag(trx, brandId, id);
      if (!tag) throw notFound('tag', id);
      const contacts = await repo.countTagged(trx, id);
      await repo.deleteTag(trx, brandId, id);
      await this.brands.audit(trx, { brandId, actor, action: 'tag.deleted', targetType: 'tag', targetId: id, details: { name: tag.name, contacts } });
    });
  }

  /**
   * Tag ids for tag names (the CLI's --tag, an import's tags column). With `create`, missing
   * tags are made; without, an unknown name is an error naming it.
   */
  async tagIdsForNames(brandId: string, names: readonly string[], opts: { create: boolean; field?: string }): Promise<string[]> {
    const wanted = unique(names.map((n) => n.trim()).filter(Boolean));
    const found = new Map((await repo.tagsByNames(this.db, brandId, wanted)).map((t) => [t.name, t.id]));
    const ids: string[] = [];
    for (const [i, name] of wanted.entries()) {
      const known = found.get(name);
      if (known) ids.push(known);
      else if (opts.create) ids.push((await this.insertTag(this.db, brandId, parseInput(TagInput.shape.name, name, `${opts.field ?? 'tags'}.${i}`))).id);
      else throw invalid(`${opts.field ?? 'tags'}.${i}`, `unknown tag "${name}"`);
    }
    return ids;
  }

  // ---- topics ------------------------------------------------------------------------------

  /** optedInCount: explicit "in" choices for opt-in-by-choice topics; everyone but the explicit "out" ones for default-in topics. */
  async listTopics(brandId: string): Promise<Topic[]> {
    const [topics, choices, total] = await Promise.all([
      repo.listTopics(this.db, brandId),
      repo.topicChoiceCounts(this.db, brandId),
      repo.countContacts(this.db, this.store.dialect, brandId, {}),
    ]);
    const count = (topicId: string, optedIn: number) => Number(choices.find((c) => c.topic_id === topicId && c.opted_in === optedIn)?.n ?? 0);
    return topics.map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description,
      defaultOptIn: t.default_opt_in === 1,
      isPublic: t.is_public === 1,
      optedInCount: t.default_opt_in === 1 ? total - count(t.id, 0) : count(t.id, 1),
      createdAt: t.created_at,
    }));
  }

  private async getTopic(brandId: string, id: string): Promise<Topic> {
    const t = (await this.listTopics(brandId)).find((x) => x.id === id);
    if (!t) throw notFound('topic', id);
    return t;
  }

  async createTopic(brandId: string, input: unknown): Promise<Topic> {
    const t = parseInput(TopicInput, input);
    const id = newId('top');
    try {
      await repo.insertTopic(this.db, {
        id,
        brand_id: brandId,
        name: t.name,
        description: t.description ?? '',
        default_opt_in: t.defaultOptIn === false ? 0 : 1,
        is_public: t.isPublic === false ? 0 : 1,
        created_at: this.now(),
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`a topic named "${t.name}" already exists`, { field: 'name' });
      throw err;
    }
    return this.getTopic(brandId, id);
  }

  async updateTopic(brandId: string, id: string, input: unknown): Promise<Topic> {
    const t = parseInput(TopicInput.partial(), input);
    if (!(await repo.findTopic(this.db, brandId, id))) throw notFound('topic', id);
    try {
      await repo.updateTopic(this.db, brandId, id, {
        ...(t.name !== undefined ? { name: t.name } : {}),
        ...(t.description !== undefined ? { description: t.description } : {}),
        ...(t.defaultOptIn !== undefined ? { default_opt_in: t.defaultOptIn ? 1 : 0 } : {}),
        ...(t.isPublic !== undefined ? { is_public: t.isPublic ? 1 : 0 } : {}),
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`a topic named "${t.name}" already exists`, { field: 'name' });
      throw err;
    }
    return this.getTopic(brandId, id);
  }

  async deleteTopic(brandId: string, id: string, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const topic = await repo.findTopic(trx, brandId, id);
      if (!topic) throw notFound('topic', id);
      await repo.deleteTopic(trx, brandId, id);
      await this.brands.audit(trx, { brandId, actor, action: 'topic.deleted', targetType: 'topic', targetId: id, details: { name: topic.name } });
    });
  }

  // ---- suppression list --------------------------------------------------------------------
  //
  // Setting a contact's status to unsubscribed, bounced or complained through the API does NOT add
  // a suppression: status is what the contact record says, the suppression list is what sending
  // obeys. Delivery (bounces, complaints) and tracking (unsubscribe links) add entries themselves;
  // people add manual ones here.

  async listSuppressions(brandId: string, query: z.input<typeof SuppressionListQuery>): Promise<Page<Suppression>> {
    const q = parseInput(SuppressionListQuery, query);
    const rows = await repo.listSuppressions(this.db, this.store.dialect, brandId, { search: q.search, reason: q.reason, before: q.cursor, limit: q.limit + 1 });
    return toPage(rows, q.limit, toSuppression, (r) => r.id);
  }

  async addSuppression(brandId: string, input: unknown, actor: Actor): Promise<Suppression> {
    const s = parseInput(SuppressionInput, input);
    const e = normaliseEmail(s.email);
    if ('error' in e) throw invalid('email', e.error);
    const row = { id: newId('sup'), brand_id: brandId, email: e.email, reason: s.reason, source: s.source ?? channelOf(actor), created_at: this.now() };
    await this.db.transaction().execute(async (trx) => {
      const [existing] = await repo.suppressionsByEmails(trx, brandId, [row.email]);
      if (existing) throw conflict(`${row.email} is already suppressed (${existing.reason})`, { field: 'email', id: existing.id });
      try {
        await repo.insertSuppression(trx, row);
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict(`${row.email} is already suppressed`, { field: 'email' });
        throw err;
      }
      const contactId = await repo.contactIdByEmail(trx, brandId, row.email);
      if (contactId) await repo.insertEvents(trx, [this.event(brandId, contactId, 'suppressed', { suppressionId: row.id, reason: row.reason, source: row.source }, row.created_at)]);
      await this.brands.audit(trx, { brandId, actor, action: 'suppression.added', targetType: 'suppression', targetId: row.id, details: { reason: row.reason, source: row.source } });
    });
    return toSuppression(row);
  }

  async removeSuppression(brandId: string, id: string, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const s = await repo.findSuppression(trx, brandId, id);
      if (!s) throw notFound('suppression', id);
      await repo.deleteSuppression(trx, brandId, id);
      const contactId = await repo.contactIdByEmail(trx, brandId, s.email);
      if (contactId) await repo.insertEvents(trx, [this.event(brandId, contactId, 'unsuppressed', { suppressionId: id, reason: s.reason, source: channelOf(actor) })]);
      await this.brands.audit(trx, { brandId, actor, action: 'suppression.removed', targetType: 'suppression', targetId: id, details: { reason: s.reason } });
    });
  }

  /** The suppressed addresses among `emails` (compared normalised), for the checks before every marketing send. */
  async isSuppressed(brandId: string, emails: readonly string[]): Promise<Set<string>> {
    const normalised = unique(emails.map((e) => e.trim().toLowerCase()).filter(Boolean));
    return new Set((await repo.suppressionsByEmails(this.db, brandId, normalised)).map((s) => s.email));
  }
}

function dropNulls(values: Record<string, FieldValue>): Record<string, FieldValue> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null));
}
