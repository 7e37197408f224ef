import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { importPath } from '../import';
import { tempDir } from '../testing/tmp';
import { refreshConversation } from '../db/repos/conversations';
import { xImporter } from './importer';
import { storeXPage } from './normalize';

const cores: Core[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  cores.splice(0).forEach((c) => c.dispose());
  cleanups.splice(0).forEach((c) => c());
});

function setup(): { core: Core; dir: string } {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const core = createCore({ dataDir: path.join(t.dir, 'data') });
  cores.push(core);
  const dir = path.join(t.dir, 'in', 'x');
  fs.mkdirSync(dir, { recursive: true });
  return { core, dir };
}

const ME = { data: { id: '1000', name: 'Shop', username: 'shop' } };
const MENTIONS = {
  data: [
    {
      id: '1802',
      text: '@shop still waiting &amp; annoyed https://t.co/abc',
      author_id: '2001',
      created_at: '2024-01-03T00:00:00.000Z',
      conversation_id: '1700',
      in_reply_to_user_id: '1000',
      referenced_tweets: [{ type: 'replied_to', id: '1801' }],
      entities: { urls: [{ start: 37, end: 60, url: 'https://t.co/abc', expanded_url: 'https://example.com/order/77' }] },
      edit_history_tweet_ids: ['1802'],
    },
    {
      id: '1700',
      text: '@shop my order never came',
      author_id: '2001',
      created_at: '2024-01-01T00:00:00.000Z',
      conversation_id: '1700',
      edit_history_tweet_ids: ['1700'],
    },
    { id: '1750', text: 'love @shop', author_id: '2002', created_at: '2024-01-02T00:00:00.000Z', conversation_id: '1750', edit_history_tweet_ids: ['1750'] },
  ],
  includes: {
    users: [
      {
        id: '2001',
        name: 'Alice',
        username: 'alice',
        description: 'hiker',
        location: 'Oslo',
        url: 'https://t.co/x',
        entities: { url: { urls: [{ url: 'https://t.co/x', expanded_url: 'https://alice.example' }] } },
        public_metrics: { followers_count: 12300, following_count: 10, tweet_count: 400, listed_count: 0 },
      },
      // Counts that are not numbers are left out, never a reason to refuse the page.
      { id: '2002', name: 'Bob', username: 'bob', public_metrics: { followers_count: 'lots' } },
    ],
    tweets: [{ id: '1801', text: '@alice sorry, looking into it', author_id: '1000', created_at: '2024-01-02T12:00:00.000Z', conversation_id: '1700', edit_history_tweet_ids: ['1801'] }],
  },
  meta: { result_count: 3, newest_id: '1802', oldest_id: '1700' },
};
const DMS = {
  data: [
    { id: '9003', event_type: 'MessageCreate', text: 'we refunded you', sender_id: '1000', dm_conversation_id: '1000-2001', created_at: '2024-01-06T00:00:00.000Z' },
    { id: '9002', event_type: 'MessageCreate', text: 'my order is HP-1234', sender_id: '2001', dm_conversation_id: '1000-2001', created_at: '2024-01-05T00:00:00.000Z' },
    { id: '9001', event_type: 'ParticipantsJoin', dm_conversation_id: '1000-2001', participant_ids: ['2001'] },
  ],
  includes: { users: [{ id: '2001', name: 'Alice B.', username: 'alice_b' }] },
  meta: { result_count: 3 },
};

function write(dir: string, name: string, v: unknown): void {
  fs.writeFileSync(path.join(dir, name), typeof v === 'string' ? v : JSON.stringify(v, null, 2));
}

function counts(core: Core) {
  const q = (sql: string) => (core.db.prepare(sql).get() as { n: number }).n;
  return {
    messages: q("SELECT count(*) AS n FROM messages WHERE channel = 'x'"),
    conversations: q("SELECT count(*) AS n FROM conversations WHERE channel = 'x'"),
    identities: q("SELECT count(*) AS n FROM identities WHERE kind = 'x'"),
  };
}

