// Adding an email account from its address (issue 15 item 1): the form asks accounts.discover and
// shows what it found and from where. The core here never reaches the internet: its discovery is
// pointed at a local DNS stub and a local HTTP server through CANARY_DISCOVER_DNS,
// CANARY_DISCOVER_HTTP_BASE and CANARY_DISCOVER_TIMEOUT_MS (read by the core at each call; the
// harness runs the core in this process, so setting them here is enough).
import { expect, test } from '@playwright/test';
import { startApp, type App } from './harness';
import { seriousA11yViolations } from './axe';
import { shotPath } from './shots';
import { startDnsStub, type DnsStub } from '../electron/core/testing/dnsStub';
import { configXml, startAutoconfigServer, type AutoconfigServer } from '../electron/core/testing/autoconfigServer';

let app: App;
let dns: DnsStub;
let web: AutoconfigServer;

test.beforeAll(async () => {
  dns = await startDnsStub({
    mx: { 'bakery.test': [{ priority: 1, exchange: 'aspmx.l.google.com' }], 'own.test': [{ priority: 1, exchange: 'mx.own.test' }] },
    srv: {
      '_imaps._tcp.firm.test': [{ priority: 0, weight: 0, port: 993, target: 'mail.firm.test' }],
      '_submission._tcp.firm.test': [{ priority: 0, weight: 0, port: 587, target: 'smtp.firm.test' }],
    },
    silent: ['_imaps._tcp.bakery.test'],
  });
  web = await startAutoconfigServer({
    '/autoconfig.shop.test/mail/config-v1.1.xml': {
      body: configXml({ imapHost: 'imap.shop.test', smtpHost: 'smtp.shop.test', smtpPort: 587, smtpSocket: 'STARTTLS', username: '%EMAILLOCALPART%', name: 'Shop Mail' }),
    },
    '/autoconfig.bakery.test/mail/config-v1.1.xml': { hang: true },
  });
  process.env.CANARY_DISCOVER_DNS = dns.server;
  process.env.CANARY_DISCOVER_HTTP_BASE = web.base;
  process.env.CANARY_DISCOVER_TIMEOUT_MS = '1500';
  app = await startApp(null);
});
test.afterAll(async () => {
  delete process.env.CANARY_DISCOVER_DNS;
  delete process.env.CANARY_DISCOVER_HTTP_BASE;
  delete process.env.CANARY_DISCOVER_TIMEOUT_MS;
  await app?.close();
  await web?.close();
  await dns?.close();
});

test('typing the address finds the servers and says from where; fields stay editable', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);
  await page.getByTestId('first-run-add-email').click();
  const form = page.getByTestId('add-email-account');
  await expect(form).toBeVisible();
  const address = form.getByLabel('Email address');
  const found = form.getByTestId('discovered');

  // Autoconfig: "Find settings".
  await address.fill('ann@shop.test');
  await form.getByTestId('find-settings').click();
  await expect(found).toContainText("Found Shop Mail settings in the domain's autoconfig document");
  await expect(found).toContainText('From https://autoconfig.shop.test/mail/config-v1.1.xml');
  await expect(form.getByLabel('IMAP server')).toHaveValue('imap.shop.test');
  await expect(form.getByLabel('Port').first()).toHaveValue('993');
  await expect(form.getByLabel('SMTP server (to send replies)')).toHaveValue('smtp.shop.test');
  await expect(form.getByLabel('Port').nth(1)).toHaveValue('587');
  await expect(form.getByLabel('Security').nth(1)).toHaveValue('STARTTLS');
  await expect(form.getByLabel('User name')).toHaveValue('ann');

  // MX at Google, by leaving the field; autoconfig hangs and SRV is silent, each timing out on its own.
  await address.fill('max@bakery.test');
  await address.press('Tab');
  await expect(found).toContainText("Found Google (Gmail, Google Workspace) settings in the domain's MX records", { timeout: 10_000 });
  await expect(found).toContainText('From MX aspmx.l.google.com');
  await expect(found).toContainText('Tried first: autoconfig: timed out after 1.5 s; srv: timed out after 1.5 s');
  await expect(form.getByTestId('discovered-auth')).toContainText('sign in with Google');
  await expect(form.getByLabel('IMAP server')).toHaveValue('imap.gmail.com');
  await expect(form.getByLabel('Port').first()).toHaveValue('993');
  await expect(form.getByLabel('User name')).toHaveValue('max@bakery.test');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: shotPath('add-email-discovered.png') });

  // Servers typed by hand stay when the field is left: the SRV result is shown, to use or not.
  await form.getByLabel('IMAP server').fill('imap.own-choice.test');
  await address.fill('bo@firm.test');
  await address.press('Tab');
  await expect(found).toContainText("the domain's SRV records");
  await expect(found).toContainText('From SRV _imaps._tcp.firm.test, _submission._tcp.firm.test');
  await expect(form.getByLabel('IMAP server')).toHaveValue('imap.own-choice.test');
  await form.getByTestId('use-discovered').click();
  await expect(form.getByLabel('IMAP server')).toHaveValue('mail.firm.test');
  await expect(form.getByLabel('SMTP server (to send replies)')).toHaveValue('smtp.firm.test');
  await expect(form.getByTestId('use-discovered')).toHaveCount(0);

  // Nothing found: each source's reason, and the fields are left as they were.
  await address.fill('x@own.test');
  await form.getByTestId('find-settings').click();
  await expect(found).toContainText('No settings found for x@own.test');
  await expect(found).toContainText('mx: MX mx.own.test is not a provider Canary knows');
  await expect(form.getByLabel('IMAP server')).toHaveValue('mail.firm.test');

  // A built-in provider answers without the network.
  const asked = dns.queries.length;
  await address.fill('lee@proton.me');
  await form.getByTestId('find-settings').click();
  await expect(found).toContainText('Proton Mail Bridge');
  await expect(form.getByLabel('IMAP server')).toHaveValue('127.0.0.1');
  await expect(form.getByLabel('Port').first()).toHaveValue('1143');
  expect(dns.queries.length).toBe(asked);
  // What was found stays editable.
  await form.getByLabel('Port').first().fill('1993');
  await expect(form.getByLabel('Port').first()).toHaveValue('1993');
  expect(errors).toEqual([]);
  expect((await app.core.call('accounts.list', { channel: 'email' })).length).toBe(0);
});
