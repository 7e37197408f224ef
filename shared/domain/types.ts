// Domain types shared by the core and the renderer. Plain JSON only: times are epoch milliseconds.

export type Channel = 'email' | 'x';
/** What a message or conversation is: an email thread, a public X conversation, or an X DM conversation. */
export type Kind = 'email' | 'tweet' | 'dm';
export type ConversationStatus = 'open' | 'waiting' | 'snoozed' | 'done';
export type Direction = 'in' | 'out';
export type LinkState = 'suggested' | 'linked' | 'confirmed' | 'rejected' | 'unlinked';
export type Decider = 'engine' | 'user';

export interface Stats {
  accounts: number;
  customers: number;
  identities: number;
  conversations: number;
  messages: number;
  emails: number;
  tweets: number;
  dms: number;
  links: number;
  outbox: number;
}

export interface Identity {
  id: number;
  customerId: number;
  kind: Channel;
  /** Email address (lowercase) for email identities. */
  address: string | null;
  xUserId: string | null;
  handle: string | null;
  displayName: string;
  names: string[];
  profile: XProfile | null;
  isSelf: boolean;
}

export interface XProfile {
  description?: string;
  url?: string;
  location?: string;
  profileImageUrl?: string;
  /** Followers when the profile was read (public_metrics.followers_count). */
  followers?: number;
}

export interface Customer {
  id: number;
  displayName: string;
  identities: Identity[];
}

/** escalated: a linked customer; likely: the top suggested customer; public_complaint: no email history. */
export type EscalationState = 'escalated' | 'likely' | 'public_complaint';

export interface Escalation {
  reason: string;
  /** Milliseconds from the customer's last email before the post to the post. */
  waitedMs: number | null;
  emailConversationId: number | null;
  /** Absent on escalations made before states existed (and by hand): escalated. */
  state?: EscalationState;
  /** Whether the post followed an email unanswered at the time, or an answer the customer is unhappy with ('open': marks made before 2026-12-06, a thread kept open). */
  after?: 'unanswered' | 'open' | 'answered';
  /** A likely escalation's suggested customer and the link a person confirms (`l`) or rejects. */
  suggested?: { customerId: number; name: string; email: string; linkId: number; score: number };
  /** When the owner answered it by email and on X together (replies.sendBoth); the reason says so too. */
  answeredAt?: number;
}

export interface ConversationSummary {
  id: number;
  channel: Channel;
  kind: Kind;
  accountId: number | null;
  customerId: number | null;
  customerName: string;
  customerAddress: string;
  subject: string;
  snippet: string;
  status: ConversationStatus;
  priority: number;
  snoozeUntil: number | null;
  lastInboundAt: number | null;
  lastOutboundAt: number | null;
  lastMessageAt: number;
  messageCount: number;
  unread: boolean;
  escalated: boolean;
  escalation: Escalation | null;
  linkState: LinkState | null;
  tags: string[];
}

export interface Attachment {
  id: number;
  filename: string;
  mimeType: string;
  size: number;
  sha256: string;
  contentId: string | null;
  disposition: string | null;
}

export interface Message {
  id: number;
  conversationId: number;
  channel: Channel;
  kind: Kind;
  externalId: string;
  direction: Direction;
  authorIdentityId: number | null;
  authorName: string;
  authorAddress: string;
  to: string[];
  cc: string[];
  sentAt: number;
  subject: string;
  text: string;
  html: string | null;
  parseProblems: string[];
  attachments: Attachment[];
}

export interface ConversationDetail {
  conversation: ConversationSummary;
  messages: Message[];
  customer: Customer | null;
}

export interface SearchHit {
  messageId: number;
  conversationId: number;
  kind: Kind;
  subject: string;
  authorName: string;
  sentAt: number;
  /** Snippet with matches wrapped in \u0002 … \u0003 markers (never HTML). */
  snippet: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export const SNIPPET_OPEN = '\u0002';
export const SNIPPET_CLOSE = '\u0003';
