// While the linking build runs in the background, the top bar says so with its progress, and the
// badge goes away when the build ends.
import { expect, test } from '@playwright/test';
import { startApp, type App } from './harness';

let app: App;
test.beforeAll(async () => {
  app = await startApp(null);
  await app.core.call('demo.load', { customers: 3000 });
});
test.afterAll(async () => {
  await app?.close();
});

test('shows the background linking build and its progress', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('queue')).toBeVisible();
  await expect(page.getByTestId('linking-status')).toHaveCount(0);
  const build = app.core.call('links.refresh', { full: true });
  await expect(page.getByTestId('linking-status')).toContainText(/Linking customers \d+%/);
  const r = await build;
  expect(r.customers).toBeGreaterThan(1000);
  await expect(page.getByTestId('linking-status')).toHaveCount(0);
});
