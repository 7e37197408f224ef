// The Reports view on a mailbox built by hand, placed on whole weeks before the current one (weeks
// start on Monday, UTC) so that every figure is known whatever day the test runs:
//   2 weeks ago  ann (answered 2 h, done), bob (two follow-ups, answered 9 h), cara's refund mail
//                (Tuesday 09:00, never answered) and her post on Thursday 09:00 (waited 2 days)
//   1 week ago   dan (answered 1 h, done), eve's invoice mail (Wednesday 14:00, account Shop billing,
//                never answered) and her post at 20:00 (waited 6 h), fay (one follow-up, never answered)
//   8 weeks ago  gus (answered in 1 day), hal's mail (Monday 10:00) and his post 30 min later
//   20 weeks ago ivy (answered 3 h)
// With a first-reply goal of 4 h: met by ann, dan and ivy; every other conversation missed it.
// The last 4 weeks hold the first two weeks, the last 12 weeks also the eighth, all time everything.
import fs from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { SeedWorkspace } from '../electron/core/demo/seed';
import { createAccount } from '../electron/core/db/repos/accounts';
import { seriousA11yViolations } from './axe';
import { startApp, type App } from './harness';
import { shotPath } from './shots';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;

/** Monday 00:00 UTC, `k` weeks before the current week's Monday. */
function mondayWeeksAgo(k: number, now: number): number {
  const today = Math.floor(now / D) * D;
  const weekday = (new Date(today).getUTCDay() + 6) % 7; // Monday 0
  return today - weekday * D - k * 7 * D;
}
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const longWeek = (ms: number) => new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(ms);

const NOW = Date.now();
const W2 = mondayWeeksAgo(2, NOW);
const W1 = mondayWeeksAgo(1, NOW);
const W8 = mondayWeeksAgo(8, NOW);
const W20 = mondayWeeksAgo(20, NOW);

