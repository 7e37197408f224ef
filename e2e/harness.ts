// Start the real core and the browser host on a seeded temporary database, in this process, so a
// test can both drive the page and check the database through the same core.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../electron/core/createCore';
import { seedWorkspace, type SeedResult, type SeedWorkspace } from '../electron/core/demo/seed';
import { startServer } from '../electron/server/server';
import { defaultStaticDir } from '../electron/server/buildRenderer';

export interface App {
  core: Core;
  url: string;
  seeded: SeedResult;
  dir: string;
  close(): Promise<void>;
}

export async function startApp(ws: SeedWorkspace | null, now = Date.now()): Promise<App> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-e2e-'));
  const core = createCore({ dataDir: dir, dbPath: path.join(dir, 'canary.db') });
  const seeded = ws ? seedWorkspace(core.db, ws, now) : { conversations: new Map(), emailCustomers: new Map(), xCustomers: new Map(), messages: 0 };
  const server = await startServer({ core, staticDir: defaultStaticDir, host: '127.0.0.1', port: 0, allowRemote: false, log: () => {} });
  return {
    core,
    url: server.url,
    seeded,
    dir,
    async close() {
      await server.close();
      core.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * An email account that sends through the local SMTP peer (user = address, password 'pw') and
 * never syncs (IMAP on port 1, not checked): for the specs that reply or forward.
 */
export async function addSendingAccount(core: Core, address: string, smtpPort: number): Promise<void> {
  await core.call('accounts.add', {
    channel: 'email',
    account: {
      name: 'Support',
      address,
      imap: { host: '127.0.0.1', port: 1, tls: 'off' },
      smtp: { host: '127.0.0.1', port: smtpPort, tls: 'off' },
      user: address,
      secret: 'pw',
    },
    skipCheck: true,
  });
}
