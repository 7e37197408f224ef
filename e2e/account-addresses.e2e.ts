// Settings → Accounts for an account a new owner added with a login that is not an address:
// after the first sync it lists the address Canary learned from the mail, marked "learned" with the
// reason; "Not ours" makes it a customer again and "Ours after all" takes it back. Real Dovecot.
import { expect, test } from '@playwright/test';
import { Dovecot, dovecotAvailable } from '../electron/core/testing/dovecot';
import { syncAccountOnce } from '../electron/core/email/sync';
import { BUSINESS, genericMailbox } from '../electron/core/email/testing/generic-mailbox';
import { seriousA11yViolations } from './axe';
import { startApp, type App } from './harness';
import { shotPath } from './shots';

const available = dovecotAvailable();
if (!available) console.warn('skipping the account addresses e2e: dovecot is not installed (apt-get install -y dovecot-imapd)');

let app: App;
let d: Dovecot;
const box = genericMailbox({ customers: 8, threadsEach: 2, repliesInInbox: true });

test.beforeAll(async () => {
  if (!available) return;
  d = await Dovecot.start({ users: { alice: 'secret' } });
  d.seedMaildir('alice', box.mails.filter((m) => m.folder === 'INBOX').sort((a, b) => a.at - b.at).map((m) => m.raw));
  d.seedMaildir('alice', box.mails.filter((m) => m.folder === 'Sent').sort((a, b) => a.at - b.at).map((m) => m.raw), 'Sent');
  app = await startApp(null);
  const { account } = await app.core.call('email.accounts.add', { account: { name: 'Brightwave', imap: { host: d.host, port: d.port, tls: 'off' }, user: 'alice', secret: 'secret' } });
  await syncAccountOnce(app.core.ctx, account.id);
});
test.afterAll(async () => {
  await app?.close();
  await d?.stop();
});

test('lists the learned address of the business and lets the owner say it is not theirs, and back', async ({ page }) => {
  test.skip(!available, 'dovecot is not installed');
  await page.goto(app.url);
  await page.getByTestId('settings-button').click();
  const row = page.getByTestId('account-address');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(BUSINESS.address);
  await expect(row).toContainText('learned');
  await expect(row).toContainText(/sent \d+ of the \d+ messages in Sent/);
  expect((await app.core.call('stats.get', {})).customers).toBe(box.customers.length);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.getByTestId('email-account').screenshot({ path: shotPath('account-addresses.png') });

  await row.getByRole('button', { name: 'Not ours' }).click();
  await expect(row).toHaveAttribute('data-active', 'no');
  await expect(row).toContainText('removed');
  await expect.poll(async () => (await app.core.call('stats.get', {})).customers).toBe(box.customers.length + 1);

  await row.getByRole('button', { name: 'Ours after all' }).click();
  await expect(row).toHaveAttribute('data-active', 'yes');
  await expect.poll(async () => (await app.core.call('stats.get', {})).customers).toBe(box.customers.length);
  expect((await app.core.call('stats.get', {})).conversations).toBe(box.threads);
});