function fixture(): SeedWorkspace {
  const mail = (key: string, who: string, subject: string, messages: { from: string; at: number; text: string }[], extra: Partial<SeedWorkspace['conversations'][number]> = {}) => ({
    key,
    kind: 'email' as const,
    with: who,
    subject,
    messages,
    ...extra,
  });
  return {
    self: { name: 'Northwind Support', email: 'support@northwind.test', x: { userId: '1000', handle: 'northwind' } },
    people: [
      { key: 'ann', name: 'Ann Lee', email: 'ann@example.com' },
      { key: 'bob', name: 'Bob Stone', email: 'bob@example.com' },
      { key: 'cara', name: 'Cara Diaz', email: 'cara@example.com', x: { userId: '3001', handle: 'caradiaz' } },
      { key: 'dan', name: 'Dan Ford', email: 'dan@example.com' },
      { key: 'eve', name: 'Eve Moss', email: 'eve@example.com', x: { userId: '3002', handle: 'evemoss' } },
      { key: 'fay', name: 'Fay Hart', email: 'fay@example.com' },
      { key: 'gus', name: 'Gus Park', email: 'gus@example.com' },
      { key: 'hal', name: 'Hal Webb', email: 'hal@example.com', x: { userId: '3003', handle: 'halwebb' } },
      { key: 'ivy', name: 'Ivy Cole', email: 'ivy@example.com' },
    ],
    conversations: [
      mail(
        'ann',
        'ann',
        'Where is my parcel',
        [
          { from: 'ann', at: W2 + 9 * H, text: 'Hello, where is my parcel?' },
          { from: 'self', at: W2 + 11 * H, text: 'It left today.' },
        ],
        { status: 'done' },
      ),
      mail('bob', 'bob', 'Broken kettle', [
        { from: 'bob', at: W2 + 10 * H, text: 'My kettle broke.' },
        { from: 'bob', at: W2 + 12 * H, text: 'Any news?' },
        { from: 'bob', at: W2 + 14 * H, text: 'Hello??' },
        { from: 'self', at: W2 + 19 * H, text: 'Sorry, a new one is on its way.' },
      ]),
      mail('cara-email', 'cara', 'Refund for order 44113', [{ from: 'cara', at: W2 + D + 9 * H, text: 'Hi, where is my refund for order 44113?\nCara' }], { tags: ['billing'] }),
      {
        key: 'cara-tweet',
        kind: 'tweet',
        with: 'cara',
        messages: [{ from: 'cara', at: W2 + 3 * D + 9 * H, text: '@northwind emailed you two days ago about my refund and no answer at all. Awful.' }],
        escalation: { reason: 'Complained on X 2 days after an unanswered email', waitedMs: 2 * D, emailConversation: 'cara-email' },
      },
      mail(
        'dan',
        'dan',
        'Gift wrap',
        [
          { from: 'dan', at: W1 + 9 * H, text: 'Can you wrap it?' },
          { from: 'self', at: W1 + 10 * H, text: 'Yes.' },
        ],
        { status: 'done' },
      ),
      mail('eve-email', 'eve', 'Invoice charged twice', [{ from: 'eve', at: W1 + 2 * D + 14 * H, text: 'You charged my invoice twice.' }], { tags: ['billing'] }),
      {
        key: 'eve-tweet',
        kind: 'tweet',
        with: 'eve',
        messages: [{ from: 'eve', at: W1 + 2 * D + 20 * H, text: '@northwind charged twice and no answer to my email. Still waiting.' }],
        escalation: { reason: 'Complained on X 6 hours after an unanswered email', waitedMs: 6 * H, emailConversation: 'eve-email' },
      },
      mail('fay', 'fay', 'Size exchange', [
        { from: 'fay', at: W1 + 3 * D + 9 * H, text: 'Too small, can I exchange it?' },
        { from: 'fay', at: W1 + 3 * D + 11 * H, text: 'Hello?' },
      ]),
      mail('gus', 'gus', 'Warranty', [
        { from: 'gus', at: W8 + 9 * H, text: 'Is this under warranty?' },
        { from: 'self', at: W8 + D + 9 * H, text: 'Yes, two years.' },
      ]),
      mail('hal-email', 'hal', 'Lost parcel', [{ from: 'hal', at: W8 + 10 * H, text: 'My parcel is lost.' }]),
      {
        key: 'hal-tweet',
        kind: 'tweet',
        with: 'hal',
        messages: [{ from: 'hal', at: W8 + 10 * H + 30 * MIN, text: '@northwind my parcel is lost and nobody answers my email. Terrible service.' }],
        escalation: { reason: 'Complained on X 30 minutes after an unanswered email', waitedMs: 30 * MIN, emailConversation: 'hal-email' },
      },
      mail('ivy', 'ivy', 'Old question', [
        { from: 'ivy', at: W20 + 9 * H, text: 'Do you ship abroad?' },
        { from: 'self', at: W20 + 12 * H, text: 'We do.' },
      ]),
    ],
    links: ['cara', 'eve', 'hal'].map((k) => ({ x: k, email: k, state: 'linked' as const, score: 0.95, evidence: ['Same name on X and in the mail'] })),
  };
}

let app: App;
const consoleErrors: string[] = [];

test.beforeAll(async () => {
  app = await startApp(fixture(), NOW);
  const acc = createAccount(app.core.db, { channel: 'email', name: 'Shop billing', config: {} });
  app.core.db.prepare('UPDATE conversations SET account_id = ? WHERE id = ?').run(acc.id, app.seeded.conversations.get('eve-email')!);
  await app.core.call('goals.set', { firstReplyMs: 4 * H });
  // Linking settles first: it may re-mark the escalations (with the same waits) while it builds.
  await app.core.call('links.refresh', {});
});
test.afterAll(async () => {
  await app?.close();
});

/** A table's body as text, one array per row. */
const tableRows = (t: Locator) => t.locator('tbody tr').evaluateAll((rows) => rows.map((r) => Array.from(r.children, (c) => (c.textContent ?? '').trim())));

async function openReports(page: Page): Promise<void> {
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(app.url);
  await page.evaluate(() => {
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __csp: string[] }).__csp.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  await page.getByTestId('view-reports').click();
  await expect(page.getByTestId('current-view')).toHaveText('reports');
  await expect(page.getByTestId('report-summary')).toBeVisible();
}

