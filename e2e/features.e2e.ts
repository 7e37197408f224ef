// Through the UI on an empty workspace: import a folder from the first-run screen (two .eml files
// written by the test, and one file Canary cannot read), connect X against the local X API v2
// server with a token and with "Sign in with X", open (download) and preview attachments, forward
// the email with its attachment to a real SMTP peer (npm smtp-server) with f, and tag it with t,
// then filter the queue by the tag. Screenshots are saved (see shots.ts).
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { accountsOf } from '../shared/contract/accounts';
import { parseEmail } from '../electron/core/email/parse';
import { PDF, PNG, writeMailFolder } from '../electron/core/testing/mailFolder';
import { smallData } from '../electron/core/x/testing/fixtures';
import { startXServer, type XTestServer } from '../electron/core/x/testing/server';
import { seriousA11yViolations } from './axe';
import { addSendingAccount, startApp, type App } from './harness';
import { startSmtpPeer, type SmtpPeer } from '../electron/core/testing/smtpPeer';
import { shotPath } from './shots';
import { ComposerPage, ConversationPage, QueuePage, SettingsPage } from './pages';

let app: App;
let x: XTestServer;
let smtp: SmtpPeer | undefined;
let mailDir: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  app = await startApp(null);
  mailDir = writeMailFolder(path.join(app.dir, 'incoming'), { image: true });
  x = await startXServer({ data: smallData(), accessTokens: ['e2e-token'], oauth2: { clientId: 'e2e-client', refreshTokens: [] } });
  smtp = await startSmtpPeer({ password: 'pw' });
});
test.afterAll(async () => {
  await smtp?.close();
  await x?.close();
  await app?.close();
});

async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
}

test('import a folder from the first-run screen', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('first-run')).toBeVisible();
  await page.getByTestId('first-run-import').click();
  await page.getByTestId('import-path').fill('relative/folder');
  await page.getByTestId('import-run').click();
  await expect(page.getByTestId('import-error')).toContainText('full path');
  await page.getByTestId('import-path').fill(mailDir);
  await page.getByTestId('import-self').fill('support@shop.test');
  await page.getByTestId('import-run').click();
  const summary = page.getByTestId('import-summary');
  await expect(summary).toContainText('Imported 2 new messages');
  await expect(summary).toContainText('2 files read');
  await expect(page.getByTestId('import-problems')).toContainText('notes.bin');
  await expect(page.getByTestId('import-problems')).toContainText('not a format Canary imports');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await settle(page);
  await page.screenshot({ path: shotPath('import.png') });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('first-run')).toHaveCount(0);
  // Answered by the business in the same thread: it waits for the customer.
  await page.getByTestId('view-waiting').click();
  const queue = new QueuePage(page);
  await expect(queue.rows).toHaveCount(1);
  await expect(queue.rows).toContainText('Invoice 7781');
  expect((await app.core.call('stats.get', {})).messages).toBe(2);
});

test('connect X with a token, see what it reaches, and sign in with X', async ({ page }) => {
  await page.goto(app.url);
  const settings = new SettingsPage(page);
  await settings.openTab('Connect X');
  await page.getByTestId('x-api-base').fill(x.url);
  // A wrong token: a clear refusal, nothing saved.
  await page.getByTestId('x-access-token').fill('wrong-token');
  await page.getByTestId('x-add').click();
  await expect(page.getByTestId('x-connect-error')).toContainText('do not reach GET /2/users/me');
  expect(await app.core.call('accounts.list', { channel: 'x' })).toEqual([]);
  await page.getByTestId('x-access-token').fill('e2e-token');
  await page.getByTestId('x-test').click();
  await expect(page.getByTestId('x-connect-result')).toContainText('@shop');
  await expect(page.getByTestId('x-reach')).toContainText('GET /2/dm_events');
  await settle(page);
  await page.screenshot({ path: shotPath('connect-x.png') });
  await page.getByTestId('x-cap').fill('25');
  await page.getByTestId('x-add').click();
  await expect(page.getByTestId('x-connect-result')).toContainText('Connected @shop');
  const [acc] = await app.core.call('accounts.list', { channel: 'x' });
  expect(acc).toMatchObject({ handle: 'shop', auth: 'oauth2', apiBase: x.url, monthlyCapUsd: 25, hasCredential: true });
  // The first sync runs by itself; the accounts tab shows it with the usage meter and the cap.
  await expect.poll(async () => accountsOf('x', await app.core.call('accounts.list', { channel: 'x' }))[0]!.usage.postsRead, { timeout: 15_000 }).toBeGreaterThan(0);
  await settings.tab('Accounts').click();
  const row = page.getByTestId('x-account');
  await expect(row).toContainText('@shop');
  await expect(row.getByTestId('x-usage')).toContainText('monthly cap');
  await expect(row.getByTestId('x-reach')).toContainText('GET /2/users/me');
  await expect(row.getByTestId('x-sync-state')).toBeVisible();
  await settle(page);
  await page.screenshot({ path: shotPath('settings-x.png') });

  // Sign in with X: the core listens on a loopback callback; the consent page redirects to it.
  await settings.tab('Connect X').click();
  await page.getByTestId('x-method').getByText('Sign in with X').click();
  await page.getByTestId('x-api-base').fill(x.url);
  await page.getByTestId('x-client-id').fill('e2e-client');
  await page.getByTestId('x-port').fill('0');
  // The window opens the authorization page (here the local server approves at once and redirects
  // to the loopback callback; a person would allow Canary there). A blocked popup leaves a link.
  const popup = page.waitForEvent('popup');
  await page.getByTestId('x-signin').click();
  expect(new URL((await popup).url()).pathname).toMatch(/^\/(i\/oauth2\/authorize|callback)$/);
  await expect(page.getByTestId('x-connect-result')).toContainText('Connected @shop', { timeout: 15_000 });
  expect(await app.core.call('accounts.list', { channel: 'x' })).toHaveLength(2);
  expect(x.requests.some((r) => r.route === 'POST /2/oauth2/token')).toBe(true);
});

