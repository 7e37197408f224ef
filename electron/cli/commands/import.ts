import { importPath } from '../../core/import';
import { flagString } from '../args';
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
    const selfAddresses = self ? self.split(',').map((a) => a.trim()).filter(Boolean) : undefined;
    const bad = selfAddresses?.find((a) => !/^[^@\s]+@[^@\s]+$/.test(a));
    if (bad) throw new CliError(`--self: "${bad}" is not an email address`);
    let last = 0;
    const r = await importPath(core.ctx, target, (p) => {
      const now = Date.now();
      if (!json && (now - last > 500 || p.done === p.total)) {
        last = now;
        io.err(`${p.importer}: ${p.done}/${p.total} ${p.file}`);
      }
    }, { selfAddresses });
    for (const n of r.notes ?? []) io.err(`note: ${n}`);
    for (const p of r.problems) io.err(`problem: ${p.file}: ${p.reason}`);
    const failed = r.failedFiles?.length ?? 0;
    // Every file failed: nothing was imported, say so with a non-zero exit. Some failed: exit 0, with the count.
    if (failed && r.imported + r.duplicates === 0) throw new CliError(`nothing imported: all ${failed} file(s) failed (see the problems above)`);
    emit(
      { files: r.files, imported: r.imported, duplicates: r.duplicates, problems: r.problems.length, failed, conversations: r.conversationIds.length },
      `imported ${r.imported} new item(s) from ${r.files} file(s); ${r.duplicates} already present; ${r.problems.length} problem(s)${failed ? `; ${failed} file(s) failed` : ''}`,
    );
  },
};
