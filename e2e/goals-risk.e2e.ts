// Response goals and the At risk view in the window. The business answered four earlier emails in
// 1, 2, 3 and 4 hours, so its first-reply goal from history is 3 h (the 75th percentile). Anna wrote
// 8.25 h ago and again with a chargeback threat (overdue 5 h, the riskiest), Carl complained on X
// 4.25 h ago (overdue 1 h, "still waiting", at risk), Ben wrote 5.25 h ago (overdue 2 h), Dana
// 1.25 h ago (due in 2 h, not at risk), Eve is waiting on the customer (clock paused). Rows show due
// or overdue; the At risk view lists what risk.list puts at risk (AT_RISK), Anna first, with
// its count; the pane gives the goal and the reasons; a 10 h first-reply goal set in Settings turns
// Ben's "overdue 2 h" into "due in 5 h"; business hours on another weekday pause the clock (and, all
// the mail having come while closed, leave nobody at risk).
import { expect, test, type Page } from '@playwright/test';
import type { SeedWorkspace } from '../electron/core/demo/seed';
import { AT_RISK } from '../shared/contract/goals';
import { startApp, type App } from './harness';
import { seriousA11yViolations } from './axe';
import { shotPath } from './shots';
import { ConversationPage, QueuePage, SettingsPage } from './pages';

const H = 3_600_000;

function goalsFixture(now: number): SeedWorkspace {
  const answered = [1, 2, 3, 4].map((h, i) => ({
    key: `old-${i}`,
    kind: 'email' as const,
    with: `old${i}`,
    subject: `Question ${i + 1} about sizes`,
    status: 'done' as const,
    messages: [
      { from: `old${i}`, at: now - (200 + 10 * i) * H, text: 'Which frame size fits a 178 cm rider?' },
      { from: 'self', at: now - (200 + 10 * i - h) * H, text: 'A medium frame fits best.' },
    ],
  }));
  return {
    self: { name: 'Northwind Support', email: 'support@northwind.test', x: { userId: '1000', handle: 'northwind' } },
    people: [
      ...[0, 1, 2, 3].map((i) => ({ key: `old${i}`, name: `Rider ${i + 1}`, email: `rider${i + 1}@example.com` })),
      { key: 'anna', name: 'Anna Lind', email: 'anna.lind@example.com' },
      { key: 'ben', name: 'Ben Okafor', email: 'ben.okafor@example.org' },
      { key: 'carl', name: 'Carl Meyer', x: { userId: '3001', handle: 'carl_rides', name: 'Carl Meyer' } },
      { key: 'dana', name: 'Dana Ruiz', email: 'dana.ruiz@example.net' },
      { key: 'eve', name: 'Eve Novak', email: 'eve.novak@example.com' },
    ],
    conversations: [
      ...answered,
      {
        key: 'anna',
        kind: 'email',
        with: 'anna',
        subject: 'Refund for the returned helmet',
        messages: [
          { from: 'anna', at: now - 8.25 * H, text: 'Hello, I returned the helmet two weeks ago. When will the refund arrive?' },
          { from: 'anna', at: now - 6.25 * H, text: 'Still nothing. If the refund is not here by Friday I will file a chargeback with my bank.' },
        ],
      },
      {
        key: 'ben',
        kind: 'email',
        with: 'ben',
        subject: 'Can I change my delivery address?',
        messages: [{ from: 'ben', at: now - 5.25 * H, text: 'Hi, can I still change the delivery address for order 5120?' }],
      },
      { key: 'carl', kind: 'tweet', with: 'carl', messages: [{ from: 'carl', at: now - 4.25 * H, text: '@northwind still waiting for an answer about my wheel order' }] },
      { key: 'dana', kind: 'email', with: 'dana', subject: 'Do you ship to Chile?', messages: [{ from: 'dana', at: now - 1.25 * H, text: 'Do you ship to Chile?' }] },
      { key: 'eve', kind: 'email', with: 'eve', subject: 'Which pedals?', status: 'waiting', messages: [{ from: 'eve', at: now - 10.25 * H, text: 'Which pedals fit the gravel bike?' }] },
    ],
  };
}

let app: App;
test.beforeAll(async () => {
  app = await startApp(goalsFixture(Date.now()));
});
test.afterAll(async () => {
  await app?.close();
});

const idOf = (key: string) => app.seeded.conversations.get(key)!;
const row = (page: Page, key: string) => new QueuePage(page).row(idOf(key));
const shown = (page: Page, key: string) => expect(new ConversationPage(page).pane).toHaveAttribute('data-conversation-id', String(idOf(key)));
const rowIds = (page: Page) => new QueuePage(page).ids();

