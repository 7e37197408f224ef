// Who the customer is: their identities on every channel, the other conversations they have had,
// and why Canary thinks an X account and an email address belong to the same person.
import { memo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Avatar, Group, Loader, Stack, Text } from '@mantine/core';
import type { ConversationDetail, ConversationSummary, Customer, Identity } from '../../../shared/domain/types';
import { LinkPanel, useXLinks } from './LinkPanel';
import { OnXSection } from './OnXSection';
import { ConversationLink } from '../ui/ConversationLink';
import { useClient } from '../rpc/core';
import { qk } from '../state/queries';
import { longDuration } from '../lib/time';
import { IconFlame, IconMail, IconUser, IconX } from '../ui/icons';

function IdentityRow({ i }: { i: Identity }) {
  const isX = i.kind === 'x';
  return (
    <div className="ident" data-testid="identity">
      {isX ? <IconX size={14} className="ch ch-x" /> : <IconMail size={14} className="ch ch-email" />}
      <div className="ident-main">
        <Text size="sm" fw={500} truncate>
          {isX ? `@${i.handle ?? i.xUserId}` : i.address}
        </Text>
        {i.displayName && i.displayName !== (isX ? i.handle : i.address) ? (
          <Text size="xs" c="dimmed" truncate>
            {i.displayName}
          </Text>
        ) : null}
        {isX && i.profile?.description ? (
          <Text size="xs" c="dimmed" lineClamp={3} mt={2}>
            {i.profile.description}
          </Text>
        ) : null}
        {isX && (i.profile?.location || i.profile?.url || i.profile?.followers !== undefined) ? (
          <Text size="xs" c="dimmed" truncate>
            {[i.profile.location, i.profile.url, i.profile.followers !== undefined ? `${i.profile.followers.toLocaleString('en-US')} follower${i.profile.followers === 1 ? '' : 's'}` : null]
              .filter(Boolean)
              .join(' · ')}
          </Text>
        ) : null}
      </div>
    </div>
  );
}

const NO_CONVERSATIONS: ConversationSummary[] = [];

/** The customer's other conversations, newest first (re-read at most every 250 ms while they change). */
function useCustomerConversations(customerId: number | null): { items: ConversationSummary[]; total: number; loading: boolean } {
  const client = useClient();
  const { data, isPending } = useQuery({
    queryKey: qk.customerConversations(customerId ?? 0),
    queryFn: async () => {
      try {
        const r = await client.call('conversations.list', { filter: { customerId: customerId!, status: 'all' }, limit: 25 });
        return { items: [...r.items].sort((a, b) => b.lastMessageAt - a.lastMessageAt), total: r.total };
      } catch {
        return { items: NO_CONVERSATIONS, total: 0 };
      }
    },
    enabled: customerId != null,
  });
  if (customerId == null) return { items: NO_CONVERSATIONS, total: 0, loading: false };
  if (isPending || !data) return { items: NO_CONVERSATIONS, total: 0, loading: true };
  return { items: data.items, total: data.total, loading: false };
}

/** The email side of an escalation: the thread the customer wrote before going public, and who wrote it. */
function useRelated(id: number | null): ConversationDetail | null {
  const client = useClient();
  const { data } = useQuery({
    queryKey: qk.conversation(id ?? 0),
    queryFn: () => client.call('conversations.get', { id: id! }),
    enabled: id != null,
  });
  return id != null && data?.conversation.id === id ? data : null;
}

function countLabel(n: number, one: string, many: string): string | null {
  return n ? `${n} ${n === 1 ? one : many}` : null;
}

function useCustomer(id: number | null): Customer | null {
  const client = useClient();
  const { data } = useQuery({
    queryKey: qk.customer(id ?? 0),
    queryFn: () => client.call('customers.get', { id: id! }),
    enabled: id != null,
  });
  return id != null && data?.id === id ? data : null;
}

