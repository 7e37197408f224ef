// A saved reply for one conversation: the channel's version with its variables filled from what
// Canary knows ({first_name}/{last_name}: the customer's name as written; {order}: the most recent
// reference linking found in the customer's mail, or their posts for a customer known on X only;
// {subject}: the conversation's subject without Re:/Fwd:; {agent}: the owner's name, a setting).
// A variable that cannot be filled stays in the text as written, and a warning says why.
import { AppError } from '../../../shared/contract/errors';
import { SAVED_REPLY_VARIABLES, VARIABLE_PATTERN, type SavedReplyRender, type SavedReplyVariable, type SavedReplyView } from '../../../shared/contract/saved-replies';
import type { ConversationSummary } from '../../../shared/domain/types';
import type { DB } from '../db/open';
import { getConversationSummary } from '../db/repos/conversations';
import { getCustomer } from '../db/repos/customers';
import { getSettings } from '../db/repos/settings';
import { createReader } from '../linking/inputs';
import { parsePersonName } from '../linking/names';
import { buildCustomerProfile, buildXFeatures } from '../linking/profile';
import { DM_MAX_LENGTH, tweetLength } from '../x/text';

type Values = Record<SavedReplyVariable, string | null>;

const TITLES = /^(?:dr|mr|mrs|ms|miss|mx|prof|sir|dame|rev)\.?$/i;

/** A written word as a name: "JANE" and "jane" become "Jane"; "McDonald" and "José" stay as they are. */
function asName(w: string): string {
  return w === w.toLowerCase() || w === w.toUpperCase() ? w.charAt(0).toUpperCase() + w.slice(1).toLowerCase() : w;
}

/** First and last name as written in a display name ("Doe, Jane" → Jane, Doe); null parts when it is not a person's name. */
export function nameParts(displayName: string): { first: string | null; last: string | null } {
  const parsed = parsePersonName(displayName);
  if (!parsed) return { first: null, last: null };
  let s = displayName
    .replace(/\p{Extended_Pictographic}|\u200d|\ufe0f/gu, ' ')
    .replace(/\(.*?\)|\[.*?\]|".*?"/g, ' ')
    .replace(/[|•·/]+.*$/, ' ')
    .trim();
  const comma = s.split(',');
  if (comma.length === 2 && comma[1]!.trim()) s = `${comma[1]!.trim()} ${comma[0]!.trim()}`;
  const words = s
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}]+|[^\p{L}.'’-]+$/gu, ''))
    .filter((w) => /\p{L}/u.test(w));
  while (words.length > 1 && TITLES.test(words[0]!)) words.shift();
  const initial = (w: string) => /^\p{L}\.?$/u.test(w);
  const first = parsed.first && words[0] && !initial(words[0]) ? asName(words[0]) : null;
  const lastWord = words.length > 1 ? words[words.length - 1]! : null;
  const last = parsed.last && lastWord && !initial(lastWord) ? asName(lastWord) : null;
  return { first, last };
}

/** The most recent reference (order, ticket, account number…) linking found for a customer, as written. */
export function latestReference(db: DB, customerId: number): string | null {
  const reader = createReader(db);
  const input = reader.customer(customerId);
  let best: { display: string; at: number } | null = null;
  if (input) {
    for (const r of buildCustomerProfile(input).refs) if (!best || r.spot.at >= best.at) best = { display: r.display, at: r.spot.at };
  }
  if (best) return best.display;
  // A customer known on X only: what their posts and DMs name.
  for (const i of getCustomer(db, customerId)?.identities ?? []) {
    if (i.kind !== 'x' || i.isSelf) continue;
    const x = reader.xIdentity(i.id);
    if (!x) continue;
    for (const r of buildXFeatures(x).refs) {
      const at = r.spot.at ?? 0;
      if (!best || at >= best.at) best = { display: r.display, at };
    }
  }
  return best?.display ?? null;
}

function cleanSubject(subject: string): string | null {
  let s = subject.trim();
  for (let prev = ''; prev !== s;) {
    prev = s;
    s = s.replace(/^(?:re|fwd?|aw|sv|antw)\s*(?:\[\d+\])?\s*:\s*/i, '').trim();
  }
  return s || null;
}

