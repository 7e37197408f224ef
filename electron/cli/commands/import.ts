// `canary import PATH`: the contract's import.path (the app's import); its progress is read from
// the core's 'import.progress' events (counts per importer), filtered by this command's importId.
import path from 'node:path';
import { flagString, splitList } from '../args';
import { CliError, type Command } from '../types';

export const importCmd: Command = {
  name: 'import',
  summary: 'Import a folder or file: .eml, mbox, X API v2 pages, X archive DMs',
  usage: 'import PATH [--self a@x,b@x] [--json]',
  async run({ core, argv, emit, json, io }) {
    const target = argv.positionals[1];
    if (!target) throw new CliError('import needs a path, e.g. canary import ~/exports/support');
    // --self: the business's own addresses; without it they are inferred from the mail (see core/email/self.ts).
    const self = flagString(argv, 'self');
    if (argv.flags.get('self') === true) throw new CliError('--self needs addresses, e.g. --self support@example.com,billing@example.com');
    const selfAddresses = self ? splitList(self, ',') : undefined;
    const bad = selfAddresses?.find((a) => !/^[^@\s]+@[^@\s]+$/.test(a));
    if (bad) throw new CliError(`--self: "${bad}" is not an email address`);
    const importId = `cli-${process.pid}-${Date.now()}`;
    let last = 0;
    const off = core.events.subscribe((evt) => {
      if (evt.name !== 'import.progress' || evt.payload.importId !== importId || json) return;
      const p = evt.payload;
      const now = Date.now();
      if (now - last > 500 || p.done === p.total) {
        last = now;
        io.err(`${p.importer}: ${p.done}/${p.total}`);
      }
    });
    let r;
    try {
      // A relative path is the shell's: resolved here (the core takes full paths only).
      r = await core.call('import.path', { path: path.resolve(target), importId, ...(selfAddresses ? { selfAddresses } : {}) });
    } finally {
      off();
    }
    for (const n of r.notes) io.err(`note: ${n}`);
    for (const p of r.problems) io.err(`problem: ${p.file}: ${p.reason}`);
    if (r.problemCount > r.problems.length) io.err(`… and ${r.problemCount - r.problems.length} more problem(s)`);
    const failed = r.failedFiles;
    // Every file failed: nothing was imported, say so with a non-zero exit. Some failed: exit 0, with the count.
    if (failed && r.imported + r.duplicates === 0) throw new CliError(`nothing imported: all ${failed} file(s) failed (see the problems above)`);
    emit(
      { files: r.files, imported: r.imported, duplicates: r.duplicates, problems: r.problemCount, failed, conversations: r.conversations },
      `imported ${r.imported} new item(s) from ${r.files} file(s); ${r.duplicates} already present; ${r.problemCount} problem(s)${failed ? `; ${failed} file(s) failed` : ''}`,
    );
  },
};