async function pickRange(page: Page, label: string): Promise<void> {
  await page.getByTestId('report-range').getByText(label, { exact: true }).click();
}

test('Reports: the figures of a known mailbox, by range, with CSV', async ({ page }) => {
  await openReports(page);
  const stat = (id: string) => page.getByTestId(`stat-${id}-value`);

  // Last 12 weeks (the default): weeks 8, 2 and 1 ago. First replies 1 h, 2 h, 9 h, 1 day: p50 2 h (rank 2), p90 1 day (rank 4).
  await expect(stat('conversations')).toHaveText('11');
  await expect(stat('first-reply')).toHaveText('2 h');
  await expect(page.getByTestId('stat-first-reply')).toContainText('90th percentile 1 day');
  await expect(stat('resolution')).toHaveText('1 h'); // done: dan 1 h, ann 2 h
  await expect(stat('escalations')).toHaveText('3');
  await expect(stat('goals')).toHaveText('18.2 %'); // 2 of 11
  // Escalations per week, oldest first; the waits 30 min, 6 h, 2 days.
  expect(await tableRows(page.getByTestId('report-escalations-table'))).toEqual([
    [longWeek(W8), '1', '1'],
    [longWeek(W2), '1', '1'],
    [longWeek(W1), '1', '1'],
  ]);
  expect(await tableRows(page.getByTestId('report-wait-table'))).toEqual([
    ['< 1 h', '1'],
    ['1–4 h', '0'],
    ['4–24 h', '1'],
    ['1–3 d', '1'],
    ['3–7 d', '0'],
    ['≥ 7 d', '0'],
  ]);
  await expect(page.getByTestId('report-wait')).toContainText('Median 6 h, 90th percentile 2 days, over 3 escalations');

  // Last 4 weeks: weeks 2 and 1 ago only. First replies 1 h, 2 h, 9 h: p50 2 h, p90 9 h; goals 2 of 8.
  await pickRange(page, 'Last 4 weeks');
  await expect(stat('conversations')).toHaveText('8');
  await expect(page.getByTestId('stat-first-reply')).toContainText('90th percentile 9 h');
  await expect(stat('goals')).toHaveText('25 %');
  await expect(stat('escalations')).toHaveText('2');
  expect(await tableRows(page.getByTestId('report-times-table'))).toEqual([
    [longWeek(W2), '4', '2', '2 h', '9 h', '1', '2 h', '2 h'], // ann, bob, cara's mail and post
    [longWeek(W1), '4', '1', '1 h', '1 h', '1', '1 h', '1 h'], // dan, eve's mail and post, fay
  ]);
  expect(await tableRows(page.getByTestId('report-goals-table'))).toEqual([
    [longWeek(W2), '1', '3', '0', '25 %'],
    [longWeek(W1), '1', '3', '0', '25 %'],
  ]);
  // Follow-ups: bob 2 (answered), fay 1 (never); the rest none, cara's and eve's mail went public.
  expect((await tableRows(page.getByTestId('report-follow-ups-table'))).slice(0, 3)).toEqual([
    ['0', '2', '4', '2'],
    ['1', '0', '1', '0'],
    ['2', '1', '0', '0'],
  ]);
  // The touchpoints: one escalation from no account, one from Shop billing; both tagged billing;
  // Tuesday 09:00 and Wednesday 14:00.
  expect(await tableRows(page.getByTestId('report-failed-accounts-table'))).toEqual([
    ['(no account)', '1'],
    ['Shop billing', '1'],
  ]);
  expect(await tableRows(page.getByTestId('report-failed-tags-table'))).toEqual([['billing', '2']]);
  expect(await tableRows(page.getByTestId('report-failed-hours-table'))).toEqual([
    ['09:00', '1'],
    ['14:00', '1'],
  ]);
  expect((await tableRows(page.getByTestId('report-failed-weekdays-table'))).filter((r) => r[1] !== '0')).toEqual([
    ['Tuesday', '1'],
    ['Wednesday', '1'],
  ]);
  const words = (await tableRows(page.getByTestId('report-failed-topics-table'))).map((r) => r[0]);
  expect(words).toEqual(expect.arrayContaining(['refund', 'invoice', 'charged', 'twice']));

  // The times by channel and account: email only, then Shop billing (eve's mail, unanswered).
  await page.getByTestId('report-times-select').click();
  await page.getByRole('option', { name: 'Channel: Email' }).click();
  expect(await tableRows(page.getByTestId('report-times-table'))).toEqual([
    [longWeek(W2), '3', '2', '2 h', '9 h', '1', '2 h', '2 h'],
    [longWeek(W1), '3', '1', '1 h', '1 h', '1', '1 h', '1 h'],
  ]);
  await page.getByTestId('report-times-select').click();
  await page.getByRole('option', { name: 'Account: Shop billing' }).click();
  expect(await tableRows(page.getByTestId('report-times-table'))).toEqual([[longWeek(W1), '1', '0', '–', '–', '0', '–', '–']]);

  // All time adds ivy (3 h): p50 3 h (rank 3 of 5), goals 3 of 12.
  await pickRange(page, 'All time');
  await expect(stat('conversations')).toHaveText('12');
  await expect(stat('first-reply')).toHaveText('3 h');
  await expect(stat('goals')).toHaveText('25 %');

  // A custom range: the eighth week only.
  await pickRange(page, 'Custom');
  await page.getByTestId('report-since').fill(iso(W8));
  await page.getByTestId('report-until').fill(iso(W8 + 6 * D));
  await expect(stat('conversations')).toHaveText('3');
  await expect(stat('escalations')).toHaveText('1');
  expect(await tableRows(page.getByTestId('report-wait-table'))).toContainEqual(['< 1 h', '1']);

  // CSV of one chart's table, and of the summary from the Export menu: the core's tables.
  const [perWeek] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-escalations-csv').click()]);
  expect(perWeek.suggestedFilename()).toBe(`canary-report-escalations_per_week-${iso(W8)}-to-${iso(W8 + 6 * D)}.csv`);
  expect(fs.readFileSync(await perWeek.path(), 'utf8')).toBe(`week,escalations,unanswered\r\n${iso(W8)},1,1\r\n`);
  await page.getByTestId('report-export').click();
  const [summary] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-export-summary').click()]);
  const csv = fs.readFileSync(await summary.path(), 'utf8');
  expect(csv).toContain(`since,${iso(W8)}\r\n`);
  expect(csv).toContain('conversations,3\r\n');
  expect(csv).toContain(`first_reply_p50_ms,${D}\r\n`); // gus, the one answer that week
  expect(csv).toContain('escalation_wait_p50_ms,1800000\r\n');

  // An empty range: the empty state, no charts.
  await page.getByTestId('report-since').fill('2001-01-01');
  await page.getByTestId('report-until').fill('2001-01-31');
  await expect(page.getByTestId('report-empty')).toContainText('Nothing to report in this range');
  await expect(page.getByTestId('report-summary')).toHaveCount(0);
  await page.screenshot({ path: shotPath('report-empty.png') });

  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
  expect(consoleErrors).toEqual([]);
});

const CARDS = ['escalations', 'wait', 'times', 'goals', 'follow-ups', 'failed-accounts', 'failed-tags', 'failed-topics', 'failed-references', 'failed-hours', 'failed-weekdays'];

for (const scheme of ['light', 'dark'] as const) {
  test(`Reports: each chart drawn as SVG under the CSP (${scheme} scheme), screenshots`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openReports(page);
    await pickRange(page, 'All time');
    await expect(page.getByTestId('stat-conversations-value')).toHaveText('12');
    for (const id of CARDS) {
      const card = page.getByTestId(`report-${id}`);
      await card.scrollIntoViewIfNeeded();
      // recharts draws its bars and lines as inline SVG paths.
      await expect(card.locator('svg.recharts-surface').first()).toBeVisible();
      await expect(card.locator('.recharts-bar-rectangle path, .recharts-line-curve').first()).toBeAttached();
      await card.screenshot({ path: shotPath(`report-${id}-${scheme}.png`) });
    }
    await page.getByTestId('reports').evaluate((el) => el.scrollTo(0, 0));
    await page.screenshot({ path: shotPath(`report-${scheme}.png`) });
    // Contrast, table markup and names of the whole view, charts included.
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
}
