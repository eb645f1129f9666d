import fs from 'node:fs';
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
  /** Signs tracking, unsubscribe and view-in-browser tokens. Embedded mode keeps a generated one in the data dir when unset. */
  secret: string | null;
  composer: ComposerConfig;
  /** SMTP server for test sends (smtp://user:pass@host:port) until delivery providers are configured. */
  smtpUrl: string | null;
  /** The built-in capture inbox: loopback SMTP port (0 = any free one) and messages kept per brand. */
  capture: { port: number; keep: number };
  /** DKIM key for signing outgoing mail (PEM text or a path to a PEM file). */
  dkim: { domain: string; selector: string; privateKey: string } | null;
  preflight: {
    /** Link and image reachability checks make network requests: off unless enabled. */
    online: boolean;
    /** Let reachability checks fetch loopback/private addresses (tests, intranets); never by default. */
    allowPrivateHosts: boolean;
  };
  /** TIDINGS_TEST_HOOKS: routes that only end-to-end tests use (moving the clock); never in production. */
  testHooks: boolean;
  /** TIDINGS_TEST_CLOCK (with test hooks): start a movable clock at this ISO time ("now": the real time). */
  testClock: string | null;
}

export const COMPOSER_PROVIDERS = ['builtin', 'openai', 'anthropic'] as const;
export interface ComposerConfig {
  provider: (typeof COMPOSER_PROVIDERS)[number];
  /** OpenAI-compatible servers (Ollama, llama.cpp, vLLM) or a proxy; null = the vendor's default. */
  baseUrl: string | null;
  apiKey: string | null;
  model: string | null;
  timeoutMs: number;
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

function httpUrl(name: string, v: string | undefined): string | null {
  if (v === undefined || v.trim() === '') return null;
  if (!z.url({ protocol: /^https?$/ }).safeParse(v.trim()).success) throw new ConfigError(name, `is not an http(s) URL: "${v}"`);
  return v.trim().replace(/\/+$/, '');
}

function composerConfig(env: NodeJS.ProcessEnv): ComposerConfig {
  const provider = (env.TIDINGS_COMPOSER || 'builtin').trim();
  if (!(COMPOSER_PROVIDERS as readonly string[]).includes(provider)) {
    throw new ConfigError('TIDINGS_COMPOSER', `unknown composer "${provider}" (${COMPOSER_PROVIDERS.join(', ')})`);
  }
  const apiKey = env.TIDINGS_COMPOSER_API_KEY?.trim() || null;
  const baseUrl = httpUrl('TIDINGS_COMPOSER_BASE_URL', env.TIDINGS_COMPOSER_BASE_URL);
  // A local OpenAI-compatible server (Ollama, llama.cpp) needs no key; the vendors' own APIs do.
  if (provider !== 'builtin' && !apiKey && !baseUrl) {
    throw new ConfigError('TIDINGS_COMPOSER_API_KEY', `is required for the ${provider} composer (or set TIDINGS_COMPOSER_BASE_URL for a local server)`);
  }
  return {
    provider: provider as ComposerConfig['provider'],
    baseUrl,
    apiKey,
    model: env.TIDINGS_COMPOSER_MODEL?.trim() || null,
    timeoutMs: int('TIDINGS_COMPOSER_TIMEOUT_MS', env.TIDINGS_COMPOSER_TIMEOUT_MS, 60_000, 1_000, 600_000),
  };
}

function secret(v: string | undefined): string | null {
  if (v === undefined || v === '') return null;
  if (v.length < 32) throw new ConfigError('TIDINGS_SECRET', `must be at least 32 characters (got ${v.length}); generate one with: openssl rand -hex 32`);
  return v;
}

function smtpUrl(v: string | undefined): string | null {
  if (v === undefined || v.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(v.trim());
  } catch {
    throw new ConfigError('TIDINGS_SMTP_URL', 'is not a valid URL (expected smtp://user:pass@host:587)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new ConfigError('TIDINGS_SMTP_URL', `unsupported scheme "${url.protocol.replace(':', '')}" (expected smtp:// or smtps://)`);
  return v.trim();
}

function dkim(env: NodeJS.ProcessEnv): Config['dkim'] {
  const domain = env.TIDINGS_DKIM_DOMAIN?.trim();
  const selector = env.TIDINGS_DKIM_SELECTOR?.trim();
  const key = env.TIDINGS_DKIM_PRIVATE_KEY?.trim();
  if (!domain && !selector && !key) return null;
  if (!domain) throw new ConfigError('TIDINGS_DKIM_DOMAIN', 'is required when DKIM signing is configured');
  if (!selector) throw new ConfigError('TIDINGS_DKIM_SELECTOR', 'is required when DKIM signing is configured');
  if (!key) throw new ConfigError('TIDINGS_DKIM_PRIVATE_KEY', 'is required when DKIM signing is configured (PEM text or a file path)');
  let pem = key;
  if (!key.includes('-----BEGIN')) {
    try {
      pem = fs.readFileSync(key, 'utf8');
    } catch {
      throw new ConfigError('TIDINGS_DKIM_PRIVATE_KEY', `cannot read the key file "${key}"`);
    }
  }
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(pem)) throw new ConfigError('TIDINGS_DKIM_PRIVATE_KEY', 'is not a PEM private key');
  return { domain, selector, privateKey: pem };
}

function testClock(v: string | undefined): string | null {
  if (v === undefined || v.trim() === '') return null;
  if (v.trim() === 'now') return new Date().toISOString();
  if (Number.isNaN(Date.parse(v))) throw new ConfigError('TIDINGS_TEST_CLOCK', `is not an ISO date and time (or "now"): "${v}"`);
  return new Date(v).toISOString();
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
    secret: secret(env.TIDINGS_SECRET),
    composer: composerConfig(env),
    smtpUrl: smtpUrl(env.TIDINGS_SMTP_URL),
    capture: { port: int('TIDINGS_CAPTURE_PORT', env.TIDINGS_CAPTURE_PORT, 2525, 0, 65535), keep: int('TIDINGS_CAPTURE_KEEP', env.TIDINGS_CAPTURE_KEEP, 10_000, 1, 10_000_000) },
    dkim: dkim(env),
    preflight: {
      online: bool('TIDINGS_PREFLIGHT_ONLINE', env.TIDINGS_PREFLIGHT_ONLINE, false),
      allowPrivateHosts: bool('TIDINGS_PREFLIGHT_ALLOW_PRIVATE', env.TIDINGS_PREFLIGHT_ALLOW_PRIVATE, false),
    },
    testHooks: bool('TIDINGS_TEST_HOOKS', env.TIDINGS_TEST_HOOKS, false),
    testClock: testClock(env.TIDINGS_TEST_CLOCK),
  };
}
