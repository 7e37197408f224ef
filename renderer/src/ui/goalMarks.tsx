// Response goal and risk marks: "due in 2 h" / "overdue 5 h" on queue rows, the risk score with its
// reasons, and the words for where a goal comes from and why its clock is paused.
import type { GoalSource, GoalState, RiskItem } from '../../../shared/contract/goals';
import { IconAlertTriangle, IconPause } from './icons';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/**
 * "40 min", "5 h", "3 days" ("3 d" when compact, for queue rows): rounded as the core words its
 * reasons (humanDuration in electron/core/linking/text.ts).
 */
export function goalDuration(ms: number, compact = false): string {
  const h = Math.max(0, ms) / HOUR;
  if (h < 1) return `${Math.max(1, Math.round(ms / MIN))} min`;
  if (h < 48) return `${Math.round(h)} h`;
  return `${Math.round(h / 24)}${compact ? ' d' : ' days'}`;
}

/** A factor's points with their sign: "+30", "−3.9". */
export function signedPoints(p: number): string {
  return p < 0 ? `−${-p}` : `+${p}`;
}

/** A goal length as the owner set it: "4 h", "90 min", "2 d 6 h". */
export function goalLength(ms: number): string {
  const d = Math.floor(ms / DAY);
  const h = Math.floor((ms % DAY) / HOUR);
  const m = Math.round((ms % HOUR) / MIN);
  const parts = [d ? `${d} d` : '', h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean);
  return parts.join(' ') || '0 min';
}

/** "overdue 5 h" or "due in 2 h". */
export function dueText(g: GoalState, compact = false): string {
  return g.overdueMs > 0 ? `overdue ${goalDuration(g.overdueMs, compact)}` : `due in ${goalDuration(-g.overdueMs, compact)}`;
}

export const SOURCE_TEXT: Record<GoalSource, string> = {
  set: 'your goal',
  history: 'from your history',
  default: 'the default: nothing answered yet',
  account: "this account's goal",
  tag: "a tag's goal",
};

export const PAUSE_TEXT: Record<NonNullable<GoalState['paused']>, string> = {
  waiting: 'waiting on the customer',
  snoozed: 'snoozed',
  closed: 'outside business hours',
};

export function goalName(g: Pick<GoalState, 'kind'>): string {
  return g.kind === 'first' ? 'First-reply goal' : 'Next-reply goal';
}

/** The queue row's goal mark: overdue in a warning colour, due in grey, paused for waiting and snoozed. */
export function GoalMark({ g }: { g: GoalState }) {
  const held = g.paused === 'waiting' || g.paused === 'snoozed';
  const text = held ? 'paused' : dueText(g, true);
  const state = held ? 'paused' : g.overdueMs > 0 ? 'overdue' : 'due';
  const title =
    `${goalName(g)} ${goalLength(g.goalMs)} (${SOURCE_TEXT[g.source]}): ${held ? `${dueText(g)} when the clock runs again` : dueText(g)}` + (g.paused ? `; clock paused: ${PAUSE_TEXT[g.paused]}` : '');
  return (
    // A native title, not a Tooltip: rows re-render on every j/k and mount while scrolling.
    <span className={`qrow-goal goal-${state}`} title={title} data-testid="goal-mark" data-state={state}>
      {text}
      {g.paused === 'closed' ? <IconPause size={10} className="goal-pause" title="clock paused outside business hours" /> : null}
    </span>
  );
}

/** The queue row's risk mark, its reasons as the title. */
export function RiskMark({ r }: { r: RiskItem }) {
  const title = `At risk of going public: ${r.risk} of 100\n${r.factors.map((f) => `${signedPoints(f.points)} ${f.reason}`).join('\n')}`;
  return (
    <span className="qrow-risk" title={title} data-testid="risk-mark" data-risk={r.risk}>
      <IconAlertTriangle size={12} /> Risk {Math.round(r.risk)}
    </span>
  );
}
