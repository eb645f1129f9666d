/**
 * The segment builder's knowledge of the filter language (src/audience/segments/model.ts): which
 * fields exist, which operators each accepts, what a fresh condition looks like, and which
 * conditions are complete enough to count. Pure functions over the server's own filter types.
 */
import type { Condition, ContactFieldName, CustomFieldDef, EngagementEvent, FieldOp, FieldType, Group, Rule, TimeUnit } from '../../../api.ts';

export type { EngagementEvent, TimeUnit };

/** Keyed by the server's field names, so a built-in field added there must be labelled here. */
export const PROFILE_FIELDS: Record<ContactFieldName, { label: string; type: FieldType }> = {
  email: { label: 'Email', type: 'string' },
  first_name: { label: 'First name', type: 'string' },
  last_name: { label: 'Last name', type: 'string' },
  phone: { label: 'Phone', type: 'string' },
  country: { label: 'Country', type: 'string' },
  language: { label: 'Language', type: 'string' },
  time_zone: { label: 'Time zone', type: 'string' },
  created_at: { label: 'Added', type: 'date' },
  updated_at: { label: 'Last updated', type: 'date' },
  consent_at: { label: 'Consent time', type: 'date' },
};

export const OPS_BY_TYPE: Record<FieldType, FieldOp[]> = {
  string: ['is', 'is_not', 'contains', 'starts_with', 'is_set', 'is_empty'],
  number: ['is', 'is_not', 'gt', 'lt', 'between', 'is_set', 'is_empty'],
  boolean: ['is', 'is_not', 'is_set', 'is_empty'],
  date: ['before', 'after', 'between', 'in_last', 'not_in_last', 'is_set', 'is_empty'],
};

export const OP_LABELS: Record<string, string> = {
  is: 'is',
  is_not: 'is not',
  contains: 'contains',
  starts_with: 'starts with',
  is_set: 'is set',
  is_empty: 'is empty',
  gt: 'is greater than',
  lt: 'is less than',
  between: 'is between',
  before: 'is before',
  after: 'is after',
  in_last: 'is in the last',
  not_in_last: 'is not in the last',
  any: 'has any of',
  all: 'has all of',
  none: 'has none of',
  in: 'is any of',
  not_in: 'is none of',
};

export const ENGAGEMENT_LABELS: Record<EngagementEvent, string> = {
  received: 'received an email',
  opened: 'opened an email',
  clicked: 'clicked a link',
  bounced: 'bounced',
  unsubscribed: 'unsubscribed',
  complained: 'complained',
};

export const TIME_UNIT_LABELS: Record<TimeUnit, string> = { days: 'days', weeks: 'weeks', months: 'months' };

/** What the field select offers, grouped; custom fields come from the brand's definitions. */
export function fieldOptions(custom: CustomFieldDef[]) {
  return [
    {
      group: 'Contact',
      items: [
        { value: 'status', label: 'Status' },
        { value: 'tags', label: 'Tags' },
        { value: 'validation', label: 'Address validation' },
        { value: 'engagement', label: 'Engagement' },
      ],
    },
    { group: 'Profile', items: Object.entries(PROFILE_FIELDS).map(([value, f]) => ({ value, label: f.label })) },
    ...(custom.length ? [{ group: 'Custom fields', items: custom.map((f) => ({ value: `custom.${f.key}`, label: f.label })) }] : []),
  ];
}

/** The value type of a field for comparisons; null for the special fields (tags, status, …). */
export function typeOf(field: string, custom: CustomFieldDef[]): FieldType | null {
  if (field in PROFILE_FIELDS) return PROFILE_FIELDS[field as ContactFieldName].type;
  if (field.startsWith('custom.')) return custom.find((f) => f.key === field.slice(7))?.type ?? 'string';
  return null;
}

export function opsFor(field: string, custom: CustomFieldDef[]): string[] {
  if (field === 'tags') return ['any', 'all', 'none'];
  if (field === 'status' || field === 'validation') return ['is', 'is_not', 'in', 'not_in'];
  if (field === 'engagement') return [];
  return OPS_BY_TYPE[typeOf(field, custom) ?? 'string'];
}

