// Sign in with Google / Microsoft from the command line, hooked into `canary accounts`:
//   accounts signin-client google|microsoft [--client-id ID] [--client-secret-env VAR] [--forget]
//        [--authorize-url URL --token-url URL (tests only: a local OAuth 2.0 server)]
//   accounts add imap … --sign-in google|microsoft   (instead of --password-env; accounts.ts)
//   accounts signin ID                                (sign in again, e.g. after a refused renewal)
// The core runs the sign-in (mail.oauth.start, polled with mail.oauth.status): this prints the
// address to open in a browser and waits for the provider to send it back.
import type { Args } from '../../../shared/contract/api';
import type { MailOAuthClientView, MailProvider } from '../../../shared/contract/mailauth';
import { envSecret, flagString } from '../args';
import { CliError, type CommandContext } from '../types';
import { followSignIn, signInFailed } from './signin-flow';

export function providerFlag(v: string | undefined, flag: string): MailProvider {
  if (v !== 'google' && v !== 'microsoft') throw new CliError(`${flag} must be google or microsoft`);
  return v;
}

function describeClient(c: MailOAuthClientView): string {
  return `${c.provider}  client id ${c.clientId ?? '(none)'}${c.hasSecret ? '  secret stored' : ''}${c.custom ? `  endpoints ${c.authorizeUrl} ${c.tokenUrl}` : ''}  scopes ${c.scopes.join(' ')}  redirect: ${c.redirect}`;
}

/** Run a sign-in to its end: the URL on stderr, then wait (Ctrl-C cancels). Returns the account id. */
export async function signInMail(c: CommandContext, args: Args<'mail.oauth.start'>): Promise<number> {
  const { core } = c;
  const started = await core.call('mail.oauth.start', args);
  const flow = await followSignIn(
    c,
    started,
    `Open this address in a browser and sign in (Canary listens on ${started.redirectUri})`,
    (flowId) => core.call('mail.oauth.status', { flowId }),
    (flowId) => core.call('mail.oauth.cancel', { flowId }),
  );
  if (flow.state === 'connected' && flow.accountId) return flow.accountId;
  throw signInFailed(flow);
}

/** `accounts signin-client …` and `accounts signin ID`; false for any other accounts command. */
export async function mailSignInHook(c: CommandContext): Promise<boolean> {
  const { core, argv, emit } = c;
  const sub = argv.positionals[1];
  if (sub === 'signin-client') {
    const provider = providerFlag(argv.positionals[2], 'accounts signin-client PROVIDER');
    const secretEnv = flagString(argv, 'client-secret-env');
    const secret = secretEnv ? envSecret(secretEnv, '--client-secret-env') : undefined;
    const clientId = flagString(argv, 'client-id');
    const authorizeUrl = flagString(argv, 'authorize-url');
    const tokenUrl = flagString(argv, 'token-url');
    const forget = argv.flags.has('forget');
    const change = forget || clientId || secret || authorizeUrl || tokenUrl;
    const views = change
      ? await core.call('mail.oauth.setClient', {
          provider,
          ...(forget ? { clientId: null } : {}),
          ...(clientId ? { clientId } : {}),
          ...(secret ? { clientSecret: secret } : {}),
          ...(authorizeUrl ? { authorizeUrl } : {}),
          ...(tokenUrl ? { tokenUrl } : {}),
        })
      : await core.call('mail.oauth.clients', {});
    const v = views.find((x) => x.provider === provider)!;
    emit(v, describeClient(v));
    return true;
  }
  if (sub === 'signin') {
    const id = Number(argv.positionals[2]);
    if (!Number.isInteger(id) || id <= 0) throw new CliError('accounts signin needs an account id (see canary accounts list)');
    const a = (await core.call('accounts.list', { channel: 'email' })).find((x) => x.id === id);
    if (!a || a.channel !== 'email') throw new CliError(`no email account #${id}`);
    const provider = a.authType === 'oauth2-google' ? 'google' : a.authType === 'oauth2-microsoft' ? 'microsoft' : null;
    if (!provider) throw new CliError(`account #${id} signs in with a password, not with Google or Microsoft`);
    await signInMail(c, { provider, accountId: id });
    emit({ id, signedIn: true }, `signed in again: account #${id} runs again`);
    return true;
  }
  return false;
}