describe('X importer', () => {
  it('detects X pages and archive files by name and content, and nothing else', () => {
    const h = (s: string) => Buffer.from(s);
    expect(xImporter.detect('/a/x/me.json', h('{}'))).toBe(true);
    expect(xImporter.detect('/a/x/mentions-001.json', h('{}'))).toBe(true);
    expect(xImporter.detect('/a/x/search-brand.json', h('{}'))).toBe(true);
    expect(xImporter.detect('/a/x/dm_events-002.json', h('{}'))).toBe(true);
    expect(xImporter.detect('/a/other.json', h('{"data":[{"id":"1","text":"x","author_id":"2"}]}'))).toBe(true);
    expect(xImporter.detect('/a/truth.json', h('{"accounts":[]}'))).toBe(false);
    expect(xImporter.detect('/a/data/direct-messages.js', h('window.YTD.direct_messages.part0 = ['))).toBe(true);
    expect(xImporter.detect('/a/data/tweets.js', h('window.YTD.tweets.part0 = ['))).toBe(false);
    expect(xImporter.detect('/a/mail/1.eml', h('From: a@b'))).toBe(false);
  });

  it('imports me, mentions and DM pages: conversations, identities, directions, raw payloads; re-import stores nothing twice', async () => {
    const { core, dir } = setup();
    write(dir, 'me.json', ME);
    write(dir, 'mentions-001.json', MENTIONS);
    write(dir, 'dm_events-001.json', DMS);
    const r = await importPath(core.ctx, path.dirname(dir));
    expect(r.problems).toEqual([]);
    expect(r.files).toBe(3);
    expect(r.imported).toBe(6); // 3 mentions + the business's reply from includes.tweets + 2 DMs (the join event is not a message)
    const db = core.db;
    // The business's reply from includes.tweets is stored in the conversation, outbound.
    const rows = db
      .prepare(
        'SELECT m.external_id, m.direction, m.body_text, c.external_id AS conv, c.kind, m.author_address FROM messages m JOIN conversations c ON c.id = m.conversation_id ORDER BY m.external_id',
      )
      .all() as {
      external_id: string;
      direction: string;
      body_text: string;
      conv: string;
      kind: string;
      author_address: string;
    }[];
    expect(rows.map((x) => [x.external_id, x.direction, x.conv, x.kind])).toEqual([
      ['1700', 'in', '1700', 'tweet'],
      ['1750', 'in', '1750', 'tweet'],
      ['1801', 'out', '1700', 'tweet'],
      ['1802', 'in', '1700', 'tweet'],
      ['9002', 'in', '1000-2001', 'dm'],
      ['9003', 'out', '1000-2001', 'dm'],
    ]);
    // Entities decoded, t.co expanded.
    expect(rows.find((x) => x.external_id === '1802')!.body_text).toBe('@shop still waiting & annoyed https://example.com/order/77');
    // Identities: Alice's profile, handle updated by the DM page (she renamed), the business is self.
    const alice = db.prepare("SELECT * FROM identities WHERE x_user_id = '2001'").get() as { handle: string; display_name: string; names: string; profile: string; is_self: number };
    expect(alice.handle).toBe('alice_b');
    expect(alice.display_name).toBe('Alice B.');
    expect(JSON.parse(alice.names)).toEqual(['Alice', 'Alice B.']);
    expect(JSON.parse(alice.profile)).toEqual({ description: 'hiker', url: 'https://alice.example', location: 'Oslo', followers: 12300 });
    expect(db.prepare("SELECT profile FROM identities WHERE x_user_id = '2002'").pluck().get()).toBeNull();
    const self = db.prepare("SELECT is_self, handle FROM identities WHERE x_user_id = '1000'").get() as { is_self: number; handle: string };
    expect(self).toEqual({ is_self: 1, handle: 'shop' });
    // Conversations belong to the customer, not the business; aggregates computed.
    const conv = db
      .prepare("SELECT c.message_count, c.last_inbound_at, c.last_outbound_at, i.x_user_id FROM conversations c JOIN identities i ON i.customer_id = c.customer_id WHERE c.kind = 'dm'")
      .get() as {
      message_count: number;
      last_inbound_at: number;
      last_outbound_at: number;
      x_user_id: string;
    };
    expect(conv).toEqual({ message_count: 2, last_inbound_at: Date.parse('2024-01-05T00:00:00.000Z'), last_outbound_at: Date.parse('2024-01-06T00:00:00.000Z'), x_user_id: '2001' });
    // Raw payload kept.
    const raw = db.prepare("SELECT raw FROM messages WHERE external_id = '1802'").get() as { raw: Buffer };
    expect(JSON.parse(raw.raw.toString('utf8')).item.id).toBe('1802');
    // FTS sees tweets.
    const hit = db.prepare("SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'refunded'").get() as { n: number };
    expect(hit.n).toBe(1);

    const before = counts(core);
    const again = await importPath(core.ctx, path.dirname(dir));
    expect(again.imported).toBe(0);
    expect(again.duplicates).toBe(5); // page items only
    expect(counts(core)).toEqual(before);
  });

  it('conversation aggregates written by the import equal what refreshConversation computes', async () => {
    const { core, dir } = setup();
    write(dir, 'me.json', ME);
    write(dir, 'mentions-001.json', MENTIONS);
    write(dir, 'dm_events-001.json', DMS);
    write(dir, 'mentions-002.json', {
      data: [{ id: '1803', text: 'same time\r\nnew line', author_id: '2001', created_at: '2024-01-03T00:00:00.000Z', conversation_id: '1700' }],
      meta: { result_count: 1 },
    });
    await importPath(core.ctx, dir);
    const snap = () => core.db.prepare('SELECT id, message_count, last_message_at, last_inbound_at, last_outbound_at, snippet, subject FROM conversations ORDER BY id').all();
    const before = snap();
    for (const { id } of before as { id: number }[]) refreshConversation(core.db, id);
    expect(snap()).toEqual(before);
    expect((before as { snippet: string }[]).some((c) => c.snippet === 'same time new line')).toBe(true);
  });

  it('a malformed or invalid file is reported with its reason and nothing of it is written; the other files import', async () => {
    const { core, dir } = setup();
    write(dir, 'me.json', ME);
    const broken = JSON.stringify(MENTIONS).slice(0, -40);
    write(dir, 'mentions-001.json', broken);
    const invalid = structuredClone(DMS) as { data: { id: string }[] };
    invalid.data[1]!.id = 'not-a-number';
    write(dir, 'dm_events-001.json', invalid);
    write(dir, 'search-shop.json', { data: [MENTIONS.data[2]], includes: { users: [MENTIONS.includes.users[1]] }, meta: { result_count: 1 } });
    write(dir, 'mentions-002.json', { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 });
    const r = await importPath(core.ctx, path.dirname(dir));
    const reasons = Object.fromEntries(r.problems.map((p) => [path.basename(p.file), p.reason]));
    expect(reasons['mentions-001.json']).toMatch(/not valid JSON.*nothing from this file was stored/);
    expect(reasons['dm_events-001.json']).toMatch(/data\[1\]\.id: must be a string of 1-19 digits/);
    expect(reasons['mentions-002.json']).toMatch(/X API error.*Too Many Requests/);
    expect(r.imported).toBe(1);
    // Nothing half-written: the first DM of the invalid page (valid on its own) is not there.
    expect(counts(core).messages).toBe(1);
    expect(core.db.prepare("SELECT count(*) AS n FROM identities WHERE x_user_id = '2001'").get()).toEqual({ n: 0 });
  });

  it('a rolled-back file leaves nothing behind in the run cache either', async () => {
    const { core, dir } = setup();
    write(dir, 'me.json', ME);
    const carol = { id: '3001', name: 'Carol', username: 'carol' };
    const ok = { id: '9101', event_type: 'MessageCreate', text: 'hi', sender_id: '3001', dm_conversation_id: '1000-3001', created_at: '2024-01-04T00:00:00.000Z' };
    // The second event cannot be placed in a conversation: found while writing, after the first.
    write(dir, 'dm_events-001.json', { data: [ok, { id: '9102', event_type: 'MessageCreate', text: 'lost', sender_id: '3001' }], includes: { users: [carol] }, meta: { result_count: 2 } });
    write(dir, 'dm_events-002.json', { data: [{ ...ok, id: '9103' }], includes: { users: [carol] }, meta: { result_count: 1 } });
    const r = await importPath(core.ctx, dir);
    expect(r.problems.map((p) => [path.basename(p.file), p.reason])).toEqual([['dm_events-001.json', expect.stringMatching(/DM event 9102 has no dm_conversation_id/)]]);
    expect(r.imported).toBe(1);
    const rows = core.db.prepare('SELECT m.external_id, i.x_user_id FROM messages m JOIN identities i ON i.id = m.author_identity_id').all();
    expect(rows).toEqual([{ external_id: '9103', x_user_id: '3001' }]);
  });

  it('a file that fails while written rolls its group back; its earlier files are stored again and all equals an import without it', async () => {
    const carol = { id: '3001', name: 'Carol', username: 'carol' };
    const ok = { id: '9101', event_type: 'MessageCreate', text: 'hi', sender_id: '3001', dm_conversation_id: '1000-3001', created_at: '2024-01-04T00:00:00.000Z' };
    const files = (dir: string, bad: boolean) => {
      write(dir, 'me.json', ME);
      write(dir, 'mentions-001.json', MENTIONS);
      write(dir, 'dm_events-001.json', DMS);
      // Its first event is written, then the second cannot be placed in a conversation.
      if (bad) write(dir, 'dm_events-002.json', { data: [ok, { id: '9102', event_type: 'MessageCreate', text: 'lost', sender_id: '3001' }], includes: { users: [carol] }, meta: { result_count: 2 } });
      write(dir, 'dm_events-003.json', { data: [{ ...ok, id: '9103' }], includes: { users: [carol] }, meta: { result_count: 1 } });
    };
    // Everything an import writes that readers use, by natural keys (ids may differ).
    const snapshot = (core: Core) => {
      const q = (sql: string) => core.db.prepare(sql).all();
      const conv = "c.kind || ':' || c.external_id";
      return {
        messages: q(`SELECT m.external_id, ${conv} AS conv, m.direction, m.sent_at, i.x_user_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
          LEFT JOIN identities i ON i.id = m.author_identity_id ORDER BY 1`),
        conversations: q(`SELECT ${conv} AS conv, c.message_count, c.last_message_at, c.last_inbound_at, c.last_outbound_at, c.snippet, cu.display_name
          FROM conversations c LEFT JOIN customers cu ON cu.id = c.customer_id ORDER BY 1`),
        identities: q('SELECT x_user_id, handle, display_name, names, profile, is_self FROM identities ORDER BY 1'),
        facts: q(
          `SELECT ${conv} AS conv, f.first_in, f.first_reply, f.last_out, f.follow_ups, f.unanswered_from, f.last_at FROM conversation_facts f JOIN conversations c ON c.id = f.conversation_id ORDER BY 1`,
        ),
        messageChanges: q(`SELECT ${conv} AS conv FROM message_changes mc JOIN conversations c ON c.id = mc.conversation_id ORDER BY 1`),
        customerChanges: q('SELECT cu.display_name FROM customer_changes cc JOIN customers cu ON cu.id = cc.customer_id ORDER BY 1'),
        search: q("SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'order OR hi OR refunded' ORDER BY 1").length,
      };
    };
    const a = setup();
    files(a.dir, true);
    const ra = await importPath(a.core.ctx, a.dir);
    const b = setup();
    files(b.dir, false);
    const rb = await importPath(b.core.ctx, b.dir);
    expect(ra.problems.map((p) => [path.basename(p.file), p.reason])).toEqual([
      ['dm_events-002.json', expect.stringMatching(/DM event 9102 has no dm_conversation_id.*nothing from this file was stored/)],
    ]);
    expect(ra.failedFiles?.map((f) => path.basename(f))).toEqual(['dm_events-002.json']);
    expect(rb.problems).toEqual([]);
    expect({ ...ra, problems: [], failedFiles: undefined, files: ra.files - 1, conversationIds: ra.conversationIds.length }).toEqual({
      ...rb,
      failedFiles: undefined,
      conversationIds: rb.conversationIds.length,
    });
    expect(ra.imported).toBe(7);
    const sa = snapshot(a.core);
    expect(sa).toEqual(snapshot(b.core));
    expect(sa.messages.map((m) => (m as { external_id: string }).external_id)).toEqual(['1700', '1750', '1801', '1802', '9002', '9003', '9103']);
  });

  it('an export older than what is stored adds names but does not put back an old handle, name or bio', async () => {
    const { core, dir } = setup();
    const alice = (
      row = core.db.prepare("SELECT handle, display_name, names, profile FROM identities WHERE x_user_id = '2001'").get() as {
        handle: string;
        display_name: string;
        names: string;
        profile: string | null;
      },
    ) => ({ handle: row.handle, name: row.display_name, names: JSON.parse(row.names) as string[], profile: row.profile && JSON.parse(row.profile) });
    // The newer export (DMs of 5-6 January, Alice as "Alice B." @alice_b) first, then the older mentions (Alice, @alice, bio).
    write(dir, 'dm_events-001.json', DMS);
    expect((await importPath(core.ctx, dir)).problems).toEqual([]);
    fs.rmSync(path.join(dir, 'dm_events-001.json'));
    write(dir, 'mentions-001.json', MENTIONS);
    expect((await importPath(core.ctx, dir)).problems).toEqual([]);
    // The bio was never seen newer, so the older file fills it in; the handle and name stay the newer ones.
    expect(alice()).toEqual({
      handle: 'alice_b',
      name: 'Alice B.',
      names: ['Alice B.', 'Alice'],
      profile: { description: 'hiker', url: 'https://alice.example', location: 'Oslo', followers: 12300 },
    });

    // A live sync (observed now) after the exports: its handle, name and bio win; importing the
    // exports again changes nothing of them.
    storeXPage(
      core.db,
      'tweets',
      {
        data: [{ id: '1900', text: '@shop hi again', author_id: '2001', created_at: '2024-02-01T00:00:00.000Z', conversation_id: '1900', edit_history_tweet_ids: ['1900'] }],
        includes: { users: [{ id: '2001', name: 'Alice Berg', username: 'aliceberg', description: 'cyclist' }] },
        meta: { result_count: 1 },
      },
      { source: 'GET /2/users/:id/mentions', now: Date.parse('2026-11-23T12:00:00Z') },
    );
    // Followers the live payload did not carry keep the stored count.
    const live = {
      handle: 'aliceberg',
      name: 'Alice Berg',
      names: ['Alice B.', 'Alice', 'Alice Berg'],
      profile: { description: 'cyclist', url: 'https://alice.example', location: 'Oslo', followers: 12300 },
    };
    expect(alice()).toEqual(live);
    write(dir, 'dm_events-001.json', DMS);
    await importPath(core.ctx, dir);
    expect(alice()).toEqual(live);
    // An export newer than the live observation replaces it again.
    write(dir, 'mentions-002.json', {
      data: [{ id: '1950', text: '@shop moved', author_id: '2001', created_at: '2026-11-24T00:00:00.000Z', conversation_id: '1950', edit_history_tweet_ids: ['1950'] }],
      includes: { users: [{ id: '2001', name: 'Alice Berg', username: 'alice_rides', description: 'cyclist' }] },
      meta: { result_count: 1 },
    });
    await importPath(core.ctx, dir);
    expect(alice().handle).toBe('alice_rides');
  });

  it('without me.json, infers the business from the pages (DM conversations, mentions)', async () => {
    const { core, dir } = setup();
    write(dir, 'mentions-001.json', MENTIONS);
    write(dir, 'dm_events-001.json', {
      ...DMS,
      data: [...DMS.data, { id: '9010', event_type: 'MessageCreate', text: 'hi', sender_id: '2002', dm_conversation_id: '1000-2002', created_at: '2024-01-07T00:00:00.000Z' }],
    });
    const r = await xImporter.run(core.ctx, [path.join(dir, 'dm_events-001.json'), path.join(dir, 'mentions-001.json')]);
    expect(r.problems).toEqual([]);
    expect(r.notes?.join(' ')).toMatch(/inferred: in all 2 DM conversations\): 1000/);
    expect(core.db.prepare("SELECT direction FROM messages WHERE external_id IN ('9003', '1801') ORDER BY external_id").all()).toEqual([{ direction: 'out' }, { direction: 'out' }]);
    expect(core.db.prepare("SELECT is_self FROM identities WHERE x_user_id = '1000'").get()).toEqual({ is_self: 1 });
  });

  it("imports an X archive's direct-messages.js, with the business from account.js or inferred", async () => {
    const { core, dir } = setup();
    const archive = [
      {
        dmConversation: {
          conversationId: '1000-2001',
          messages: [
            { messageCreate: { recipientId: '2001', reactions: [], urls: [], text: 'Sorry about that!', mediaUrls: [], senderId: '1000', id: '3002', createdAt: '2023-05-02T10:00:00.000Z' } },
            {
              messageCreate: {
                recipientId: '1000',
                reactions: [],
                urls: [{ url: 'https://t.co/q', expanded: 'https://example.com/receipt', display: 'example.com/receipt' }],
                text: 'broken https://t.co/q',
                mediaUrls: [],
                senderId: '2001',
                id: '3001',
                createdAt: '2023-05-01T10:00:00.000Z',
              },
            },
          ],
        },
      },
      {
        dmConversation: {
          conversationId: '1000-2003',
          messages: [{ messageCreate: { recipientId: '1000', text: 'hello', senderId: '2003', id: '3003', createdAt: '2023-05-03T10:00:00.000Z' } }],
        },
      },
    ];
    fs.writeFileSync(path.join(dir, 'direct-messages.js'), `window.YTD.direct_messages.part0 = ${JSON.stringify(archive, null, 2)}`);
    const r = await importPath(core.ctx, dir);
    expect(r.problems).toEqual([]);
    expect(r.imported).toBe(3);
    const rows = core.db.prepare("SELECT external_id, direction, body_text FROM messages WHERE kind = 'dm' ORDER BY external_id").all();
    expect(rows).toEqual([
      { external_id: '3001', direction: 'in', body_text: 'broken https://example.com/receipt' },
      { external_id: '3002', direction: 'out', body_text: 'Sorry about that!' },
      { external_id: '3003', direction: 'in', body_text: 'hello' },
    ]);

    // With account.js the business is named, not guessed.
    const b = setup();
    fs.writeFileSync(path.join(b.dir, 'account.js'), 'window.YTD.account.part0 = [{"account":{"accountId":"2001","username":"alice","accountDisplayName":"Alice"}}]');
    fs.writeFileSync(path.join(b.dir, 'direct-messages.js'), `window.YTD.direct_messages.part0 = ${JSON.stringify(archive)}`);
    const r2 = await importPath(b.core.ctx, b.dir);
    expect(r2.problems).toEqual([]);
    const dirs = b.core.db.prepare('SELECT external_id, direction FROM messages ORDER BY external_id').all();
    expect(dirs).toEqual([
      { external_id: '3001', direction: 'out' },
      { external_id: '3002', direction: 'in' },
      { external_id: '3003', direction: 'in' },
    ]);
  });
});

