/**
 * Screenshots of every page of the web app at 1280×800, for reviewing the UI by eye.
 *   node --import tsx scripts/screenshots.ts OUTDIR
 * Starts a real server on a fresh SQLite store, seeds two brands with members and keys, and drives
 * Chromium through the pages. Uses the built web app (run `npm run build:web` after UI changes).
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { launchBrowser, startApp, type RunningApp } from '../test/helpers/browser.ts';
import { PREFETCH_WINDOW_MS, SCAN_WINDOW_MS } from '../src/tracking/machine.ts';
import { ALL_SECTIONS } from '../web/src/sections.ts';

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: node --import tsx scripts/screenshots.ts OUTDIR');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

const OWNER = { email: 'ada@acme.test', name: 'Ada Lovelace', password: 'correct horse battery' };

const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40" viewBox="0 0 160 40">
<circle cx="20" cy="20" r="16" fill="#7c2d12"/><path d="M13 22c4-9 10-9 14 0" stroke="#fde68a" stroke-width="3" fill="none" stroke-linecap="round"/>
<text x="44" y="27" font-family="Georgia, serif" font-size="20" font-weight="700" fill="#7c2d12">Acme Coffee</text></svg>`;

/** Serves the seeded brand's logo, as a brand's own website would. */
async function startLogoServer(): Promise<{ url: string; close(): void }> {
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(LOGO_SVG));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/logo.svg`, close: () => server.close() };
}

async function seed(app: RunningApp, logoUrl: string) {
  const { brands } = app.ctx;
  const { user, brand } = await brands.setup({
    user: OWNER,
    brand: {
      name: 'Acme Coffee',
      colors: { primary: '#b45309', secondary: '#0f766e', text: '#1f2937', background: '#fdf8f3', accent: '#e11d48' },
      headingFont: 'Georgia, serif',
      bodyFont: 'Helvetica, Arial, sans-serif',
      logoUrl,
      voice: 'Warm, direct and a little playful. Short sentences. We talk like a barista who knows your order.',
      fromName: 'Acme Coffee',
      fromEmail: 'hello@acme.test',
      replyTo: 'team@acme.test',
      postalAddress: '1 Bean Street\nPortland, OR 97201, USA',
      timeZone: 'America/Los_Angeles',
      knowledge: 'Free shipping over $40.\nSubscriptions ship every 2 or 4 weeks and can be paused anytime.\nSpring single-origins: Ethiopia Guji, Colombia Huila.',
    },
  });
  const actor = { type: 'user' as const, id: user.id };
  await brands.createBrand({ name: 'Northwind Tea', colors: { primary: '#0f766e' } }, { userId: user.id }, actor);
  for (const [email, name, role] of [
    ['grace@acme.test', 'Grace Hopper', 'editor'],
    ['alan@acme.test', 'Alan Turing', 'viewer'],
    ['katherine@acme.test', 'Katherine Johnson', 'commenter'],
  ] as const) {
    await brands.createUser({ email, name, password: 'another long password' });
    await brands.setMember(brand.id, email, role, actor);
  }
  await brands.createApiKey(brand.id, { name: 'Website signup form', scopes: ['audience:write'] }, actor);
  await brands.createApiKey(brand.id, { name: 'Analytics export', scopes: ['audience:read', 'campaign:read', 'series:read'] }, actor);
  const old = await brands.createApiKey(brand.id, { name: 'Old Zapier hook', scopes: ['audience:read', 'audience:write'] }, actor);
  await brands.revokeApiKey(brand.id, old.key.id, actor);
  await seedAudience(app, brand.id, actor);
}

const PEOPLE = [
  ['Maya', 'Okafor', 'NG'], ['Lukas', 'Schneider', 'DE'], ['Sofia', 'Rossi', 'IT'], ['Hiro', 'Tanaka', 'JP'], ['Emma', 'Dubois', 'FR'],
  ['Noah', 'Williams', 'US'], ['Ava', 'Johnson', 'US'], ['Mateo', 'García', 'ES'], ['Freya', 'Lindqvist', 'SE'], ['Arjun', 'Mehta', 'IN'],
  ['Chloe', 'Martin', 'CA'], ['Oliver', 'Smith', 'GB'], ['Isabela', 'Souza', 'BR'], ['Jonas', 'Berg', 'NO'], ['Zoe', 'Nguyen', 'AU'],
  ['Liam', 'Murphy', 'IE'], ['Mia', 'Kowalski', 'PL'], ['Elias', 'Novak', 'CZ'], ['Lea', 'Huber', 'AT'], ['Daniel', 'Cohen', 'IL'],
] as const;

async function seedAudience(app: RunningApp, brandId: string, actor: { type: 'user'; id: string }) {
  const { audience } = app.ctx;
  const tag = async (name: string, color: string, description: string) => (await audience.createTag(brandId, { name, color, description })).id;
  const customer = await tag('customer', '#12b886', 'Bought at least once');
  const subscriber = await tag('subscription', '#4c6ef5', 'Has an active coffee subscription');
  const wholesale = await tag('wholesale', '#fd7e14', 'Cafés and offices buying in bulk');
  const fair = await tag('spring fair 2026', '#e64980', 'Signed up at our stand');
  await tag('beta tasters', '#7950f2', 'Try new roasts before launch');
  const news = await audience.createTopic(brandId, { name: 'Roastery news', description: 'New beans, behind the scenes, events', defaultOptIn: true, isPublic: true });
  await audience.createTopic(brandId, { name: 'Deals', description: 'Discounts and limited offers', defaultOptIn: false, isPublic: true });
  await audience.createTopic(brandId, { name: 'Wholesale updates', description: 'Price lists for business customers', defaultOptIn: false, isPublic: false });
  await audience.createField(brandId, { key: 'favourite_roast', label: 'Favourite roast', type: 'string' });
  await audience.createField(brandId, { key: 'orders', label: 'Orders', type: 'number' });
  await audience.createField(brandId, { key: 'vip', label: 'VIP', type: 'boolean' });
  const statuses = ['subscribed', 'subscribed', 'subscribed', 'non-subscribed', 'subscribed', 'unsubscribed', 'subscribed', 'bounced'] as const;
  const tagSets = [[customer, subscriber], [customer], [fair], [wholesale, customer], [], [customer, subscriber, fair], [subscriber], [fair]];
  for (const [i, [first, last, country]] of PEOPLE.entries()) {
    const email = `${first}.${last}`.toLowerCase().normalize('NFD').replace(/[^a-z.]/g, '') + (i % 3 === 0 ? '@gmail.com' : '@example.com');
    const c = await audience.createContact(
      brandId,
      {
        email,
        firstName: first,
        lastName: last,
        country,
        status: statuses[i % statuses.length],
        tagIds: tagSets[i % tagSets.length],
        fields: { favourite_roast: ['Ethiopia Guji', 'Colombia Huila', 'House espresso'][i % 3], orders: (i * 7) % 23, vip: i % 5 === 0 },
      },
      actor,
    );
    if (i === 0) await audience.setTopicPreference(brandId, c.id, news.id, true, actor);
  }
  await audience.createContact(brandId, { email: 'info@mailinator.com', status: 'non-subscribed' }, actor);
  await app.ctx.segments.create(
    brandId,
    {
      name: 'Engaged European customers',
      description: 'Subscribed customers in the EU who opened recently',
      filter: {
        op: 'and',
        rules: [
          { field: 'status', op: 'is', value: 'subscribed' },
          { field: 'tags', op: 'any', value: [customer] },
          { op: 'or', rules: ['DE', 'FR', 'IT', 'ES'].map((country) => ({ field: 'country', op: 'is', value: country })) },
          { field: 'engagement', event: 'bounced', negate: true },
        ],
      },
    },
    actor,
  );
  await app.ctx.segments.create(brandId, { name: 'Wholesale', filter: { op: 'and', rules: [{ field: 'tags', op: 'any', value: [wholesale] }] } }, actor);
  await audience.addSuppression(brandId, { email: 'ava.johnson@example.com', reason: 'manual', source: 'Asked by phone' }, actor);
  await audience.addSuppression(brandId, { email: 'old.customer@example.org', reason: 'bounce', source: '550 5.1.1 user unknown' }, actor);
  await audience.addSuppression(brandId, { email: 'angry@example.net', reason: 'complaint', source: 'Gmail feedback loop' }, actor);
}

/** Requests in flight per page, counted from its request events (frames included). */
const inFlight = new WeakMap<Page, Set<unknown>>();
function requestsOf(page: Page): Set<unknown> {
  let open = inFlight.get(page);
  if (!open) {
    inFlight.set(page, (open = new Set()));
    const done = (r: unknown) => open!.delete(r);
    page.on('request', (r) => open!.add(r));
    page.on('requestfinished', done);
    page.on('requestfailed', done);
  }
  return open;
}

/**
 * Waits until the page has settled: no requests in flight for half a second and no loading
 * placeholders. Counted here rather than with Playwright's `networkidle`: on the email editor
 * (with its sandboxed preview frame) that never fired, with no request in flight.
 */
async function settle(page: Page) {
  const open = requestsOf(page);
  for (let quiet = 0; quiet < 5; ) {
    await page.waitForTimeout(100);
    quiet = open.size === 0 ? quiet + 1 : 0;
  }
  await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached' });
  // Let images (the logo) finish decoding.
  await page.evaluate(() => Promise.all(Array.from(document.images).map((img) => (img.complete ? null : img.decode().catch(() => null)))));
}

let counter = 0;
const shots: string[] = [];
async function shoot(page: Page, name: string) {
  await settle(page);
  const file = path.join(outDir, `${String(++counter).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  shots.push(file);
}

