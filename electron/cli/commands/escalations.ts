import { toEscalationLine } from '../../core/linking/escalation-view';
import { humanDuration } from '../../core/linking/text';
import { flagChoice } from '../args';
import type { Command } from '../types';

const STATES = ['escalated', 'likely', 'public_complaint'] as const;
type State = (typeof STATES)[number];

export const escalations: Command = {
  name: 'escalations',
  summary: 'X conversations marked escalated, likely escalated or public complaint, with the reason',
  usage: 'escalations [--json] [--state escalated|likely|public_complaint]',
  async run(ctx) {
    const { core, argv } = ctx;
    const s = flagChoice(argv, 'state', STATES);
    // Marks follow linking: bring it up to date first (a one-shot command).
    await core.call('links.refresh', {});
    const rows = await core.call('escalations.list', s ? { state: s } : {});
    for (const r of rows) {
      if (ctx.json) ctx.emit(toEscalationLine(r));
      else {
        const who = r.customerEmail ? ` → ${r.customerName ? `${r.customerName} <${r.customerEmail}>` : r.customerEmail}` : '';
        const waited = r.waitedMs !== null ? `, waited ${humanDuration(r.waitedMs)}` : '';
        ctx.io.out(`${r.state.padEnd(16)} @${r.xUsername ?? r.xUserId} [conversation ${r.conversationId}, X ${r.xConversationId}]${who}${waited}`);
        ctx.io.out(`    ${r.reason}${r.linkId ? ` (confirm: canary links confirm ${r.linkId})` : ''}`);
      }
    }
    if (!ctx.json) {
      const n = (st: State) => rows.filter((r) => r.state === st).length;
      ctx.io.err(`${rows.length} marked X conversation(s): ${n('escalated')} escalated, ${n('likely')} likely, ${n('public_complaint')} public complaints`);
    }
  },
};
