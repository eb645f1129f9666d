/**
 * Compiles a segment filter (model.ts) into SQL for SQLite or PostgreSQL. Pure: it takes plain
 * data (the tree, the brand's custom field types and tag ids, "now") and returns Kysely SQL; it
 * checks the tree against that data on the way and reports every problem with its path
 * (`filter.rules.1.value.0: unknown tag tag_x`).
 *
 * A condition is either a *row* test (status, validation, contact and custom fields) or a *sieve*:
 * membership, or not, in a set of contact ids (tags from contact_tags, engagement from events).
 * The tree is rendered twice, and tests run both against the same data:
 * - `where`, a condition on contacts, for previews and recipient pages: the planner can walk
 *   contacts in id order and stop at the page size. Sieves are `id IN (…)` (or `NOT IN` on SQLite,
 *   `NOT EXISTS` on PostgreSQL, which turns it into an anti-join where NOT IN cannot be one);
 * - `count`, where a whole AND group of sieves (plus, on SQLite, plain-column tests) is counted as
 *   set algebra: INTERSECT / EXCEPT of sorted id lists is about twice as fast as probing contacts
 *   once per member, and with no row tests the count never touches contacts (event and tag sets
 *   are brand-scoped by events.brand_id and by the brand's own tag ids). PostgreSQL keeps row tests
 *   in the WHERE: its parallel hash semi-join beats its single-threaded INTERSECT. Any other shape is
 *   counted with the `where` form. Measured at a million contacts in bench/segments.ts.
 * Other choices:
 * - row tests on plain columns come before JSON ones: SQLite tests a row's conditions in order;
 * - an OR with sieves on PostgreSQL becomes `id IN (a UNION b …)`: an IN under OR cannot be a
 *   semi-join, and as a subplan too big to hash it would rescan its list for every contact;
 * - "at least K events" with no time window means aggregating every event of that type, so when
 *   another sieve already narrows an AND group it is checked per candidate instead (a count on
 *   events_contact_idx);
 * - normalised columns (email lower-case, country upper-case ISO code) are compared exactly after
 *   normalising the value, so their indexes stay usable; other text compares case-insensitively.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { DateTime } from 'luxon';
import type { Dialect } from '../../store/db.ts';
import { validationError, type FieldIssue } from '../../shared/errors.ts';
import {
  CONTACT_FIELDS,
  CUSTOM_PREFIX,
  OPS_BY_TYPE,
  isGroup,
  type EngagementCondition,
  type EnumCondition,
  type FieldCondition,
  type FieldType,
  type Group,
  type RelativeDate,
  type Rule,
  type SegmentFilter,
  type TagsCondition,
} from './model.ts';

export interface CompileOptions {
  dialect: Dialect;
  brandId: string;
  /** Types of the brand's custom fields, key → type (at least those the filter names); any other key is an error. */
  customFields: Readonly<Record<string, FieldType>>;
  /** Ids of the brand's tags that the filter may name; any other id is an error. */
  tagIds: ReadonlySet<string>;
  /** Relative dates ("in the last 30 days") count back from this instant. */
  now: Date;
}

export interface CompiledFilter {
  /** Condition on the table `contacts` (brand included) selecting the matching contacts. */
  where: RawBuilder<SqlBool>;
  /** `SELECT count(*) AS n …`: how many contacts match, in the fastest shape for the dialect. */
  count: RawBuilder<{ n: number }>;
}

type Cond = RawBuilder<SqlBool>;
type Path = ReadonlyArray<string | number>;

/** A SELECT of one column, `id`, listing contact ids of the brand. */
interface IdSet {
  sql: RawBuilder<unknown>;
  /** A compound (INTERSECT/EXCEPT/UNION): must be wrapped to be an arm of another compound. */
  compound: boolean;
  /** No id twice (compounds, contacts selects, grouped events). */
  distinct: boolean;
}

