import { createRequire } from 'node:module';
import { domainToASCII } from 'node:url';
import dns from 'node:dns/promises';
import { CONTACT_STATUSES, LIMITS, type ContactStatus, type FieldType, type FieldValue, type Validation } from './model.ts';

/**
 * The one place contact values are cleaned and checked, used by the API (one contact) and by
 * import (a million rows), so it is written for speed: no schema library per row, caches for the
 * few distinct values of country, language and time zone.
 */

export interface RawContact {
  email?: unknown;
  firstName?: unknown;
  lastName?: unknown;
  phone?: unknown;
  country?: unknown;
  language?: unknown;
  timeZone?: unknown;
  status?: unknown;
  consentSource?: unknown;
  consentAt?: unknown;
  fields?: Record<string, unknown> | null;
}

/** Column values ready for the contacts table (snake_case), with `attributes` as an object. */
export interface NormalisedContact {
  email: string;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  country: string | null;
  language: string | null;
  time_zone: string | null;
  status: ContactStatus | null; // null: not given (the caller applies its default)
  consent_source: string | null;
  consent_at: string | null;
  validation: Validation;
  validation_reason: string | null;
  attributes: Record<string, FieldValue>;
}

export interface Issue {
  field: string;
  message: string;
}

export interface NormaliseOptions {
  /** The brand's custom fields, key → type. */
  fields: ReadonlyMap<string, FieldType>;
  /** Only values present in the input are returned for a partial update (PATCH). */
  partial?: boolean;
}

export type NormaliseResult = { ok: true; contact: NormalisedContact; present: Set<string> } | { ok: false; issues: Issue[] };

// Practical RFC 5322 subset that real mailbox providers accept: dot-atom local part, dotted domain
// with a TLD of letters (or punycode). Quoted local parts are rejected on purpose: no ESP sends to them.
const EMAIL_RE = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export function normaliseEmail(value: unknown): { email: string } | { error: string } {
  if (typeof value !== 'string' || value.trim() === '') return { error: 'is required' };
  let email = value.trim().toLowerCase();
  // Strip a display-name wrapper people paste from mail clients: "Ann <ann@x.com>".
  const angle = email.endsWith('>') ? /<([^<>]+)>$/.exec(email) : null;
  if (angle) email = angle[1].trim();
  const at = email.lastIndexOf('@');
  if (at > 0 && /[^\x00-\x7f]/.test(email.slice(at + 1))) {
    const ascii = domainToASCII(email.slice(at + 1));
    if (ascii) email = email.slice(0, at + 1) + ascii;
  }
  if (email.length > LIMITS.email) return { error: `is longer than ${LIMITS.email} characters` };
  if (!EMAIL_RE.test(email) || email.indexOf('@') > 64) return { error: `"${clip(String(value))}" is not a valid email address` };
  return { email };
}

let disposable: Set<string> | null = null;
function disposableDomains(): Set<string> {
  if (!disposable) disposable = new Set(createRequire(import.meta.url)('disposable-email-domains') as string[]);
  return disposable;
}

/** Mailboxes that belong to a function, not a person: sending marketing to them risks complaints. */
const ROLE_LOCAL_PARTS = new Set([
  'abuse', 'admin', 'administrator', 'billing', 'compliance', 'devnull', 'dns', 'ftp', 'hostmaster', 'info',
  'inoc', 'ispfeedback', 'ispsupport', 'list', 'list-request', 'mailer-daemon', 'marketing', 'media', 'noc',
  'no-reply', 'noreply', 'null', 'office', 'phish', 'phishing', 'postmaster', 'privacy', 'registrar', 'root',
  'sales', 'security', 'spam', 'support', 'sysadmin', 'tech', 'undisclosed-recipients', 'unsubscribe',
  'usenet', 'uucp', 'webmaster', 'www', 'contact', 'help', 'team', 'jobs', 'careers', 'hr', 'legal', 'press',
]);

/** Offline checks only (syntax already passed): disposable domain, role address. */
export function classifyEmail(email: string): { validation: Validation; reason: string | null } {
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1);
  if (disposableDomains().has(domain)) return { validation: 'risky', reason: 'disposable domain' };
  // The mailbox without a +tag ("info+news@" is still info@).
  const plus = email.indexOf('+');
  if (ROLE_LOCAL_PARTS.has(email.slice(0, plus >= 0 && plus < at ? plus : at))) return { validation: 'risky', reason: 'role address' };
  return { validation: 'valid', reason: null };
}

export type MxResolver = (domain: string) => Promise<Array<{ exchange: string }>>;

/**
 * Online check, only when TIDINGS_MX_LOOKUP is on. A domain with no MX (and no A fallback per
 * RFC 5321 §5.1 is not tried: marketing mail to such domains bounces in practice) is invalid; DNS
 * failures other than "no such record" leave the flag unchanged rather than guessing.
 */
