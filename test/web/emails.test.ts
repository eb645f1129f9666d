import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Block, EmailDocument } from '../../src/emails/model.ts';
import { launchBrowser, startApp, type RunningApp, type RunningBrowser } from '../helpers/browser.ts';

const allBlocks = (doc: EmailDocument): Block[] => doc.sections.flatMap((s) => s.blocks.flatMap((b): Block[] => (b.type === 'columns' ? [b, ...b.columns.flatMap((c) => c.blocks)] : [b])));

// The email editor in a real browser against a real server: generate, edit, save, preflight.
describe('web app emails', () => {
  let app: RunningApp;
  let browser: RunningBrowser;
  let page: Page;
  let brandId: string;
  let emailId: string;

  beforeAll(async () => {
    app = await startApp();
    const { brand } = await app.ctx.brands.setup({
      user: { email: 'ada@acme.test', name: 'Ada Owner', password: 'correct horse battery' },
      brand: { name: 'Acme Coffee', postalAddress: '1 Bean St, Portland, OR 97201', fromEmail: 'hello@acme.test' },
    });
    brandId = brand.id;
    browser = await launchBrowser({ baseUrl: app.baseUrl, viewport: { width: 1440, height: 900 } });
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
  });

  const outline = () => page.getByRole('region', { name: 'Email outline' });
  const preview = () => page.frameLocator('[data-testid="email-preview"]');
  const saveState = () => page.getByTestId('save-state');

  it('generates an email from a prompt and opens it in the editor', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Emails', exact: true }).click();
    await page.getByText('No emails yet').waitFor();
    await page.getByRole('button', { name: 'Generate from prompt' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('What should the email say?').fill('Spring sale: 20% off every single-origin coffee this weekend only');
    await dialog.getByRole('button', { name: 'Generate email' }).click();

    await page.waitForURL(/\/emails\/eml_/);
    emailId = new URL(page.url()).pathname.split('/').pop()!;
    const stored = await app.ctx.emails.get(brandId, emailId);
    expect(stored.version).toBe(1);
    await page.getByRole('heading', { level: 1, name: stored.name }).waitFor();
    await saveState().getByText('Saved · version 1').waitFor();
    // The preview is the server's render of the saved email, subject included.
    await page.getByTestId('preview-subject').getByText(stored.subject).waitFor();
    const firstHeading = allBlocks(stored.document!).find((b) => b.type === 'heading');
    expect(firstHeading).toBeDefined();
    await preview().getByText((firstHeading as { text: string }).text.replace(/\*\*/g, '')).first().waitFor();
  });

  it('shows the server’s problem on the block field, then saves a heading change as a new version', async () => {
    const stored = await app.ctx.emails.get(brandId, emailId);
    const button = allBlocks(stored.document!).find((b) => b.type === 'button')!;
    await page.getByTestId(`outline-${button.id}`).getByRole('button').first().click();
    await page.getByLabel('Link').fill('not a link');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Must be an http(s) or mailto: URL').waitFor();
    await saveState().getByText(/Not saved/).waitFor();
    await page.getByLabel('Link').fill('https://acme.test/spring');

    const heading = allBlocks(stored.document!).find((b) => b.type === 'heading')!;
    await outline().getByTestId(`outline-${heading.id}`).getByRole('button').first().click();
    await page.getByLabel('Heading text').fill('Fresh beans, fresh start');
    await saveState().getByText('Unsaved changes').waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await saveState().getByText('Saved · version 2').waitFor();

    const saved = await app.ctx.emails.get(brandId, emailId);
    expect(saved.version).toBe(2);
    expect(allBlocks(saved.document!).find((b) => b.id === heading.id)).toMatchObject({ text: 'Fresh beans, fresh start' });
    expect(allBlocks(saved.document!).find((b) => b.id === button.id)).toMatchObject({ url: 'https://acme.test/spring' });
    // The preview re-renders the new version.
    await preview().getByText('Fresh beans, fresh start').waitFor();
  });

  it('runs preflight and shows the score, the spam engine and the findings by severity', async () => {
    await page.getByRole('tab', { name: 'Preflight' }).click();
    await page.getByRole('button', { name: 'Run preflight' }).click();
    await page.getByTestId('preflight-score').waitFor();

    const report = await app.ctx.preflight.latest(brandId, emailId);
    expect(report.version).toBe(2);
    expect(await page.getByTestId('preflight-score').textContent()).toBe(String(report.score));
    for (const severity of ['critical', 'important', 'suggested'] as const) {
      expect(await page.getByTestId(`preflight-count-${severity}`).textContent()).toBe(`${report.counts[severity]} ${severity}`);
    }
    await page.getByTestId('spam-engine').getByText(report.spam.engine === 'spamassassin' ? /SpamAssassin/ : /Heuristic/).waitFor();
    expect(await page.getByTestId('finding').count()).toBe(report.findings.length);
    if (report.findings.length > 0) await page.getByText(report.findings[0].message).first().waitFor();
    else await page.getByText('No findings').waitFor();
  });

  it('compares versions in the history and restores the generated one', async () => {
    const generated = await app.ctx.emails.version(brandId, emailId, 1);
    await page.getByRole('button', { name: 'History' }).click();
    await page.getByTestId('version-2').click();
    // Version 2 changed the heading: the diff shows the old and the new line.
    await page.getByTestId('line-diff').getByText(/Fresh beans, fresh start/).first().waitFor();
    await page.getByTestId('version-1').click();
    await page.getByRole('button', { name: 'Restore version 1' }).click();
    await page.getByRole('dialog', { name: 'Restore version 1?' }).getByRole('button', { name: 'Restore' }).click();
    await page.getByText('Version 1 restored as version 3.').waitFor();

    const restored = await app.ctx.emails.get(brandId, emailId);
    expect(restored.version).toBe(3);
    expect(restored.document).toEqual(generated.document);
    const versions = await app.ctx.emails.versions(brandId, emailId);
    expect(versions[0]).toMatchObject({ version: 3, note: 'restore of v1' });
  });
});
