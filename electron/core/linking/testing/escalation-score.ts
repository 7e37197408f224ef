// Scores `canary escalations --json` lines against a data set's truth.json as ../shared/score-escalations.mjs
// does: escalated + likely count as marked; public complaints do not.
import type { toEscalationLine } from '../escalation-view';

export interface EscalationTruth {
  x_user_id: string;
  conversation_id: string;
  /** The customer's last mail before the complaint had no answer. */
  unanswered: boolean;
}

export interface EscalationScore {
  /** Escalations in the truth. */
  escalations: number;
  marked: number;
  correct: number;
  precision: number;
  recall: number;
  /** Recall over the escalations that followed an unanswered mail. */
  recallUnanswered: number;
  unanswered: number;
  unansweredFound: number;
}

export function scoreEscalations(truth: EscalationTruth[], rows: ReturnType<typeof toEscalationLine>[], states: string[] = ['escalated', 'likely']): EscalationScore {
  const esc = new Map(truth.map((e) => [e.conversation_id, e]));
  const marked = new Set(rows.filter((r) => states.includes(r.state)).map((r) => String(r.x_conversation_id)));
  const correct = [...marked].filter((c) => esc.has(c)).length;
  const unanswered = truth.filter((e) => e.unanswered);
  const unansweredFound = unanswered.filter((e) => marked.has(e.conversation_id)).length;
  return {
    escalations: esc.size,
    marked: marked.size,
    correct,
    precision: marked.size ? correct / marked.size : 1,
    recall: esc.size ? correct / esc.size : 0,
    recallUnanswered: unanswered.length ? unansweredFound / unanswered.length : 0,
    unanswered: unanswered.length,
    unansweredFound,
  };
}