describe('X archive group DMs', () => {
  it("imports direct-messages-group.js: messages of a group conversation, membership events skipped, the business's own as outbound", async () => {
    const { core, dir } = setup();
    fs.writeFileSync(path.join(dir, 'account.js'), 'window.YTD.account.part0 = [{"account":{"accountId":"1000","username":"shop","accountDisplayName":"Shop"}}]');
    const group = [
      {
        dmConversation: {
          conversationId: '1611111111111111111',
          messages: [
            { messageCreate: { reactions: [], urls: [], text: 'we will look into it', mediaUrls: [], senderId: '1000', id: '4003', createdAt: '2023-06-01T12:00:00.000Z' } },
            { participantsLeave: { userIds: ['2004'], createdAt: '2023-06-01T11:30:00.000Z' } },
            { messageCreate: { reactions: [], urls: [], text: 'same problem here', mediaUrls: [], senderId: '2002', id: '4002', createdAt: '2023-06-01T11:00:00.000Z' } },
            { messageCreate: { reactions: [], urls: [], text: 'my order never came', mediaUrls: [], senderId: '2001', id: '4001', createdAt: '2023-06-01T10:00:00.000Z' } },
            { conversationNameUpdate: { initiatingUserId: '2001', name: 'late orders', createdAt: '2023-06-01T09:59:00.000Z' } },
            { joinConversation: { initiatingUserId: '2001', participantsSnapshot: ['1000', '2001', '2002', '2004'], createdAt: '2023-06-01T09:58:00.000Z' } },
          ],
        },
      },
    ];
    fs.writeFileSync(path.join(dir, 'direct-messages-group.js'), `window.YTD.direct_messages_group.part0 = ${JSON.stringify(group, null, 2)}`);
    const r = await importPath(core.ctx, dir);
    expect(r.problems).toEqual([]);
    expect(r.imported).toBe(3);
    const rows = core.db
      .prepare(
        "SELECT m.external_id, m.direction, m.body_text, c.external_id AS conv, i.x_user_id FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN identities i ON i.id = m.author_identity_id WHERE m.kind = 'dm' ORDER BY m.external_id",
      )
      .all();
    expect(rows).toEqual([
      { external_id: '4001', direction: 'in', body_text: 'my order never came', conv: '1611111111111111111', x_user_id: '2001' },
      { external_id: '4002', direction: 'in', body_text: 'same problem here', conv: '1611111111111111111', x_user_id: '2002' },
      { external_id: '4003', direction: 'out', body_text: 'we will look into it', conv: '1611111111111111111', x_user_id: '1000' },
    ]);
    // Importing again stores nothing twice.
    const again = await importPath(core.ctx, dir);
    expect(again.imported).toBe(0);
    expect(counts(core).messages).toBe(3);
  });
});

