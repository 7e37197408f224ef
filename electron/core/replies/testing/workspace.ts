// A customer who emailed and then complained on X, on real servers, for the cross-channel answer's
// tests: Maria's two-message email thread in Dovecot (synced over IMAP, answered over the SMTP peer)
// and her complaint on the local X API server (synced, answered there). Her X account is linked to
// her email customer by hand (escalated), or only suggested for it (likely) when `likely` is set.
import type { Core } from '../../createCore';
import { seedLink } from '../../db/repos/demo';
import { markEscalations } from '../../linking/escalation';
import type { Dovecot } from '../../testing/dovecot';
import { makeRawEmail } from '../../testing/dovecot';
import type { XServerData } from '../../x/testing/server';

const H = 3_600_000;
export const MARIA_POST = '1901';
export const THREAD = ['<a1-4411@cust.example>', '<a2-4411@cust.example>'] as const;

/** `anonymous`: her X account shows nothing the engine could tie to her mail (for a suggestion made by hand). */
export function mariaXData(o: { now?: number; anonymous?: boolean } = {}): XServerData {
  const now = o.now ?? Date.now();
  const me = { id: '1000', name: 'Shop', username: 'shop' };
  const maria = o.anonymous ? { id: '2001', name: 'Trail rider', username: 'trail_rider_77' } : { id: '2001', name: 'Maria Kowalski', username: 'mariak' };
  return {
    me,
    users: [maria],
    tweets: [
      {
        id: MARIA_POST,
        text: '@shop three days and no answer about my damaged frame. Anyone there?',
        author_id: '2001',
        created_at: new Date(now - 2 * H).toISOString(),
        conversation_id: MARIA_POST,
        in_reply_to_user_id: '1000',
        edit_history_tweet_ids: [MARIA_POST],
        entities: { mentions: [{ start: 0, end: 5, username: 'shop', id: '1000' }] },
      },
    ],
    dmEvents: [],
  };
}

/** Maria's thread; its subject names no order unless given (an order number is private data on X). */
export function seedMariaMail(d: Dovecot, user: string, subject = 'Frame arrived damaged', now = Date.now()): void {
  const from = 'Maria Kowalski <maria@cust.example>';
  d.seedMaildir(user, [
    makeRawEmail({ from, to: 'support@shop.example', subject, body: 'The frame has a cracked dropout. Order 4411.', messageId: THREAD[0], date: new Date(now - 80 * H) }),
    makeRawEmail({
      from,
      to: 'support@shop.example',
      subject: `Re: ${subject}`,
      body: 'Any news? My phone is 0176 5550 1234.',
      messageId: THREAD[1],
      inReplyTo: THREAD[0],
      references: [THREAD[0]],
      date: new Date(now - 74 * H),
    }),
  ]);
}

/** Accounts added and synced, Maria's X account linked (or suggested): the two conversations' ids. */
export async function setupMaria(
  core: Core,
  o: { imap: { host: string; port: number }; smtpPort: number; user: string; password: string; xUrl: string; likely?: boolean },
): Promise<{ emailConv: number; xConv: number; xAccountId: number; emailAccountId: number }> {
  const { account } = await core.call('accounts.add', {
    channel: 'email',
    account: { name: 'Shop', address: 'support@shop.example', imap: { ...o.imap, tls: 'off' }, smtp: { host: '127.0.0.1', port: o.smtpPort, tls: 'off' }, user: o.user, secret: o.password },
    skipCheck: true,
  });
  await core.call('email.sync.pass', { accountId: account.id });
  const x = await core.call('accounts.add', { channel: 'x', name: 'Shop on X', credentials: { kind: 'oauth2', accessToken: 'test-token' }, apiBase: o.xUrl, firstSync: false });
  await core.call('x.sync.pass', { accountId: x.account.id });
  await core.call('links.list', {}); // the engine has linked what is new (nothing it decides is changed after)
  const db = core.db;
  const emailConv = db.prepare("SELECT id FROM conversations WHERE channel = 'email'").pluck().get() as number;
  const xConv = db.prepare('SELECT c.id FROM conversations c JOIN messages m ON m.conversation_id = c.id WHERE m.external_id = ?').pluck().get(MARIA_POST) as number;
  const customerId = db.prepare('SELECT customer_id FROM conversations WHERE id = ?').pluck().get(emailConv) as number;
  const identityId = db.prepare("SELECT id FROM identities WHERE kind = 'x' AND x_user_id = '2001'").pluck().get() as number;
  if (o.likely) {
    // The engine's own suggestion, as strong as a likely escalation needs; then marked as linking does.
    // (The engine may have suggested her already, on her complaint's story, with a lower score: that row is the one made strong.)
    const evidence = JSON.stringify(['Display name matches "Maria Kowalski"']);
    seedLink(db, { identityId, customerId, state: 'suggested', score: 0.97, evidence, decidedBy: 'engine', now: Date.now() });
    db.prepare("UPDATE links SET state = 'suggested', score = 0.97, evidence = ?, decided_by = 'engine' WHERE identity_id = ? AND customer_id = ?").run(evidence, identityId, customerId);
    markEscalations(db, identityId, Date.now());
  } else {
    await core.call('links.link', { identityId, customerId });
  }
  return { emailConv, xConv, xAccountId: x.account.id, emailAccountId: account.id };
}
