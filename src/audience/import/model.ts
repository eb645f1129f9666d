import { z } from 'zod';
import { CONTACT_FIELDS, CONTACT_STATUSES, FIELD_TYPES, type ContactField, type ContactStatus, type FieldType } from '../model.ts';

/** `uploaded` → (start) `queued` → `running` → `done` | `failed`; `cancelled` from any of the first three. */
export const IMPORT_STATUSES = ['uploaded', 'queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const ACTIVE_STATUSES: readonly ImportStatus[] = ['uploaded', 'queued', 'running'];

export const IMPORT_FORMATS = ['csv', 'json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const ON_CONFLICT = ['skip', 'upsert'] as const;
export type OnConflict = (typeof ON_CONFLICT)[number];

/** The job queue name the import runner listens on. */
export const IMPORT_QUEUE = 'contacts.import';

export const IMPORT_LIMITS = {
  /** A record longer than this fails as a row instead of growing the parser's buffer. */
  maxRecordChars: 1024 * 1024,
  /** Tags one row may carry from its tags column (plus the import's tagIds). */
  maxTagsPerRow: 100,
  /** How much of the file the preview reads to detect the format, delimiter and columns. */
  sampleBytes: 64 * 1024,
  /** Rows shown per column in the preview. */
  sampleValues: 5,
  /** JSON: object keys are collected from this many objects. */
  jsonKeyObjects: 1000,
  maxColumns: 1000,
};

/** Where a column goes: a built-in contact field, the tags, a custom field (`field:<key>`), or nowhere. */
export type MappingTarget = ContactField | 'tags' | 'ignore' | `field:${string}`;

const BUILTIN_TARGETS = new Set<string>([...CONTACT_FIELDS, 'tags', 'ignore']);
export const isMappingTarget = (t: string): t is MappingTarget => BUILTIN_TARGETS.has(t) || /^field:[a-z][a-z0-9_]{0,62}$/.test(t);
// A plain string schema (no transform) so the OpenAPI document can describe it.
export const MappingTargetSchema = z.string().refine(isMappingTarget, {
  message: `must be one of ${[...BUILTIN_TARGETS].join(', ')}, or field:<key> (a-z, 0-9, _; starting with a letter)`,
});

export const StartImportInput = z.object({
  /** Column name → target. Columns left out keep their suggested target, else become custom fields. */
  mapping: z.record(z.string(), MappingTargetSchema).default({}),
  onConflict: z.enum(ON_CONFLICT).default('skip'),
  /** Tags added to every imported or updated contact. */
  tagIds: z.array(z.string().max(100)).max(100).default([]),
  /** Status of new contacts whose row has no status. */
  defaultStatus: z.enum(CONTACT_STATUSES).default('subscribed'),
  /** Types of custom fields this import creates, by column (string when not given). */
  newFieldType: z.record(z.string(), z.enum(FIELD_TYPES)).default({}),
});
export type StartImportInput = z.input<typeof StartImportInput>;

export interface PreviewColumn {
  name: string;
  /** First non-empty values, for the mapping screen. */
  sample: string[];
  suggested: MappingTarget | null;
}

export interface ImportPreview {
  format: ImportFormat;
  /** CSV only. */
  delimiter: string | null;
  encoding: string;
  hasHeader: boolean;
  columns: PreviewColumn[];
  /** Data rows (or JSON objects) the preview looked at. */
  rowsSampled: number;
  /** Things worth a second look before starting, e.g. a likely wrong delimiter. */
  warnings: string[];
}

/** One resolved column of a started import, in file order. */
export type ColumnPlan =
  | { column: string; kind: 'contact'; field: ContactField }
  | { column: string; kind: 'tags' }
  | { column: string; kind: 'field'; key: string; type: FieldType }
  | { column: string; kind: 'ignore' };

/** What `start` fixed and `run` follows: stored with the import so a retried run does the same. */
export interface ImportPlan {
  columns: ColumnPlan[];
  onConflict: OnConflict;
  tagIds: string[];
  defaultStatus: ContactStatus;
}

export interface Import {
  id: string;
  status: ImportStatus;
  fileName: string;
  format: ImportFormat;
  sizeBytes: number;
  bytesRead: number;
  /** bytesRead / sizeBytes; 1 when done. */
  progress: number;
  /** Data rows read so far (all rows once done). */
  rowsTotal: number;
  rowsImported: number;
  rowsUpdated: number;
  rowsSkipped: number;
  rowsFailed: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  preview: ImportPreview;
  /** Set once started. */
  plan: ImportPlan | null;
}

export const ROW_OUTCOMES = ['imported', 'updated', 'skipped', 'failed'] as const;
export type RowOutcome = (typeof ROW_OUTCOMES)[number];

export interface ImportProgress {
  bytesRead: number;
  rowsTotal: number;
  rowsImported: number;
  rowsUpdated: number;
  rowsSkipped: number;
  rowsFailed: number;
}

/** Colours of tags an import creates from its tags column; the same name always gets the same colour. */
export const NEW_TAG_COLORS = ['#2f6fed', '#14b8a6', '#f59e0b', '#e64980', '#7950f2', '#40c057', '#fd7e14', '#15aabf'];

export const EXPORT_COLUMNS = [
  'email',
  'first_name',
  'last_name',
  'phone',
  'country',
  'language',
  'time_zone',
  'status',
  'consent_source',
  'consent_at',
  'tags',
  'validation',
  'validation_reason',
  'created_at',
  'updated_at',
  'id',
] as const;
