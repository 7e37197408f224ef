// Escalation marks as the linking engine sets them: Maria's complaint from an account Canary can
// only suggest for her is a likely escalation naming her, first in the queue and in the Escalated
// view; a stranger's complaint is a public complaint right after it; Li's thank-you has no mark.
// `l` confirms the suggested link and the mark becomes an escalation; undone, it is likely again;
// rejecting the suggestion clears it.
import { expect, test, type Page } from '@playwright/test';
import { escalationFixture } from './escalation-fixture';
import { startApp, type App } from './harness';
import { shotPath } from './shots';
import { ConversationPage, LinkPanel, QueuePage } from './pages';

let app: App;
test.beforeAll(async () => {
  app = await startApp(escalationFixture(Date.now()));
});
test.afterAll(async () => {
  await app?.close();
});

const idOf = (key: string) => app.seeded.conversations.get(key)!;
const row = (page: Page, key: string) => new QueuePage(page).row(idOf(key));
const rowIds = (page: Page) => new QueuePage(page).ids();
const stateOf = (key: string) => {
  const r = app.core.db.prepare('SELECT escalation FROM conversations WHERE id = ?').pluck().get(idOf(key)) as string | null;
  return r ? (JSON.parse(r) as { state: string }).state : null;
};

test('likely escalation: marked with the suggested customer, confirmed with l, cleared by a reject; public complaints next', async ({ page }) => {
  await page.goto(app.url);
  // The engine marks as it links (in the background at start).
  await expect.poll(() => stateOf('maria-tweet'), { timeout: 15_000 }).toBe('likely');
  await page.reload();
  const maria = row(page, 'maria-tweet');
  await expect(maria).toHaveAttribute('data-escalation', 'likely');
  await expect(maria.getByTestId('escalation-mark')).toHaveText(/Likely · Maria Kowalski\?/);
  await expect(maria.getByTestId('escalation-mark')).toHaveAttribute(
    'title',
    /^Likely Maria Kowalski \(maria\.kowalski@example\.com, suggested at \d+%\): the customer's email 'Order #4411 arrived damaged'/,
  );
  await expect(row(page, 'sam-tweet')).toHaveAttribute('data-escalation', 'public_complaint');
  await expect(row(page, 'sam-tweet').getByTestId('escalation-mark')).toHaveText(/Public complaint/);
  await expect(row(page, 'li-tweet').getByTestId('escalation-mark')).toHaveCount(0);
  // Likely first, the public complaint right after, then the rest.
  await expect.poll(async () => (await rowIds(page)).slice(0, 2)).toEqual([idOf('maria-tweet'), idOf('sam-tweet')]);
  await page.screenshot({ path: shotPath('escalation-marks-inbox.png') });

  // The Escalated view holds the likely escalation (not the public complaint).
  const queue = new QueuePage(page);
  const conversation = new ConversationPage(page);
  await queue.focus();
  await queue.goTo('e');
  await expect.poll(() => rowIds(page)).toEqual([idOf('maria-tweet')]);
  await maria.click();
  const banner = conversation.escalation;
  await expect(banner).toHaveAttribute('data-state', 'likely');
  await expect(banner).toContainText('Likely Maria Kowalski');
  await expect(banner).toContainText('to confirm that this is Maria Kowalski');
  await expect(page.getByTestId('escalation-badge')).toHaveText('Likely escalated');
  await page.screenshot({ path: shotPath('escalation-likely.png') });

  // l confirms the suggested link: an escalation.
  await queue.focus();
  await queue.keys('l');
  await expect.poll(() => stateOf('maria-tweet')).toBe('escalated');
  await expect(maria).toHaveAttribute('data-escalation', 'escalated');
  await expect(maria.getByTestId('escalation-mark')).toHaveText(/Escalated/);
  await expect(conversation.escalation).toHaveAttribute('data-state', 'escalated');

  // z undoes the confirmation: likely again; rejecting the suggestion clears the likely mark.
  await page.keyboard.press('z');
  await expect.poll(() => stateOf('maria-tweet')).toBe('likely');
  await expect(maria).toHaveAttribute('data-escalation', 'likely');
  await new LinkPanel(page).reject();
  await expect.poll(() => stateOf('maria-tweet')).not.toBe('likely');
  await expect(maria.and(page.locator('[data-escalation="likely"]'))).toHaveCount(0);
});
