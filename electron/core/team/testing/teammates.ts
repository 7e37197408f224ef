// Shared by the team tests and the benchmark: cores of teammates on one Dovecot account, each with
// its own data folder, the same support mail synced into each.
import path from 'node:path';
import { createCore, type Core } from '../../createCore';
import { addEmailAccount } from '../../email/accounts';
import { syncAccountOnce } from '../../email/sync';
import type { Dovecot } from '../../testing/dovecot';

export interface Teammate {
  core: Core;
  accountId: number;
  dir: string;
}

export async function openTeammate(d: Dovecot, root: string, name: string, o: { now?: () => number; enable?: boolean; smtpPort?: number } = {}): Promise<Teammate> {
  const dir = path.join(root, name);
  const core = createCore({ dataDir: dir, ...(o.now ? { now: o.now } : {}) });
  const { account } = await addEmailAccount(
    core.ctx,
    {
      name: 'Support',
      address: 'support@biz.example',
      imap: { host: d.host, port: d.port, tls: 'off' },
      ...(o.smtpPort ? { smtp: { host: '127.0.0.1', port: o.smtpPort, tls: 'off' as const } } : {}),
      user: 'alice',
      secret: 'pw',
    },
    { check: false },
  );
  if (o.enable !== false) await core.call('settings.set', { team: { enabled: true, name, address: `${name.toLowerCase()}@biz.example` } });
  return { core, accountId: account.id, dir };
}

/** Reopen a teammate's data folder (after dispose or a killed process). */
export function reopenTeammate(t: Teammate, now?: () => number): Teammate {
  return { ...t, core: createCore({ dataDir: t.dir, ...(now ? { now } : {}) }) };
}

export async function syncMail(t: Teammate): Promise<void> {
  await syncAccountOnce(t.core.ctx, t.accountId, { retries: 0 });
}

/** The local conversation id of an email thread by its root Message-ID (without brackets). */
export function conversationOf(t: Teammate, messageId: string): number {
  const id = t.core.db.prepare("SELECT id FROM conversations WHERE kind = 'email' AND external_id = ?").pluck().get(messageId) as number | undefined;
  if (id === undefined) throw new Error(`no conversation ${messageId}`);
  return id;
}

export function statusOf(t: Teammate, messageId: string): string {
  return t.core.db.prepare("SELECT status FROM conversations WHERE kind = 'email' AND external_id = ?").pluck().get(messageId) as string;
}

/** event id → UIDs of the log messages carrying it, read with doveadm. */
export function logMessages(d: Dovecot, folder = 'Canary/Team'): Map<string, number[]> {
  const out = d.doveadm(['-f', 'flow', 'fetch', '-u', 'alice', 'uid hdr.x-canary-event', 'mailbox', folder]);
  const m = new Map<string, number[]>();
  for (const line of out.split('\n')) {
    const r = /uid=(\d+)\s+hdr\.x-canary-event=\s*([0-9a-f]{32})/.exec(line);
    if (r) m.set(r[2]!, [...(m.get(r[2]!) ?? []), Number(r[1])]);
  }
  return m;
}

/** Close the teammates' cores and delete the team log folder (Canary/Team), for the next test on the same Dovecot. */
export async function closeTeam(d: Dovecot, open: Teammate[], user = 'alice'): Promise<void> {
  for (const t of open.splice(0)) await t.core.close().catch(() => t.core.dispose());
  for (const args of [
    ['mailbox', 'delete', '-u', user, '-s', 'Canary/Team'],
    ['mailbox', 'delete', '-u', user, 'Canary'],
  ]) {
    try {
      d.doveadm(args);
    } catch {
      // not created
    }
  }
}