export async function checkMx(email: string, resolve: MxResolver = dns.resolveMx): Promise<{ validation: Validation; reason: string } | null> {
  const domain = email.slice(email.lastIndexOf('@') + 1);
  try {
    const mx = await resolve(domain);
    const usable = mx.filter((r) => r.exchange && r.exchange !== '.');
    return usable.length === 0 ? { validation: 'invalid', reason: 'no MX record' } : null;
  } catch (err: any) {
    if (err?.code === 'ENOTFOUND' || err?.code === 'ENODATA') return { validation: 'invalid', reason: 'no MX record' };
    return null;
  }
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
let countryByName: Map<string, string> | null = null;
function countryIndex(): Map<string, string> {
  if (countryByName) return countryByName;
  countryByName = new Map();
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const name = regionNames.of(code);
      // DisplayNames echoes unknown codes back; "ZZ"/"EU"/"UN" are not countries.
      if (name && name !== code && !['EU', 'EZ', 'UN', 'ZZ', 'QO', 'XA', 'XB'].includes(code)) {
        countryByName.set(code, code);
        countryByName.set(name.toLowerCase(), code);
      }
    }
  }
  for (const [alias, code] of [['usa', 'US'], ['uk', 'GB'], ['united states of america', 'US'], ['great britain', 'GB'], ['england', 'GB'], ['deutschland', 'DE'], ['españa', 'ES'], ['holland', 'NL']] as const) countryByName.set(alias, code);
  return countryByName;
}

export function normaliseCountry(value: string): string | null {
  const v = value.trim();
  const idx = countryIndex();
  return idx.get(v.length === 2 ? v.toUpperCase() : v.toLowerCase()) ?? null;
}

const languageCache = new Map<string, string | null>();
export function normaliseLanguage(value: string): string | null {
  const v = value.trim().replace(/_/g, '-');
  let hit = languageCache.get(v);
  if (hit !== undefined) return hit;
  try {
    hit = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/.test(v) ? Intl.getCanonicalLocales(v)[0] ?? null : null;
  } catch {
    hit = null;
  }
  if (languageCache.size < 10_000) languageCache.set(v, hit);
  return hit;
}

const zoneCache = new Map<string, string | null>();
export function normaliseTimeZone(value: string): string | null {
  const v = value.trim();
  let hit = zoneCache.get(v);
  if (hit !== undefined) return hit;
  try {
    hit = new Intl.DateTimeFormat('en', { timeZone: v }).resolvedOptions().timeZone;
  } catch {
    hit = null;
  }
  if (zoneCache.size < 10_000) zoneCache.set(v, hit);
  return hit;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written at v[from, from + length) in ASCII digits. */
function digits(v: string, from: number, length: number): number {
  let n = 0;
  for (let i = from; i < from + length; i++) n = n * 10 + v.charCodeAt(i) - 48;
  return n;
}

/** YYYY-MM-DD names a day of the (proleptic Gregorian) calendar, as Date counts them: no 2026-02-30. Runs per imported date cell, so no Date object. */
function isCalendarDate(v: string): boolean {
  const year = digits(v, 0, 4);
  const month = digits(v, 5, 2);
  const day = digits(v, 8, 2);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}

/** Dates: ISO 8601 (date or date-time), or anything Date parses unambiguously as ISO-like. */
export function normaliseDate(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  if (typeof value !== 'string') return null;
  const v = value.trim();
  if (DATE_ONLY.test(v)) return isCalendarDate(v) ? v : null;
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(v)) return null;
  const d = new Date(v.replace(' ', 'T'));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

const TRUE = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE = new Set(['false', 'no', 'n', '0', 'off']);

/** Coerces one custom field value to its declared type; '' and null clear the field. */
export function coerceField(type: FieldType, value: unknown): { value: FieldValue } | { error: string } {
  if (value === null || value === undefined || value === '') return { value: null };
  switch (type) {
    case 'string': {
      const s = typeof value === 'string' ? value : String(value);
      return s.length > LIMITS.customString ? { error: `is longer than ${LIMITS.customString} characters` } : { value: s };
    }
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
      return Number.isFinite(n) ? { value: n } : { error: `expected a number, got "${clip(String(value))}"` };
    }
    case 'boolean': {
      if (typeof value === 'boolean') return { value };
      const s = String(value).trim().toLowerCase();
      if (TRUE.has(s)) return { value: true };
      if (FALSE.has(s)) return { value: false };
      return { error: `expected true or false, got "${clip(String(value))}"` };
    }
    case 'date': {
      const d = normaliseDate(value);
      return d ? { value: d } : { error: `expected a date (YYYY-MM-DD or ISO 8601), got "${clip(String(value))}"` };
    }
  }
}

