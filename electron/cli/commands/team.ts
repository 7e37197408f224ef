// `canary conversations show|set ID` and `canary team`: team mode's shared state (issue 17) through
// the same calls as the app (team.*, conversations.setStatus / tag / assign). With team mode on, each
// command first reads the log and, after a change, sends it; an unreachable server leaves the change
// queued (said on stderr), never lost.
import { flagChoice, flagGiven, flagString } from '../args';
import { CliError, type CliCore, type CommandContext, type Command } from '../types';
import type { TeamConversationView, TeamPerson } from '../../../shared/contract/team';
import { AppError } from '../../../shared/contract/errors';

const SETTABLE = ['open', 'waiting', 'done'] as const;

function who(p: TeamPerson | null): string {
  if (!p) return 'nobody';
  return p.address && p.name && p.name !== p.address ? `${p.name} <${p.address}>` : p.name || p.address;
}

function when(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** How long ago, in words ("3 min ago"). */
export function ago(ms: number, now = Date.now()): string {
  const d = Math.max(0, now - ms);
  if (d < 60_000) return 'just now';
  if (d < 3_600_000) return `${Math.round(d / 60_000)} min ago`;
  if (d < 48 * 3_600_000) return `${Math.round(d / 3_600_000)} h ago`;
  return `${Math.round(d / 86_400_000)} days ago`;
}

/** With team mode on, read the log and send what is queued; unreachable: say so and go on with what this copy knows. */
async function syncTeam({ core, io, json }: Pick<CommandContext, 'core' | 'io' | 'json'>): Promise<boolean> {
  const settings = await core.call('settings.get', {});
  if (!settings.team.enabled) return false;
  try {
    const r = await core.call('team.sync', {});
    if (r.outbox && !json) io.err(`${r.outbox} change(s) still wait for the team log`);
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'unavailable') throw e;
    io.err(`canary: ${e.message} Showing what this copy knows.`);
  }
  return true;
}

