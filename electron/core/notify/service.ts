// The notifier of a core (ctx.notify): follows the core bus and the clock, decides what deserves a
// desktop notification (decide.ts) and emits it to the window as `notify.show`; the host shows it
// (the Electron shell's Notification, the browser's Notification API). Also `notify.badge`, the
// open escalated conversations, for the dock or taskbar.
//  - a conversation newly marked escalated or likely, once per conversation and mark: what is
//    marked when the notifier starts is known already (a restart announces nothing old);
//  - an at-risk conversation (risk.list's score, AT_RISK or more) whose reply goal passes while
//    the core runs (checked every minute when the core runs in the background), once per wait;
//  - each kind on or off, and quiet hours, in settings.notifications: what is suppressed is not
//    shown later; the badge counts regardless.
import { AT_RISK } from '../../../shared/contract/goals';
import type { NotifyKind } from '../../../shared/contract/settings';
import type { CoreContext } from '../context';
import * as repo from '../db/repos/notify';
import { getSettings } from '../db/repos/settings';
import { riskList } from '../risk/list';
import { coalesce, crossedGoal, escalationText, inQuietHours, markOf, notifiesOnChange, overdueText, type Mark, type Shown } from './decide';

/** How often goals are checked for one passing (they pass between two checks). */
export const GOAL_CHECK_MS = 60_000;
/** Conversation changes are looked at together after this pause (a sync announces them in bursts). */
const COALESCE_MS = 100;
/**
 * Goals are computed again (risk.list over every waiting conversation, without the reasons in words: ~0.2-0.6 s with 5,000 demo
 * customers) only when something changed, the next goal falls due, or after this long (goals or
 * business hours changed meanwhile). A check skipped loses nothing: the next one looks back to the
 * last computed.
 */
const GOAL_RECOMPUTE_MS = 10 * 60_000;

export class NotifyService {
  /** The conversations marked escalated or likely, as last seen. */
  private readonly marks = new Map<number, Mark>();
  /** `id:mark` already announced (or known at start): never twice. */
  private readonly announced = new Set<string>();
  /** `id:since` of goals already announced as passed. */
  private readonly overdue = new Set<string>();
  private readonly pending = new Set<number>();
  private pendingTimer: NodeJS.Timeout | null = null;
  private clock: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private lastGoalCheck = 0;
  /** When goals were last computed, the next due moment then, and whether conversations changed since. */
  private computedAt = -Infinity;
  private nextDue = -Infinity;
  private dirty = true;
  private badge = 0;
  private started = false;
  private stopped = false;

  constructor(private readonly ctx: CoreContext) {}

  /** The open escalated conversations (the badge), as last counted. */
  get escalatedCount(): number {
    return this.badge;
  }

  /**
   * Take what is marked now as known and follow the bus; with `clock`, check goals every minute
   * (the app and `npm run serve`). Once only.
   */
  start(opts: { clock?: boolean } = {}): void {
    if (this.stopped || this.started) return;
    this.started = true;
    const { db } = this.ctx;
    for (const r of repo.escalatedMarks(db)) {
      const { mark } = markOf(r.escalation);
      if (!mark) continue;
      this.marks.set(r.id, mark);
      this.announced.add(`${r.id}:${mark}`);
    }
    this.badge = repo.openEscalatedCount(db);
    this.lastGoalCheck = this.ctx.now();
    const offMessages = this.ctx.bus.on('MessagesStored', () => {
      this.dirty = true;
    });
    const offConversations = this.ctx.bus.on('ConversationsChanged', ({ ids }) => {
      this.dirty = true;
      for (const id of ids) this.pending.add(id);
      if (this.pendingTimer) return;
      this.pendingTimer = setTimeout(() => {
        this.pendingTimer = null;
        this.run(() => this.onChanged());
      }, COALESCE_MS);
      this.pendingTimer.unref();
    });
    this.unsubscribe = () => {
      offMessages();
      offConversations();
    };
    if (opts.clock) {
      this.clock = setInterval(() => this.run(() => this.checkGoals()), GOAL_CHECK_MS);
      this.clock.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.pendingTimer) clearTimeout(this.pendingTimer);
    this.pendingTimer = null;
    if (this.clock) clearInterval(this.clock);
    this.clock = null;
    this.pending.clear();
  }

