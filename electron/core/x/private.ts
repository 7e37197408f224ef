// Before a public reply on X: does it contain something the customer only told us privately?
// Email addresses, phone numbers and order / account / ticket numbers are pulled out of the draft
// and looked up in the customer's private messages (email and DMs, across linked identities). A
// value found there and never in a public post is a warning; the owner must confirm to send.

import { conversationCustomerId, linkedCustomers, privateMessagesOf, publicPostTexts } from '../db/repos/private-data';
import type { ReadDB } from '../db/open';

export interface PrivateFinding {
  kind: 'email' | 'phone' | 'reference';
  /** As written in the draft. */
  value: string;
  /** Where it was seen privately: message ids and kinds. */
  seenIn: { messageId: number; kind: 'email' | 'dm'; conversationId: number }[];
  /** Whether it also appeared in a public post (then it is not a warning). */
  public: boolean;
}

export interface PrivateCheck {
  warnings: PrivateFinding[];
  /** Sensitive-looking values not found in any private message (shown softly). */
  other: { kind: PrivateFinding['kind']; value: string }[];
}

const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Phone numbers: +country and groups; at least 7 digits in all.
const PHONE_RE = /(?<![\w.-])(?:\+?\(?\d[\d ().-]{5,}\d)(?![\w-])/g;
// References: letters-digits codes (HP-574062, ORD12345, AB-12-345), #12345, or words like
// "order 12345", "account no. 987654".
const REF_CODE_RE = /\b(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z]{1,6}[-_]?\d[A-Za-z0-9-]{2,}\b/g;
const REF_HASH_RE = /#\d{4,}\b/g;
const REF_WORD_RE = /\b(?:order|account|acct|invoice|ticket|case|customer|member|booking|reservation|tracking|ref(?:erence)?)\s*(?:no\.?|number|#|id)?\s*:?\s*([A-Za-z0-9-]*\d[A-Za-z0-9-]{3,})/gi;

function digits(s: string): string {
  return s.replace(/\D/g, '');
}

/** Sensitive-looking values in a text. */
export function extractSensitive(text: string): { kind: PrivateFinding['kind']; value: string; norm: string }[] {
  const out = new Map<string, { kind: PrivateFinding['kind']; value: string; norm: string }>();
  const add = (kind: PrivateFinding['kind'], value: string, norm: string) => {
    if (!norm) return;
    const key = `${kind}:${norm}`;
    if (!out.has(key)) out.set(key, { kind, value, norm });
  };
  const emails = text.match(EMAIL_RE) ?? [];
  for (const e of emails) add('email', e, e.toLowerCase());
  const withoutEmails = emails.reduce((t, e) => t.split(e).join(' '), text);
  // Links are public by nature; do not read digits inside them.
  const plain = withoutEmails.replace(/https?:\/\/\S+/g, ' ');
  for (const m of plain.matchAll(REF_WORD_RE)) add('reference', m[1]!, m[1]!.toLowerCase().replace(/[^a-z0-9]/g, ''));
  for (const m of plain.match(REF_CODE_RE) ?? []) add('reference', m, m.toLowerCase().replace(/[^a-z0-9]/g, ''));
  for (const m of plain.match(REF_HASH_RE) ?? []) add('reference', m, digits(m));
  for (const m of plain.match(PHONE_RE) ?? []) {
    const d = digits(m);
    // "order 12345678" is a reference, not a phone number; dates are neither.
    if (out.has(`reference:${d}`) || /^\d{4}-\d{2}-\d{2}$/.test(m.trim())) continue;
    if (d.length >= 7 && d.length <= 15) add('phone', m.trim(), d);
  }
  return [...out.values()];
}

function normalizedIn(kind: PrivateFinding['kind'], norm: string, text: string): boolean {
  if (kind === 'email') return text.toLowerCase().includes(norm);
  if (kind === 'phone') {
    // The same number, with or without a country prefix.
    return (text.match(PHONE_RE) ?? []).some((m) => {
      const d = digits(m);
      return d.length >= 7 && (d.endsWith(norm) || norm.endsWith(d));
    });
  }
  return new RegExp(`(^|[^a-z0-9])${norm.split('').join('[-_ ]?')}([^a-z0-9]|$)`, 'i').test(text);
}

/** The customers behind a conversation's customer: itself plus everyone linked to its identities. */
export function relatedCustomers(db: ReadDB, customerId: number): number[] {
  const ids = new Set<number>([customerId]);
  for (const c of linkedCustomers(db, customerId)) ids.add(c);
  return [...ids];
}

/**
 * Check a draft public reply in a conversation. `alsoCustomers`: customers whose private mail counts
 * too (a likely escalation's suggested customer, who the poster probably is).
 */
export function checkPrivateData(db: ReadDB, conversationId: number, draft: string, alsoCustomers: readonly number[] = []): PrivateCheck {
  const found = extractSensitive(draft);
  if (!found.length) return { warnings: [], other: [] };
  const customerId = conversationCustomerId(db, conversationId);
  const customers = [...new Set([...(customerId ? relatedCustomers(db, customerId) : []), ...alsoCustomers.flatMap((c) => relatedCustomers(db, c))])];
  const privateRows = privateMessagesOf(db, customers);
  const publicTexts = publicPostTexts(db, customers);
  const warnings: PrivateFinding[] = [];
  const other: PrivateCheck['other'] = [];
  for (const f of found) {
    const seenIn = privateRows
      .filter((r) => normalizedIn(f.kind, f.norm, `${r.subject}\n${r.body_text}`))
      .slice(0, 5)
      .map((r) => ({ messageId: r.id, kind: r.kind, conversationId: r.conversation_id }));
    const isPublic = publicTexts.some((t) => normalizedIn(f.kind, f.norm, t));
    if (seenIn.length && !isPublic) warnings.push({ kind: f.kind, value: f.value, seenIn, public: false });
    else if (!seenIn.length && f.kind !== 'reference') other.push({ kind: f.kind, value: f.value });
  }
  return { warnings, other };
}