test('open an attachment, forward the mail with it (f), and tag it (t)', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);
  await page.getByTestId('view-waiting').click();
  const convId = (await app.core.call('conversations.list', { filter: { channel: 'email', status: 'all' } })).items[0]!.id;
  const queue = new QueuePage(page);
  const conversation = new ConversationPage(page);
  await queue.rows.filter({ hasText: 'Invoice 7781' }).click();
  await expect(conversation.title).toHaveText('Invoice 7781 is wrong');
  // The customer's message (collapsed when older than the answer) shows its attachments when open.
  const first = conversation.messages.first();
  if (!(await first.getByTestId('attachments').isVisible())) await first.locator('.msg-head').click();
  const pdfChip = page.getByTestId('attachment-open').filter({ hasText: 'invoice-7781.pdf' });
  const download = page.waitForEvent('download');
  await pdfChip.click();
  const d = await download;
  expect(d.suggestedFilename()).toBe('invoice-7781.pdf');
  expect(fs.readFileSync(await d.path()).equals(PDF)).toBe(true);
  // Images preview inline.
  await page.getByTestId('attachment-preview-toggle').click();
  const img = page.getByTestId('attachment-preview');
  await expect(img).toBeVisible();
  expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(24);

  // Forward: f opens the forward composer with Fwd:, the quoted original and both attachments.
  await addSendingAccount(app.core, 'support@shop.test', smtp!.port);
  await conversation.title.click();
  await page.keyboard.press('f');
  await expect(page.getByTestId('forward-composer')).toBeVisible();
  await expect(page.getByTestId('forward-to')).toBeFocused();
  await expect(page.getByTestId('forward-subject')).toHaveValue('Fwd: Invoice 7781 is wrong');
  await expect(page.getByTestId('forward-text')).toHaveValue(/---------- Forwarded message ---------[\s\S]*From: Ana Ruiz <ana@example.com>[\s\S]*charges me twice/);
  await expect(page.getByTestId('forward-attachment')).toHaveCount(2);
  await page.getByTestId('forward-to').fill('billing@shop.test');
  await page.getByTestId('forward-text').focus();
  await page.keyboard.press('Control+Home');
  await page.keyboard.type('Billing: please refund the double charge.');
  await settle(page);
  await page.screenshot({ path: shotPath('forward.png') });
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('forward-composer')).toHaveCount(0);
  const received = smtp!.received;
  await expect.poll(() => received.length, { timeout: 15_000 }).toBe(1);
  expect(received[0]!.to).toEqual(['billing@shop.test']);
  const mail = await parseEmail(received[0]!.raw);
  expect(mail.subject).toBe('Fwd: Invoice 7781 is wrong');
  expect(mail.text).toMatch(/^Billing: please refund the double charge\./);
  expect(mail.attachments.map((a) => a.filename).sort()).toEqual(['dent.png', 'invoice-7781.pdf']);
  expect(Buffer.from(mail.attachments.find((a) => a.filename === 'dent.png')!.content).equals(PNG)).toBe(true);
  await expect(new ComposerPage(page).outboxItems.first()).toContainText('Your forward');

  // Tags: t opens the dialog; type a new tag, Enter adds it, Ctrl+Enter applies.
  await conversation.title.click();
  await page.keyboard.press('t');
  await expect(page.getByRole('dialog', { name: 'Tags' })).toBeVisible();
  await expect(page.getByTestId('tag-input')).toBeFocused();
  await page.keyboard.type('billing');
  await page.keyboard.press('Enter');
  await page.keyboard.type('vip');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('tag-option')).toHaveCount(2);
  await settle(page);
  await page.screenshot({ path: shotPath('tags.png') });
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect.poll(async () => (await app.core.call('conversations.get', { id: convId })).conversation.tags).toEqual(['billing', 'vip']);
  await expect(page.getByTestId('conversation-tag')).toHaveText(['#billing', '#vip']);
  // The filter lists the tags with counts; picking one narrows the queue.
  await expect(page.getByTestId('tag-filter-billing')).toContainText('1');
  await page.getByTestId('tag-filter-billing').click();
  await expect(queue.rows).toHaveCount(1);
  await expect(queue.rows).toContainText('Invoice 7781');
  await page.mouse.move(700, 850);
  // Toasts fade out on their own; check the page without one half-faded.
  await expect(page.locator('.mantine-Notification-root')).toHaveCount(0, { timeout: 10_000 });
  await settle(page);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: shotPath('tag-filter.png') });
  // Remove one with the dialog, then undo with z.
  await conversation.title.click();
  await page.keyboard.press('t');
  await page.getByRole('checkbox', { name: 'vip' }).click();
  await page.getByTestId('tag-apply').click();
  await expect.poll(async () => (await app.core.call('conversations.get', { id: convId })).conversation.tags).toEqual(['billing']);
  await conversation.title.click();
  await page.keyboard.press('z');
  await expect.poll(async () => (await app.core.call('conversations.get', { id: convId })).conversation.tags).toEqual(['billing', 'vip']);
  expect(errors).toEqual([]);
});
