// Learning an email account's own addresses from its mail, as the importer infers them for an
// export (self.ts), so an account added without its address (a login such as "alice") never turns
// the business into customer #1. Read from what the sync stored for the account:
//   - the From of the account's Sent folder: every address that sent at least 10 % of it;
//   - the mailbox heuristic of self.ts over the account's newest mail: the address most inbound
//     mail is sent to and that sends replies, and its same-domain aliases (replies stored in the
//     inbox rather than Sent count too).
// Learned addresses go to account_addresses with the reason in words; the owner can dismiss one
// (it is never learned again) or add aliases in Settings → Accounts.
import type { DB } from '../db/open';
import * as evidenceRepo from '../db/repos/email/self-addresses';
import { parseJson } from '../db/json';
import { addLearnedAddresses } from '../db/repos/account-addresses';
import { inferSelfAddresses, type SelfEvidence } from './self';
import { isReplySubject } from './thread';

/** How many of an account's newest messages the heuristic reads. */
const EVIDENCE_LIMIT = 3000;

/** The address in "Name <a@b>" or "a@b", lowercase. */
export function bareAddress(s: string): string {
  return (/<([^<>]+)>\s*$/.exec(s)?.[1] ?? s).trim().toLowerCase();
}

/** The addresses the account's mail shows as the business's, with reasons (not yet compared with what is known). */
export function inferAccountAddresses(db: DB, accountId: number): { address: string; reason: string }[] {
  const cfg = parseJson<{ sentFolder?: string | null }>(evidenceRepo.accountConfigText(db, accountId), {});
  const out = new Map<string, string>();
  if (cfg.sentFolder && cfg.sentFolder.toUpperCase() !== 'INBOX') {
    const senders = evidenceRepo.folderSenders(db, accountId, cfg.sentFolder);
    const total = senders.reduce((s, r) => s + r.n, 0);
    for (const r of senders) {
      if (r.n >= Math.max(1, 0.1 * total)) out.set(r.a, `sent ${r.n} of the ${total} messages in ${cfg.sentFolder}`);
    }
  }
  const rows = evidenceRepo.newestAccountMail(db, accountId, EVIDENCE_LIMIT);
  const evidence: SelfEvidence[] = rows.map((m) => {
    const rc = parseJson<{ to?: string[]; cc?: string[] }>(m.r, {});
    return {
      from: m.a ? m.a.toLowerCase() : null,
      recipients: [...new Set([...(rc.to ?? []), ...(rc.cc ?? [])].map(bareAddress).filter((x) => x.includes('@')))],
      isReply: !!m.irt || m.refs !== '[]' || isReplySubject(m.s),
    };
  });
  const inferred = inferSelfAddresses(evidence);
  inferred.addresses.forEach((a, i) => {
    if (!out.has(a)) out.set(a, inferred.reasons[i] ?? 'inferred from the mail');
  });
  return [...out].map(([address, reason]) => ({ address, reason }));
}

/** Learn the account's addresses from its stored mail; returns the ones that are new. */
export function learnAccountAddresses(db: DB, accountId: number, now: number): string[] {
  const found = inferAccountAddresses(db, accountId);
  // addLearnedAddresses leaves addresses already known (given, learned or dismissed) as they are.
  return found.length ? addLearnedAddresses(db, accountId, found, now) : [];
}
