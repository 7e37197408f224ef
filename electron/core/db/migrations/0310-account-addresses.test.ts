// Migration 0310 on a database made by the old code (fixtures/0305-business-as-customer.db: the
// sync path of 72e77b3 for an account added with login "alice" and no address, 24 threads of 12
// customers with generic subjects, stored newest first; the old subject fallback joined them into
// 17 conversations, the largest holding four customers, tagged, prioritised and with a queued
// reply to one of them).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { migrations } from './index';
import { tempDir } from '../../testing/tmp';
import { accountAddresses } from '../repos/account-addresses';
import { BUSINESS, expectExactThreads, genericMailbox } from '../../email/testing/generic-mailbox';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/0305-business-as-customer.db');

describe('migration 0310: the business is never a customer', () => {
  it('learns the account address, splits what the subject fallback joined, and keeps state, tags and outbox rows', () => {
    const t = tempDir('canary-m0310-');
    try {
      const file = path.join(t.dir, 'canary.db');
      fs.copyFileSync(fixture, file);
      const db = new Database(file);
      expect(schemaVersion(db)).toBe(305);
      const before = {
        conversations: db.prepare("SELECT count(*) FROM conversations WHERE kind = 'email'").pluck().get() as number,
        mixed: db.prepare(`SELECT id FROM conversations WHERE tags LIKE '%billing%'`).pluck().get() as number,
        businessIsSelf: db.prepare('SELECT is_self FROM identities WHERE address = ?').pluck().get(BUSINESS.address) as number,
        businessInbound: db.prepare("SELECT count(*) FROM messages WHERE author_address = ? AND direction = 'in'").pluck().get(BUSINESS.address) as number,
        messages: db.prepare('SELECT count(*) FROM messages').pluck().get() as number,
      };
      expect(before.conversations).toBe(17);
      // The old code took the business for a customer: its mail inbound, its identity not its own.
      expect(before.businessIsSelf).toBe(0);
      expect(before.businessInbound).toBeGreaterThan(0);

      migrate(db, migrations);
      const box = genericMailbox({ customers: 12, threadsEach: 2, repliesInInbox: true });
      expectExactThreads({ db }, box);
      expect(db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(before.messages);
      expect(accountAddresses(db, 1)).toContainEqual(expect.objectContaining({ address: BUSINESS.address, source: 'inferred', active: true }));

      // The parts of the mixed conversation keep its tags and priority; the queued reply follows the mail it answers.
      const parts = db.prepare("SELECT id, priority FROM conversations WHERE tags LIKE '%billing%' AND tags LIKE '%vip%'").all() as { id: number; priority: number }[];
      expect(parts.length).toBeGreaterThan(1);
      expect(parts.every((p) => p.priority === 1)).toBe(true);
      expect(parts.map((p) => p.id)).toContain(before.mixed);
      const tagRows = db.prepare("SELECT count(*) FROM conversation_tags WHERE tag = 'vip'").pluck().get();
      expect(tagRows).toBe(parts.length);
      const out = db.prepare("SELECT conversation_id, json_extract(payload, '$.inReplyTo') AS irt FROM outbox").get() as { conversation_id: number; irt: string };
      expect(db.prepare('SELECT conversation_id FROM messages WHERE external_id = ?').pluck().get(out.irt)).toBe(out.conversation_id);
      db.close();
    } finally {
      t.cleanup();
    }
  });
});
