// Splitting email conversations that threading joined without headers saying so: when the
// business's own address was not known, the subject fallback could join different customers'
// mail that shared a subject ("Help please") through that address. `splitConversation` rebuilds
// one conversation's threads from its messages alone, with the rules email/thread.ts applies to
// new mail (headers join; without headers, the same subject and a shared customer-side party; an
// original never joins a thread that already holds an original), and moves every thread but the
// first to a conversation of its own, copying the conversation's state and tags; the outbox rows
// follow the message they answer. `reindexSubjects` rebuilds the subject index of conversations on
// the customer side (subjectParties).
import type { DB } from '../db/open';
import * as threading from '../db/repos/email/threading';
import { parseJson } from '../db/json';
import { bareAddress } from './self-learn';
import { isReplySubject, normalizeSubject, referenceChain, SUBJECT_WINDOW_MS, subjectParties } from './thread';
import { indexSubject } from './thread-store';

interface Msg {
  id: number;
  messageId: string;
  chain: string[];
  key: string;
  reply: boolean;
  parties: string[];
  at: number;
}

function readMessages(db: DB, conversationId: number, self: ReadonlySet<string>): Msg[] {
  const rows = threading.emailThreadRows(db, conversationId);
  return rows.map((r) => {
    const rc = parseJson<{ to?: string[]; cc?: string[] }>(r.recipients, {});
    return {
      id: r.id,
      messageId: r.external_id,
      chain: referenceChain({ messageId: r.external_id, inReplyTo: r.in_reply_to, references: parseJson<string[]>(r.refs, []) }),
      key: normalizeSubject(r.subject),
      reply: isReplySubject(r.subject),
      // Mail stored as the business's (outbound) counts as such whatever its sender's address.
      parties: subjectParties(r.direction === 'out' ? null : r.author_address ? r.author_address.toLowerCase() : null, (rc.to ?? []).map(bareAddress), (rc.cc ?? []).map(bareAddress), self),
      at: r.sent_at,
    };
  });
}

/** The threads of a set of messages (indices into `msgs`, oldest message first in each), by the rules of thread.ts. */
export function threadsOf(msgs: readonly Msg[]): number[][] {
  const parent = msgs.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  // Headers: messages that name the same Message-ID (their own or one they reference) are one thread.
  const byId = new Map<string, number>();
  msgs.forEach((m, i) => {
    for (const id of [...m.chain, m.messageId]) {
      const j = byId.get(id);
      if (j === undefined) byId.set(id, i);
      else union(i, j);
    }
  });
  // Without headers: in time order, a message joins the latest thread with its subject and a shared party.
  const hasOriginal = new Map<number, boolean>();
  const header = msgs.map((m) => m.chain.length > 0);
  msgs.forEach((m, i) => {
    if (!m.reply) hasOriginal.set(find(i), true);
  });
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i]!;
    if (header[i] || !m.key || !m.parties.length) continue;
    for (let j = i - 1; j >= 0; j--) {
      const o = msgs[j]!;
      if (find(j) === find(i) || o.key !== m.key || m.at - o.at > SUBJECT_WINDOW_MS) continue;
      if (!o.parties.some((p) => m.parties.includes(p))) continue;
      // An original starts its own thread unless its thread so far is made of replies only.
      if (!m.reply && (hasOriginal.get(find(j)) ?? false)) continue;
      const both = (hasOriginal.get(find(i)) ?? false) || (hasOriginal.get(find(j)) ?? false);
      union(i, j);
      hasOriginal.set(find(i), both);
      break;
    }
  }
  const groups = new Map<number, number[]>();
  msgs.forEach((_, i) => {
    const r = find(i);
    const g = groups.get(r) ?? [];
    g.push(i);
    groups.set(r, g);
  });
  return [...groups.values()].sort((a, b) => a[0]! - b[0]!);
}

/**
 * Threads that share a customer-side party stay together: a repair undoes joins between different
 * customers only, never what one customer's mail made one conversation (a second request on the
 * same subject, a conversation an importer built).
 */
function byCustomer(msgs: readonly Msg[], threads: number[][]): number[][] {
  const parent = threads.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const owner = new Map<string, number>();
  threads.forEach((t, i) => {
    for (const m of t) {
      for (const p of msgs[m]!.parties) {
        const j = owner.get(p);
        if (j === undefined) owner.set(p, i);
        else parent[Math.max(find(i), find(j))] = Math.min(find(i), find(j));
      }
    }
  });
  // A thread with no customer-side party at all (mail the business wrote to nobody else) stays
  // with the first thread.
  threads.forEach((t, i) => {
    if (t.every((m) => !msgs[m]!.parties.length)) parent[find(i)] = find(0);
  });
  const groups = new Map<number, number[]>();
  threads.forEach((t, i) => {
    const r = find(i);
    groups.set(r, [...(groups.get(r) ?? []), ...t]);
  });
  return [...groups.values()].map((g) => g.sort((a, b) => a - b)).sort((a, b) => a[0]! - b[0]!);
}

/**
 * Split one email conversation into its threads (those of different customers). The thread holding the conversation's root stays
 * (or the oldest one); every other becomes a new conversation with the same account, status,
 * priority, snooze, unread mark and tags. Returns the new conversations' ids.
 */
export function splitConversation(db: DB, conversationId: number, self: ReadonlySet<string>, now: number): number[] {
  const msgs = readMessages(db, conversationId, self);
  if (msgs.length < 2) return [];
  const threads = byCustomer(msgs, threadsOf(msgs));
  if (threads.length < 2) return [];
  const root = threading.conversationRoot(db, conversationId);
  if (root === undefined) return [];
  const keepAt = Math.max(
    0,
    threads.findIndex((t) => t.some((i) => msgs[i]!.messageId === root || msgs[i]!.chain[0] === root)),
  );
  const created: number[] = [];
  const taken = (ext: string): boolean => threading.emailConversationByRoot(db, ext) !== undefined;
  const outbox = threading.emailOutboxOf(db, conversationId);
  threads.forEach((t, k) => {
    if (k === keepAt) return;
    const first = msgs[t[0]!]!;
    let ext = first.chain[0] ?? first.messageId;
    if (taken(ext)) ext = first.messageId;
    if (taken(ext)) ext = `${first.messageId}#split-${conversationId}`;
    const subject = threading.messageSubject(db, first.id);
    const id = threading.cloneConversation(db, conversationId, ext, subject, now);
    created.push(id);
    const ids = new Set<string>();
    for (const i of t) {
      const m = msgs[i]!;
      threading.moveMessage(db, m.id, id);
      for (const h of [...m.chain, m.messageId]) ids.add(h);
    }
    for (const h of ids) threading.moveRef(db, h, conversationId, id);
    for (const o of outbox) {
      const irt = parseJson<{ inReplyTo?: string | null }>(o.payload, {}).inReplyTo;
      if (irt && ids.has(irt)) threading.moveOutboxRow(db, o.id, id, now);
    }
  });
  return created;
}

/** Rebuild the subject index of conversations from their messages, on the customer side only. */
export function reindexSubjects(db: DB, conversationIds: Iterable<number>, self: ReadonlySet<string>): void {
  for (const id of conversationIds) {
    threading.clearSubjectIndex(db, id);
    for (const m of readMessages(db, id, self)) if (m.key && m.parties.length) indexSubject(db, m.key, m.parties, id, m.at);
  }
}
