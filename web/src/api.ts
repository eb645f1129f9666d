/**
 * The typed client for /api/v1. The browser authenticates with the httpOnly session cookie; every
 * state-changing request echoes the session's CSRF token, and brand-scoped requests name the brand
 * in a header. Types come from the server's own model files (type-only imports, erased at build).
 */
import type { ApiKey, Brand, BrandColors, Membership, Role, Scope, User } from '../../src/brands/model.ts';
import type { AuditEntry, BrandsService } from '../../src/brands/service.ts';
import type {
  Contact,
  ContactDetail,
  ContactInput,
  ContactSort,
  ContactStatus,
  CustomFieldDef,
  FieldType,
  FieldValue,
  Suppression,
  SuppressionReason,
  Tag,
  TimelineEvent,
  Topic,
  Validation,
} from '../../src/audience/model.ts';
import type { Import, ImportPreview, MappingTarget, OnConflict, StartImportInput } from '../../src/audience/import/model.ts';
import type { Condition, ContactFieldName, EngagementCondition, EngagementEvent, FieldOp, Group, Rule, Segment, SegmentContact, SegmentFilter, TimeUnit } from '../../src/audience/segments/model.ts';

export type { ApiKey, AuditEntry, Brand, BrandColors, Membership, Role, Scope, User };
export type { Contact, ContactDetail, ContactInput, ContactSort, ContactStatus, CustomFieldDef, FieldType, FieldValue, Suppression, SuppressionReason, Tag, TimelineEvent, Topic, Validation };
export type { Import, ImportPreview, MappingTarget, OnConflict, StartImportInput };
export type { Condition, ContactFieldName, EngagementCondition, EngagementEvent, FieldOp, Group, Rule, Segment, SegmentContact, SegmentFilter, TimeUnit };
export type Member = Awaited<ReturnType<BrandsService['listMembers']>>[number];
export type BrandWithRole = Brand & { role: Role };

export interface Session {
  user: User;
  csrfToken: string;
  memberships: Membership[];
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface FieldIssue {
  field: string;
  message: string;
}

/** A failed API call, carrying the server's stable error code and any per-field problems. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field problems keyed by field path, with `prefix.` removed ("brand.name" → "name" for prefix "brand"). */
  fieldErrors(prefix = ''): Record<string, string> {
    const out: Record<string, string> = {};
    const lead = prefix ? `${prefix}.` : '';
    for (const issue of this.issues) {
      if (!issue.field.startsWith(lead)) continue;
      const field = issue.field.slice(lead.length);
      out[field] ??= sentence(issue.message);
    }
    return out;
  }
}

const sentence = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);

/** Per-tab request state: set when a session starts and when the user switches brand. */
const state: { csrfToken: string | null; brandId: string | null; onUnauthorized: (() => void) | null } = {
  csrfToken: null,
  brandId: null,
  onUnauthorized: null,
};

export function setCsrfToken(token: string | null) {
  state.csrfToken = token;
}
export function setBrandId(brandId: string | null) {
  state.brandId = brandId;
}
/** Called when the server says the session is gone (expired, signed out elsewhere). */
export function onUnauthorized(handler: (() => void) | null) {
  state.onUnauthorized = handler;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The session and brand headers every call carries (cookies go along by themselves). */
function authHeaders(method: Method): Record<string, string> {
  const headers: Record<string, string> = {};
  if (method !== 'GET' && state.csrfToken) headers['x-csrf-token'] = state.csrfToken;
  if (state.brandId) headers['x-tidings-brand'] = state.brandId;
  return headers;
}

const NETWORK_ERROR = () => new ApiError(0, 'network', 'Cannot reach the Tidings server. Check your connection and try again.');

export async function send(method: Method, path: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method, credentials: 'same-origin', body: init.body, headers: { accept: 'application/json', ...authHeaders(method), ...init.headers } });
  } catch {
    throw NETWORK_ERROR();
  }
  if (!res.ok) throw failed(res.status, path, await res.text());
  return res;
}

function failed(status: number, path: string, text: string): ApiError {
  // A failed sign-in is also a 401, but it is the form's business, not a lost session.
  if (status === 401 && path !== '/session') state.onUnauthorized?.();
  return toApiError(status, text ? safeJson(text) : null);
}

export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const res = await send(method, path, body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? safeJson(text) : null) as T;
}

/**
 * Downloads a file the API streams (CSV, JSON). A plain link cannot carry the brand header, so the
 * file is fetched and handed to the browser as a blob with the server's file name.
 */
