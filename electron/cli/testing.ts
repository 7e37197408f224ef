// Helpers for tests that drive the CLI in this process: `cli` runs one command with its output lines
// captured; `addImapAccount` adds a test IMAP server's user the way an owner does.
import { runCli } from './run';

export async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const PASSWORD_ENV = 'CANARY_TEST_ADD_IMAP_PASSWORD';

/**
 * `canary --db DB accounts add imap --name NAME --host … --port … --tls off --user USER --password-env …
 * [flags] [--no-check]` against a plain-IMAP test server (electron/core/testing/dovecot.ts). The password
 * goes through --password-env as a user's would, in a variable set for this one command only (the CLI
 * stores it with the account). `flags` are added as given (--address, --smtp-host …); `check: false`
 * (the default) adds --no-check. Throws with the CLI's stderr when the command fails.
 */
export async function addImapAccount(
  db: string,
  server: { host: string; port: number },
  account: { name: string; user: string; password: string; flags?: string[]; check?: boolean },
): Promise<{ out: string[]; err: string[] }> {
  const args = ['--db', db, 'accounts', 'add', 'imap', '--name', account.name, '--host', server.host, '--port', String(server.port), '--tls', 'off'];
  args.push('--user', account.user, '--password-env', PASSWORD_ENV, ...(account.flags ?? []));
  if (!account.check) args.push('--no-check');
  const before = process.env[PASSWORD_ENV];
  process.env[PASSWORD_ENV] = account.password;
  try {
    const r = await cli(args);
    if (r.code !== 0) throw new Error(`canary accounts add imap --name ${account.name} exited ${r.code}: ${r.err.join('\n')}`);
    return { out: r.out, err: r.err };
  } finally {
    if (before === undefined) delete process.env[PASSWORD_ENV];
    else process.env[PASSWORD_ENV] = before;
  }
}