/** A test on one contacts row; `json` ones (custom fields) cost more per row than plain columns. */
interface Row {
  kind: 'row';
  cond: Cond;
  cost: 'column' | 'json';
}
/** Membership (or with `negate`, non-membership) in a set of contact ids. */
interface Sieve {
  kind: 'sieve';
  set: IdSet;
  negate: boolean;
  /** A per-contact test for sets that are costly to list in full ("at least K events"). */
  probe?: Cond;
}
/** A group mixing rows and sieves (a group of rows only is folded into one Row). */
interface Mixed {
  kind: 'group';
  op: 'and' | 'or';
  parts: Part[];
}
type Part = Row | Sieve | Mixed;

/** Compiles `filter` for one brand; throws a validation error naming each bad path. */
export function compileFilter(filter: SegmentFilter, opts: CompileOptions): CompiledFilter {
  const compiler = new FilterCompiler(opts);
  const part = compiler.group(filter, ['filter']);
  if (compiler.issues.length > 0) throw validationError(compiler.issues);
  return compiler.finish(part);
}

/** The tag ids and custom field keys a filter names: what the caller must look up before compiling. */
export function referencesOf(filter: SegmentFilter): { tagIds: string[]; customKeys: string[] } {
  const tagIds = new Set<string>();
  const customKeys = new Set<string>();
  const walk = (rule: Rule) => {
    if (isGroup(rule)) rule.rules.forEach(walk);
    else if (rule.field === 'tags') (rule as TagsCondition).value.forEach((id) => tagIds.add(id));
    else if (rule.field.startsWith(CUSTOM_PREFIX)) customKeys.add(rule.field.slice(CUSTOM_PREFIX.length));
  };
  walk(filter);
  return { tagIds: [...tagIds], customKeys: [...customKeys] };
}

/** Escapes LIKE wildcards so a user's `%` or `_` matches itself (used with ESCAPE '\'). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Columns the contacts service stores normalised: comparing them exactly keeps their indexes usable. */
const NORMALISED_CASE: Partial<Record<string, (v: string) => string>> = {
  email: (v) => v.toLowerCase(),
  country: (v) => v.toUpperCase(),
};

interface ResolvedField {
  name: string;
  type: FieldType;
  /** The field's value as SQL, typed per `type` (custom values are extracted from `attributes`). */
  value: RawBuilder<unknown>;
  /** A built-in column (not JSON): comparisons may use indexes and need no type guards. */
  column: boolean;
}

/** A date value as the interval it names: a whole UTC day, or one instant. */
interface Interval {
  from: string;
  to: string;
  toInclusive: boolean;
}

const and = (conds: Cond[]) => (conds.length === 1 ? conds[0] : sql<SqlBool>`(${sql.join(conds, sql` and `)})`);
const or = (conds: Cond[]) => (conds.length === 1 ? conds[0] : sql<SqlBool>`(${sql.join(conds, sql` or `)})`);
const rowsOf = (parts: Part[]) => parts.filter((p): p is Row => p.kind === 'row');
const sievesOf = (parts: Part[]) => parts.filter((p): p is Sieve => p.kind === 'sieve');
/** Plain-column tests first: SQLite tests a row's conditions in the order written. */
const cheapFirst = (rows: Row[]) => [...rows].sort((a, b) => Number(a.cost === 'json') - Number(b.cost === 'json')).map((r) => r.cond);
/** A positive sieve listed cheaply: it narrows the candidates of its AND group. */
const narrows = (p: Part) => p.kind === 'sieve' && !p.negate && !p.probe;

class FilterCompiler {
  readonly issues: FieldIssue[] = [];
  private readonly brand: Cond;
  constructor(private opts: CompileOptions) {
    this.brand = sql<SqlBool>`${sql.ref('contacts.brand_id')} = ${opts.brandId}`;
  }

  private get pg() {
    return this.opts.dialect === 'postgres';
  }

  private fail(path: Path, message: string): null {
    this.issues.push({ field: path.join('.'), message });
    return null;
  }

  /** The top-level part as the two queries callers need. */
  finish(part: Part | null): CompiledFilter {
    const where = part ? sql<SqlBool>`${this.brand} and ${this.where(part)}` : this.brand;
    const set = part && this.asSet(part);
    const count = set
      ? sql<{ n: number }>`select ${set.distinct ? sql`count(*)` : sql`count(distinct id)`} as n from (${set.sql}) as matching`
      : sql<{ n: number }>`select count(*) as n from contacts where ${where}`;
    return { where, count };
  }

