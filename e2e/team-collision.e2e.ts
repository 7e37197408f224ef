// Team mode in two windows (issue 17): Alex and Bea, each with their own core and browser host, share
// one Dovecot mailbox and its team log. Bea opens the composer: Alex's window says "Bea is replying".
// Alex answers first; when Bea sends, her window holds the reply and asks ("Alex answered just now")
// before anything goes out; Send anyway sends it.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { Dovecot, dovecotAvailable, freePort, makeRawEmail } from '../electron/core/testing/dovecot';
import { startSmtpPeer, type ReceivedMail, type SmtpPeer } from '../electron/core/testing/smtpPeer';
import { tempDir } from '../electron/core/testing/tmp';
import { startServer } from '../electron/server/server';
import { defaultStaticDir } from '../electron/server/buildRenderer';
import { conversationOf, openTeammate, syncMail, type Teammate } from '../electron/core/team/testing/teammates';
import { seriousA11yViolations } from './axe';
import { shotPath } from './shots';
import { ComposerPage, ConversationPage, QueuePage, SettingsPage } from './pages';

const MID = 'mug1@cust.example';
const available = dovecotAvailable();

let d: Dovecot;
let smtp: SmtpPeer;
const received: ReceivedMail[] = [];
let root: { dir: string; cleanup: () => void };
const hosts: { t: Teammate; url: string; close: () => Promise<void> }[] = [];

async function host(name: string, smtpPort: number): Promise<{ t: Teammate; url: string }> {
  const t = await openTeammate(d, root.dir, name, { smtpPort });
  await syncMail(t);
  // The app's team loop: IDLE on the log folder (a poll every 5 s besides).
  t.core.ctx.team.start({ pollMs: 5000 });
  const server = await startServer({ core: t.core, staticDir: defaultStaticDir, host: '127.0.0.1', port: 0, allowRemote: false, log: () => {} });
  hosts.push({
    t,
    url: server.url,
    close: async () => {
      await t.core.ctx.team.stop();
      await server.close();
      await t.core.close().catch(() => t.core.dispose());
    },
  });
  return { t, url: server.url };
}

test.beforeAll(async () => {
  test.skip(!available, 'dovecot is not installed (apt-get install -y dovecot-imapd)');
  d = await Dovecot.start({ users: { alice: 'pw' } });
  d.save(
    'alice',
    makeRawEmail({
      from: 'Jon Meyer <jon@cust.example>',
      to: 'support@biz.example',
      subject: 'My mug arrived broken',
      body: 'The handle came off in the box. Can you send a new one?',
      messageId: `<${MID}>`,
    }),
  );
  d.save('alice', makeRawEmail({ from: 'Eva Lind <eva@cust.example>', to: 'support@biz.example', subject: 'Wrong shoe size', body: 'I got 38 instead of 39.', messageId: '<shoe1@cust.example>' }));
  const port = await freePort();
  smtp = await startSmtpPeer({ user: 'alice', password: 'pw', port, received });
  root = tempDir('canary-e2e-team-');
});
test.afterAll(async () => {
  for (const h of hosts.splice(0)) await h.close();
  await smtp?.close();
  await d?.stop();
  root?.cleanup();
});

async function openWindow(browser: Browser, url: string, subject: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  const queue = new QueuePage(page);
  await queue.waitForRows();
  await queue.rows.filter({ hasText: subject }).click();
  await expect(new ConversationPage(page).title).toHaveText(subject);
  return page;
}

/** Alex's and Bea's hosts, made once for the file's tests. */
async function team(): Promise<{ alex: { t: Teammate; url: string }; bea: { t: Teammate; url: string } }> {
  if (hosts.length < 2) {
    await host('Alex', smtp.port);
    await host('Bea', smtp.port);
  }
  return { alex: hosts[0]!, bea: hosts[1]! };
}