function text(value: unknown, field: string, max: number, issues: Issue[]): string | null {
  if (value === null || value === undefined) return null;
  const s = (typeof value === 'string' ? value : String(value)).trim();
  if (s === '') return null;
  if (s.length > max) {
    issues.push({ field, message: `is longer than ${max} characters` });
    return null;
  }
  // Control characters in names end up in headers and CSV exports; drop them.
  return /[\x00-\x1f\x7f]/.test(s) ? s.replace(/[\x00-\x1f\x7f]/g, '') : s;
}

const STATUS_SET = new Set<string>(CONTACT_STATUSES);

/** The input has a value (maybe null) for `k`: remembered in `present` for a partial update. */
function given(raw: RawContact, k: keyof RawContact, present: Set<string>): boolean {
  if (raw[k] === undefined) return false;
  present.add(k);
  return true;
}

export function normaliseContact(raw: RawContact, opts: NormaliseOptions): NormaliseResult {
  const issues: Issue[] = [];
  const present = new Set<string>();

  let email = '';
  if (!opts.partial || given(raw, 'email', present)) {
    present.add('email');
    const e = normaliseEmail(raw.email);
    if ('error' in e) issues.push({ field: 'email', message: e.error });
    else email = e.email;
  }

  const firstName = given(raw, 'firstName', present) ? text(raw.firstName, 'firstName', LIMITS.name, issues) : null;
  const lastName = given(raw, 'lastName', present) ? text(raw.lastName, 'lastName', LIMITS.name, issues) : null;
  const consentSource = given(raw, 'consentSource', present) ? text(raw.consentSource, 'consentSource', LIMITS.consentSource, issues) : null;

  let phone: string | null = null;
  if (given(raw, 'phone', present)) {
    phone = text(raw.phone, 'phone', LIMITS.phone, issues);
    if (phone !== null && (!/^\+?[0-9 ().\-/]+$/.test(phone) || phone.replace(/\D/g, '').length < 5)) {
      issues.push({ field: 'phone', message: `"${clip(phone)}" is not a phone number` });
      phone = null;
    }
  }

  let country: string | null = null;
  if (given(raw, 'country', present)) {
    const c = text(raw.country, 'country', 100, issues);
    if (c !== null) {
      country = normaliseCountry(c);
      if (!country) issues.push({ field: 'country', message: `"${clip(c)}" is not an ISO 3166-1 country code or name` });
    }
  }

  let language: string | null = null;
  if (given(raw, 'language', present)) {
    const l = text(raw.language, 'language', 100, issues);
    if (l !== null) {
      language = normaliseLanguage(l);
      if (!language) issues.push({ field: 'language', message: `"${clip(l)}" is not a BCP 47 language tag (e.g. en, pt-BR)` });
    }
  }

  let timeZone: string | null = null;
  if (given(raw, 'timeZone', present)) {
    const z = text(raw.timeZone, 'timeZone', 100, issues);
    if (z !== null) {
      timeZone = normaliseTimeZone(z);
      if (!timeZone) issues.push({ field: 'timeZone', message: `"${clip(z)}" is not an IANA time zone (e.g. Europe/Paris)` });
    }
  }

  let status: ContactStatus | null = null;
  if (given(raw, 'status', present) && raw.status !== null && raw.status !== '') {
    const s = String(raw.status).trim().toLowerCase().replace(/[_ ]/g, '-');
    if (STATUS_SET.has(s)) status = s as ContactStatus;
    else issues.push({ field: 'status', message: `must be one of ${CONTACT_STATUSES.join(', ')}` });
  }

  let consentAt: string | null = null;
  if (given(raw, 'consentAt', present) && raw.consentAt !== null && raw.consentAt !== '') {
    consentAt = normaliseDate(raw.consentAt);
    if (!consentAt) issues.push({ field: 'consentAt', message: 'expected an ISO 8601 date-time' });
    else if (consentAt.length === 10) consentAt = `${consentAt}T00:00:00.000Z`;
  }

  const attributes: Record<string, FieldValue> = {};
  if (raw.fields) {
    present.add('fields');
    const keys = Object.keys(raw.fields);
    if (keys.length > LIMITS.customFields) issues.push({ field: 'fields', message: `has more than ${LIMITS.customFields} fields` });
    for (const key of keys) {
      const type = opts.fields.get(key);
      if (!type) {
        issues.push({ field: `fields.${key}`, message: 'is not a custom field of this brand (create it first)' });
        continue;
      }
      const r = coerceField(type, raw.fields[key]);
      if ('error' in r) issues.push({ field: `fields.${key}`, message: r.error });
      else attributes[key] = r.value;
    }
  }

  if (issues.length > 0) return { ok: false, issues };
  const v = email ? classifyEmail(email) : { validation: 'unknown' as Validation, reason: null };
  return {
    ok: true,
    present,
    contact: {
      email,
      first_name: firstName,
      last_name: lastName,
      phone,
      country,
      language,
      time_zone: timeZone,
      status,
      consent_source: consentSource,
      consent_at: consentAt,
      validation: v.validation,
      validation_reason: v.reason,
      attributes,
    },
  };
}

function clip(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