  group(group: Group, path: Path): Part | null {
    const parts = group.rules.map((rule, i) => this.rule(rule, [...path, 'rules', i])).filter((p): p is Part => p !== null);
    if (parts.length === 0) return null; // an empty group adds no condition
    if (parts.length === 1) return parts[0];
    const rows = rowsOf(parts);
    if (rows.length < parts.length) return { kind: 'group', op: group.op, parts };
    const cost = rows.some((r) => r.cost === 'json') ? 'json' : 'column';
    return { kind: 'row', cond: group.op === 'and' ? and(cheapFirst(rows)) : or(rows.map((r) => r.cond)), cost };
  }

  private rule(rule: Rule, path: Path): Part | null {
    if (isGroup(rule)) return this.group(rule, path);
    switch (rule.field) {
      case 'tags':
        return this.tags(rule as TagsCondition, path);
      case 'status':
      case 'validation':
        return { kind: 'row', cond: this.enumeration(rule as EnumCondition), cost: 'column' };
      case 'engagement':
        return this.engagement(rule as EngagementCondition);
      default: {
        const field = this.resolveField((rule as FieldCondition).field, path);
        const cond = field && this.field(field, rule as FieldCondition, path);
        return cond && { kind: 'row', cond, cost: field!.column ? 'column' : 'json' };
      }
    }
  }

  // ---- the WHERE form -------------------------------------------------------------------------

  private where(part: Part): Cond {
    switch (part.kind) {
      case 'row':
        return part.cond;
      case 'sieve':
        return part.negate ? this.notIn(part.set) : sql<SqlBool>`${sql.ref('contacts.id')} in (${part.set.sql})`;
      case 'group':
        if (part.op === 'or') return this.pg ? sql<SqlBool>`${sql.ref('contacts.id')} in (${this.union(part.parts).sql})` : or(part.parts.map((p) => this.where(p)));
        return this.andWhere(part.parts);
    }
  }

  private andWhere(parts: Part[]): Cond {
    const narrowed = parts.some(narrows);
    const rest = parts.filter((p) => p.kind !== 'row').map((p) => (p.kind === 'sieve' && p.probe && narrowed ? p.probe : this.where(p)));
    return and([...cheapFirst(rowsOf(parts)), ...rest]);
  }

  /** PostgreSQL cannot turn NOT IN (subquery) into an anti-join (NULL semantics); NOT EXISTS it can. */
  private notIn(set: IdSet): Cond {
    if (this.pg) return sql<SqlBool>`not exists (select 1 from (${set.sql}) as excluded where excluded.id = ${sql.ref('contacts.id')})`;
    return sql<SqlBool>`${sql.ref('contacts.id')} not in (${set.sql})`;
  }

  // ---- the set form ---------------------------------------------------------------------------

  /** The part as one id set when that is the faster way to count it, else null. */
  private asSet(part: Part): IdSet | null {
    if (part.kind === 'sieve' && !part.negate) return part.set;
    if (part.kind !== 'group' || part.op !== 'and' || part.parts.some((p) => p.kind === 'group')) return null;
    const rows = rowsOf(part.parts);
    const sieves = sievesOf(part.parts);
    const positive = sieves.filter((s) => !s.negate);
    if (positive.length === 0 || (sieves.some((s) => s.probe) && sieves.some(narrows))) return null; // then probes are cheaper
    if (rows.length > 0 && (this.pg || rows.some((r) => r.cost === 'json'))) return null;
    const arms = rows.length > 0 ? [this.contacts([this.brand, ...cheapFirst(rows)]), ...positive.map((s) => s.set)] : positive.map((s) => s.set);
    return this.compound(arms, 'intersect', sieves.filter((s) => s.negate).map((s) => s.set));
  }

