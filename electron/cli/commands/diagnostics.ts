import fs from 'node:fs';
import { flagString } from '../args';
import type { Command } from '../types';

export const diagnostics: Command = {
  name: 'diagnostics',
  summary: 'Versions, settings without secrets, sync and linking states and recent logs, to send when asking for help',
  usage: 'diagnostics [--out FILE] [--log-lines N]',
  async run({ core, argv, emit }) {
    const n = flagString(argv, 'log-lines');
    const logLines = n === undefined ? undefined : Math.max(0, Math.min(5000, Number(n) || 0));
    const d = await core.call('app.diagnostics', logLines === undefined ? {} : { logLines });
    const out = flagString(argv, 'out');
    if (!out) {
      emit(d, JSON.stringify(d, null, 2));
      return;
    }
    fs.writeFileSync(out, `${JSON.stringify(d, null, 2)}\n`, { mode: 0o600 });
    emit({ written: out, bytes: fs.statSync(out).size }, `wrote ${out}: no passwords, tokens or message text; look it over before you send it`);
  },
};
