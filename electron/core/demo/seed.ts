// Write a described workspace (people, their email and X identities, conversations, messages,
// escalations and links) through the core's repositories. The demo generator and the UI tests
// both describe their data this way, so nothing here knows about either.
import type { DB } from '../db/open';
import type { ConversationStatus, Direction, Kind, LinkState, XProfile } from '../../../shared/domain/types';
import { ensureEmailIdentity, ensureXIdentity } from '../db/repos/customers';
import { ensureConversation, refreshConversation } from '../db/repos/conversations';
import { insertMessage } from '../db/repos/messages';
import { hasThreadRefs, seedLink, seedThreadRef, setSeedState } from '../db/repos/demo';

export interface SeedPerson {
  key: string;
  name: string;
  email?: string;
  x?: { userId: string; handle: string; name?: string; profile?: XProfile };
}

export interface SeedMessage {
  /** Who wrote it: a person's key, or 'self' for the business. */
  from: string;
  at: number;
  text: string;
  html?: string;
  subject?: string;
}

export interface SeedConversation {
  key: string;
  kind: Kind;
  /** The customer (person key) the conversation is with. */
  with: string;
  subject?: string;
  messages: SeedMessage[];
  status?: ConversationStatus;
  snoozeUntil?: number;
  priority?: number;
  unread?: boolean;
  tags?: string[];
  escalation?: { reason: string; waitedMs: number | null; emailConversation?: string };
}

export interface SeedLink {
  /** The person whose X identity is linked … */
  x: string;
  /** … to this person's email customer. */
  email: string;
  state: LinkState;
  score: number;
  evidence: string[];
}

export interface SeedWorkspace {
  self: { name: string; email: string; x?: { userId: string; handle: string } };
  people: SeedPerson[];
  conversations: SeedConversation[];
  links?: SeedLink[];
}

export interface SeedResult {
  conversations: Map<string, number>;
  /** Email customer id per person key (when the person has an email address). */
  emailCustomers: Map<string, number>;
  /** X customer id per person key (when the person has an X account). */
  xCustomers: Map<string, number>;
  messages: number;
}

