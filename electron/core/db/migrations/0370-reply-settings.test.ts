// 0370 on a database made by the old code: accounts already there get no row until a signature is
// set or their server's SIZE is learned; a removed account takes its row with it; the table is STRICT.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { listSignatures, replySettings, setSignature, setSmtpMaxBytes } from '../repos/reply-settings';
import { migrations } from './index';

describe('migration 0370 reply-settings', () => {
  it('adds signatures and the SMTP size per account to a database at 360', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations, 360);
    db.prepare("INSERT INTO accounts (id, channel, name, address, created_at, updated_at) VALUES (1, 'email', 'Shop', 'a@shop.example', 1, 1), (2, 'x', 'X', '@shop', 1, 1)").run();
    migrate(db, migrations, 370);
    expect(schemaVersion(db)).toBe(370);
    expect(listSignatures(db)).toEqual([{ accountId: 1, accountName: 'Shop', address: 'a@shop.example', signature: '', updatedAt: null }]);
    setSignature(db, 1, 'Ana', 5);
    setSmtpMaxBytes(db, 1, 1000, 6);
    expect(replySettings(db, 1)).toEqual({ account_id: 1, signature: 'Ana', smtp_max_bytes: 1000, smtp_checked_at: 6, updated_at: 5 });
    expect(() => db.prepare("UPDATE account_reply_settings SET smtp_max_bytes = 'lots'").run()).toThrow(/cannot store TEXT/);
    db.prepare('DELETE FROM accounts WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) FROM account_reply_settings').pluck().get()).toBe(0);
  });
});
