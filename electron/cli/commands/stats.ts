import type { Command } from '../types';

export const stats: Command = {
  name: 'stats',
  summary: 'Counts of what the database holds',
  usage: 'stats [--json]',
  async run({ core, emit }) {
    const s = await core.call('stats.get', {});
    const text = Object.entries(s)
      .map(([k, v]) => `${k.padEnd(14)} ${v}`)
      .join('\n');
    emit(s, text);
  },
};
