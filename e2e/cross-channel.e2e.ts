// The whole story from the email side: Maria's unanswered email shows that @mariak_design (possibly
// her) complained on X, why Canary thinks so, and opens that post in one click; confirming the link
// from there merges the accounts, and the post joins her timeline.
import { expect, test } from '@playwright/test';
import { uiFixture } from './fixture';
import { startApp, type App } from './harness';
import { shotPath } from './shots';
import { LinkPanel, QueuePage } from './pages';

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
  const queue = new QueuePage(page);
  await page.goto(app.url);
  await queue.row(emailId).click();
  const onX = page.getByTestId('on-x');
  await expect(onX).toBeVisible();
  await expect(onX).toContainText('On X: @mariak_design');
  await expect(onX).toContainText('damaged frame');
  const post = onX.getByTestId('on-x-conversation');
  await expect(post).toHaveCount(1);
  await expect(post.locator('.cust-conv-esc')).toHaveCount(1); // the escalation mark
  await page.screenshot({ path: shotPath('customer-email-side.png') });

  await new LinkPanel(page, onX).confirm();
  await expect.poll(() => app.core.db.prepare("SELECT count(*) FROM links WHERE state = 'confirmed'").pluck().get()).toBe(1);
  // Merged: the post now sits in Maria's own timeline, and opens from there.
  await expect(page.locator(`[data-testid="customer-conversation"]`)).toHaveCount(2);
  await page.locator('[data-testid="customer-conversation"]').filter({ hasText: 'three days' }).click();
  await expect(queue.selected).toHaveCount(1);
  await expect(queue.selected).toHaveAttribute('data-conversation-id', String(tweetId));
});
