import fs from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import type { Browser, Route } from 'playwright-core';
import { fetchResource } from './reachability.ts';
import { PREVIEW_SCHEMES, PREVIEW_WIDTHS, type ReachabilityOptions } from './model.ts';

/**
 * Device previews (S4.2): the email as headless Chromium draws it at desktop and phone widths, in
 * light and dark mode (prefers-color-scheme). Chromium is not Outlook or Gmail, and the report says
 * so. JavaScript is off and Chromium reaches nothing itself: the email's own https images are
 * fetched through the same SSRF guard as the link checks and handed over; every other request is
 * refused.
 */

export const CHROMIUM_PATH = '/usr/bin/chromium';
/** Debian's Chromium as this project runs it: headless, no sandbox (root), nothing phoning home. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const VIEWPORT_HEIGHT = { 600: 900, 375: 667 } as const;
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const PAGE_TIMEOUT_MS = 20_000;

export interface PreviewShot {
  width: (typeof PREVIEW_WIDTHS)[number];
  scheme: (typeof PREVIEW_SCHEMES)[number];
  file: string;
}

/** The https images the email shows: the only network requests a preview may make. */
export function imageUrls(html: string): Set<string> {
  const $ = cheerio.load(html);
  const urls = $('img[src], [background]')
    .toArray()
    .map((el) => (el.attribs.src ?? el.attribs.background ?? '').trim());
  return new Set(urls.filter((u) => /^https:\/\//i.test(u)));
}

export async function renderPreviews(html: string, out: { dir: string; prefix: string }, guard: ReachabilityOptions & { chromiumPath?: string }): Promise<PreviewShot[]> {
  const executablePath = guard.chromiumPath ?? CHROMIUM_PATH;
  if (!fs.existsSync(executablePath)) throw new Error(`Chromium is not installed at ${executablePath} (apt-get install chromium)`);
  fs.mkdirSync(out.dir, { recursive: true });
  const allowed = imageUrls(html);
  const images = new Map<string, Promise<{ contentType: string; body: Buffer } | null>>();
  // Loaded here, not at start-up: playwright-core alone holds about 90 MB of memory.
  const { chromium } = await import('playwright-core');
  const browser: Browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const shots: PreviewShot[] = [];
    for (const scheme of PREVIEW_SCHEMES) {
      for (const width of PREVIEW_WIDTHS) {
        const context = await browser.newContext({ javaScriptEnabled: false, colorScheme: scheme, viewport: { width, height: VIEWPORT_HEIGHT[width] }, serviceWorkers: 'block' });
        try {
          await context.route('**/*', (route: Route) => serve(route, allowed, images, guard));
          const page = await context.newPage();
          await page.setContent(html, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
          const file = path.join(out.dir, `${out.prefix}-${width}-${scheme}.png`);
          await page.screenshot({ path: file, fullPage: true, timeout: PAGE_TIMEOUT_MS });
          shots.push({ width, scheme, file });
        } finally {
          await context.close();
        }
      }
    }
    return shots;
  } finally {
    await browser.close();
  }
}

/** Each image is fetched once per preview run, however many widths and schemes show it. */
async function serve(route: Route, allowed: Set<string>, images: Map<string, Promise<{ contentType: string; body: Buffer } | null>>, guard: ReachabilityOptions): Promise<void> {
  const url = route.request().url();
  if (!allowed.has(url)) return route.abort('blockedbyclient');
  if (!images.has(url)) images.set(url, fetchResource(url, { ...guard, maxBytes: MAX_IMAGE_BYTES }));
  const image = await images.get(url)!;
  if (!image || !image.contentType.startsWith('image/')) return route.abort('blockedbyclient');
  return route.fulfill({ status: 200, contentType: image.contentType, body: image.body });
}
