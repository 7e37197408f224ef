// The canary report (issue 14 item 3). Definitions, all times UTC:
//  - a conversation counts when it has a customer message and its first customer message is in the
//    range (since 00:00 to the end of until);
//  - first reply: the business's first message after the customer's first message, minus that first
//    message; resolution: for conversations marked done that were answered, the business's last
//    message minus the customer's first message;
//  - an escalation is an X conversation marked escalated or likely (conversations.escalated = 1),
//    dated by its first customer post; it is "unanswered" when escalation.after = 'unanswered' (or,
//    on marks older than `after`, when it names an email thread and a wait: afterUnanswered), and its
//    wait is escalation.waitedMs (the customer's last email before the post to the post);
//  - failed touchpoints: per unanswered escalation, its email conversation (escalation.emailConversationId)'s
//    account, tags, subject words, reference kinds, and the hour and weekday of the oldest customer
//    mail there that the business never answered; each escalation counts once per key;
//  - goals met: each conversation's first reply against the first-reply goal in force (goals.ts);
//  - percentiles are nearest-rank (stats.ts); weeks start on Monday.
import type { ReportCountRow, ReportTimesRow, ReportView } from '../../../shared/contract/report';
import type { DB } from '../db/open';
import { parseJson } from '../db/json';
import { accountNames, conversationTagRows, escalationRows, REPORT_STATUSES, reportConversations, sourceThread } from '../db/repos/report';
import type { Escalation } from '../../../shared/domain/types';
import { loadGoals } from '../goals/service';
import { addOutcome, GoalJudge, metPct, type GoalCounts } from './goals';
import { DAY_MS, p50p90, rangeOf, WAIT_BUCKETS, weekOf, WEEKDAYS } from './stats';
import { referenceKinds, subjectWords } from './topics';

