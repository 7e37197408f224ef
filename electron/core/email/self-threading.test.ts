// The paths real owners take: an account added with a login that is not an address (no address
// given), generic subjects shared by many customers, business replies filed in the inbox instead
// of Sent, and mail arriving in every order the app has (oldest or newest first, shuffled, the
// sync's newest-first batches, the fetch worker, IDLE, import). Every run must give exactly one
// conversation per thread, and the business must never be a customer.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { Dovecot, dovecotAvailable } from '../testing/dovecot';
import { startSmtpPeer } from '../testing/smtpPeer';
import { tempDir } from '../testing/tmp';
import { rng } from '../rng';
import { importPath } from '../import';
import { accountAddresses } from '../db/repos/account-addresses';
import { addEmailAccount } from './accounts';
import { ingestBatch } from './ingest';
import { syncAccountOnce } from './sync';
import { EmailWatcher } from './watch';
import { BUSINESS, expectExactThreads, genericMailbox, type GenericMail, type GenericMailbox } from './testing/generic-mailbox';

const available = dovecotAvailable();
if (!available) console.warn('skipping the IMAP parts of the self-address tests: dovecot is not installed (apt-get install -y dovecot-imapd)');

function shuffled<T>(list: readonly T[], seed: number): T[] {
  const r = rng(seed);
  const a = [...list];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

describe('threading never joins two customers', () => {
  let core: Core;
  let cleanup: () => void;
  beforeEach(() => {
    const t = tempDir('canary-self-');
    cleanup = t.cleanup;
    core = createCore({ dataDir: t.dir });
  });
  afterEach(() => {
    core.dispose();
    cleanup();
  });

  const box = genericMailbox({ customers: 12, threadsEach: 2, repliesInInbox: true });
  const orders: [string, GenericMail[]][] = [
    ['oldest first', [...box.mails].sort((a, b) => a.at - b.at)],
    ['newest first', [...box.mails].sort((a, b) => b.at - a.at)],
    ...[1, 2, 3].map((s): [string, GenericMail[]] => [`shuffled (seed ${s})`, shuffled(box.mails, s)]),
  ];
  for (const [name, order] of orders) {
    it(`gives one conversation per thread, ${name}, one message at a time`, async () => {
      for (const m of order) await ingestBatch(core.ctx, [m.raw], { selfAddresses: [BUSINESS.address] });
      expectExactThreads(core, box);
    });
  }

  it('keeps customers apart even while the business address is unknown (the subject fallback matches on the customer side)', async () => {
    await ingestBatch(
      core.ctx,
      [...box.mails].sort((a, b) => b.at - a.at).map((m) => m.raw),
    );
    const mixed = core.db
      .prepare(
        `SELECT count(*) FROM (SELECT m.conversation_id FROM messages m JOIN identities i ON i.id = m.author_identity_id
         WHERE i.address != ? GROUP BY m.conversation_id HAVING count(DISTINCT i.customer_id) > 1)`,
      )
      .pluck()
      .get(BUSINESS.address) as number;
    expect(mixed).toBe(0);
  });

  it('import: the business is inferred and every thread is its own conversation', async () => {
    const dir = tempDir('canary-self-import-');
    try {
      for (const m of box.mails) fs.writeFileSync(path.join(dir.dir, `${m.messageId.replace(/[^a-z0-9-]/gi, '_')}.eml`), m.raw);
      const r = await importPath(core.ctx, dir.dir);
      expect(r.problems ?? []).toEqual([]);
      expectExactThreads(core, box);
    } finally {
      dir.cleanup();
    }
  });
});

describe.skipIf(!available)('an account added with a login that is not an address (real Dovecot)', () => {
  let d: Dovecot;
  let core: Core;
  let cleanup: () => void;
  let n = 0;
  let login = '';
  const PASSWORD = 'self-test-pw-31';

  beforeAll(async () => {
    const users: Record<string, string> = {};
    for (let i = 0; i < 6; i++) users[`alice${i}`] = PASSWORD;
    d = await Dovecot.start({ users });
  });
  afterAll(async () => {
    await d?.stop();
  });
  beforeEach(() => {
    const t = tempDir('canary-self-sync-');
    cleanup = t.cleanup;
    core = createCore({ dataDir: t.dir });
    login = `alice${n++}`;
  });
  afterEach(() => {
    core.dispose();
    cleanup();
  });

  async function addAccount(): Promise<number> {
    // As a new owner does it: a login name, no address.
    const r = await addEmailAccount(core.ctx, { name: 'Support', imap: { host: d.host, port: d.port, tls: 'off' }, user: login, secret: PASSWORD });
    expect(r.account.address).toBeNull();
    return r.account.id;
  }

  function seed(box: GenericMailbox): void {
    const inbox = box.mails.filter((m) => m.folder === 'INBOX').sort((a, b) => a.at - b.at);
    const sent = box.mails.filter((m) => m.folder === 'Sent').sort((a, b) => a.at - b.at);
    d.seedMaildir(
      login,
      inbox.map((m) => m.raw),
    );
    d.seedMaildir(
      login,
      sent.map((m) => m.raw),
      'Sent',
    );
  }

  it('first sync in newest-first batches: learns the business from Sent, one conversation per thread, no customer for the business', async () => {
    const box = genericMailbox({ customers: 10, threadsEach: 2, repliesInInbox: true });
    seed(box);
    const id = await addAccount();
    await syncAccountOnce(core.ctx, id, { batchSize: 7, firstBatchSize: 5 });
    expectExactThreads(core, box);
    const addresses = accountAddresses(core.db, id);
    expect(addresses).toContainEqual(expect.objectContaining({ address: BUSINESS.address, source: 'inferred', active: true }));
    expect(addresses.find((a) => a.address === BUSINESS.address)!.reason).toMatch(/Sent/);
    const customers = core.db.prepare("SELECT count(DISTINCT customer_id) FROM identities WHERE kind = 'email' AND is_self = 0").pluck().get();
    expect(customers).toBe(box.customers.length);
  });

  it('replies from the learned address, and reply-all leaves the business out', async () => {
    const box = genericMailbox({ customers: 4, threadsEach: 1 });
    seed(box);
    const smtp = await startSmtpPeer({ password: PASSWORD });
    try {
      const r = await addEmailAccount(core.ctx, {
        name: 'Support',
        imap: { host: d.host, port: d.port, tls: 'off' },
        smtp: { host: '127.0.0.1', port: smtp.port, tls: 'off' },
        user: login,
        secret: PASSWORD,
      });
      await syncAccountOnce(core.ctx, r.account.id);
      const conv = core.db.prepare('SELECT conversation_id FROM messages WHERE external_id = ?').pluck().get(box.mails[0]!.messageId) as number;
      await core.call('replies.send', { channel: 'email', conversationId: conv, text: 'We are on it.', all: true });
      await core.call('outbox.send', { channel: 'email' });
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]!.from).toBe(BUSINESS.address);
      expect(smtp.received[0]!.to).toEqual([box.customers[0]]);
    } finally {
      await smtp.close();
    }
  });

  it('replies stored only in the inbox: the business is learned from the inbox itself', async () => {
    const box = genericMailbox({ customers: 10, threadsEach: 2 });
    // Every business reply filed in INBOX; Sent is empty.
    d.seedMaildir(
      login,
      [...box.mails].sort((a, b) => a.at - b.at).map((m) => m.raw),
    );
    const id = await addAccount();
    await syncAccountOnce(core.ctx, id, { batchSize: 9, firstBatchSize: 4 });
    expectExactThreads(core, box);
    expect(accountAddresses(core.db, id).find((a) => a.address === BUSINESS.address)).toMatchObject({ source: 'inferred', active: true });
  });

  it('big batches on the fetch worker give the same', async () => {
    const box = genericMailbox({ customers: 70, threadsEach: 1, repliesInInbox: true });
    seed(box);
    const id = await addAccount();
    const r = await syncAccountOnce(core.ctx, id, { batchSize: 250, firstBatchSize: 20 });
    expect(r.reduce((s, f) => s + f.stored, 0)).toBe(box.mails.length);
    expectExactThreads(core, box);
  });

  it('IDLE: mail arriving newest first while watching', async () => {
    const box = genericMailbox({ customers: 6, threadsEach: 2, repliesInInbox: true });
    const id = await addAccount();
    const w = new EmailWatcher(core.ctx, id, { backoffMs: 50, pollMs: 60_000 });
    w.start();
    try {
      const until = async (cond: () => boolean) => {
        const end = Date.now() + 15_000;
        while (!cond()) {
          if (Date.now() > end) throw new Error('timed out waiting for the watcher');
          await new Promise((r) => setTimeout(r, 25));
        }
      };
      await until(() => w.connected);
      // Newest first, in a few bursts: each burst reaches the watcher through IDLE (UIDs ascend, dates descend).
      const order = [...box.mails].sort((a, b) => b.at - a.at);
      let inbox = 0;
      for (let i = 0; i < order.length; i += 6) {
        for (const m of order.slice(i, i + 6)) {
          await d.saveAsync(login, m.raw, m.folder);
          if (m.folder === 'INBOX') inbox++;
        }
        await until(() => (core.db.prepare('SELECT count(*) FROM messages').pluck().get() as number) >= inbox);
      }
      // Sent is read by the periodic pass: run one now.
      await syncAccountOnce(core.ctx, id);
      await until(() => (core.db.prepare('SELECT count(*) FROM messages').pluck().get() as number) === box.mails.length);
      expectExactThreads(core, box);
    } finally {
      await w.stop();
    }
  });
});