  /** Any part as an id set, for the arms of a UNION. */
  private setOf(part: Part): IdSet {
    if (part.kind === 'row') return this.contacts([this.brand, part.cond]);
    if (part.kind === 'sieve') return part.negate ? this.compound([this.contacts([this.brand])], 'intersect', [part.set]) : part.set;
    return part.op === 'or' ? this.union(part.parts) : (this.asSet(part) ?? this.contacts([this.brand, this.andWhere(part.parts)]));
  }

  /** OR of parts: the row tests share one arm. */
  private union(parts: Part[]): IdSet {
    const rows = rowsOf(parts);
    const arms = parts.filter((p) => p.kind !== 'row').map((p) => this.setOf(p));
    return this.compound(rows.length > 0 ? [this.contacts([this.brand, or(rows.map((r) => r.cond))]), ...arms] : arms, 'union');
  }

  private contacts(conds: Cond[]): IdSet {
    return { sql: sql`select ${sql.ref('contacts.id')} as id from contacts where ${and(conds)}`, compound: false, distinct: true };
  }

  /** `a OP b … EXCEPT x …`; arms that are compounds themselves are wrapped, as SQLite cannot parenthesise them. */
  private compound(arms: IdSet[], op: 'intersect' | 'union', excepted: IdSet[] = []): IdSet {
    if (arms.length === 1 && excepted.length === 0) return arms[0];
    const arm = (s: IdSet) => (s.compound ? sql`select id from (${s.sql}) as arm` : s.sql);
    const joined = sql.join(arms.map(arm), sql.raw(` ${op} `));
    return { sql: excepted.length === 0 ? joined : sql`${joined} except ${sql.join(excepted.map(arm), sql` except `)}`, compound: true, distinct: true };
  }

  // ---- tags -----------------------------------------------------------------------------------

  private tags(rule: TagsCondition, path: Path): Sieve | null {
    const issuesBefore = this.issues.length;
    rule.value.forEach((id, i) => this.opts.tagIds.has(id) || this.fail([...path, 'value', i], `unknown tag ${id}`));
    if (this.issues.length > issuesBefore) return null;
    const ids = [...new Set(rule.value)];
    const tagged = (few: string[]): IdSet => ({ sql: sql`select contact_id as id from contact_tags where tag_id in (${sql.join(few)})`, compound: false, distinct: few.length === 1 });
    // Each tag's ids come sorted from contact_tags_tag_idx, so intersecting them is a merge.
    const set = rule.op === 'all' ? this.compound(ids.map((id) => tagged([id])), 'intersect') : tagged(ids);
    return { kind: 'sieve', set, negate: rule.op === 'none' };
  }

  // ---- status, validation ----------------------------------------------------------------------

  private enumeration(rule: EnumCondition): Cond {
    const column = sql.ref(`contacts.${rule.field}`);
    switch (rule.op) {
      case 'is':
        return sql<SqlBool>`${column} = ${rule.value}`;
      case 'is_not':
        return sql<SqlBool>`${column} <> ${rule.value}`;
      case 'in':
        return sql<SqlBool>`${column} in (${sql.join([...new Set(rule.value)])})`;
      case 'not_in':
        return sql<SqlBool>`${column} not in (${sql.join([...new Set(rule.value)])})`;
    }
  }

  // ---- engagement ------------------------------------------------------------------------------

  private engagement(rule: EngagementCondition): Sieve {
    // Apple's proxy fetching every image, a scanner following every link: not people engaging.
    // Only opens and clicks are ever machine, but every rule says so: the index of human events
    // (migration 013) then serves them all. A literal, not a parameter, or SQLite cannot use it.
    const which = [sql`events.type = ${rule.event}`, sql`events.machine = 0`];
    if (rule.campaignId !== undefined) which.push(sql`events.campaign_id = ${rule.campaignId}`);
    if (rule.seriesId !== undefined) which.push(sql`events.series_id = ${rule.seriesId}`);
    if (rule.withinDays !== undefined) which.push(sql`events.occurred_at >= ${this.ago({ amount: rule.withinDays, unit: 'days' })}`);
    const atLeast = rule.atLeast ?? 1;
    const inBrand = sql.join([sql`events.brand_id = ${this.opts.brandId}`, ...which], sql` and `);
    if (atLeast === 1) return { kind: 'sieve', set: { sql: sql`select events.contact_id as id from events where ${inBrand}`, compound: false, distinct: false }, negate: !!rule.negate };
    const set: IdSet = { sql: sql`select events.contact_id as id from events where ${inBrand} group by events.contact_id having count(*) >= ${atLeast}`, compound: false, distinct: true };
    // Without a window the set aggregates every such event of the brand; one contact's events are a short range of events_contact_idx.
    const perContact = sql`(select count(*) from events where events.contact_id = ${sql.ref('contacts.id')} and ${sql.join(which, sql` and `)})`;
    const probe = rule.withinDays === undefined ? (rule.negate ? sql<SqlBool>`${perContact} < ${atLeast}` : sql<SqlBool>`${perContact} >= ${atLeast}`) : undefined;
    return { kind: 'sieve', set, negate: !!rule.negate, probe };
  }