function CustomerPaneView({
  detail,
  onOpenConversation,
  remember,
  onNotify,
}: {
  detail: ConversationDetail | null;
  onOpenConversation: (id: number) => void;
  remember: (label: string, revert: () => Promise<unknown>) => void;
  onNotify: (message: string) => void;
}) {
  const customer = detail?.customer ?? null;
  const current = detail?.conversation ?? null;
  const xIdentity = customer?.identities.find((i) => i.kind === 'x' && !i.isSelf) ?? null;
  const xLinks = useXLinks(xIdentity?.id ?? null);
  const related = useRelated(current?.escalation?.emailConversationId ?? null);
  const linkedId = xLinks.links?.linked?.customerId ?? (related?.customer && related.customer.id !== customer?.id ? related.customer.id : null);
  const linked = useCustomer(linkedId);
  const own = useCustomerConversations(customer?.id ?? null);
  const theirs = useCustomerConversations(linkedId !== customer?.id ? linkedId : null);
  if (!detail || !customer || !current) {
    return (
      <aside className="cust cust-empty" aria-label="Customer">
        <IconUser size={28} />
        <Text size="sm" c="dimmed">
          {detail ? 'No customer is known for this conversation.' : 'The customer of the selected conversation shows here.'}
        </Text>
      </aside>
    );
  }
  const emails = customer.identities.filter((i) => i.kind === 'email');
  const xs = customer.identities.filter((i) => i.kind === 'x');
  const esc = current.escalation;
  // One timeline: this customer's conversations and those of the email customer linked to them.
  const seen = new Set<number>();
  const timeline = [...own.items, ...theirs.items].filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true))).sort((a, b) => b.lastMessageAt - a.lastMessageAt);
  const total = own.total + theirs.total;
  return (
    <aside className="cust" aria-label={`Customer: ${customer.displayName}`} data-testid="customer-panel" data-conversation-id={current.id}>
      <Group gap={10} wrap="nowrap" className="cust-head">
        <Avatar radius="xl" size={40} color="blue">
          {customer.displayName
            .replace(/[^\p{L}\p{N} ]/gu, '')
            .split(/\s+/)
            .filter(Boolean)
            .slice(0, 2)
            .map((p) => p[0]!.toUpperCase())
            .join('') || '?'}
        </Avatar>
        <div style={{ minWidth: 0 }}>
          <Text fw={650} truncate data-testid="customer-name">
            {customer.displayName || 'Unknown customer'}
          </Text>
          <Text size="xs" c="dimmed">
            {[countLabel(emails.length, 'email address', 'email addresses'), countLabel(xs.length, 'X account', 'X accounts')].filter(Boolean).join(' · ')}
          </Text>
        </div>
      </Group>

      {esc ? (
        <div className="cust-section" data-testid="escalation-evidence">
          <Text className="cust-label">Escalation</Text>
          <Text size="xs">
            <IconFlame size={11} /> {esc.reason}
          </Text>
          {esc.waitedMs != null ? <Text size="xs">Waited {longDuration(esc.waitedMs)} for an email answer first.</Text> : null}
        </div>
      ) : null}

      {xIdentity ? (
        <div className="cust-section" data-testid="link-panel">
          <Text className="cust-label">Email customer for @{xIdentity.handle ?? xIdentity.xUserId}</Text>
          <LinkPanel state={xLinks} handle={xIdentity.handle ?? xIdentity.xUserId ?? ''} remember={remember} onNotify={onNotify} />
        </div>
      ) : null}

      {!xIdentity ? <OnXSection customerId={customer.id} currentId={current.id} remember={remember} onNotify={onNotify} onOpenConversation={onOpenConversation} /> : null}

      {linked && linked.id !== customer.id ? (
        <div className="cust-section" data-testid="related-customer">
          <Text className="cust-label">Same person by email</Text>
          <Stack gap={8}>
            {linked.identities
              .filter((i) => i.kind === 'email')
              .map((i) => (
                <IdentityRow key={i.id} i={i} />
              ))}
          </Stack>
        </div>
      ) : null}

      <div className="cust-section">
        <Text className="cust-label">Identities</Text>
        <Stack gap={8}>
          {[...emails, ...xs].map((i) => (
            <IdentityRow key={i.id} i={i} />
          ))}
        </Stack>
      </div>

      <div className="cust-section cust-convs">
        <Text className="cust-label">
          {linked && linked.id !== customer.id ? 'All conversations' : 'Conversations'}
          {total ? ` (${total})` : ''}
        </Text>
        {own.loading ? <Loader size="xs" /> : null}
        <Stack gap={2}>
          {timeline.map((c) => (
            <ConversationLink key={c.id} c={c} current={c.id === current.id} onOpen={onOpenConversation} testId="customer-conversation" />
          ))}
        </Stack>
      </div>
    </aside>
  );
}

export const CustomerPane = memo(CustomerPaneView);
