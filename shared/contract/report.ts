// The canary report (issue 14 item 3): response times, escalations and the touchpoints whose
// unanswered mail went public, over a date range. Merged into `schemas` (schemas.ts) and `Results`
// (api.ts). Definitions (exact; tests compute them independently) are in electron/core/report/compute.ts
// and README.md; every time is UTC.
import { z } from 'zod';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a calendar date');

export const reportSchemas = {
  /** The report over conversations whose first customer message falls in [since, until] (UTC days, both inclusive). */
  'report.get': z
    .object({ since: day.optional(), until: day.optional() })
    .strict()
    .refine((a) => !a.since || !a.until || a.since <= a.until, 'since must not be after until'),
} as const;

/** Nearest-rank percentiles in milliseconds; null when there is no sample. */
export interface P50P90 {
  p50: number | null;
  p90: number | null;
}

export interface ReportTimesRow {
  /** Monday (UTC) of the week, YYYY-MM-DD. */
  week: string;
  dimension: 'all' | 'channel' | 'account' | 'tag';
  key: string;
  conversations: number;
  answered: number;
  first_reply_ms: P50P90;
  resolved: number;
  resolution_ms: P50P90;
}

export interface ReportCountRow {
  key: string;
  /** Escalations (unanswered mail that went public) at this touchpoint. */
  escalations: number;
}

/** First replies against the first-reply goal in force (electron/core/report/goals.ts). */
export interface ReportGoals {
  /** Answered within the goal. */
  met: number;
  /** Answered after the goal, or open and unanswered past it. */
  missed: number;
  /** Unanswered and still within the goal, or waiting/snoozed (clock paused). */
  pending: number;
  /** met / (met + missed) in %, one decimal; null when none was decided. */
  met_pct: number | null;
}

export interface ReportView {
  since: string | null;
  until: string | null;
  /** Conversations with a customer message whose first customer message is in the range. */
  conversations: number;
  answered: number;
  first_reply_ms: P50P90;
  resolution_ms: P50P90;
  goals: ReportGoals;
  goals_per_week: ({ week: string } & ReportGoals)[];
  /** X conversations marked escalated or likely whose first customer post is in the range. */
  escalations: number;
  /** Those whose escalation followed an unanswered email (escalation.after = 'unanswered'; without `after`, a thread and a wait named). */
  unanswered_escalations: number;
  /** From the customer's last email before the post to the post, over the unanswered escalations. */
  escalation_wait_ms: P50P90;
  escalations_per_week: { week: string; escalations: number; unanswered: number }[];
  escalation_wait_buckets: { bucket: string; escalations: number }[];
  times_per_week: ReportTimesRow[];
  /** The touchpoints whose unanswered mail later went public (each unanswered escalation's email conversation). */
  failed: {
    accounts: ReportCountRow[];
    tags: ReportCountRow[];
    subject_words: ReportCountRow[];
    reference_kinds: ReportCountRow[];
    hours: { hour: number; escalations: number }[];
    weekdays: { weekday: string; escalations: number }[];
  };
  /** Customer messages after the first one and before the business's first answer (all of them when unanswered). */
  follow_ups: { follow_ups: string; answered: number; unanswered: number; escalated: number }[];
}

export interface ReportResults {
  'report.get': ReportView;
}
