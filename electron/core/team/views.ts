// What team mode shows (issue 17): the teammates the log names, a conversation's shared state and
// the history of who did what on it, each event in words.
import type { TeamConversationView, TeamHistoryEntry, TeammateView, TeamNewerReply, TeamPerson, TeamReplyCheckView } from '../../../shared/contract/team';
import type { ConversationSummary } from '../../../shared/domain/types';
import type { ReadDB } from '../db/open';
import type { TeamEventRow, TeamFieldRow } from '../db/repos/team';
import * as views from '../db/repos/team-views';
import { REPLY_TAKEN_BACK, type TeamEvent } from './event';
import { writesBefore } from './merge';

/** Teammates from the log; this copy's author is marked `you` (and listed even before its first event). */
export function listTeammates(db: ReadDB, self: TeamEvent['author']): TeammateView[] {
  const selfKey = (self.address || self.device).toLowerCase();
  const out: TeammateView[] = views.teammates(db).map((r) => ({
    name: r.name,
    address: r.address,
    you: r.key === selfKey,
    events: r.events,
    devices: r.devices,
    lastActivityAt: r.last_at,
    lastKind: r.last_kind,
  }));
  if (!out.some((t) => t.you)) out.push({ name: self.name, address: self.address, you: true, events: 0, devices: 1, lastActivityAt: 0, lastKind: '' });
  return out;
}

/** A teammate's name for an assignee value (an address, or a name when they have none). */
function personOf(team: TeammateView[], value: string): TeamPerson {
  const v = value.toLowerCase();
  const t = team.find((m) => m.address && m.address === v) ?? team.find((m) => !m.address && m.name.toLowerCase() === v);
  return t ? { name: t.name, address: t.address } : /@/.test(value) ? { name: value, address: value } : { name: value, address: '' };
}

/**
 * What `conversations.assign` stores for what the user typed: 'me', a teammate's name or address
 * (case-insensitive), or any email address. A name the log does not know, or that two teammates
 * share, is refused with the known names.
 */
export function resolveAssignee(team: TeammateView[], typed: string): { value: string; person: TeamPerson } | { error: string } {
  const k = typed.trim().toLowerCase();
  const known = () => team.map((t) => (t.address ? `${t.name || t.address} <${t.address}>` : t.name)).join(', ');
  if (k === 'me') {
    const me = team.find((t) => t.you);
    if (!me || (!me.address && !me.name)) return { error: 'this copy has no team name or address yet (settings.team.name / address)' };
    return { value: me.address || me.name, person: { name: me.name, address: me.address } };
  }
  const byAddress = team.find((t) => t.address === k);
  if (byAddress) return { value: byAddress.address, person: { name: byAddress.name, address: byAddress.address } };
  const byName = team.filter((t) => t.name.toLowerCase() === k);
  if (byName.length > 1) return { error: `two teammates are called ${typed.trim()}: give the address (${known()})` };
  if (byName[0]) return { value: byName[0].address || byName[0].name, person: { name: byName[0].name, address: byName[0].address } };
  if (/^[^\s@]+@[^\s@]+$/.test(k)) return { value: k, person: { name: k, address: k } };
  return { error: `no teammate "${typed.trim()}" in the team log (known: ${known() || 'nobody yet'}); give a name, an address or "me"` };
}

function parse(v: string): unknown {
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return null;
  }
}

function quoteShort(s: string, n = 80): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return `"${one.length > n ? `${one.slice(0, n - 1)}…` : one}"`;
}

/** An event in words, as the history shows it. */
export function describeEvent(team: TeammateView[], row: TeamEventRow): string {
  const body = parse(row.body) as { fields?: Record<string, unknown> } | null;
  const f = body?.fields ?? {};
  switch (row.kind) {
    case 'conversation.status':
      return f.status === 'snoozed' && typeof f.snoozeUntil === 'number' ? `snoozed until ${new Date(f.snoozeUntil).toISOString()}` : `set status to ${String(f.status)}`;
    case 'conversation.tags': {
      const added = Object.values(f).filter((v): v is string => typeof v === 'string');
      const removed = Object.entries(f)
        .filter(([, v]) => v === null)
        .map(([k]) => k.slice(4));
      return [added.length ? `tagged ${added.join(', ')}` : '', removed.length ? `removed tag ${removed.join(', ')}` : ''].filter(Boolean).join('; ');
    }
    case 'conversation.assign':
      return typeof f.assignee === 'string' ? `assigned to ${personOf(team, f.assignee).name}` : 'unassigned';
    case 'note':
      return typeof f.note === 'string' && f.note.trim() ? `noted ${quoteShort(f.note)}` : 'cleared the note';
    case 'conversation.reply':
      return Object.values(f)[0] === REPLY_TAKEN_BACK ? 'took back a reply' : 'answered';
    case 'conversation.claim':
      return Object.values(f)[0] === null ? 'stopped replying' : 'started replying';
    case 'link.decision':
      return `link ${String(f.decision)}${typeof f.customer === 'string' ? ` with ${f.customer}` : ''}`;
    default:
      return `${row.kind} (from a newer Canary)`;
  }
}

