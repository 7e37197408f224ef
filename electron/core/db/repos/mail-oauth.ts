// The owner's OAuth client per mail provider (settings table, key mailOAuth): client ids and
// endpoint overrides, never a secret (client secrets live in the secret store).
import { z } from 'zod';
import type { MailProvider } from '../../../../shared/contract/mailauth';
import type { DB } from '../open';

const KEY = 'mailOAuth';
const client = z.object({ clientId: z.string().optional(), authorizeUrl: z.string().optional(), tokenUrl: z.string().optional() });
const stored = z.object({ google: client.optional(), microsoft: client.optional() });
export type StoredMailOAuthClient = z.output<typeof client>;

export function getMailOAuthClients(db: DB): Partial<Record<MailProvider, StoredMailOAuthClient>> {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(KEY) as { value: string } | undefined;
  if (!row) return {};
  try {
    const v = stored.safeParse(JSON.parse(row.value));
    return v.success ? v.data : {};
  } catch {
    return {};
  }
}

export function setMailOAuthClient(db: DB, provider: MailProvider, value: StoredMailOAuthClient): void {
  const all = { ...getMailOAuthClients(db), [provider]: JSON.parse(JSON.stringify(value)) as StoredMailOAuthClient };
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(KEY, JSON.stringify(all));
}
