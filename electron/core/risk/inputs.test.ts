// The at-risk list keeps what it read between calls (inputs.ts) and reads again only what changed: after
// any mix of writes, and as time passes, it must list exactly what a list read afresh lists (every
// thread's messages and the complaints sent by `now`, as the list read them before it kept anything).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { refreshConversation } from '../db/repos/conversations';
import { putGoalSettings } from '../db/repos/goals';
import { insertMessage } from '../db/repos/messages';
import { T0, World } from '../linking/testing/world';
import { riskInputsReads } from './inputs';
import { riskList } from './list';
import { riskScore } from './score';
import type { RiskItem } from '../../../shared/contract/goals';
import { rng } from '../rng';

const H = 3_600_000;
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function core(): Core {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-risk-inputs-'));
  const c = createCore({ dataDir: dir });
  cleanups.push(() => {
    c.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return c;
}

const TEXTS = ['Where is my order?', 'Any news? Third time I write.', "If this isn't sorted I'm filing a chargeback.", 'Still waiting for an answer.', 'Thanks!', 'I will post a review about this.'];

describe('at-risk inputs kept between calls', () => {
  it('list the same as a fresh read after arbitrary writes and as time passes', () => {
    const c = core();
    const db = c.db;
    const w = new World(db);
    const r = rng(14);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
    let now = T0 + 200 * H;
    const emails: number[] = [];
    const posts: number[] = [];
    const users = Array.from({ length: 6 }, (_, i) => ({ id: String(9000 + i), handle: `user${i}`, name: `User ${i}` }));
    // A history of answered mail (the usual reply), and a few threads to start with.
    for (let i = 0; i < 5; i++) w.mail({ address: `past${i}@mail.example` }, `Order ${i}`, 'A question', T0 + i * H, { replyAt: T0 + (i + 2) * H });
    const answer = (conv: number, at: number) => {
      insertMessage(db, {
        conversationId: conv,
        channel: 'email',
        kind: 'email',
        externalId: `<a${Math.floor(r() * 1e12)}@test>`,
        authorIdentityId: null,
        authorName: 'Shop Support',
        authorAddress: w.selfAddress,
        direction: 'out',
        sentAt: at,
        text: 'We are on it.',
        now: at,
      });
      refreshConversation(db, conv);
    };
    // A row picked by the test's own random numbers (SQLite's random() would make a failure unrepeatable).
    const nth = (sql: string) => {
      const n = db.prepare(`SELECT count(*) FROM (${sql})`).pluck().get() as number;
      return n ? (db.prepare(`${sql} LIMIT 1 OFFSET ?`).get(Math.floor(r() * n)) as Record<string, number>) : undefined;
    };
    const anyMessage = () => nth('SELECT id, conversation_id AS c FROM messages ORDER BY id') as { id: number; c: number } | undefined;
    for (const u of users) posts.push(w.post(u, 'hello', T0));
    let compared = 0;
    let partial = 0;
    let unchanged = 0;
    for (let step = 1; step <= 160; step++) {
      const roll = r();
      // Mostly mail as it comes; now and then a message dated after `now` (a clock ahead), left out until its time.
      const at = r() < 0.12 ? now + Math.floor(1 + r() * 6) * H : now - Math.floor(r() * 72) * H;
      const n = emails.length;
      if (roll < 0.25 || n < 3) emails.push(w.mail({ address: `c${Math.floor(r() * 12)}@mail.example`, name: `Customer ${n}` }, `Subject ${n}`, pick(TEXTS), at));
      else if (roll < 0.4) w.mail({ address: `c${Math.floor(r() * 12)}@mail.example` }, 'Re', pick(TEXTS), at, { thread: pick(emails) });
      else if (roll < 0.48) answer(pick(emails), at);
      else if (roll < 0.53) {
        posts.push(w.post(pick(users), pick(TEXTS), at));
        // Often marked at once, sometimes while dated after `now`: an earlier complaint only once its post is sent.
        if (r() < 0.5) db.prepare(`UPDATE conversations SET escalated = 1, escalation = '{"state":"escalated","waitedMs":7200000}' WHERE id = ?`).run(posts[posts.length - 1]);
      } else if (roll < 0.57 && posts.length) {
        const state = pick(['escalated', 'likely', 'public_complaint']);
        db.prepare('UPDATE conversations SET escalated = ?, escalation = ? WHERE id = ?').run(
          state === 'public_complaint' ? 0 : 1,
          JSON.stringify({ state, waitedMs: Math.floor(r() * 5 * 24) * H + H }),
          pick(posts),
        );
      } else if (roll < 0.61) {
        const u = pick(users);
        db.prepare(
          "INSERT INTO links (identity_id, customer_id, state, score, decided_by, created_at, updated_at) VALUES (?, ?, 'confirmed', 1, 'user', ?, ?) ON CONFLICT DO UPDATE SET state = excluded.state",
        ).run(w.identityOf(u.id) ?? w.post(u, 'hello', at) * 0 + w.identityOf(u.id), w.customerOf(`c${Math.floor(r() * 12)}@mail.example`) ?? 1, at, at);
      } else if (roll < 0.63) db.prepare("UPDATE links SET state = 'rejected' WHERE id = (SELECT id FROM links ORDER BY random() LIMIT 1)").run();
      else if (roll < 0.66)
        db.prepare("UPDATE identities SET profile = ? WHERE kind = 'x' AND is_self = 0 AND id = (SELECT id FROM identities WHERE kind = 'x' AND is_self = 0 ORDER BY random() LIMIT 1)").run(
          JSON.stringify({ followersCount: Math.floor(r() * 100000) }),
        );
      else if (roll < 0.68) db.prepare('UPDATE customers SET display_name = ? WHERE id = (SELECT id FROM customers ORDER BY random() LIMIT 1)').run(`Renamed ${step}`);
      else if (roll < 0.73) db.prepare('UPDATE conversations SET status = ? WHERE id = ?').run(pick(['open', 'open', 'waiting', 'snoozed', 'done']), pick([...emails, ...posts]));
      else if (roll < 0.76) db.prepare('UPDATE conversations SET tags = ? WHERE id = ?').run(JSON.stringify(r() < 0.5 ? ['vip'] : []), pick(emails));
      else if (roll < 0.8) {
        const m = anyMessage();
        if (m) {
          db.prepare('DELETE FROM messages WHERE id = ?').run(m.id);
          refreshConversation(db, m.c);
        }
      } else if (roll < 0.83) {
        const m = anyMessage();
        const to = pick(emails);
        if (m) {
          db.prepare('UPDATE messages SET conversation_id = ? WHERE id = ?').run(to, m.id);
          refreshConversation(db, m.c);
          refreshConversation(db, to);
        }
      } else if (roll < 0.86) {
        const m = anyMessage();
        if (m) {
          db.prepare("UPDATE messages SET direction = CASE direction WHEN 'in' THEN 'out' ELSE 'in' END WHERE id = ?").run(m.id);
          refreshConversation(db, m.c);
        }
      } else if (roll < 0.88) {
        // An edit that leaves every count and time as it was: only the wording changes.
        const m = anyMessage();
        if (m) db.prepare('UPDATE messages SET body_text = ? WHERE id = ?').run(pick(TEXTS), m.id);
      } else if (roll < 0.9) putGoalSettings(db, { firstReplyMs: r() < 0.5 ? null : 2 * H, nextReplyMs: null, hours: null, overrides: r() < 0.5 ? [] : [{ tag: 'vip', firstReplyMs: H }] });
      else now += Math.floor(r() * 6) * H; // time passes, nothing written
      const before = riskInputsReads(db)?.reads ?? 0;
      const kept = riskList(db, { now, limit: 1000 });
      const after = riskInputsReads(db)!;
      if (after.reads === before) unchanged++;
      else if (after.threadsRead < after.threads) partial++;
      if (step % 2 === 0 || roll >= 0.9) {
        const fresh = riskList(db, { now, limit: 1000, fresh: true });
        expect(kept, `step ${step}`).toEqual(fresh);
        // The list scores without building factors and keeps only the `limit` riskiest as it goes:
        // each listed risk is its factors' score, in order, and a short list is the long one's start.
        expect(kept.items.map((i) => i.risk)).toEqual(kept.items.map((i) => riskScore(i.factors)));
        const order = (a: RiskItem, b: RiskItem) => b.risk - a.risk || b.goal.waitedMs - a.goal.waitedMs || a.conversationId - b.conversationId;
        expect(kept.items).toEqual([...kept.items].sort(order));
        expect(riskList(db, { now, limit: 3 }).items).toEqual(kept.items.slice(0, 3));
        compared++;
      }
    }
    // The kept path was taken both ways: nothing read when nothing was written, part of the threads after writes.
    expect(compared).toBeGreaterThan(80);
    expect(unchanged).toBeGreaterThan(3);
    expect(partial).toBeGreaterThan(20);
    // And the lists were not trivially empty.
    expect(riskList(db, { now, limit: 1000 }).waiting).toBeGreaterThan(3);
  });

  it('list the same as a fresh read after conversations, identities and links move between customers (the kept customers, 0392)', () => {
    const c = core();
    const db = c.db;
    const w = new World(db);
    const r = rng(392);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
    const now = T0 + 300 * H;
    const users = Array.from({ length: 5 }, (_, i) => ({ id: String(7000 + i), handle: `poster${i}`, name: `Poster ${i}` }));
    const convs: number[] = [];
    for (let i = 0; i < 8; i++) convs.push(w.mail({ address: `m${i}@mail.example`, name: `Mail ${i}` }, `Subject ${i}`, pick(TEXTS), now - (i + 1) * H));
    for (const u of users) convs.push(w.post(u, pick(TEXTS), now - 2 * H));
    const ids = (sql: string) => db.prepare(sql).pluck().all() as number[];
    let compared = 0;
    let customersRead = 0;
    for (let step = 1; step <= 60; step++) {
      const roll = r();
      const customers = ids('SELECT id FROM customers ORDER BY id');
      if (roll < 0.2) db.prepare('UPDATE conversations SET customer_id = ? WHERE id = ?').run(pick(customers), pick(convs));
      else if (roll < 0.35) db.prepare('UPDATE identities SET customer_id = ? WHERE id = ?').run(pick(customers), pick(ids("SELECT id FROM identities WHERE kind = 'x' ORDER BY id")));
      else if (roll < 0.5) {
        const identity = pick(ids("SELECT id FROM identities WHERE kind = 'x' ORDER BY id"));
        db.prepare(
          "INSERT INTO links (identity_id, customer_id, state, score, decided_by, created_at, updated_at) VALUES (?, ?, ?, 1, 'engine', 1, 1) ON CONFLICT DO UPDATE SET state = excluded.state",
        ).run(identity, pick(customers), pick(['suggested', 'linked', 'confirmed', 'rejected']));
      } else if (roll < 0.6)
        db.prepare('UPDATE identities SET profile = ?, handle = ? WHERE id = ?').run(
          JSON.stringify({ followersCount: Math.floor(r() * 50_000) }),
          `h${step}`,
          pick(ids("SELECT id FROM identities WHERE kind = 'x' ORDER BY id")),
        );
      else if (roll < 0.68 && customers.length > 4) db.prepare('DELETE FROM customers WHERE id = ?').run(pick(customers));
      else if (roll < 0.76) db.prepare("UPDATE conversations SET subject = ?, channel = CASE WHEN kind = 'email' THEN channel ELSE 'x' END WHERE id = ?").run(`Moved ${step}`, pick(convs));
      else if (roll < 0.88) convs.push(w.mail({ address: `m${Math.floor(r() * 12)}@mail.example`, name: `Mail ${step}` }, `New ${step}`, pick(TEXTS), now - Math.floor(r() * 48) * H));
      else w.reply(pick(convs), 'On it.', now - H);
      const kept = riskList(db, { now, limit: 1000 });
      customersRead += riskInputsReads(db)!.customersRead;
      expect(kept, `step ${step}`).toEqual(riskList(db, { now, limit: 1000, fresh: true }));
      compared++;
    }
    expect(compared).toBe(60);
    // Customers were read again now and then, not all of them every time.
    expect(customersRead).toBeGreaterThan(10);
    expect(customersRead).toBeLessThan(60 * riskInputsReads(db)!.customers);
    expect(riskList(db, { now, limit: 1000 }).items.filter((i) => i.factors.some((f) => f.factor === 'x_account')).length).toBeGreaterThan(2);
  });
});
