/**
 * Segment filters: a tree of AND/OR groups whose leaves are conditions on a contact. The same JSON
 * is stored with a segment, sent by the web segment builder, the API, the CLI and MCP.
 *
 * ```jsonc
 * { "op": "and", "rules": [
 *     { "field": "status", "op": "is", "value": "subscribed" },
 *     { "field": "tags", "op": "any", "value": ["tag_01h…", "tag_01j…"] },
 *     { "op": "or", "rules": [
 *         { "field": "country", "op": "is", "value": "DE" },
 *         { "field": "custom.plan", "op": "is", "value": "pro" } ] },
 *     { "field": "engagement", "event": "opened", "withinDays": 30 },
 *     { "field": "engagement", "event": "clicked", "withinDays": 30, "negate": true } ] }
 * ```
 *
 * Groups: `{ op: 'and' | 'or', rules: [...] }`, nested at most `FILTER_LIMITS.depth` deep (the root
 * counts as 1) with at most `FILTER_LIMITS.conditions` conditions in the whole tree. A group with no
 * rules adds no condition, so an absent, null or empty filter matches every contact of the brand.
 *
 * Conditions (`field` says which kind):
 * - `tags`: `op` any | all | none of the tag ids in `value` (ids of this brand's tags).
 * - `status` (subscribed, unsubscribed, non-subscribed, bounced, complained) and `validation`
 *   (valid, invalid, risky, unknown): `op` is | is_not with one value, in | not_in with a list.
 * - contact fields (`CONTACT_FIELDS`) and custom fields (`custom.<key>`), by field type:
 *   - string: is, is_not, contains, starts_with (case-insensitive: every letter on PostgreSQL, ASCII
 *     letters on SQLite), is_set, is_empty
 *   - number: is, is_not, gt, lt, between [min, max] (inclusive), is_set, is_empty
 *   - boolean: is, is_not (value true or false), is_set, is_empty
 *   - date: before, after, between [from, to] (inclusive), in_last / not_in_last
 *     `{ amount, unit: days | weeks | months }` (relative to now), is_set, is_empty.
 *     A date value is `YYYY-MM-DD` (that whole day, UTC) or an ISO 8601 date-time (that instant).
 *   is_set means a non-empty value; is_empty means missing, null or ''.
 * - `engagement`: contacts with at least `atLeast` (default 1) events of type `event`, optionally
 *   only for one `campaignId` and/or `seriesId`, and only in the last `withinDays` days;
 *   `negate: true` selects the contacts that do not have that.
 *
 * Every negative form (is_not, not_in, none, not_in_last, negate) is the exact complement of its
 * positive form within the brand: a contact with no value for a field *is not* "DE" and was
 * *not in the last* 30 days. That keeps "A" and "not A" adding up to everyone.
 */
import { z } from 'zod';
import { CONTACT_STATUSES, VALIDATIONS } from '../model.ts';

export const FILTER_LIMITS = {
  /** Nesting depth of groups, the root included: deep enough for any builder UI, shallow enough for the planner. */
  depth: 5,
  /** Conditions in the whole tree. */
  conditions: 100,
  /** Values in one list (tag ids, statuses). */
  list: 100,
  /** Length of one text value. */
  text: 500,
  /** Longest look-back for relative dates and engagement windows, in days (10 years). */
  days: 3650,
} as const;

/** Built-in contact columns a filter can compare, with their value types (snake_case, as stored). */
export const CONTACT_FIELDS = {
  email: 'string',
  first_name: 'string',
  last_name: 'string',
  phone: 'string',
  country: 'string',
  language: 'string',
  time_zone: 'string',
  created_at: 'date',
  updated_at: 'date',
  consent_at: 'date',
} as const satisfies Record<string, FieldType>;
export type ContactFieldName = keyof typeof CONTACT_FIELDS;

export type FieldType = 'string' | 'number' | 'boolean' | 'date';
export const CUSTOM_PREFIX = 'custom.';

export const ENGAGEMENT_EVENTS = ['received', 'opened', 'clicked', 'bounced', 'unsubscribed', 'complained'] as const;
export type EngagementEvent = (typeof ENGAGEMENT_EVENTS)[number];

