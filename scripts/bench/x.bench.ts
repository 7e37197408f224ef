// X import and sync: 10,000 posts (100 mentions pages with authors expanded) and 2,000 DM events
// (20 pages) into SQLite with FTS, through the same normalizer the live sync uses.
//   1. `canary import` of the pages from disk (JSON parse, validation, identities, conversations,
//      messages, FTS), items/s; target ≥ 5,000/s.
//   2. The live sync of the same data from the local X API v2 server through twitter-api-v2.
// Baseline (same process, same rows): bare INSERTs of the posts and DM events into `messages`
// (FTS triggers on), one transaction per page, no parsing, validation or identities.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../electron/core/createCore';
import { importPath } from '../../electron/core/import';
import { createXAccount } from '../../electron/core/x/account';
import { syncXAccount } from '../../electron/core/x/sync';
import { makeSnowflake } from '../../electron/core/x/text';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { XDmEvent, XTweet, XUser } from '../../electron/core/x/types';
import type { Bench, BenchFigure } from './types';
import { rng } from '../../electron/core/rng';

const WORDS =
  'order refund shipping delivery still waiting package broken damaged support nobody answers email twice week terrible service love thanks jacket tent stove boots app crash login password account charged card help please why'.split(
    ' ',
  );

interface Data {
  me: XUser;
  users: XUser[];
  tweets: XTweet[];
  dms: XDmEvent[];
}

export function generate(nTweets: number, nDms: number): Data {
  const r = rng(7);
  const me: XUser = { id: '1000000001', name: 'Harbor Shop', username: 'harborshop' };
  const users: XUser[] = Array.from({ length: Math.max(10, Math.floor(nTweets / 8)) }, (_, i) => ({
    id: String(2_000_000_000 + i),
    name: `Customer ${i}`,
    username: `cust_${i}`,
    description: `hiker, runner #${i % 50}`,
    location: ['Oslo', 'Leeds', 'Austin', 'Lyon'][i % 4]!,
  }));
  const t0 = Date.UTC(2026, 8, 1);
  const text = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]!).join(' ');
  const tweets: XTweet[] = [];
  for (let i = 0; i < nTweets; i++) {
    const u = users[Math.floor(r() * users.length)]!;
    const id = makeSnowflake(t0 + i * 30_000, i % 4096);
    const reply = i > 10 && r() < 0.3 ? tweets[Math.floor(r() * tweets.length)]! : null;
    tweets.push({
      id,
      text: `@harborshop ${text(8 + Math.floor(r() * 20))}`,
      author_id: u.id,
      created_at: new Date(t0 + i * 30_000).toISOString(),
      conversation_id: reply ? reply.conversation_id! : id,
      in_reply_to_user_id: me.id,
      edit_history_tweet_ids: [id],
      lang: 'en',
      entities: { mentions: [{ start: 0, end: 11, username: 'harborshop', id: me.id }] },
      ...(reply ? { referenced_tweets: [{ type: 'replied_to', id: reply.id }] } : {}),
    });
  }
  const dms: XDmEvent[] = [];
  for (let i = 0; i < nDms; i++) {
    const u = users[i % Math.min(users.length, 400)]!;
    const out = r() < 0.4;
    dms.push({
      id: makeSnowflake(t0 + i * 60_000 + 7, 5000 + (i % 4096)),
      event_type: 'MessageCreate',
      text: text(6 + Math.floor(r() * 30)),
      sender_id: out ? me.id : u.id,
      dm_conversation_id: `${me.id}-${u.id}`,
      created_at: new Date(t0 + i * 60_000 + 7).toISOString(),
    });
  }
  return { me, users, tweets, dms };
}

/** Pages in the layout of ../shared/linkset-dev/x/ (newest first, 100 per page). */
export function writePages(dir: string, d: Data): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'me.json'), JSON.stringify({ data: d.me }));
  const byId = new Map(d.users.map((u) => [u.id, u]));
  const tweets = [...d.tweets].reverse();
  for (let p = 0; p * 100 < tweets.length; p++) {
    const page = tweets.slice(p * 100, p * 100 + 100);
    const users = [...new Set(page.map((t) => t.author_id!))].map((id) => byId.get(id)!);
    const body = {
      data: page,
      includes: { users },
      meta: { result_count: page.length, newest_id: page[0]!.id, oldest_id: page[page.length - 1]!.id, ...(p * 100 + 100 < tweets.length ? { next_token: `p${p + 1}` } : {}) },
    };
    fs.writeFileSync(path.join(dir, `mentions-${String(p + 1).padStart(3, '0')}.json`), JSON.stringify(body));
  }
  const dms = [...d.dms].reverse();
  for (let p = 0; p * 100 < dms.length; p++) {
    const page = dms.slice(p * 100, p * 100 + 100);
    const users = [...new Set(page.map((e) => e.sender_id!))].map((id) => byId.get(id) ?? d.me);
    fs.writeFileSync(path.join(dir, `dm_events-${String(p + 1).padStart(3, '0')}.json`), JSON.stringify({ data: page, includes: { users }, meta: { result_count: page.length } }));
  }
}