  /**
   * Announce the goals of at-risk conversations that passed since the last check (the clock runs
   * this every minute; tests call it after moving their clock). Returns what was shown.
   */
  checkGoals(): Shown[] {
    if (this.stopped || !this.ctx.db.open) return [];
    const now = this.ctx.now();
    const settings = getSettings(this.ctx.db).notifications;
    if (!settings.overdue) {
      this.lastGoalCheck = now;
      return [];
    }
    if (!this.dirty && now < this.nextDue && now - this.computedAt < GOAL_RECOMPUTE_MS) return [];
    const since = this.lastGoalCheck;
    this.lastGoalCheck = now;
    this.computedAt = now;
    this.dirty = false;
    this.nextDue = Infinity;
    const passed: Shown[] = [];
    for (const item of riskList(this.ctx.db, { now, limit: Number.MAX_SAFE_INTEGER, factors: false }).items) {
      const due = item.goal.dueAt;
      if (due !== null && due > now) this.nextDue = Math.min(this.nextDue, due);
      if (item.risk < AT_RISK || !crossedGoal(item.goal, since, now)) continue;
      const key = `${item.conversationId}:${item.goal.since}`;
      if (this.overdue.has(key)) continue;
      this.overdue.add(key);
      passed.push(overdueText(item, item.goal));
    }
    if (inQuietHours(settings.quietHours, now)) return [];
    return this.show('overdue', passed);
  }

  /** The changed conversations' marks: announce the new escalations, count the badge again. */
  private onChanged(): void {
    if (this.stopped || !this.ctx.db.open) return;
    const { db } = this.ctx;
    const ids = [...this.pending];
    this.pending.clear();
    const fresh: Record<'escalated' | 'likely', Shown[]> = { escalated: [], likely: [] };
    const seen = new Set<number>();
    for (let i = 0; i < ids.length; i += 500) {
      for (const r of repo.marksOf(db, ids.slice(i, i + 500))) {
        seen.add(r.id);
        const { mark, esc } = markOf(r.escalation);
        const before = this.marks.get(r.id) ?? null;
        if (mark) this.marks.set(r.id, mark);
        else this.marks.delete(r.id);
        const kind = notifiesOnChange(before, mark);
        const key = `${r.id}:${mark}`;
        if (!mark || this.announced.has(key)) continue;
        this.announced.add(key);
        if (!kind || r.status !== 'open') continue;
        const subject = esc?.emailConversationId ? repo.subjectOf(db, esc.emailConversationId) : null;
        fresh[kind].push(escalationText(kind, r, esc, subject));
      }
    }
    for (const id of ids) if (!seen.has(id)) this.marks.delete(id); // removed
    const badge = repo.openEscalatedCount(db);
    if (badge !== this.badge) {
      this.badge = badge;
      this.ctx.events.emit('notify.badge', { escalated: badge });
    }
    if (!fresh.escalated.length && !fresh.likely.length) return;
    const settings = getSettings(db).notifications;
    if (inQuietHours(settings.quietHours, this.ctx.now())) return;
    for (const kind of ['escalated', 'likely'] as const) if (settings[kind]) this.show(kind, fresh[kind]);
  }

  private show(kind: NotifyKind, list: Shown[]): Shown[] {
    const out = coalesce(kind, list);
    for (const n of out) {
      this.ctx.log.debug('notification', { service: 'notify', kind: n.kind, conversationId: n.conversationId, of: list.length });
      this.ctx.events.emit('notify.show', n);
    }
    return out;
  }

  /** A failure is logged once with its context; the next change or tick tries again. */
  private run(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (this.ctx.db.open && !this.stopped) this.ctx.log.error('notifier failed', { service: 'notify', err });
    }
  }
}
