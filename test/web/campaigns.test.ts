import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Block } from '../../src/emails/model.ts';
import { SCAN_WINDOW_MS } from '../../src/tracking/machine.ts';
import { launchBrowser, startApp, type RunningApp, type RunningBrowser } from '../helpers/browser.ts';

/** What a desktop Chrome says: the headless build announces itself as HeadlessChrome, which tracking rightly counts as a bot. */
const DESKTOP_CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

/** The page the email's button leads to, as the brand's own website would serve it. */
async function startLandingPage(): Promise<{ url: string; close(): void }> {
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Spring</title><h1>Spring single-origins are here</h1>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/spring`, close: () => server.close() };
}

// Issue 4 end to end in a real browser: create a campaign for a segment, send it, read it in the
// capture inbox, click its tracked link, and see the click in the results.
describe('web app campaigns', () => {
  let app: RunningApp;
  let browser: RunningBrowser;
  let landing: { url: string; close(): void };
  let page: Page;
  let brandId: string;
  let campaignId: string;
  const actor = { type: 'system' as const, id: null };

  beforeAll(async () => {
    app = await startApp();
    landing = await startLandingPage();
    const { user, brand } = await app.ctx.brands.setup({
      user: { email: 'ada@acme.test', name: 'Ada Owner', password: 'correct horse battery' },
      brand: { name: 'Acme Coffee', postalAddress: '1 Bean St, Portland, OR 97201', fromEmail: 'hello@acme.test', fromName: 'Acme Coffee' },
    });
    brandId = brand.id;
    const customer = await app.ctx.audience.createTag(brandId, { name: 'customer', color: '#12b886' });
    for (const [email, firstName, status] of [
      ['maya@example.com', 'Maya', 'subscribed'],
      ['lukas@example.de', 'Lukas', 'subscribed'],
      ['sofia@example.it', 'Sofia', 'unsubscribed'],
    ] as const) {
      await app.ctx.audience.createContact(brandId, { email, firstName, status, tagIds: [customer.id] }, actor);
    }
    await app.ctx.segments.create(brandId, { name: 'Customers', filter: { op: 'and', rules: [{ field: 'tags', op: 'any', value: [customer.id] }] } }, actor);

    // The starter email with its button pointing at the landing page.
    const auth = await app.ctx.brands.authForUser(user.id, brandId);
    const email = await app.ctx.emails.create(auth, { name: 'Spring sale', subject: 'Spring beans are here', preheader: 'Two new single-origins this week' });
    const document = structuredClone(email.document!);
    const button = document.sections.flatMap((s) => s.blocks).find((b): b is Extract<Block, { type: 'button' }> => b.type === 'button')!;
    button.text = 'See the spring beans';
    button.url = landing.url;
    await app.ctx.emails.update(auth, email.id, { document });

    browser = await launchBrowser({ baseUrl: app.baseUrl });
    page = browser.page;
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill('ada@acme.test');
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Contacts' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    landing?.close();
  });

  const navLink = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
  const continueButton = () => page.getByRole('button', { name: 'Continue' });

  it('creates a campaign for a segment in the wizard and sends it', async () => {
    await navLink('Campaigns').click();
    await page.getByText('No campaigns yet').waitFor();
    await page.getByRole('link', { name: 'New campaign' }).first().click();

    // 1 Email: picking it names the campaign after it and shows its preview.
    await page.getByTestId('pick-email-Spring sale').click();
    expect(await page.getByLabel('Campaign name').inputValue()).toBe('Spring sale');
    await page.frameLocator('[data-testid="campaign-email-preview"]').getByText('See the spring beans').waitFor();
    await continueButton().click();
    await page.waitForURL(/\/campaigns\/cmp_[^/]+\/edit\?step=audience/);
    campaignId = new URL(page.url()).pathname.split('/')[2];

    // 2 Audience: the segment's live count, and the unsubscribed contact in the skip preview.
    await page.getByRole('combobox', { name: 'Segments' }).click();
    await page.getByRole('option', { name: 'Customers' }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('recipient-count').getByText('2', { exact: true }).waitFor();
    await page.getByTestId('skip-preview').getByText('Unsubscribed').waitFor();
    const saved = await app.ctx.campaigns.get(brandId, campaignId);
    expect(saved.audience.segmentIds).toHaveLength(1);
    await continueButton().click();

    // 3 Sender: the brand's From is filled in; the provider is the built-in capture inbox.
    await page.waitForURL(/step=sender/);
    expect(await page.getByLabel('From address').inputValue()).toBe('hello@acme.test');
    await continueButton().click();

    // 4 Tracking: opens and clicks are on by default.
    await page.waitForURL(/step=tracking/);
    expect(await page.getByLabel('Track clicks').isChecked()).toBe(true);
    await continueButton().click();

    // 5 Preflight runs by itself on the email's current version.
    await page.waitForURL(/step=preflight/);
    await page.getByTestId('preflight-score').waitFor();
    const report = await app.ctx.preflight.latest(brandId, (await app.ctx.campaigns.get(brandId, campaignId)).emailId!);
    expect(await page.getByTestId('preflight-score').textContent()).toBe(String(report.score));
    // Links to loopback addresses (the test server's public URL, the landing page) are critical
    // findings: they block sending until a manager overrides them. The owner is a manager.
    expect(report.counts.critical).toBeGreaterThan(0);
    expect(await continueButton().isDisabled()).toBe(true);
    await page.getByLabel(/Send anyway/).check();
    await continueButton().click();

    // 6 Send now, confirmed.
    await page.waitForURL(/step=launch/);
    await page.getByTestId('summary-recipients').getByText('2 recipients').waitFor();
    await page.getByRole('button', { name: 'Send now', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Send now' }).click();
    await page.waitForURL(new RegExp(`/campaigns/${campaignId}$`));
    await page.getByTestId('campaign-status').getByText('Sent').waitFor({ timeout: 30_000 });

    const sent = await app.ctx.campaigns.get(brandId, campaignId);
    expect(sent).toMatchObject({ status: 'sent', sent: 2, skipped: 1, failed: 0 });
  });

  it('shows the message in the capture inbox, with its tracked link', async () => {
    await navLink('Inbox').click();
    await page.getByTestId('inbox-message').filter({ hasText: 'maya@example.com' }).click();
    await page.getByTestId('message-subject').getByText('Spring beans are here').waitFor();
    const html = page.frameLocator('[data-testid="inbox-html"]');
    await html.getByText('Hi Maya,').waitFor();
    const href = await html.getByRole('link', { name: 'See the spring beans' }).getAttribute('href');
    // Click tracking rewrote the link to the signed redirect, with the message token.
    expect(href).toMatch(/\/t\/c\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\/\d+$/);

    await page.getByRole('tab', { name: 'Headers' }).click();
    await page.getByTestId('inbox-headers').getByText('List-Unsubscribe', { exact: true }).waitFor();
    await page.getByRole('tab', { name: 'Raw' }).click();
    await page.getByTestId('inbox-raw').getByText(/Subject: Spring beans are here/).waitFor();

    // The recipient clicks: a browser that says it is Chrome, after the scanners' window has passed.
    const message = (await app.ctx.tracking.recipients(brandId, campaignId, { status: 'sent', search: 'maya' })).data[0];
    const waited = Date.parse(message.sentAt!) + SCAN_WINDOW_MS - Date.now();
    if (waited > 0) await new Promise((r) => setTimeout(r, waited));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.setUserAgentOverride', { userAgent: DESKTOP_CHROME });
    expect(href!.startsWith(`${app.baseUrl}/t/c/`)).toBe(true);
    await page.goto(href!);
    await page.getByRole('heading', { name: 'Spring single-origins are here' }).waitFor();
    expect(page.url()).toBe(landing.url);
    await cdp.detach();
  });

  it('shows the click in the campaign’s results and in the recipient’s trail', async () => {
    await app.ctx.tracking.settled(); // the click is written from the tracking inbox moments after the redirect
    await page.goto(`/campaigns/${campaignId}`);
    await page.getByTestId('stat-clicks-value').getByText('1', { exact: true }).waitFor();
    await page.getByTestId('link-clicks').getByText(landing.url).waitFor();
    expect(await page.getByTestId('link-clicks').getByTestId('link-unique').first().textContent()).toBe('1');
    expect(await page.getByTestId('stat-sent-value').textContent()).toBe('2');

    await page.getByRole('tab', { name: 'Recipients' }).click();
    await page.getByTestId('recipient-maya@example.com').getByText('Clicked').waitFor();
    await page.getByText(/^Skipped · /).click();
    await page.getByTestId('recipient-sofia@example.it').getByText('Unsubscribed').waitFor();
    await page.getByText(/^Sent · /).click();
    await page.getByTestId('recipient-maya@example.com').click();
    await page.getByTestId('trail').getByText('Clicked').waitFor();
    await page.getByTestId('trail').getByText('Sent').waitFor();
  });
});
