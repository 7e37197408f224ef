// Settings → Accounts for an account a new owner added with a login that is not an address:
// after the first sync it lists the address Canary learned from the mail, marked "learned" with the
// reason; "Not ours" makes it a customer again and "Ours after all" takes it back. Real Dovecot.
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { Dovecot, dovecotAvailable } from '../electron/core/testing/dovecot';
import { syncAccountOnce } from '../electron/core/email/sync';
import { BUSINESS, genericMailbox } from '../electron/core/email/testing/generic-mailbox';
import { seriousA11yViolations } from './axe';
import { startApp, type App } from './harness';
import { shotPath } from './shots';
import { SettingsPage } from './pages';

const available = dovecotAvailable();
if (!available) console.warn('skipping the account addresses e2e: dovecot is not installed (apt-get install -y dovecot-imapd)');

let app: App;
let d: Dovecot;
const PASSWORD = 'E2e-Planted-Pw-4411';
const box = genericMailbox({ customers: 8, threadsEach: 2, repliesInInbox: true });

test.beforeAll(async () => {
  if (!available) return;
  d = await Dovecot.start({ users: { alice: PASSWORD } });
  d.seedMaildir(
    'alice',
    box.mails
      .filter((m) => m.folder === 'INBOX')
      .sort((a, b) => a.at - b.at)
      .map((m) => m.raw),
  );
  d.seedMaildir(
    'alice',
    box.mails
      .filter((m) => m.folder === 'Sent')
      .sort((a, b) => a.at - b.at)
      .map((m) => m.raw),
    'Sent',
  );
  app = await startApp(null);
  const { account } = await app.core.call('accounts.add', { channel: 'email', account: { name: 'Brightwave', imap: { host: d.host, port: d.port, tls: 'off' }, user: 'alice', secret: PASSWORD } });
  await syncAccountOnce(app.core.ctx, account.id);
});
test.afterAll(async () => {
  await app?.close();
  await d?.stop();
});

test('lists the learned address of the business and lets the owner say it is not theirs, and back', async ({ page }) => {
  test.skip(!available, 'dovecot is not installed');
  await page.goto(app.url);
  await new SettingsPage(page).open();
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

test('Settings → Help exports diagnostics: sync states and recent log lines, never the password or a message', async ({ page }) => {
  test.skip(!available, 'dovecot is not installed');
  await page.goto(app.url);
  await new SettingsPage(page).openTab('Help');
  const panel = page.getByTestId('diagnostics');
  await expect(panel).toContainText('never holds a password');
  expect(await seriousA11yViolations(page)).toEqual([]);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-diagnostics').click()]);
  expect(download.suggestedFilename()).toMatch(/^canary-diagnostics-.*\.json$/);
  const text = fs.readFileSync(await download.path(), 'utf8');
  const d = JSON.parse(text) as { sync: { scope: string }[]; accounts: { name: string; hasCredential: boolean }[]; log: string[]; counts: { customers: number } };
  expect(d.accounts).toEqual([expect.objectContaining({ name: 'Brightwave', hasCredential: true })]);
  expect(d.sync.map((s) => s.scope)).toEqual(expect.arrayContaining(['imap:INBOX', 'imap:Sent']));
  expect(d.log.some((l) => l.includes('learned the business addresses'))).toBe(true);
  expect(text).not.toContain(PASSWORD);
  for (const m of box.mails.slice(0, 10)) expect(text).not.toContain(m.messageId);
  await expect(panel).toContainText('Saved canary-diagnostics-');
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await panel.screenshot({ path: shotPath('diagnostics.png') });
});
