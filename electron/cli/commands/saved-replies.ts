// `canary saved-replies list|add|remove|export|import`: the saved replies (savedReplies.* calls);
// `canary reply ID --saved NAME` (reply.ts) sends one with its variables filled.
import fs from 'node:fs';
import path from 'node:path';
import { flagString, type ParsedArgv } from '../args';
import { CliError, type CliCore, type Command } from '../types';
import type { SavedReplyView } from '../../../shared/contract/saved-replies';

/** A saved reply by name (case-insensitive), shortcut, or #id. */
export async function findSavedReply(core: CliCore, key: string): Promise<SavedReplyView> {
  const all = await core.call('savedReplies.list', {});
  const k = key.trim().replace(/^[;#]/, '').toLowerCase();
  const hit =
    all.find((r) => r.name.toLowerCase() === key.trim().toLowerCase()) ?? all.find((r) => r.shortcut?.toLowerCase() === k) ?? (/^\d+$/.test(k) ? all.find((r) => r.id === Number(k)) : undefined);
  if (!hit) throw new CliError(`no saved reply named "${key}" (see canary saved-replies list)`);
  return hit;
}

function readText(argv: ParsedArgv, flag: string): string | undefined {
  const file = flagString(argv, `${flag}-file`);
  if (file) {
    try {
      return fs.readFileSync(path.resolve(file), 'utf8');
    } catch (e) {
      throw new CliError(`cannot read --${flag}-file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  return flagString(argv, flag);
}

export const savedReplies: Command = {
  name: 'saved-replies',
  summary: 'List, add, remove, export or import saved replies',
  usage: 'saved-replies list|add NAME --text "…"|remove NAME|export FILE|import FILE [--json]',
  async run({ core, argv, emit, json, io }) {
    const sub = argv.positionals[1] ?? 'list';
    if (sub === 'list') {
      const list = await core.call('savedReplies.list', {});
      for (const r of list) {
        const extras = [r.shortcut ? `;${r.shortcut}` : '', r.tags.length ? `tags: ${r.tags.join(', ')}` : '', r.xText ? 'X version' : '', r.escalationDefault ? 'escalation default' : ''].filter(
          Boolean,
        );
        emit(r, `#${r.id}  ${r.name}  (used ${r.usageCount}×)${extras.length ? `  ${extras.join(' · ')}` : ''}`);
      }
      if (!json && !list.length) io.err('no saved replies yet (canary saved-replies add NAME --text "…")');
      return;
    }
    if (sub === 'add') {
      const name = argv.positionals[2];
      if (!name) throw new CliError('saved-replies add needs a name, e.g. canary saved-replies add "Order shipped" --text "Hi {first_name}, …"');
      const body = readText(argv, 'text');
      if (!body) throw new CliError('saved-replies add needs --text "…" or --text-file FILE');
      const xText = readText(argv, 'x-text');
      const tags = flagString(argv, 'tags');
      const shortcut = flagString(argv, 'shortcut');
      const saved = await core.call('savedReplies.save', {
        name,
        body,
        ...(xText !== undefined ? { xText } : {}),
        ...(tags !== undefined ? { tags: tags.split(',') } : {}),
        ...(shortcut !== undefined ? { shortcut } : {}),
        ...(argv.flags.has('escalation-default') ? { escalationDefault: true } : {}),
      });
      emit(saved, `saved #${saved.id} ${saved.name}`);
      return;
    }
    if (sub === 'remove') {
      const key = argv.positionals[2];
      if (!key) throw new CliError('saved-replies remove needs a name (see canary saved-replies list)');
      const r = await findSavedReply(core, key);
      await core.call('savedReplies.remove', { id: r.id });
      emit({ removed: r.id, name: r.name }, `removed #${r.id} ${r.name}`);
      return;
    }
    if (sub === 'export') {
      const file = argv.positionals[2];
      if (!file) throw new CliError('saved-replies export needs a file, e.g. canary saved-replies export replies.json');
      const doc = await core.call('savedReplies.export', {});
      fs.writeFileSync(path.resolve(file), `${JSON.stringify(doc, null, 2)}\n`);
      emit({ file: path.resolve(file), replies: doc.replies.length }, `wrote ${doc.replies.length} saved replies to ${path.resolve(file)}`);
      return;
    }
    if (sub === 'import') {
      const file = argv.positionals[2];
      if (!file) throw new CliError('saved-replies import needs a file, e.g. canary saved-replies import replies.json');
      let text: string;
      try {
        text = fs.readFileSync(path.resolve(file), 'utf8');
      } catch (e) {
        throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      const r = await core.call('savedReplies.import', { text, replace: argv.flags.has('replace') });
      emit(r, `added ${r.added}, replaced ${r.replaced}${r.skipped.length ? `, kept ${r.skipped.length} already saved (--replace to overwrite): ${r.skipped.join(', ')}` : ''}`);
      return;
    }
    throw new CliError('usage: canary saved-replies list | add NAME --text "…" | remove NAME | export FILE | import FILE [--replace]', 2);
  },
};
