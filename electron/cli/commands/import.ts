import { importPath } from '../../core/import';
import { CliError, type Command } from '../types';

export const importCmd: Command = {
  name: 'import',
  summary: 'Import a folder or file: .eml, mbox, X API v2 pages, X archive DMs',
  usage: 'import PATH [--json]',
  async run({ core, argv, emit, json, io }) {
    const target = argv.positionals[1];
    if (!target) throw new CliError('import needs a path, e.g. canary import ~/exports/support');
    let last = 0;
    const r = await importPath(core.ctx, target, (p) => {
      const now = Date.now();
      if (!json && (now - last > 500 || p.done === p.total)) {
        last = now;
        io.err(`${p.importer}: ${p.done}/${p.total} ${p.file}`);
      }
    });
    for (const p of r.problems) io.err(`problem: ${p.file}: ${p.reason}`);
    emit(
      { files: r.files, imported: r.imported, duplicates: r.duplicates, problems: r.problems.length, conversations: r.conversationIds.length },
      `imported ${r.imported} new item(s) from ${r.files} file(s); ${r.duplicates} already present; ${r.problems.length} problem(s)`,
    );
  },
};
