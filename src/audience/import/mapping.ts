import { LIMITS, RESERVED_KEYS, type ContactField, type FieldType } from '../model.ts';
import { normaliseEmail } from '../normalise.ts';
import { validationError, type FieldIssue } from '../../shared/errors.ts';
import type { ColumnPlan, MappingTarget, PreviewColumn } from './model.ts';

/**
 * Column names as people and other tools write them, folded to lower-case letters and digits
 * without accents ("E-Mail-Adresse" → "emailadresse"). English, German, French, Spanish, Dutch,
 * Italian and Portuguese, plus the spellings of the big email tools' exports.
 */
const SYNONYMS: Record<ContactField | 'tags' | 'ignore', string[]> = {
  email: [
    'email', 'emailaddress', 'mail', 'mailaddress', 'emailadresse', 'mailadresse', 'adresseemail', 'adressemail', 'adressecourriel',
    'courriel', 'correo', 'correoelectronico', 'emailadres', 'indirizzoemail', 'enderecodeemail', 'subscriberemail', 'contactemail', 'emails',
  ],
  firstName: ['firstname', 'first', 'givenname', 'forename', 'fname', 'vorname', 'prenom', 'nombre', 'voornaam', 'nome', 'primeironome'],
  lastName: ['lastname', 'last', 'surname', 'familyname', 'lname', 'nachname', 'familienname', 'nom', 'nomdefamille', 'apellido', 'apellidos', 'achternaam', 'cognome', 'sobrenome'],
  phone: ['phone', 'phonenumber', 'telephone', 'tel', 'mobile', 'mobilephone', 'cell', 'cellphone', 'telefon', 'telefonnummer', 'handy', 'mobil', 'telefono', 'telefone', 'telefoon', 'telefoonnummer', 'portable'],
  country: ['country', 'countrycode', 'land', 'pays', 'pais', 'paese', 'nation'],
  language: ['language', 'lang', 'locale', 'sprache', 'langue', 'idioma', 'lingua', 'taal'],
  timeZone: ['timezone', 'tz', 'zeitzone', 'fuseauhoraire', 'zonahoraria', 'tijdzone'],
  status: ['status', 'subscriptionstatus', 'subscriberstatus', 'emailstatus', 'abostatus'],
  consentSource: ['consentsource', 'source', 'signupsource', 'optinsource', 'quelle', 'origine'],
  consentAt: ['consentat', 'consentdate', 'consenttime', 'optindate', 'optintime', 'optinat', 'subscribedat', 'signupdate', 'confirmedat', 'confirmtime'],
  tags: ['tags', 'tag', 'labels', 'label', 'schlagworte', 'schlagwort', 'etiquettes', 'etiquetas'],
  // Columns of our own export that are not contact data: importing them back changes nothing.
  ignore: ['id', 'createdat', 'updatedat', 'validation', 'validationreason'],
};

const TARGET_BY_NAME = new Map<string, ContactField | 'tags' | 'ignore'>();
for (const [target, names] of Object.entries(SYNONYMS)) for (const n of names) TARGET_BY_NAME.set(n, target as ContactField | 'tags' | 'ignore');

// Letters that do not decompose into a base letter and an accent.
const LIGATURES: Record<string, string> = { ß: 'ss', æ: 'ae', ø: 'o', œ: 'oe', ł: 'l', đ: 'd', þ: 'th' };

/** Lower-case ASCII: accents dropped, ligatures spelled out ("Größe" → "grosse"). */
const ascii = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[ßæøœłđþ]/g, (c) => LIGATURES[c]);

const foldName = (name: string) => ascii(name).replace(/[^a-z0-9]/g, '');

/** JSON keys under `fields` ("fields.score") are custom fields by construction. */
const FIELDS_PREFIX = 'fields.';

/** A custom field key for a column name: "Loyalty Points" → "loyalty_points". */
export function fieldKeyFor(column: string): string {
  const name = column.startsWith(FIELDS_PREFIX) ? column.slice(FIELDS_PREFIX.length) : column;
  let key = ascii(name)
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!/^[a-z]/.test(key)) key = `field_${key}`.replace(/_+$/, '');
  key = key.slice(0, 63);
  return RESERVED_KEYS.has(key) ? `${key.slice(0, 61)}_2` : key;
}

/**
 * Suggested target per column: by name, then (for email only) by content, so a file without a
 * header or with "Kontakt" as the email column still maps. Each target is suggested at most once.
 */
