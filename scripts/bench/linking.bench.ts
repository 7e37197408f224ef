// Linking at scale: a generated mailbox of 100,000 email customers (2 mails each) and 5,000 X
// accounts. Figures: re-linking everything (profiles, blocking index, scoring, decisions), and
// linking one new post against the whole mailbox (incremental refresh: read the new row, look up
// the blocking index, score the candidates, store the decision).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openDatabase } from '../../electron/core/db/open';
import { LinkEngine } from '../../electron/core/linking/engine';
import { LinkControl } from '../../electron/core/linking/control';
import { median, percentile, type Bench, type BenchFigure } from './types';
import { rng } from '../../electron/core/rng';

const FIRSTS = `james mary robert patricia john jennifer michael linda david elizabeth william barbara richard susan joseph jessica thomas sarah
charles karen christopher lisa daniel nancy matthew betty anthony margaret mark sandra donald ashley steven kimberly paul emily andrew donna
joshua michelle kenneth carol kevin amanda brian melissa george deborah timothy stephanie ronald rebecca jason sharon edward laura jeffrey
cynthia ryan kathleen jacob amy gary angela nicholas shirley eric anna jonathan brenda stephen pamela larry emma justin nicole scott helen
aisha wei yuki mateo sofia siobhan francois zoe angel muirne fatima omar priya raj chen mei hiroshi ingrid lars olga`.split(/\s+/);
const LASTS = `smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson anderson thomas taylor moore
jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill
flores green adams nelson baker hall rivera campbell mitchell carter roberts kowalski nowak odegaard haddad cohen rossi fischer weber novak
murphy kelly obrien macleod patel kim chen tanaka silva costa dubois lefebvre jansen bakker larsen berg holm virtanen horvat popescu`.split(/\s+/);
const PRODUCTS = ['kayak', 'headlamp', 'daypack', 'two-person tent', 'rain jacket', 'sleeping bag', 'camp stove', 'trekking poles', 'hiking boots'];
const DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'proton.me', 'icloud.com', 'gmx.de', 'fastmail.com', 'hotmail.co.uk'];
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

interface Gen {
  db: ReturnType<typeof openDatabase>;
  customers: { name: string; address: string; ref: string; product: string; at: number }[];
}

export function generate(file: string, nCustomers: number, nX: number): Gen {
  const db = openDatabase(file);
  // The bench measures linking: the search index triggers are dropped so setup takes seconds.
  db.exec('DROP TRIGGER IF EXISTS messages_fts_ai; DROP TRIGGER IF EXISTS messages_fts_ad; DROP TRIGGER IF EXISTS messages_fts_au;');
  const r = rng(42);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)]!;
  const now = T0;
  const insCustomer = db.prepare('INSERT INTO customers (display_name, created_at, updated_at) VALUES (?, ?, ?)');
  const insIdentity = db.prepare(
    'INSERT INTO identities (customer_id, kind, address, x_user_id, handle, display_name, names, profile, is_self, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insConv = db.prepare(
    'INSERT INTO conversations (channel, kind, external_id, customer_id, subject, status, last_inbound_at, last_outbound_at, last_message_at, message_count, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insMsg = db.prepare(
    'INSERT INTO messages (conversation_id, channel, kind, external_id, author_identity_id, author_name, author_address, direction, sent_at, subject, body_text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const customers: Gen['customers'] = [];
  db.transaction(() => {
    const selfC = Number(insCustomer.run('Shop', now, now).lastInsertRowid);
    const selfId = Number(insIdentity.run(selfC, 'email', 'support@shop.example', null, null, 'Shop Support', '[]', null, 1, now, now).lastInsertRowid);
    insIdentity.run(selfC, 'x', null, '1', 'Shop', 'Shop', '[]', null, 1, now, now);
    for (let i = 0; i < nCustomers; i++) {
      const f = pick(FIRSTS);
      const l = pick(LASTS);
      const name = `${f[0]!.toUpperCase()}${f.slice(1)} ${l[0]!.toUpperCase()}${l.slice(1)}`;
      const address = `${r() < 0.5 ? `${f}.${l}` : `${f[0]}${l}`}${i}@${pick(DOMAINS)}`;
      const ref = `HP-${String(100000 + i * 7).padStart(6, '0')}`;
      const product = pick(PRODUCTS);
      const at = T0 + Math.floor(r() * 200 * DAY);
      const cid = Number(insCustomer.run(name, now, now).lastInsertRowid);
      const iid = Number(insIdentity.run(cid, 'email', address, null, null, name, JSON.stringify([name]), null, 0, now, now).lastInsertRowid);
      const subject = `Order ${ref} – my ${product}`;
      const answered = r() < 0.6;
      const conv = Number(
        insConv.run('email', 'email', `<t${i}@gen>`, cid, subject, answered ? 'waiting' : 'open', at, answered ? at + DAY : null, answered ? at + DAY : at, answered ? 2 : 1, now, now).lastInsertRowid,
      );
      insMsg.run(
        conv,
        'email',
        'email',
        `<m${i}a@gen>`,
        iid,
        name,
        address,
        'in',
        at,
        subject,
        `Hi,\n\nMy ${product} (${ref}) arrived damaged. Can you help?\n\nThanks,\n${name.split(' ')[0]}\n\n--\n${name}\n`,
        now,
      );
      if (answered)
        insMsg.run(
          conv,
          'email',
          'email',
          `<m${i}b@gen>`,
          selfId,
          'Shop Support',
          'support@shop.example',
          'out',
          at + DAY,
          `Re: ${subject}`,
          `Hi ${name.split(' ')[0]},\n\nSorry about that. Could you send a photo?\n\nShop Support`,
          now,
        );
      customers.push({ name, address, ref, product, at });
    }
    for (let j = 0; j < nX; j++) {
      const c = customers[Math.floor(r() * customers.length)]!;
      const mode = r();
      const text = mode < 0.3 ? `@Shop ${c.ref.replace('-', ' ')} still not fixed, emailed twice` : mode < 0.6 ? `@Shop my ${c.product} broke, no reply to my email` : `@Shop great sale this week`;
      const xName = mode < 0.8 ? c.name : `${pick(FIRSTS)} ${pick(LASTS)}`;
      const xid = String(10_000_000 + j);
      const cid = Number(insCustomer.run(xName, now, now).lastInsertRowid);
      const iid = Number(insIdentity.run(cid, 'x', null, xid, `user${j}`, xName, JSON.stringify([xName]), '{"description":""}', 0, now, now).lastInsertRowid);
      const conv = Number(insConv.run('x', 'tweet', `x${j}`, cid, '', 'open', c.at + 2 * DAY, null, c.at + 2 * DAY, 1, now, now).lastInsertRowid);
      insMsg.run(conv, 'x', 'tweet', `tw${j}`, iid, xName, `@user${j}`, 'in', c.at + 2 * DAY, '', text, now);
    }
  })();
  return { db, customers };
}

