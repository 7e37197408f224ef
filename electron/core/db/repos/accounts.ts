import type { DB } from '../open';
import type { Channel } from '../../../../shared/domain/types';
import { parseJson } from '../json';

export interface AccountRecord<C = Record<string, unknown>> {
  id: number;
  channel: Channel;
  name: string;
  address: string | null;
  xUserId: string | null;
  config: C;
  credentialRef: string | null;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

interface AccountRow {
  id: number;
  channel: Channel;
  name: string;
  address: string | null;
  x_user_id: string | null;
  config: string;
  credential_ref: string | null;
  enabled: number;
  created_at: number;
  updated_at: number;
}

function rowToAccount<C>(r: AccountRow): AccountRecord<C> {
  return {
    id: r.id,
    channel: r.channel,
    name: r.name,
    address: r.address,
    xUserId: r.x_user_id,
    config: parseJson<C>(r.config, {} as C),
    credentialRef: r.credential_ref,
    enabled: r.enabled === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function createAccount<C>(
  db: DB,
  a: { channel: Channel; name: string; address?: string | null; xUserId?: string | null; config: C; credentialRef?: string | null; now?: number },
): AccountRecord<C> {
  const now = a.now ?? Date.now();
  const id = Number(
    db
      .prepare(
        `INSERT INTO accounts (channel, name, address, x_user_id, config, credential_ref, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(a.channel, a.name, a.address ?? null, a.xUserId ?? null, JSON.stringify(a.config), a.credentialRef ?? null, now, now).lastInsertRowid,
  );
  return getAccount<C>(db, id)!;
}

export function getAccount<C = Record<string, unknown>>(db: DB, id: number): AccountRecord<C> | null {
  const r = db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
  return r ? rowToAccount<C>(r) : null;
}

export function listAccounts(db: DB, channel?: Channel): AccountRecord[] {
  const rows = (channel ? db.prepare('SELECT * FROM accounts WHERE channel = ? ORDER BY id').all(channel) : db.prepare('SELECT * FROM accounts ORDER BY id').all()) as AccountRow[];
  return rows.map((r) => rowToAccount(r));
}

export function updateAccount<C>(
  db: DB,
  id: number,
  patch: { name?: string; address?: string | null; xUserId?: string | null; config?: C; credentialRef?: string | null; enabled?: boolean; now?: number },
): AccountRecord<C> | null {
  const cur = getAccount<C>(db, id);
  if (!cur) return null;
  db.prepare(`UPDATE accounts SET name = ?, address = ?, x_user_id = ?, config = ?, credential_ref = ?, enabled = ?, updated_at = ? WHERE id = ?`).run(
    patch.name ?? cur.name,
    patch.address !== undefined ? patch.address : cur.address,
    patch.xUserId !== undefined ? patch.xUserId : cur.xUserId,
    JSON.stringify(patch.config ?? cur.config),
    patch.credentialRef !== undefined ? patch.credentialRef : cur.credentialRef,
    (patch.enabled ?? cur.enabled) ? 1 : 0,
    patch.now ?? Date.now(),
    id,
  );
  return getAccount<C>(db, id);
}

/** Remove an account and its sync state; its messages stay (their account_id becomes NULL). */
export function removeAccount(db: DB, id: number): boolean {
  return db.prepare('DELETE FROM accounts WHERE id = ?').run(id).changes === 1;
}

export function getSyncCursor<T>(db: DB, accountId: number, scope: string, fallback: T): T {
  const r = db.prepare('SELECT cursor FROM sync_state WHERE account_id = ? AND scope = ?').get(accountId, scope) as { cursor: string } | undefined;
  return r ? parseJson<T>(r.cursor, fallback) : fallback;
}

export function setSyncState(db: DB, accountId: number, scope: string, s: { cursor?: unknown; status?: string; progress?: unknown; lastError?: string | null; now?: number }): void {
  const now = s.now ?? Date.now();
  db.prepare(
    `INSERT INTO sync_state (account_id, scope, cursor, status, progress, last_error, updated_at)
     VALUES (@a, @s, coalesce(@cursor, '{}'), coalesce(@status, 'idle'), @progress, @err, @now)
     ON CONFLICT (account_id, scope) DO UPDATE SET
       cursor = coalesce(@cursor, cursor), status = coalesce(@status, status),
       progress = CASE WHEN @hasProgress THEN @progress ELSE progress END,
       last_error = CASE WHEN @hasErr THEN @err ELSE last_error END, updated_at = @now`,
  ).run({
    a: accountId,
    s: scope,
    cursor: s.cursor === undefined ? null : JSON.stringify(s.cursor),
    status: s.status ?? null,
    progress: s.progress === undefined ? null : JSON.stringify(s.progress),
    hasProgress: s.progress === undefined ? 0 : 1,
    err: s.lastError ?? null,
    hasErr: s.lastError === undefined ? 0 : 1,
    now,
  });
}

export interface SyncStateRecord {
  accountId: number;
  scope: string;
  status: string;
  progress: unknown;
  lastError: string | null;
  updatedAt: number;
}

export function listSyncState(db: DB, accountId?: number): SyncStateRecord[] {
  const rows = (accountId ? db.prepare('SELECT * FROM sync_state WHERE account_id = ? ORDER BY scope').all(accountId) : db.prepare('SELECT * FROM sync_state ORDER BY account_id, scope').all()) as {
    account_id: number;
    scope: string;
    status: string;
    progress: string | null;
    last_error: string | null;
    updated_at: number;
  }[];
  return rows.map((r) => ({
    accountId: r.account_id,
    scope: r.scope,
    status: r.status,
    progress: parseJson<unknown>(r.progress, null),
    lastError: r.last_error,
    updatedAt: r.updated_at,
  }));
}