export function suggestTargets(columns: Array<{ name: string; sample: string[] }>, fields: ReadonlyMap<string, FieldType>): Array<MappingTarget | null> {
  const taken = new Set<string>();
  const out = columns.map((c): MappingTarget | null => {
    const folded = foldName(c.name.startsWith(FIELDS_PREFIX) ? '' : c.name);
    const byName = TARGET_BY_NAME.get(folded);
    if (byName && (byName === 'ignore' || !taken.has(byName))) {
      taken.add(byName);
      return byName;
    }
    const key = fieldKeyFor(c.name);
    return fields.has(key) ? (`field:${key}` as const) : null;
  });
  if (!taken.has('email')) {
    const i = columns.findIndex((c, i) => out[i] === null && c.sample.length > 0 && c.sample.filter((v) => !('error' in normaliseEmail(v))).length * 2 >= c.sample.length);
    if (i >= 0) out[i] = 'email';
  }
  return out;
}

export interface ResolveInput {
  columns: PreviewColumn[];
  mapping: Record<string, MappingTarget>;
  newFieldType: Record<string, FieldType>;
  /** The brand's custom fields, key → type. */
  fields: ReadonlyMap<string, FieldType>;
}

export interface Resolved {
  columns: ColumnPlan[];
  /** Custom fields the import must create. */
  newFields: Array<{ key: string; label: string; type: FieldType }>;
}

/**
 * The final plan per column: the caller's mapping, else the suggestion, else a custom field named
 * after the column. Every problem is reported at once, naming the mapping entry at fault.
 */
export function resolveMapping(input: ResolveInput): Resolved {
  const names = new Set(input.columns.map((c) => c.name));
  const list = [...names].map((n) => `"${n}"`).join(', ');
  const issues: FieldIssue[] = [];
  for (const col of Object.keys(input.mapping)) {
    if (!names.has(col)) issues.push({ field: `mapping.${col}`, message: `there is no column "${col}" in the file (columns: ${list})` });
  }
  for (const col of Object.keys(input.newFieldType)) {
    if (!names.has(col)) issues.push({ field: `newFieldType.${col}`, message: `there is no column "${col}" in the file` });
  }

  // Explicit targets first, so a suggestion never takes a target the caller gave to another column.
  const claimedBy = new Map<string, string>();
  for (const [col, target] of Object.entries(input.mapping)) {
    if (!names.has(col) || target === 'ignore' || target === 'tags') continue;
    const other = claimedBy.get(target);
    if (other) issues.push({ field: `mapping.${col}`, message: `"${target}" is already mapped from column "${other}"` });
    else claimedBy.set(target, col);
  }

  const usedKeys = new Set<string>();
  const chosen = input.columns.map((c): MappingTarget => {
    const explicit = input.mapping[c.name];
    if (explicit) return explicit;
    const s = c.suggested;
    if (s && (s === 'ignore' || s === 'tags' || !claimedBy.has(s))) {
      if (s !== 'ignore' && s !== 'tags') claimedBy.set(s, c.name);
      return s;
    }
    return 'field:';
  });
  for (const t of chosen) if (t.startsWith('field:') && t.length > 6) usedKeys.add(t.slice(6));

  const newFields: Resolved['newFields'] = [];
  const plan = input.columns.map((c, i): ColumnPlan => {
    let target = chosen[i];
    if (target === 'ignore') return { column: c.name, kind: 'ignore' };
    if (target === 'tags') return { column: c.name, kind: 'tags' };
    if (!target.startsWith('field:')) return { column: c.name, kind: 'contact', field: target as ContactField };
    if (target === 'field:') target = `field:${uniqueKey(fieldKeyFor(c.name), usedKeys)}`;
    const key = target.slice(6);
    if (RESERVED_KEYS.has(key)) issues.push({ field: `mapping.${c.name}`, message: `"${key}" is a built-in contact field; map the column to "${key}" or choose another key` });
    const existing = input.fields.get(key);
    const wanted = input.newFieldType[c.name];
    if (existing) {
      if (wanted && wanted !== existing) issues.push({ field: `newFieldType.${c.name}`, message: `custom field "${key}" already exists as a ${existing} field` });
      return { column: c.name, kind: 'field', key, type: existing };
    }
    const type = wanted ?? 'string';
    if (!newFields.some((f) => f.key === key)) newFields.push({ key, label: c.name.slice(0, 120) || key, type });
    return { column: c.name, kind: 'field', key, type };
  });

  if (!plan.some((p) => p.kind === 'contact' && p.field === 'email')) {
    issues.push({ field: 'mapping', message: `no column is mapped to email (columns: ${list})` });
  }
  const fieldCount = plan.filter((p) => p.kind === 'field').length;
  if (fieldCount > LIMITS.customFields) {
    issues.push({ field: 'mapping', message: `${fieldCount} columns would become custom fields; a contact holds at most ${LIMITS.customFields} — map the others to "ignore"` });
  }
  if (issues.length > 0) throw validationError(issues);
  return { columns: plan, newFields };
}

function uniqueKey(key: string, used: Set<string>): string {
  let k = key;
  for (let n = 2; used.has(k); n++) k = `${key.slice(0, 60)}_${n}`;
  used.add(k);
  return k;
}
