// Saved replies from the window: one is created in Settings → Saved replies (with the owner's name
// for {agent}), then inserted in a reply to Maria's email with ';' in the empty reply box: the
// picker finds it, {first_name}, {order} (#4411, the reference in her mail) and {agent} are filled,
// a ';' typed in text stays a semicolon, and the reply is sent to a real SMTP server (smtp-server);
// the use is counted. The palette's "Insert saved reply" on her X post inserts the X version and
// points out what could not be filled ({order}: her X account is only a suggestion, her posts name none).
import { expect, test, type Page } from '@playwright/test';
import { addSendingAccount, startApp, type App } from './harness';
import { uiFixture } from './fixture';
import { seriousA11yViolations } from './axe';
import { startSmtpPeer, type SmtpPeer } from '../electron/core/testing/smtpPeer';
import { shotPath } from './shots';

let app: App;
let smtp: SmtpPeer | undefined;

test.beforeAll(async () => {
  app = await startApp(uiFixture(Date.now()));
  smtp = await startSmtpPeer({ user: 'support@northwind.test', password: 'pw' });
  await addSendingAccount(app.core, 'support@northwind.test', smtp.port);
});
test.afterAll(async () => {
  await smtp?.close();
  await app?.close();
});

const settled = (page: Page) => page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));

test('create a saved reply in Settings, insert it with its variables filled, send', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);
  await expect(page.getByTestId('queue-row').first()).toBeVisible();

  // Settings → Saved replies: the owner's name, then a new saved reply.
  await page.getByTestId('settings-button').click();
  await page.getByTestId('tab-saved-replies').click();
  const panel = page.getByTestId('saved-replies-settings');
  await expect(panel).toContainText('No saved replies yet.');
  await panel.getByTestId('agent-name').fill('Sam from Northwind');
  await panel.getByTestId('agent-name').press('Enter');
  await expect(panel).toContainText('Saved.');
  await panel.getByTestId('saved-reply-new').click();
  const editor = panel.getByTestId('saved-reply-editor');
  await editor.getByTestId('saved-reply-name').fill('Damaged order');
  // An unknown variable is refused with the reason, and the form keeps what was typed.
  await editor.getByTestId('saved-reply-body').fill('Hi {frist_name}');
  await editor.getByTestId('saved-reply-save').click();
  await expect(editor.getByTestId('saved-reply-error')).toContainText('{frist_name}, which is not a variable');
  await editor.getByTestId('saved-reply-body').fill('Hi {first_name},\n\nI am sorry your order {order} arrived damaged. A replacement frame ships today, no need to return the broken one.\n\n{agent}');
  await editor.getByTestId('saved-reply-x').fill('{first_name}, sorry about {order}! A replacement ships today: details in your email.');
  await editor.getByTestId('saved-reply-tags').fill('orders, damage');
  await editor.getByTestId('saved-reply-shortcut').fill('damaged');
  await editor.getByTestId('saved-reply-save').click();
  await expect(editor).toHaveCount(0);
  const row = panel.getByTestId('saved-reply-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Damaged order');
  await expect(row).toContainText(';damaged');
  await expect(row.getByTestId('saved-reply-usage')).toHaveText('used 0×');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await settled(page);
  await page.screenshot({ path: shotPath('saved-replies-settings.png') });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('settings')).toHaveCount(0);

  // Maria's email: r, then ';' in the empty reply box opens the picker.
  await page.keyboard.press('j');
  await page.keyboard.press('o');
  await expect(page.getByTestId('conversation-title')).toHaveText('Order #4411 arrived damaged');
  await page.keyboard.press('r');
  const box = page.getByTestId('composer-text');
  await expect(box).toBeFocused();
  await page.keyboard.type(';');
  const picker = page.getByRole('dialog', { name: 'Insert saved reply' });
  await expect(picker).toBeVisible();
  await expect(page.getByTestId('saved-reply-search')).toBeFocused();
  await page.keyboard.type('damag');
  await expect(picker.getByTestId('saved-reply-option')).toHaveCount(1);
  await expect(picker.getByTestId('saved-reply-option')).toContainText('used 0×');
  await settled(page);
  await page.screenshot({ path: shotPath('saved-replies-picker.png') });
  await page.keyboard.press('Enter');
  await expect(picker).toHaveCount(0);
  const filled = 'Hi Maria,\n\nI am sorry your order #4411 arrived damaged. A replacement frame ships today, no need to return the broken one.\n\nSam from Northwind';
  await expect(box).toHaveValue(filled);
  await expect(box).toBeFocused();
  await expect(page.getByTestId('saved-reply-warnings')).toHaveCount(0);
  // A ';' typed in text is a semicolon, not the picker.
  await page.keyboard.type(';');
  await expect(box).toHaveValue(`${filled};`);
  await expect(picker).toHaveCount(0);
  await page.keyboard.press('Backspace');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await settled(page);
  await page.screenshot({ path: shotPath('saved-replies-inserted.png') });

  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('composer')).toHaveCount(0);
  const mariaEmail = app.seeded.conversations.get('maria-email')!;
  await expect.poll(async () => (await app.core.call('outbox.list', { channel: 'email', conversationId: mariaEmail }))[0]?.state, { timeout: 15_000 }).toBe('sent');
  expect(smtp!.received).toHaveLength(1);
  expect(smtp!.received[0]!.to).toEqual(['maria.kowalski@example.com']);
  const raw = smtp!.received[0]!.raw.toString('utf8').replace(/=\r?\n/g, '');
  expect(raw).toContain('Hi Maria,');
  expect(raw).toContain('your order #4411 arrived damaged');
  expect(raw).toContain('Sam from Northwind');
  expect(raw).not.toMatch(/\{(first_name|order|agent)\}/);
  expect((await app.core.call('savedReplies.list', {}))[0]!.usageCount).toBe(1);

  // Her X post, from the palette: the X version; what is unknown there is pointed out.
  await page.keyboard.press('u');
  const tweetRow = page.getByTestId('queue-row').filter({ hasText: 'three days and no answer' });
  await tweetRow.click();
  await page.keyboard.press('Control+k');
  const paletteInput = page.getByPlaceholder('Type a command…');
  await paletteInput.fill('Insert saved reply');
  // Clicked, not Enter: the palette moves its choice to the option under the mouse, which the row
  // click above can leave over another command.
  await page.getByRole('button', { name: /^Insert saved reply/ }).click();
  await expect(picker).toBeVisible();
  await picker.getByTestId('saved-reply-option').first().click();
  const xBox = page.getByTestId('composer-text');
  // The post's account is only suggested for Maria's email customer, and her posts name no order.
  // The box held the escalation's default answer, untouched: the saved reply takes its place.
  await expect(xBox).toHaveValue('Maria, sorry about {order}! A replacement ships today: details in your email.');
  await expect(page.getByTestId('saved-reply-warnings')).toContainText('No order or reference number was found');
  await expect(page.getByTestId('saved-reply-warnings')).toContainText('{order} is left for you to fill in');
  await settled(page);
  await page.screenshot({ path: shotPath('saved-replies-x.png') });
  expect((await app.core.call('savedReplies.list', {}))[0]!.usageCount).toBe(2);
  expect(errors).toEqual([]);
});
