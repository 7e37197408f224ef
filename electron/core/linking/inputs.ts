// Reads what linking needs from the stored mail and X rows (customers, identities, messages).
import type { DB } from '../db/open';
import { q } from './stmt';
import { parseJson } from '../db/json';
import { emailDomain, registrableDomain } from './extract';
import type { CustomerInput, MailInput, XInput, XMessageInput } from './profile';

/** Mail bodies longer than this are cut before extraction (signatures and references sit early). */
const MAX_BODY = 20_000;
/** Most recent mails per customer read for a profile. */
const MAX_MAILS = 60;

export interface Reader {
  selfDomains: Set<string>;
  /** Email customers: customers with at least one email identity that is not the business's. */
  emailCustomerIds(): number[];
  customer(customerId: number): CustomerInput | null;
  /**
   * The same as customer() for every email customer with an id in [lo, hi], read with a few range
   * queries instead of two per customer (a full re-link).
   */
  customersInRange(lo: number, hi: number): Map<number, CustomerInput>;
  /** Non-self X identities. */
  xIdentityIds(): number[];
  xIdentity(identityId: number): XInput | null;
}

interface IdentityRow {
  id: number;
  address: string;
  display_name: string;
  names: string;
}

interface MailRow {
  id: number;
  conversation_id: number;
  direction: 'in' | 'out';
  author_identity_id: number | null;
  author_address: string;
  author_name: string;
  subject: string;
  body: string;
  sent_at: number;
}

function toInput(customerId: number, ids: IdentityRow[], rows: MailRow[], selfDomains: Set<string>): CustomerInput {
  const own = new Set(ids.map((i) => i.id));
  const messages: MailInput[] = rows.map((r) => ({
    id: r.id,
    conversationId: r.conversation_id,
    direction: r.direction,
    own: r.author_identity_id !== null && own.has(r.author_identity_id),
    authorAddress: r.author_address,
    authorName: r.author_name,
    subject: r.subject,
    body: r.body ?? '',
    sentAt: r.sent_at,
  }));
  return {
    customerId,
    identities: ids.map((i) => ({ address: i.address, displayName: i.display_name, names: parseJson<string[]>(i.names, []) })),
    messages,
    selfDomains,
  };
}