/** A fresh condition for a field, with its first operator and an empty value. */
export function newCondition(field: string, custom: CustomFieldDef[]): Condition {
  if (field === 'engagement') return { field: 'engagement', event: 'opened', withinDays: 30 };
  if (field === 'tags') return { field: 'tags', op: 'any', value: [] };
  if (field === 'status') return { field: 'status', op: 'is', value: 'subscribed' };
  if (field === 'validation') return { field: 'validation', op: 'is', value: 'valid' };
  return withOp({ field, op: 'is' } as Condition, opsFor(field, custom)[0], custom);
}

/** The condition with another operator; the value is kept when it still fits, else reset. */
export function withOp(c: Condition, op: string, custom: CustomFieldDef[]): Condition {
  const field = c.field;
  const value = 'value' in c ? c.value : undefined;
  if (field === 'status' || field === 'validation') {
    const list = Array.isArray(value) ? value : value ? [value] : [];
    return (op === 'in' || op === 'not_in' ? { field, op, value: list } : { field, op, value: list[0] ?? '' }) as Condition;
  }
  if (field === 'tags') return { field, op: op as 'any', value: Array.isArray(value) ? (value as string[]) : [] };
  const type = typeOf(field, custom) ?? 'string';
  switch (op) {
    case 'is_set':
    case 'is_empty':
      return { field, op } as Condition;
    case 'between':
      return { field, op, value: Array.isArray(value) ? value : type === 'number' ? [0, 0] : ['', ''] } as Condition;
    case 'in_last':
    case 'not_in_last':
      return { field, op, value: value && typeof value === 'object' && 'amount' in value ? value : { amount: 30, unit: 'days' } } as Condition;
    default: {
      const scalar = Array.isArray(value) || (value !== null && typeof value === 'object') ? undefined : value;
      const fallback = type === 'boolean' ? true : type === 'number' ? 0 : '';
      return { field, op, value: scalar ?? fallback } as Condition;
    }
  }
}

const filled = (v: unknown) => v !== '' && v !== null && v !== undefined && !(typeof v === 'number' && !Number.isFinite(v));

/** Whether a condition has every value it needs; incomplete ones are left out of the live count. */
export function isComplete(c: Condition): boolean {
  if (c.field === 'engagement') return true;
  if (!('value' in c)) return true;
  const v = c.value as unknown;
  if (Array.isArray(v)) return v.length > 0 && v.every(filled);
  if (v && typeof v === 'object') return (v as { amount: number }).amount >= 1;
  return filled(v);
}

/** The filter with incomplete conditions (and groups left empty by that) removed. */
export function completePart(group: Group): Group {
  const rules: Rule[] = [];
  for (const r of group.rules) {
    if ('rules' in r) {
      const inner = completePart(r);
      if (inner.rules.length > 0) rules.push(inner);
    } else if (isComplete(r)) rules.push(r);
  }
  return { op: group.op, rules };
}

export function countIncomplete(group: Group): number {
  return group.rules.reduce((n, r) => n + ('rules' in r ? countIncomplete(r) : isComplete(r) ? 0 : 1), 0);
}

export type RulePath = number[];

/** The server names a rule as "filter.rules.1.rules.0"; this is that prefix for a path. */
export const issuePrefix = (path: RulePath) => ['filter', ...path.flatMap((i) => ['rules', String(i)])].join('.');

/** Issues that belong to the rule itself (not to rules nested inside it). */
export function issuesAt(issues: Record<string, string>, path: RulePath): string[] {
  const prefix = issuePrefix(path);
  return Object.entries(issues)
    .filter(([field]) => field === prefix || (field.startsWith(`${prefix}.`) && !field.slice(prefix.length + 1).startsWith('rules.')))
    .map(([, message]) => message);
}

export function updateAt(group: Group, path: RulePath, change: (rule: Rule) => Rule | null): Group {
  const [head, ...rest] = path;
  const rules = group.rules.flatMap((r, i) => {
    if (i !== head) return [r];
    const next = rest.length === 0 ? change(r) : 'rules' in r ? updateAt(r, rest, change) : r;
    return next ? [next] : [];
  });
  return { ...group, rules };
}

export const MAX_DEPTH = 5;
