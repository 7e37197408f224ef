// Settings → Privacy (issue 18): spellcheck, which makes Chromium download dictionaries from Google on
// Windows and Linux, is off until the owner turns it on; the choice is the core's (the Electron
// shell applies it to the session when 'settings.changed' arrives).
import { expect, test } from '@playwright/test';
import { startApp, type App } from './harness';
import { SettingsPage } from './pages';

let app: App;
test.beforeAll(async () => {
  app = await startApp(null);
});
test.afterAll(async () => {
  await app?.close();
});

test('Settings → Privacy: spellcheck is off until the owner turns it on', async ({ page }) => {
  await page.goto(app.url);
  const settings = new SettingsPage(page);
  await settings.openTab('Privacy');
  const toggle = settings.dialog.getByRole('switch', { name: 'Check spelling while I type' });
  await expect(toggle).not.toBeChecked();
  expect((await app.core.call('settings.get', {})).spellcheck).toBe(false);
  await toggle.click({ force: true });
  await expect(toggle).toBeChecked();
  await expect.poll(async () => (await app.core.call('settings.get', {})).spellcheck).toBe(true);
  await app.core.call('settings.set', { spellcheck: false });
  await expect(toggle).not.toBeChecked();
});
