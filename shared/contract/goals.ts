// Response goals (first reply, next reply) with business hours, and the at-risk list: which
// conversations waiting on the business may go public, with their reasons (electron/core/goals,
// electron/core/risk).
import { z } from 'zod';

const id = z.number().int().positive();
const HOUR = 3_600_000;
/** A goal: 1 minute to 90 days. */
const goalMs = z
  .number()
  .int()
  .min(60_000)
  .max(90 * 24 * HOUR);
/** A time of day, HH:MM (24:00 ends a day). */
export const hhmm = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time is HH:MM (00:00-24:00)');
const openDay = z
  .object({ start: hhmm, end: hhmm })
  .strict()
  .refine((d) => d.start < d.end, 'a day opens before it closes');

/** Whether this runtime knows the IANA time zone. */
export function validZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const businessHoursSchema = z
  .object({
    /** IANA time zone, e.g. Europe/Paris. */
    timeZone: z.string().max(64).refine(validZone, 'not a time zone (IANA name such as Europe/Paris)'),
    /** Seven entries, Sunday first: the hours open that day, or null when closed. */
    week: z
      .array(openDay.nullable())
      .length(7)
      .refine((w) => w.some((d) => d !== null), 'open on at least one day'),
    /** Days off (holidays), YYYY-MM-DD in the time zone. */
    daysOff: z
      .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day off is YYYY-MM-DD'))
      .max(400)
      .default([]),
  })
  .strict();

export const goalOverrideSchema = z
  .object({
    accountId: id.optional(),
    tag: z.string().trim().min(1).max(50).optional(),
    firstReplyMs: goalMs.optional(),
    nextReplyMs: goalMs.optional(),
  })
  .strict()
  .refine((o) => (o.accountId === undefined) !== (o.tag === undefined), 'an override is for one account or one tag')
  .refine((o) => o.firstReplyMs !== undefined || o.nextReplyMs !== undefined, 'an override sets a first-reply or next-reply goal');

export const goalSchemas = {
  /** The stored goals and hours, and the goals in force (the business's history fills what is unset). */
  'goals.get': z.object({}).strict(),
  /** Change what is given (null clears a goal back to the history default, or the hours back to calendar time). */
  'goals.set': z
    .object({
      firstReplyMs: goalMs.nullable().optional(),
      nextReplyMs: goalMs.nullable().optional(),
      hours: businessHoursSchema.nullable().optional(),
      overrides: z.array(goalOverrideSchema).max(500).optional(),
    })
    .strict(),
  /** Each conversation's goal state (null when it is not waiting on the business). */
  'conversations.goals': z.object({ ids: z.array(id).min(1).max(1000) }).strict(),
  /** Conversations waiting on the business, riskiest first, with their reasons. */
  'risk.list': z.object({ limit: z.number().int().min(1).max(1000).default(50) }).strict(),
} as const;

export type BusinessHours = z.output<typeof businessHoursSchema>;
export type GoalOverride = z.output<typeof goalOverrideSchema>;

export interface GoalSettings {
  /** The owner's goals; null: the business's own history decides. */
  firstReplyMs: number | null;
  nextReplyMs: number | null;
  /** null: goals count calendar time. */
  hours: BusinessHours | null;
  overrides: GoalOverride[];
}

export interface GoalsView extends GoalSettings {
  /** The goals in force and where each comes from. */
  effective: { firstReplyMs: number; nextReplyMs: number; firstSource: GoalSource; nextSource: GoalSource };
  /** This business's reply times (email, the most recent answered conversations; business time when hours are set). */
  history: { firstReplies: number; firstReplyP50Ms: number | null; firstReplyP75Ms: number | null; nextReplies: number; nextReplyP75Ms: number | null };
}

export type GoalSource = 'set' | 'history' | 'default' | 'account' | 'tag';

export interface GoalState {
  conversationId: number;
  /** first: no reply yet in this conversation; next: the customer wrote again after a reply. */
  kind: 'first' | 'next';
  goalMs: number;
  source: GoalSource;
  /** The customer's oldest unanswered message. */
  since: number;
  /** Business time waited so far (calendar time without hours). */
  waitedMs: number;
  /** null while paused. */
  dueAt: number | null;
  /** > 0: overdue by; <= 0: due in -overdueMs. */
  overdueMs: number;
  /** Why the clock is not running now: waiting on the customer, snoozed, or outside business hours. */
  paused: 'waiting' | 'snoozed' | 'closed' | null;
}

/** The At risk view's bar (and the notifier's for a goal passing): a risk of 40 or more. */
export const AT_RISK = 40;

export interface RiskFactor {
  /** wait_goal, wait_usual, follow_ups, wording, x_account, reach, earlier_public */
  factor: string;
  points: number;
  /** The reason in words: "overdue 5 h (goal 4 h)", "third time they write". */
  reason: string;
}

export interface RiskItem {
  conversationId: number;
  channel: 'email' | 'x';
  subject: string;
  customerId: number | null;
  customerName: string | null;
  /** 0-100: the sum of the factors' points, at most 100. */
  risk: number;
  factors: RiskFactor[];
  goal: GoalState;
}

export interface GoalResults {
  'goals.get': GoalsView;
  'goals.set': GoalsView;
  'conversations.goals': { goals: (GoalState | null)[] };
  'risk.list': { items: RiskItem[]; waiting: number; now: number };
}
