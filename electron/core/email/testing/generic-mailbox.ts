// A support mailbox the way a new owner's really is, for the threading and self-address tests:
// many customers writing the same generic subjects ("Help please", "Question about my account",
// even a first mail titled "Re: your TV box"), the business answering with proper headers, the
// customers' follow-ups sometimes without any (a webmail "reply" that starts a new mail), and the
// business's replies stored in Sent, or in the inbox itself (a Bcc-to-self habit, or a client that
// files them there). Every message carries its thread, so a test can check that each conversation
// is exactly one thread.
import { expect } from 'vitest';
import type { Core } from '../../createCore';
import { makeRawEmail } from '../../testing/dovecot';

export const BUSINESS = { name: 'Brightwave Internet Support', address: 'support@brightwave.example' };
const SUBJECTS = ['Help please', 'Question about my account', 'Re: your TV box', 'Problem', 'Help please'];
const FIRST = ['Maria', 'Kwame', 'Olga', 'Priya', 'Tom', 'Aoife', 'Hiroshi', 'Lucía', 'Björn', 'Amira', 'Dan', 'Sue'];
const LAST = ['Okafor', 'Lindqvist', 'Brennan', 'Duarte', 'Nakamura', 'Petrov', 'Rahman', 'Kim'];

export interface GenericMail {
  raw: Buffer;
  messageId: string;
  /** Which thread the message belongs to ("c3-t0": customer 3's first request). */
  thread: string;
  customer: string;
  /** Where a mail client would file it. */
  folder: 'INBOX' | 'Sent';
  at: number;
}

export interface GenericMailbox {
  mails: GenericMail[];
  threads: number;
  customers: string[];
}

/**
 * `customers` customers, each with `threadsEach` requests; subjects repeat across customers.
 * Business replies: every other thread's reply goes to the inbox instead of Sent when `repliesInInbox`.
 */
export function genericMailbox(o: { customers: number; threadsEach?: number; repliesInInbox?: boolean; start?: number } = { customers: 8 }): GenericMailbox {
  const mails: GenericMail[] = [];
  const customers: string[] = [];
  const t0 = o.start ?? Date.UTC(2026, 1, 2, 9);
  const each = o.threadsEach ?? 2;
  let n = 0;
  for (let c = 0; c < o.customers; c++) {
    const name = `${FIRST[c % FIRST.length]} ${LAST[(c * 5 + Math.floor(c / FIRST.length)) % LAST.length]}`;
    const address = `${name
      .split(' ')[0]!
      .normalize('NFKD')
      .replace(/[^A-Za-z]/g, '')
      .toLowerCase()}.${c}@mail${c % 3}.example`;
    customers.push(address);
    const cust = `${name} <${address}>`;
    for (let t = 0; t < each; t++) {
      const thread = `c${c}-t${t}`;
      const subject = SUBJECTS[(c + t * 2) % SUBJECTS.length]!;
      const base = t0 + c * 3_600_000 + t * 20 * 86_400_000;
      const id = (k: string) => `<${thread}-${k}@${k.startsWith('b') ? 'brightwave.example' : 'mail.example'}>`;
      const push = (k: string, from: string, to: string, subj: string, at: number, headers: { inReplyTo?: string; references?: string[] }, folder: 'INBOX' | 'Sent') => {
        n++;
        mails.push({
          raw: makeRawEmail({ from, to, subject: subj, body: `${k} of ${thread}: my router keeps dropping (${n})`, messageId: id(k), date: new Date(at), ...headers }),
          messageId: id(k).slice(1, -1),
          thread,
          customer: address,
          folder,
          at,
        });
      };
      const business = `${BUSINESS.name} <${BUSINESS.address}>`;
      const reSubject = subject.startsWith('Re: ') ? subject : `Re: ${subject}`;
      push('a', cust, business, subject, base, {}, 'INBOX');
      const replyFolder = o.repliesInInbox && (c + t) % 2 === 0 ? 'INBOX' : 'Sent';
      push('b1', business, cust, reSubject, base + 2 * 3_600_000, { inReplyTo: id('a'), references: [id('a')] }, replyFolder);
      // The customer's follow-up: with headers for some, a fresh mail with the same subject for others.
      const headerless = (c + t) % 3 !== 0;
      push('a2', cust, business, reSubject, base + 26 * 3_600_000, headerless ? {} : { inReplyTo: id('b1'), references: [id('a'), id('b1')] }, 'INBOX');
      if (t % 2 === 0) push('b2', business, cust, reSubject, base + 30 * 3_600_000, { inReplyTo: id('a2'), references: [id('a'), id('a2')] }, replyFolder);
    }
  }
  return { mails, threads: o.customers * each, customers };
}

/** Each conversation holds exactly one thread, every thread is in one conversation, and the business is nobody's customer. */
export function expectExactThreads(core: Pick<Core, 'db'>, box: GenericMailbox, stored = box.mails): void {
  const threadOf = new Map(stored.map((m) => [m.messageId, m.thread]));
  const rows = core.db.prepare("SELECT conversation_id AS c, external_id AS id FROM messages WHERE kind = 'email'").all() as { c: number; id: string }[];
  expect(rows.length).toBe(stored.length);
  const byConv = new Map<number, Set<string>>();
  const convOf = new Map<string, Set<number>>();
  for (const r of rows) {
    const t = threadOf.get(r.id)!;
    (byConv.get(r.c) ?? byConv.set(r.c, new Set()).get(r.c)!).add(t);
    (convOf.get(t) ?? convOf.set(t, new Set()).get(t)!).add(r.c);
  }
  const mixed = [...byConv].filter(([, ts]) => ts.size > 1).map(([c, ts]) => `conversation ${c}: ${[...ts].join(', ')}`);
  const torn = [...convOf].filter(([, cs]) => cs.size > 1).map(([t, cs]) => `${t} in ${cs.size} conversations`);
  expect(mixed).toEqual([]);
  expect(torn).toEqual([]);
  expect(byConv.size).toBe(new Set(stored.map((m) => m.thread)).size);
  // The business is never a customer: not of a conversation, not counted.
  const businessCustomer = core.db
    .prepare("SELECT count(*) FROM conversations c JOIN identities i ON i.customer_id = c.customer_id AND i.kind = 'email' WHERE i.address = ?")
    .pluck()
    .get(BUSINESS.address) as number;
  expect(businessCustomer).toBe(0);
  expect(core.db.prepare('SELECT is_self FROM identities WHERE address = ?').pluck().get(BUSINESS.address)).toBe(1);
  // Each conversation's customer is the customer of its thread.
  const wrongCustomer = core.db
    .prepare(
      `SELECT count(*) FROM conversations c WHERE c.kind = 'email' AND NOT EXISTS (
         SELECT 1 FROM messages m JOIN identities i ON i.id = m.author_identity_id WHERE m.conversation_id = c.id AND i.customer_id = c.customer_id AND i.is_self = 0)`,
    )
    .pluck()
    .get() as number;
  expect(wrongCustomer).toBe(0);
  // Mail from the business is outbound; a thread the business answered last waits for the customer.
  expect(core.db.prepare("SELECT count(*) FROM messages WHERE author_address = ? AND direction = 'in'").pluck().get(BUSINESS.address)).toBe(0);
  const lastOut = core.db
    .prepare(
      `SELECT count(*) FROM conversations c WHERE c.kind = 'email' AND c.status = 'open'
       AND (SELECT direction FROM messages WHERE conversation_id = c.id ORDER BY sent_at DESC, id DESC LIMIT 1) = 'out'`,
    )
    .pluck()
    .get() as number;
  expect(lastOut).toBe(0);
}