const bench: Bench = {
  name: 'linking',
  async run({ quick, log }) {
    const nCustomers = quick ? 10_000 : 100_000;
    const nX = quick ? 500 : 5_000;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-bench-linking-'));
    const figures: BenchFigure[] = [];
    try {
      let t = performance.now();
      const g = generate(path.join(dir, 'bench.db'), nCustomers, nX);
      log(`generated ${nCustomers} customers (${nCustomers * 1.6} mails) and ${nX} X accounts in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      const engine = new LinkEngine(g.db);
      t = performance.now();
      const cpu0 = process.cpuUsage();
      const full = engine.rebuildAll();
      const fullS = (performance.now() - t) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const cpuS = (cpu.user + cpu.system) / 1e6;
      const linked = g.db.prepare("SELECT count(*) FROM links WHERE state = 'linked'").pluck().get() as number;
      log(`re-link all: ${full.customers} customers, ${full.scored} X accounts scored, ${linked} linked`);
      figures.push({
        metric: `re-link all (${nCustomers.toLocaleString('en-US')} customers, ${nX.toLocaleString('en-US')} X accounts)`,
        value: fullS,
        unit: 's',
        target: '< 60 s',
        ok: fullS < 60,
      });
      // Wall time depends on what else runs on the machine; CPU time of this process does less.
      figures.push({ metric: 're-link all, CPU time of this process', value: cpuS, unit: 's' });
      // The same re-link as the app runs it: in the background, in slices that yield to the event
      // loop. Figures: its wall time, and the longest the event loop was held (what another core
      // call can wait at most), against the one-go build above as the baseline.
      {
        const loop = monitorEventLoopDelay({ resolution: 1 });
        const gaps: number[] = [];
        let last = performance.now();
        let running = true;
        const tick = () => {
          const now = performance.now();
          gaps.push(now - last);
          last = now;
          if (running) setTimeout(tick, 1);
        };
        const tb = performance.now();
        loop.enable();
        setTimeout(tick, 1);
        const bg = await new LinkEngine(g.db).build();
        running = false;
        loop.disable();
        const bgS = (performance.now() - tb) / 1000;
        const maxGap = Math.max(...gaps);
        log(
          `background re-link all: ${bgS.toFixed(1)} s, ${bg.scored} X accounts; event loop held at most ${maxGap.toFixed(1)} ms (p99 ${percentile(gaps, 99).toFixed(1)} ms, ${gaps.length} timer ticks; histogram max ${(loop.max / 1e6).toFixed(1)} ms)`,
        );
        figures.push({
          metric: `background re-link all (${nCustomers.toLocaleString('en-US')} customers): longest event-loop stall`,
          value: maxGap,
          unit: 'ms',
          target: '< 500 ms (other calls answered meanwhile)',
          ok: maxGap < 500,
          baseline: { metric: 'the same re-link in one go (the loop held throughout)', value: fullS * 1000, unit: 'ms' },
        });
        figures.push({ metric: 'background re-link all, wall time', value: bgS, unit: 's', target: '< 60 s', ok: bgS < 60 });
      }
      // One new post at a time, each followed by an incremental refresh.
      const r = rng(7);
      const samples: number[] = [];
      const runs = Number(process.env.LINK_BENCH_RUNS) || (quick ? 30 : 100);
      const insIdentity = g.db.prepare(
        'INSERT INTO identities (customer_id, kind, x_user_id, handle, display_name, names, profile, created_at, updated_at) VALUES (?, \'x\', ?, ?, ?, ?, \'{"description":""}\', ?, ?)',
      );
      const insCustomer = g.db.prepare('INSERT INTO customers (display_name, created_at, updated_at) VALUES (?, ?, ?)');
      const insConv = g.db.prepare("INSERT INTO conversations (channel, kind, external_id, customer_id, created_at, updated_at) VALUES ('x', 'tweet', ?, ?, ?, ?)");
      const insMsg = g.db.prepare(
        "INSERT INTO messages (conversation_id, channel, kind, external_id, author_identity_id, author_name, direction, sent_at, body_text, created_at) VALUES (?, 'x', 'tweet', ?, ?, ?, 'in', ?, ?, ?)",
      );
      let hits = 0;
      for (let i = 0; i < runs; i++) {
        const c = g.customers[Math.floor(r() * g.customers.length)]!;
        const now = Date.now();
        g.db.transaction(() => {
          const cid = Number(insCustomer.run(c.name, now, now).lastInsertRowid);
          const iid = Number(insIdentity.run(cid, `9${i}`, `new${i}`, c.name, JSON.stringify([c.name]), now, now).lastInsertRowid);
          const conv = Number(insConv.run(`new${i}`, cid, now, now).lastInsertRowid);
          insMsg.run(conv, `new${i}`, iid, c.name, c.at + DAY, `@Shop my ${c.product} ${c.ref} is still broken, emailed you twice`, now);
        })();
        const t1 = performance.now();
        const res = engine.refresh();
        samples.push(performance.now() - t1);
        if (res.scored !== 1) throw new Error(`expected one X account re-scored, got ${res.scored}`);
        const got = g.db.prepare("SELECT l.customer_id FROM links l JOIN identities i ON i.id = l.identity_id WHERE i.x_user_id = ? AND l.state = 'linked'").pluck().get(`9${i}`);
        if (got !== undefined) hits++;
      }
      log(`one new post: ${hits}/${runs} linked automatically; p95 ${percentile(samples, 95).toFixed(2)} ms`);
      const med = median(samples);
      figures.push({
        metric: `link one new post against ${nCustomers.toLocaleString('en-US')} customers (median of ${runs}, incremental refresh)`,
        value: med,
        unit: 'ms',
        target: '< 5 ms',
        ok: med < 5,
      });
      // The owner's decision: confirm one waiting suggestion, which moves the weights (feedback.ts) and
      // re-scores every X account still waiting with suggestions. (One a complaint's story made teaches
      // nothing: the best suggestion without a story sentence is taken.)
      {
        const waiting = g.db.prepare("SELECT COUNT(DISTINCT identity_id) FROM links WHERE decided_by = 'engine' AND state = 'suggested'").pluck().get() as number;
        const top = g.db
          .prepare("SELECT id FROM links WHERE decided_by = 'engine' AND state = 'suggested' AND evidence NOT LIKE '%a complaint about %' ORDER BY score DESC, id LIMIT 1")
          .pluck()
          .get() as number | undefined;
        if (top !== undefined) {
          const control = new LinkControl(g.db, engine);
          const t2 = performance.now();
          const d = control.confirm(top);
          const ms = performance.now() - t2;
          const h = monitorEventLoopDelay({ resolution: 10 });
          h.enable();
          const t3 = performance.now();
          await engine.rescoreInSlices(d.rescore ?? []);
          const bgMs = performance.now() - t3;
          h.disable();
          log(`confirm with feedback: ${d.rescore?.length ?? 0} of ${waiting} waiting accounts re-scored in slices in ${Math.round(bgMs)} ms, event loop held at most ${(h.max / 1e6).toFixed(1)} ms`);
          figures.push({ metric: `confirm a suggestion and learn from it (${nCustomers.toLocaleString('en-US')} customers)`, value: ms, unit: 'ms' });
          figures.push({ metric: `then re-score the ${waiting.toLocaleString('en-US')} waiting X accounts in slices, wall time`, value: bgMs, unit: 'ms' });
        }
      }
      g.db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return figures;
  },
};

export default bench;
