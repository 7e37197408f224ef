// First run on an empty database: the choices, then the demo workspace filling the queue.
import { expect, test } from '@playwright/test';
import { startApp, type App } from './harness';
import { seriousA11yViolations } from './axe';
import { shotPath } from './shots';

let app: App;

test.beforeAll(async () => {
  app = await startApp(null);
});
test.afterAll(async () => {
  await app?.close();
});

test('first run offers the demo workspace, which fills the queue', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);
  const first = page.getByTestId('first-run');
  await expect(first).toBeVisible();
  await expect(first).toContainText('Open the demo workspace');
  await expect(first).toContainText('Import a folder');
  await expect(first).toContainText('Add an email account');
  await expect(first).toContainText('Connect X');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.screenshot({ path: shotPath('first-run.png') });

  // Adding an email account opens the form in settings; a wrong server gives a clear failure.
  await page.getByTestId('first-run-add-email').click();
  const form = page.getByTestId('add-email-account');
  await expect(form).toBeVisible();
  await form.getByLabel('IMAP server').fill('127.0.0.1');
  await form.getByLabel('Port').first().fill('1');
  await form.getByLabel('User name').fill('me@example.com');
  await form.getByLabel('Password or app password').fill('secret');
  await form.getByRole('button', { name: 'Test the connection' }).click();
  await expect(page.getByTestId('account-check')).toContainText('IMAP: failed');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.screenshot({ path: shotPath('settings.png') });
  expect((await app.core.call('accounts.list', { channel: 'email' })).length).toBe(0);
  await page.keyboard.press('Escape');
  await expect(form).toBeHidden();

  await page.getByTestId('open-demo').click();
  await expect(first).toBeHidden();
  await expect(page.getByTestId('queue-row').first()).toBeVisible();
  const stats = await app.core.call('stats.get', {});
  expect(stats.conversations).toBeGreaterThan(150);
  expect(stats.messages).toBeGreaterThan(300);
  // The navbar counts follow the core (the linking engine may mark more escalations as it scores).
  await expect
    .poll(async () => {
      const counts = await app.core.call('conversations.counts', {});
      const ui = [await page.getByTestId('count-inbox').textContent(), await page.getByTestId('count-escalated').textContent()];
      return ui.join('/') === `${counts.open.toLocaleString('en-US')}/${counts.escalated}` && counts.escalated > 0;
    })
    .toBe(true);
  // Escalations lead the queue.
  const escalated = await page.getByTestId('queue-row').evaluateAll((els) => els.slice(0, 3).map((e) => e.hasAttribute('data-escalated')));
  expect(escalated).toEqual([true, true, true]);
  await expect(page.getByTestId('escalation')).toBeVisible();
  await expect(page.getByTestId('link-panel')).toBeVisible();
  await expect(page.getByTestId('link-evidence').first()).not.toBeEmpty();
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.addStyleTag({ content: '.mantine-Notifications-root { display: none !important; }' });
  await page.screenshot({ path: shotPath('demo.png') });

  // A second load is refused with a clear message and changes nothing.
  await expect(app.core.call('demo.load', {})).rejects.toThrow(/only fills an empty workspace/);
  expect((await app.core.call('stats.get', {})).conversations).toBe(stats.conversations);
  expect(errors).toEqual([]);
});
