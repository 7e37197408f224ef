import fs from 'node:fs';
import { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountsOf } from '../../../shared/contract/accounts';
import { AppError } from '../../../shared/contract/errors';
import { createCore, type Core } from '../createCore';
import { Dovecot, dovecotAvailable, makeRawEmail } from '../testing/dovecot';
import { tempDir } from '../testing/tmp';
import { accountCredentials, addEmailAccount, listEmailAccounts, removeEmailAccount } from './accounts';
import { emailSyncStatus, startEmailBackground } from './handlers';
import { createParser, inProcessParser, type Parser } from './parse-pool';
import { AccountSync, syncAccountOnce, type SyncProgress } from './sync';
import { EmailWatcher } from './watch';
import { connectImap } from './imap/connect';

const available = dovecotAvailable();
if (!available) console.warn('skipping the IMAP sync tests: dovecot is not installed (apt-get install -y dovecot-imapd)');

const PASSWORD = 'pa55-Wörd-unique-7f3a';

function mails(n: number, opts: { start?: number; prefix?: string } = {}): Buffer[] {
  const out: Buffer[] = [];
  const start = opts.start ?? 0;
  for (let i = start; i < start + n; i++) {
    const thread = Math.floor(i / 4);
    out.push(
      makeRawEmail({
        from: `Customer ${thread} <c${thread}@cust.example>`,
        to: 'support@biz.example',
        subject: i % 4 === 0 ? `Question ${thread}` : `Re: Question ${thread}`,
        body: `message ${i} about order ${1000 + thread}`,
        messageId: `<${opts.prefix ?? 'm'}${i}@cust.example>`,
        ...(i % 4 ? { inReplyTo: `<${opts.prefix ?? 'm'}${thread * 4}@cust.example>`, references: [`<${opts.prefix ?? 'm'}${thread * 4}@cust.example>`] } : {}),
        date: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
      }),
    );
  }
  return out;
}

const count = (core: Core, sql: string, ...args: unknown[]) =>
  core.db
    .prepare(sql)
    .pluck()
    .get(...args) as number;

