import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ManualClock } from '../../src/shared/clock.ts';
import { launchBrowser, startApp, type RunningApp, type RunningBrowser } from '../helpers/browser.ts';

/** Screenshots of every state of the Series pages, for review (not compared). */
const SHOTS = '/tmp/series-shots';
const DAY_MS = 86_400_000;

// Issue 5 end to end in a real browser: a 4-email series from one brief, reordered by dragging,
// rewritten by one instruction, started for a segment, and its first email read in the inbox after
// the injected clock moves on.
describe('web app series', () => {
  let app: RunningApp;
  let browser: RunningBrowser;
  let page: Page;
  let brandId: string;
  let seriesId: string;
  let clockKey: string;
  let lukasId: string;
  // The app runs on a clock the test moves (through the test hook), starting now so that session
  // cookies are valid for the real browser.
  const clock = new ManualClock(new Date());
  const actor = { type: 'system' as const, id: null };
  /** Pages whole from the top; dialogs as the viewport shows them. */
  async function shot(name: string, { dialog = false } = {}) {
    if (!dialog) await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: !dialog });
  }

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    app = await startApp({ clock, testHooks: true });
    const { user, brand } = await app.ctx.brands.setup({
      user: { email: 'ada@acme.test', name: 'Ada Owner', password: 'correct horse battery' },
      brand: { name: 'Acme Coffee', postalAddress: '1 Bean St, Portland, OR 97201', fromEmail: 'hello@acme.test', fromName: 'Acme Coffee' },
    });
    brandId = brand.id;
    // The clock hook is an API route like any other: it takes a key with the series scope.
    clockKey = (await app.ctx.brands.createApiKey(brandId, { name: 'test clock', scopes: ['series:write'] }, { type: 'user', id: user.id })).secret;
    const fresh = await app.ctx.audience.createTag(brandId, { name: 'new-subscriber', color: '#12b886' });
    await app.ctx.audience.createContact(brandId, { email: 'maya@example.com', firstName: 'Maya', status: 'subscribed', tagIds: [fresh.id] }, actor);
    lukasId = (await app.ctx.audience.createContact(brandId, { email: 'lukas@example.de', firstName: 'Lukas', status: 'subscribed', tagIds: [fresh.id] }, actor)).id;
    await app.ctx.segments.create(brandId, { name: 'New subscribers', filter: { op: 'and', rules: [{ field: 'tags', op: 'any', value: [fresh.id] }] } }, actor);

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
  });

  const navLink = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
  const card = (n: number) => page.getByTestId(`step-${n}`);
  const subjectOf = async (n: number) => (await card(n).getByTestId('step-subject').textContent())!.trim();
  const tab = (name: RegExp | string) => page.getByRole('tab', { name });
  /** Moves the app's clock on and runs one drip tick, through the test hook. */
  async function advanceClock(ms: number) {
    const res = await fetch(`${app.baseUrl}/api/v1/test/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${clockKey}` },
      body: JSON.stringify({ advanceMs: ms }),
    });
    expect(res.status).toBe(200);
  }

  it('generates a 4-email series from a brief, naming the field the server rejects', async () => {
    await navLink('Series').click();
    await page.getByText('No series yet').waitFor();
    await shot('01-empty-list');

    await page.getByRole('button', { name: 'New series' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Describe the journey').fill('A 4-email welcome flow for new subscribers of a coffee subscription');
    await dialog.getByLabel('How many emails').fill('40');
    await dialog.getByRole('button', { name: 'Plan and write' }).click();
    await dialog.getByText('Must be at most 12').waitFor();
    expect(await dialog.getByLabel('How many emails').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('How many emails').fill('');

    // Hold the request back until the progress state is on screen: the offline composer is quick.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/v1/series/generate', async (route) => {
      await held;
      await route.continue();
    });
    await dialog.getByRole('button', { name: 'Plan and write' }).click();
    await page.getByTestId('series-generating').getByText('Planning the arc', { exact: false }).waitFor();
    await shot('02-generating', { dialog: true });
    release();
    await page.waitForURL(/\/series\/ser_[^/?]+$/);
    await page.unroute('**/api/v1/series/generate');
    seriesId = new URL(page.url()).pathname.split('/')[2];

    for (const n of [1, 2, 3, 4]) await card(n).waitFor();
    expect(await page.getByTestId(/^step-\d+$/).count()).toBe(4);
    const series = await app.ctx.series.get(brandId, seriesId);
    expect(series.steps).toHaveLength(4);
    expect(await card(1).getByTestId('step-day').textContent()).toBe(`Day ${series.steps[0].offsetDays}`);
    expect(await subjectOf(1)).toBe(series.steps[0].email!.subject);
    await shot('03-arc');
  });

  it('reorders emails by dragging a card, or with the arrow buttons', async () => {
    const before = (await app.ctx.series.get(brandId, seriesId)).steps;
    const [first, second] = [await subjectOf(1), await subjectOf(2)];

    // Drop the second card on the top half of the first: it goes before it.
    await card(2).dragTo(card(1), { targetPosition: { x: 40, y: 8 } });
    await page.getByTestId('refine-reply').filter({ hasText: 'Moved email 2 to position 1.' }).waitFor();
    expect([await subjectOf(1), await subjectOf(2)]).toEqual([second, first]);

    const after = (await app.ctx.series.get(brandId, seriesId)).steps;
    expect(after.map((s) => s.id)).toEqual([before[1].id, before[0].id, before[2].id, before[3].id]);
    // The cadence stays with the positions: day numbers do not move with the emails.
    expect(after.map((s) => s.offsetDays)).toEqual(before.map((s) => s.offsetDays));

    // Without a mouse: the arrow buttons move a card one place.
    const [third, fourth] = [await subjectOf(3), await subjectOf(4)];
    await page.getByRole('button', { name: 'Move email 4 up' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('refine-reply').filter({ hasText: 'Moved email 4 to position 3.' }).waitFor();
    expect([await subjectOf(3), await subjectOf(4)]).toEqual([fourth, third]);
    expect((await app.ctx.series.get(brandId, seriesId)).steps.map((s) => s.id)).toEqual([before[1].id, before[0].id, before[3].id, before[2].id]);
  });

  it('applies one instruction to every email through the refine box, naming each email it could not change', async () => {
    const emailIds = (await app.ctx.series.get(brandId, seriesId)).steps.map((s) => s.emailId!);
    const versions = await Promise.all(emailIds.map(async (id) => (await app.ctx.emails.get(brandId, id)).version));
    const instruction = page.getByRole('textbox', { name: 'Instruction' });
    const send = page.getByRole('button', { name: 'Send instruction' });

    // The offline composer knows a fixed set of edits: a free-form one fails for every email, and says so per email.
    await instruction.fill('Mention our podcast in every email');
    await send.click();
    await page.getByTestId('refine-reply').filter({ hasText: 'changed no email' }).waitFor({ timeout: 30_000 });
    const failures = page.getByTestId('edit-failures').last();
    for (const n of [1, 2, 3, 4]) await failures.getByText(`Email ${n}`).waitFor();
    await failures.getByText(/does not understand/).first().waitFor();

    await instruction.fill('Change the button text to Claim free shipping');
    await send.click();
    await page.getByTestId('refine-reply').filter({ hasText: 'all 4 were rewritten and saved' }).waitFor({ timeout: 30_000 });
    await shot('04-refine');
    for (const [i, id] of emailIds.entries()) expect((await app.ctx.emails.get(brandId, id)).version).toBe(versions[i] + 1);

    // A link to an example domain: preflight will call it critical, which the start must get past.
    await instruction.fill('Change the button link to https://shop.acme.test/free-shipping');
    await send.click();
    await page.getByTestId('refine-reply').filter({ hasText: 'Applied “Change the button link' }).waitFor({ timeout: 30_000 });
  });

  it('shows the cadence and the series preflight', async () => {
    await tab('Cadence').click();
    const day = (n: number) => page.getByRole('textbox', { name: `Day of email ${n}` });
    const [day3, day4] = [Number(await day(3).inputValue()), Number(await day(4).inputValue())];

    // Offsets count from enrolment and cannot go backwards: the server says which email's day is wrong.
    await day(2).fill(String(day3 + 3));
    await page.getByRole('button', { name: 'Save cadence' }).click();
    await page.getByText(`Must be at most ${day3} (the offset of the email after it)`, { exact: false }).waitFor();
    expect(await day(2).getAttribute('aria-invalid')).toBe('true');
    await shot('05-cadence-error');

    await page.getByRole('button', { name: 'Discard' }).click();
    await day(4).fill(String(day4 + 1));
    await page.getByRole('combobox', { name: 'Send hour' }).click();
    await page.getByRole('option', { name: '10:00' }).click();
    await page.getByRole('button', { name: 'Save cadence' }).click();
    await page.getByText('Cadence saved.').waitFor();
    const saved = await app.ctx.series.get(brandId, seriesId);
    expect([saved.sendHour, saved.steps[3].offsetDays]).toEqual([10, day4 + 1]);
    await shot('05-cadence');

    await page.getByRole('button', { name: 'Preflight', exact: true }).click();
    await page.getByTestId('preflight-steps').waitFor({ timeout: 30_000 });
    await page.locator('button[data-loading]').first().waitFor({ state: 'detached' });
    expect(await page.getByTestId(/^preflight-step-\d+$/).count()).toBe(4);
    await page.getByTestId('preflight-verdict').getByText('4 critical findings block the start').waitFor();
    // Each email's own findings open under its row.
    await page.getByTestId('preflight-step-1').getByRole('button', { name: /Email 1/ }).click();
    await page.getByTestId('finding').getByText(/shop\.acme\.test/).first().waitFor();
    await shot('06-preflight');
  });

  it('starts the series for a segment and sends step 1 when the clock moves on', async () => {
    await tab(/^Emails/).click();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox', { name: 'Segments' }).click();
    await page.getByRole('option', { name: 'New subscribers' }).click();
    await page.keyboard.press('Escape');
    // Preflight runs as the dialog opens: the example-domain links block the start until a manager
    // (the owner) overrides them.
    const blocked = dialog.getByTestId('start-blocked');
    await blocked.waitFor({ timeout: 30_000 });
    await blocked.getByText(/shop\.acme\.test/).first().waitFor();
    expect(await dialog.getByRole('button', { name: 'Start series' }).isDisabled()).toBe(true);
    await shot('07-start-dialog', { dialog: true });
    await dialog.getByLabel(/Start anyway/).check();
    await dialog.getByRole('button', { name: 'Start series' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('series-status').getByText('Running').waitFor();

    const series = await app.ctx.series.get(brandId, seriesId);
    expect(series.status).toBe('active');
    expect(series.counts.enrolled).toBe(2);

    // Step 1 is due at enrolment (day 0) or on its day at the send hour: move the clock past it.
    await advanceClock((series.steps[0].offsetDays + 1) * DAY_MS);

    const subject = series.steps[0].email!.subject;
    await navLink('Inbox').click();
    await page.getByTestId('inbox-message').filter({ hasText: 'maya@example.com' }).filter({ hasText: subject }).click({ timeout: 30_000 });
    await page.getByTestId('message-subject').getByText(subject).waitFor();
    // The email as the edit-all left it.
    await page.frameLocator('[data-testid="inbox-html"]').getByRole('link', { name: 'Claim free shipping' }).waitFor();
  });

  it('moves the contacts on to step 2, letting the one who unsubscribed go', async () => {
    await app.ctx.audience.updateContact(brandId, lukasId, { status: 'unsubscribed' }, actor);
    const steps = (await app.ctx.series.get(brandId, seriesId)).steps;
    await advanceClock((steps[1].offsetDays - steps[0].offsetDays) * DAY_MS);

    await page.goto(`/series/${seriesId}?tab=enrolments`);
    await page.getByTestId('enrolment-lukas@example.de').getByText('Unsubscribed').waitFor({ timeout: 30_000 });
    await page.getByTestId('enrolment-maya@example.com').getByText('Email 3').waitFor();
    await shot('08-enrolments');
    await page.getByTestId('enrolment-maya@example.com').click();
    const trail = page.getByTestId('enrolment-trail');
    for (const event of ['Enrolled', 'Email 1 sent', 'Email 2 sent']) await trail.getByText(event).waitFor({ timeout: 30_000 });
    await shot('08-enrolments-trail', { dialog: true });
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('shows the results by step with the drop-off, and the series in the list', async () => {
    await tab('Results').click();
    const stepRow = (n: number) => page.getByTestId(`step-stats-${n}`);
    await stepRow(1).getByTestId('step-sent').getByText('2', { exact: true }).waitFor({ timeout: 30_000 });
    await stepRow(2).getByTestId('step-sent').getByText('1', { exact: true }).waitFor({ timeout: 30_000 });
    // Of the two who got email 1, one left before email 2.
    await stepRow(1).getByText('50 %').waitFor();
    await page.getByTestId('stat-exited').getByText('1 unsubscribed').waitFor();
    await page.getByTestId('dropoff-chart').getByText('−50 %').waitFor();
    await shot('09-results');

    await navLink('Series').click();
    await page.getByTestId('series-list').getByText('Running').waitFor();
    await page.getByTestId('series-enrolled').getByText('2', { exact: true }).waitFor();
    await shot('10-list');

    // A series that is not there (deleted, or a mistyped link) says so instead of showing an empty page.
    await page.goto('/series/ser_missing');
    await page.getByText('Series not found').waitFor();
    await page.getByText(/ser_missing was not found/).waitFor();
    await shot('11-not-found');
  });
});
