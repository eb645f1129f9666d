import path from 'node:path';
import { z } from 'zod';

/**
 * Configuration comes only from the environment and is validated once at start-up, so a typo
 * stops the process with one line naming the variable instead of failing later mid-request.
 */
export interface Config {
  mode: 'embedded' | 'scaled';
  port: number;
  host: string;
  databaseUrl: string | null;
  sqlitePath: string;
  dataDir: string;
  publicUrl: string;
  importMaxBytes: number;
  mxLookup: boolean;
  apiRateLimitPerMinute: number;
  logLevel: string;
  workers: boolean;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

const bool = (name: string, v: string | undefined, dflt: boolean): boolean => {
  if (v === undefined || v === '') return dflt;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new ConfigError(name, `expected true or false, got "${v}"`);
};

const int = (name: string, v: string | undefined, dflt: number, min: number, max: number): number => {
  if (v === undefined || v === '') return dflt;
  if (!/^\d+$/.test(v.trim())) throw new ConfigError(name, `expected a whole number, got "${v}"`);
  const n = Number(v);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
};

function databaseUrl(v: string | undefined): string | null {
  if (v === undefined || v.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new ConfigError('DATABASE_URL', `is not a valid URL (expected postgres://user:pass@host:5432/db)`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `unsupported scheme "${url.protocol.replace(':', '')}" (expected postgres://; leave unset for the embedded SQLite store)`);
  }
  if (!url.hostname) throw new ConfigError('DATABASE_URL', 'has no host name');
  if (url.pathname.length <= 1) throw new ConfigError('DATABASE_URL', 'has no database name (postgres://host/DBNAME)');
  return v;
}

function publicUrl(v: string | undefined, port: number): string {
  const value = v && v.trim() !== '' ? v.trim() : `http://localhost:${port}`;
  const parsed = z.url({ protocol: /^https?$/ }).safeParse(value);
  if (!parsed.success) throw new ConfigError('TIDINGS_PUBLIC_URL', `is not an http(s) URL: "${value}"`);
  return value.replace(/\/+$/, '');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = int('PORT', env.PORT, 3000, 1, 65535);
  const dbUrl = databaseUrl(env.DATABASE_URL);
  const dataDir = path.resolve(env.TIDINGS_DATA_DIR || './data');
  const logLevel = env.LOG_LEVEL || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `unknown level "${logLevel}" (fatal, error, warn, info, debug, trace, silent)`);
  }
  return {
    mode: dbUrl ? 'scaled' : 'embedded',
    port,
    host: env.HOST || '0.0.0.0',
    databaseUrl: dbUrl,
    sqlitePath: path.resolve(env.TIDINGS_SQLITE_PATH || path.join(dataDir, 'tidings.db')),
    dataDir,
    publicUrl: publicUrl(env.TIDINGS_PUBLIC_URL, port),
    importMaxBytes: int('TIDINGS_IMPORT_MAX_MB', env.TIDINGS_IMPORT_MAX_MB, 1024, 1, 1_000_000) * 1024 * 1024,
    mxLookup: bool('TIDINGS_MX_LOOKUP', env.TIDINGS_MX_LOOKUP, false),
    apiRateLimitPerMinute: int('TIDINGS_API_RATE_LIMIT', env.TIDINGS_API_RATE_LIMIT, 600, 1, 1_000_000),
    logLevel,
    workers: true,
  };
}
