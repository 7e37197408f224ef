// `npm run first-sync-check [-- DIR… | --generated]`: the new owner's path on a data set like ../shared/linkset-dev
// (mail/*.eml, truth.json with business.email and email_threads): its mail is put on a throw-away
// Dovecot as an owner's mailbox would be (the business's own mail in Sent, or everything in the
// inbox), an account is added with the login "alice" and no address, and one first sync runs in
// newest-first batches. Prints conversations against the data set's threads, whether the business
// became a customer, conversations holding more than one customer, and the addresses learned.
// --generated: the generated businesses of link-quality (fitted, held-out and fresh) instead, each made
// in a temporary folder.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../electron/core/createCore';
import { accountAddresses } from '../electron/core/db/repos/account-addresses';
import { addEmailAccount } from '../electron/core/email/accounts';
import { syncAccountOnce } from '../electron/core/email/sync';
import { Dovecot } from '../electron/core/testing/dovecot';
import { generatedSets, withDataset } from '../electron/core/linking/testing/sets';

const here = path.dirname(fileURLToPath(import.meta.url));
const dirs = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!dirs.length) dirs.push(path.resolve(here, '../../shared/linkset-dev'));

async function check(dir: string, name = path.basename(dir)): Promise<void> {
  const truthFile = path.join(dir, 'truth.json');
  if (!fs.existsSync(truthFile)) {
    console.log(`${dir}: no truth.json, skipped`);
    return;
  }
  const truth = JSON.parse(fs.readFileSync(truthFile, 'utf8')) as { business: { email: string }; email_threads: number };
  const raws = fs
    .readdirSync(path.join(dir, 'mail'))
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((f) => fs.readFileSync(path.join(dir, 'mail', f)));
  const biz = truth.business.email.toLowerCase();
  const fromBusiness = (r: Buffer) => (/^From:(.*)$/im.exec(r.subarray(0, 8000).toString('latin1'))?.[1] ?? '').toLowerCase().includes(biz);
  for (const mode of ['replies in Sent', 'replies in the inbox'] as const) {
    const d = await Dovecot.start({ users: { alice: 'pw' } });
    const data = fs.mkdtempSync('/tmp/canary-first-sync-');
    try {
      if (mode === 'replies in Sent') {
        d.seedMaildir(
          'alice',
          raws.filter((r) => !fromBusiness(r)),
        );
        d.seedMaildir('alice', raws.filter(fromBusiness), 'Sent');
      } else d.seedMaildir('alice', raws);
      const core = createCore({ dataDir: data });
      const { account } = await addEmailAccount(core.ctx, { name: 'Support', imap: { host: d.host, port: d.port, tls: 'off' }, user: 'alice', secret: 'pw' });
      const t0 = Date.now();
      await syncAccountOnce(core.ctx, account.id, { batchSize: 100, firstBatchSize: 20 });
      const one = (sql: string, ...a: unknown[]) =>
        core.db
          .prepare(sql)
          .pluck()
          .get(...a);
      const conversations = one("SELECT count(*) FROM conversations WHERE kind = 'email'") as number;
      const mixed = one(
        `SELECT count(*) FROM (SELECT m.conversation_id FROM messages m JOIN identities i ON i.id = m.author_identity_id
         WHERE i.is_self = 0 AND m.kind = 'email' GROUP BY m.conversation_id HAVING count(DISTINCT i.customer_id) > 1)`,
      );
      console.log(
        `${name}, ${mode}: ${raws.length} mails, ${conversations} conversations for ${truth.email_threads} threads` +
          `, business ${one('SELECT is_self FROM identities WHERE address = ?', biz) === 1 ? 'is not' : 'IS'} a customer, ${mixed} conversations with several customers` +
          `, learned: ${
            accountAddresses(core.db, account.id)
              .map((a) => `${a.address} (${a.reason})`)
              .join('; ') || 'nothing'
          } (${Date.now() - t0} ms)`,
      );
      core.dispose();
    } finally {
      await d.stop();
      fs.rmSync(data, { recursive: true, force: true });
    }
  }
}

if (process.argv.includes('--generated')) {
  for (const which of ['fitted', 'held-out', 'fresh'] as const) for (const set of generatedSets(which)) await withDataset(set, 0, (data) => check(data, `${set.name} (${which})`));
} else for (const dir of dirs) await check(dir);
