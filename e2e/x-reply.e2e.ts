// Replying on X from the composer: the same replies.send and outbox.list calls as email, with the
// channel the conversation is in; the local X API server receives the public reply and the outbox
// shows it sent.
import { expect, test } from '@playwright/test';
import { smallData } from '../electron/core/x/testing/fixtures';
import { startXServer, type XTestServer } from '../electron/core/x/testing/server';
import { uiFixture } from './fixture';
import { startApp, type App } from './harness';
import { ComposerPage, ConversationPage, QueuePage } from './pages';

let app: App;
let x: XTestServer;
test.beforeAll(async () => {
  app = await startApp(uiFixture(Date.now()));
  x = await startXServer({ data: smallData(), accessTokens: ['e2e-token'] });
  const { account } = await app.core.call('accounts.add', { channel: 'x', name: 'Shop', credentials: { kind: 'oauth2', accessToken: 'e2e-token' }, apiBase: x.url, firstSync: false });
  await app.core.call('x.sync.pass', { accountId: account.id });
});
test.afterAll(async () => {
  await app?.close();
  await x?.close();
});

test('a public reply on X goes out through the outbox and shows as sent', async ({ page }) => {
  const conv = app.core.db.prepare("SELECT id FROM conversations WHERE kind = 'tweet' AND external_id = '1705'").pluck().get() as number;
  const queue = new QueuePage(page);
  const composer = new ComposerPage(page);
  await page.goto(app.url);
  await queue.goTo('x');
  await queue.row(conv).click();
  await queue.keys('o');
  await expect(new ConversationPage(page).title).toHaveText('Posts from Maria');
  await composer.open();
  await expect(composer.text).toBeFocused();
  await composer.text.fill('Sorry Alice, order 5 ships today.');
  await page.keyboard.press('Control+Enter');
  await expect(composer.composer).toHaveCount(0);
  await expect.poll(async () => (await app.core.call('outbox.list', { conversationId: conv }))[0]?.state, { timeout: 15_000 }).toBe('sent');
  const [item] = await app.core.call('outbox.list', { conversationId: conv });
  expect(item).toMatchObject({ channel: 'x', kind: 'tweet', to: '@alice' });
  expect(x.getTweet(item!.externalId!)!.text).toBe('Sorry Alice, order 5 ships today.');
  await expect(composer.outboxItems.first()).toHaveAttribute('data-state', 'sent');
});
