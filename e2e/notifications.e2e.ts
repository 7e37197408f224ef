// Desktop notifications in the browser host: with the 'notifications' permission granted, Settings →
// Notifications says so and keeps each kind and quiet hours in the core; a complaint on X from
// Maria's linked account, imported while the window is open, is marked escalated by the linking
// engine and the window shows one Notification (recorded by an init script wrapping
// window.Notification) naming her and her email's subject, not what she wrote; clicking it opens
// the conversation, whatever was open before.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { SeedWorkspace } from '../electron/core/demo/seed';
import { startApp, type App } from './harness';
import { shotPath } from './shots';
import { ConversationPage, QueuePage, SettingsPage } from './pages';

const H = 3_600_000;
const COMPLAINT = '@northwind three days and no answer about my damaged frame. Anyone there?';

function fixture(now: number): SeedWorkspace {
  return {
    self: { name: 'Northwind Support', email: 'support@northwind.test', x: { userId: '1000', handle: 'northwind' } },
    people: [
      { key: 'maria', name: 'Maria Kowalski', email: 'maria.kowalski@example.com', x: { userId: '2001', handle: 'mariak_design', name: 'Maria Kowalski' } },
      { key: 'tom', name: 'Tom Becker', email: 'tom.becker@example.org' },
    ],
    conversations: [
      {
        key: 'maria-email',
        kind: 'email',
        with: 'maria',
        subject: 'Order #4411 arrived damaged',
        messages: [{ from: 'maria', at: now - 74 * H, text: 'My Trail 29 frame arrived with a cracked rear dropout. Can you send a replacement?' }],
      },
      {
        key: 'tom-invoice',
        kind: 'email',
        with: 'tom',
        subject: 'Invoice for March is missing the VAT number',
        messages: [{ from: 'tom', at: now - 5 * H, text: 'The March invoice has no VAT number.' }],
      },
    ],
    links: [{ x: 'maria', email: 'maria', state: 'linked', score: 0.95, evidence: ['Same name'] }],
  };
}

/** Maria's complaint as the X API returns it (a mentions page), in a folder to import. */
function complaintPages(now: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-e2e-x-'));
  const id = '1900000000000000001';
  fs.writeFileSync(path.join(dir, 'me.json'), JSON.stringify({ data: { id: '1000', name: 'Northwind Support', username: 'northwind' } }));
  fs.writeFileSync(
    path.join(dir, 'mentions-001.json'),
    JSON.stringify({
      data: [
        {
          id,
          text: COMPLAINT,
          author_id: '2001',
          created_at: new Date(now - 1 * H).toISOString(),
          conversation_id: id,
          entities: { mentions: [{ start: 0, end: 10, username: 'northwind', id: '1000' }] },
        },
      ],
      includes: { users: [{ id: '2001', name: 'Maria Kowalski', username: 'mariak_design' }] },
    }),
  );
  return dir;
}

interface Recorded {
  title: string;
  body: string;
  tag: string;
}

let app: App;
let pages: string;
test.beforeAll(async () => {
  const now = Date.now();
  app = await startApp(fixture(now), now);
  pages = complaintPages(now);
});
test.afterAll(async () => {
  await app?.close();
  if (pages) fs.rmSync(pages, { recursive: true, force: true });
});

test('a new escalation shows a notification; clicking it opens the conversation', async ({ page, context }) => {
  await context.grantPermissions(['notifications'], { origin: new URL(app.url).origin });
  // Record every Notification the page makes and keep it, so the test can click it.
  await page.addInitScript(() => {
    const made: Notification[] = [];
    const Real = window.Notification;
    class Recording extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        made.push(this);
      }
    }
    Object.defineProperty(window, 'Notification', { value: Recording, configurable: true, writable: true });
    (window as unknown as { __made: Notification[] }).__made = made;
  });
  const recorded = () => page.evaluate(() => (window as unknown as { __made: Notification[] }).__made.map((n) => ({ title: n.title, body: n.body, tag: n.tag })));

  const queue = new QueuePage(page);
  const conversation = new ConversationPage(page);
  await page.goto(app.url);
  await queue.waitForRows();

  // Settings → Notifications: the permission as the browser gives it, each kind kept by the core.
  await new SettingsPage(page).openTab('Notifications');
  const section = page.getByTestId('notification-settings');
  await expect(section.getByTestId('notify-permission')).toHaveAttribute('data-permission', 'granted');
  await expect(section.getByTestId('notify-permission-ask')).toHaveCount(0);
  await expect(section.getByRole('switch', { name: 'New escalations' })).toBeChecked();
  await section.getByRole('switch', { name: 'Likely escalations' }).click();
  await expect.poll(async () => (await app.core.call('settings.get', {})).notifications.likely).toBe(false);
  await section.getByRole('switch', { name: 'Quiet hours' }).click();
  await expect.poll(async () => (await app.core.call('settings.get', {})).notifications.quietHours).toMatchObject({ from: '22:00', to: '07:00' });
  await page.screenshot({ path: shotPath('notification-settings.png') });
  // Off again for the rest: quiet hours could cover the time the test runs.
  await section.getByRole('switch', { name: 'Quiet hours' }).click();
  await expect.poll(async () => (await app.core.call('settings.get', {})).notifications.quietHours).toBeNull();
  await page.keyboard.press('Escape');
  await expect(section).toHaveCount(0);

  // Something else is open when the escalation comes.
  const tom = app.seeded.conversations.get('tom-invoice')!;
  await queue.row(tom).click();
  await expect(conversation.pane).toHaveAttribute('data-conversation-id', String(tom));
  expect(await recorded()).toEqual([]);

  // Maria's complaint arrives (an import of X pages); linking marks it escalated.
  await app.core.call('links.refresh', {});
  await app.core.call('import.path', { path: pages });
  await app.core.call('links.refresh', {});
  await expect.poll(recorded, { timeout: 10_000 }).toHaveLength(1);
  const [n] = (await recorded()) as Recorded[];
  expect(n!.title).toBe('Escalated: Maria Kowalski');
  expect(n!.body).toContain("their email 'Order #4411 arrived damaged'");
  expect(n!.body).not.toContain('damaged frame');
  const escalated = Number(n!.tag.replace('canary-', ''));
  expect((await app.core.call('conversations.get', { id: escalated })).conversation.escalation).toMatchObject({ state: 'escalated' });

  // The click opens it.
  await page.evaluate(() => (window as unknown as { __made: Notification[] }).__made[0]!.dispatchEvent(new Event('click')));
  await expect(conversation.pane).toHaveAttribute('data-conversation-id', String(escalated));
  await expect(conversation.pane).toContainText('damaged frame');
  // Nothing more for the same escalation.
  await app.core.call('links.refresh', { full: true });
  await page.waitForTimeout(500);
  expect(await recorded()).toHaveLength(1);
});

test('without the permission, Settings → Notifications offers to ask for it from a click', async ({ page }) => {
  await page.goto(app.url);
  await new SettingsPage(page).openTab('Notifications');
  const permission = page.getByTestId('notify-permission');
  await expect(permission).toHaveAttribute('data-permission', 'default');
  await page.screenshot({ path: shotPath('notification-settings-ask.png') });
  // Headless Chromium answers a request nobody can see with a refusal: the section says how to allow it.
  await permission.getByTestId('notify-permission-ask').click();
  await expect(permission).toHaveAttribute('data-permission', 'denied');
  await expect(permission).toContainText('allow them in its site settings');
  await expect(permission.getByTestId('notify-permission-ask')).toHaveCount(0);
});