class Counter {
  readonly m = new Map<string, number>();
  add(key: string): void {
    this.m.set(key, (this.m.get(key) ?? 0) + 1);
  }
  rows(): ReportCountRow[] {
    return [...this.m].map(([key, escalations]) => ({ key, escalations })).sort((a, b) => b.escalations - a.escalations || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}

interface Times {
  conversations: number;
  reply: number[];
  resolution: number[];
}

const DIM_ORDER = { all: 0, channel: 1, account: 2, tag: 3 } as const;
const FOLLOW_UP_KEYS = ['0', '1', '2', '3', '4', '5+'] as const;

/** The report at `now` (goals still pending or missed), read in one transaction: every scan sees the same snapshot while sync writes. */
export function computeReport(db: DB, args: { since?: string; until?: string }, now = Date.now()): ReportView {
  return db.transaction(() => reportOf(db, args, now))();
}

/** The Monday-based UTC week of an instant as a number (1970-01-01 was a Thursday, day 3 of its week). */
const weekNumber = (ms: number) => Math.floor((Math.floor(ms / DAY_MS) + 3) / 7);

function reportOf(db: DB, args: { since?: string; until?: string }, now: number): ReportView {
  const { from, to } = rangeOf(args.since, args.until);
  const inRange = (t: number) => t >= from && t < to;
  const weeks = new Map<number, string>();
  const weekLabel = (n: number) => {
    let w = weeks.get(n);
    if (w === undefined) weeks.set(n, (w = weekOf((n * 7 - 3) * DAY_MS)));
    return w;
  };
  const weekAt = (ms: number) => weekLabel(weekNumber(ms));
  const names = accountNames(db);
  const accountKey = (id: number | null) => (id === null ? '(no account)' : (names.get(id) ?? `account ${id}`));
  const tags = new Map<number, string[]>();
  for (const r of conversationTagRows(db)) {
    const l = tags.get(r.conversationId);
    if (l) {
      if (!l.includes(r.tag)) l.push(r.tag);
    } else tags.set(r.conversationId, [r.tag]);
  }

  // Escalations in range, and the email conversations whose unanswered mail went public.
  const perWeek = new Map<string, { escalations: number; unanswered: number }>();
  const waits: number[] = [];
  const buckets = WAIT_BUCKETS.map((b) => ({ bucket: b.bucket, escalations: 0 }));
  const failed = { accounts: new Counter(), tags: new Counter(), words: new Counter(), refs: new Counter() };
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, escalations: 0 }));
  const weekdays = WEEKDAYS.map((weekday) => ({ weekday, escalations: 0 }));
  const sources = new Set<number>();
  let escalations = 0;
  for (const e of escalationRows(db)) {
    const first = e.firstIn;
    if (!inRange(first)) continue;
    escalations++;
    const w = weekAt(first);
    const pw = perWeek.get(w) ?? { escalations: 0, unanswered: 0 };
    perWeek.set(w, pw);
    pw.escalations++;
    const esc = parseJson<Partial<Escalation> | null>(e.escalation, null);
    if (!esc || !afterUnanswered(esc)) continue;
    pw.unanswered++;
    if (typeof esc.waitedMs === 'number') {
      waits.push(esc.waitedMs);
      buckets[WAIT_BUCKETS.findIndex((b) => esc.waitedMs! < b.max)]!.escalations++;
    }
    const srcId = esc.emailConversationId;
    const src = typeof srcId === 'number' ? sourceThread(db, srcId) : null;
    if (!src || typeof srcId !== 'number') continue;
    sources.add(srcId);
    failed.accounts.add(accountKey(src.accountId));
    for (const t of tags.get(srcId) ?? []) failed.tags.add(t);
    for (const word of subjectWords(src.subject)) failed.words.add(word);
    for (const kind of referenceKinds([src.subject, ...src.bodies].join('\n'))) failed.refs.add(kind);
    const at = src.unansweredFrom;
    if (at !== null) {
      hours[new Date(at).getUTCHours()]!.escalations++;
      weekdays[(new Date(at).getUTCDay() + 6) % 7]!.escalations++;
    }
  }
  const unansweredCount = perWeekSum(perWeek);

  // The conversations in range, one entry each (their reply facts are kept on write: migration 0390).
  const cols = reportConversations(db, from, to);
  let earliest = Infinity;
  let latest = -Infinity;
  for (const t of cols.firstIn) if (t < earliest) earliest = t;
  for (const t of cols.firstReply) if (t !== null && t > latest) latest = t;

  // Response times and follow-ups over the conversations in range. Groups are found by number (the
  // week's, and an index per dimension and key), not by string keys built per conversation.
  const all: Times = { conversations: 0, reply: [], resolution: [] };
  type Group = Times & { week: string; dimension: ReportTimesRow['dimension']; key: string };
  const groups: Group[] = [];
  // Per (dimension, key) pair, its groups by week offset from the first week in range: array lookups, no key built per conversation.
  const firstWeek = Number.isFinite(earliest) ? weekNumber(earliest) : 0;
  const byPair: Group[][] = [];
  const pairs: { dimension: ReportTimesRow['dimension']; key: string }[] = [{ dimension: 'all', key: 'all' }];
  const pairIndex = new Map<string, number>();
  const pairOf = (dimension: ReportTimesRow['dimension'], key: string) => {
    const k = dimension + '\0' + key;
    let i = pairIndex.get(k);
    if (i === undefined) {
      pairIndex.set(k, (i = pairs.length));
      pairs.push({ dimension, key });
    }
    return i;
  };
  const channelPair = { email: pairOf('channel', 'email'), x: pairOf('channel', 'x') };
  const accountPairs = new Map<number | null, number>();
  const accountPair = (id: number | null) => {
    let i = accountPairs.get(id);
    if (i === undefined) accountPairs.set(id, (i = pairOf('account', accountKey(id))));
    return i;
  };
  const tagPairs = new Map<string, number>();
  const tagPair = (t: string) => {
    let i = tagPairs.get(t);
    if (i === undefined) tagPairs.set(t, (i = pairOf('tag', t)));
    return i;
  };
  const group = (wn: number, pair: number) => {
    const weeks = (byPair[pair] ??= []);
    let g = weeks[wn - firstWeek];
    if (!g) {
      weeks[wn - firstWeek] = g = { week: weekLabel(wn), dimension: pairs[pair]!.dimension, key: pairs[pair]!.key, conversations: 0, reply: [], resolution: [] };
      groups.push(g);
    }
    return g;
  };
  const add = (t: Times, reply: number, resolution: number) => {
    t.conversations++;
    if (reply === reply) t.reply.push(reply);
    if (resolution === resolution) t.resolution.push(resolution);
  };
  const followUps = FOLLOW_UP_KEYS.map(() => ({ answered: 0, unanswered: 0, escalated: 0 }));
  const g = loadGoals(db, now);
  const judge = new GoalJudge(g.settings, g.effective, now, earliest, latest);
  const goals: GoalCounts = { met: 0, missed: 0, pending: 0 };
  const goalWeeks: (GoalCounts & { wn: number })[] = [];
  const noTags: string[] = [];
  const channels = [channelPair.email, channelPair.x];
  for (let i = 0; i < cols.id.length; i++) {
    const id = cols.id[i]!;
    const accountId = cols.accountId[i]!;
    const status = REPORT_STATUSES[cols.status[i]!]!;
    const fi = cols.firstIn[i]!;
    const fr = cols.firstReply[i] ?? NaN;
    const n = cols.followUps[i]!;
    const wn = weekNumber(fi);
    const convTags = tags.get(id) ?? noTags;
    const reply = fr - fi; // NaN: unanswered
    // Resolution: done and answered: the business's last message minus the customer's first.
    const resolution = status === 'done' && reply === reply ? cols.lastOut[i]! - fi : NaN;
    const outcome = judge.outcome(fi, fr, status, accountId, convTags);
    if (outcome !== null) {
      addOutcome(goals, outcome);
      const gw = (goalWeeks[wn - firstWeek] ??= { wn, met: 0, missed: 0, pending: 0 });
      addOutcome(gw, outcome);
    }
    add(all, reply, resolution);
    add(group(wn, 0), reply, resolution);
    add(group(wn, channels[cols.onX[i]!]!), reply, resolution);
    add(group(wn, accountPair(accountId)), reply, resolution);
    for (const t of convTags) add(group(wn, tagPair(t)), reply, resolution);
    const fu = followUps[n >= 5 ? 5 : n]!;
    if (reply === reply) fu.answered++;
    else fu.unanswered++;
    if (sources.has(id)) fu.escalated++;
  }

  return {
    since: args.since ?? null,
    until: args.until ?? null,
    conversations: all.conversations,
    answered: all.reply.length,
    first_reply_ms: p50p90(all.reply),
    resolution_ms: p50p90(all.resolution),
    goals: { ...goals, met_pct: metPct(goals) },
    goals_per_week: goalWeeks
      .filter((c) => c !== undefined)
      .map(({ wn, ...c }) => ({ week: weekLabel(wn), ...c, met_pct: metPct(c) }))
      .sort((a, b) => (a.week < b.week ? -1 : 1)),
    escalations,
    unanswered_escalations: unansweredCount,
    escalation_wait_ms: p50p90(waits),
    escalations_per_week: [...perWeek].map(([week, v]) => ({ week, ...v })).sort((a, b) => (a.week < b.week ? -1 : 1)),
    escalation_wait_buckets: buckets,
    times_per_week: groups
      .sort((a, b) => (a.week !== b.week ? (a.week < b.week ? -1 : 1) : DIM_ORDER[a.dimension] - DIM_ORDER[b.dimension] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)))
      .map((g) => ({
        week: g.week,
        dimension: g.dimension,
        key: g.key,
        conversations: g.conversations,
        answered: g.reply.length,
        first_reply_ms: p50p90(g.reply),
        resolved: g.resolution.length,
        resolution_ms: p50p90(g.resolution),
      })),
    failed: { accounts: failed.accounts.rows(), tags: failed.tags.rows(), subject_words: failed.words.rows(), reference_kinds: failed.refs.rows(), hours, weekdays },
    follow_ups: FOLLOW_UP_KEYS.map((k, i) => ({ follow_ups: k, ...followUps[i]! })),
  };
}

function perWeekSum(m: Map<string, { unanswered: number }>): number {
  let n = 0;
  for (const v of m.values()) n += v.unanswered;
  return n;
}

/**
 * Whether an escalation followed unanswered mail: escalation.after = 'unanswered', or no `after` at all
 * with an email thread and a wait named (marks made before `after` existed, such as the demo's, were
 * made for unanswered mail only).
 */
export function afterUnanswered(e: Partial<Escalation> | null): boolean {
  if (!e) return false;
  if (e.after !== undefined) return e.after === 'unanswered';
  return typeof e.emailConversationId === 'number' && typeof e.waitedMs === 'number';
}
