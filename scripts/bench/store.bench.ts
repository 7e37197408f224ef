// Foundation: FTS search over 100,000 messages (p95 < 20 ms) and cold core start on that database
// (< 300 ms). Baselines in the same run: a bare FTS5 MATCH with LIMIT (no parsing, joins or snippets),
// and a bare better-sqlite3 open + one query in a fresh process.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../../electron/core/createCore';
import { ensureEmailIdentity } from '../../electron/core/db/repos/customers';
import { ensureConversation, refreshConversation } from '../../electron/core/db/repos/conversations';
import { insertMessage } from '../../electron/core/db/repos/messages';
import { searchMessages } from '../../electron/core/db/repos/search';
import { toFtsExpression, parseQuery } from '../../shared/search/parse';
import { percentile, type Bench, type BenchFigure } from './types';
import { rng } from '../../electron/core/rng';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const COMMON = 'the and to a of my i you is it for on your order was not have with this me we that be please thanks hello can'.split(' ');
const SUPPORT =
  'refund delivery package arrived damaged invoice payment card charged twice account password login subscription cancel shipping tracking address return replacement warranty broken missing late discount coupon size exchange receipt'.split(
    ' ',
  );
const FIRST = 'Jane John Maria Tom Li Anna Peter Sara Ahmed Olga Lukas Emma Noah Mia Ben Chloe Omar Yuki Priya Carlos'.split(' ');
const LAST = 'Doe Smith Kowalski Becker Wei Novak Müller Rossi Garcia Khan Silva Tanaka Brown Dubois Jensen Popescu'.split(' ');

function sentence(r: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    const x = r();
    if (x < 0.55) out.push(COMMON[Math.floor(r() * COMMON.length)]!);
    else if (x < 0.9) out.push(SUPPORT[Math.floor(r() * SUPPORT.length)]!);
    else out.push(`w${Math.floor(r() * r() * 50_000)}`); // a long tail of rarer words
  }
  return out.join(' ');
}

