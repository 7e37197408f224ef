// The desktop shell's parts that live in the window (issue 15), in the browser host:
// - the application menu's command.run (the Electron shell sends it; here the core's bus does, as
//   the host forwards every event) runs the command through the same registry as its key;
// - links in mail and posts open outside (a new tab here, the system browser in Electron), and a
//   link whose text names another destination shows the real one and opens only when asked.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startApp, type App } from './harness';

let app: App;

function eml(name: string, lines: string[]): void {
  const dir = path.join(app.dir, 'incoming');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), lines.join('\r\n'));
}

test.beforeAll(async () => {
  app = await startApp(null);
  eml('phish.eml', [
    'From: PayPal <service@pay.test>',
    'To: Support <support@shop.test>',
    'Subject: Verify your account',
    'Date: Mon, 02 Nov 2026 10:00:00 +0000',
    'Message-ID: <phish-1@pay.test>',
    'MIME-Version: 1.0',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p>Please <a href="https://paypal.com.account-check.test/login">https://www.paypal.com/signin</a> today.</p>',
    '<p><a href="https://shop.test/track/1">Track your order</a></p>',
    '',
  ]);
  eml('plain.eml', [
    'From: Jane <jane@cust.test>',
    'To: Support <support@shop.test>',
    'Subject: Where is my order',
    'Date: Mon, 02 Nov 2026 11:00:00 +0000',
    'Message-ID: <plain-1@cust.test>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The tracking page https://shop.test/track/2. says nothing.',
    '',
  ]);
  await app.core.call('import.path', { path: path.join(app.dir, 'incoming'), selfAddresses: ['support@shop.test'] });
});
test.afterAll(async () => {
  await app?.close();
});

/** Answer the test hosts' pages in the new tabs, so their addresses can be checked. */
async function serveTestHosts(page: Page): Promise<void> {
  await page.context().route(/^https:\/\/[^/]*\.test\//, (r) => r.fulfill({ contentType: 'text/html', body: '<title>outside</title>' }));
}

async function openConversation(page: Page, subject: string): Promise<void> {
  await page.getByTestId('queue-row').filter({ hasText: subject }).click();
  const first = page.getByTestId('message').first();
  await first.locator('.msg-head').waitFor();
}

test('a menu command (command.run) runs through the command registry like its key', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('queue-row').first()).toBeVisible();
  await expect(page.getByTestId('view-escalated')).not.toHaveAttribute('data-active', 'true');
  app.core.events.emit('command.run', { id: 'go.escalated' });
  await expect(page.getByTestId('view-escalated')).toHaveAttribute('data-active', 'true');
  // An id that is no command changes nothing; a real one still runs after it.
  app.core.events.emit('command.run', { id: 'go.nowhere' });
  app.core.events.emit('command.run', { id: 'go.inbox' });
  await expect(page.getByTestId('view-inbox')).toHaveAttribute('data-active', 'true');
  await expect(page.getByTestId('view-escalated')).not.toHaveAttribute('data-active', 'true');
});

test('a link whose text names another address shows the real destination before it opens; others open at once', async ({ page }) => {
  await serveTestHosts(page);
  await page.goto(app.url);
  await openConversation(page, 'Verify your account');
  const frame = page.frameLocator('iframe.email-frame');
  // Hovering shows the real address.
  await expect(frame.getByText('https://www.paypal.com/signin')).toHaveAttribute('title', 'https://paypal.com.account-check.test/login');

  // The disguised link: the question, nothing opened on Cancel.
  let opened = 0;
  page.context().on('page', () => opened++);
  await frame.getByText('https://www.paypal.com/signin').click();
  const dialog = page.getByRole('dialog', { name: 'This link goes somewhere else' });
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('link-confirm-destination')).toHaveText('paypal.com.account-check.test');
  await expect(page.getByTestId('link-confirm-href')).toHaveText('https://paypal.com.account-check.test/login');
  await page.getByTestId('link-confirm-cancel').click();
  await expect(dialog).toBeHidden();
  expect(opened).toBe(0);

  // …and Open opens exactly that address.
  await frame.getByText('https://www.paypal.com/signin').click();
  const popup = page.context().waitForEvent('page');
  await page.getByTestId('link-confirm-open').click();
  const tab = await popup;
  await tab.waitForURL('https://paypal.com.account-check.test/login');
  await tab.close();

  // An honest link opens without a question.
  const honest = page.context().waitForEvent('page');
  await frame.getByText('Track your order').click();
  const tab2 = await honest;
  await tab2.waitForURL('https://shop.test/track/1');
  await expect(dialog).toBeHidden();
  await tab2.close();
});

test("web addresses in plain-text mail are links that open outside, without the sentence's full stop", async ({ page }) => {
  await serveTestHosts(page);
  await page.goto(app.url);
  await openConversation(page, 'Where is my order');
  const link = page.getByTestId('message').first().getByRole('link', { name: 'https://shop.test/track/2' });
  await expect(link).toHaveAttribute('href', 'https://shop.test/track/2');
  const popup = page.context().waitForEvent('page');
  await link.click();
  const tab = await popup;
  await tab.waitForURL('https://shop.test/track/2');
  await tab.close();
});