function baseline(dir: string, d: Data): number {
  const core = createCore({ dataDir: dir });
  const db = core.db;
  const t = performance.now();
  const conv = Number(db.prepare("INSERT INTO conversations (channel, kind, external_id, created_at, updated_at) VALUES ('x', 'tweet', 'bench', 0, 0)").run().lastInsertRowid);
  const ins = db.prepare(
    `INSERT INTO messages (conversation_id, channel, kind, external_id, direction, sent_at, body_text, raw, created_at)
     VALUES (?, 'x', ?, ?, 'in', ?, ?, ?, 0)`,
  );
  const all: [string, string, number, string, string][] = [
    ...d.tweets.map((x) => ['tweet', x.id, Date.parse(x.created_at!), x.text!, JSON.stringify(x)] as [string, string, number, string, string]),
    ...d.dms.map((x) => ['dm', x.id, Date.parse(x.created_at!), x.text!, JSON.stringify(x)] as [string, string, number, string, string]),
  ];
  for (let i = 0; i < all.length; i += 100) {
    db.transaction(() => {
      for (const row of all.slice(i, i + 100)) ins.run(conv, row[0], row[1], row[2], row[3], Buffer.from(row[4]));
    })();
  }
  const ms = performance.now() - t;
  core.dispose();
  return ms;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The local X API v2 server in a child process (serve.ts); resolves with its URL and a close(). */
async function spawnServer(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'electron/core/x/testing/serve.ts'), '--dir', dir, '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`X test server exited (${code}) before listening: ${out}`)));
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const bench: Bench = {
  name: 'x',
  async run({ quick, log }) {
    const nTweets = quick ? 1000 : 10_000;
    const nDms = quick ? 200 : 2_000;
    const items = nTweets + nDms;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-xbench-'));
    try {
      const data = generate(nTweets, nDms);
      const pages = path.join(tmp, 'pages', 'x');
      writePages(pages, data);
      log(`generated ${nTweets} posts from ${data.users.length} authors and ${nDms} DM events in ${fs.readdirSync(pages).length} files`);

      // Interleaved runs (baseline, import, baseline, import): the machine is shared, take the best of each.
      const runs = quick ? 1 : 2;
      let baseMs = Infinity;
      let importMs = Infinity;
      let importCpuMs = Infinity;
      for (let k = 0; k < runs; k++) {
        const b = baseline(path.join(tmp, `base${k}`), data);
        baseMs = Math.min(baseMs, b);
        log(`baseline bare INSERT with FTS: ${Math.round((items / b) * 1000)} items/s`);
        const core = createCore({ dataDir: path.join(tmp, `import${k}`) });
        const t = performance.now();
        const c0 = process.cpuUsage();
        const r = await importPath(core.ctx, path.dirname(pages));
        const ms = performance.now() - t;
        const cu = process.cpuUsage(c0);
        if (r.problems.length) throw new Error(`import problems: ${JSON.stringify(r.problems.slice(0, 3))}`);
        if (r.imported !== items) throw new Error(`imported ${r.imported}, expected ${items}`);
        const fts = (core.db.prepare("SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'refund'").get() as { n: number }).n;
        core.dispose();
        importMs = Math.min(importMs, ms);
        importCpuMs = Math.min(importCpuMs, (cu.user + cu.system) / 1000);
        log(`import: ${items} items in ${Math.round(ms)} ms = ${Math.round((items / ms) * 1000)} items/s; CPU ${Math.round((cu.user + cu.system) / 1000)} ms (FTS 'refund': ${fts} hits)`);
      }
      const baseRate = (items / baseMs) * 1000;
      const importRate = (items / importMs) * 1000;

      // Live sync of the same data from the local X API v2 server, run in its own process as the
      // real API would be (serving the pages written above).
      const server = await spawnServer(pages);
      let syncRate = 0;
      let syncMs = 0;
      let syncCpuMs = 0;
      try {
        const sc = createCore({ dataDir: path.join(tmp, 'sync') });
        const acc = createXAccount(sc.ctx, { name: 'bench', credentials: { kind: 'oauth2', accessToken: 'test-token' }, config: { apiBase: server.url, pageSize: 100, maxPages: 1000 } });
        const ts = performance.now();
        const c0 = process.cpuUsage();
        const rep = await syncXAccount(sc.ctx, acc.id);
        syncMs = performance.now() - ts;
        const cu = process.cpuUsage(c0);
        syncCpuMs = (cu.user + cu.system) / 1000;
        if (!rep.ok || rep.inserted !== items) throw new Error(`sync stored ${rep.inserted} of ${items}: ${JSON.stringify(rep.scopes)}`);
        sc.dispose();
        syncRate = (items / syncMs) * 1000;
        log(
          `sync through twitter-api-v2 from the local server (own process): ${items} items in ${Math.round(syncMs)} ms = ${Math.round(syncRate)} items/s; CPU here ${Math.round(syncCpuMs)} ms (${rep.requests} requests)`,
        );
      } finally {
        await server.close();
      }
      const baselineFig = { metric: 'bare INSERT into messages with FTS, 100 per transaction', value: Math.round(baseRate), unit: 'items/s' };
      const figures: BenchFigure[] = [
        {
          metric: `import CPU time per second of CPU (machine load removed): ${nTweets} posts + ${nDms} DM events`,
          value: Math.round((items / importCpuMs) * 1000),
          unit: 'items/CPU-s',
        },
        {
          metric: `import ${nTweets} posts + ${nDms} DM events (X API v2 pages) into SQLite with FTS`,
          value: Math.round(importRate),
          unit: 'items/s',
          target: '≥ 5,000 items/s',
          ok: importRate >= 5000,
          baseline: baselineFig,
        },
        {
          metric: `sync ${nTweets} posts + ${nDms} DM events via twitter-api-v2 from the local X API v2 server (own process)`,
          value: Math.round(syncRate),
          unit: 'items/s',
          target: '≥ 5,000 items/s',
          ok: syncRate >= 5000,
          baseline: baselineFig,
        },
      ];
      return figures;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  },
};

export default bench;
