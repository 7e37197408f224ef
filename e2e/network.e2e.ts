// The offline indicator: it trusts the window's navigator.onLine only when that says offline, and
// otherwise shows what the core finds when it connects to the accounts' servers. An email account
// points at a TCP server the test starts and stops; the window is taken off the network and back.
import net from 'node:net';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { uiFixture } from './fixture';
import { startApp, type App } from './harness';

let app: App;
let server: net.Server | null = null;

function listen(): Promise<{ srv: net.Server; port: number }> {
  return new Promise((resolve) => {
    const srv = net.createServer((s) => s.destroy());
    srv.listen(0, '127.0.0.1', () => resolve({ srv, port: (srv.address() as net.AddressInfo).port }));
  });
}

test.beforeAll(async () => {
  app = await startApp(uiFixture(Date.now()));
});
test.afterAll(async () => {
  server?.close();
  await app?.close();
});

test('shows offline when the account servers do not answer, and when the computer has no network', async ({ page, context }) => {
  const up = await listen();
  server = up.srv;
  app.core.db
    .prepare("INSERT INTO accounts (channel, name, config, created_at, updated_at) VALUES ('email', 'Support', ?, 0, 0)")
    .run(JSON.stringify({ imap: { host: '127.0.0.1', port: up.port, tls: 'off' }, smtp: null }));

  await page.goto(app.url);
  await expect(page.getByTestId('queue')).toBeVisible();
  await expect.poll(async () => (await app.core.call('network.status', {})).state).toBe('online');
  await expect(page.getByTestId('network-offline')).toHaveCount(0);

  // The browser thinks it is online, but the mail server went away.
  await new Promise<void>((r) => server!.close(() => r()));
  server = null;
  await context.setOffline(true); // a network change: the window asks the core to check again
  await expect(page.getByTestId('network-offline')).toBeVisible();
  await context.setOffline(false);
  await expect(page.getByTestId('network-offline')).toBeVisible(); // navigator.onLine is true, the server is still gone
  await page.getByTestId('network-offline').hover();
  await expect(page.getByRole('tooltip')).toContainText(`IMAP Support (127.0.0.1:${up.port}): connection refused`);
  await page.screenshot({ path: path.join(import.meta.dirname, '../test-results/network-offline.png') });

  // The server answers again (on a new port the account is moved to): the badge goes away.
  const again = await listen();
  server = again.srv;
  app.core.db.prepare("UPDATE accounts SET config = json_set(config, '$.imap.port', ?) WHERE name = 'Support'").run(again.port);
  await context.setOffline(true);
  await context.setOffline(false);
  await expect(page.getByTestId('network-offline')).toHaveCount(0);
});
