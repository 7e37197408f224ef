// mail.oauth.* (shared/contract/mailauth.ts): the owner's client per provider, and "Sign in with
// Google / Microsoft" for a new email account or again for a stored one. A flow waits on its
// loopback listener; its outcome stays readable for 10 minutes; the core's close cancels the waiting ones.
import crypto from 'node:crypto';
import type { Handlers } from '../../../../shared/contract/api';
import { AppError } from '../../../../shared/contract/errors';
import type { MailOAuthFlowView } from '../../../../shared/contract/mailauth';
import type { CoreContext } from '../../context';
import { getAccount, updateAccount } from '../../db/repos/accounts';
import { addEmailAccount, requireEmailAccount } from '../accounts';
import type { EmailAccountConfig } from '../imap/config';
import { clearAccountError } from '../sync';
import { startSignIn, type SignInHandle } from './flow';
import { authOfProvider, clientViews, providerOfAuth, resolveClient, setClient } from './providers';
import { writeTokens } from './tokens';

type Method = 'mail.oauth.clients' | 'mail.oauth.setClient' | 'mail.oauth.start' | 'mail.oauth.status' | 'mail.oauth.cancel';

interface Flow {
  view: MailOAuthFlowView;
  handle: SignInHandle;
  done: Promise<void>;
}

const flowsOf = new WeakMap<CoreContext, Map<string, Flow>>();

function flows(ctx: CoreContext): Map<string, Flow> {
  let m = flowsOf.get(ctx);
  if (!m) {
    const made = new Map<string, Flow>();
    flowsOf.set(ctx, made);
    m = made;
    ctx.onClose(async () => {
      for (const f of made.values()) if (f.view.state === 'waiting') f.handle.cancel();
      await Promise.all([...made.values()].map((f) => f.done));
      made.clear();
    });
  }
  return m;
}

export function mailAuthHandlers(ctx: CoreContext): Pick<Handlers, Method> {
  const flow = (flowId: string): Flow => {
    const f = flows(ctx).get(flowId);
    if (!f) throw new AppError('not_found', `No sign-in ${flowId} (it ended, or the app was restarted).`);
    return f;
  };
  return {
    'mail.oauth.clients': () => clientViews(ctx),
    'mail.oauth.setClient': (a) => {
      setClient(ctx, a);
      return clientViews(ctx);
    },
    'mail.oauth.start': async (a) => {
      const client = resolveClient(ctx, a.provider);
      if (!client.clientId) throw new AppError('invalid_args', `No ${client.label} client id is set: add one in Settings → Accounts → Sign-in clients (the steps are there).`);
      let loginHint: string | undefined;
      if (a.accountId !== undefined) {
        const acc = requireEmailAccount(ctx, a.accountId);
        if (providerOfAuth(acc.config.authType) !== a.provider) throw new AppError('invalid_args', `Account "${acc.name}" does not sign in with ${client.label}.`);
        loginHint = acc.address ?? acc.config.user;
      } else loginHint = a.account?.address ?? (a.account?.user.includes('@') ? a.account.user : undefined);
      let handle: SignInHandle;
      try {
        handle = await startSignIn(client, { now: ctx.now, ...(loginHint ? { loginHint } : {}) });
      } catch (e) {
        throw new AppError('unavailable', `The sign-in could not start: ${(e as Error).message}`);
      }
      const flowId = crypto.randomUUID();
      const view: MailOAuthFlowView = { flowId, provider: a.provider, state: 'waiting', url: handle.url, redirectUri: handle.redirectUri, error: null, accountId: null };
      const log = { service: 'mail-oauth', provider: a.provider, flowId };
      const done = handle.done
        .then(async (tokens) => {
          if (a.accountId !== undefined) {
            const cur = getAccount<EmailAccountConfig>(ctx.db, a.accountId);
            if (!cur || !cur.credentialRef) throw new Error('the account was removed meanwhile');
            writeTokens(ctx.secrets, cur.credentialRef, tokens);
            updateAccount<EmailAccountConfig>(ctx.db, cur.id, { config: { ...cur.config, signInNeeded: null }, enabled: true, now: ctx.now() });
            // "Paused: sign in again" is over.
            clearAccountError(ctx, cur.id);
            ctx.bus.emit('AccountsChanged', { accountId: cur.id });
            view.accountId = cur.id;
          } else {
            const r = await addEmailAccount(
              ctx,
              { ...a.account!, authType: authOfProvider(a.provider), secret: tokens.accessToken },
              { check: !a.skipCheck, writeSecret: (ref) => writeTokens(ctx.secrets, ref, tokens) },
            );
            view.accountId = r.account.id;
          }
          view.state = 'connected';
          ctx.log.info('signed in', { ...log, accountId: view.accountId });
        })
        .catch((e: Error) => {
          if (e.message === 'cancelled') {
            view.state = 'cancelled';
            return;
          }
          view.state = 'failed';
          view.error = e.message;
          ctx.log.warn('sign-in failed', { ...log, err: e });
        })
        .finally(() => {
          setTimeout(() => flows(ctx).delete(flowId), 10 * 60_000).unref();
        });
      flows(ctx).set(flowId, { view, handle, done });
      return { ...view };
    },
    'mail.oauth.status': (a) => ({ ...flow(a.flowId).view }),
    'mail.oauth.cancel': async (a) => {
      const f = flow(a.flowId);
      if (f.view.state === 'waiting') f.handle.cancel();
      await f.done;
      return { ...f.view };
    },
  };
}