  // ---- contact and custom fields ---------------------------------------------------------------

  private field(field: ResolvedField, rule: FieldCondition, path: Path): Cond | null {
    if (!OPS_BY_TYPE[field.type].includes(rule.op)) {
      return this.fail([...path, 'op'], `${rule.op} does not apply to ${field.name}, a ${field.type} field (use ${OPS_BY_TYPE[field.type].join(', ')})`);
    }
    const valuePath = [...path, 'value'];
    switch (rule.op) {
      case 'is_set':
        return this.isSet(field);
      case 'is_empty':
        return notTrue(this.isSet(field));
      case 'is':
      case 'is_not': {
        const equal = this.equals(field, rule.value, valuePath);
        return equal && (rule.op === 'is' ? equal : notTrue(equal));
      }
      case 'contains':
      case 'starts_with': {
        const pattern = `${rule.op === 'contains' ? '%' : ''}${escapeLike(rule.value)}%`;
        if (!this.pg) return sql<SqlBool>`${field.value} like ${pattern} escape '\\'`; // SQLite's LIKE ignores ASCII case
        // On PostgreSQL, lower() + LIKE is about a third faster than ILIKE, and a normalised column needs neither.
        const normalise = field.column ? NORMALISED_CASE[field.name] : undefined;
        if (normalise) return sql<SqlBool>`${field.value} like ${normalise(pattern)} escape '\\'`;
        return sql<SqlBool>`lower(${field.value}) like lower(${pattern}) escape '\\'`;
      }
      case 'gt':
        return sql<SqlBool>`${field.value} > ${rule.value}`;
      case 'lt':
        return sql<SqlBool>`${field.value} < ${rule.value}`;
      case 'between':
        return this.between(field, rule.value, valuePath);
      case 'before':
        return sql<SqlBool>`${this.dateValue(field)} < ${interval(rule.value).from}`;
      case 'after': {
        const i = interval(rule.value);
        return i.toInclusive ? sql<SqlBool>`${this.dateValue(field)} > ${i.to}` : sql<SqlBool>`${this.dateValue(field)} >= ${i.to}`;
      }
      case 'in_last':
      case 'not_in_last': {
        const now = this.opts.now.toISOString();
        const recent = sql<SqlBool>`(${this.dateValue(field)} >= ${this.ago(rule.value)} and ${this.dateValue(field)} <= ${now})`;
        return rule.op === 'in_last' ? recent : notTrue(recent);
      }
    }
  }

  private resolveField(name: string, path: Path): ResolvedField | null {
    if (name in CONTACT_FIELDS) {
      return { name, type: CONTACT_FIELDS[name as keyof typeof CONTACT_FIELDS], value: sql.ref(`contacts.${name}`), column: true };
    }
    const key = name.slice(CUSTOM_PREFIX.length);
    const type = this.opts.customFields[key];
    if (!type) return this.fail([...path, 'field'], `unknown custom field ${key}`);
    return { name, type, value: this.customValue(key, type), column: false };
  }

