/**
 * Typed domain errors. Every error a user can cause carries a stable `code`, a message that names
 * the field and the problem, and optional details; HTTP and the CLI translate them, nothing else does.
 */
export type ErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'payload_too_large'
  | 'idempotency_conflict'
  | 'csrf_failed'
  | 'upstream'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  rate_limited: 429,
  payload_too_large: 413,
  idempotency_conflict: 422,
  csrf_failed: 403,
  /** A service we call (an AI provider, …) failed or answered unusably. */
  upstream: 502,
  internal: 500,
};

export interface FieldIssue {
  field: string;
  message: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export const notFound = (kind: string, id: string) => new DomainError('not_found', `${kind} ${id} was not found`, { kind, id });

export const invalid = (field: string, message: string) =>
  new DomainError('validation_failed', `${field}: ${message}`, { issues: [{ field, message }] satisfies FieldIssue[] });

export const conflict = (message: string, details?: unknown) => new DomainError('conflict', message, details);

/** Turns zod issues into our `{field, message}` list, with dotted paths ("filter.rules.0.op"). */
export function issuesFromZod(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>, prefix = ''): FieldIssue[] {
  return issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: i.message,
  }));
}

export function validationError(issues: FieldIssue[]): DomainError {
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new DomainError('validation_failed', first ? `${first.field}: ${first.message}${more}` : 'invalid input', { issues });
}