function customerName(db: DB, c: ConversationSummary): { first: string | null; last: string | null } {
  const customer = c.customerId !== null ? getCustomer(db, c.customerId) : null;
  const candidates = [customer?.displayName ?? '', c.customerName, ...(customer?.identities ?? []).filter((i) => !i.isSelf).flatMap((i) => [i.displayName, ...i.names])];
  let out: { first: string | null; last: string | null } = { first: null, last: null };
  for (const n of candidates) {
    if (!n) continue;
    const p = nameParts(n);
    if (p.first && p.last) return p;
    if (!out.first && p.first) out = p;
  }
  return out;
}

/** What each variable is for a conversation (null: not known). */
export function variableValues(db: DB, c: ConversationSummary): Values {
  const name = customerName(db, c);
  const agent = getSettings(db).agentName.trim();
  return {
    first_name: name.first,
    last_name: name.last,
    order: c.customerId !== null ? latestReference(db, c.customerId) : null,
    subject: c.channel === 'email' ? cleanSubject(c.subject) : null,
    agent: agent || null,
  };
}

const WHY: Record<SavedReplyVariable, string> = {
  first_name: "The customer's first name is not known",
  last_name: "The customer's last name is not known",
  order: "No order or reference number was found in this customer's messages",
  subject: 'This conversation has no subject',
  agent: 'Your name is not set (Settings → Saved replies)',
};

/** Fill `template` with `values`: known variables with a value are replaced, the others stay as written. */
export function fillTemplate(template: string, values: Values): { text: string; used: SavedReplyVariable[]; unfilled: SavedReplyVariable[] } {
  const used: SavedReplyVariable[] = [];
  const unfilled: SavedReplyVariable[] = [];
  const text = template.replace(VARIABLE_PATTERN, (whole, name: string) => {
    if (!(SAVED_REPLY_VARIABLES as readonly string[]).includes(name)) return whole;
    const v = name as SavedReplyVariable;
    if (!used.includes(v)) used.push(v);
    const value = values[v];
    if (value === null) {
      if (!unfilled.includes(v)) unfilled.push(v);
      return whole;
    }
    return value;
  });
  return { text, used, unfilled };
}

/**
 * Render a saved reply for a conversation (not counted as a use). `publicX`: the public X text
 * whatever the conversation's channel (the X text, else the email text; X's 280 limit), for an
 * answer posted on X about this conversation.
 */
export function renderSavedReply(db: DB, reply: SavedReplyView, conversationId: number, opts: { publicX?: boolean } = {}): SavedReplyRender {
  const c = getConversationSummary(db, conversationId);
  if (!c) throw new AppError('not_found', `No conversation ${conversationId}`);
  const onX = c.channel === 'x' || opts.publicX === true;
  const version = onX && reply.xText ? 'x' : 'email';
  const values = variableValues(db, c);
  const filled = fillTemplate(version === 'x' ? reply.xText! : reply.body, values);
  const warnings = filled.unfilled.map((v) => `${WHY[v]}: {${v}} is left for you to fill in.`);
  let length: SavedReplyRender['length'] = null;
  if (onX) {
    if (!reply.xText) warnings.unshift(`"${reply.name}" has no X version: its email text is used.`);
    if (c.kind === 'dm' && !opts.publicX) {
      const n = Array.from(filled.text.normalize('NFC')).length;
      length = { weightedLength: n, maxLength: DM_MAX_LENGTH, valid: n > 0 && n <= DM_MAX_LENGTH };
    } else {
      const l = tweetLength(filled.text);
      length = { weightedLength: l.weightedLength, maxLength: l.maxLength, valid: l.valid };
    }
    if (length.weightedLength > length.maxLength) {
      warnings.push(`With its variables filled the text is ${length.weightedLength} characters as X counts them; the limit is ${length.maxLength}. Shorten it before sending.`);
    }
  }
  return { savedReplyId: reply.id, conversationId, version, text: filled.text, values, unfilled: filled.unfilled, warnings, length, usageCount: reply.usageCount };
}
