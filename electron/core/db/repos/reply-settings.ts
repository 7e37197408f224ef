// Per email account, what replies carry and what its SMTP server takes (migration 0370): the
// signature appended to email replies, and the server's announced SIZE with when it was asked.
import type { DB, ReadDB } from '../open';
import { prep, prepRead } from '../stmt';

export interface ReplySettingsRow {
  account_id: number;
  signature: string;
  smtp_max_bytes: number | null;
  smtp_checked_at: number | null;
  updated_at: number;
}

export function replySettings(db: ReadDB, accountId: number): ReplySettingsRow | undefined {
  return prepRead(db, 'SELECT * FROM account_reply_settings WHERE account_id = ?').get(accountId) as ReplySettingsRow | undefined;
}

/** Every email account with its signature ('' when none), by name. */
export function listSignatures(db: ReadDB): { accountId: number; accountName: string; address: string | null; signature: string; updatedAt: number | null }[] {
  return prepRead(
    db,
    `SELECT a.id AS accountId, a.name AS accountName, a.address AS address, coalesce(s.signature, '') AS signature, s.updated_at AS updatedAt
       FROM accounts a LEFT JOIN account_reply_settings s ON s.account_id = a.id
      WHERE a.channel = 'email' ORDER BY a.name COLLATE NOCASE, a.id`,
  ).all() as { accountId: number; accountName: string; address: string | null; signature: string; updatedAt: number | null }[];
}

export function setSignature(db: DB, accountId: number, signature: string, now: number): void {
  prep(
    db,
    `INSERT INTO account_reply_settings (account_id, signature, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(account_id) DO UPDATE SET signature = excluded.signature, updated_at = excluded.updated_at`,
  ).run(accountId, signature, now);
}

/** What the server announced (null: no SIZE in its EHLO, or it could not be asked), and when. */
export function setSmtpMaxBytes(db: DB, accountId: number, maxBytes: number | null, now: number): void {
  prep(
    db,
    `INSERT INTO account_reply_settings (account_id, smtp_max_bytes, smtp_checked_at, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(account_id) DO UPDATE SET smtp_max_bytes = excluded.smtp_max_bytes, smtp_checked_at = excluded.smtp_checked_at`,
  ).run(accountId, maxBytes, now, now);
}
