// The owner's word on an email account's own addresses (Settings → Accounts, `canary accounts
// addresses`): add one (an alias, or a learned one dismissed before), or remove one (an alias, or
// a learned one, which is then never learned again). The account's address and login are changed
// with the account's settings. Every change puts the stored mail right (self-repair.ts): mail from
// an added address becomes the business's, an address removed becomes a customer again, and the
// conversations involved are re-threaded; linking follows on its next refresh.
import { AppError } from '../../../shared/contract/errors';
import type { CoreContext } from '../context';
import { accountAddresses, forgetLearnedAddress, setLearnedAddressActive } from '../db/repos/account-addresses';
import { updateAccount } from '../db/repos/accounts';
import { requireEmailAccount } from './accounts';
import { emitRepair, repairSelfAddresses, type SelfRepairResult } from './self-repair';

const ADDRESS = /^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/;

export function changeAccountAddress(ctx: CoreContext, accountId: number, change: { add?: string; remove?: string }): SelfRepairResult {
  const a = requireEmailAccount(ctx, accountId);
  const now = ctx.now();
  const list = accountAddresses(ctx.db, accountId);
  const aliases = new Set(a.config.aliases ?? []);
  const removed: string[] = [];
  if (change.add !== undefined) {
    const v = change.add.trim().toLowerCase();
    if (!ADDRESS.test(v)) throw new AppError('invalid_args', `"${change.add}" is not an email address.`);
    const known = list.find((x) => x.address === v);
    if (known?.source === 'inferred') setLearnedAddressActive(ctx.db, accountId, v, true, now);
    else if (!known) aliases.add(v);
  }
  if (change.remove !== undefined) {
    const v = change.remove.trim().toLowerCase();
    const known = list.find((x) => x.address === v);
    if (!known) throw new AppError('not_found', `${v} is not one of this account's addresses.`);
    if (known.source === 'account' || known.source === 'login') {
      throw new AppError('invalid_args', `${v} is the account's ${known.source === 'account' ? 'address' : 'login'}: change it in the account's settings.`);
    }
    if (known.source === 'alias') {
      aliases.delete(v);
      forgetLearnedAddress(ctx.db, accountId, v);
    } else setLearnedAddressActive(ctx.db, accountId, v, false, now);
    removed.push(v);
  }
  if ([...aliases].join() !== (a.config.aliases ?? []).join()) {
    updateAccount(ctx.db, accountId, { config: { ...a.config, aliases: [...aliases] }, now });
  }
  const r = repairSelfAddresses(ctx.db, now, { removed });
  emitRepair(ctx, r);
  ctx.bus.emit('AccountsChanged', { accountId });
  return r;
}
