import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, startApp, type RunningApp, type RunningBrowser } from '../helpers/browser.ts';

/** The text screen readers announce with a field (its description and error), i.e. what is attached to it. */
const describedBy = (field: Locator) =>
  field.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id) => (id ? document.getElementById(id)?.textContent ?? '' : ''))
      .join(' '),
  );

// One story in a real browser against a real server; each step builds on the previous one.
describe('web app shell', () => {
  let app: RunningApp;
  let browser: RunningBrowser;
  let page: Page;

  const owner = { name: 'Ada Owner', email: 'ada@acme.test', password: 'correct horse battery' };

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser({ baseUrl: app.baseUrl });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const heading = (name: string) => page.getByRole('heading', { level: 1, name, exact: true });

  it('runs first-run setup, showing server validation errors on the fields', async () => {
    await page.goto('/');
    await heading('Welcome to Tidings').waitFor();
    expect(new URL(page.url()).pathname).toBe('/setup');

    await page.getByLabel('Your name').fill(owner.name);
    await page.getByLabel('Email', { exact: true }).fill('not-an-email');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Brand name').fill('Acme Coffee');
    await page.getByRole('button', { name: 'Create account and brand' }).click();

    await page.getByText('Must be at least 10 characters').waitFor();
    expect(await describedBy(page.getByLabel('Password', { exact: true }))).toContain('Must be at least 10 characters');
    expect(await describedBy(page.getByLabel('Email', { exact: true }))).toContain('Must be an email address');
    expect(await app.ctx.brands.isSetUp()).toBe(false);

    await page.getByLabel('Email', { exact: true }).fill(owner.email);
    await page.getByLabel('Password', { exact: true }).fill(owner.password);
    await page.getByLabel('From email').fill('hello@acme.test');
    await page.getByLabel('Postal address').fill('1 Bean St, Portland, OR 97201, USA');
    await page.getByRole('button', { name: 'Create account and brand' }).click();

    await heading('Contacts').waitFor();
    await page.getByRole('button', { name: 'Switch brand' }).getByText('Acme Coffee').waitFor();
    const [brand] = await app.ctx.brands.listBrands();
    expect(brand).toMatchObject({ name: 'Acme Coffee', fromEmail: 'hello@acme.test', postalAddress: '1 Bean St, Portland, OR 97201, USA' });
  });

  it('shows every product section, including the ones still being built', async () => {
    for (const label of ['Contacts', 'Import', 'Tags', 'Segments', 'Topics', 'Suppression', 'Emails', 'Campaigns', 'Series', 'Canvas', 'Exports', 'Inbox', 'Brand kit', 'Members', 'API keys', 'Audit log']) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).waitFor();
    }
    await page.getByRole('link', { name: 'Series', exact: true }).click();
    await heading('Series').waitFor();
    await page.getByText('No series yet').waitFor();
  });

  it('signs out, sends a signed-out visitor to sign-in, and returns them after signing in', async () => {
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await heading('Sign in to Tidings').waitFor();

    await page.goto('/settings/brand');
    await heading('Sign in to Tidings').waitFor();
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password', { exact: true }).fill('wrong password!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Email or password is incorrect').waitFor();

    await page.getByLabel('Password', { exact: true }).fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Brand kit').waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings/brand');
  });

  it('edits the brand kit and keeps the changes across a reload', async () => {
    await page.getByLabel('Brand name').fill('Acme Roasters');
    await page.getByLabel('Primary', { exact: true }).fill('#e11d48');
    await page.getByLabel('Voice and tone').fill('Warm and direct.');
    await page.getByLabel('Reply-To').fill('not an address');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Must be an email address').waitFor();

    await page.getByLabel('Reply-To').fill('replies@acme.test');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Brand kit saved').waitFor();

    const [brand] = await app.ctx.brands.listBrands();
    expect(brand).toMatchObject({ name: 'Acme Roasters', voice: 'Warm and direct.', replyTo: 'replies@acme.test' });
    expect(brand.colors.primary).toBe('#e11d48');

    await page.reload();
    await heading('Brand kit').waitFor();
    expect(await page.getByLabel('Brand name').inputValue()).toBe('Acme Roasters');
    expect(await page.getByLabel('Primary', { exact: true }).inputValue()).toBe('#e11d48');
    await page.getByRole('button', { name: 'Switch brand' }).getByText('Acme Roasters').waitFor();
  });

  it('creates an API key whose secret is shown once, and works', async () => {
    await page.getByRole('link', { name: 'API keys', exact: true }).click();
    await heading('API keys').waitFor();
    await page.getByRole('button', { name: 'Create API key' }).first().click();

    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Nightly sync');
    await dialog.getByRole('button', { name: 'None' }).click();
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await dialog.getByText('Needs at least one scope').waitFor();

    await dialog.getByRole('checkbox', { name: 'audience:read' }).check();
    await dialog.getByRole('checkbox', { name: 'brand:write' }).check();
    await dialog.getByRole('button', { name: 'Create key' }).click();

    const secretBox = dialog.getByTestId('api-key-secret');
    await secretBox.waitFor();
    const secret = (await secretBox.textContent())!.trim();
    expect(secret).toMatch(/^tdk_\S{20,}$/);
    await dialog.getByText('This is the only time the secret is shown').waitFor();

    const res = await fetch(`${app.baseUrl}/api/v1/brand`, { headers: { authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(200);
    expect((await res.json()).name).toBe('Acme Roasters');

    await dialog.getByRole('button', { name: 'I have copied it' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByTestId('key-Nightly sync');
    await row.getByText(`${secret.slice(0, 10)}…`).waitFor();
    expect(await page.content()).not.toContain(secret);

    await page.reload();
    await page.getByTestId('key-Nightly sync').waitFor();
    expect(await page.content()).not.toContain(secret);
  });

  it('creates a second brand, switches between brands, and keeps their data apart', async () => {
    await page.getByRole('button', { name: 'Switch brand' }).click();
    await page.getByRole('menuitem', { name: 'New brand' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Brand name').fill('Northwind Tea');
    await dialog.getByRole('button', { name: 'Create brand' }).click();

    await heading('Brand kit').waitFor();
    await page.getByRole('button', { name: 'Switch brand' }).getByText('Northwind Tea').waitFor();
    expect(await page.getByLabel('Brand name').inputValue()).toBe('Northwind Tea');
    await page.getByRole('link', { name: 'API keys', exact: true }).click();
    await page.getByText('No API keys yet').waitFor();

    await page.getByRole('button', { name: 'Switch brand' }).click();
    await page.getByRole('menuitem', { name: 'Acme Roasters' }).click();
    await page.getByTestId('key-Nightly sync').waitFor();
  });

  it('goes back to sign-in when the session ends on the server', async () => {
    await app.ctx.store.db.deleteFrom('sessions').execute();
    await page.getByRole('link', { name: 'Members', exact: true }).click();
    await heading('Sign in to Tidings').waitFor();
  });
});
