// The X part's starting text in a cross-channel answer (replies.counterpart's defaultXText) when no
// saved reply is marked as the escalation default (answer.ts asks savedReplies' escalationDefaultText
// first and uses its text when it renders whole and fits). Kept short so it fits a public reply.
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
