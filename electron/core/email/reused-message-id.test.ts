// A Message-ID is meant to be unique, but mailers reuse them (contact forms with a fixed id, two
// senders' clashing ids). A different message under an id already stored is kept as its own
// message and says why; copies of one message (another folder, a list's copy with a footer, a
// second sync) are still stored once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { tempDir } from '../testing/tmp';
import { ingestBatch } from './ingest';

function eml(from: string, date: string, subject: string, body: string, id = '<form-123@contact.example>'): Uint8Array {
  return new TextEncoder().encode(
    [`From: ${from}`, 'To: Shop Support <help@shop.example>', `Subject: ${subject}`, `Date: ${date}`, `Message-ID: ${id}`, 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n'),
  );
}

describe('a Message-ID used by two different messages', () => {
  let dir: { dir: string; cleanup(): void };
  let core: Core;
  beforeEach(() => {
    dir = tempDir('canary-reused-id-');
    core = createCore({ dataDir: dir.dir });
  });
  afterEach(() => {
    core.dispose();
    dir.cleanup();
  });
  const rows = () =>
    core.db.prepare("SELECT external_id, author_address, parse_problems, conversation_id FROM messages WHERE kind = 'email' ORDER BY sent_at").all() as {
      external_id: string;
      author_address: string;
      parse_problems: string | null;
      conversation_id: number;
    }[];

  it('keeps both when the senders differ, the second under an id of its own with the reason', async () => {
    await ingestBatch(core.ctx, [eml('Ann Lee <ann@example.net>', 'Mon, 01 Jun 2026 10:00:00 +0000', 'Contact form', 'My order 1001 never came.')], { selfAddresses: ['help@shop.example'] });
    await ingestBatch(core.ctx, [eml('Bo Chan <bo@example.org>', 'Mon, 01 Jun 2026 11:00:00 +0000', 'Contact form', 'I was charged twice for 2002.')], { selfAddresses: ['help@shop.example'] });
    const r = rows();
    expect(r.map((m) => m.author_address)).toEqual(['ann@example.net', 'bo@example.org']);
    expect(r[0]!.external_id).toBe('form-123@contact.example');
    expect(r[1]!.external_id).toMatch(/^form-123@contact\.example#[0-9a-f]{16}$/);
    expect(JSON.parse(r[1]!.parse_problems!)).toContain("its Message-ID <form-123@contact.example> is also another message's (from ann@example.net): kept as its own message");
    // Two customers, two conversations.
    expect(new Set(r.map((m) => m.conversation_id)).size).toBe(2);
  });

  it("threads a reply to the reused id with its own sender's message, not the other customer's", async () => {
    await ingestBatch(core.ctx, [eml('Ann Lee <ann@example.net>', 'Mon, 01 Jun 2026 10:00:00 +0000', 'Order 1001', 'My order 1001 never came.', '<x56@mail.example>')], {
      selfAddresses: ['help@shop.example'],
    });
    await ingestBatch(core.ctx, [eml('Bo Chan <bo@example.org>', 'Mon, 01 Jun 2026 11:00:00 +0000', 'Problem', 'I was charged twice for 2002.', '<x56@mail.example>')], {
      selfAddresses: ['help@shop.example'],
    });
    const reply = new TextDecoder()
      .decode(eml('Bo Chan <bo@example.org>', 'Tue, 02 Jun 2026 09:00:00 +0000', 'Re: Problem', 'Any news on 2002?', '<x58@mail.example>'))
      .replace('Content-Type:', 'In-Reply-To: <x56@mail.example>\r\nReferences: <x56@mail.example>\r\nContent-Type:');
    await ingestBatch(core.ctx, [new TextEncoder().encode(reply)], { selfAddresses: ['help@shop.example'] });
    const r = rows();
    const conv = (who: string) => new Set(r.filter((m) => m.author_address === who).map((m) => m.conversation_id));
    expect(conv('bo@example.org').size).toBe(1);
    expect([...conv('bo@example.org')][0]).not.toBe([...conv('ann@example.net')][0]);
  });

  // A contact form's two submissions under one fixed Message-ID, the business's answer to each (its
  // mailer names the form's id), and Bo's reply to his answer.
  const help = 'Shop Support <help@shop.example>';
  const mail = (from: string, to: string, date: string, subject: string, body: string, id: string, inReplyTo?: string, refs?: string) =>
    new TextEncoder().encode(
      new TextDecoder()
        .decode(eml(from, date, subject, body, id))
        .replace('To: Shop Support <help@shop.example>', `To: ${to}`)
        .replace('Content-Type:', `${inReplyTo ? `In-Reply-To: ${inReplyTo}\r\nReferences: ${refs ?? inReplyTo}\r\n` : ''}Content-Type:`),
    );
  const form = [
    mail('Ann Lee <ann@example.net>', help, 'Mon, 01 Jun 2026 10:00:00 +0000', 'Contact form', 'My order 1001 never came.', '<form-123@contact.example>'),
    mail('Bo Chan <bo@example.org>', help, 'Mon, 01 Jun 2026 11:00:00 +0000', 'Contact form', 'I was charged twice for 2002.', '<form-123@contact.example>'),
    mail(help, 'bo@example.org', 'Mon, 01 Jun 2026 12:00:00 +0000', 'Re: Contact form', 'We refunded 2002.', '<r1@shop.example>', '<form-123@contact.example>'),
    mail(
      'Bo Chan <bo@example.org>',
      help,
      'Mon, 01 Jun 2026 13:00:00 +0000',
      'Re: Contact form',
      'Thanks, I see it.',
      '<b2@example.org>',
      '<r1@shop.example>',
      '<form-123@contact.example> <r1@shop.example>',
    ),
    mail(help, 'ann@example.net', 'Mon, 01 Jun 2026 14:00:00 +0000', 'Re: Contact form', 'Your parcel 1001 is on its way.', '<r2@shop.example>', '<form-123@contact.example>'),
  ];
  const orders: [string, number[], boolean][] = [
    ['as they were written, one at a time', [0, 1, 2, 3, 4], false],
    ['newest first, as a first sync takes them', [4, 3, 2, 1, 0], false],
    ['answers first, in one batch', [2, 4, 3, 0, 1], true],
  ];
  for (const [order, seq, batch] of orders) {
    it(`threads the answers to a contact form's fixed id, and the replies to them, with the customer answered: ${order}`, async () => {
      const self = { selfAddresses: ['help@shop.example'] };
      if (batch)
        await ingestBatch(
          core.ctx,
          seq.map((i) => form[i]!),
          self,
        );
      else for (const i of seq) await ingestBatch(core.ctx, [form[i]!], self);
      const all = core.db.prepare("SELECT external_id, author_address, conversation_id FROM messages WHERE kind = 'email'").all() as {
        external_id: string;
        author_address: string;
        conversation_id: number;
      }[];
      const conv = new Map(all.map((m) => [m.external_id.startsWith('form-') ? `form:${m.author_address}` : m.external_id, m.conversation_id]));
      // Before, every answer joined the first stored submission's thread, and Bo's reply then merged the two (or, newest first, Ann's answer stayed in Bo's).
      expect(new Set(all.map((m) => m.conversation_id)).size).toBe(2);
      expect(conv.get('r1@shop.example')).toBe(conv.get('form:bo@example.org'));
      expect(conv.get('b2@example.org')).toBe(conv.get('form:bo@example.org'));
      expect(conv.get('r2@shop.example')).toBe(conv.get('form:ann@example.net'));
      expect(conv.get('form:ann@example.net')).not.toBe(conv.get('form:bo@example.org'));
      const one = (sql: string, v: unknown) => (core.db.prepare(sql).get(v) as { customer_id: number }).customer_id;
      const customerOf = (id: number) => one('SELECT customer_id FROM conversations WHERE id = ?', id);
      const idOf = (address: string) => one("SELECT customer_id FROM identities WHERE kind = 'email' AND address = ?", address);
      expect(customerOf(conv.get('b2@example.org')!)).toBe(idOf('bo@example.org'));
      expect(customerOf(conv.get('r2@shop.example')!)).toBe(idOf('ann@example.net'));
      const count = (id: number) => (core.db.prepare('SELECT message_count FROM conversations WHERE id = ?').get(id) as { message_count: number }).message_count;
      expect([count(conv.get('r2@shop.example')!), count(conv.get('b2@example.org')!)]).toEqual([2, 3]);
    });
  }

  it('keeps both when one sender reuses an id for another message the same day', async () => {
    await ingestBatch(core.ctx, [eml('Ann Lee <ann@example.net>', 'Mon, 01 Jun 2026 10:00:00 +0000', 'Contact form', 'My order 1001 never came.')], { selfAddresses: ['help@shop.example'] });
    await ingestBatch(core.ctx, [eml('Ann Lee <ann@example.net>', 'Mon, 01 Jun 2026 15:00:00 +0000', 'Contact form', 'Still nothing about 1001, please answer.')], {
      selfAddresses: ['help@shop.example'],
    });
    expect(rows()).toHaveLength(2);
  });

  it('stores copies of one message once: the same bytes again, and a list copy with a footer', async () => {
    const a = eml('Ann Lee <ann@example.net>', 'Mon, 01 Jun 2026 10:00:00 +0000', 'Contact form', 'My order 1001 never came.');
    await ingestBatch(core.ctx, [a], { selfAddresses: ['help@shop.example'] });
    await ingestBatch(core.ctx, [a], { selfAddresses: ['help@shop.example'] });
    await ingestBatch(core.ctx, [eml('Ann Lee <ann@example.net>', 'Mon, 01 Jun 2026 10:00:00 +0000', '[support] Contact form', 'My order 1001 never came.\n\n--\nsupport list')], {
      selfAddresses: ['help@shop.example'],
    });
    expect(rows()).toHaveLength(1);
    // A reused id's own copy, synced again, is not stored twice either.
    const b = eml('Bo Chan <bo@example.org>', 'Mon, 01 Jun 2026 11:00:00 +0000', 'Contact form', 'I was charged twice for 2002.');
    await ingestBatch(core.ctx, [b], { selfAddresses: ['help@shop.example'] });
    await ingestBatch(core.ctx, [b], { selfAddresses: ['help@shop.example'] });
    expect(rows()).toHaveLength(2);
  });
});
