import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('config', () => {
  it('defaults to embedded mode on port 3000', () => {
    const c = loadConfig({});
    expect(c.mode).toBe('embedded');
    expect(c.port).toBe(3000);
    expect(c.sqlitePath).toMatch(/data\/tidings\.db$/);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT: expected a whole number'],
    [{ PORT: '70000' }, 'PORT: must be between 1 and 65535'],
    [{ DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL: unsupported scheme "mysql"'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL: is not a valid URL'],
    [{ DATABASE_URL: 'postgres://host' }, 'DATABASE_URL: has no database name'],
    [{ TIDINGS_MX_LOOKUP: 'maybe' }, 'TIDINGS_MX_LOOKUP: expected true or false'],
  ])('rejects %o naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('switches to scaled mode with a postgres URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/tidings' }).mode).toBe('scaled');
  });
});
