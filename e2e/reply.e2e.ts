// Replying with the keyboard: r opens the composer, the draft survives a reload, a failure keeps the
// draft with a clear message, and once an account exists Ctrl+Enter queues the reply, which a real
// SMTP server (npm smtp-server) receives; the outbox shows it sent and the thread gains the message.
import { expect, test } from '@playwright/test';
import { addSendingAccount, startApp, type App } from './harness';
import { openTomInvoice, uiFixture } from './fixture';
import { seriousA11yViolations } from './axe';
import { startSmtpPeer, type SmtpPeer } from '../electron/core/testing/smtpPeer';
import { shotPath } from './shots';
import { ComposerPage, ConversationPage } from './pages';

let app: App;
let smtp: SmtpPeer | undefined;

test.beforeAll(async () => {
  app = await startApp(uiFixture(Date.now()));
  smtp = await startSmtpPeer({ user: 'support@northwind.test', password: 'pw' });
});
test.afterAll(async () => {
  await smtp?.close();
  await app?.close();
});

test('reply with drafts and the outbox', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);
  await openTomInvoice(page);
  const tomId = app.seeded.conversations.get('tom-invoice')!;
  const composer = new ComposerPage(page);

  await composer.open();
  await expect(composer.text).toBeFocused();
  await composer.text.fill('Hi Tom, the corrected invoice with VAT DE123456789 is attached to this mail.');
  await expect(composer.draftState).toContainText('Draft saved');

  // The draft survives a reload.
  await page.reload();
  await openTomInvoice(page);
  await expect(composer.text).toHaveValue(/corrected invoice/);

  // No account can send yet: a clear error, the draft kept.
  await composer.send();
  await expect(composer.error).toContainText('No email account');
  await expect(composer.error).toContainText('draft is kept');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.screenshot({ path: shotPath('composer.png') });
  await expect(composer.text).toHaveValue(/corrected invoice/);

  // With an account, Ctrl+Enter queues it; the SMTP server gets it; the outbox says sent.
  const port = smtp!.port;
  await addSendingAccount(app.core, 'support@northwind.test', port);
  await composer.send();
  await expect(composer.composer).toHaveCount(0);
  await expect.poll(async () => (await app.core.call('outbox.list', { channel: 'email', conversationId: tomId }))[0]?.state, { timeout: 15_000 }).toBe('sent');
  const received = smtp!.received;
  expect(received).toHaveLength(1);
  expect(received[0]!.to).toEqual(['tom.becker@example.org']);
  expect(received[0]!.raw.toString('utf8')).toContain('corrected invoice');
  await expect(composer.outboxItems.first()).toHaveAttribute('data-state', 'sent');
  // The sent copy joins the thread; the draft is gone.
  await expect(new ConversationPage(page).messages).toHaveCount(4);
  expect(await page.evaluate((id) => localStorage.getItem(`canary.draft.${id}`), tomId)).toBeNull();
  expect(errors).toEqual([]);
});
