// Reading links for the UI and the CLI.
import type { DB } from '../db/open';
import { parseJson } from '../db/json';
import type { LinkCandidate, XAccountLinks } from '../../../shared/contract/links';
import type { LinkRow } from './engine';
import { customerName } from '../db/repos/linking/escalations';
import * as links from '../db/repos/linking/links';

/** The main address of a customer: the one their own mail came from most, else the first. */
export function primaryEmailOf(db: DB, customerId: number): string {
  const p = links.profilePrimaryEmail(db, customerId);
  if (p) return p;
  return links.firstEmailOf(db, customerId) ?? '';
}

function candidate(db: DB, r: LinkRow): LinkCandidate {
  const name = customerName(db, r.customer_id);
  return {
    linkId: r.id,
    customerId: r.customer_id,
    customerName: name ?? '',
    email: primaryEmailOf(db, r.customer_id),
    state: r.state,
    score: r.score,
    evidence: parseJson<string[]>(r.evidence, []),
    decidedBy: r.decided_by,
    canUndo: r.decided_by === 'user' && r.previous !== null,
    updatedAt: r.updated_at,
  };
}

function accountLinks(db: DB, x: links.XAccountRow): XAccountLinks {
  const rows = links.linkRowsByScore(db, x.id);
  const linkedRow = rows.find((r) => r.state === 'confirmed') ?? rows.find((r) => r.state === 'linked' && r.decided_by === 'user') ?? rows.find((r) => r.state === 'linked');
  return {
    identityId: x.id,
    xUserId: x.x_user_id,
    handle: x.handle,
    displayName: x.display_name,
    ownerCustomerId: x.customer_id,
    linked: linkedRow ? candidate(db, linkedRow) : null,
    suggestions: linkedRow ? [] : rows.filter((r) => r.state === 'suggested').map((r) => candidate(db, r)),
    rejected: rows.filter((r) => r.state === 'rejected' || r.state === 'unlinked').map((r) => candidate(db, r)),
  };
}

/** Every X account seen (not the business's own), with its link and suggestions. */
export function listLinks(db: DB, opts: { identityId?: number; customerId?: number; state?: 'linked' | 'suggested' | 'none' } = {}): XAccountLinks[] {
  const xs = links.xAccounts(db, opts);
  const out = xs.map((x) => accountLinks(db, x));
  if (opts.state === 'linked') return out.filter((a) => a.linked);
  if (opts.state === 'suggested') return out.filter((a) => !a.linked && a.suggestions.length);
  if (opts.state === 'none') return out.filter((a) => !a.linked && !a.suggestions.length);
  return out;
}

/** One line of `canary links --json`, in the format ../shared/README.md gives. */
export function toJsonLine(a: XAccountLinks): {
  x_user_id: string;
  x_username: string | null;
  linked: string | null;
  suggestions: { email: string; score: number }[];
  evidence: string[];
} {
  return {
    x_user_id: a.xUserId,
    x_username: a.handle,
    linked: a.linked ? a.linked.email : null,
    suggestions: a.suggestions.map((s) => ({ email: s.email, score: s.score })),
    evidence: a.linked ? a.linked.evidence : (a.suggestions[0]?.evidence ?? []),
  };
}