async function download(path: string, fallbackName: string): Promise<void> {
  const res = await send('GET', path);
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Multipart upload with progress (fetch cannot report upload progress; XMLHttpRequest can). */
export function upload<T>(path: string, field: string, file: File, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1${path}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    for (const [k, v] of Object.entries(authHeaders('POST'))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(NETWORK_ERROR());
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(safeJson(xhr.responseText) as T);
      else reject(failed(xhr.status, path, xhr.responseText));
    };
    const form = new FormData();
    form.append(field, file);
    xhr.send(form);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function toApiError(status: number, json: unknown): ApiError {
  const e = (json as { error?: { code?: string; message?: string; details?: { issues?: FieldIssue[]; field?: string } | null } } | null)?.error;
  if (!e) return new ApiError(status, 'http_error', `The server answered ${status}.`);
  const message = sentence(e.message ?? `The server answered ${status}.`);
  // Conflicts name their field in details.field ("a contact with email … already exists"): show them on it.
  const issues = Array.isArray(e.details?.issues) ? e.details.issues : typeof e.details?.field === 'string' ? [{ field: e.details.field, message }] : [];
  return new ApiError(status, e.code ?? 'http_error', message, issues);
}

const qs = (params: Record<string, string | number | undefined | null>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

export interface SetupInput {
  user: { email: string; name: string; password: string };
  brand: { name: string; fromEmail?: string; postalAddress?: string };
}

export type BrandKitInput = Partial<Omit<Brand, 'id' | 'createdAt' | 'updatedAt'>>;

/** The contact filter of lists, counts, bulk actions and CSV export. */
export interface ContactFilter {
  search?: string;
  status?: ContactStatus;
  tagIds?: string[];
}

export interface ContactQuery extends ContactFilter {
  sort?: ContactSort;
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
}

const filterParams = (f: ContactFilter) => ({ search: f.search?.trim(), status: f.status, tagIds: f.tagIds?.length ? f.tagIds.join(',') : undefined });

export type BulkAction =
  | { action: 'tag' | 'untag'; tagIds: string[] }
  | { action: 'delete' }
  | { action: 'set_status'; status: ContactStatus };
export type BulkTarget = { ids: string[] } | { filter: ContactFilter };

const id = encodeURIComponent;

export const api = {
  setupStatus: () => request<{ needsSetup: boolean }>('GET', '/setup'),
  setup: (input: SetupInput) => request<Session>('POST', '/setup', input),
  signIn: (email: string, password: string) => request<Session>('POST', '/session', { email, password }),
  session: () => request<Session>('GET', '/session'),
  signOut: () => request<void>('DELETE', '/session'),

  brands: () => request<{ data: BrandWithRole[] }>('GET', '/brands'),
  createBrand: (input: BrandKitInput) => request<Brand>('POST', '/brands', input),
  brand: () => request<Brand>('GET', '/brand'),
  updateBrand: (input: BrandKitInput) => request<Brand>('PATCH', '/brand', input),

  members: () => request<{ data: Member[] }>('GET', '/members'),
  setMember: (email: string, role: Role) => request<{ data: Member[] }>('PUT', '/members', { email, role }),
  removeMember: (userId: string) => request<void>('DELETE', `/members/${encodeURIComponent(userId)}`),

  keys: () => request<{ data: ApiKey[] }>('GET', '/keys'),
  createKey: (name: string, scopes: Scope[]) => request<{ key: ApiKey; secret: string }>('POST', '/keys', { name, scopes }),
  revokeKey: (id: string) => request<void>('DELETE', `/keys/${encodeURIComponent(id)}`),

  audit: (page: { limit: number; cursor?: string }) => request<Page<AuditEntry>>('GET', `/audit${qs(page)}`),

  contacts: {
    list: (q: ContactQuery) => request<Page<Contact>>('GET', `/contacts${qs({ ...filterParams(q), sort: q.sort, order: q.order, limit: q.limit, cursor: q.cursor })}`),
    count: (f: ContactFilter) => request<{ count: number }>('GET', `/contacts/count${qs(filterParams(f))}`),
    get: (contactId: string) => request<ContactDetail>('GET', `/contacts/${id(contactId)}`),
    create: (input: ContactInput) => request<ContactDetail>('POST', '/contacts', input),
    update: (contactId: string, input: Partial<ContactInput>) => request<ContactDetail>('PATCH', `/contacts/${id(contactId)}`, input),
    remove: (contactId: string) => request<void>('DELETE', `/contacts/${id(contactId)}`),
    erase: (contactId: string) => request<void>('POST', `/contacts/${id(contactId)}/erase`),
    bulk: (action: BulkAction, target: BulkTarget) => request<{ affected: number }>('POST', '/contacts/bulk', { ...action, ...target }),
    timeline: (contactId: string, page: { limit: number; cursor?: string }) => request<Page<TimelineEvent>>('GET', `/contacts/${id(contactId)}/timeline${qs(page)}`),
    setTopic: (contactId: string, topicId: string, optedIn: boolean) => request<ContactDetail>('PUT', `/contacts/${id(contactId)}/topics/${id(topicId)}`, { optedIn }),
    exportData: (contactId: string) => download(`/contacts/${id(contactId)}/export`, `contact-${contactId}.json`),
    exportCsv: (f: ContactFilter & { segmentId?: string }) => download(`/contacts/export.csv${qs({ ...filterParams(f), segmentId: f.segmentId })}`, 'contacts.csv'),
  },

  fields: {
    list: () => request<{ data: CustomFieldDef[] }>('GET', '/fields'),
    create: (input: { key: string; label?: string; type: FieldType }) => request<CustomFieldDef>('POST', '/fields', input),
    remove: (fieldId: string) => request<void>('DELETE', `/fields/${id(fieldId)}`),
  },

  tags: {
    list: () => request<{ data: Tag[] }>('GET', '/tags'),
    create: (input: { name: string; color?: string; description?: string }) => request<Tag>('POST', '/tags', input),
    update: (tagId: string, input: { name?: string; color?: string; description?: string }) => request<Tag>('PATCH', `/tags/${id(tagId)}`, input),
    remove: (tagId: string) => request<void>('DELETE', `/tags/${id(tagId)}`),
  },

  topics: {
    list: () => request<{ data: Topic[] }>('GET', '/topics'),
    create: (input: { name: string; description?: string; defaultOptIn?: boolean; isPublic?: boolean }) => request<Topic>('POST', '/topics', input),
    update: (topicId: string, input: { name?: string; description?: string; defaultOptIn?: boolean; isPublic?: boolean }) => request<Topic>('PATCH', `/topics/${id(topicId)}`, input),
    remove: (topicId: string) => request<void>('DELETE', `/topics/${id(topicId)}`),
  },

  suppressions: {
    list: (q: { search?: string; reason?: SuppressionReason; limit: number; cursor?: string }) => request<Page<Suppression>>('GET', `/suppressions${qs(q)}`),
    add: (input: { email: string; reason?: SuppressionReason; source?: string }) => request<Suppression>('POST', '/suppressions', input),
    remove: (suppressionId: string) => request<void>('DELETE', `/suppressions/${id(suppressionId)}`),
  },

  imports: {
    list: (page: { limit: number; cursor?: string }) => request<Page<Import>>('GET', `/imports${qs(page)}`),
    get: (importId: string) => request<Import>('GET', `/imports/${id(importId)}`),
    upload: (file: File, onProgress: (fraction: number) => void) => upload<Import>('/imports', 'file', file, onProgress),
    start: (importId: string, input: StartImportInput) => request<Import>('POST', `/imports/${id(importId)}/start`, input),
    cancel: (importId: string) => request<Import>('POST', `/imports/${id(importId)}/cancel`),
    results: (importId: string) => download(`/imports/${id(importId)}/results.csv`, `${importId}-results.csv`),
  },

  segments: {
    list: (page: { limit: number; cursor?: string }) => request<Page<Segment>>('GET', `/segments${qs(page)}`),
    get: (segmentId: string) => request<Segment>('GET', `/segments/${id(segmentId)}`),
    create: (input: { name: string; description?: string; filter: SegmentFilter }) => request<Segment>('POST', '/segments', input),
    update: (segmentId: string, input: { name?: string; description?: string; filter?: SegmentFilter }) => request<Segment>('PATCH', `/segments/${id(segmentId)}`, input),
    remove: (segmentId: string) => request<void>('DELETE', `/segments/${id(segmentId)}`),
    countOf: (segmentId: string) => request<{ count: number }>('GET', `/segments/${id(segmentId)}/count`),
    count: (filter: SegmentFilter) => request<{ count: number }>('POST', '/segments/count', { filter }),
    preview: (filter: SegmentFilter, limit = 20) => request<{ data: SegmentContact[] }>('POST', '/segments/preview', { filter, limit }),
  },
};