const IMPORTED_HTML = `<!doctype html><html><head><title>Order shipped</title></head><body style="font-family:Arial,sans-serif">
<h1>Your order is on its way</h1><p>Hi {{ contact.first_name | default: "there" }}, your beans left the roastery today.</p>
<p><a href="https://bit.ly/track-acme">Track your parcel</a></p><img src="https://acme.test/parcel.png"></body></html>`;

/** A screenshot of a passing state (a request in flight), taken without waiting for the page to settle. */
async function shootNow(page: Page, name: string) {
  const file = path.join(outDir, `${String(++counter).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  shots.push(file);
}

/**
 * Opens the editor page fresh (Playwright's network-idle wait is unreliable after an in-app
 * navigation that adds the sandboxed preview frame) and waits for the preview.
 */
async function reloadEditor(page: Page) {
  await page.reload();
  await page.getByTestId('email-preview').waitFor();
}

/** The sandboxed preview paints in its own process, a moment after its document loads. */
async function shootEditor(page: Page, name: string) {
  await page.getByTestId('email-preview').waitFor();
  await page.waitForTimeout(400);
  await shoot(page, name);
}

/** The emails pages: list, generation, the editor in its states, preflight, history, import. */
async function emailShots(page: Page) {
  const owner = await app.ctx.brands.findUserByEmail(OWNER.email);
  const [membership] = await app.ctx.brands.membershipsOf(owner.id);
  const auth = await app.ctx.brands.authForUser(owner.id, membership.brandId);

  await page.goto('/emails');
  await page.getByRole('button', { name: 'Generate from prompt' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('What should the email say?').fill('Spring sale: 20% off every single-origin coffee this weekend only, code SPRING20');
  await dialog.getByRole('button', { name: /Advanced/ }).click();
  await dialog.getByLabel('Audience').fill('Subscribers who bought in the last year');
  await dialog.getByLabel('Offer').fill('20% off with code SPRING20');
  await shoot(page, 'email-generate');
  // Hold the request a moment so the progress state can be seen.
  await page.route('**/api/v1/emails/generate', async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await dialog.getByRole('button', { name: 'Generate email' }).click();
  await dialog.getByText('Writing your email').waitFor();
  await shootNow(page, 'email-generating');
  await page.waitForURL(/\/emails\/eml_/);
  await page.unroute('**/api/v1/emails/generate');
  await reloadEditor(page);
  await shootEditor(page, 'email-editor');

  const outline = page.getByRole('region', { name: 'Email outline' });
  await outline.getByRole('button', { name: /^Heading/ }).first().click();
  await page.getByLabel('Heading text').fill('Fresh beans, fresh start');
  await shootEditor(page, 'email-editor-block');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByTestId('save-state').getByText('Saved · version 2').waitFor();

  await outline.getByRole('button', { name: /^Button/ }).first().click();
  await page.getByLabel('Link').fill('not a link');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Must be an http(s) or mailto: URL').waitFor();
  await shootEditor(page, 'email-editor-error');
  await page.getByLabel('Link').fill('https://acme.test/spring');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByTestId('save-state').getByText('Saved · version 3').waitFor();

  await page.locator('[aria-label="Mobile width (375 px)"]').click();
  await page.getByRole('combobox', { name: 'Sample data' }).click();
  await page.getByRole('option', { name: 'Hostile strings' }).click();
  await shootEditor(page, 'email-editor-mobile-hostile');
  await page.locator('[aria-label="Desktop width"]').click();
  await page.getByRole('combobox', { name: 'Sample data' }).click();
  await page.getByRole('option', { name: 'Full data' }).click();

  await page.getByRole('radiogroup', { name: 'View' }).getByText('Code').click();
  await page.getByRole('textbox', { name: 'MJML code' }).waitFor();
  await shoot(page, 'email-editor-code');
  await page.getByRole('radiogroup', { name: 'View' }).getByText('Preview').click();

  await page.getByRole('button', { name: 'Make it shorter' }).click();
  await page.getByTestId('composer-result').waitFor();
  await shootEditor(page, 'email-composer-edit');

  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Subject ideas' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Use this' }).first().waitFor();
  await shoot(page, 'email-subject-ideas');
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await shootEditor(page, 'email-settings');

  await page.getByRole('button', { name: 'Send test' }).click();
  await page.getByRole('dialog').getByLabel('Send to').waitFor();
  await shoot(page, 'email-send-test');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });

  await page.getByRole('tab', { name: 'Preflight' }).click();
  await page.getByRole('button', { name: 'Run preflight' }).click();
  await page.getByTestId('preflight-score').waitFor();
  await shootEditor(page, 'email-preflight');
  const locate = page.getByRole('button', { name: 'Locate' }).first();
  if (await locate.count()) {
    await locate.click();
    await shootEditor(page, 'email-preflight-locate');
  }
  await page.getByRole('button', { name: 'Device previews' }).click();
  await page.getByRole('dialog').getByAltText('600px light preview').waitFor({ timeout: 60_000 });
  await shoot(page, 'email-device-previews');
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });

  await page.getByRole('button', { name: 'History' }).click();
  await page.getByTestId('line-diff').waitFor();
  await shoot(page, 'email-history');
  await page.keyboard.press('Escape');

  // A few more emails, so the list has something to show: an imported HTML email among them.
  await app.ctx.composer.generate(auth, { brief: { prompt: 'Welcome new subscribers and point them to our three best sellers', purpose: 'welcome' } });
  await app.ctx.composer.generate(auth, { brief: { prompt: 'Monthly newsletter: a new roast, a brewing tip and an event invite', purpose: 'newsletter' } });
  const html = path.join(outDir, '..', `tidings-order-shipped-${process.pid}.html`);
  fs.writeFileSync(html, IMPORTED_HTML);
  await page.goto('/emails');
  await page.getByRole('button', { name: 'Import' }).first().click();
  await page.getByRole('dialog').waitFor();
  await shoot(page, 'email-import');
  await page.getByRole('dialog').locator('input[type=file]').setInputFiles(html);
  await page.waitForURL(/\/emails\/eml_/);
  await reloadEditor(page);
  await page.getByRole('textbox', { name: 'HTML code' }).waitFor();
  await shootEditor(page, 'email-editor-imported-html');
  fs.rmSync(html);

  await page.goto('/emails');
  await page.getByRole('table').waitFor();
  await shoot(page, 'emails-list');
  await page.goto('/emails?q=nothing-like-this');
  await page.getByText('No emails match').waitFor();
  await shoot(page, 'emails-no-match');
}

// ---- Campaigns, inbox, providers and domains (issue 4) ------------------------------------------

/** What a desktop Chrome says: tracking counts the headless build's own agent as a bot. */
const DESKTOP_CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

/**
 * Pages with a sandboxed email frame: Playwright's network-idle wait is unreliable once such a frame
 * is added by an in-app navigation, so wait for the frame's own load and paint instead.
 */
async function framed(page: Page, testId: string, name: string) {
  await page.getByTestId(testId).waitFor();
  await page.frameLocator(`[data-testid="${testId}"]`).locator('body').waitFor();
  await page.waitForTimeout(400);
  await shootNow(page, name);
}

async function ownerAuth() {
  const owner = await app.ctx.brands.findUserByEmail(OWNER.email);
  const [membership] = await app.ctx.brands.membershipsOf(owner.id);
  return app.ctx.brands.authForUser(owner.id, membership.brandId);
}

/** Waits until a campaign reaches one of the statuses (the dispatcher works in the background). */
async function campaignIn(brandId: string, campaignId: string, statuses: string[]) {
  for (let i = 0; i < 300; i++) {
    const c = await app.ctx.campaigns.get(brandId, campaignId);
    if (statuses.includes(c.status)) return c;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`campaign ${campaignId} did not reach ${statuses.join('/')}`);
}

/**
 * Recipients "read" some of the captured messages: the open pixel for most, the button for some,
 * fetched like a desktop browser would, so the results have something to show.
 */
async function engage(brandId: string) {
  const { data } = await app.ctx.inbox.list(brandId, { limit: 100 });
  const path = (url: string) => new URL(url.replaceAll('&amp;', '&')).pathname;
  for (const [i, summary] of data.entries()) {
    const m = await app.ctx.inbox.get(brandId, summary.id);
    const pixel = /src="([^"]*\/t\/o\/[^"]+)"/.exec(m.html ?? '')?.[1];
    const link = /href="([^"]*\/t\/[cl]\/[^"]+)"/.exec(m.html ?? '')?.[1];
    const hit = (url: string) => fetch(`${app.baseUrl}${path(url)}`, { headers: { 'user-agent': DESKTOP_CHROME }, redirect: 'manual' });
    if (pixel && i % 3 !== 2) await hit(pixel);
    if (link && i % 3 === 0) await hit(link);
  }
}

async function deliveryShots(page: Page) {
  const auth = await ownerAuth();
  const actor = { type: 'user' as const, id: auth.actor.id };

  await page.goto('/inbox');
  await page.getByText('No messages captured yet').waitFor();
  await shoot(page, 'inbox-empty');

  await page.goto('/settings/providers');
  await page.getByTestId('providers').waitFor();
  await shoot(page, 'providers-capture-only');
  await page.getByRole('button', { name: 'Add provider' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Production SES');
  await dialog.getByRole('combobox', { name: 'Provider' }).click();
  await page.getByRole('option', { name: 'Amazon SES' }).click();
  await dialog.getByLabel('AWS region').fill('eu-west-1');
  await shoot(page, 'provider-add-ses');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await app.ctx.providers.create(auth.brandId, { name: 'Postmark broadcasts', settings: { kind: 'postmark', serverToken: 'pm-server-token' }, webhook: { header: { name: 'X-Webhook-Secret', value: 's3cret' } } }, actor);
  await app.ctx.providers.create(auth.brandId, { name: 'Office relay', settings: { kind: 'smtp', host: 'smtp.acme.test', port: 587, username: 'news', password: 'relay-password' } }, actor);
  await page.goto('/settings/providers');
  await page.getByTestId('provider-Office relay').waitFor();
  await shoot(page, 'providers');
  await page.getByRole('button', { name: 'Actions for Postmark broadcasts' }).click();
  await page.getByRole('menuitem', { name: 'Edit' }).click();
  await page.getByRole('dialog').getByText('Point it to').waitFor();
  await shoot(page, 'provider-edit-postmark');
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Actions for Capture inbox' }).click();
  await page.getByRole('menuitem', { name: 'Send a test' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Send test' }).click();
  await page.getByTestId('provider-test-result').waitFor();
  await shoot(page, 'provider-test-sent');
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });

  await page.goto('/settings/domains');
  await page.getByText('No sending domains yet').waitFor();
  await shoot(page, 'domains-empty');
  await page.getByRole('button', { name: 'Add domain' }).first().click();
  await page.getByRole('dialog').getByRole('textbox', { name: 'Domain', exact: true }).fill('news.acme.test');
  await shoot(page, 'domain-add');
  await page.getByRole('dialog').getByRole('button', { name: 'Add domain' }).click();
  await page.waitForURL(/\/settings\/domains\/dom_/);
  await page.getByTestId('record-dkim').waitFor();
  await shoot(page, 'domain-records');
  await page.getByRole('button', { name: 'Verify DNS' }).click();
  await page.getByTestId('record-dkim').getByText('Missing').waitFor();
  await shoot(page, 'domain-verified');
  await page.goto('/settings/domains');
  await page.getByTestId('domain-news.acme.test').waitFor();
  await shoot(page, 'domains');
}

async function campaignShots(page: Page) {
  const auth = await ownerAuth();
  const brandId = auth.brandId;
  const { data: emails } = await app.ctx.emails.list(brandId, { limit: 10 });
  // The email edited in emailShots: its button leads to the shop, so clicks have somewhere to go.
  const email = emails.find((e) => e.format === 'blocks' && e.version > 1) ?? emails.find((e) => e.format === 'blocks')!;
  const { data: segments } = await app.ctx.segments.list(brandId, { limit: 10 });
  const segment = segments.find((s) => s.name === 'Engaged European customers')!;
  const tags = await app.ctx.audience.listTags(brandId);

  await page.goto('/campaigns');
  await page.getByText('No campaigns yet').waitFor();
  await shoot(page, 'campaigns-empty');

  // The wizard, step by step.
  await page.getByRole('link', { name: 'New campaign' }).first().click();
  await page.getByTestId(`pick-email-${email.name}`).click();
  await framed(page, 'campaign-email-preview', 'campaign-wizard-email');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/step=audience/);
  await page.getByRole('combobox', { name: 'Segments' }).click();
  await page.getByRole('option', { name: segment.name }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('combobox', { name: 'Tags' }).click();
  await page.getByRole('option', { name: 'subscription' }).click();
  await page.keyboard.press('Escape');
  await page.getByTestId('recipient-count').waitFor();
  await page.waitForTimeout(800);
  await shoot(page, 'campaign-wizard-audience');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/step=sender/);
  await page.getByLabel('From address').waitFor();
  await shoot(page, 'campaign-wizard-sender');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/step=tracking/);
  await shoot(page, 'campaign-wizard-tracking');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/step=preflight/);
  await page.getByTestId('preflight-score').waitFor({ timeout: 60_000 });
  await shoot(page, 'campaign-wizard-preflight');
  const override = page.getByLabel(/Send anyway/);
  if (await override.count()) await override.check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/step=launch/);
  await page.getByTestId('summary-recipients').waitFor();
  await shoot(page, 'campaign-wizard-launch');
  await page.getByLabel('Schedule').check();
  await shoot(page, 'campaign-wizard-schedule');
  await page.getByRole('button', { name: 'Send now', exact: true }).waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Schedule', exact: true }).click();
  await page.waitForURL(/\/campaigns\/cmp_[^/]+$/);
  await page.getByTestId('scheduled-card').waitFor();
  await shoot(page, 'campaign-scheduled');

  // A sent campaign with opens and clicks, a draft and a cancelled one, for the list and the results.
  const sent = await app.ctx.campaigns.create(auth, { name: 'Spring single-origins', emailId: email.id, audience: { tagIds: tags.filter((t) => t.name === 'customer').map((t) => t.id) } });
  await app.ctx.campaigns.send(auth, sent.id, { overridePreflight: true });
  await campaignIn(brandId, sent.id, ['sent']);
  // Opens and clicks in the first seconds after sending are prefetchers and link scanners: wait them out.
  await new Promise((r) => setTimeout(r, Math.max(PREFETCH_WINDOW_MS, SCAN_WINDOW_MS) + 500));
  await engage(brandId);
  await app.ctx.campaigns.create(auth, { name: 'Summer brewing guide', emailId: email.id, audience: { segmentIds: [segment.id] } });
  const cancelled = await app.ctx.campaigns.create(auth, { name: 'Flash sale (called off)', emailId: email.id, audience: { segmentIds: [segment.id] } });
  await app.ctx.campaigns.schedule(auth, cancelled.id, { at: '2030-06-01T09:00', zone: 'Europe/Berlin', overridePreflight: true });
  await app.ctx.campaigns.cancel(auth, cancelled.id);

  await page.goto('/campaigns');
  await page.getByTestId('campaign-Spring single-origins').waitFor();
  await shoot(page, 'campaigns');
  await page.goto(`/campaigns/${sent.id}`);
  await page.getByTestId('stat-cards').waitFor();
  await page.getByTestId('timeline-chart').waitFor();
  await shoot(page, 'campaign-results');
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await shoot(page, 'campaign-results-links');
  await page.getByRole('tab', { name: 'Recipients' }).click();
  await page.getByTestId('recipients').waitFor();
  await shoot(page, 'campaign-recipients');
  await page.getByText(/^Skipped · /).click();
  await page.getByTestId('recipients').getByText(/Unsubscribed|Not subscribed|Invalid|Risky|Bounced|Complained|Duplicate/).first().waitFor();
  await shoot(page, 'campaign-recipients-skipped');
  await page.getByText(/^Sent · /).click();
  await page.getByTestId('recipients').getByText('Clicked').first().click();
  await page.getByTestId('trail').waitFor();
  await shoot(page, 'campaign-trail');
  await page.keyboard.press('Escape');

  // Live progress: the seeded audience goes out in a blink, so the page is shown a send in progress.
  await page.route(`**/api/v1/campaigns/${sent.id}`, async (route) => {
    const body = await (await route.fetch()).json();
    await route.fulfill({ json: { ...body, status: 'sending', finishedAt: null, sent: 8432, recipients: 20_000 } });
  });
  await page.route(`**/api/v1/campaigns/${sent.id}/progress`, (route) =>
    route.fulfill({ json: { status: 'sending', statusReason: null, fanoutDone: true, recipients: 20_000, skipped: 312, queued: 11_200, sending: 56, sent: 8432, failed: 0, cancelled: 0, ratePerSec: 1640, etaSeconds: 7 } }),
  );
  await page.goto(`/campaigns/${sent.id}`);
  await page.getByTestId('progress-card').waitFor();
  await shootNow(page, 'campaign-sending');
  await page.unrouteAll();
  await page.route(`**/api/v1/campaigns/${sent.id}`, async (route) => {
    const body = await (await route.fetch()).json();
    await route.fulfill({ json: { ...body, status: 'paused', statusReason: 'Paused by the health guard: hard bounces reached 2.4 % after 1,000 sends (limit 2 %).', sent: 1000, recipients: 20_000 } });
  });
  await page.route(`**/api/v1/campaigns/${sent.id}/progress`, (route) =>
    route.fulfill({ json: { status: 'paused', statusReason: 'Paused by the health guard: hard bounces reached 2.4 % after 1,000 sends (limit 2 %).', fanoutDone: true, recipients: 20_000, skipped: 312, queued: 18_688, sending: 0, sent: 1000, failed: 0, cancelled: 0, ratePerSec: 0, etaSeconds: null } }),
  );
  await page.goto(`/campaigns/${sent.id}`);
  await page.getByTestId('status-reason').waitFor();
  await shootNow(page, 'campaign-paused');
  await page.unrouteAll();

  await page.goto('/inbox');
  await page.getByTestId('inbox-message').first().click();
  await framed(page, 'inbox-html', 'inbox-html');
  await page.getByRole('tab', { name: 'Headers' }).click();
  await page.getByTestId('inbox-headers').waitFor();
  await shootNow(page, 'inbox-headers');
  await page.getByRole('tab', { name: 'Raw' }).click();
  await page.getByTestId('inbox-raw').waitFor();
  await shootNow(page, 'inbox-raw');

  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto('/campaigns');
  await page.getByTestId('campaign-Spring single-origins').waitFor();
  await shoot(page, 'mobile-campaigns');
  await page.goto(`/campaigns/${sent.id}`);
  await page.getByTestId('stat-cards').waitFor();
  await shoot(page, 'mobile-campaign-results');
  const draft = await app.ctx.campaigns.create(auth, { name: 'Mobile draft', emailId: email.id, audience: { segmentIds: [segment.id] } });
  await page.goto(`/campaigns/${draft.id}/edit?step=audience`);
  await page.getByTestId('recipient-count').waitFor();
  await shoot(page, 'mobile-campaign-wizard');
  await page.goto('/inbox');
  await page.getByTestId('inbox-message').first().click();
  await framed(page, 'inbox-html', 'mobile-inbox-reader');
  await page.goto('/settings/domains');
  await page.getByTestId('domain-news.acme.test').click();
  await page.getByTestId('record-dkim').waitFor();
  await shoot(page, 'mobile-domain');
  await page.goto('/settings/providers');
  await page.getByTestId('providers').waitFor();
  await shoot(page, 'mobile-providers');
  await page.setViewportSize({ width: 1280, height: 800 });
}

const app = await startApp();
const logo = await startLogoServer();
const browser = await launchBrowser({ baseUrl: app.baseUrl, viewport: { width: 1280, height: 800 } });
requestsOf(browser.page);
const { page } = browser;
try {
  await page.goto('/');
  await page.getByRole('heading', { name: 'Welcome to Tidings' }).waitFor();
  await shoot(page, 'setup');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByRole('button', { name: 'Create account and brand' }).click();
  await page.getByText('Must be at least 10 characters').waitFor();
  await shoot(page, 'setup-errors');

  await seed(app, logo.url);
  await page.goto('/sign-in');
  await page.getByRole('heading', { name: 'Sign in to Tidings' }).waitFor();
  await shoot(page, 'sign-in');
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Account menu' }).waitFor();

  for (const section of ALL_SECTIONS) {
    await page.goto(section.path);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await shoot(page, section.path.slice(1).replaceAll('/', '-'));
  }

  await page.goto('/audience/contacts');
  await page.getByTestId('contact-maya.okafor@gmail.com').click();
  await page.getByRole('heading', { name: 'Maya Okafor' }).waitFor();
  await shoot(page, 'contact-detail');
  await page.goto('/audience/contacts');
  await page.getByRole('checkbox', { name: 'Select all on this page' }).check();
  await shoot(page, 'contacts-selected');
  await page.getByRole('button', { name: 'Custom fields' }).click();
  await page.getByRole('dialog').getByText('favourite_roast').waitFor();
  await shoot(page, 'custom-fields');
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Add contact' }).first().click();
  await page.getByRole('dialog').waitFor();
  await shoot(page, 'add-contact');
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await page.goto('/audience/contacts?q=nobody-matches');
  await page.getByText('No contacts match').waitFor();
  await shoot(page, 'contacts-no-match');

  await page.goto('/audience/segments');
  await page.getByTestId('segment-Engaged European customers').click();
  await page.getByTestId('segment-count').waitFor();
  await shoot(page, 'segment-editor');
  await page.goto('/audience/segments/new');
  await page.getByTestId('segment-count').waitFor();
  // The count follows the filter after a short pause; wait for the count of the edited filter.
  const recount = page.waitForResponse((r) => r.url().endsWith('/api/v1/segments/count'));
  await page.getByRole('button', { name: 'Add condition' }).click();
  await recount;
  await shoot(page, 'segment-new');

  const csv = path.join(outDir, '..', `tidings-import-${process.pid}.csv`);
  fs.writeFileSync(csv, 'E-Mail;Vorname;Nachname;Land;Lieblingsröstung;Tags\nanna.schmidt@example.de;Anna;Schmidt;DE;Espresso;customer\nbad-address;Ben;Meyer;DE;Filter;\nmaya.okafor@gmail.com;Maya;Okafor;NG;Guji;customer\n');
  await page.goto('/audience/import');
  await page.locator('input[type=file]').setInputFiles(csv);
  await page.getByRole('button', { name: 'Start import' }).waitFor();
  await shoot(page, 'import-mapping');
  await page.getByRole('button', { name: 'Start import' }).click();
  await page.getByText('Import finished').waitFor();
  await shoot(page, 'import-done');
  fs.rmSync(csv);

  await page.goto('/settings/brand');
  await page.getByLabel('Reply-To').fill('not an address');
  await page.getByLabel('Primary', { exact: true }).fill('#7c3aed');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Must be an email address').waitFor();
  await shoot(page, 'brand-kit-errors');
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await shoot(page, 'brand-kit-bottom');

  await page.goto('/settings/api-keys');
  await page.getByRole('button', { name: 'Create API key' }).first().click();
  await page.getByRole('dialog').getByLabel('Name').fill('Nightly CRM sync');
  await shoot(page, 'api-key-create');
  await page.getByRole('dialog').getByRole('button', { name: 'Create key' }).click();
  await page.getByTestId('api-key-secret').waitFor();
  await shoot(page, 'api-key-secret');
  await page.getByRole('button', { name: 'I have copied it' }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });

  await page.goto('/settings/members');
  await page.getByRole('button', { name: 'Remove grace@acme.test' }).click();
  await page.getByRole('dialog').waitFor();
  await shoot(page, 'members-remove');
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });

  await page.getByRole('button', { name: 'Switch brand' }).click();
  await page.getByRole('menu').waitFor();
  await shoot(page, 'brand-switcher');
  await page.getByRole('menuitem', { name: 'New brand' }).click();
  await page.getByRole('dialog').waitFor();
  await shoot(page, 'new-brand');
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });

  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menu').waitFor();
  await shoot(page, 'user-menu');
  await page.keyboard.press('Escape');

  await page.goto('/no/such/page');
  await shoot(page, 'not-found');

  await emailShots(page);
  await deliveryShots(page);
  await campaignShots(page);

  // What a viewer sees: the kit read-only, manager-only pages explained rather than broken.
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByLabel('Email').fill('alan@acme.test');
  await page.getByLabel('Password', { exact: true }).fill('another long password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Account menu' }).waitFor();
  await page.goto('/settings/brand');
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await shoot(page, 'viewer-brand-kit');
  await page.goto('/settings/api-keys');
  await page.getByText('Not available to your role').waitFor();
  await shoot(page, 'viewer-api-keys');
  await page.goto('/emails');
  await page.getByRole('table').getByRole('link').first().click();
  await reloadEditor(page);
  await shootEditor(page, 'viewer-email-editor');

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/settings/brand');
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await shoot(page, 'mobile-brand-kit');
  await page.goto('/emails');
  await page.getByRole('table').waitFor();
  await shoot(page, 'mobile-emails');
  await page.getByRole('table').getByRole('link').first().click();
  await reloadEditor(page);
  await shootEditor(page, 'mobile-email-editor');

  console.log(shots.join('\n'));
} finally {
  await browser.close();
  logo.close();
  await app.close();
}
