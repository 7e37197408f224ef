// What was queued from a conversation, with its outbox state (queued, sending, sent, failed with the
// reason; retry, cancel), the other part of a cross-channel answer included.
import { useCallback, useEffect } from 'react';
import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ConversationSummary } from '../../../../shared/domain/types';
import type { OutboxItemView } from '../../../../shared/contract/outbox';
import { useClient } from '../../rpc/core';
import { qk } from '../../state/queries';
import { fullTime, messageTime } from '../../lib/time';

type OutItem = { id: number; state: OutboxItemView['state']; lastError: string | null; createdAt: number; updatedAt: number; what: string };

/** How an outbox item is named: a reply, a forward, or a part of a cross-channel answer. */
function whatOf(o: OutboxItemView): string {
  if (o.groupId) return o.channel === 'email' ? 'Your email answer' : o.kind === 'dm' ? 'Your DM on X' : 'Your reply on X';
  return o.channel === 'email' && /^fwd?:/i.test(o.subject) ? 'Your forward' : 'Your reply';
}

const STATE_COLOR = { queued: 'gray', sending: 'blue', sent: 'teal', failed: 'red', cancelled: 'gray' } as const;

const NO_ITEMS: OutItem[] = [];

function useOutbox(c: ConversationSummary): { items: OutItem[]; reload: () => void } {
  const client = useClient();
  const { data, refetch } = useQuery({
    queryKey: qk.outbox(c.channel, c.id),
    queryFn: async () => {
      try {
        // withGroup: the other part of a cross-channel answer shows here too, with its own state.
        const r = (await client.call('outbox.list', { conversationId: c.id, withGroup: true })).map((o: OutboxItemView) => ({
          id: o.id,
          state: o.state,
          lastError: o.lastError,
          createdAt: o.createdAt,
          updatedAt: o.updatedAt,
          what: whatOf(o),
        }));
        return r.sort((a, b) => b.createdAt - a.createdAt).slice(0, 5);
      } catch {
        return NO_ITEMS;
      }
    },
    // While something is on its way, look again every second (sending has no event of its own to wait for).
    refetchInterval: (q) => (q.state.data?.some((o) => o.state === 'queued' || o.state === 'sending') ? 1000 : false),
  });
  const reload = useCallback(() => void refetch(), [refetch]);
  return { items: data ?? NO_ITEMS, reload };
}

export function Outbox({ c, version }: { c: ConversationSummary; version: number }) {
  const client = useClient();
  const { items, reload } = useOutbox(c);
  useEffect(() => {
    if (version) reload();
  }, [version, reload]);
  if (!items.length) return null;
  const act = async (o: OutItem, what: 'retry' | 'cancel') => {
    try {
      await client.call(`outbox.${what}`, { id: o.id });
    } finally {
      reload();
    }
  };
  return (
    <Stack gap={4} className="outbox" data-testid="outbox">
      {items.map((o) => (
        <Group key={o.id} gap={8} wrap="nowrap" className="outbox-item" data-testid="outbox-item" data-state={o.state}>
          <Badge size="xs" variant="filled" color={`${STATE_COLOR[o.state]}.9`}>
            {o.state}
          </Badge>
          <Text size="xs" truncate style={{ flex: 1 }} title={fullTime(o.updatedAt)}>
            {o.what} · {messageTime(o.createdAt)}
            {o.lastError ? ` · ${o.lastError}` : ''}
          </Text>
          {o.state === 'failed' ? (
            <Button size="compact-xs" variant="default" onClick={() => void act(o, 'retry')}>
              Retry
            </Button>
          ) : null}
          {o.state === 'queued' || o.state === 'failed' ? (
            <Button size="compact-xs" variant="subtle" color="gray" onClick={() => void act(o, 'cancel')}>
              Cancel
            </Button>
          ) : null}
        </Group>
      ))}
    </Stack>
  );
}
