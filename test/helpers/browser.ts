import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../src/app/config.ts';
import { createContext, type AppContext } from '../../src/app/context.ts';
import type { Clock } from '../../src/shared/clock.ts';
import { buildWebIfMissing } from '../../src/app/serve.ts';
import { buildServer, WEB_DIST } from '../../src/http/server.ts';
import { freshStore } from './stores.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The flags this environment's Debian Chromium runs with: headless, unsandboxed (we run as root), nothing phoning home. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface RunningApp {
  ctx: AppContext;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * A real Tidings server on a free loopback port: fresh SQLite store, the built web app (web/dist).
 * `npm test` builds the web app first; a direct vitest run builds it only if it is missing.
 */
export async function startApp(opts: { clock?: Clock; testHooks?: boolean } = {}): Promise<RunningApp> {
  await buildWebIfMissing(() => {});
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-web-'));
  // The port is chosen before the app is built so its public URL (tracking and unsubscribe links
  // in sent mail) points at this very server, as it does in a real deployment.
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({ TIDINGS_DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: String(port), TIDINGS_PUBLIC_URL: baseUrl, ...(opts.testHooks ? { TIDINGS_TEST_HOOKS: '1' } : {}) });
  const ctx = await createContext(config, { store: await freshStore('sqlite'), log: pino({ level: 'silent' }), migrate: false, clock: opts.clock });
  const app = await buildServer(ctx, { webDist: WEB_DIST });
  await app.listen({ host: '127.0.0.1', port });
  // Imports and other background work run on the job workers, as in `tidings serve`.
  await ctx.startWorkers?.();
  return {
    ctx,
    baseUrl,
    async close() {
      await app.close();
      await ctx.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface RunningBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Chromium with a fresh profile (so no cookies or storage leak between runs) and one page. */
export async function launchBrowser(opts: { baseUrl?: string; viewport?: { width: number; height: number } } = {}): Promise<RunningBrowser> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install -y chromium)`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-chromium-'));
  // Playwright passes the profile as --user-data-dir itself; a persistent context is how it accepts one.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    baseURL: opts.baseUrl,
    viewport: opts.viewport ?? { width: 1280, height: 800 },
    locale: 'en-US',
    // Mantine skips its transitions under reduced motion, so pages are in their final state at once.
    reducedMotion: 'reduce',
    timezoneId: 'UTC',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
