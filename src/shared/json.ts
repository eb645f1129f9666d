/** JSON columns are text on SQLite and jsonb (already parsed) on PostgreSQL; read both the same way. */
export function fromJson<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as T;
    } catch {
      return fallback;
    }
  }
  return value as T;
}

export const toJson = (value: unknown): string => JSON.stringify(value ?? null);
