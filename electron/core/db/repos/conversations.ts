import type { DB } from '../open';
import { prep, prepareRead, type ReadDB } from '../stmt';
import type { Channel, ConversationStatus, ConversationSummary, Escalation, Kind, LinkState, Page } from '../../../../shared/domain/types';
import type { ConversationFilter } from '../../../../shared/contract/schemas';
import type { ConversationCounts } from '../../../../shared/contract/api';
import { parseJson } from '../json';

interface SummaryRow {
  id: number;
  channel: Channel;
  kind: Kind;
  account_id: number | null;
  customer_id: number | null;
  customer_name: string | null;
  customer_address: string | null;
  subject: string;
  snippet: string;
  status: ConversationStatus;
  priority: number;
  snooze_until: number | null;
  last_inbound_at: number | null;
  last_outbound_at: number | null;
  last_message_at: number;
  message_count: number;
  unread: number;
  escalated: number;
  escalation: string | null;
  link_state: LinkState | null;
  tags: string;
}

const SUMMARY_COLUMNS = `
  c.id, c.channel, c.kind, c.account_id, c.customer_id, cu.display_name AS customer_name,
  (SELECT coalesce(i.address, '@' || i.handle) FROM identities i WHERE i.customer_id = c.customer_id
     ORDER BY (i.kind = c.channel) DESC, i.id LIMIT 1) AS customer_address,
  c.subject, c.snippet, c.status, c.priority, c.snooze_until, c.last_inbound_at, c.last_outbound_at,
  c.last_message_at, c.message_count, c.unread, c.escalated, c.escalation, c.tags,
  (SELECT l.state FROM links l JOIN identities li ON li.id = l.identity_id
     WHERE li.customer_id = c.customer_id AND l.state IN ('confirmed', 'linked', 'suggested')
     ORDER BY CASE l.state WHEN 'confirmed' THEN 0 WHEN 'linked' THEN 1 ELSE 2 END LIMIT 1) AS link_state
`;

function rowToSummary(r: SummaryRow): ConversationSummary {
  return {
    id: r.id,
    channel: r.channel,
    kind: r.kind,
    accountId: r.account_id,
    customerId: r.customer_id,
    customerName: r.customer_name ?? '',
    customerAddress: r.customer_address ?? '',
    subject: r.subject,
    snippet: r.snippet,
    status: r.status,
    priority: r.priority,
    snoozeUntil: r.snooze_until,
    lastInboundAt: r.last_inbound_at,
    lastOutboundAt: r.last_outbound_at,
    lastMessageAt: r.last_message_at,
    messageCount: r.message_count,
    unread: r.unread === 1,
    escalated: r.escalated === 1,
    escalation: parseJson<Escalation | null>(r.escalation, null),
    linkState: r.link_state,
    tags: parseJson<string[]>(r.tags, []),
  };
}

