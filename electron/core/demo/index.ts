// Load the demo business into an empty workspace.
import type { DB } from '../db/open';
import { AppError } from '../../../shared/contract/errors';
import { generateDemo, type DemoOptions } from './generate';
import { seedWorkspace } from './seed';
import { conversationTotal } from '../db/repos/demo';

export interface DemoSummary {
  customers: number;
  conversations: number;
  messages: number;
  links: number;
  escalations: number;
  conversationIds: number[];
}

export function loadDemo(db: DB, opts: DemoOptions = {}): DemoSummary {
  const existing = conversationTotal(db);
  if (existing > 0) {
    throw new AppError(
      'conflict',
      `The demo only fills an empty workspace; this one already holds ${existing} conversation${existing === 1 ? '' : 's'}. Start Canary with a new data folder (or --db FILE) to try it.`,
    );
  }
  const ws = generateDemo(opts);
  const r = seedWorkspace(db, ws, opts.now ?? Date.now());
  return {
    customers: ws.people.length,
    conversations: r.conversations.size,
    messages: r.messages,
    links: ws.links?.length ?? 0,
    escalations: ws.conversations.filter((c) => c.escalation).length,
    conversationIds: [...r.conversations.values()],
  };
}
