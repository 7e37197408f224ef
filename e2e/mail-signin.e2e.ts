// Sign in with Google from the window, against a local OAuth 2.0 server (oauth2-mock-server, its
// endpoints set through mail.oauth.setClient as only tests do) and Dovecot with the oauth2 passdb:
// the owner saves the client id and secret in Settings → Accounts, picks "Sign in with Google" in
// the add-account form, the browser (a popup here) comes back to the core's loopback listener, and
// the account is tested and saved. When the provider then refuses to renew, the account row says
// why with "Sign in again", which brings it back.
import { expect, test, type Page } from '@playwright/test';
import { syncAccountOnce } from '../electron/core/email/sync';
import { Dovecot, dovecotAvailable, makeRawEmail } from '../electron/core/testing/dovecot';
import { startMailOAuthProvider, type MailOAuthProvider } from '../electron/core/testing/mailOAuth';
import { accountsOf } from '../shared/contract/accounts';
import { seriousA11yViolations } from './axe';
import { startApp, type App } from './harness';
import { shotPath } from './shots';

const available = dovecotAvailable();
if (!available) console.warn('skipping the mail sign-in e2e: dovecot is not installed (apt-get install -y dovecot-imapd)');

let app: App;
let d: Dovecot;
let oauth: MailOAuthProvider;
const CLIENT_SECRET = 'E2e-Planted-Client-Secret-81';

test.beforeAll(async () => {
  if (!available) return;
  oauth = await startMailOAuthProvider(() => Date.now());
  d = await Dovecot.start({ users: { alice: 'unused-pw-3' }, oauth2IntrospectionUrl: oauth.introspectionUrl });
  d.seedMaildir('alice', [makeRawEmail({ from: 'Jane <jane@cust.example>', to: 'support@biz.example', subject: 'Order 7 is late', body: 'where is it?' })]);
  app = await startApp(null);
  await app.core.call('mail.oauth.setClient', { provider: 'google', authorizeUrl: `${oauth.issuer}/authorize`, tokenUrl: `${oauth.issuer}/token` });
});
test.afterAll(async () => {
  await app?.close();
  await d?.stop();
  await oauth?.stop();
});

const settle = (page: Page) => page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));

test('sign in with Google for a new account, then sign in again after the provider refused to renew', async ({ page }) => {
  test.skip(!available, 'dovecot is not installed');
  await page.goto(app.url);
  await page.getByTestId('settings-button').click();

  // The client, with the steps to register one.
  const google = page.getByTestId('mail-client-google');
  await expect(google).toContainText('Desktop app');
  await expect(page.getByTestId('mail-client-microsoft')).toContainText('http://localhost');
  await google.getByLabel('Client id').fill('e2e-client.apps.example');
  await google.getByLabel('Client secret').fill(CLIENT_SECRET);
  await google.getByRole('button', { name: 'Save' }).click();
  await expect(google).toContainText('Saved.');
  const [client] = await app.core.call('mail.oauth.clients', {});
  expect(client).toMatchObject({ provider: 'google', clientId: 'e2e-client.apps.example', hasSecret: true });

  // The add-account form: a provider's sign-in instead of a password.
  await page.getByRole('tab', { name: 'Add an email account' }).click();
  const form = page.getByTestId('add-email-account');
  await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Biz Support');
  await form.getByLabel('User name').fill('alice');
  await form.getByRole('textbox', { name: 'IMAP server', exact: true }).fill(d.host);
  await form.getByLabel('Port').first().fill(String(d.port));
  await form.getByLabel('Security').first().click();
  await page.getByRole('option', { name: 'None' }).click();
  await form.getByTestId('auth-select').click();
  await page.getByRole('option', { name: 'Sign in with Google' }).click();
  await expect(form.getByLabel('Password or app password')).toHaveCount(0);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await settle(page);
  await form.screenshot({ path: shotPath('mail-signin-form.png') });
  const popup = page.waitForEvent('popup');
  await form.getByTestId('mail-signin-button').click();
  const signin = await popup;
  await expect(signin.locator('h1')).toHaveText('Canary is signed in to Google');
  await signin.close();

  // Saved (after its test) and shown in Accounts.
  const row = page.getByTestId('email-account');
  await expect(row).toContainText('Biz Support');
  const [acc] = accountsOf('email', await app.core.call('accounts.list', { channel: 'email' }));
  expect(acc).toMatchObject({ authType: 'oauth2-google', enabled: true, hasCredential: true, signInNeeded: null });
  expect(oauth.grants[0]).toMatchObject({ type: 'authorization_code', verifier: true, clientSecret: CLIENT_SECRET });
  await syncAccountOnce(app.core.ctx, acc!.id, { retries: 0 });

  // The provider stops renewing: the account pauses, and its row says why.
  oauth.refreshGood.clear();
  for (const a of oauth.access.values()) a.revoked = true;
  await expect(syncAccountOnce(app.core.ctx, acc!.id, { retries: 0 })).rejects.toThrow(/Sign in again/);
  const needed = row.getByTestId('sign-in-needed');
  await expect(needed).toContainText('Paused: Sign in again: Google refused the sign-in (invalid_grant');
  await expect(row).toContainText('sign in again');
  // Also in the top bar, wherever the owner is.
  await expect(page.getByTestId('sign-in-needed-badge')).toHaveText('Biz Support: sign in again');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await settle(page);
  await row.screenshot({ path: shotPath('mail-signin-again.png') });

  const again = page.waitForEvent('popup');
  await needed.getByTestId('sign-in-again').click();
  await expect((await again).locator('h1')).toHaveText('Canary is signed in to Google');
  await expect(row.getByTestId('sign-in-needed')).toHaveCount(0);
  await expect(page.getByTestId('sign-in-needed-badge')).toHaveCount(0);
  await expect(row).not.toContainText('is paused');
  const [back] = accountsOf('email', await app.core.call('accounts.list', { channel: 'email' }));
  expect(back).toMatchObject({ enabled: true, signInNeeded: null });
  await syncAccountOnce(app.core.ctx, acc!.id, { retries: 0 });
  expect(await page.content()).not.toContain(CLIENT_SECRET);
});
