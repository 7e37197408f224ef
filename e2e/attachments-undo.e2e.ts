// Attachments, signature and undo send in the composer (issue 16): the owner sets a signature in
// Settings → Accounts, attaches a file with Attach files and pastes an image, sees the limit the SMTP
// server announced (its EHLO SIZE) before sending, is stopped over it; the reply waits its undo
// seconds with an Undo button, and the SMTP peer (npm smtp-server) then receives it once with both
// files (names, types, bytes) and the signature. A second reply is taken back with Undo: its text
// returns to the box, the outbox shows it cancelled, and no mail ever arrives.
import crypto from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { addSendingAccount, startApp, type App } from './harness';
import { openTomInvoice, uiFixture } from './fixture';
import { seriousA11yViolations } from './axe';
import { startSmtpPeer, type SmtpPeer } from '../electron/core/testing/smtpPeer';
import { parseEmail } from '../electron/core/email/parse';
import { shotPath } from './shots';
import { ComposerPage, SettingsPage } from './pages';

let app: App;
let smtp: SmtpPeer | undefined;

test.beforeAll(async () => {
  app = await startApp(uiFixture(Date.now()));
  // The server takes messages up to 2 MB: files up to about 1.4 MB in all.
  smtp = await startSmtpPeer({ user: 'support@northwind.test', password: 'pw', size: 2 * 1024 * 1024 });
  await addSendingAccount(app.core, 'support@northwind.test', smtp.port);
});
test.afterAll(async () => {
  await smtp?.close();
  await app?.close();
});

const still = (page: Page) => page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));

test('attach and paste files, told the limit; undo send waits, then the peer gets files and signature once; Undo takes a reply back', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);
  const tomId = app.seeded.conversations.get('tom-invoice')!;

  // Settings → Accounts: the signature of the sending account.
  const settings = new SettingsPage(page);
  await settings.openTab('Accounts');
  const editor = settings.dialog.getByTestId('signature-editor');
  await editor.getByRole('textbox').fill('Sam Ortiz\nNorthwind Support · +49 30 1234567');
  await editor.getByRole('button', { name: 'Save signature' }).click();
  await expect(editor.getByRole('status')).toHaveText('Saved.');
  await expect(settings.dialog.getByTestId('setting-undo-seconds')).toHaveValue('5');
  await page.keyboard.press('Escape');
  await expect(settings.dialog).toHaveCount(0);

  await openTomInvoice(page);
  const composer = new ComposerPage(page);
  await composer.open();
  await composer.text.fill('Hi Tom, the corrected invoice is attached, with a photo of the VAT line.');
  await expect(composer.text).toHaveAttribute('spellcheck', 'true');
  await expect(composer.signature).toHaveText('-- Sam OrtizNorthwind Support · +49 30 1234567'.replace('-- ', '-- \n').replace('Ortiz', 'Ortiz\n'));
  await expect(composer.attachmentLimit).toContainText('the server takes messages up to 2 MB');

  // Too big for this server: said before sending, and Send is off until the file is removed.
  await composer.fileInput.setInputFiles({ name: 'scan-raw.tiff', mimeType: 'image/tiff', buffer: crypto.randomBytes(1600 * 1024) });
  await expect(composer.attachmentLimit).toContainText('Over the limit by');
  await expect(composer.sendButton).toBeDisabled();
  await composer.sendButton.scrollIntoViewIfNeeded();
  await still(page);
  await page.screenshot({ path: shotPath('composer-attachment-over.png') });
  await composer.attachments.filter({ hasText: 'scan-raw.tiff' }).getByRole('button', { name: 'Remove scan-raw.tiff' }).click();

  // 1.2 MB: over the browser host's old 1 MB request frame once base64, so this goes through the raised cap.
  const pdf = crypto.randomBytes(1200 * 1024);
  const png = crypto.randomBytes(2 * 1024);
  await composer.fileInput.setInputFiles({ name: 'invoice-march.pdf', mimeType: 'application/pdf', buffer: pdf });
  await composer.paste([{ name: 'image.png', type: 'image/png', base64: png.toString('base64') }]);
  await expect(composer.attachments).toHaveCount(2);
  await expect(composer.attachments.nth(0)).toContainText('invoice-march.pdf (1.2 MB)');
  await expect(composer.attachments.nth(1)).toContainText('pasted-image-2.png (2 KB)');
  await expect(composer.attachmentLimit).toContainText('1.2 MB attached.');
  await expect(composer.sendButton).toBeEnabled();
  expect(await seriousA11yViolations(page)).toEqual([]);
  await composer.sendButton.scrollIntoViewIfNeeded();
  await still(page);
  await page.screenshot({ path: shotPath('composer-attachments.png') });

  // Sent: the reply waits its 5 undo seconds with an Undo button, then goes once.
  await composer.send();
  await expect(composer.composer).toHaveCount(0);
  await expect(composer.undoBar).toContainText(/Sending your reply in [345] s/);
  await still(page);
  await page.screenshot({ path: shotPath('composer-undo.png') });
  expect(smtp!.received).toHaveLength(0);
  await expect.poll(async () => (await app.core.call('outbox.list', { channel: 'email', conversationId: tomId }))[0]?.state, { timeout: 15_000 }).toBe('sent');
  await expect(composer.undoBar).toHaveCount(0);
  expect(smtp!.received).toHaveLength(1);
  const mail = await parseEmail(smtp!.received[0]!.raw);
  expect(smtp!.received[0]!.to).toEqual(['tom.becker@example.org']);
  expect(mail.text).toContain('Hi Tom, the corrected invoice is attached');
  // The signature below the separator (quoted-printable keeps its trailing space as =20).
  expect(mail.text).toMatch(/attached, with a photo of the VAT line\.\n\n-- ?\nSam Ortiz\nNorthwind Support · \+49 30 1234567/);
  expect(smtp!.received[0]!.raw.toString('utf8')).toMatch(/\n--(=20| )\r?\nSam Ortiz/);
  expect(mail.attachments.map((a) => [a.filename, a.mimeType, a.size])).toEqual([
    ['invoice-march.pdf', 'application/pdf', pdf.length],
    ['pasted-image-2.png', 'image/png', png.length],
  ]);
  expect(Buffer.from(mail.attachments[0]!.content).equals(pdf)).toBe(true);
  expect(Buffer.from(mail.attachments[1]!.content).equals(png)).toBe(true);

  // A second reply, taken back with Undo: the text returns, the outbox says cancelled, nothing arrives.
  await composer.open();
  await composer.text.fill('Sorry, this one was meant for another customer.');
  await composer.send();
  await expect(composer.undoBar).toBeVisible();
  await composer.undoButton.click();
  await expect(composer.text).toHaveValue('Sorry, this one was meant for another customer.');
  await expect(composer.draftState).toContainText('Draft saved');
  await expect(composer.undoBar).toHaveCount(0);
  await expect(composer.outboxItems.first()).toHaveAttribute('data-state', 'cancelled');
  await still(page);
  await page.screenshot({ path: shotPath('composer-undone.png') });
  await page.waitForTimeout(6500); // past the undo window: the sender must not send it
  expect(smtp!.received).toHaveLength(1);
  expect((await app.core.call('outbox.list', { channel: 'email', conversationId: tomId })).map((o) => o.state)).toEqual(['sent', 'cancelled']);
  expect(errors).toEqual([]);
});
