import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../../../shared/domain/types';
import { CliError, type Command } from '../types';

export const search: Command = {
  name: 'search',
  summary: 'Search messages (words, "phrases", from: to: channel: is: before: after:)',
  usage: 'search "words" [--limit N] [--json]',
  async run({ core, argv, emit, json, io }) {
    const q = argv.positionals.slice(1).join(' ').trim();
    if (!q) throw new CliError('search needs a query, e.g. canary search "refund order"');
    const limitFlag = argv.flags.get('limit');
    const limit = typeof limitFlag === 'string' ? Number(limitFlag) : 50;
    const { hits } = await core.call('search.query', { q, limit });
    for (const h of hits) {
      if (json) emit(h);
      else {
        const when = new Date(h.sentAt).toISOString().slice(0, 16).replace('T', ' ');
        const snippet = h.snippet.replaceAll(SNIPPET_OPEN, '[').replaceAll(SNIPPET_CLOSE, ']').replace(/\s+/g, ' ');
        io.out(`${when}  ${h.kind.padEnd(5)} #${h.conversationId}  ${h.authorName}  ${h.subject ? `«${h.subject}» ` : ''}${snippet}`);
      }
    }
    if (!json) io.err(`${hits.length} result${hits.length === 1 ? '' : 's'}`);
  },
};
