// Reads what linking needs from the stored mail and X rows (customers, identities, messages).
import type { DB } from '../db/open';
import * as rows from '../db/repos/linking/inputs';
import type { EmailIdentityRow, MailRow } from '../db/repos/linking/inputs';
import { parseJson } from '../db/json';
import { emailDomain, registrableDomain } from './extract';
import type { CustomerInput, MailInput, XInput, XMessageInput } from './profile';

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

function toInput(customerId: number, ids: EmailIdentityRow[], rows: MailRow[], selfDomains: Set<string>): CustomerInput {
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
  for (const address of rows.selfAddresses(db)) selfDomains.add(registrableDomain(emailDomain(address)));
  return {
    selfDomains,
    emailCustomerIds: () => rows.emailCustomerIds(db),
    customer(customerId) {
      const ids = rows.emailIdentitiesOf(db, customerId);
      if (!ids.length) return null;
      return toInput(customerId, ids, rows.newestMailsOf(db, customerId), selfDomains);
    },
    customersInRange(lo, hi) {
      const out = new Map<number, CustomerInput>();
      const byCustomer = new Map<number, EmailIdentityRow[]>();
      for (const i of rows.emailIdentitiesInRange(db, lo, hi)) {
        const l = byCustomer.get(i.customer_id);
        if (l) l.push(i);
        else byCustomer.set(i.customer_id, [i]);
      }
      const mails = new Map<number, MailRow[]>();
      for (const r of rows.newestMailsInRange(db, lo, hi)) {
        const l = mails.get(r.cid);
        if (l) l.push(r);
        else mails.set(r.cid, [r]);
      }
      // Newest first, as customer() reads them.
      for (const [cid, ids] of byCustomer) out.set(cid, toInput(cid, ids, mails.get(cid) ?? [], selfDomains));
      return out;
    },
    xIdentityIds: () => rows.xIdentityIds(db),
    xIdentity(identityId) {
      const r = rows.xIdentityInput(db, identityId);
      if (!r) return null;
      const messages: XMessageInput[] = rows.xPostsOf(db, identityId).map((m) => ({ id: m.id, conversationId: m.conversation_id, kind: m.kind, text: m.body_text, sentAt: m.sent_at }));
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
