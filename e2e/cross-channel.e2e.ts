// The whole story from the email side: Maria's unanswered email shows that @mariak_design (possibly
// her) complained on X, why Canary thinks so, and opens that post in one click; confirming the link
// from there merges the accounts, and the post joins her timeline.
import { expect, test } from '@playwright/test';
import { uiFixture } from './fixture';
import { startApp, type App } from './harness';
import { shotPath } from './shots';

let app: App;
test.beforeAll(async () => {
  app = await startApp(uiFixture(Date.now()));
});
test.afterAll(async () => {
  await app?.close();
});

test('an email thread shows the customer’s X account, the evidence and the escalated post', async ({ page }) => {
  const emailId = app.seeded.conversations.get('maria-email')!;
  const tweetId = app.seeded.conversations.get('maria-tweet')!;
  await page.goto(app.url);
  await page.locator(`[data-testid="queue-row"][data-conversation-id="${emailId}"]`).click();
  const onX = page.getByTestId('on-x');
  await expect(onX).toBeVisible();
  await expect(onX).toContainText('On X: @mariak_design');
  await expect(onX).toContainText('damaged frame');
  const post = onX.getByTestId('on-x-conversation');
  await expect(post).toHaveCount(1);
  await expect(post.locator('.cust-conv-esc')).toHaveCount(1); // the escalation mark
  await page.screenshot({ path: shotPath('customer-email-side.png') });

  await onX.getByRole('button', { name: /Confirm/ }).click();
  await expect.poll(() => app.core.db.prepare("SELECT count(*) FROM links WHERE state = 'confirmed'").pluck().get()).toBe(1);
  // Merged: the post now sits in Maria's own timeline, and opens from there.
  await expect(page.locator(`[data-testid="customer-conversation"]`)).toHaveCount(2);
  await page.locator('[data-testid="customer-conversation"]').filter({ hasText: 'three days' }).click();
  await expect(page.locator(`[data-testid="queue-row"][data-conversation-id="${tweetId}"][aria-selected="true"]`)).toHaveCount(1);
});