export function seedWorkspace(db: DB, ws: SeedWorkspace, now = Date.now()): SeedResult {
  const out: SeedResult = { conversations: new Map(), emailCustomers: new Map(), xCustomers: new Map(), messages: 0 };
  db.transaction(() => {
    const selfEmail = ensureEmailIdentity(db, { address: ws.self.email, name: ws.self.name, isSelf: true, now });
    const selfX = ws.self.x ? ensureXIdentity(db, { xUserId: ws.self.x.userId, handle: ws.self.x.handle, name: ws.self.name, isSelf: true, now }) : null;
    const people = new Map(ws.people.map((p) => [p.key, p]));
    const emailIds = new Map<string, { id: number; customerId: number; address: string }>();
    const xIds = new Map<string, { id: number; customerId: number; handle: string }>();
    for (const p of ws.people) {
      if (p.email) {
        const i = ensureEmailIdentity(db, { address: p.email, name: p.name, now });
        emailIds.set(p.key, { id: i.id, customerId: i.customerId, address: i.address! });
        out.emailCustomers.set(p.key, i.customerId);
      }
      if (p.x) {
        const i = ensureXIdentity(db, { xUserId: p.x.userId, handle: p.x.handle, name: p.x.name ?? p.name, profile: p.x.profile ?? null, now });
        xIds.set(p.key, { id: i.id, customerId: i.customerId, handle: i.handle! });
        out.xCustomers.set(p.key, i.customerId);
      }
    }
    const pending: { id: number; c: SeedConversation }[] = [];
    const selfDomain = ws.self.email.split('@')[1] ?? 'example.test';
    // The email channel's thread index (migration 0100), when this database has it.
    const threadRefs = hasThreadRefs(db);
    for (const c of ws.conversations) {
      const person = people.get(c.with);
      if (!person) throw new Error(`conversation ${c.key}: unknown person ${c.with}`);
      const channel = c.kind === 'email' ? 'email' : 'x';
      const ident = channel === 'email' ? emailIds.get(c.with) : xIds.get(c.with);
      if (!ident) throw new Error(`conversation ${c.key}: ${c.with} has no ${channel} identity`);
      // Email gets Message-ID-like ids (and thread refs below), so replies and later mail thread onto it.
      const msgId = (n: number) => (channel === 'email' ? `seed-${c.key}-${n}@${selfDomain}` : `seed:${c.key}:${n}`);
      const convId = ensureConversation(db, {
        channel,
        kind: c.kind,
        externalId: channel === 'email' ? msgId(0) : `seed:${c.key}`,
        customerId: ident.customerId,
        subject: c.subject ?? '',
        now,
      });
      out.conversations.set(c.key, convId);
      c.messages.forEach((m, n) => {
        const fromSelf = m.from === 'self';
        const author = fromSelf ? null : people.get(m.from);
        if (!fromSelf && !author) throw new Error(`conversation ${c.key}: unknown author ${m.from}`);
        const direction: Direction = fromSelf ? 'out' : 'in';
        let authorIdentityId: number | null;
        let authorAddress: string;
        let to: string[];
        if (channel === 'email') {
          const a = fromSelf ? { id: selfEmail.id, address: selfEmail.address! } : emailIds.get(m.from);
          if (!a) throw new Error(`conversation ${c.key}: ${m.from} has no email address`);
          authorIdentityId = a.id;
          authorAddress = a.address;
          to = [fromSelf ? (emailIds.get(c.with)?.address ?? '') : selfEmail.address!].filter(Boolean);
        } else {
          const a = fromSelf ? (selfX ? { id: selfX.id, handle: selfX.handle! } : null) : xIds.get(m.from);
          authorIdentityId = a?.id ?? null;
          authorAddress = a ? `@${a.handle}` : '';
          to = [];
        }
        insertMessage(db, {
          conversationId: convId,
          channel,
          kind: c.kind,
          externalId: msgId(n),
          ...(channel === 'email' && n > 0 ? { inReplyTo: msgId(n - 1), refs: Array.from({ length: n }, (_x, k) => msgId(k)) } : {}),
          authorIdentityId,
          authorName: fromSelf ? ws.self.name : author!.x && channel === 'x' ? (author!.x.name ?? author!.name) : author!.name,
          authorAddress,
          to,
          direction,
          sentAt: m.at,
          subject: m.subject ?? (channel === 'email' ? (n === 0 ? (c.subject ?? '') : `Re: ${c.subject ?? ''}`) : ''),
          text: m.text,
          html: m.html ?? null,
          now,
        });
        out.messages++;
      });
      if (threadRefs && channel === 'email') c.messages.forEach((_m, n) => seedThreadRef(db, msgId(n), convId));
      refreshConversation(db, convId);
      pending.push({ id: convId, c });
    }
    for (const { id, c } of pending) {
      const e = c.escalation;
      setSeedState(db, {
        id,
        status: c.status ?? 'open',
        snooze: c.status === 'snoozed' ? (c.snoozeUntil ?? now + 86_400_000) : null,
        priority: c.priority ?? 0,
        unread: c.unread ? 1 : 0,
        tags: JSON.stringify(c.tags ?? []),
        escalated: e ? 1 : 0,
        escalation: e
          ? JSON.stringify({
              reason: e.reason,
              waitedMs: e.waitedMs,
              emailConversationId: e.emailConversation ? (out.conversations.get(e.emailConversation) ?? null) : null,
            })
          : null,
      });
    }
    for (const l of ws.links ?? []) {
      const x = xIds.get(l.x);
      const email = emailIds.get(l.email);
      if (!x || !email) throw new Error(`link ${l.x} → ${l.email}: missing identity`);
      seedLink(db, {
        identityId: x.id,
        customerId: email.customerId,
        state: l.state,
        score: l.score,
        evidence: JSON.stringify(l.evidence),
        decidedBy: l.state === 'confirmed' ? 'user' : 'engine',
        now,
      });
    }
  })();
  return out;
}
