import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-postgres.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: two forks keep the PostgreSQL server and the SQLite tests from starving each other.
    pool: 'forks',
    maxWorkers: 2,
  },
});