/** Per field, the winning write among the conversation's keys (usually one key). */
function winners(fields: TeamFieldRow[]): Map<string, TeamFieldRow> {
  const m = new Map<string, TeamFieldRow>();
  for (const f of fields) {
    const cur = m.get(f.field);
    if (!cur || writesBefore(cur, f)) m.set(f.field, f);
  }
  return m;
}

/** A local conversation's shared state and history (team mode off: its local status and tags, no history). */
export function conversationView(db: ReadDB, c: ConversationSummary, enabled: boolean, team: TeammateView[], o: { selfKey: string; now: number }): TeamConversationView {
  const targets = views.targetsOfConversation(db, c.id);
  const base: TeamConversationView = {
    id: c.id,
    enabled,
    status: c.status,
    snoozeUntil: c.snoozeUntil,
    tags: c.tags,
    assignee: null,
    note: null,
    history: [],
    conflicts: 0,
    replying: enabled ? replyingNow(db, targets, o) : [],
  };
  const events = views.eventsOfTargets(db, targets);
  if (!events.length) return base;
  const byId = new Map(events.map((e) => [e.id, e]));
  const person = (e: TeamEventRow | undefined): TeamPerson | null => (e ? { name: e.author_name, address: e.author_address } : null);
  const lost = new Map<string, TeamHistoryEntry['lost']>();
  let conflicts = 0;
  for (const h of views.historyOfTargets(db, targets)) {
    if (h.concurrent) conflicts++;
    const list = lost.get(h.event_id) ?? [];
    list.push({ field: h.field, concurrent: h.concurrent === 1, to: person(byId.get(h.lost_to)) });
    lost.set(h.event_id, list);
  }
  const w = winners(views.fieldsOfTargets(db, targets));
  const assignee = w.get('assignee');
  const assigned = assignee ? parse(assignee.value) : null;
  const note = w.get('note');
  const noteText = note ? parse(note.value) : null;
  const noteBy = note ? byId.get(note.event_id) : undefined;
  return {
    ...base,
    assignee: typeof assigned === 'string' ? personOf(team, assigned) : null,
    note: typeof noteText === 'string' && noteText !== '' && note ? { text: noteText, at: note.at, by: person(noteBy) ?? { name: '', address: note.author } } : null,
    history: events.map((e) => ({
      eventId: e.id,
      at: e.at,
      author: { name: e.author_name, address: e.author_address },
      kind: e.kind,
      text: describeEvent(team, e),
      lost: lost.get(e.id) ?? [],
    })),
    conflicts,
  };
}

/** Teammates other than `selfKey` whose "replying" claim on these keys lasts beyond now. */
function replyingNow(db: ReadDB, targets: string[], o: { selfKey: string; now: number }): TeamConversationView['replying'] {
  const out = new Map<string, { person: TeamPerson; until: number }>();
  for (const f of views.authorFieldsOfTargets(db, targets, 'claim:')) {
    const until = parse(f.value);
    const key = f.field.slice('claim:'.length);
    if (key === o.selfKey || typeof until !== 'number' || until <= o.now) continue;
    const prev = out.get(key);
    if (!prev || prev.until < until) out.set(key, { person: { name: f.author_name, address: f.author_address }, until });
  }
  return [...out.values()].sort((a, b) => b.until - a.until);
}

/**
 * Before sending on a conversation: answers by someone else since `since` (a teammate's reply event
 * in the log, a reply in the Sent folder this copy did not send, the customer's newest message
 * marked \Answered with no answer here), newest first, and who is replying now.
 */
export function replyCheck(db: ReadDB, conversationId: number, since: number, o: { enabled: boolean; selfKey: string; now: number }): TeamReplyCheckView {
  const targets = o.enabled ? views.targetsOfConversation(db, conversationId) : [];
  const newer: TeamNewerReply[] = [];
  for (const f of views.authorFieldsOfTargets(db, targets, 'reply:')) {
    const at = parse(f.value);
    if (f.field.slice('reply:'.length) === o.selfKey || typeof at !== 'number' || at === REPLY_TAKEN_BACK || at <= since) continue;
    newer.push({ by: { name: f.author_name, address: f.author_address }, at, source: 'log' });
  }
  // A teammate's reply also reaches the Sent folder: the log's entry says who, so one within 10 minutes of it is the same.
  for (const m of views.outboundNotFromOutbox(db, conversationId, since)) {
    if (newer.some((n) => n.source === 'log' && n.at !== null && Math.abs(n.at - m.sent_at) < 600_000)) continue;
    newer.push({ by: null, at: m.sent_at, source: 'sent' });
  }
  if (views.newestInboundAnswered(db, conversationId)) newer.push({ by: null, at: null, source: 'answered' });
  newer.sort((a, b) => (b.at ?? 0) - (a.at ?? 0));
  return { newer, replying: o.enabled ? replyingNow(db, targets, o) : [] };
}