export const TIME_UNITS = ['days', 'weeks', 'months'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

/** Which operators each field type accepts; the compiler checks conditions against this table. */
export const OPS_BY_TYPE: Record<FieldType, readonly FieldOp[]> = {
  string: ['is', 'is_not', 'contains', 'starts_with', 'is_set', 'is_empty'],
  number: ['is', 'is_not', 'gt', 'lt', 'between', 'is_set', 'is_empty'],
  boolean: ['is', 'is_not', 'is_set', 'is_empty'],
  date: ['before', 'after', 'between', 'in_last', 'not_in_last', 'is_set', 'is_empty'],
};

// ---- types ------------------------------------------------------------------------------------

export interface Group {
  op: 'and' | 'or';
  rules: Rule[];
}
export type Rule = Group | Condition;
export type Condition = TagsCondition | EnumCondition | FieldCondition | EngagementCondition;

export interface TagsCondition {
  field: 'tags';
  op: 'any' | 'all' | 'none';
  value: string[];
}

export type EnumCondition =
  | { field: 'status' | 'validation'; op: 'is' | 'is_not'; value: string }
  | { field: 'status' | 'validation'; op: 'in' | 'not_in'; value: string[] };

export type DateValue = string;
export interface RelativeDate {
  amount: number;
  unit: TimeUnit;
}

export type FieldCondition =
  | { field: string; op: 'is' | 'is_not'; value: string | number | boolean }
  | { field: string; op: 'contains' | 'starts_with'; value: string }
  | { field: string; op: 'gt' | 'lt'; value: number }
  | { field: string; op: 'between'; value: [number, number] | [DateValue, DateValue] }
  | { field: string; op: 'is_set' | 'is_empty' }
  | { field: string; op: 'in_last' | 'not_in_last'; value: RelativeDate }
  | { field: string; op: 'before' | 'after'; value: DateValue };
export type FieldOp = FieldCondition['op'];

export interface EngagementCondition {
  field: 'engagement';
  event: EngagementEvent;
  campaignId?: string;
  seriesId?: string;
  withinDays?: number;
  atLeast?: number;
  negate?: boolean;
}

/** The stored form: always a group (an absent filter is stored as the empty AND group). */
export type SegmentFilter = Group;
export const EVERYONE: SegmentFilter = { op: 'and', rules: [] };

export const isGroup = (rule: Rule): rule is Group => 'rules' in rule;

// ---- schemas ----------------------------------------------------------------------------------

const oneOf = (values: readonly string[]) => ({ error: `must be one of ${values.join(', ')}` });

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const dateValue = z.string().refine(
  (v) => (ISO_DATE.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)) || (ISO_DATE_TIME.test(v) && !Number.isNaN(Date.parse(v))),
  'must be a date (YYYY-MM-DD) or an ISO 8601 date-time with a zone (2026-03-01T09:30:00Z)',
);
const text = z.string({ error: 'must be a string' }).max(FILTER_LIMITS.text);
const number = z.number({ error: 'must be a number' }).finite();
const list = <T extends z.ZodType>(item: T) => z.array(item).min(1, 'needs at least one value').max(FILTER_LIMITS.list);

const TagsConditionSchema = z.strictObject({
  field: z.literal('tags'),
  op: z.enum(['any', 'all', 'none'], oneOf(['any', 'all', 'none'])),
  value: list(z.string().min(1).max(100)),
});

const enumConditionSchema = (field: 'status' | 'validation', values: readonly string[]) => {
  const value = z.enum(values as [string, ...string[]], oneOf(values));
  return z.discriminatedUnion(
    'op',
    [
      z.strictObject({ field: z.literal(field), op: z.enum(['is', 'is_not']), value }),
      z.strictObject({ field: z.literal(field), op: z.enum(['in', 'not_in']), value: list(value) }),
    ],
    oneOf(['is', 'is_not', 'in', 'not_in']),
  );
};

const fieldName = z.string().refine((f) => f in CONTACT_FIELDS || f.startsWith(CUSTOM_PREFIX), {
  error: `must be tags, status, validation, engagement, a contact field (${Object.keys(CONTACT_FIELDS).join(', ')}) or custom.<key>`,
});

const FieldConditionSchema = z.discriminatedUnion(
  'op',
  [
    z.strictObject({ field: fieldName, op: z.enum(['is', 'is_not']), value: z.union([text, number, z.boolean()], { error: 'must be a string, number or boolean' }) }),
    z.strictObject({ field: fieldName, op: z.enum(['contains', 'starts_with']), value: text.min(1, 'must not be empty') }),
    z.strictObject({ field: fieldName, op: z.enum(['gt', 'lt']), value: number }),
    z.strictObject({
      field: fieldName,
      op: z.literal('between'),
      value: z.union([z.tuple([number, number]), z.tuple([dateValue, dateValue])], { error: 'must be [min, max]: two numbers or two dates' }),
    }),
    z.strictObject({ field: fieldName, op: z.enum(['is_set', 'is_empty']) }),
    z.strictObject({
      field: fieldName,
      op: z.enum(['in_last', 'not_in_last']),
      value: z.strictObject({ amount: z.int().min(1).max(FILTER_LIMITS.days), unit: z.enum(TIME_UNITS, oneOf(TIME_UNITS)) }),
    }),
    z.strictObject({ field: fieldName, op: z.enum(['before', 'after']), value: dateValue }),
  ],
  oneOf([...new Set(Object.values(OPS_BY_TYPE).flat())]),
);