async function waitFor(cond: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(!available)('IMAP sync against a real Dovecot', () => {
  let d: Dovecot;
  let core: Core;
  let cleanup: () => void;
  let user = 0;
  let login = '';

  beforeAll(async () => {
    const users: Record<string, string> = {};
    for (let i = 0; i < 12; i++) users[`u${i}`] = PASSWORD;
    d = await Dovecot.start({ users, folders: ['Archive'] });
  });
  afterAll(async () => {
    await d?.stop();
  });
  beforeEach(() => {
    const t = tempDir('canary-sync-');
    cleanup = t.cleanup;
    core = createCore({ dataDir: t.dir });
    login = `u${user++}`; // a fresh mailbox per test
  });
  afterEach(() => {
    core.dispose();
    cleanup();
  });

  async function account(extra: { folders?: string[] } = {}) {
    const r = await addEmailAccount(core.ctx, {
      name: 'Support',
      address: 'support@biz.example',
      imap: { host: d.host, port: d.port, tls: 'off' },
      user: login,
      secret: PASSWORD,
      folders: extra.folders,
    });
    return r.account.id;
  }

  it('adds an account only after a clear connection test, keeps the secret out of SQLite, removes it', async () => {
    const wrong = 'Wr0ng-but-secret-pw-x9';
    const bad = addEmailAccount(core.ctx, { name: 'X', imap: { host: d.host, port: d.port, tls: 'off' }, user: login, secret: wrong });
    await expect(bad).rejects.toThrow(AppError);
    await expect(bad).rejects.toThrow(/Authentication failed/);
    await expect(bad).rejects.not.toThrow(wrong);
    const noHost = addEmailAccount(core.ctx, { name: 'X', imap: { host: 'no-such-host.invalid', port: 993, tls: 'on' }, user: login, secret: 'x' }, { timeoutMs: 5000 });
    await expect(noHost).rejects.toThrow(/Host not found/);
    const refused = addEmailAccount(core.ctx, { name: 'X', imap: { host: '127.0.0.1', port: 1, tls: 'off' }, user: login, secret: 'x' });
    await expect(refused).rejects.toThrow(/Connection refused/);
    const tlsWrong = addEmailAccount(core.ctx, { name: 'X', imap: { host: d.host, port: d.port, tls: 'on' }, user: login, secret: PASSWORD }, { timeoutMs: 3000 });
    await expect(tlsWrong).rejects.toThrow(/TLS/);
    expect(listEmailAccounts(core.ctx)).toEqual([]);

    const id = await account();
    const [a] = listEmailAccounts(core.ctx);
    expect(a).toMatchObject({ id, name: 'Support', user: login, hasCredential: true, imap: { host: d.host, port: d.port, tls: 'off' } });
    core.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(fs.readFileSync(core.ctx.dbPath).includes(Buffer.from(PASSWORD))).toBe(false);
    expect(JSON.stringify(core.db.prepare('SELECT * FROM accounts').all())).not.toContain(PASSWORD);
    const ref = core.db.prepare('SELECT credential_ref FROM accounts WHERE id = ?').pluck().get(id) as string;
    expect(core.ctx.secrets.get(ref)).toContain(PASSWORD);
    expect(removeEmailAccount(core.ctx, id)).toBe(true);
    expect(core.ctx.secrets.get(ref)).toBeNull();
    expect(listEmailAccounts(core.ctx)).toEqual([]);
  });

  it('first sync: newest first, then backfill; threads; an empty incremental pass is fast', async () => {
    d.seedMaildir(login, mails(120));
    // The business's replies in Sent join their threads and are outbound.
    d.seedMaildir(
      login,
      [0, 1].map((t) =>
        makeRawEmail({
          from: 'Support <support@biz.example>',
          to: `c${t}@cust.example`,
          subject: `Re: Question ${t}`,
          body: 'we are on it',
          messageId: `<reply${t}@biz.example>`,
          inReplyTo: `<m${t * 4}@cust.example>`,
          references: [`<m${t * 4}@cust.example>`],
          date: new Date(Date.UTC(2026, 0, 2)),
        }),
      ),
      'Sent',
    );
    const id = await account();
    const progress: SyncProgress[] = [];
    const stored: number[] = [];
    core.events.subscribe((e) => {
      if (e.name === 'messages.changed') stored.push(count(core, 'SELECT count(*) FROM messages'));
    });
    const r = await syncAccountOnce(core.ctx, id, { batchSize: 25, firstBatchSize: 10, onProgress: (p) => progress.push(p) });
    expect(r.map((f) => [f.folder, f.fetched, f.stored])).toEqual([
      ['INBOX', 120, 120],
      ['Sent', 2, 2],
    ]);
    expect(count(core, 'SELECT count(*) FROM messages')).toBe(122);
    expect(count(core, 'SELECT count(*) FROM message_locations')).toBe(122);
    expect(count(core, 'SELECT count(*) FROM conversations')).toBe(30);
    // The first batch is the newest 10 messages.
    expect(stored[0]).toBe(10);
    const inbox = progress.filter((p) => p.folder === 'INBOX' && p.phase === 'backfill');
    expect(inbox[0]).toMatchObject({ done: 10, total: 120 });
    expect(inbox.at(-1)).toMatchObject({ done: 120, total: 120 });
    // Replies from Sent are outbound, in their thread, which now waits for the customer.
    const c0 = core.db.prepare("SELECT c.status, c.message_count FROM conversations c JOIN messages m ON m.conversation_id = c.id WHERE m.external_id = 'reply0@biz.example'").get();
    expect(c0).toEqual({ status: 'waiting', message_count: 5 });
    expect(count(core, "SELECT count(*) FROM identities WHERE address = 'support@biz.example' AND is_self = 1")).toBe(1);
    expect(count(core, 'SELECT count(*) FROM conversations c JOIN identities i ON i.customer_id = c.customer_id WHERE i.is_self = 1')).toBe(0);

    const t0 = Date.now();
    const again = await syncAccountOnce(core.ctx, id);
    const ms = Date.now() - t0;
    expect(again.map((f) => [f.fetched, f.stored, f.expunged, f.flagsUpdated])).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
    // The 200 ms target is measured by the benchmark; here only a generous bound, so a loaded CI box does not flake.
    for (const f of again) expect(f.ms).toBeLessThan(1500);
    expect(ms).toBeLessThan(5000);
  });

  it('applies flag changes and expunges (QRESYNC), then a UIDVALIDITY reset without duplicates', async () => {
    d.seedMaildir(login, mails(20));
    const id = await account();
    await syncAccountOnce(core.ctx, id);
    d.flagsAdd(login, 'INBOX', 3, ['\\Flagged', '\\Seen']);
    d.expunge(login, 'INBOX', 5);
    d.save(login, mails(1, { start: 20 })[0]!);
    const [inbox] = await syncAccountOnce(core.ctx, id);
    expect(inbox).toMatchObject({ usedQresync: true, fetched: 1, stored: 1, expunged: 1, flagsUpdated: 1 });
    const flags = core.db.prepare("SELECT flags FROM message_locations WHERE folder = 'INBOX' AND uid = 3").pluck().get() as string;
    expect(JSON.parse(flags)).toEqual(['\\Flagged', '\\Seen']);
    expect(count(core, "SELECT count(*) FROM messages WHERE external_id = 'm4@cust.example'")).toBe(0);
    expect(count(core, 'SELECT count(*) FROM messages')).toBe(20);

    const st = d.status(login);
    d.setUidValidity(login, 'INBOX', st.uidvalidity + 11);
    const [reset] = await syncAccountOnce(core.ctx, id);
    expect(reset).toMatchObject({ uidValidityReset: true, fetched: 20, stored: 0 });
    expect(count(core, 'SELECT count(*) FROM messages')).toBe(20);
    expect(count(core, "SELECT count(*) FROM message_locations WHERE folder = 'INBOX'")).toBe(20);
    expect(count(core, "SELECT count(DISTINCT uidvalidity) FROM message_locations WHERE folder = 'INBOX'")).toBe(1);
    expect(count(core, "SELECT uidvalidity FROM message_locations WHERE folder = 'INBOX' LIMIT 1")).toBe(st.uidvalidity + 11);
  });

  it('runs a pass through the contract and reports per-folder status', async () => {
    d.seedMaildir(login, mails(5));
    const id = await account();
    const events: number[] = [];
    core.events.subscribe((e) => {
      if (e.name === 'sync.status') events.push(e.payload.accountId);
    });
    expect(await core.call('sync.run', {})).toEqual({ started: [id] });
    expect((await core.call('email.sync.status', { accountId: id }))[0]!.running).toBe(true);
    await waitFor(() => count(core, 'SELECT count(*) FROM messages') === 5);
    let status = await core.call('email.sync.status', {});
    for (let i = 0; i < 200 && status[0]!.running; i++) {
      await new Promise((r) => setTimeout(r, 25));
      status = await core.call('email.sync.status', {});
    }
    expect(status).toEqual([
      {
        accountId: id,
        name: 'Support',
        running: false,
        lastError: null,
        folders: [
          expect.objectContaining({ folder: 'INBOX', status: 'idle', lastError: null, progress: expect.objectContaining({ done: 5, total: 5 }) }),
          expect.objectContaining({ folder: 'Sent', status: 'idle' }),
        ],
      },
    ]);
    expect(events).toContain(id);
    const [view] = accountsOf('email', await core.call('accounts.list', { channel: 'email' }));
    expect(view!.sync.map((f) => f.folder)).toEqual(['INBOX', 'Sent']);
  });

  it('cuts batches by size when messages are big', async () => {
    const big = (i: number) =>
      makeRawEmail({ from: 'c@cust.example', to: 'support@biz.example', subject: `scan ${i}`, body: `${'x'.repeat(76)}\r\n`.repeat(13_000), messageId: `<big${i}@cust.example>` });
    d.seedMaildir(
      login,
      Array.from({ length: 24 }, (_, i) => big(i)),
    );
    const id = await account();
    const done: number[] = [];
    await syncAccountOnce(core.ctx, id, { batchSize: 500, firstBatchSize: 4, onProgress: (p) => p.folder === 'INBOX' && p.phase === 'backfill' && done.push(p.done) });
    // ~1 MB each: after the first 4, batches of 16 (16 MB) rather than the 20 that are left.
    expect(done).toEqual([4, 20, 24]);
    expect(count(core, 'SELECT count(*) FROM messages')).toBe(24);
  });

  /** The worker pool, watched: the bulk fetches and checkpoints a sync asked of it and what they did. */
  function watchedParser() {
    const worker = createParser();
    expect(worker.mode).toBe('worker');
    const seen = { asked: 0, fetches: [] as number[], checkpoints: [] as { mode: string; busy: number; log: number; checkpointed: number }[] };
    const parser: Parser = {
      get mode() {
        return worker.mode;
      },
      parseMany: (raws, opts) => worker.parseMany(raws, opts),
      checkpoint: async (file, mode, nb) => {
        const r = await worker.checkpoint(file, mode, nb);
        if (r) seen.checkpoints.push({ mode, busy: r.busy, log: r.log, checkpointed: r.checkpointed });
        return r;
      },
      fetchSources: async (job, onItems) => {
        seen.asked++;
        const n = await worker.fetchSources!(job, onItems);
        seen.fetches.push(n);
        return n;
      },
      close: () => worker.close(),
    };
    return { parser, seen, close: () => worker.close() };
  }

  it('a bulk first sync fetches on the worker, stores in short transactions and has the worker fold the WAL into the database', async () => {
    d.seedMaildir(login, mails(1200));
    const id = await account();
    const { parser, seen, close } = watchedParser();
    const checkpoints = seen.checkpoints;
    let slices = 0;
    let events = 0;
    core.events.subscribe((e) => {
      if (e.name === 'messages.changed') events++;
    });
    try {
      const r = await syncAccountOnce(core.ctx, id, { batchSize: 500, firstBatchSize: 500, walCopyEvery: 400, parser, onTimings: (t) => (slices = t.storeSlices) });
      expect(r[0]).toMatchObject({ folder: 'INBOX', fetched: 1200, stored: 1200, errors: [] });
    } finally {
      await close();
    }
    // Every batch was fetched on the worker's own connection (200 messages or more each).
    expect(seen.fetches).toEqual([500, 500, 200]);
    expect(count(core, 'SELECT count(*) FROM messages')).toBe(1200);
    expect(count(core, "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'order'")).toBe(1200);
    expect(core.db.prepare("INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)").run().changes).toBeGreaterThanOrEqual(0);
    // Three batches, each stored in several transactions (slices of ~12 ms), not one each; the
    // window is told once per batch (the bulk write's end goes to linking on the core bus only).
    expect(slices).toBeGreaterThan(3);
    expect(events).toBeLessThanOrEqual(3);
    // The WAL was copied by the worker every 400 messages and at the end, then emptied there.
    const passive = checkpoints.filter((c) => c.mode === 'PASSIVE');
    expect(passive.length).toBeGreaterThanOrEqual(3);
    for (const c of passive) expect(c.checkpointed).toBe(c.log);
    expect(checkpoints.at(-1)).toMatchObject({ mode: 'TRUNCATE', busy: 0 });
    // (A few pages of the later writes — the Sent folder's pass, the final status — follow it.)
    expect(fs.statSync(`${core.ctx.dbPath}-wal`).size).toBeLessThan(256 * 1024);
    // Back to SQLite's usual automatic checkpoints once the bulk sync is over.
    expect(core.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('linking waits for a bulk first sync to end, then catches up once', async () => {
    await core.call('links.refresh', {}); // built at core start in the app, before any mail
    d.seedMaildir(login, mails(1500));
    const id = await account();
    const { engine } = core.ctx.linking;
    const busy: boolean[] = [];
    const bulk: string[] = [];
    core.ctx.bus.on('BulkWriteStarted', (e) => bulk.push(`started ${e.source}`));
    core.ctx.bus.on('BulkWriteEnded', (e) => bulk.push(`ended ${e.source}`));
    let bulkSeen = false;
    const t0 = Date.now();
    await syncAccountOnce(core.ctx, id, {
      batchSize: 250,
      firstBatchSize: 100,
      onProgress: () => {
        busy.push(engine.refreshing || engine.building);
        bulkSeen ||= core.ctx.linking.bulkWriting;
      },
    });
    const syncMs = Date.now() - t0;
    // The linking watcher would have run every half second during the sync; it did not. (A refresh
    // of the first batch, stored before the bulk write began, may still be ending at its start on
    // a loaded machine: after the first moment linking is idle, it never starts again.)
    expect(busy.length).toBeGreaterThan(5);
    const idleFrom = busy.indexOf(false);
    expect(idleFrom).toBeGreaterThanOrEqual(0);
    expect(busy.slice(idleFrom).every((b) => !b)).toBe(true);
    expect(engine.backlog(1)).toBe(1);
    // The bulk write was told on the core bus, linking saw it, and it is over.
    expect(bulk).toEqual([`started email account ${id}, INBOX`, `ended email account ${id}, INBOX`]);
    expect(bulkSeen).toBe(true);
    expect(core.ctx.linking.bulkWriting).toBe(false);
    // After it: one catch-up, in slices.
    await waitFor(() => !engine.refreshing && !engine.building && engine.backlog(1) === 0, 20_000);
    expect(await core.call('links.status', {})).toMatchObject({ built: true, building: false, error: null });
    console.log(`bulk sync of 1,500 in ${syncMs} ms, linking caught up after`);
  });

  it('keeps one message per Message-ID across folders, with a location in each', async () => {
    const raw = mails(3);
    d.seedMaildir(login, raw);
    d.seedMaildir(login, [raw[1]!], 'Archive');
    const id = await account({ folders: ['Archive', 'Nope'] });
    const r = await syncAccountOnce(core.ctx, id);
    expect(r.map((f) => f.folder)).toEqual(['INBOX', 'Sent', 'Archive']);
    expect(count(core, 'SELECT count(*) FROM messages')).toBe(3);
    expect(count(core, 'SELECT count(*) FROM message_locations')).toBe(4);
    const missing = core.db.prepare("SELECT last_error FROM sync_state WHERE scope = 'imap:Nope'").pluck().get();
    expect(missing).toMatch(/does not exist/);
  });

  /**
   * Seed n messages, kill the server's sessions once `killAt` are stored (the pass fails), check
   * that the stored rows and the cursor agree, then kill again during a pass that retries and
   * finishes with every message stored once.
   */
  async function killedMidSync(o: { n: number; batch: number; killAt: number; parser?: Parser }) {
    d.seedMaildir(login, mails(o.n));
    const id = await account();
    let killed = 0;
    const kill = (p: SyncProgress) => {
      if (!killed && p.done >= o.killAt) killed = d.killSessions();
    };
    await expect(syncAccountOnce(core.ctx, id, { batchSize: o.batch, firstBatchSize: o.batch, retries: 0, onProgress: kill, parser: o.parser })).rejects.toThrow(/closed|connection|network/i);
    expect(killed).toBeGreaterThan(0);
    const partial = count(core, 'SELECT count(*) FROM messages');
    expect(partial).toBeGreaterThanOrEqual(o.killAt);
    expect(partial).toBeLessThan(o.n);
    // Stored messages and the cursor agree: every location is at or above the cursor's low mark.
    const cur = JSON.parse(core.db.prepare("SELECT cursor FROM sync_state WHERE scope = 'imap:INBOX'").pluck().get() as string);
    expect(count(core, 'SELECT min(uid) FROM message_locations')).toBe(cur.low);
    expect(count(core, 'SELECT count(*) FROM message_locations')).toBe(cur.top - cur.low + 1);

    // A second kill, this time retried inside the pass.
    killed = 0;
    const retries: string[] = [];
    const kill2 = (p: SyncProgress) => {
      if (!killed && p.done >= o.batch) killed = d.killSessions();
    };
    const r = await syncAccountOnce(core.ctx, id, { batchSize: o.batch, retries: 3, backoffMs: 50, onProgress: kill2, onRetry: (_n, _ms, e) => retries.push(e), parser: o.parser });
    expect(retries.length).toBe(1);
    expect(r[0]!.folder).toBe('INBOX');
    expect(count(core, 'SELECT count(*) FROM messages')).toBe(o.n);
    expect(count(core, 'SELECT count(*) FROM message_locations')).toBe(o.n);
    expect(count(core, 'SELECT count(DISTINCT uid) FROM message_locations')).toBe(o.n);
  }

  it('resumes after the connection is killed mid-fetch, with exact counts', async () => {
    await killedMidSync({ n: 300, batch: 30, killAt: 60 });
  });

  it("resumes after the fetch worker's connection is killed mid-fetch of a big batch, with exact counts", async () => {
    const { parser, seen, close } = watchedParser();
    try {
      await killedMidSync({ n: 1000, batch: 250, killAt: 250, parser });
    } finally {
      await close();
    }
    expect(seen.fetches.length).toBeGreaterThan(2);
  });

  it('fetches big batches on its own connection when the server allows only one per user', async () => {
    const one = await Dovecot.start({ users: { solo: PASSWORD }, maxConnectionsPerUser: 1 });
    const { parser, seen, close } = watchedParser();
    try {
      one.seedMaildir('solo', mails(600));
      const r = await addEmailAccount(core.ctx, { name: 'Solo', address: 'support@biz.example', imap: { host: one.host, port: one.port, tls: 'off' }, user: 'solo', secret: PASSWORD });
      const res = await syncAccountOnce(core.ctx, r.account.id, { batchSize: 250, firstBatchSize: 250, parser });
      expect(res[0]).toMatchObject({ folder: 'INBOX', fetched: 600, stored: 600, errors: [] });
      // The worker was refused a second connection once and never asked again.
      expect(seen.asked).toBe(1);
      expect(seen.fetches).toEqual([]);
      expect(count(core, 'SELECT count(*) FROM messages')).toBe(600);
    } finally {
      await close();
      await one.stop();
    }
  });

  it('IDLE: new mail, flag changes and expunges arrive while watching; reconnects after a drop', async () => {
    d.seedMaildir(login, mails(8));
    const id = await account();
    const errors: unknown[] = [];
    const w = new EmailWatcher(core.ctx, id, { backoffMs: 50, onError: (e) => errors.push(e) });
    w.start();
    try {
      await waitFor(() => w.connected);
      await waitFor(() => count(core, 'SELECT count(*) FROM messages') === 8);
      await d.saveAsync(login, mails(1, { start: 8 })[0]!);
      await waitFor(() => count(core, 'SELECT count(*) FROM messages') === 9);

      // Changes made by another client reach the watcher through IDLE.
      const other = new ImapFlow({ host: d.host, port: d.port, secure: false, auth: { user: login, pass: PASSWORD }, logger: false });
      await other.connect();
      await other.mailboxOpen('INBOX');
      await other.messageFlagsAdd({ uid: '2' }, ['\\Flagged'], { uid: true });
      await waitFor(() => (core.db.prepare('SELECT flags FROM message_locations WHERE uid = 2').pluck().get() as string).includes('Flagged'));
      // "Mark all as read": a burst of flag lines, stored together.
      expect(count(core, "SELECT count(*) FROM message_locations WHERE flags LIKE '%Seen%'")).toBe(0);
      await other.messageFlagsAdd({ uid: '1:*' }, ['\\Seen'], { uid: true });
      await waitFor(() => count(core, "SELECT count(*) FROM message_locations WHERE flags LIKE '%Seen%'") === 9);
      await other.messageDelete({ uid: '1' }, { uid: true });
      await waitFor(() => count(core, 'SELECT count(*) FROM messages') === 8);
      await other.logout();

      // The server drops us: the watcher reconnects and keeps receiving.
      d.killSessions();
      await waitFor(() => !w.connected || errors.length > 0);
      await waitFor(() => w.connected);
      await d.saveAsync(login, mails(1, { start: 9 })[0]!);
      await waitFor(() => count(core, 'SELECT count(*) FROM messages') === 9);
    } finally {
      await w.stop();
    }
  });
});

describe.skipIf(!available)('email background work for the app', () => {
  it('watches every enabled account, picking up accounts added later and dropping removed ones', async () => {
    const d = await Dovecot.start({ users: { a: PASSWORD, b: PASSWORD } });
    const t = tempDir('canary-bg-');
    const core = createCore({ dataDir: t.dir });
    let stop: (() => Promise<void>) | null = null;
    try {
      d.seedMaildir('a', mails(3));
      d.seedMaildir('b', mails(2, { start: 100 }));
      const add = async (user: string) =>
        (await addEmailAccount(core.ctx, { name: user, address: `${user}@biz.example`, imap: { host: d.host, port: d.port, tls: 'off' }, user, secret: PASSWORD })).account.id;
      const a = await add('a');
      stop = startEmailBackground(core.ctx);
      await waitFor(() => count(core, 'SELECT count(*) FROM messages') === 3);
      const b = await add('b');
      await waitFor(() => count(core, 'SELECT count(*) FROM messages') === 5);
      await waitFor(() => emailSyncStatus(core.ctx).every((s) => s.folders.length === 2 && s.folders.every((f) => f.status === 'idle')));
      expect(emailSyncStatus(core.ctx).map((s) => [s.accountId, s.folders.map((f) => f.folder)])).toEqual([
        [a, ['INBOX', 'Sent']],
        [b, ['INBOX', 'Sent']],
      ]);
      removeEmailAccount(core.ctx, a);
      await d.saveAsync('b', mails(1, { start: 200 })[0]!);
      await waitFor(() => count(core, 'SELECT count(*) FROM messages') === 6);
    } finally {
      await stop?.();
      core.dispose();
      t.cleanup();
      await d.stop();
    }
  });
});

/** A fresh core with `user`'s mailbox (seeded with n messages) added as an account and synced once. */
async function syncedMailbox(d: Dovecot, user: string, n: number): Promise<{ core: Core; account: { id: number }; done: () => void }> {
  const t = tempDir('canary-sync-');
  const core = createCore({ dataDir: t.dir });
  d.seedMaildir(user, mails(n));
  const { account } = await addEmailAccount(core.ctx, { name: 'A', address: 'support@biz.example', imap: { host: d.host, port: d.port, tls: 'off' }, user, secret: PASSWORD });
  await syncAccountOnce(core.ctx, account.id);
  return {
    core,
    account,
    done: () => {
      core.dispose();
      t.cleanup();
    },
  };
}

describe.skipIf(!available)('IMAP sync without CONDSTORE/QRESYNC', () => {
  let d: Dovecot;
  beforeAll(async () => {
    d = await Dovecot.start({ users: { alice: PASSWORD, bob: PASSWORD }, noCondstore: true });
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('falls back to full flag fetch and UID SEARCH for expunges', async () => {
    const { core, account, done } = await syncedMailbox(d, 'alice', 10);
    try {
      d.flagsAdd('alice', 'INBOX', 2, ['\\Answered']);
      d.expunge('alice', 'INBOX', 7);
      const [inbox] = await syncAccountOnce(core.ctx, account.id);
      expect(inbox).toMatchObject({ usedQresync: false, flagsUpdated: 1, flagsRead: 9, expunged: 1, fetched: 0 }); // every flag the server has
      expect(count(core, 'SELECT count(*) FROM messages')).toBe(9);
    } finally {
      done();
    }
  });

  it('on one connection, reads the newest flags every pass and the whole folder only now and then, a range at a time', async () => {
    const t = tempDir('canary-sync-');
    let clock = Date.UTC(2026, 10, 23, 12);
    const core = createCore({ dataDir: t.dir, now: () => clock });
    try {
      d.seedMaildir('bob', mails(12, { prefix: 'sweep' }));
      const { account: added } = await addEmailAccount(core.ctx, { name: 'A', address: 'support@biz.example', imap: { host: d.host, port: d.port, tls: 'off' }, user: 'bob', secret: PASSWORD });
      const { account, secret } = accountCredentials(core.ctx, added.id);
      const client = await connectImap(account.config, secret);
      const fetches: string[] = [];
      const fetch = client.fetch.bind(client);
      client.fetch = (range: string, ...rest: Parameters<ImapFlow['fetch']> extends [unknown, ...infer R] ? R : never) => {
        if ((rest[0] as { flags?: boolean }).flags && !(rest[0] as { source?: boolean }).source) fetches.push(range);
        return fetch(range, ...rest);
      };
      const s = new AccountSync(core.ctx, account, client, { folders: ['INBOX'], flagsRecent: 3, flagsSweepMs: 600_000, flagsRange: 5 }, inProcessParser, secret);
      const flagged = () => core.db.prepare("SELECT uid FROM message_locations WHERE folder = 'INBOX' AND flags LIKE '%Flagged%' ORDER BY uid").pluck().all();
      try {
        expect((await s.syncFolder('INBOX')).fetched).toBe(12);
        // The first pass of a connection reads every flag, in ranges from the newest down.
        await s.syncFolder('INBOX');
        expect(fetches.splice(0)).toEqual(['8:12', '3:7', '1:2']);
        d.flagsAdd('bob', 'INBOX', 11, ['\\Flagged']);
        d.flagsAdd('bob', 'INBOX', 2, ['\\Flagged']);
        // Next pass: the three newest only; the old message's change waits for the sweep.
        clock += 60_000;
        expect((await s.syncFolder('INBOX')).flagsUpdated).toBe(1);
        expect(fetches.splice(0)).toEqual(['10:12']);
        expect(flagged()).toEqual([11]);
        clock += 600_000;
        expect((await s.syncFolder('INBOX')).flagsUpdated).toBe(1);
        expect(fetches.splice(0)).toEqual(['8:12', '3:7', '1:2']);
        expect(flagged()).toEqual([2, 11]);
      } finally {
        await client.logout();
      }
    } finally {
      core.dispose();
      t.cleanup();
    }
  });
});

describe.skipIf(!available)('IMAP sync with CONDSTORE but no QRESYNC', () => {
  let d: Dovecot;
  beforeAll(async () => {
    d = await Dovecot.start({ users: { alice: PASSWORD }, noQresync: true });
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('asks which messages changed (SEARCH MODSEQ) and reads their flags a range at a time', async () => {
    const { core, account, done } = await syncedMailbox(d, 'alice', 10);
    try {
      // Nothing changed: no flag is read.
      expect((await syncAccountOnce(core.ctx, account.id, { flagsRange: 4 }))[0]).toMatchObject({ usedQresync: false, flagsUpdated: 0, flagsRead: 0 });
      // "Mark all as read" in another client, and one more flag.
      d.flagsAdd('alice', 'INBOX', '1:10', ['\\Seen']);
      d.flagsAdd('alice', 'INBOX', 6, ['\\Answered']);
      const [inbox] = await syncAccountOnce(core.ctx, account.id, { flagsRange: 4 });
      expect(inbox).toMatchObject({ usedQresync: false, flagsUpdated: 10, flagsRead: 10, fetched: 0 });
      const flags = core.db.prepare("SELECT uid, flags FROM message_locations WHERE folder = 'INBOX' ORDER BY uid").all() as { uid: number; flags: string }[];
      expect(flags.map((f) => JSON.parse(f.flags))).toEqual(flags.map((f) => (f.uid === 6 ? ['\\Answered', '\\Seen'] : ['\\Seen'])));
      // The modseq moved on: the next pass reads nothing again.
      expect((await syncAccountOnce(core.ctx, account.id))[0]).toMatchObject({ flagsUpdated: 0, flagsRead: 0 });
    } finally {
      done();
    }
  });
});
