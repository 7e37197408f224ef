// An attachment named with a right-to-left override (issue 18, defect 6): the chip shows it with the
// override made visible and the real extension at the end, and the download is saved under that name.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startApp, type App } from './harness';

let app: App;
const EVIL = 'invoice\u202Efdp.exe';
const BYTES = Buffer.from('MZ not really a program\n');

test.beforeAll(async () => {
  app = await startApp(null);
  const dir = path.join(app.dir, 'incoming');
  fs.mkdirSync(dir, { recursive: true });
  const encoded = encodeURIComponent(EVIL);
  fs.writeFileSync(
    path.join(dir, 'bidi.eml'),
    [
      'From: Mallory <mallory@example.com>',
      'To: Support <support@shop.test>',
      'Subject: Your invoice',
      'Date: Mon, 02 Nov 2026 10:00:00 +0000',
      'Message-ID: <bidi-1@example.com>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Please see the attached invoice.',
      '--b1',
      `Content-Type: application/octet-stream; name*=UTF-8''${encoded}`,
      `Content-Disposition: attachment; filename*=UTF-8''${encoded}`,
      'Content-Transfer-Encoding: base64',
      '',
      BYTES.toString('base64'),
      '--b1--',
      '',
    ].join('\r\n'),
  );
  await app.core.call('import.path', { path: dir, selfAddresses: ['support@shop.test'] });
});
test.afterAll(async () => {
  await app?.close();
});

test('a bidi-named attachment reads and saves with its real extension', async ({ page }) => {
  const conv = (await app.core.call('conversations.list', { filter: { status: 'all' } })).items[0]!;
  const detail = await app.core.call('conversations.get', { id: conv.id });
  // Stored as the sender wrote it: nothing is lost, only shown and saved safely.
  expect(detail.messages.flatMap((m) => m.attachments.map((a) => a.filename))).toEqual([EVIL]);

  await page.goto(app.url);
  await page.getByTestId('queue-row').filter({ hasText: 'Your invoice' }).click();
  // The message opens expanded; if it came up collapsed, open it (checked once it has rendered).
  const first = page.getByTestId('message').first();
  await first.locator('.msg-head').waitFor();
  await first
    .getByTestId('attachments')
    .waitFor({ timeout: 3000 })
    .catch(() => first.locator('.msg-head').click());
  const name = page.getByTestId('attachment-name');
  await expect(name).toHaveText('invoice_fdp.exe');
  expect(await name.textContent()).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/);
  // Drawn left to right and isolated from the size beside it: the text ends, on screen, in "exe".
  expect(await name.evaluate((el) => [el.tagName, getComputedStyle(el).direction])).toEqual(['BDI', 'ltr']);

  const download = page.waitForEvent('download');
  await page.getByTestId('attachment-open').click();
  const d = await download;
  expect(d.suggestedFilename()).toBe('invoice_fdp.exe');
  expect(fs.readFileSync(await d.path()).equals(BYTES)).toBe(true);
  // The core serves the same name to anyone who saves through the contract.
  const served = await app.core.call('attachments.get', { id: detail.messages.flatMap((m) => m.attachments)[0]!.id });
  expect(served.filename).toBe('invoice_fdp.exe');
});
