// The X part's starting text in a cross-channel answer (replies.counterpart's defaultXText).
//
// Hook for saved replies: when a saved reply is marked as the escalation default
// (savedReplies.escalationDefault), its rendered X text should be returned here instead; until
// then this sentence is the default. Kept short so it fits a public reply (280 as X counts).
import { quote } from '../linking/text';

export interface AnswerDefaultVars {
  /** The customer's first name, when known. */
  firstName: string | null;
  /** The email thread's subject (without Re:/Fwd:). */
  subject: string;
}

/** "Sorry {first_name}, we've just answered your email about {subject}." */
export function defaultXAnswerText(v: AnswerDefaultVars): string {
  const who = v.firstName ? ` ${v.firstName}` : '';
  const subject = quote(v.subject.replace(/^\s*((re|fwd?|aw|sv)\s*:\s*)+/i, ''), 80);
  return subject ? `Sorry${who}, we've just answered your email about ${subject}.` : `Sorry${who}, we've just answered your email.`;
}

/** The first word of a display name ("Maria Kowalski" → "Maria"), or null for an address or nothing. */
export function firstNameOf(name: string | null | undefined): string | null {
  const w = (name ?? '').trim().replace(/^"|"$/g, '').split(/\s+/)[0] ?? '';
  if (!w || w.includes('@') || !/^\p{L}/u.test(w)) return null;
  return w.replace(/[,;:]+$/, '');
}