test('two teammates on one mailbox: "is replying", and the reply collision asked before sending', async ({ browser }) => {
  const { alex, bea } = await team();
  const pageA = await openWindow(browser, alex.url, 'My mug arrived broken');
  const pageB = await openWindow(browser, bea.url, 'My mug arrived broken');
  const errors: string[] = [];
  for (const p of [pageA, pageB]) p.on('pageerror', (e) => errors.push(e.message));

  // Bea starts a reply: Alex's window shows it within a moment (the claim goes through the log folder).
  const composerB = new ComposerPage(pageB);
  await composerB.open();
  await composerB.text.fill('Hi Jon, so sorry about the mug. A new one');
  await expect(pageA.getByTestId('team-replying')).toHaveText(/Bea is replying/, { timeout: 15_000 });
  await pageA.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await pageA.screenshot({ path: shotPath('team-replying.png') });
  expect(await seriousA11yViolations(pageA)).toEqual([]);

  // Alex answers anyway (his composer says Bea is on it too) and sends first.
  const composerA = new ComposerPage(pageA);
  await composerA.open();
  await expect(pageA.getByTestId('composer-team-replying')).toHaveText('Bea is replying too.');
  await composerA.text.fill('Hi Jon, a new mug is on its way today. Alex');
  await composerA.send();
  await expect(composerA.text).toHaveCount(0, { timeout: 10_000 });
  await expect.poll(() => received.length, { timeout: 30_000 }).toBe(1);

  // Bea sends: held, and asked first. Nothing more went out.
  await expect.poll(async () => (await bea.t.core.call('team.replyCheck', { id: conversationOf(bea.t, MID), since: 0 })).newer.map((n) => n.by?.name), { timeout: 15_000 }).toEqual(['Alex']);
  await composerB.text.fill('Hi Jon, so sorry about the mug. A new one is on its way. Bea');
  await composerB.send();
  const warning = pageB.getByTestId('team-collision');
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('Alex answered just now');
  await expect(composerB.text).toHaveValue(/Bea$/);
  expect(await bea.t.core.call('outbox.list', {})).toEqual([]);
  expect(received).toHaveLength(1);
  await pageB.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await pageB.screenshot({ path: shotPath('team-collision.png') });
  expect(await seriousA11yViolations(pageB)).toEqual([]);

  // Editing drops the question; sending again asks again; Send anyway sends.
  await composerB.text.fill('Hi Jon, my colleague Alex has written already: the new mug leaves today. Bea');
  await expect(warning).toHaveCount(0);
  await composerB.send();
  await expect(warning).toBeVisible();
  await pageB.getByTestId('team-send-anyway').click();
  await expect(warning).toHaveCount(0);
  await expect.poll(() => received.length, { timeout: 30_000 }).toBe(2);
  expect(received[1]!.raw.toString('utf8')).toContain('my colleague Alex');
  expect(errors).toEqual([]);
});

test('Assigned to me and Unassigned in the navbar; m assigns to me, and the teammate sees it', async ({ browser }) => {
  const { alex, bea } = await team();
  const SHOES = 'Wrong shoe size';
  const pageA = await openWindow(browser, alex.url, SHOES);
  const pageB = await openWindow(browser, bea.url, SHOES);
  const errors: string[] = [];
  for (const p of [pageA, pageB]) p.on('pageerror', (e) => errors.push(e.message));
  const queueA = new QueuePage(pageA);
  const count = async (p: Page, view: string) =>
    Number(
      (await p
        .getByTestId(`count-${view}`)
        .textContent({ timeout: 1000 })
        .catch(() => '0')) ?? '0',
    );

  // g u: the conversations nobody has; m assigns the open one to Alex.
  await expect(pageA.getByTestId('view-mine')).toBeVisible();
  await queueA.focus();
  await queueA.keys('g', 'u');
  await expect(pageA.getByTestId('view-unassigned')).toHaveAttribute('data-active', 'true');
  await expect(queueA.rows.filter({ hasText: SHOES })).toHaveCount(1);
  const unassigned = await count(pageA, 'unassigned');
  expect(unassigned).toBe(await queueA.rows.count());
  await queueA.rows.filter({ hasText: SHOES }).click();
  await queueA.focus();
  await queueA.keys('m');
  await expect(pageA.getByText('Assigned to you')).toBeVisible();
  await expect(pageA.getByTestId('count-mine')).toHaveText('1');
  await expect.poll(() => count(pageA, 'unassigned')).toBe(unassigned - 1);
  await queueA.keys('g', 'o');
  await expect(queueA.rows).toHaveCount(1);
  await expect(queueA.rows.first()).toContainText(SHOES);
  await expect(new ConversationPage(pageA).title).toHaveText(SHOES);
  await expect(pageA.getByTestId('team-assignee')).toHaveText('Assigned to Alex');
  await pageA.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await pageA.screenshot({ path: shotPath('team-assigned.png') });
  expect(await seriousA11yViolations(pageA)).toEqual([]);

  // Bea's window: through the log, the conversation says who has it and her Unassigned count drops.
  await expect(pageB.getByTestId('team-assignee')).toHaveText('Assigned to Alex', { timeout: 15_000 });
  await expect.poll(() => count(pageB, 'unassigned')).toBe(unassigned - 1);
  // m again on Alex's: unassigned, on both.
  await queueA.focus();
  await queueA.keys('m');
  await expect(pageA.getByTestId('count-mine')).toHaveCount(0);
  await expect.poll(() => count(pageB, 'unassigned'), { timeout: 15_000 }).toBe(unassigned);
  await expect(pageB.getByTestId('team-assignee')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('Settings → Team shows team mode on with the name teammates see', async ({ browser }) => {
  const { alex } = await team();
  // (After the tests above the inbox may be empty: no conversation is opened.)
  const page = await (await browser.newContext()).newPage();
  await page.goto(alex.url);
  const settings = new SettingsPage(page);
  await settings.openTab('Team');
  const panel = page.getByTestId('team-settings');
  await expect(panel.getByRole('switch', { name: 'Share conversations with my team' })).toBeChecked();
  await expect(panel.getByRole('textbox', { name: 'Your name' })).toHaveValue('Alex');
  await expect(panel.getByRole('textbox', { name: 'Your address' })).toHaveValue('alex@biz.example');
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.screenshot({ path: shotPath('team-settings.png') });
  expect(await seriousA11yViolations(page)).toEqual([]);
});