const LINKSET = path.resolve(__dirname, '../../../../shared/linkset-dev');
if (!fs.existsSync(LINKSET)) console.warn('skipping X import of linkset-dev: ../shared/linkset-dev not found');

describe.skipIf(!fs.existsSync(LINKSET))('X import of ../shared/linkset-dev/x', () => {
  it('loads every page: 400 mentions, 29 DM events, the business as self', async () => {
    const { core } = setup();
    const r = await importPath(core.ctx, path.join(LINKSET, 'x'));
    expect(r.problems).toEqual([]);
    expect(r.files).toBe(6);
    expect(r.imported).toBe(429);
    const self = core.db.prepare("SELECT handle FROM identities WHERE is_self = 1 AND kind = 'x'").all();
    expect(self).toEqual([{ handle: 'HarborPine' }]);
    const out = core.db.prepare("SELECT count(*) AS n FROM messages WHERE direction = 'out'").get() as { n: number };
    const dmIn = core.db.prepare("SELECT count(*) AS n FROM messages WHERE kind = 'dm' AND direction = 'in'").get() as { n: number };
    expect(dmIn.n).toBeGreaterThan(0);
    expect(out.n).toBeGreaterThanOrEqual(0);
    // Every X conversation has a customer that is not the business.
    const orphan = core.db
      .prepare(
        "SELECT count(*) AS n FROM conversations c LEFT JOIN identities i ON i.customer_id = c.customer_id AND i.is_self = 1 WHERE c.channel = 'x' AND (c.customer_id IS NULL OR i.id IS NOT NULL)",
      )
      .get() as { n: number };
    expect(orphan.n).toBe(0);
  });
});
