// Contract handlers of accounts.* (shared/contract/accounts.ts): one adapter per channel calls that
// channel's own code (email/accounts.ts, x/connect.ts and x/handlers.ts). Calls on a stored account
// find its channel from the database; calls with settings carry their channel. The adapter map is
// typed by the channels of accounts.add, so a channel without an adapter fails the type check.
import type { Handlers, ParsedArgs } from '../../../shared/contract/api';
import type { AccountAddView, AccountCheckView, AccountTestView, AccountView } from '../../../shared/contract/accounts';
import type { EmailAccountSummary } from '../../../shared/contract/email';
import { AppError } from '../../../shared/contract/errors';
import type { CoreContext } from '../context';
import { getAccount } from '../db/repos/accounts';
import { addEmailAccount, editEmailAccount, getEmailAccountView, listEmailAccounts, removeEmailAccount, testEmailAccount, testStoredAccount, type EmailAccountView } from '../email/accounts';
import { changeAccountAddress } from '../email/addresses';
import { discoverMailSettings, discoverOptionsFromEnv } from '../email/discover/discover';
import { listXAccounts, probeX } from '../x/account';
import { addXAccount, checkXAccount, removeXAccount } from '../x/connect';
import { updateXAccount, xAccountView } from '../x/handlers';

type Channel = ParsedArgs<'accounts.add'>['channel'];
type On<M extends 'accounts.test' | 'accounts.add' | 'accounts.update', C extends Channel> = Extract<ParsedArgs<M>, { channel: C }>;

export interface AccountAdapter<C extends Channel> {
  list(ctx: CoreContext): AccountView[];
  test(ctx: CoreContext, a: On<'accounts.test', C>): Promise<AccountTestView>;
  add(ctx: CoreContext, a: On<'accounts.add', C>): Promise<AccountAddView>;
  update(ctx: CoreContext, a: On<'accounts.update', C>): AccountView;
  remove(ctx: CoreContext, id: number): boolean;
  check(ctx: CoreContext, id: number, timeoutMs?: number): Promise<AccountCheckView>;
}

const emailView = (a: EmailAccountView): EmailAccountSummary => ({ channel: 'email', ...a });

const email: AccountAdapter<'email'> = {
  list: (ctx) => listEmailAccounts(ctx).map(emailView),
  test: async (_ctx, a) => ({ channel: 'email', check: await testEmailAccount(a.account, a.timeoutMs) }),
  async add(ctx, a) {
    const r = await addEmailAccount(ctx, a.account, { check: !a.skipCheck, timeoutMs: a.timeoutMs });
    return { channel: 'email', account: emailView(r.account), check: r.check };
  },
  update: (ctx, a) => emailView(editEmailAccount(ctx, a.id, a.patch)),
  remove: removeEmailAccount,
  async check(ctx, id, timeoutMs) {
    const account = emailView(getEmailAccountView(ctx, id));
    return { channel: 'email', account, check: await testStoredAccount(ctx, id, timeoutMs) };
  },
};

const x: AccountAdapter<'x'> = {
  list: (ctx) => listXAccounts(ctx).map((a) => xAccountView(ctx, a)),
  test: async (ctx, a) => ({ channel: 'x', reach: await probeX(a.credentials, a.apiBase, ctx.now) }),
  add: async (ctx, a) => ({ channel: 'x', ...(await addXAccount(ctx, a)) }),
  update: (ctx, a) => updateXAccount(ctx, a.id, a.patch),
  remove: removeXAccount,
  check: async (ctx, id) => ({ channel: 'x', ...(await checkXAccount(ctx, id)) }),
};

export const accountAdapters: { [C in Channel]: AccountAdapter<C> } = { email, x };
const channels = Object.keys(accountAdapters) as Channel[];

type AccountMethod = 'accounts.list' | 'accounts.test' | 'accounts.add' | 'accounts.update' | 'accounts.remove' | 'accounts.check' | 'accounts.addresses' | 'accounts.discover';

export function accountHandlers(ctx: CoreContext): Pick<Handlers, AccountMethod> {
  const adapter = <C extends Channel>(c: C) => accountAdapters[c] as AccountAdapter<Channel>;
  /** The adapter of a stored account's channel. */
  const stored = (id: number): AccountAdapter<Channel> => {
    const c = getAccount(ctx.db, id)?.channel;
    if (c !== 'email' && c !== 'x') throw new AppError('not_found', `No account ${id}.`);
    return adapter(c);
  };
  return {
    'accounts.list': (a) => (a.channel ? [a.channel] : channels).flatMap((c) => adapter(c).list(ctx)).sort((p, q) => p.id - q.id),
    'accounts.test': (a) => adapter(a.channel).test(ctx, a),
    'accounts.add': (a) => adapter(a.channel).add(ctx, a),
    'accounts.update': (a) => adapter(a.channel).update(ctx, a),
    'accounts.remove': (a) => ({ removed: stored(a.id).remove(ctx, a.id) }),
    'accounts.check': (a) => stored(a.id).check(ctx, a.id, a.timeoutMs),
    'accounts.addresses': (a) => {
      changeAccountAddress(ctx, a.id, { add: a.add, remove: a.remove });
      return emailView(getEmailAccountView(ctx, a.id));
    },
    // Email servers for an address (nothing stored); the environment points it at local stubs in tests only.
    'accounts.discover': (a) => discoverMailSettings(a.address, discoverOptionsFromEnv()),
  };
}
