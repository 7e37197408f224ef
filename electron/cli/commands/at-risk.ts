import { humanDuration } from '../../core/linking/text';
import { flagGiven } from '../args';
import { CliError, type Command } from '../types';

export const atRisk: Command = {
  name: 'at-risk',
  summary: 'conversations waiting on the business, riskiest of going public first, with the reasons',
  usage: 'at-risk [--json] [--limit N]',
  async run(ctx) {
    const { core, argv } = ctx;
    const raw = flagGiven(argv, 'limit');
    const limit = raw === undefined ? 20 : Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new CliError(`--limit must be a whole number from 1 to 1000, got ${JSON.stringify(raw)}`);
    // Linked X accounts and earlier public complaints follow linking: bring it up to date first.
    await core.call('links.refresh', {});
    const r = await core.call('risk.list', { limit });
    for (const i of r.items) {
      const g = i.goal;
      if (ctx.json) {
        ctx.emit({
          conversation_id: i.conversationId,
          channel: i.channel,
          subject: i.subject,
          customer: i.customerName,
          risk: i.risk,
          goal: g.kind,
          goal_ms: g.goalMs,
          goal_source: g.source,
          since: new Date(g.since).toISOString(),
          due_at: g.dueAt === null ? null : new Date(g.dueAt).toISOString(),
          overdue_ms: g.overdueMs,
          waited_ms: g.waitedMs,
          factors: i.factors,
        });
      } else {
        const due = g.overdueMs > 0 ? `overdue ${humanDuration(g.overdueMs)}` : `due in ${humanDuration(-g.overdueMs)}`;
        ctx.io.out(
          `${String(i.risk).padStart(5)}  [conversation ${i.conversationId}, ${i.channel}] ${i.customerName ?? '(unknown)'}: ${i.subject || '(no subject)'}, ${due}${g.paused === 'closed' ? ' (closed now)' : ''}`,
        );
        for (const f of i.factors) ctx.io.out(`         +${f.points} ${f.reason}`);
      }
    }
    if (!ctx.json) ctx.io.err(`${r.waiting} conversation(s) waiting on the business${r.waiting > r.items.length ? `, the ${r.items.length} riskiest shown` : ''}`);
  },
};
