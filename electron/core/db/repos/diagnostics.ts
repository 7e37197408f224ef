// The database side of app.diagnostics (handlers/diagnostics.ts): accounts with their settings
// (never credentials: those are only referenced), sync states, link and outbox counts, settings.
import type { DB } from '../open';
import { parseJson } from '../json';
import { prep } from '../stmt';

export interface DiagnosticsRows {
  sqlite: string;
  accounts: { id: number; channel: string; name: string; enabled: boolean; credentialRef: string | null; config: unknown }[];
  sync: { accountId: number; scope: string; status: string; lastError: string | null; updatedAt: number }[];
  links: Record<string, number>;
  outbox: Record<string, number>;
  settings: Record<string, unknown>;
}

export function diagnosticsRows(db: DB): DiagnosticsRows {
  const counts = (sql: string) => Object.fromEntries((prep(db, sql).all() as { k: string; n: number }[]).map((r) => [r.k, r.n]));
  return {
    sqlite: prep(db, 'SELECT sqlite_version() AS v').pluck().get() as string,
    accounts: (
      prep(db, 'SELECT id, channel, name, enabled, credential_ref, config FROM accounts ORDER BY id').all() as {
        id: number;
        channel: string;
        name: string;
        enabled: number;
        credential_ref: string | null;
        config: string;
      }[]
    ).map((a) => ({ id: a.id, channel: a.channel, name: a.name, enabled: a.enabled === 1, credentialRef: a.credential_ref, config: parseJson<unknown>(a.config, {}) })),
    sync: (
      prep(db, 'SELECT account_id, scope, status, last_error, updated_at FROM sync_state ORDER BY account_id, scope').all() as {
        account_id: number;
        scope: string;
        status: string;
        last_error: string | null;
        updated_at: number;
      }[]
    ).map((s) => ({ accountId: s.account_id, scope: s.scope, status: s.status, lastError: s.last_error, updatedAt: s.updated_at })),
    links: counts("SELECT state || '/' || decided_by AS k, count(*) AS n FROM links GROUP BY state, decided_by"),
    outbox: counts("SELECT kind || '/' || state AS k, count(*) AS n FROM outbox GROUP BY kind, state"),
    settings: Object.fromEntries((prep(db, 'SELECT key, value FROM settings ORDER BY key').all() as { key: string; value: string }[]).map((r) => [r.key, parseJson<unknown>(r.value, r.value)])),
  };
}
