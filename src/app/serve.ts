import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from './context.ts';
import { buildServer, WEB_DIST } from '../http/server.ts';

/** `npm start` builds the web app on first run, so a fresh clone needs no separate build step. */
export async function buildWebIfMissing(log: (msg: string) => void): Promise<void> {
  if (fs.existsSync(path.join(WEB_DIST, 'index.html'))) return;
  const config = path.resolve(WEB_DIST, '../vite.config.ts');
  if (!fs.existsSync(config)) return;
  log('Building the web app (first run only)…');
  const { build } = await import('vite');
  await build({ configFile: config, logLevel: 'warn' });
}

export async function serveHttp(ctx: AppContext) {
  const app = await buildServer(ctx);
  await app.listen({ port: ctx.config.port, host: ctx.config.host });
  return app;
}