function conversationId(raw: string | undefined, usage: string): number {
  if (!raw) throw new CliError(`needs a conversation id: canary ${usage}`);
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new CliError(`a conversation id is a positive number, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

async function show(ctx: CommandContext, id: number): Promise<void> {
  const { core } = ctx;
  const v: TeamConversationView = await core.call('team.conversation', { id });
  const { conversation: c } = await core.call('conversations.get', { id });
  if (ctx.json) {
    ctx.emit({ ...v, subject: c.subject, customer: { name: c.customerName, address: c.customerAddress } });
    return;
  }
  const out = (l: string) => ctx.io.out(l);
  out(`#${c.id}  ${c.subject || '(no subject)'}  (${c.customerName || c.customerAddress || 'unknown customer'})`);
  out(`status:   ${v.status}${v.status === 'snoozed' && v.snoozeUntil ? ` until ${when(v.snoozeUntil)}` : ''}`);
  out(`assignee: ${who(v.assignee)}`);
  out(`tags:     ${v.tags.length ? v.tags.join(', ') : '(none)'}`);
  if (v.note) out(`note:     ${v.note.text.replace(/\s+/g, ' ')}  (${who(v.note.by)}, ${when(v.note.at)})`);
  if (!v.enabled) {
    out('team mode is off: no shared history (canary team on)');
    return;
  }
  out(`history:${v.history.length ? '' : ' (nothing shared yet)'}${v.conflicts ? `  ${v.conflicts} conflict(s) decided by the latest write` : ''}`);
  for (const h of v.history) {
    const lost = h.lost.length
      ? `  [${h.lost.some((l) => l.concurrent) ? `conflict: lost to ${who(h.lost.find((l) => l.concurrent)?.to ?? null)}` : `replaced by ${who(h.lost[0]?.to ?? null)}`}]`
      : '';
    out(`  ${when(h.at)}  ${who(h.author)}  ${h.text}${lost}`);
  }
}

export const conversations: Command = {
  name: 'conversations',
  summary: "A conversation's shared state (status, assignee, tags, who did what), or change it",
  usage: 'conversations show ID [--json] | set ID [--status open|waiting|done] [--assign NAME|--unassign] [--tag T] [--untag T] [--note TEXT]',
  async run(ctx) {
    const { core, argv } = ctx;
    const sub = argv.positionals[1];
    if (sub === 'show') {
      const id = conversationId(argv.positionals[2], 'conversations show ID');
      await syncTeam(ctx);
      await show(ctx, id);
      return;
    }
    if (sub !== 'set') throw new CliError(`conversations needs show or set, got ${JSON.stringify(sub ?? '')} (canary conversations --help)`);
    const id = conversationId(argv.positionals[2], 'conversations set ID --status done');
    const status = flagChoice(argv, 'status', SETTABLE);
    const assign = flagGiven(argv, 'assign');
    if (assign === '') throw new CliError('--assign needs a teammate: a name, an address or "me" (canary team lists them)');
    if (argv.flags.has('unassign') && argv.flags.get('unassign') !== true) throw new CliError('--unassign takes no value (give the conversation id before the flags)');
    const unassign = argv.flags.get('unassign') === true;
    if (assign !== undefined && unassign) throw new CliError('give --assign NAME or --unassign, not both');
    const tag = flagGiven(argv, 'tag');
    const untag = flagGiven(argv, 'untag');
    if (tag === '' || untag === '') throw new CliError('--tag and --untag need a tag name');
    const note = flagGiven(argv, 'note');
    if (status === undefined && assign === undefined && !unassign && tag === undefined && untag === undefined && note === undefined)
      throw new CliError('nothing to set: give --status, --assign/--unassign, --tag/--untag or --note');
    // Catch up first, so a name a teammate wrote is known and the change is made on the newest state.
    await syncTeam(ctx);
    await core.call('conversations.get', { id });
    // The change most likely refused (an unknown teammate, team mode off) goes first: nothing half done.
    if (assign !== undefined || unassign) await core.call('conversations.assign', { ids: [id], assignee: unassign ? null : assign! });
    if (note !== undefined) await core.call('conversations.note', { id, note });
    if (status !== undefined) await core.call('conversations.setStatus', { ids: [id], status });
    if (tag !== undefined || untag !== undefined)
      await core.call('conversations.tag', { ids: [id], ...(tag !== undefined ? { add: [tag] } : {}), ...(untag !== undefined ? { remove: [untag] } : {}) });
    await syncTeam(ctx);
    await show(ctx, id);
  },
};

async function setTeamMode(core: CliCore, on: boolean, name?: string, address?: string, account?: string): Promise<void> {
  if (account !== undefined && !/^\d+$/.test(account)) throw new CliError(`--account is an email account's id (canary accounts), got ${JSON.stringify(account)}`);
  await core.call('settings.set', {
    team: { enabled: on, ...(name !== undefined ? { name } : {}), ...(address !== undefined ? { address } : {}), ...(account !== undefined ? { accountId: Number(account) } : {}) },
  });
}

export const team: Command = {
  name: 'team',
  summary: 'Teammates in the shared team log and their last activity; turn team mode on or off',
  usage: 'team [--json] | team on [--name NAME] [--address ADDR] [--account ID] | team off',
  async run(ctx) {
    const { core, argv, io } = ctx;
    const sub = argv.positionals[1];
    if (sub === 'on' || sub === 'off') {
      await setTeamMode(core, sub === 'on', flagString(argv, 'name'), flagString(argv, 'address'), flagString(argv, 'account'));
      const s = (await core.call('settings.get', {})).team;
      ctx.emit(s, `team mode ${s.enabled ? 'on' : 'off'}${s.enabled ? ` as ${s.name || '(the agent name)'}${s.address ? ` <${s.address}>` : ''}` : ''}`);
      if (s.enabled) await syncTeam(ctx);
      return;
    }
    if (sub !== undefined) throw new CliError(`team takes on, off or nothing, got ${JSON.stringify(sub)}`);
    if (!(await syncTeam(ctx))) io.err('team mode is off: turn it on with canary team on --name NAME --address ADDR');
    const now = Date.now();
    for (const m of await core.call('team.list', {})) {
      const last = m.lastActivityAt ? `last active ${ago(m.lastActivityAt, now)} (${when(m.lastActivityAt)}, ${m.lastKind})` : 'nothing shared yet';
      ctx.emit(m, `${who(m)}${m.you ? ' (you)' : ''}  ${last}  ${m.events} event(s)${m.devices > 1 ? ` from ${m.devices} computers` : ''}`);
    }
  },
};
