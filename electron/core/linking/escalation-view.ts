// Reading escalation marks for the CLI and the contract (escalations.list).
import type { DB } from '../db/open';
import { parseJson } from '../db/json';
import type { EscalationRow } from '../../../shared/contract/links';
import type { EscalationState } from '../../../shared/domain/types';
import type { LinkEscalation } from './escalation';
import * as esc from '../db/repos/linking/escalations';
import { primaryEmailOf } from './view';

const RANK: Record<EscalationState, number> = { escalated: 3, likely: 2, public_complaint: 1 };

/** Marked X conversations (all marks, or one), in queue order: escalated, likely, public complaints, longest wait first. */
export function listEscalations(db: DB, state?: EscalationState): EscalationRow[] {
  const rows = esc.markedConversations(db, state ? RANK[state] : undefined);
  return rows.map((r) => {
    const e = parseJson<Partial<LinkEscalation> | null>(r.escalation, null);
    const st: EscalationState = r.escalation_rank === 2 ? 'likely' : r.escalation_rank === 1 ? 'public_complaint' : 'escalated';
    const who = r.identity_id ? esc.xHandleOf(db, r.identity_id) : undefined;
    const customerId = st === 'likely' ? (e?.suggested?.customerId ?? null) : st === 'escalated' ? r.customer_id : null;
    return {
      conversationId: r.id,
      xConversationId: r.external_id,
      kind: r.kind,
      identityId: r.identity_id ?? 0,
      xUserId: who?.x_user_id ?? '',
      xUsername: who?.handle ?? null,
      state: st,
      customerEmail: customerId ? primaryEmailOf(db, customerId) || null : null,
      customerName: customerId ? (esc.customerName(db, customerId) ?? null) : null,
      reason: e?.reason ?? '',
      waitedMs: e?.waitedMs ?? null,
      linkId: st === 'likely' ? (e?.suggested?.linkId ?? null) : null,
    };
  });
}

/** One line of `canary escalations --json`. */
export function toEscalationLine(r: EscalationRow): {
  x_conversation_id: string;
  x_user_id: string;
  x_username: string | null;
  state: EscalationState;
  customer_email: string | null;
  reason: string;
  waited_ms: number | null;
} {
  return {
    x_conversation_id: r.xConversationId,
    x_user_id: r.xUserId,
    x_username: r.xUsername,
    state: r.state,
    customer_email: r.customerEmail,
    reason: r.reason,
    waited_ms: r.waitedMs,
  };
}
