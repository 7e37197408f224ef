// Reading escalation marks for the CLI and the contract (escalations.list).
import type { DB } from '../db/open';
import { parseJson } from '../db/json';
import type { EscalationRow } from '../../../shared/contract/links';
import type { EscalationState } from '../../../shared/domain/types';
import type { LinkEscalation } from './escalation';
import { q } from './stmt';
import { primaryEmailOf } from './view';

const RANK: Record<EscalationState, number> = { escalated: 3, likely: 2, public_complaint: 1 };

/** Marked X conversations (all marks, or one), in queue order: escalated, likely, public complaints, longest wait first. */
export function listEscalations(db: DB, state?: EscalationState): EscalationRow[] {
  const rows = q(
    db,
    `SELECT c.id, c.kind, c.external_id, c.customer_id, c.escalation, c.escalation_rank,
       (SELECT m.author_identity_id FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'in' AND m.author_identity_id IS NOT NULL ORDER BY m.sent_at LIMIT 1) AS identity_id
     FROM conversations c
     WHERE c.channel = 'x' AND c.escalation_rank ${state ? '= ?' : '> 0'}
     ORDER BY c.escalation_rank DESC, c.priority DESC, c.last_inbound_at, c.id`,
  ).all(...(state ? [RANK[state]] : [])) as {
    id: number;
    kind: 'tweet' | 'dm';
    external_id: string;
    customer_id: number | null;
    escalation: string | null;
    escalation_rank: number;
    identity_id: number | null;
  }[];
  const ident = q(db, "SELECT x_user_id, handle FROM identities WHERE id = ? AND kind = 'x'");
  const name = q(db, 'SELECT display_name FROM customers WHERE id = ?');
  return rows.map((r) => {
    const e = parseJson<Partial<LinkEscalation> | null>(r.escalation, null);
    const st: EscalationState = r.escalation_rank === 2 ? 'likely' : r.escalation_rank === 1 ? 'public_complaint' : 'escalated';
    const who = r.identity_id ? (ident.get(r.identity_id) as { x_user_id: string; handle: string | null } | undefined) : undefined;
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
      customerName: customerId ? ((name.get(customerId) as { display_name: string } | undefined)?.display_name ?? null) : null,
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
