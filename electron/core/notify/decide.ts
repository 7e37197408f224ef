// What deserves a desktop notification, as pure functions (the service, service.ts, reads the
// database and the clock): a conversation whose escalation mark newly becomes escalated or likely,
// an at-risk conversation whose reply goal passes; quiet hours; the words shown. A notification
// says who and a subject or a short reason, never a message's text.
import type { Escalation, EscalationState } from '../../../shared/domain/types';
import type { GoalState } from '../../../shared/contract/goals';
import type { NotifyKind, QuietHours } from '../../../shared/contract/settings';
import { zoneOffset } from '../goals/hours';
import { humanDuration, quote as cut } from '../linking/text';

/** The mark a conversation carries, as the notifier follows it: escalated, likely, or nothing worth one. */
export type Mark = 'escalated' | 'likely' | null;

const DAY_MS = 86_400_000;

/** The mark in conversations.escalation (JSON); a mark without a state is escalated (older marks, by hand). */
export function markOf(escalation: string | null): { mark: Mark; esc: Escalation | null } {
  if (escalation === null) return { mark: null, esc: null };
  try {
    const esc = JSON.parse(escalation) as Escalation;
    const state: EscalationState = esc.state ?? 'escalated';
    return { mark: state === 'escalated' || state === 'likely' ? state : null, esc };
  } catch {
    return { mark: null, esc: null };
  }
}

/**
 * Whether a change of mark deserves a notification: a conversation becoming escalated or likely
 * from nothing (or a public complaint). Likely → escalated is the owner's confirmation (or a
 * stronger link) of what was already shown, and a downgrade is no news.
 */
export function notifiesOnChange(before: Mark, after: Mark): 'escalated' | 'likely' | null {
  if (after === null || before !== null) return null;
  return after;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** Whether `now` falls in the quiet hours (wall clock in their time zone; from 22:00 to 07:00 spans midnight). */
export function inQuietHours(q: QuietHours | null, now: number): boolean {
  if (!q) return false;
  const local = (((now + zoneOffset(q.timeZone, now)) % DAY_MS) + DAY_MS) % DAY_MS;
  const t = Math.floor(local / 60_000);
  const from = minutesOf(q.from);
  const to = minutesOf(q.to);
  return from < to ? t >= from && t < to : t >= from || t < to;
}

/**
 * Whether a goal passed in (since, now]: the due moment crossed while the notifier watched (so a
 * restart, or goals made stricter, do not announce conversations already overdue).
 */
export function crossedGoal(goal: GoalState | null, since: number, now: number): boolean {
  return goal !== null && goal.dueAt !== null && goal.dueAt > since && goal.dueAt <= now;
}

export interface Shown {
  kind: NotifyKind;
  conversationId: number;
  title: string;
  body: string;
}

/** The words of an escalation's notification: who, and the email thread it follows (its subject and the wait). */
export function escalationText(kind: 'escalated' | 'likely', c: { id: number; customerName: string | null }, esc: Escalation | null, emailSubject: string | null): Shown {
  const name = kind === 'likely' && esc?.suggested ? esc.suggested.name || esc.suggested.email : (c.customerName ?? 'A customer');
  const title = kind === 'likely' ? `Likely escalation: ${cut(name, 60)}?` : `Escalated: ${cut(name, 60)}`;
  const waited = esc?.waitedMs != null ? `${humanDuration(esc.waitedMs)} after` : 'after';
  const thread = emailSubject ? ` '${cut(emailSubject)}'` : '';
  const body =
    esc?.after === 'answered'
      ? `Still unhappy on X after your answer to their email${thread}`
      : `Complained on X ${waited} their email${thread}${esc?.after === 'unanswered' ? ', still unanswered' : ''}`;
  return { kind, conversationId: c.id, title, body };
}

/** The words of a goal passed: who, the subject (email) or the channel, and the goal. */
export function overdueText(c: { conversationId: number; channel: 'email' | 'x'; subject: string; customerName: string | null; risk: number }, goal: GoalState): Shown {
  const what = c.channel === 'email' && c.subject.trim() ? `'${cut(c.subject)}'` : 'Their message on X';
  return {
    kind: 'overdue',
    conversationId: c.conversationId,
    title: `Overdue: ${cut(c.customerName ?? 'a customer', 60)} (risk ${c.risk})`,
    body: `${what} passed its ${goal.kind === 'first' ? 'first-reply' : 'next-reply'} goal of ${humanDuration(goal.goalMs)}`,
  };
}

/** More than this many at once (a first sync, a night's overdue mail) make one notification naming the first. */
export const MAX_AT_ONCE = 3;

/** At most MAX_AT_ONCE notifications of one kind; beyond, one that counts them and opens the first. */
export function coalesce(kind: NotifyKind, list: Shown[]): Shown[] {
  if (list.length <= MAX_AT_ONCE) return list;
  const first = list[0]!;
  const what = kind === 'overdue' ? 'conversations passed their reply goal' : kind === 'likely' ? 'likely escalations' : 'new escalations';
  return [{ kind, conversationId: first.conversationId, title: `${list.length} ${what}`, body: `${first.title}: ${first.body}` }];
}
