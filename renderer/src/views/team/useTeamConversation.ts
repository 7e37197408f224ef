// A conversation's team state (team.conversation: assignee, note, who else is replying), read again
// when the core says the conversation changed (a teammate's event arrived) or the settings did, and
// when the nearest "replying" claim runs out.
import { useCallback, useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { TeamConversationView } from '../../../../shared/contract/team';
import { useClient, useCoreEvent } from '../../rpc/core';
import { useTeamEnabled } from './useTeamEnabled';

export const teamKey = (id: number) => ['team-conversation', id] as const;

/** Null while team mode is off (the window's settings say so): nothing is asked then, on every conversation opened. */
export function useTeamConversation(id: number): TeamConversationView | null {
  const client = useClient();
  const queries = useQueryClient();
  const on = useTeamEnabled();
  const { data } = useQuery({
    enabled: on,
    queryKey: teamKey(id),
    queryFn: async () => {
      try {
        return await client.call('team.conversation', { id });
      } catch {
        return null;
      }
    },
  });
  const reload = useCallback(() => void queries.invalidateQueries({ queryKey: teamKey(id) }), [queries, id]);
  useCoreEvent(
    'conversations.changed',
    useCallback(({ ids }: { ids: number[] }) => (ids.includes(id) ? reload() : undefined), [id, reload]),
  );
  useCoreEvent('settings.changed', reload);
  // A claim that lapses has no event: ask again when the nearest one ends (the core leaves it out then).
  const nextEnd = data?.replying.length ? Math.min(...data.replying.map((r) => r.until)) : null;
  useEffect(() => {
    if (nextEnd === null) return;
    const t = setTimeout(reload, Math.max(0, nextEnd - Date.now()) + 50);
    return () => clearTimeout(t);
  }, [nextEnd, reload]);
  return on ? (data ?? null) : null;
}

/** "3 minutes ago", "just now". */
export function agoText(at: number, now = Date.now()): string {
  const d = Math.max(0, now - at);
  if (d < 60_000) return 'just now';
  const m = Math.round(d / 60_000);
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'} ago`;
  const h = Math.round(d / 3_600_000);
  if (h < 48) return `${h} hour${h === 1 ? '' : 's'} ago`;
  return `${Math.round(d / 86_400_000)} days ago`;
}

/** Who is replying, in words: "Alex is replying", "Alex and Bea are replying". */
export function replyingText(names: string[]): string {
  if (!names.length) return '';
  if (names.length === 1) return `${names[0]} is replying`;
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} are replying`;
}
