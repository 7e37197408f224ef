// Settings → Accounts: the owner changes what an X account listens to (watched searches, poll
// interval) and the core keeps it.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { accountsOf } from '../shared/contract/accounts';
import { smallData } from '../electron/core/x/testing/fixtures';
import { startXServer, type XTestServer } from '../electron/core/x/testing/server';
import { uiFixture } from './fixture';
import { startApp, type App } from './harness';
import { SettingsPage } from './pages';

let app: App;
let x: XTestServer;
test.beforeAll(async () => {
  app = await startApp(uiFixture(Date.now()));
  x = await startXServer({ data: smallData(), accessTokens: ['e2e-token'] });
  await app.core.call('accounts.add', { channel: 'x', name: 'Shop', credentials: { kind: 'oauth2', accessToken: 'e2e-token' }, apiBase: x.url, pollIntervalSec: 300 });
});
test.afterAll(async () => {
  await app?.close();
  await x?.close();
});

test('edits the watched searches and the poll interval of an X account', async ({ page }) => {
  await page.goto(app.url);
  await new SettingsPage(page).open();
  const form = page.getByTestId('x-listening');
  await expect(form).toBeVisible();
  await expect(page.getByTestId('x-listening-save')).toBeDisabled();
  const input = page.getByTestId('x-watched');
  await input.fill('"Northwind Bikes"');
  await input.press('Enter');
  await input.fill('trail 29 frame');
  await input.press('Enter');
  await page.getByTestId('x-poll').fill('15');
  await page.getByTestId('x-listening-save').click();
  await expect
    .poll(async () => {
      const [a] = accountsOf('x', await app.core.call('accounts.list', { channel: 'x' }));
      return a && { q: a.watchedQueries, poll: a.pollIntervalSec };
    })
    .toEqual({ q: ['"Northwind Bikes"', 'trail 29 frame'], poll: 900 });
  await expect(page.getByTestId('x-account')).toContainText('watching "Northwind Bikes", trail 29 frame');
  await page.screenshot({ path: path.join(import.meta.dirname, '../test-results/x-listening.png') });
});
