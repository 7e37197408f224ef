// What `z` undoes in the queue: the last 50 triage changes (each conversation's status, snooze and
// priority before it) and actions done elsewhere that registered how to put them back (a link
// decision). queue.ts applies and reconciles the changes; this keeps and reverts them.
import type { CoreClient } from '../../../shared/rpc/client';
import type { ConversationStatus, ConversationSummary } from '../../../shared/domain/types';

export interface UndoEntry {
  label: string;
  before: { id: number; status: ConversationStatus; snoozeUntil: number | null; priority: number }[];
  /** For actions outside the queue (a link decision): how to put it back. */
  revert?: () => Promise<unknown>;
}

const KEPT = 50;

export class UndoHistory {
  private readonly entries: UndoEntry[] = [];

  /** Remember the conversations' state before a change labelled `label`. */
  remember(label: string, targets: readonly ConversationSummary[]): void {
    this.push({ label, before: targets.map((c) => ({ id: c.id, status: c.status, snoozeUntil: c.snoozeUntil, priority: c.priority })) });
  }

  push(entry: UndoEntry): void {
    this.entries.push(entry);
    if (this.entries.length > KEPT) this.entries.shift();
  }

  /** The last entry, taken off (the change it remembers failed, or is being undone). */
  pop(): UndoEntry | undefined {
    return this.entries.pop();
  }
}

/** Put the conversations of an entry back as they were: one call per status (and snooze) and per priority. */
export async function revertChanges(client: CoreClient, before: UndoEntry['before']): Promise<void> {
  const byStatus = new Map<string, { status: ConversationStatus; snoozeUntil: number | null; ids: number[] }>();
  const byPriority = new Map<number, number[]>();
  for (const b of before) {
    const key = `${b.status}:${b.snoozeUntil ?? ''}`;
    const g = byStatus.get(key) ?? { status: b.status, snoozeUntil: b.snoozeUntil, ids: [] };
    g.ids.push(b.id);
    byStatus.set(key, g);
    byPriority.set(b.priority, [...(byPriority.get(b.priority) ?? []), b.id]);
  }
  for (const g of byStatus.values()) {
    await client.call('conversations.setStatus', { ids: g.ids, status: g.status, ...(g.status === 'snoozed' ? { snoozeUntil: g.snoozeUntil } : {}) });
  }
  for (const [priority, ids] of byPriority) await client.call('conversations.setPriority', { ids, priority });
}
