import { z } from 'zod';
import type { ContactStatus, Validation } from '../store/schema.ts';

export type { ContactStatus, Validation };

export const CONTACT_STATUSES = ['subscribed', 'unsubscribed', 'non-subscribed', 'bounced', 'complained'] as const satisfies readonly ContactStatus[];
export const VALIDATIONS = ['valid', 'invalid', 'risky', 'unknown'] as const satisfies readonly Validation[];
export const FIELD_TYPES = ['string', 'number', 'boolean', 'date'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export const SUPPRESSION_REASONS = ['bounce', 'complaint', 'unsubscribe', 'manual'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** Built-in contact columns, in API (camelCase) spelling; anything else is a custom field. */
export const CONTACT_FIELDS = ['email', 'firstName', 'lastName', 'phone', 'country', 'language', 'timeZone', 'status', 'consentSource', 'consentAt'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

export const LIMITS = {
  email: 254, // RFC 5321 path limit
  name: 200,
  phone: 40,
  consentSource: 200,
  customString: 2000,
  customFields: 100,
  tagName: 100,
};

/** Custom field values after coercion: dates are ISO strings. */
export type FieldValue = string | number | boolean | null;

export interface CustomFieldDef {
  id: string;
  key: string;
  label: string;
  type: FieldType;
  createdAt: string;
}

export const CustomFieldInput = z.object({
  key: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must start with a letter and use only a-z, 0-9 and _ (max 63)')
    .refine((k) => !RESERVED_KEYS.has(k), 'is a built-in contact field'),
  label: z.string().trim().min(1).max(120).optional(),
  type: z.enum(FIELD_TYPES),
});

/** snake_case spellings of the built-in fields, which custom keys must not shadow. */
export const RESERVED_KEYS = new Set(['email', 'first_name', 'last_name', 'phone', 'country', 'language', 'time_zone', 'status', 'consent_source', 'consent_at', 'tags', 'id', 'created_at', 'updated_at', 'validation']);

export interface TagRef {
  id: string;
  name: string;
  color: string;
}

export interface Contact {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  country: string | null;
  language: string | null;
  timeZone: string | null;
  status: ContactStatus;
  consentSource: string | null;
  consentAt: string | null;
  validation: Validation;
  validationReason: string | null;
  fields: Record<string, FieldValue>;
  tags: TagRef[];
  createdAt: string;
  updatedAt: string;
}

/**
 * Raw contact input, from the API (JSON) or one import row (strings). Shape only: values are
 * normalised and checked by `normaliseContact` (normalise.ts), the one path both take.
 */
export const ContactInput = z.object({
  email: z.string().max(1000),
  firstName: z.string().max(1000).nullish(),
  lastName: z.string().max(1000).nullish(),
  phone: z.string().max(1000).nullish(),
  country: z.string().max(100).nullish(),
  language: z.string().max(100).nullish(),
  timeZone: z.string().max(100).nullish(),
  status: z.enum(CONTACT_STATUSES).optional(),
  consentSource: z.string().max(1000).nullish(),
  consentAt: z.string().max(100).nullish(),
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  /** Tag ids (tag_…) to attach; unknown ids are an error naming the id. */
  tagIds: z.array(z.string()).max(100).optional(),
});
export type ContactInput = z.infer<typeof ContactInput>;

export const TagInput = z.object({
  name: z.string().trim().min(1, 'is required').max(LIMITS.tagName),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1a2b3c').optional(),
  description: z.string().max(1000).optional(),
});

export const TopicInput = z.object({
  name: z.string().trim().min(1, 'is required').max(120),
  description: z.string().max(1000).optional(),
  defaultOptIn: z.boolean().optional(),
  isPublic: z.boolean().optional(),
});

export const SuppressionInput = z.object({
  email: z.string().max(1000),
  reason: z.enum(SUPPRESSION_REASONS).default('manual'),
  source: z.string().max(200).optional(),
});

// ---- API shapes of the audience core (contacts, tags, topics, suppression, timeline) --------------

export interface Tag {
  id: string;
  name: string;
  color: string;
  description: string;
  /** Contacts carrying the tag. */
  count: number;
  createdAt: string;
}

export interface Topic {
  id: string;
  name: string;
  description: string;
  defaultOptIn: boolean;
  isPublic: boolean;
  /** Contacts whose effective preference is "in": their own choice, else the topic default. */
  optedInCount: number;
  createdAt: string;
}

export interface Suppression {
  id: string;
  email: string;
  reason: SuppressionReason;
  source: string;
  createdAt: string;
}

/** One contact with everything the detail view shows. */
export interface ContactDetail extends Contact {
  topics: Array<{ id: string; name: string; optedIn: boolean }>;
  /** Set when the contact's email is on the suppression list: sends skip them. */
  suppression: Suppression | null;
}

/** Timeline entries written by the audience core; delivery and tracking add engagement types. */
export const AUDIENCE_EVENT_TYPES = ['created', 'imported', 'updated', 'tag_added', 'tag_removed', 'status_changed', 'topic_changed', 'suppressed', 'unsuppressed'] as const;

export interface TimelineEvent {
  id: string;
  type: string;
  occurredAt: string;
  campaignId: string | null;
  seriesId: string | null;
  data: Record<string, unknown>;
}

/** The contact filter of lists, counts and bulk actions (segments are the richer, saved kind). */
export const ContactFilter = z.object({
  /** Substring of email or name; a leading @ matches the email domain ("@acme.com"). */
  search: z.string().trim().max(200).optional(),
  status: z.enum(CONTACT_STATUSES).optional(),
  /** Contacts with ANY of these tags. */
  tagIds: z.array(z.string().max(100)).max(100).optional(),
});
export type ContactFilter = z.infer<typeof ContactFilter>;

export const CONTACT_SORTS = ['created_at', 'email', 'last_name', 'updated_at'] as const;
export type ContactSort = (typeof CONTACT_SORTS)[number];

export const BULK_ACTIONS = ['tag', 'untag', 'delete', 'set_status'] as const;
export const BULK_MAX_IDS = 10_000;

export const BulkInput = z
  .object({
    action: z.enum(BULK_ACTIONS),
    ids: z.array(z.string().max(100)).min(1).max(BULK_MAX_IDS).optional(),
    filter: ContactFilter.optional(),
    tagIds: z.array(z.string().max(100)).min(1).max(100).optional(),
    status: z.enum(CONTACT_STATUSES).optional(),
  })
  .superRefine((b, ctx) => {
    if ((b.ids === undefined) === (b.filter === undefined)) ctx.addIssue({ code: 'custom', path: ['ids'], message: 'give either ids or filter' });
    if ((b.action === 'tag' || b.action === 'untag') && !b.tagIds) ctx.addIssue({ code: 'custom', path: ['tagIds'], message: `is required for ${b.action}` });
    if (b.action === 'set_status' && !b.status) ctx.addIssue({ code: 'custom', path: ['status'], message: 'is required for set_status' });
  });
export type BulkInput = z.infer<typeof BulkInput>;

export const ContactListQuery = ContactFilter.extend({
  sort: z.enum(CONTACT_SORTS).default('created_at'),
  /** Default: newest first for the time sorts, A→Z for email and last name. */
  order: z.enum(['asc', 'desc']).optional(),
  limit: z.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});
export type ContactListQuery = z.input<typeof ContactListQuery>;
