// Issue 18, "keep it so": the connection is pulled at random points of a 5,000-message sync 50
// times (a TCP proxy between imapflow and Dovecot, testing/cutProxy.ts, that cuts a connection
// after a random number of the server's bytes: during login, SELECT, SEARCH, mid-FETCH on the
// sync's connection or on the fetch worker's), while new mail arrives, flags change and
// messages are expunged on the server between passes. After a last pass the local mailbox must
// be exact: every server message once, nothing else, and every message's flags as on the server.
//
// Size and count: CANARY_FAULT_MESSAGES (default 5,000) and CANARY_FAULT_PULLS (default 50);
// CANARY_FAULT_SEED picks the random points (default 18; printed, so a failure can be replayed).
// The default run takes ~20-40 s on a 2-core machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../createCore';
import { rng } from '../rng';
import { startCutProxy } from '../testing/cutProxy';
import { Dovecot, dovecotAvailable, makeRawEmail } from '../testing/dovecot';
import { tempDir } from '../testing/tmp';
import { addEmailAccount } from './accounts';
import { storedFlags } from './imap/uids';
import { createParser } from './parse-pool';
import { syncAccountOnce } from './sync';

const available = dovecotAvailable();
if (!available) console.warn('skipping the connection-pull fault test: dovecot is not installed (apt-get install -y dovecot-imapd)');

const N = Number(process.env.CANARY_FAULT_MESSAGES ?? 5000);
const PULLS = Number(process.env.CANARY_FAULT_PULLS ?? 50);
const SEED = Number(process.env.CANARY_FAULT_SEED ?? 18);

const mail = (i: number) =>
  makeRawEmail({
    from: `Customer ${i % 300} <c${i % 300}@cust.example>`,
    to: 'support@biz.example',
    subject: i % 3 ? `Re: order ${Math.floor(i / 3)}` : `order ${Math.floor(i / 3)}`,
    body: `message ${i} ${'about the order and its delivery '.repeat(1 + (i % 7))}`,
    messageId: `<f${i}@cust.example>`,
    date: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
  });

