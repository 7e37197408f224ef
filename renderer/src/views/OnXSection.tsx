// The email side of a cross-channel case: X accounts Canary links or suggests for this email
// customer, with the evidence and the decision (LinkPanel), and their posts and DMs one click away.
// Without it, an owner reading Jane's third unanswered email would not see that @jdoe88 just
// complained in public.
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Stack, Text } from '@mantine/core';
import type { XAccountLinks } from '../../../shared/contract/links';
import type { ConversationSummary } from '../../../shared/domain/types';
import { useClient } from '../rpc/core';
import { qk } from '../state/queries';
import { ConversationLink } from '../ui/ConversationLink';
import { LinkPanel } from './LinkPanel';

const NO_LINKS: XAccountLinks[] = [];
const NO_CONVERSATIONS: ConversationSummary[] = [];

function useLinksForCustomer(customerId: number): { accounts: XAccountLinks[]; set: (v: XAccountLinks) => void } {
  const client = useClient();
  const queries = useQueryClient();
  const key = qk.customerLinks(customerId);
  const { data } = useQuery({
    queryKey: key,
    queryFn: () => client.call('links.list', { customerId }).catch(() => NO_LINKS),
  });
  const set = useCallback(
    (v: XAccountLinks) => queries.setQueryData(qk.customerLinks(customerId), (list: XAccountLinks[] | undefined) => list?.map((a) => (a.identityId === v.identityId ? v : a))),
    [queries, customerId],
  );
  return { accounts: data ?? NO_LINKS, set };
}

function useXConversations(ownerIds: number[]): ConversationSummary[] {
  const client = useClient();
  const key = ownerIds.join(',');
  const { data } = useQuery({
    queryKey: qk.xConversationsOf(key),
    queryFn: async () => {
      const ids = key ? key.split(',').map(Number) : [];
      try {
        const pages = await Promise.all(ids.map((customerId) => client.call('conversations.list', { filter: { customerId, channel: 'x', status: 'all' }, limit: 10 })));
        return pages.flatMap((p) => p.items).sort((a, b) => b.lastMessageAt - a.lastMessageAt);
      } catch {
        return NO_CONVERSATIONS;
      }
    },
  });
  return data ?? NO_CONVERSATIONS;
}

export function OnXSection({
  customerId,
  currentId,
  remember,
  onNotify,
  onOpenConversation,
}: {
  customerId: number;
  currentId: number;
  remember: (label: string, revert: () => Promise<unknown>) => void;
  onNotify: (message: string) => void;
  onOpenConversation: (id: number) => void;
}) {
  const { accounts, set } = useLinksForCustomer(customerId);
  // Posts and DMs of accounts not merged into this customer yet (a merged one's are in the timeline).
  const owners = [...new Set(accounts.map((a) => a.ownerCustomerId).filter((id): id is number => id != null && id !== customerId))];
  const convs = useXConversations(owners);
  if (!accounts.length) return null;
  return (
    <div className="cust-section" data-testid="on-x">
      <Text className="cust-label">{accounts.length === 1 ? `On X: @${accounts[0]!.handle ?? accounts[0]!.xUserId}` : `On X (${accounts.length} accounts)`}</Text>
      <Stack gap={10}>
        {accounts.map((a) => (
          <div key={a.identityId}>
            {accounts.length > 1 ? (
              <Text size="sm" fw={600}>
                @{a.handle ?? a.xUserId}
              </Text>
            ) : null}
            <LinkPanel state={{ links: a, loading: false, error: null, set }} handle={a.handle ?? a.xUserId} remember={remember} onNotify={onNotify} />
          </div>
        ))}
        {convs.length ? (
          <Stack gap={2}>
            {convs.map((c) => (
              <ConversationLink key={c.id} c={c} current={c.id === currentId} onOpen={onOpenConversation} testId="on-x-conversation" />
            ))}
          </Stack>
        ) : null}
      </Stack>
    </div>
  );
}
