// `npm run at-risk-quality [-- --seeds 2 --from 0]`: does the at-risk order find the threads that go public?
// For each generated business of electron/core/linking/testing/variants.ts (synth.ts: customers email,
// some get answers, some later complain on X; truth.json lists those posts as `escalations`) and
// several moments T, the data set is cut at T (mail and posts dated after T are left out, so linking
// and the marks know only the past), imported into a fresh database and linked; then the ten riskiest
// waiting threads (risk.list as of T) are compared with the ten oldest waiting ("oldest waiting first"):
// how many belong to a customer who posts an escalation on X within 14 days after T.
// The base rate (all threads waiting at T whose customer posts) says what a random ten would find, and
// "newest waiting first" is a second plain order to beat.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../electron/core/createCore';
import { importPath } from '../electron/core/import';
import { generateDataset } from '../electron/core/linking/testing/synth';
import { variants } from '../electron/core/linking/testing/variants';
import { riskList } from '../electron/core/risk/list';

const DAY = 86_400_000;
const WINDOW = 14 * DAY;
const TOP = 10;
const args = process.argv.slice(2);
const seedsAt = args.indexOf('--seeds');
const seeds = seedsAt >= 0 ? Number(args[seedsAt + 1]) : 2;
/** --from K: start at the K-th seed of each business (seeds below K were looked at while setting the weights). */
const fromAt = args.indexOf('--from');
const from = fromAt >= 0 ? Number(args[fromAt + 1]) : 0;
/** Moments, in days after the first mail of the set. */
const MOMENTS = [25, 45, 65, 85, 105];

interface Truth {
  accounts: { x_user_id: string; emails: string[] }[];
  escalations: { x_user_id: string; conversation_id: string }[];
}
interface XPage {
  data?: { id: string; created_at: string }[];
  includes?: unknown;
  meta?: unknown;
}

/** A copy of the data set with only what is dated up to `t`. */
function cut(data: string, t: number): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-at-risk-cut-'));
  fs.mkdirSync(path.join(out, 'mail'));
  fs.mkdirSync(path.join(out, 'x'));
  for (const f of fs.readdirSync(path.join(data, 'mail'))) {
    const text = fs.readFileSync(path.join(data, 'mail', f), 'utf8');
    const date = /^Date: (.*)$/m.exec(text)?.[1];
    if (date && Date.parse(date) <= t) fs.writeFileSync(path.join(out, 'mail', f), text);
  }
  for (const f of fs.readdirSync(path.join(data, 'x'))) {
    const page = JSON.parse(fs.readFileSync(path.join(data, 'x', f), 'utf8')) as XPage;
    if (Array.isArray(page.data)) {
      page.data = page.data.filter((d) => Date.parse(d.created_at) <= t);
      page.meta = { result_count: page.data.length };
    }
    fs.writeFileSync(path.join(out, 'x', f), JSON.stringify(page));
  }
  return out;
}

/** When each escalation post was made, by the emails of its author. */
function postsByEmail(data: string): Map<string, number[]> {
  const truth = JSON.parse(fs.readFileSync(path.join(data, 'truth.json'), 'utf8')) as Truth;
  const when = new Map<string, number>();
  const page = JSON.parse(fs.readFileSync(path.join(data, 'x', 'mentions-001.json'), 'utf8')) as XPage;
  for (const d of page.data ?? []) when.set(d.id, Date.parse(d.created_at));
  const emails = new Map(truth.accounts.map((a) => [a.x_user_id, a.emails]));
  const out = new Map<string, number[]>();
  for (const e of truth.escalations) {
    const at = when.get(e.conversation_id);
    if (at === undefined) continue;
    for (const m of emails.get(e.x_user_id) ?? []) out.set(m, [...(out.get(m) ?? []), at]);
  }
  return out;
}

function firstMail(data: string): number {
  let min = Infinity;
  for (const f of fs.readdirSync(path.join(data, 'mail'))) {
    const date = /^Date: (.*)$/m.exec(fs.readFileSync(path.join(data, 'mail', f), 'utf8'))?.[1];
    if (date) min = Math.min(min, Date.parse(date));
  }
  return min;
}

const total = { moments: 0, waiting: 0, public: 0, risk: 0, oldest: 0, newest: 0, riskTop5: 0, oldestTop5: 0 };
for (const v of variants) {
  for (let k = from; k < from + seeds; k++) {
    const seed = v.seed + 100 * k;
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-at-risk-data-'));
    try {
      generateDataset(data, { ...v, seed });
      const posts = postsByEmail(data);
      const start = firstMail(data);
      const line: string[] = [];
      for (const d of MOMENTS) {
        const t = start + d * DAY;
        const part = cut(data, t);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-at-risk-db-'));
        const core = createCore({ dataDir: dir });
        try {
          await importPath(core.ctx, part);
          await core.call('links.refresh', {});
          const all = riskList(core.ctx.db, { now: t, limit: 100_000, asOf: true }).items;
          const emailOf = core.ctx.db.prepare("SELECT address FROM identities WHERE kind = 'email' AND customer_id = ? AND is_self = 0");
          const goesPublic = (customerId: number | null): boolean =>
            customerId !== null && (emailOf.all(customerId) as { address: string }[]).some((r) => (posts.get(r.address) ?? []).some((at) => at > t && at <= t + WINDOW));
          const emails = all.filter((i) => i.channel === 'email');
          const byRisk = emails.slice(0, TOP);
          const byAge = [...emails].sort((a, b) => a.goal.since - b.goal.since || a.conversationId - b.conversationId).slice(0, TOP);
          const byNew = [...emails].sort((a, b) => b.goal.since - a.goal.since || a.conversationId - b.conversationId).slice(0, TOP);
          const hits = (xs: typeof emails) => xs.filter((i) => goesPublic(i.customerId)).length;
          const pub = hits(emails);
          total.moments++;
          total.waiting += emails.length;
          total.public += pub;
          total.risk += hits(byRisk);
          total.oldest += hits(byAge);
          total.newest += hits(byNew);
          total.riskTop5 += hits(byRisk.slice(0, 5));
          total.oldestTop5 += hits(byAge.slice(0, 5));
          line.push(`day ${d}: ${hits(byRisk)} vs ${hits(byAge)} vs ${hits(byNew)} (${pub}/${emails.length} waiting go public)`);
        } finally {
          core.dispose();
          fs.rmSync(dir, { recursive: true, force: true });
          fs.rmSync(part, { recursive: true, force: true });
        }
      }
      console.log(`${`${v.business.name} ${seed}`.padEnd(24)} top ${TOP} at risk vs oldest vs newest waiting: ${line.join('; ')}`);
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  }
}
const rate = total.public / Math.max(1, total.waiting);
console.log(
  `all: ${total.moments} moments; of the top ${TOP} email threads, ${total.risk} went public within 14 days when ordered by risk (${(total.risk / total.moments).toFixed(2)} per moment), ` +
    `${total.oldest} when oldest waiting first (${(total.oldest / total.moments).toFixed(2)}), ${total.newest} when newest waiting first (${(total.newest / total.moments).toFixed(2)}); top 5: ${total.riskTop5} vs ${total.oldestTop5}; ` +
    `base rate ${total.public}/${total.waiting} waiting threads (${(rate * TOP).toFixed(2)} per ${TOP} at random)`,
);