const EngagementConditionSchema = z.strictObject({
  field: z.literal('engagement'),
  event: z.enum(ENGAGEMENT_EVENTS, oneOf(ENGAGEMENT_EVENTS)),
  campaignId: z.string().min(1).max(100).optional(),
  seriesId: z.string().min(1).max(100).optional(),
  withinDays: z.int().min(1).max(FILTER_LIMITS.days).optional(),
  atLeast: z.int().min(1).max(10_000).optional(),
  negate: z.boolean().optional(),
});

const CONDITION_SCHEMAS: Record<string, z.ZodType> = {
  tags: TagsConditionSchema,
  status: enumConditionSchema('status', CONTACT_STATUSES),
  validation: enumConditionSchema('validation', VALIDATIONS),
  engagement: EngagementConditionSchema,
};

/**
 * A rule is a group or a condition. Choosing the schema by `field` (instead of a zod union) keeps
 * error messages precise: "rules.2.op: must be one of any, all, none" rather than "invalid input".
 */
const RuleSchema: z.ZodType<Rule> = z.unknown().transform((value, ctx) => {
  const r = schemaForRule(value).safeParse(value);
  if (r.success) return r.data as Rule;
  for (const issue of r.error.issues) ctx.addIssue({ ...(issue as any) });
  return z.NEVER;
});

function schemaForRule(value: unknown): z.ZodType {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return z.object({}, { error: 'must be a group {op, rules} or a condition {field, op, …}' });
  if (!('field' in value)) return GroupSchema;
  const field = (value as { field: unknown }).field;
  return (typeof field === 'string' && CONDITION_SCHEMAS[field]) || FieldConditionSchema;
}

const GroupSchema: z.ZodType<Group> = z.strictObject({
  op: z.enum(['and', 'or'], oneOf(['and', 'or'])),
  rules: z.array(RuleSchema, { error: 'must be a list of rules' }),
});

/**
 * The filter as a caller gives it: null or absent means everyone. Depth and size are checked on the
 * raw JSON before the schema walks it, so a hostile, deeply nested body cannot exhaust the stack.
 */
export const SegmentFilterSchema: z.ZodType<SegmentFilter, unknown> = z.unknown().transform((raw, ctx) => {
  if (raw === null || raw === undefined) return EVERYONE;
  const tooBig = sizeIssue(raw);
  if (tooBig) {
    ctx.addIssue({ code: 'custom', ...tooBig });
    return z.NEVER;
  }
  const r = GroupSchema.safeParse(raw);
  if (r.success) return r.data;
  for (const issue of r.error.issues) ctx.addIssue({ ...(issue as any) });
  return z.NEVER;
});

function sizeIssue(root: unknown): { path: (string | number)[]; message: string } | null {
  let conditions = 0;
  const walk = (node: unknown, depth: number, path: (string | number)[]): { path: (string | number)[]; message: string } | null => {
    const rules = typeof node === 'object' && node !== null && !('field' in node) ? (node as { rules?: unknown }).rules : undefined;
    if (!Array.isArray(rules)) {
      conditions++;
      return null;
    }
    if (depth > FILTER_LIMITS.depth) return { path, message: `groups nest too deep (at most ${FILTER_LIMITS.depth} levels)` };
    for (let i = 0; i < rules.length; i++) {
      const found = walk(rules[i], depth + 1, [...path, 'rules', i]);
      if (found) return found;
      if (conditions > FILTER_LIMITS.conditions) return { path: [], message: `has more than ${FILTER_LIMITS.conditions} conditions` };
    }
    return null;
  };
  return walk(root, 1, []);
}

export const SegmentInput = z.strictObject({
  name: z.string({ error: 'is required' }).trim().min(1, 'is required').max(120),
  description: z.string().max(2000).optional(),
  filter: SegmentFilterSchema.optional().transform((f) => f ?? EVERYONE),
});
export type SegmentInput = z.infer<typeof SegmentInput>;

export const SegmentPatch = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(120).optional(),
  description: z.string().max(2000).optional(),
  filter: SegmentFilterSchema.optional(),
});
export type SegmentPatch = z.infer<typeof SegmentPatch>;

export interface Segment {
  id: string;
  name: string;
  description: string;
  filter: SegmentFilter;
  createdAt: string;
  updatedAt: string;
}

/** What a preview shows of each matching contact. */
export interface SegmentContact {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  status: string;
  country: string | null;
  createdAt: string;
}

export const PREVIEW_MAX = 100;
