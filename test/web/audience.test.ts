import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, startApp, type RunningApp, type RunningBrowser } from '../helpers/browser.ts';

// The audience pages in a real browser against a real server: each step builds on the previous one.
describe('web app audience', () => {
  let app: RunningApp;
  let browser: RunningBrowser;
  let page: Page;
  let brandId: string;
  const actor = { type: 'system' as const, id: null };

  beforeAll(async () => {
    app = await startApp();
    const { brand } = await app.ctx.brands.setup({
      user: { email: 'ada@acme.test', name: 'Ada Owner', password: 'correct horse battery' },
      brand: { name: 'Acme Coffee', postalAddress: '1 Bean St, Portland', fromEmail: 'hello@acme.test' },
    });
    brandId = brand.id;
    const vip = await app.ctx.audience.createTag(brandId, { name: 'vip', color: '#e64980' });
    await app.ctx.audience.createContact(brandId, { email: 'maya@example.com', firstName: 'Maya', lastName: 'Okafor', country: 'NG', status: 'subscribed', tagIds: [vip.id] }, actor);
    await app.ctx.audience.createContact(brandId, { email: 'lukas@example.de', firstName: 'Lukas', country: 'DE', status: 'unsubscribed' }, actor);
    browser = await launchBrowser({ baseUrl: app.baseUrl });
    page = browser.page;
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill('ada@acme.test');
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Contacts').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const heading = (name: string) => page.getByRole('heading', { level: 1, name, exact: true });
  const contactRow = (email: string) => page.getByTestId(`contact-${email}`);
  const navLink = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

  it('lists, filters and searches contacts', async () => {
    await contactRow('maya@example.com').waitFor();
    await contactRow('lukas@example.de').waitFor();

    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Unsubscribed' }).click();
    await contactRow('maya@example.com').waitFor({ state: 'detached' });
    await contactRow('lukas@example.de').waitFor();
    expect(new URL(page.url()).searchParams.get('status')).toBe('unsubscribed');

    await page.goto('/audience/contacts?q=maya');
    await contactRow('maya@example.com').waitFor();
    await contactRow('lukas@example.de').waitFor({ state: 'detached' });
    expect(await page.getByLabel('Search contacts').inputValue()).toBe('maya');
  });

  it('adds a contact, showing the server’s field errors first', async () => {
    await page.goto('/audience/contacts');
    await page.getByRole('button', { name: 'Add contact' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Email').fill('maya@example.com');
    await dialog.getByRole('button', { name: 'Add contact' }).click();
    await dialog.getByText('A contact with email maya@example.com already exists').waitFor();

    await dialog.getByLabel('Email').fill('Grace@Example.com ');
    await dialog.getByLabel('First name').fill('Grace');
    await dialog.getByRole('button', { name: 'Add contact' }).click();
    await dialog.waitFor({ state: 'detached' });
    await contactRow('grace@example.com').waitFor();
    expect(await app.ctx.audience.countContacts(brandId, {})).toBe(3);
  });

  it('edits a contact, tags it, and shows the change in its activity', async () => {
    await contactRow('grace@example.com').click();
    await heading('Grace').waitFor();
    await page.getByLabel('Last name').fill('Hopper');
    await page.getByLabel('Country').fill('us');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await heading('Grace Hopper').waitFor();

    await page.getByRole('combobox', { name: 'Tags' }).click();
    await page.getByRole('option', { name: 'vip' }).click();
    await page.getByText('Tagged vip').waitFor();

    const { data } = await app.ctx.audience.listContacts(brandId, { search: 'grace' });
    expect(data[0]).toMatchObject({ lastName: 'Hopper', country: 'US' });
    expect(data[0].tags.map((t) => t.name)).toEqual(['vip']);
  });

  it('tags many contacts at once', async () => {
    await app.ctx.audience.createTag(brandId, { name: 'newsletter', color: '#4c6ef5' });
    await page.goto('/audience/contacts');
    await page.getByRole('checkbox', { name: 'Select all on this page' }).check();
    await page.getByText('3 selected').waitFor();
    await page.getByRole('button', { name: 'Actions' }).click();
    await page.getByRole('menuitem', { name: 'Add tags' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox').click();
    await page.getByRole('option', { name: 'newsletter' }).click();
    // The tag list stays open for more picks; clicking the dialog's title closes it, as a person would.
    await dialog.getByText('Add tags', { exact: true }).click();
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.waitFor({ state: 'detached' });

    await navLink('Tags').click();
    await page.getByTestId('tag-newsletter').getByRole('link', { name: '3' }).waitFor();
  });

  it('imports a CSV: maps its columns, runs it and reports every row', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-web-import-'));
    const file = path.join(dir, 'kunden.csv');
    fs.writeFileSync(file, 'E-Mail;Vorname;Lieblingsröstung\nanna@example.de;Anna;Espresso\nnot-an-email;Ben;Filter\nmaya@example.com;Maya;Guji\n');
    await navLink('Import').click();
    await page.locator('input[type=file]').setInputFiles(file);
    await heading('kunden.csv').waitFor();
    expect(await page.getByRole('combobox', { name: 'Import E-Mail as' }).inputValue()).toBe('Email');
    expect(await page.getByRole('combobox', { name: 'Import Vorname as' }).inputValue()).toBe('First name');

    await page.getByRole('button', { name: 'Start import' }).click();
    await page.getByText('Import finished').waitFor();
    expect(await page.getByTestId('import-imported').textContent()).toBe('Imported1');
    expect(await page.getByTestId('import-failed').textContent()).toBe('Failed1');
    expect(await page.getByTestId('import-skipped').textContent()).toBe('Skipped1');
    fs.rmSync(dir, { recursive: true, force: true });

    await page.getByRole('link', { name: 'View contacts' }).click();
    await contactRow('anna@example.de').waitFor();
  });

  it('builds a segment with a live count and saves it', async () => {
    await navLink('Segments').click();
    await page.getByRole('link', { name: 'New segment' }).first().click();
    await page.getByLabel('Name', { exact: true }).fill('VIPs');
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByRole('combobox', { name: 'Field' }).click();
    await page.getByRole('option', { name: 'Tags' }).click();
    await page.getByTestId('segment-condition').getByRole('combobox', { name: 'Value' }).click();
    await page.getByRole('option', { name: 'vip' }).click();
    // Maya and Grace carry the tag; the count follows the filter as it is edited.
    await page.getByTestId('segment-count').getByText('2', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Create segment' }).click();
    await page.getByText('Segment “VIPs” created.').waitFor();
    await navLink('Segments').click();
    await page.getByTestId('segment-VIPs').getByText('2', { exact: true }).waitFor();
  });

  it('suppresses an address and shows it on the contact', async () => {
    await navLink('Suppression').click();
    await page.getByLabel('Email to suppress').fill('maya@example.com');
    await page.getByLabel('Source').fill('Asked by phone');
    await page.getByRole('button', { name: 'Suppress' }).click();
    await page.getByTestId('suppression-maya@example.com').waitFor();

    await page.goto('/audience/contacts?q=maya');
    await contactRow('maya@example.com').click();
    await page.getByText('This address is suppressed').waitFor();
  });
});