describe.skipIf(!available)(`a ${N}-message sync with the connection pulled ${PULLS} times`, () => {
  let d: Dovecot;
  beforeAll(async () => {
    d = await Dovecot.start({ users: { pull: 'pw' } });
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('ends with the exact mailbox: every message once, flags as on the server', async () => {
    console.log(`fault test: ${N} messages, ${PULLS} pulls, seed ${SEED} (CANARY_FAULT_MESSAGES, CANARY_FAULT_PULLS, CANARY_FAULT_SEED)`);
    const r = rng(SEED);
    d.seedMaildir(
      'pull',
      Array.from({ length: Math.floor(N / 2) }, (_, i) => mail(i)),
    );
    d.seedMaildir(
      'pull',
      Array.from({ length: N - Math.floor(N / 2) }, (_, i) => mail(Math.floor(N / 2) + i)),
      'INBOX',
      { seen: true },
    );
    d.flagsAdd('pull', 'INBOX', `1:${Math.floor(N / 10)}`, ['\\Flagged']);
    let next = N; // the next new message's number
    const expunged = new Set<number>(); // message numbers removed on the server

    // The budget of each new connection, until PULLS connections were pulled: a third cut early
    // (login, SELECT, SEARCH: up to 4 KB), the others anywhere in the responses of the next
    // ~300 KB (a batch or two). After a pass that ran to its end (the mailbox caught up), the next
    // connections are cut early, in what an incremental pass says.
    let caughtUp = false;
    const budget = () => {
      if (proxy.cuts >= PULLS) return null;
      return caughtUp || r() < 0.33 ? 50 + Math.floor(r() * 4000) : 4000 + Math.floor(r() * 300_000);
    };
    const proxy = await startCutProxy({ host: d.host, port: d.port }, budget, PULLS);
    const t = tempDir('canary-sync-faults-');
    const core = createCore({ dataDir: t.dir });
    const parser = createParser();
    const errors: string[] = [];
    try {
      const { account } = await addEmailAccount(core.ctx, { name: 'S', address: 'support@biz.example', imap: { host: d.host, port: d.port, tls: 'off' }, user: 'pull', secret: 'pw' });
      // The account talks to the server through the proxy from now on.
      core.db.prepare("UPDATE accounts SET config = json_set(config, '$.imap.port', ?) WHERE id = ?").run(proxy.port, account.id);

      let passes = 0;
      let pulledDuringFirstSync = 0;
      while (proxy.cuts < PULLS) {
        passes++;
        // Batches of 250 and 500 are fetched on the fetch worker's own connection, smaller ones on the sync's.
        const batchSize = [60, 120, 250, 500][Math.floor(r() * 4)]!;
        try {
          await syncAccountOnce(core.ctx, account.id, { folders: ['INBOX'], batchSize, firstBatchSize: 100, retries: 0, parser });
          caughtUp = true;
        } catch (e) {
          errors.push((e as Error).message);
          if (!caughtUp) pulledDuringFirstSync = proxy.cuts;
        }
        // The server's mailbox changes between some passes.
        if (passes % 7 === 3) {
          d.seedMaildir(
            'pull',
            Array.from({ length: 20 }, () => mail(next++)),
          );
        }
        if (passes % 7 === 5) {
          const uids = d.uids('pull');
          const pick = () => uids[Math.floor(r() * uids.length)]!;
          for (let k = 0; k < 5; k++) d.flagsAdd('pull', 'INBOX', pick(), ['\\Seen', '\\Answered']);
          for (let k = 0; k < 5; k++) d.flagsRemove('pull', 'INBOX', pick(), ['\\Seen']);
          for (let k = 0; k < 3; k++) {
            const uid = pick();
            const id = d.doveadm(['-f', 'flow', 'fetch', '-u', 'pull', 'hdr.message-id', 'mailbox', 'INBOX', 'uid', String(uid)]);
            const m = /<f(\d+)@/.exec(id);
            if (m) expunged.add(Number(m[1]));
            d.expunge('pull', 'INBOX', uid);
          }
        }
        if (passes > PULLS * 4) throw new Error(`only ${proxy.cuts} pulls after ${passes} passes`);
      }
      // The last pass, with nothing pulled any more.
      const [last] = await syncAccountOnce(core.ctx, account.id, { folders: ['INBOX'], batchSize: 250, retries: 0, parser });
      expect(last!.errors).toEqual([]);
      expect(proxy.cuts).toBe(PULLS);
      console.log(
        `fault test: ${proxy.cuts} pulls (${pulledDuringFirstSync} before the first pass that ran to its end) over ${proxy.connections} connections in ${passes} passes; errors: ${[...new Set(errors.map((e) => e.slice(0, 40)))].join(' | ')}`,
      );
      // Most pulls fall in the first sync of the N messages, not in the small passes after it.
      expect(pulledDuringFirstSync).toBeGreaterThanOrEqual(PULLS / 2);

      // Exact: the server's messages, each once, nothing else.
      const server = d.listFlags('pull');
      const expected = [...Array(next).keys()]
        .filter((i) => !expunged.has(i))
        .map((i) => `f${i}@cust.example`)
        .sort();
      expect(server.size).toBe(expected.length);
      const ids = core.db.prepare('SELECT external_id FROM messages ORDER BY external_id').pluck().all() as string[];
      expect(ids.length).toBe(expected.length);
      expect(ids).toEqual(expected);
      const locations = core.db.prepare('SELECT uid, flags FROM message_locations ORDER BY uid').all() as { uid: number; flags: string }[];
      expect(locations.map((l) => l.uid)).toEqual([...server.keys()].sort((a, b) => a - b));
      expect(core.db.prepare('SELECT count(*) FROM messages m WHERE (SELECT count(*) FROM message_locations l WHERE l.message_id = m.id) != 1').pluck().get()).toBe(0);
      // Flags as on the server.
      const wrong = locations.filter((l) => JSON.stringify(JSON.parse(l.flags)) !== JSON.stringify(storedFlags(server.get(l.uid))));
      expect(wrong.slice(0, 5).map((l) => ({ uid: l.uid, local: l.flags, server: server.get(l.uid) }))).toEqual([]);
      expect(core.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      await parser.close();
      core.dispose();
      t.cleanup();
      await proxy.close();
    }
  }, 300_000);
});
