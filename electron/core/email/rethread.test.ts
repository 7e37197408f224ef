// The repair splits only what joined different customers: one customer's mail that an importer or
// an older version kept in one conversation stays together, and so does mail the business wrote
// to nobody else; conversations of two customers come apart. (The migration test covers a whole
// mailbox made by the old code.)
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { ensureEmailIdentity } from '../db/repos/customers';
import { ensureConversation, refreshConversation } from '../db/repos/conversations';
import { insertMessage } from '../db/repos/messages';
import { tempDir } from '../testing/tmp';
import { repairSelfAddresses } from './self-repair';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function core(): Core {
  const t = tempDir('canary-rethread-');
  const c = createCore({ dataDir: t.dir });
  cleanups.push(() => {
    c.dispose();
    t.cleanup();
  });
  return c;
}

const H = 3_600_000;
const T0 = Date.UTC(2026, 1, 1);

function conversationOf(c: Core, thread: string, mails: { from: string; to: string; subject: string; at: number; out?: boolean }[]): number {
  const conv = ensureConversation(c.db, { channel: 'email', kind: 'email', externalId: `${thread}-0@x`, subject: mails[0]!.subject });
  mails.forEach((m, i) => {
    const who = ensureEmailIdentity(c.db, { address: m.from, isSelf: m.out });
    insertMessage(c.db, {
      conversationId: conv,
      channel: 'email',
      kind: 'email',
      externalId: `${thread}-${i}@x`,
      direction: m.out ? 'out' : 'in',
      sentAt: m.at,
      subject: m.subject,
      text: 'text',
      authorIdentityId: who.id,
      authorAddress: m.from,
      to: [m.to],
    });
  });
  refreshConversation(c.db, conv);
  return conv;
}

const count = (c: Core) => c.db.prepare("SELECT count(*) FROM conversations WHERE kind = 'email'").pluck().get();

describe('splitting conversations the subject fallback joined', () => {
  it("keeps one customer's two requests on the same subject together, with the business's mail to nobody else", () => {
    const c = core();
    conversationOf(c, 'a', [
      { from: 'ann@cust.example', to: 'support@shop.example', subject: 'Help please', at: T0 },
      { from: 'support@shop.example', to: '', subject: 'Help please', at: T0 + H, out: true },
      { from: 'ann@cust.example', to: 'support@shop.example', subject: 'Help please', at: T0 + 30 * 24 * H },
    ]);
    const r = repairSelfAddresses(c.db, Date.now(), { all: true });
    expect(r.split).toEqual([]);
    expect(count(c)).toBe(1);
  });

  it('takes two customers apart, each part with its own mail and customer', () => {
    const c = core();
    const id = conversationOf(c, 'b', [
      { from: 'ann@cust.example', to: 'support@shop.example', subject: 'Help please', at: T0 },
      { from: 'bob@other.example', to: 'support@shop.example', subject: 'Help please', at: T0 + 2 * H },
      { from: 'support@shop.example', to: 'bob@other.example', subject: 'Re: Help please', at: T0 + 3 * H, out: true },
    ]);
    const r = repairSelfAddresses(c.db, Date.now(), { all: true });
    expect(r.split).toEqual([id]);
    expect(count(c)).toBe(2);
    const parts = c.db.prepare("SELECT c.id, group_concat(m.author_address, ' ') AS who FROM conversations c JOIN messages m ON m.conversation_id = c.id GROUP BY c.id ORDER BY c.id").all() as {
      id: number;
      who: string;
    }[];
    expect(parts.map((p) => p.who.split(' ').sort().join(' '))).toEqual(['ann@cust.example', 'bob@other.example support@shop.example']);
    const customers = c.db.prepare("SELECT i.address FROM conversations c JOIN identities i ON i.customer_id = c.customer_id AND i.kind = 'email' ORDER BY c.id").pluck().all();
    expect(customers).toEqual(['ann@cust.example', 'bob@other.example']);
  });
});
