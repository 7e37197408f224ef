// Who the customer is: their identities on every channel, the other conversations they have had,
// and why Canary thinks an X account and an email address belong to the same person.
import { memo, useEffect, useState } from 'react';
import { Anchor, Avatar, Badge, Group, Loader, Stack, Text, Tooltip } from '@mantine/core';
import type { ConversationDetail, ConversationSummary, Identity } from '../../../shared/domain/types';
import { useClient, useCoreEvent } from '../rpc/core';
import { fullTime, longDuration, messageTime } from '../lib/time';
import { ChannelIcon } from '../ui/marks';
import { IconFlame, IconLink, IconLinkQuestion, IconMail, IconUser, IconX } from '../ui/icons';
import { titleOf } from '../ui/QueueRow';

const LINK_LABEL = {
  confirmed: { text: 'Linked (confirmed by you)', color: 'teal' },
  linked: { text: 'Linked by Canary', color: 'blue' },
  suggested: { text: 'Possible link: review', color: 'yellow' },
} as const;

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
        {isX && (i.profile?.location || i.profile?.url) ? (
          <Text size="xs" c="dimmed" truncate>
            {[i.profile.location, i.profile.url].filter(Boolean).join(' · ')}
          </Text>
        ) : null}
      </div>
    </div>
  );
}

function useCustomerConversations(customerId: number | null): { items: ConversationSummary[]; total: number; loading: boolean } {
  const client = useClient();
  const [state, setState] = useState<{ id: number | null; items: ConversationSummary[]; total: number }>({ id: null, items: [], total: 0 });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (customerId == null) return;
    let live = true;
    client.call('conversations.list', { filter: { customerId, status: 'all' }, limit: 25 }).then(
      (r) => {
        if (live) setState({ id: customerId, items: r.items, total: r.total });
      },
      () => {
        if (live) setState({ id: customerId, items: [], total: 0 });
      },
    );
    return () => {
      live = false;
    };
  }, [client, customerId, tick]);
  useCoreEvent('conversations.changed', () => setTick((t) => t + 1));
  if (customerId == null) return { items: [], total: 0, loading: false };
  if (state.id !== customerId) return { items: [], total: 0, loading: true };
  return { items: [...state.items].sort((a, b) => b.lastMessageAt - a.lastMessageAt), total: state.total, loading: false };
}

/** The email side of an escalation: the thread the customer wrote before going public, and who wrote it. */
function useRelated(id: number | null): ConversationDetail | null {
  const client = useClient();
  const [d, setD] = useState<ConversationDetail | null>(null);
  useEffect(() => {
    if (id == null) return;
    let live = true;
    client.call('conversations.get', { id }).then(
      (r) => live && setD(r),
      () => live && setD(null),
    );
    return () => {
      live = false;
    };
  }, [client, id]);
  return id != null && d?.conversation.id === id ? d : null;
}

function countLabel(n: number, one: string, many: string): string | null {
  return n ? `${n} ${n === 1 ? one : many}` : null;
}

function CustomerPaneView({ detail, onOpenConversation }: { detail: ConversationDetail | null; onOpenConversation: (id: number) => void }) {
  const customer = detail?.customer ?? null;
  const current = detail?.conversation ?? null;
  const others = useCustomerConversations(customer?.id ?? null);
  const related = useRelated(current?.escalation?.emailConversationId ?? null);
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
  const link = current.linkState && current.linkState in LINK_LABEL ? LINK_LABEL[current.linkState as keyof typeof LINK_LABEL] : null;
  const esc = current.escalation;
  return (
    <aside className="cust" aria-label={`Customer: ${customer.displayName}`} data-testid="customer-panel">
      <Group gap={10} wrap="nowrap" className="cust-head">
        <Avatar radius="xl" size={40} color="blue">
          {customer.displayName.replace(/[^\p{L}\p{N} ]/gu, '').split(/\s+/).filter(Boolean).slice(0, 2).map((p) => p[0]!.toUpperCase()).join('') || '?'}
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

      {link ? (
        <div className="cust-section">
          <Group gap={6}>
            <Badge
              variant="light"
              color={link.color}
              leftSection={current.linkState === 'suggested' ? <IconLinkQuestion size={12} /> : <IconLink size={12} />}
              data-testid="link-state"
            >
              {link.text}
            </Badge>
          </Group>
          {esc ? (
            <Stack gap={2} mt={8} className="evidence" data-testid="link-evidence">
              <Text size="xs" fw={600}>
                Evidence
              </Text>
              <Text size="xs">
                <IconFlame size={11} /> {esc.reason}
              </Text>
              {esc.waitedMs != null ? <Text size="xs">Waited {longDuration(esc.waitedMs)} for an email answer first.</Text> : null}
            </Stack>
          ) : null}
        </div>
      ) : null}

      {related && related.customer && related.customer.id !== customer.id ? (
        <div className="cust-section" data-testid="related-customer">
          <Text className="cust-label">Same person by email</Text>
          <Stack gap={8}>
            {related.customer.identities
              .filter((i) => i.kind === 'email')
              .map((i) => (
                <IdentityRow key={i.id} i={i} />
              ))}
          </Stack>
          <Anchor
            component="button"
            className="cust-conv"
            mt={6}
            underline="never"
            onClick={() => onOpenConversation(related.conversation.id)}
            data-testid="related-conversation"
          >
            <ChannelIcon kind={related.conversation.kind} size={14} />
            <span className="cust-conv-title">{titleOf(related.conversation)}</span>
            <span className={`cust-conv-status st-${related.conversation.status}`}>{related.conversation.status}</span>
            <span className="cust-conv-time">{messageTime(related.conversation.lastMessageAt)}</span>
          </Anchor>
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
          Conversations{others.total ? ` (${others.total})` : ''}
        </Text>
        {others.loading ? <Loader size="xs" /> : null}
        <Stack gap={2}>
          {others.items.map((c) => (
            <Tooltip key={c.id} label={`${c.status} · last ${fullTime(c.lastMessageAt)}`} openDelay={500} position="left">
              <Anchor
                component="button"
                className="cust-conv"
                data-current={c.id === current.id || undefined}
                onClick={() => onOpenConversation(c.id)}
                data-testid="customer-conversation"
                underline="never"
              >
                <ChannelIcon kind={c.kind} size={14} />
                <span className="cust-conv-title">{titleOf(c)}</span>
                {c.escalated ? <IconFlame size={12} className="cust-conv-esc" /> : null}
                <span className={`cust-conv-status st-${c.status}`}>{c.status}</span>
                <span className="cust-conv-time">{messageTime(c.lastMessageAt)}</span>
              </Anchor>
            </Tooltip>
          ))}
        </Stack>
      </div>
    </aside>
  );
}

export const CustomerPane = memo(CustomerPaneView);