function whereClause(
  filter: ConversationFilter | undefined,
  defaultStatus: ConversationStatus | 'all',
): {
  sql: string;
  params: unknown[];
} {
  const parts: string[] = [];
  const params: unknown[] = [];
  const status = filter?.status ?? defaultStatus;
  if (status !== 'all') {
    parts.push('c.status = ?');
    params.push(status);
  }
  if (filter?.channel) {
    parts.push('c.channel = ?');
    params.push(filter.channel);
  }
  if (filter?.kind) {
    parts.push('c.kind = ?');
    params.push(filter.kind);
  }
  if (filter?.escalated !== undefined) {
    parts.push('c.escalated = ?');
    params.push(filter.escalated ? 1 : 0);
  }
  if (filter?.escalation) {
    parts.push('c.escalation_rank = ?'); // 0320
    params.push(ESCALATION_RANK[filter.escalation]);
  }
  if (filter?.accountId) {
    parts.push('c.account_id = ?');
    params.push(filter.accountId);
  }
  if (filter?.customerId) {
    parts.push('c.customer_id = ?');
    params.push(filter.customerId);
  }
  if (filter?.tag) {
    parts.push('c.id IN (SELECT conversation_id FROM conversation_tags WHERE tag = ?)'); // indexed, case-insensitive (0304)
    params.push(filter.tag);
  }
  if (filter?.assignee !== undefined) {
    // Team mode's assignee (0380): the handler has put this copy's own value for 'me'.
    parts.push(filter.assignee === null ? 'c.assignee IS NULL' : 'c.assignee = ?');
    if (filter.assignee !== null) params.push(filter.assignee);
  }
  if (filter?.ids) {
    parts.push('c.id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(filter.ids));
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** escalation_rank (migration 0320) of each escalation mark. */
const ESCALATION_RANK = { escalated: 3, likely: 2, public_complaint: 1 } as const;

/**
 * The queue order: escalated, then likely escalations, then public complaints (escalation_rank),
 * then priority, then whoever has waited longest for an answer. One index (conversations_queue_order).
 */
const QUEUE_ORDER = `ORDER BY c.escalation_rank DESC, c.priority DESC,
  (c.last_inbound_at IS NOT NULL AND (c.last_outbound_at IS NULL OR c.last_outbound_at < c.last_inbound_at)) DESC,
  c.last_inbound_at ASC, c.id ASC`;

export function listConversations(db: ReadDB, args: { filter?: ConversationFilter; offset: number; limit: number }): Page<ConversationSummary> {
  const w = whereClause(args.filter, 'open');
  const total = (prepareRead(db, `SELECT count(*) AS n FROM conversations c ${w.sql}`).get(...w.params) as { n: number }).n;
  // Pick the page's ids first (an index walk on conversations_queue_order), then compute the summary
  // columns, whose subqueries would otherwise run for every matching row before the sort.
  const rows = prepareRead(
    db,
    `SELECT ${SUMMARY_COLUMNS} FROM (SELECT c.id AS pid FROM conversations c ${w.sql} ${QUEUE_ORDER} LIMIT ? OFFSET ?) page
       JOIN conversations c ON c.id = page.pid LEFT JOIN customers cu ON cu.id = c.customer_id
       ${QUEUE_ORDER}`,
  ).all(...w.params, args.limit, args.offset) as SummaryRow[];
  return { items: rows.map(rowToSummary), total };
}

export function getConversationSummary(db: ReadDB, id: number): ConversationSummary | null {
  const r = prepareRead(db, `SELECT ${SUMMARY_COLUMNS} FROM conversations c LEFT JOIN customers cu ON cu.id = c.customer_id WHERE c.id = ?`).get(id) as SummaryRow | undefined;
  return r ? rowToSummary(r) : null;
}

export function countConversations(db: ReadDB, filter?: ConversationFilter): ConversationCounts {
  const { status: _ignored, ...rest } = filter ?? {};
  const w = whereClause(rest, 'all');
  // One GROUP BY over the narrow conversations_counts index, summed here.
  const groups = prepareRead(db, `SELECT c.status, c.channel, c.escalated, count(*) AS n FROM conversations c ${w.sql} GROUP BY 1, 2, 3`).all(...w.params) as {
    status: ConversationStatus;
    channel: string;
    escalated: number;
    n: number;
  }[];
  const counts: ConversationCounts = { all: 0, open: 0, waiting: 0, snoozed: 0, done: 0, escalated: 0, email: 0, x: 0 };
  for (const g of groups) {
    counts.all += g.n;
    counts[g.status] += g.n;
    if (g.status !== 'open') continue;
    if (g.escalated === 1) counts.escalated += g.n;
    if (g.channel === 'email') counts.email += g.n;
    else if (g.channel === 'x') counts.x += g.n;
  }
  return counts;
}

/**
 * Team mode's view counts: open conversations assigned to `me`, and to nobody (`open`, the open count
 * under the same filter, less those assigned to anyone). Both read 0380's partial index: the assigned few.
 */
export function countAssigned(db: ReadDB, filter: ConversationFilter | undefined, me: string, open: number): { mine: number; unassigned: number } {
  const { status: _s, assignee: _a, ...rest } = filter ?? {};
  const w = whereClause({ ...rest, status: 'open' }, 'open');
  const r = prepareRead(
    db,
    `SELECT count(*) AS assigned, count(CASE WHEN c.assignee = ? THEN 1 END) AS mine FROM conversations c INDEXED BY conversations_assignee ${w.sql} AND c.assignee IS NOT NULL`,
  ).get(me, ...w.params) as {
    assigned: number;
    mine: number;
  };
  return { mine: r.mine, unassigned: open - r.assigned };
}

export function setStatus(db: DB, args: { ids: number[]; status: ConversationStatus; snoozeUntil?: number | null; now?: number }): number {
  const now = args.now ?? Date.now();
  const snooze = args.status === 'snoozed' ? (args.snoozeUntil ?? null) : null;
  const stmt = db.prepare('UPDATE conversations SET status = ?, snooze_until = ?, updated_at = ? WHERE id = ?');
  let n = 0;
  db.transaction(() => {
    for (const id of args.ids) n += stmt.run(args.status, snooze, now, id).changes;
  })();
  return n;
}

export function setPriority(db: DB, args: { ids: number[]; priority: number; now?: number }): number {
  const now = args.now ?? Date.now();
  const stmt = db.prepare('UPDATE conversations SET priority = ?, updated_at = ? WHERE id = ?');
  let n = 0;
  db.transaction(() => {
    for (const id of args.ids) n += stmt.run(args.priority, now, id).changes;
  })();
  return n;
}

/** Snoozed conversations whose time has come go back to open; returns their ids. */
export function wakeSnoozed(db: DB, now = Date.now()): number[] {
  const rows = db.prepare("UPDATE conversations SET status = 'open', snooze_until = NULL, updated_at = ? WHERE status = 'snoozed' AND snooze_until <= ? RETURNING id").all(now, now) as {
    id: number;
  }[];
  return rows.map((r) => r.id);
}

/**
 * Find or create the conversation a message belongs to. Channels call this with their own thread key.
 */
export function ensureConversation(
  db: DB,
  input: {
    channel: Channel;
    kind: Kind;
    externalId: string;
    accountId?: number | null;
    customerId?: number | null;
    subject?: string;
    now?: number;
  },
): number {
  const now = input.now ?? Date.now();
  const found = db.prepare('SELECT id, customer_id FROM conversations WHERE kind = ? AND external_id = ?').get(input.kind, input.externalId) as { id: number; customer_id: number | null } | undefined;
  if (found) {
    if (found.customer_id == null && input.customerId) {
      db.prepare('UPDATE conversations SET customer_id = ? WHERE id = ?').run(input.customerId, found.id);
    }
    return found.id;
  }
  return Number(
    db
      .prepare(
        `INSERT INTO conversations (account_id, channel, kind, external_id, customer_id, subject, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(input.accountId ?? null, input.channel, input.kind, input.externalId, input.customerId ?? null, input.subject ?? '', now, now).lastInsertRowid,
  );
}

/** Recompute a conversation's aggregates (times, counts, snippet, subject) from its messages. */
export function refreshConversation(db: DB, id: number): void {
  prep(
    db,
    `UPDATE conversations SET
       message_count = (SELECT count(*) FROM messages WHERE conversation_id = @id),
       last_message_at = coalesce((SELECT max(sent_at) FROM messages WHERE conversation_id = @id), 0),
       last_inbound_at = (SELECT max(sent_at) FROM messages WHERE conversation_id = @id AND direction = 'in'),
       last_outbound_at = (SELECT max(sent_at) FROM messages WHERE conversation_id = @id AND direction = 'out'),
       snippet = coalesce((SELECT substr(replace(replace(body_text, char(13), ''), char(10), ' '), 1, 200)
                  FROM messages WHERE conversation_id = @id ORDER BY sent_at DESC, id DESC LIMIT 1), ''),
       subject = CASE WHEN subject = '' THEN coalesce((SELECT subject FROM messages WHERE conversation_id = @id
                  ORDER BY sent_at, id LIMIT 1), '') ELSE subject END
     WHERE id = @id`,
  ).run({ id });
}