export function seed(dbDir: string, n: number, log: (s: string) => void): void {
  const core = createCore({ dataDir: dbDir });
  const r = rng(42);
  const db = core.db;
  const t0 = performance.now();
  const customers = Math.max(10, Math.floor(n / 10));
  const perBatch = 2000;
  for (let start = 0; start < n; start += perBatch) {
    db.transaction(() => {
      const touched = new Set<number>();
      for (let i = start; i < Math.min(n, start + perBatch); i++) {
        const c = Math.floor(r() * customers);
        const first = FIRST[c % FIRST.length]!;
        const last = LAST[Math.floor(c / FIRST.length) % LAST.length]!;
        const who = ensureEmailIdentity(db, { address: `${first}.${last}.${c}@example.com`.toLowerCase(), name: `${first} ${last}` });
        const thread = Math.floor(i / 3);
        const subject = `${SUPPORT[thread % SUPPORT.length]} order HP-${100000 + thread}`;
        const conv = ensureConversation(db, { channel: 'email', kind: 'email', externalId: `t${thread}@bench`, customerId: who.customerId, subject });
        insertMessage(db, {
          conversationId: conv,
          channel: 'email',
          kind: 'email',
          externalId: `m${i}@bench`,
          direction: r() < 0.7 ? 'in' : 'out',
          sentAt: 1_700_000_000_000 + i * 60_000,
          subject,
          text: sentence(r, 40 + Math.floor(r() * 120)),
          authorIdentityId: who.id,
          authorName: `${first} ${last}`,
          authorAddress: `${first}.${last}.${c}@example.com`.toLowerCase(),
        });
        touched.add(conv);
      }
      for (const id of touched) refreshConversation(db, id);
    })();
    if ((start / perBatch) % 10 === 0) log(`seeding ${start + perBatch}/${n}`);
  }
  log(`seeded ${n} messages in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  core.dispose();
}

/**
 * The core bundled as the app ships it: electron-vite's main build from electron.vite.config.ts (rolldown,
 * dependencies left in node_modules except zod, which is bundled and tree-shaken), with createCore.ts as
 * the entry. In the app the same code is out/main/chunks/createCore-*.js and the zod it shares with
 * out/main/index.js, which imports electron and so cannot be loaded by a plain Node process.
 * (Until 2026-12-06 this was an esbuild bundle, which kept all of zod, its locales included: 1.63 MB
 * against rolldown's 1.12 MB, and ~13 ms more to start than what ships.)
 */
async function bundleCore(): Promise<string> {
  const { resolveConfig } = await import('electron-vite');
  const { build } = await import('vite');
  // Inside the checkout, so the bundle resolves better-sqlite3 from node_modules as the app does.
  const outDir = path.join(root, 'node_modules', '.cache', 'canary-bench', 'core');
  const nodeEnv = process.env.NODE_ENV;
  const { config } = await resolveConfig({ configFile: path.join(root, 'electron.vite.config.ts'), root, logLevel: 'silent', build: { outDir } }, 'build', 'production');
  // resolveConfig sets NODE_ENV for the build; the benches after this one run as before.
  if (nodeEnv === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = nodeEnv;
  const main = config?.main;
  if (!main?.build) throw new Error('electron.vite.config.ts has no main build');
  main.build.rolldownOptions = { ...main.build.rolldownOptions, input: { core: path.join(root, 'electron/core/createCore.ts') } };
  main.build.outDir = outDir;
  main.logLevel = 'silent';
  await build(main);
  const file = path.join(outDir, 'core.js');
  if (!fs.existsSync(file)) throw new Error(`the core's bundle is not at ${file}`);
  return file;
}

function coldStart(dbDir: string, mode: 'bare' | 'bundled' | 'tsx', bundle: string): number {
  // A fresh process each time: module loading, opening, migrations check and the first queue page.
  const core = mode === 'bundled' ? bundle : path.join(root, 'electron/core/createCore.ts');
  const script =
    mode === 'bare'
      ? `const t0 = performance.now(); const { default: Database } = await import('better-sqlite3');
       const db = new Database(${JSON.stringify(path.join(dbDir, 'canary.db'))}); db.pragma('journal_mode = WAL');
       db.prepare('SELECT id FROM conversations ORDER BY last_message_at DESC LIMIT 50').all();
       console.log(performance.now() - t0); db.close();`
      : `const t0 = performance.now(); const { createCore } = await import(${JSON.stringify(core)});
       const core = createCore({ dataDir: ${JSON.stringify(dbDir)} });
       await core.call('conversations.list', {}); await core.call('conversations.counts', {});
       console.log(performance.now() - t0); core.dispose();`;
  const args = mode === 'tsx' ? ['--import', 'tsx', '--input-type=module', '-e', script] : ['--input-type=module', '-e', script];
  const out = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  return Number(out.trim().split('\n').pop());
}

const bench: Bench = {
  name: 'store',
  async run({ quick, log }) {
    const n = quick ? 10_000 : 100_000;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-bench-store-'));
    try {
      seed(dir, n, log);
      const core = createCore({ dataDir: dir });
      const db = core.db;
      const queries = [
        'refund',
        'the order',
        'damaged package',
        'HP-100042',
        'Kowalski',
        'w123',
        'w4',
        'deliv',
        'pa',
        'charged twice',
        'from:jane refund',
        'channel:email invoice',
        'is:open tracking',
        'after:2023-11-20 before:2024-01-01 payment',
        'my',
        'please thanks',
        'subscription cancel',
        'Müller',
        '"arrived damaged"',
        'w49999',
      ];
      for (const q of queries) searchMessages(db, q); // warm the page cache
      const ours: number[] = [];
      const bare: number[] = [];
      const bareStmt = db.prepare('SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid DESC LIMIT 50');
      const rounds = quick ? 5 : 20;
      const perQuery = new Map<string, number[]>();
      for (let round = 0; round < rounds; round++) {
        for (const q of queries) {
          let t = performance.now();
          searchMessages(db, q, 50);
          const ms = performance.now() - t;
          ours.push(ms);
          perQuery.set(q, [...(perQuery.get(q) ?? []), ms]);
          const match = toFtsExpression(parseQuery(q).terms);
          if (match) {
            t = performance.now();
            bareStmt.all(match);
            bare.push(performance.now() - t);
          }
        }
      }
      const slowest = [...perQuery]
        .map(([q, v]) => [q, percentile(v, 50)] as const)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5);
      log(`slowest queries (median ms): ${slowest.map(([q, v]) => `${q} ${v.toFixed(1)}`).join(', ')}`);
      core.dispose();
      const bundle = await bundleCore();
      const starts: number[] = [];
      const tsxStarts: number[] = [];
      const bareStarts: number[] = [];
      for (let i = 0; i < 5; i++) {
        starts.push(coldStart(dir, 'bundled', bundle));
        tsxStarts.push(coldStart(dir, 'tsx', bundle));
        bareStarts.push(coldStart(dir, 'bare', bundle));
      }
      const p95 = percentile(ours, 95);
      const start = percentile(starts, 50);
      const figures: BenchFigure[] = [
        {
          metric: `search p95 over ${n.toLocaleString('en-US')} messages (${queries.length} queries × ${rounds}, with snippets)`,
          value: p95,
          unit: 'ms',
          target: '< 20 ms',
          ok: p95 < 20,
          baseline: { metric: 'bare FTS5 MATCH … LIMIT 50 p95', value: percentile(bare, 95), unit: 'ms' },
        },
        { metric: 'search p50', value: percentile(ours, 50), unit: 'ms', baseline: { metric: 'bare FTS5 p50', value: percentile(bare, 50), unit: 'ms' } },
        {
          metric: 'cold core start, bundled as shipped (fresh process: load, open, migrations check, first queue page and counts), median of 5',
          value: start,
          unit: 'ms',
          target: '< 300 ms',
          ok: start < 300,
          baseline: { metric: 'bare better-sqlite3 open + one query, fresh process', value: percentile(bareStarts, 50), unit: 'ms' },
        },
        { metric: 'cold core start from TypeScript sources through tsx (npm run serve / CLI in a checkout), median of 5', value: percentile(tsxStarts, 50), unit: 'ms' },
      ];
      return figures;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