  /**
   * A custom value out of `attributes`, typed the same way on both dialects: numbers only when the
   * JSON value is a number (a stray string must not compare as one), booleans as the JSON type
   * ('true'/'false'; a string "true" reads '"true"' or 'text'), dates as text (ISO dates or instants).
   */
  private customValue(key: string, type: FieldType): RawBuilder<unknown> {
    const attributes = sql.ref('contacts.attributes');
    if (!this.pg) {
      const path = `$."${key}"`;
      if (type === 'number') return sql`(case when json_type(${attributes}, ${path}) in ('integer', 'real') then json_extract(${attributes}, ${path}) end)`;
      if (type === 'boolean') return sql`json_type(${attributes}, ${path})`;
      return sql`json_extract(${attributes}, ${path})`;
    }
    if (type === 'number') return sql`(case when jsonb_typeof(${attributes} -> ${key}::text) = 'number' then (${attributes} ->> ${key}::text)::numeric end)`;
    if (type === 'boolean') return sql`(${attributes} -> ${key}::text)::text`;
    return sql`(${attributes} ->> ${key}::text)`;
  }

  /**
   * Dates as comparable values: built-in columns as they are (ISO text on SQLite, timestamptz on
   * PostgreSQL, both compared with ISO instants); custom dates as ISO text with a date-only value
   * widened to its midnight, compared byte-wise.
   */
  private dateValue(field: ResolvedField): RawBuilder<unknown> {
    if (field.column) return field.value;
    const widened = sql`(${field.value} || substr('T00:00:00.000Z', length(${field.value}) - 9))`;
    return this.pg ? sql`${widened} collate "C"` : widened;
  }

  private isSet(field: ResolvedField): Cond {
    if (field.type === 'string') return sql<SqlBool>`(${field.value} is not null and ${field.value} <> '')`;
    if (field.type === 'boolean') return sql<SqlBool>`${field.value} in ('true', 'false')`;
    return sql<SqlBool>`${field.value} is not null`;
  }

  private equals(field: ResolvedField, value: string | number | boolean, path: Path): Cond | null {
    if (typeof value !== field.type) return this.fail(path, `must be a ${field.type} (${field.name} is a ${field.type} field)`);
    if (field.type === 'boolean') return sql<SqlBool>`${field.value} = ${String(value)}`;
    if (field.type === 'number') return sql<SqlBool>`${field.value} = ${value}`;
    const normalise = field.column ? NORMALISED_CASE[field.name] : undefined;
    if (normalise) return sql<SqlBool>`${field.value} = ${normalise((value as string).trim())}`;
    return sql<SqlBool>`lower(${field.value}) = lower(${value})`;
  }

  private between(field: ResolvedField, [min, max]: [number, number] | [string, string], path: Path): Cond | null {
    if (field.type === 'number') {
      if (typeof min !== 'number') return this.fail(path, `must be two numbers (${field.name} is a number field)`);
      if (min > (max as number)) return this.fail(path, 'the first value must not be greater than the second');
      return sql<SqlBool>`${field.value} between ${min} and ${max}`;
    }
    if (typeof min !== 'string') return this.fail(path, `must be two dates (${field.name} is a date field)`);
    const from = interval(min);
    const to = interval(max as string);
    if (from.from > to.from) return this.fail(path, 'the first date must not be after the second');
    const value = this.dateValue(field);
    return sql<SqlBool>`(${value} >= ${from.from} and ${value} ${sql.raw(to.toInclusive ? '<=' : '<')} ${to.to})`;
  }

  /** The instant `amount` units before now; months are calendar months (Mar 31 − 1 month = Feb 28/29). */
  private ago(span: RelativeDate): string {
    return DateTime.fromJSDate(this.opts.now, { zone: 'utc' }).minus({ [span.unit]: span.amount }).toJSDate().toISOString();
  }
}

/** The complement of a condition, counting NULL (no value) as "not matching". */
function notTrue(cond: Cond): Cond {
  return sql<SqlBool>`(${cond}) is not true`;
}

function interval(value: string): Interval {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const from = `${value}T00:00:00.000Z`;
    const next = new Date(from);
    next.setUTCDate(next.getUTCDate() + 1);
    return { from, to: next.toISOString(), toInclusive: false };
  }
  const at = new Date(value).toISOString();
  return { from: at, to: at, toInclusive: true };
}
