// As a new owner does it: `canary accounts add imap … --user alice` with no --address, then
// `canary sync`. The business's address is learned from the mail, the business is no customer,
// every thread is its own conversation; the owner can remove a learned address (it becomes a
// customer again) and add it back. Real Dovecot.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addImapAccount, cli } from '../testing';
import { Dovecot, dovecotAvailable } from '../../core/testing/dovecot';
import { tempDir } from '../../core/testing/tmp';
import { BUSINESS, genericMailbox } from '../../core/email/testing/generic-mailbox';

const haveDovecot = dovecotAvailable();
if (!haveDovecot) console.warn('skipping canary accounts addresses tests: dovecot is not installed (apt-get install -y dovecot-imapd)');

describe.skipIf(!haveDovecot)('canary accounts addresses, for an account added without its address', () => {
  let d: Dovecot;
  const box = genericMailbox({ customers: 9, threadsEach: 2, repliesInInbox: true });
  beforeAll(async () => {
    d = await Dovecot.start({ users: { alice: 'secret' } });
    d.seedMaildir(
      'alice',
      box.mails
        .filter((m) => m.folder === 'INBOX')
        .sort((a, b) => a.at - b.at)
        .map((m) => m.raw),
    );
    d.seedMaildir(
      'alice',
      box.mails
        .filter((m) => m.folder === 'Sent')
        .sort((a, b) => a.at - b.at)
        .map((m) => m.raw),
      'Sent',
    );
  }, 30_000);
  afterAll(async () => {
    await d?.stop();
  });
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  it('learns the address during the first sync, lists it, and re-threads when the owner removes or adds it', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = path.join(t.dir, 'c.db');
    const run = async (...args: string[]) => {
      const r = await cli(['--db', db, ...args]);
      expect(r.code, r.err.join('\n')).toBe(0);
      return r;
    };
    await addImapAccount(db, d, { name: 'Support', user: 'alice', password: 'secret', check: true });
    const before = await run('accounts', 'addresses', '1');
    expect(before.err.join('\n')).toMatch(/no address known/);
    await run('sync');
    const listed = (await run('accounts', 'addresses', '1', '--json')).out.map((l) => JSON.parse(l) as { address: string; source: string; reason: string; active: boolean });
    expect(listed).toEqual([expect.objectContaining({ address: BUSINESS.address, source: 'inferred', active: true, reason: expect.stringMatching(/Sent/) })]);
    const stats = async () => JSON.parse((await run('stats', '--json')).out[0]!) as { customers: number; conversations: number };
    expect(await stats()).toMatchObject({ customers: box.customers.length, conversations: box.threads });

    // The owner says it is not the business's: it is a customer again (its own mail now inbound).
    await run('accounts', 'addresses', '1', '--remove', BUSINESS.address);
    const removed = (await run('accounts', 'addresses', '1', '--json')).out.map((l) => JSON.parse(l) as { active: boolean });
    expect(removed).toEqual([expect.objectContaining({ active: false })]);
    expect((await stats()).customers).toBe(box.customers.length + 1);
    // A sync does not learn it again.
    await run('sync');
    expect((await stats()).customers).toBe(box.customers.length + 1);
    // And back.
    await run('accounts', 'addresses', '1', '--add', BUSINESS.address);
    expect(await stats()).toMatchObject({ customers: box.customers.length, conversations: box.threads });
  });
});
