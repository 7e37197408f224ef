import { AppError } from '../../../shared/contract/errors';
import { flagString } from '../args';
import { CliError, type Command } from '../types';

export const demo: Command = {
  name: 'demo',
  summary: 'Fill an empty database with the generated demo business (email, X posts and DMs, escalations, links)',
  usage: 'demo [--seed N] [--customers N] [--json]',
  async run({ core, argv, emit }) {
    const num = (name: string): number | undefined => {
      const v = flagString(argv, name);
      if (v === undefined) return undefined;
      if (!/^\d+$/.test(v)) throw new CliError(`--${name} must be a whole number, got "${v}"`, 2);
      return Number(v);
    };
    const seed = num('seed');
    const customers = num('customers');
    try {
      const r = await core.call('demo.load', { ...(seed !== undefined ? { seed } : {}), ...(customers !== undefined ? { customers } : {}) });
      emit(r, `Demo workspace loaded: ${r.customers} customers, ${r.conversations} conversations, ${r.messages} messages, ${r.escalations} escalations, ${r.links} links.`);
    } catch (e) {
      if (e instanceof AppError) throw new CliError(e.message);
      throw e;
    }
  },
};
