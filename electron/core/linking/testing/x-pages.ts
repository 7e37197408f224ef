// Writing a generated data set's X side like ../shared/linkset-dev's: x/me.json, one mentions
// page and one DM page in the X API v2 shapes (expansions included), and truth.json. Shared by
// the generators (synth.ts, synth-mixed.ts).
import fs from 'node:fs';
import path from 'node:path';

export interface GenXUser {
  id: string;
  username: string;
  name: string;
  description?: string;
  url?: string;
}

export interface GenPages {
  business: { name: string; domain: string; handle: string; xId: string };
  users: readonly GenXUser[];
  tweets: readonly { id: string; text: string; author_id: string; created_at: string }[];
  dms: readonly { id: string; text: string; sender_id: string; created_at: string }[];
  truth: { accounts: unknown[]; escalations: unknown[] };
  /** The business's support address and how many email threads the mail holds (as linkset-dev's truth says: `npm run first-sync-check`). */
  mail: { email: string; threads: number };
}

export function writeXPagesAndTruth(dir: string, p: GenPages): void {
  const byId = new Map(p.users.map((u) => [u.id, u]));
  const biz = { id: p.business.xId, username: p.business.handle, name: p.business.name };
  fs.writeFileSync(path.join(dir, 'x', 'me.json'), JSON.stringify({ data: biz }));
  fs.writeFileSync(
    path.join(dir, 'x', 'mentions-001.json'),
    JSON.stringify({
      data: p.tweets.map((t) => ({ ...t, conversation_id: t.id, edit_history_tweet_ids: [t.id] })),
      includes: { users: [...new Set(p.tweets.map((t) => t.author_id))].map((id) => byId.get(id)) },
      meta: { result_count: p.tweets.length },
    }),
  );
  fs.writeFileSync(
    path.join(dir, 'x', 'dm_events-001.json'),
    JSON.stringify({
      data: p.dms.map((d) => ({ ...d, event_type: 'MessageCreate', dm_conversation_id: `${biz.id}-${d.sender_id}`, participant_ids: [biz.id, d.sender_id] })),
      includes: { users: [...new Set(p.dms.map((d) => d.sender_id))].map((id) => byId.get(id)).concat([biz]) },
      meta: { result_count: p.dms.length },
    }),
  );
  fs.writeFileSync(
    path.join(dir, 'truth.json'),
    JSON.stringify({ business: { ...p.business, email: p.mail.email }, email_threads: p.mail.threads, accounts: p.truth.accounts, escalations: p.truth.escalations }, null, 1),
  );
}