export function createReader(db: DB): Reader {
  const selfDomains = new Set<string>();
  for (const r of q(db, "SELECT address FROM identities WHERE kind = 'email' AND is_self = 1").all() as { address: string }[]) {
    selfDomains.add(registrableDomain(emailDomain(r.address)));
  }
  const qIdentities = q(db, "SELECT id, address, display_name, names FROM identities WHERE customer_id = ? AND kind = 'email' AND is_self = 0 ORDER BY id");
  const qMessages = q(db, `
    SELECT m.id, m.conversation_id, m.direction, m.author_identity_id, m.author_address, m.author_name, m.subject,
           substr(m.body_text, 1, ${MAX_BODY}) AS body, m.sent_at
    FROM messages m
    WHERE m.channel = 'email' AND (
      m.conversation_id IN (SELECT id FROM conversations WHERE customer_id = @cid AND channel = 'email')
      OR m.author_identity_id IN (SELECT id FROM identities WHERE customer_id = @cid AND kind = 'email'))
    ORDER BY m.sent_at DESC, m.id DESC LIMIT ${MAX_MAILS}`);
  const MAIL_COLUMNS = `m.id, m.conversation_id, m.direction, m.author_identity_id, m.author_address, m.author_name, m.subject,
           substr(m.body_text, 1, ${MAX_BODY}) AS body, m.sent_at`;
  const qRangeIdentities = q(db, "SELECT id, customer_id, address, display_name, names FROM identities WHERE kind = 'email' AND is_self = 0 AND customer_id BETWEEN ? AND ? ORDER BY customer_id, id");
  // Each customer's newest MAX_MAILS mails (in their conversations or written from their
  // addresses), ranked on the index and the rows' leading columns: bodies are read for those only,
  // not for every mail of a customer with thousands.
  const qRangeMails = q(db, `
    WITH mine(cid, id) AS (
      SELECT c.customer_id, m.id FROM conversations c JOIN messages m ON m.conversation_id = c.id
      WHERE c.channel = 'email' AND m.channel = 'email' AND c.customer_id BETWEEN @lo AND @hi
      UNION
      SELECT i.customer_id, m.id FROM identities i JOIN messages m ON m.author_identity_id = i.id
      WHERE i.kind = 'email' AND i.customer_id BETWEEN @lo AND @hi AND m.channel = 'email'
    ), ranked AS (
      SELECT mine.cid, mine.id, row_number() OVER (PARTITION BY mine.cid ORDER BY m.sent_at DESC, m.id DESC) AS rn
      FROM mine JOIN messages m ON m.id = mine.id
    )
    SELECT ranked.cid AS cid, ${MAIL_COLUMNS}
    FROM ranked JOIN messages m ON m.id = ranked.id
    WHERE ranked.rn <= ${MAX_MAILS}
    ORDER BY ranked.cid, ranked.rn`);
  const qX = q(db, "SELECT id, x_user_id, handle, display_name, names, profile FROM identities WHERE id = ? AND kind = 'x' AND is_self = 0");
  const qXMessages = q(db, "SELECT id, conversation_id, kind, body_text, sent_at FROM messages WHERE author_identity_id = ? AND channel = 'x' AND direction = 'in' ORDER BY sent_at DESC, id DESC LIMIT 200");
  return {
    selfDomains,
    emailCustomerIds() {
      return (
        q(db, "SELECT DISTINCT customer_id FROM identities WHERE kind = 'email' AND is_self = 0 ORDER BY customer_id")
          .all() as { customer_id: number }[]
      ).map((r) => r.customer_id);
    },
    customer(customerId) {
      const ids = qIdentities.all(customerId) as IdentityRow[];
      if (!ids.length) return null;
      return toInput(customerId, ids, qMessages.all({ cid: customerId }) as MailRow[], selfDomains);
    },
    customersInRange(lo, hi) {
      const out = new Map<number, CustomerInput>();
      const idents = qRangeIdentities.all(lo, hi) as (IdentityRow & { customer_id: number })[];
      const byCustomer = new Map<number, IdentityRow[]>();
      for (const i of idents) {
        const l = byCustomer.get(i.customer_id);
        if (l) l.push(i);
        else byCustomer.set(i.customer_id, [i]);
      }
      const mails = new Map<number, MailRow[]>();
      for (const r of qRangeMails.all({ lo, hi }) as (MailRow & { cid: number })[]) {
        const l = mails.get(r.cid);
        if (l) l.push(r);
        else mails.set(r.cid, [r]);
      }
      // Newest first, as customer() reads them.
      for (const [cid, ids] of byCustomer) out.set(cid, toInput(cid, ids, mails.get(cid) ?? [], selfDomains));
      return out;
    },
    xIdentityIds() {
      return (q(db, "SELECT id FROM identities WHERE kind = 'x' AND is_self = 0 ORDER BY id").all() as { id: number }[]).map((r) => r.id);
    },
    xIdentity(identityId) {
      const r = qX.get(identityId) as
        | { id: number; x_user_id: string; handle: string | null; display_name: string; names: string; profile: string | null }
        | undefined;
      if (!r) return null;
      const msgs = qXMessages.all(identityId) as { id: number; conversation_id: number; kind: 'tweet' | 'dm'; body_text: string; sent_at: number }[];
      const messages: XMessageInput[] = msgs.map((m) => ({ id: m.id, conversationId: m.conversation_id, kind: m.kind, text: m.body_text, sentAt: m.sent_at }));
      return {
        identityId: r.id,
        xUserId: r.x_user_id,
        handle: r.handle,
        displayName: r.display_name,
        names: parseJson<string[]>(r.names, []),
        profile: parseJson<XInput['profile']>(r.profile, null),
        messages,
      };
    },
  };
}