test('goal marks on rows, the At risk view with its count, order and reasons, and a goal set in Settings', async ({ page }) => {
  // What the core says, to compare the window with.
  const risks = await app.core.call('risk.list', {});
  const atRisk = risks.items.filter((i) => i.risk >= AT_RISK);
  const atRiskIds = atRisk.map((i) => i.conversationId);
  // Anna (overdue, a follow-up, a threat) is the riskiest; Carl on X is at risk too; Dana (due) is not.
  expect(atRiskIds[0]).toBe(idOf('anna'));
  expect(atRiskIds).toContain(idOf('carl'));
  expect(atRiskIds).not.toContain(idOf('dana'));

  const queue = new QueuePage(page);
  const settings = new SettingsPage(page);
  await page.goto(app.url);
  // Goal marks: overdue in the warning style, due in grey; nothing on the answered and done ones.
  await expect(row(page, 'anna').getByTestId('goal-mark')).toHaveText('overdue 5 h');
  await expect(row(page, 'anna').getByTestId('goal-mark')).toHaveAttribute('data-state', 'overdue');
  await expect(row(page, 'ben').getByTestId('goal-mark')).toHaveText('overdue 2 h');
  await expect(row(page, 'carl').getByTestId('goal-mark')).toHaveText('overdue 1 h');
  await expect(row(page, 'dana').getByTestId('goal-mark')).toHaveText('due in 2 h');
  await expect(row(page, 'dana').getByTestId('goal-mark')).toHaveAttribute('data-state', 'due');
  const overdueBg = await row(page, 'anna')
    .getByTestId('goal-mark')
    .evaluate((e) => getComputedStyle(e).backgroundColor);
  const dueBg = await row(page, 'dana')
    .getByTestId('goal-mark')
    .evaluate((e) => getComputedStyle(e).backgroundColor);
  expect(overdueBg).not.toBe(dueBg);
  // Risk marks on the same conversations in the inbox.
  for (const r of atRisk) await expect(queue.row(r.conversationId).getByTestId('risk-mark')).toHaveText(`Risk ${Math.round(r.risk)}`);
  await expect(row(page, 'dana').getByTestId('risk-mark')).toHaveCount(0);
  await expect(page.getByTestId('count-at-risk')).toHaveText(String(atRisk.length));
  await page.screenshot({ path: shotPath('goals-inbox.png') });
  expect(await seriousA11yViolations(page)).toEqual([]);

  // g r: the At risk view, riskiest first.
  await queue.focus();
  await queue.goTo('r');
  await expect(page.getByTestId('current-view')).toHaveText('at-risk');
  await expect.poll(() => rowIds(page)).toEqual(atRiskIds);
  await expect(page.getByTestId('queue-total')).toHaveText(`${atRisk.length} conversations`);

  // The pane: the goal, what it counts from, the clock, and the reasons with their points.
  await row(page, 'anna').click();
  await shown(page, 'anna');
  const panel = page.getByTestId('goal-panel');
  await expect(panel.getByTestId('goal-due')).toHaveText('Overdue 5 h');
  await expect(panel.getByTestId('goal-what')).toHaveText('First-reply goal 3 h (from your history)');
  await expect(panel.getByTestId('goal-since')).toContainText("Counted from the customer's oldest unanswered message");
  await expect(panel.getByTestId('goal-clock')).toHaveText('Clock running.');
  const reasons = panel.getByTestId('risk-reasons');
  await expect(reasons).toContainText(`At risk of going public: ${Math.round(atRisk[0]!.risk)} of 100`);
  for (const f of atRisk[0]!.factors) await expect(reasons.locator(`[data-factor="${f.factor}"]`)).toHaveText(`${f.points < 0 ? '−' : '+'}${Math.abs(f.points)} ${f.reason}`);
  await expect(reasons).toContainText('threatens');
  await expect(reasons).toContainText('second time they write without an answer');
  await page.screenshot({ path: shotPath('goals-at-risk.png') });
  expect(await seriousA11yViolations(page)).toEqual([]);

  // A conversation waiting on the customer: its clock is paused; no risk reasons for one not at risk.
  await page.getByTestId('view-waiting').click();
  await row(page, 'eve').click();
  await shown(page, 'eve');
  await expect(page.getByTestId('goal-clock')).toHaveText('Clock paused: waiting on the customer.');
  await expect(row(page, 'eve').getByTestId('goal-mark')).toHaveText('paused');
  await expect(page.getByTestId('risk-reasons')).toHaveCount(0);

  // Settings → Goals: bad hours are refused with the schema's words; a 10 h first-reply goal moves Ben's mark.
  await page.getByTestId('view-inbox').click();
  await queue.focus();
  await queue.goTo(',');
  await settings.tab('Goals').click();
  const form = page.getByTestId('goal-settings');
  await expect(form.getByTestId('goal-first-history')).toContainText('From your history: 3 h, the 75th percentile of your last 4 first replies');
  await form.getByTestId('goal-hours-on').click();
  await form.getByLabel('Monday opens').fill('25:00');
  await form.getByTestId('goal-save').click();
  await expect(form.getByTestId('goal-error')).toHaveText('Monday: a time is HH:MM (00:00-24:00)');
  await page.screenshot({ path: shotPath('goals-settings-error.png') });
  expect(await seriousA11yViolations(page)).toEqual([]);
  expect((await app.core.call('goals.get', {})).hours).toBeNull(); // nothing stored
  await form.getByTestId('goal-hours-on').click();
  await form.getByTestId('goal-first-mode').getByText('Set a goal').click();
  await form.getByTestId('goal-first-value').fill('0');
  await form.getByTestId('goal-save').click();
  await expect(form.getByTestId('goal-error')).toHaveText('First-reply goal: a goal is a number from 1 minute to 90 days');
  await form.getByTestId('goal-first-value').fill('10');
  await form.getByTestId('goal-save').click();
  await expect(form.getByTestId('goal-saved')).toContainText('first reply 10 h');
  await page.screenshot({ path: shotPath('goals-settings.png') });
  expect((await app.core.call('goals.get', {})).firstReplyMs).toBe(10 * H);
  await page.keyboard.press('Escape');
  await expect(row(page, 'ben').getByTestId('goal-mark')).toHaveText('due in 5 h');
  await expect(row(page, 'ben').getByTestId('goal-mark')).toHaveAttribute('data-state', 'due');
  await expect(row(page, 'anna').getByTestId('goal-mark')).toHaveText('due in 2 h');

  // Back to the history: Ben is overdue again.
  await queue.goTo(',');
  await settings.tab('Goals').click();
  await form.getByTestId('goal-first-mode').getByText('From your history').click();
  await form.getByTestId('goal-save').click();
  await expect(form.getByTestId('goal-saved')).toContainText('first reply 3 h');
  await page.keyboard.press('Escape');
  await expect(row(page, 'ben').getByTestId('goal-mark')).toHaveText('overdue 2 h');
  await page.screenshot({ path: shotPath('goals-inbox-after.png') });

  // Business hours on one weekday that is not today (UTC): the clock is paused outside them.
  const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const openDay = (new Date().getUTCDay() + 3) % 7;
  await queue.goTo(',');
  await settings.tab('Goals').click();
  await form.getByTestId('goal-hours-on').click();
  await form.getByTestId('goal-timezone').fill('UTC');
  for (let d = 0; d < 7; d++) {
    const box = form.getByRole('checkbox', { name: DAYS[d], exact: true });
    if ((await box.isChecked()) !== (d === openDay)) await box.click();
  }
  await form.getByTestId('goal-save').click();
  await expect(form.getByTestId('goal-saved')).toBeVisible();
  expect((await app.core.call('goals.get', {})).hours?.week.map((w) => w !== null)).toEqual(DAYS.map((_, d) => d === openDay));
  await page.keyboard.press('Escape');
  await row(page, 'anna').click();
  await shown(page, 'anna');
  await expect(page.getByTestId('goal-clock')).toHaveText('Clock paused: outside business hours.');
  // Every message came while closed, so no business time has run: nobody is at risk any more, at once
  // (goals.changed), as risk.list says.
  await expect(page.getByTestId('goal-since')).toContainText('waited less than a minute');
  const after = (await app.core.call('risk.list', {})).items.filter((i) => i.risk >= AT_RISK);
  expect(after).toEqual([]);
  await expect(page.getByTestId('count-at-risk')).toHaveCount(0);
  await expect(page.getByTestId('risk-reasons')).toHaveCount(0);
  await expect(page.getByTestId('risk-mark')).toHaveCount(0);
  await expect(row(page, 'anna').getByTestId('goal-mark')).toHaveAttribute('title', /clock paused: outside business hours/);
  await page.screenshot({ path: shotPath('goals-closed.png') });
  // The At risk view, empty now, says why.
  await queue.focus();
  await queue.goTo('r');
  await expect(page.getByTestId('current-view')).toHaveText('at-risk');
  await expect(page.getByText(`No conversation waiting on you has a risk of ${AT_RISK} or more.`)).toBeVisible();
  await expect(page.locator('.nav-foot')).toHaveText('Riskiest first');
});
