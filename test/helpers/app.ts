import type { FastifyInstance, InjectOptions } from 'fastify';
import { loadConfig } from '../../src/app/config.ts';
import { createContext, type AppContext, type ContextOptions } from '../../src/app/context.ts';
import { buildServer } from '../../src/http/server.ts';
import { ManualClock } from '../../src/shared/clock.ts';
import type { Dialect } from '../../src/store/db.ts';
import { freshStore } from './stores.ts';
import pino from 'pino';

export interface TestApp {
  ctx: AppContext;
  app: FastifyInstance;
  clock: ManualClock;
  brandId: string;
  userId: string;
  /** An API key with every scope for the test brand. */
  apiKey: string;
  /** HTTP request with the test API key; returns status and parsed JSON. */
  api<T = any>(method: InjectOptions['method'], url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** A full app (real database of the given dialect, real HTTP stack via inject) with one brand, one manager and one API key. */
export async function createTestApp(dialect: Dialect, env: Record<string, string> = {}, opts: Pick<ContextOptions, 'delivery'> = {}): Promise<TestApp> {
  const store = await freshStore(dialect);
  const clock = new ManualClock(new Date());
  const config = loadConfig({ TIDINGS_DATA_DIR: `/tmp/tidings-test-data-${process.pid}`, TIDINGS_SECRET: 'test-secret-0123456789abcdef0123456789abcdef', TIDINGS_CAPTURE_PORT: '0', ...env });
  const ctx = await createContext(config, { store, clock, log: pino({ level: 'silent' }), migrate: false, ...opts });
  const app = await buildServer(ctx, { webDist: null });
  const { user, brand } = await ctx.brands.setup({
    user: { email: 'owner@example.com', name: 'Owner', password: 'correct horse battery' },
    brand: { name: 'Acme Coffee', postalAddress: '1 Bean St, Portland, OR 97201, USA', fromEmail: 'hello@acme.test' },
  });
  const { SCOPES } = await import('../../src/brands/model.ts');
  const { secret } = await ctx.brands.createApiKey(brand.id, { name: 'tests', scopes: [...SCOPES] }, { type: 'user', id: user.id });
  return {
    ctx,
    app,
    clock,
    brandId: brand.id,
    userId: user.id,
    apiKey: secret,
    async api(method, url, body, headers = {}) {
      const res = await app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${secret}`, ...headers },
        ...(body !== undefined ? { payload: body as any } : {}),
      });
      let parsed: any = res.body;
      try {
        parsed = res.body ? JSON.parse(res.body) : null;
      } catch {
        /* non-JSON responses (CSV) stay as text */
      }
      return { status: res.statusCode, body: parsed, headers: res.headers };
    },
    async close() {
      await app.close();
      await ctx.close();
    },
  };
}
