import type { DiscoverView } from '../../../shared/contract/accounts';
import type { EmailAccountSummary, EmailServerView } from '../../../shared/contract/email';
import { envSecret, flagString, splitList, type ParsedArgv } from '../args';
import { CliError, type CliCore, type Command } from '../types';
import { xAccountsHook } from './accounts-x';
import { mailSignInHook, providerFlag, signInMail } from './accounts-signin';

const TLS = new Set(['on', 'off', 'starttls']);

function tlsFlag(argv: ParsedArgv, name: string, fallback?: 'on' | 'off' | 'starttls'): 'on' | 'off' | 'starttls' {
  const v = flagString(argv, name) ?? fallback;
  if (!v || !TLS.has(v)) throw new CliError(`--${name} must be on, off or starttls`);
  return v as 'on' | 'off' | 'starttls';
}

function portFlag(argv: ParsedArgv, name: string): number | undefined {
  const v = flagString(argv, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new CliError(`--${name} must be a port number (1-65535), not "${v}"`);
  return n;
}

function describe(a: EmailAccountSummary): string {
  const smtp = a.smtp ? `  smtp ${a.smtp.host}:${a.smtp.port} (${a.smtp.tls})` : '  no smtp';
  const errs = a.sync.filter((s) => s.lastError).map((s) => `${s.folder}: ${s.lastError}`);
  const own = a.addresses.filter((x) => x.active).map((x) => x.address);
  return `#${a.id}  email  ${a.name}  <${a.address ?? a.user}>${own.length ? `  addresses ${own.join(', ')}` : '  (own address not known yet)'}  imap ${a.imap.host}:${a.imap.port} (${a.imap.tls})${smtp}${a.signInNeeded ? `  [paused: ${a.signInNeeded.reason} (canary accounts signin ${a.id})]` : a.enabled ? '' : '  [disabled]'}${a.hasCredential ? '' : '  [no password stored]'}${errs.length ? `\n    errors: ${errs.join('; ')}` : ''}`;
}

function addressLine(x: EmailAccountSummary['addresses'][number]): string {
  const what = { account: 'the account address', login: 'the login', alias: 'alias', inferred: 'learned' }[x.source];
  return `${x.address}  ${what}${x.active ? '' : ' (removed: not the business)'}${x.reason ? `: ${x.reason}` : ''}`;
}

const TLS_WORDS = { on: 'TLS', starttls: 'STARTTLS', off: 'no TLS' } as const;
const server = (x: EmailServerView) => `${x.host}:${x.port} (${TLS_WORDS[x.tls]})`;
const triedLine = (v: DiscoverView) => v.tried.map((t) => `${t.source}: ${t.reason}`).join('; ');

/** accounts discover's text: what was found and from where, or why nothing was. */
function describeDiscovery(v: DiscoverView): string {
  const f = v.found;
  if (!f) return `no settings found for ${v.address}: ${triedLine(v)}`;
  return [
    `${v.address}: found by ${f.source} (${f.from})${f.provider ? `: ${f.provider}` : ''}`,
    `  IMAP     ${server(f.imap)}`,
    `  SMTP     ${f.smtp ? server(f.smtp) : 'not given (add --smtp-host)'}`,
    `  user     ${f.user}${f.smtpUser ? ` (SMTP: ${f.smtpUser})` : ''}`,
    `  sign-in  ${f.auth === 'password' ? 'password' : f.auth === 'oauth2-google' ? 'Sign in with Google (oauth2-google)' : 'Sign in with Microsoft (oauth2-microsoft)'}`,
    ...(f.note ? [`  note     ${f.note}`] : []),
    ...(v.tried.length ? [`  before   ${triedLine(v)}`] : []),
  ].join('\n');
}

/** The email part of an answer from accounts.* (the X forms were taken by accounts-x.ts before). */
function emailOnly<T extends { channel: 'email' | 'x' }>(v: T): Extract<T, { channel: 'email' }> {
  if (v.channel !== 'email') throw new CliError('not an email account');
  return v as Extract<T, { channel: 'email' }>;
}

async function emailAccounts(core: CliCore): Promise<EmailAccountSummary[]> {
  return (await core.call('accounts.list', { channel: 'email' })).filter((a): a is EmailAccountSummary => a.channel === 'email');
}

const USAGE =
  'accounts discover ADDRESS | accounts add imap --name N (--host H [--port P] --tls on|off|starttls | --address A) [--port P] --tls on|off|starttls --user U --password-env VAR [--address A] [--smtp-host H --smtp-port P --smtp-tls on|off|starttls] [--folders A,B] [--oauth2] [--no-check] | accounts add imap … --sign-in google|microsoft | accounts signin-client google|microsoft [--client-id ID] [--client-secret-env VAR] | accounts signin ID | accounts edit ID [same flags] [--enable|--disable] | accounts addresses ID [--add A | --remove A] | accounts list | accounts test ID | accounts remove ID';

export const accounts: Command = {
  name: 'accounts',
  summary: 'Add, edit, list, show, test and remove email (IMAP+SMTP) and X accounts (secrets are read from environment variables)',
  usage: 'accounts add imap|x … | discover ADDRESS | edit|show|test|remove ID | list',
  async run({ core, argv, emit, json, io }) {
    if (await xAccountsHook({ core, argv, emit, json, io })) return; // X accounts (accounts-x.ts)
    if (await mailSignInHook({ core, argv, emit, json, io })) return; // Sign in with Google / Microsoft (accounts-signin.ts)
    const sub = argv.positionals[1];
    if (sub === 'list') {
      const all = await core.call('accounts.list', {});
      const email = all.filter((a): a is EmailAccountSummary => a.channel === 'email');
      for (const a of email) emit(a, describe(a));
      for (const a of all.filter((x) => x.channel !== 'email')) {
        emit({ id: a.id, channel: a.channel, name: a.name }, `#${a.id}  ${a.channel}  ${a.name}`);
      }
      if (!json && !email.length) io.err('no email accounts; add one with: canary accounts add imap …');
      return;
    }
    if (sub === 'discover') {
      const address = argv.positionals[2];
      if (!address) throw new CliError('accounts discover needs an email address, e.g. canary accounts discover support@shop.example', 2);
      const v = await core.call('accounts.discover', { address });
      if (!v.found) throw new CliError(describeDiscovery(v));
      const { imap, smtp, auth, source, user, smtpUser, from, provider, note } = v.found;
      emit({ address: v.address, imap, smtp, auth, source, user, smtpUser, from, provider, note, tried: v.tried }, describeDiscovery(v));
      return;
    }
    if (sub === 'addresses') {
      const id = Number(argv.positionals[2]);
      if (!Number.isInteger(id) || id <= 0) throw new CliError('accounts addresses needs an account id (see canary accounts list)');
      const add = flagString(argv, 'add');
      const remove = flagString(argv, 'remove');
      if (add !== undefined && remove !== undefined) throw new CliError('give one of --add or --remove');
      const a =
        add !== undefined || remove !== undefined
          ? await core.call('accounts.addresses', { id, ...(add !== undefined ? { add } : { remove: remove! }) })
          : (await emailAccounts(core)).find((x) => x.id === id);
      if (!a) throw new CliError(`no email account #${id}`);
      for (const x of a.addresses) emit(x, addressLine(x));
      if (!json && !a.addresses.length) io.err(`no address known for account #${id} yet: it is learned during the first sync, or add one with --add`);
      return;
    }
    if (sub === 'remove') {
      const id = Number(argv.positionals[2]);
      if (!Number.isInteger(id) || id <= 0) throw new CliError('accounts remove needs an account id (see canary accounts list)');
      const r = await core.call('accounts.remove', { id });
      emit(r, `removed account #${id} and its stored password; its messages stay`);
      return;
    }
    if (sub === 'test') {
      const id = Number(argv.positionals[2]);
      if (!Number.isInteger(id) || id <= 0) throw new CliError('accounts test needs an account id (see canary accounts list)');
      const r = emailOnly(await core.call('accounts.check', { id })).check;
      emit(r, [`IMAP: ${r.imap.ok ? 'ok' : 'FAILED'} — ${r.imap.message}`, r.smtp ? `SMTP: ${r.smtp.ok ? 'ok' : 'FAILED'} — ${r.smtp.message}` : 'SMTP: not configured'].join('\n'));
      if (!r.ok) throw new CliError('connection test failed');
      return;
    }
    if (sub === 'edit') {
      const id = Number(argv.positionals[2]);
      if (!Number.isInteger(id) || id <= 0) throw new CliError('accounts edit needs an account id (see canary accounts list)');
      const cur = (await emailAccounts(core)).find((a) => a.id === id);
      if (!cur) throw new CliError(`no email account #${id}`);
      const envName = flagString(argv, 'password-env');
      const secret = envName ? envSecret(envName, '--password-env') : undefined;
      const host = flagString(argv, 'host');
      const smtpHost = flagString(argv, 'smtp-host');
      const folders = flagString(argv, 'folders');
      const patch = {
        ...(flagString(argv, 'name') ? { name: flagString(argv, 'name')! } : {}),
        ...(flagString(argv, 'address') ? { address: flagString(argv, 'address')! } : {}),
        ...(flagString(argv, 'user') ? { user: flagString(argv, 'user')! } : {}),
        ...(host || flagString(argv, 'port') || flagString(argv, 'tls')
          ? { imap: { host: host ?? cur.imap.host, port: portFlag(argv, 'port') ?? cur.imap.port, tls: tlsFlag(argv, 'tls', cur.imap.tls) } }
          : {}),
        ...(smtpHost || flagString(argv, 'smtp-port') || flagString(argv, 'smtp-tls')
          ? {
              smtp: {
                host: smtpHost ?? cur.smtp?.host ?? cur.imap.host,
                port: portFlag(argv, 'smtp-port') ?? cur.smtp?.port,
                tls: tlsFlag(argv, 'smtp-tls', cur.smtp?.tls ?? 'starttls'),
              },
            }
          : {}),
        ...(folders !== undefined ? { folders: splitList(folders, ',') } : {}),
        ...(secret ? { secret } : {}),
        ...(argv.flags.has('disable') ? { enabled: false } : argv.flags.has('enable') ? { enabled: true } : {}),
      };
      const a = emailOnly(await core.call('accounts.update', { channel: 'email', id, patch }));
      emit(a, `updated ${describe(a)}`);
      return;
    }
    if (sub !== 'add') throw new CliError(`usage: canary ${USAGE}`, 2);
    const kind = argv.positionals[2];
    if (kind !== 'imap') throw new CliError('only "accounts add imap" is supported (IMAP for reading, optional SMTP for sending)', 2);
    const need = (n: string) => {
      const v = flagString(argv, n);
      if (!v) throw new CliError(`accounts add imap needs --${n}`);
      return v;
    };
    // --sign-in: the provider's sign-in in a browser instead of a password (accounts-signin.ts).
    const signIn = flagString(argv, 'sign-in') !== undefined ? providerFlag(flagString(argv, 'sign-in'), '--sign-in') : null;
    if (signIn && flagString(argv, 'password-env')) throw new CliError('give one of --sign-in or --password-env');
    const envName = signIn ? '' : need('password-env');
    const secret = signIn ? '' : envSecret(envName, '--password-env');
    const name = need('name');
    const address = flagString(argv, 'address');
    // Without --host (or --user), the servers and login are found from --address as accounts discover does; flags given win.
    const found = address && (!flagString(argv, 'host') || !flagString(argv, 'user')) ? await core.call('accounts.discover', { address }) : null;
    const d = found?.found ?? null;
    if (found && !json) io.err(d ? `settings for ${found.address} found by ${d.source} (${d.from})${d.note ? `; ${d.note}` : ''}` : `no settings found for ${found.address}: ${triedLine(found)}`);
    if (d && d.auth !== 'password' && !argv.flags.has('oauth2') && !signIn && !json)
      io.err(`${d.imap.host} prefers ${d.auth === 'oauth2-google' ? 'Sign in with Google' : 'Sign in with Microsoft'} (${d.auth}); using the password from ${envName}`);
    const host = flagString(argv, 'host');
    if (!host && !d)
      throw new CliError(found ? `accounts add imap needs --host: no settings found for ${found.address} (${triedLine(found)})` : 'accounts add imap needs --host (or --address to find the servers)');
    const smtpHost = flagString(argv, 'smtp-host');
    const folders = flagString(argv, 'folders');
    const fromFound = !host && d;
    const settings = {
      name,
      address: address ?? null,
      imap: fromFound
        ? { host: d.imap.host, port: portFlag(argv, 'port') ?? d.imap.port, tls: flagString(argv, 'tls') ? tlsFlag(argv, 'tls') : d.imap.tls }
        : { host: host!, port: portFlag(argv, 'port'), tls: tlsFlag(argv, 'tls') },
      smtp: smtpHost
        ? { host: smtpHost, port: portFlag(argv, 'smtp-port'), tls: tlsFlag(argv, 'smtp-tls', 'starttls') }
        : fromFound && d.smtp
          ? { host: d.smtp.host, port: portFlag(argv, 'smtp-port') ?? d.smtp.port, tls: flagString(argv, 'smtp-tls') ? tlsFlag(argv, 'smtp-tls') : d.smtp.tls }
          : null,
      user: flagString(argv, 'user') ?? d?.user ?? need('user'),
      ...(!flagString(argv, 'user') && d?.smtpUser ? { smtpUser: d.smtpUser } : {}),
      folders: folders ? splitList(folders, ',') : undefined,
    };
    if (signIn) {
      // The servers are tested with the signed-in token before the account is saved.
      const id = await signInMail({ core, argv, emit, json, io }, { provider: signIn, account: settings, skipCheck: argv.flags.has('no-check') });
      const added = (await emailAccounts(core)).find((a) => a.id === id)!;
      emit(added, `added ${describe(added)}`);
      return;
    }
    const r = emailOnly(
      await core.call('accounts.add', {
        channel: 'email',
        account: { ...settings, authType: argv.flags.has('oauth2') ? 'oauth2' : 'password', secret },
        skipCheck: argv.flags.has('no-check'),
      }),
    );
    if (r.check && !json) {
      io.err(`IMAP: ${r.check.imap.message}${r.check.imap.sentFolder ? ` Sent folder: ${r.check.imap.sentFolder}.` : ''}`);
      if (r.check.smtp) io.err(`SMTP: ${r.check.smtp.message}`);
    }
    emit(r.account, `added ${describe(r.account)}`);
  },
};
