// Narrow every view to one account (with each account's open count) and/or one tag (with its open
// and total counts).
import { useMemo } from 'react';
import { NavLink, Text } from '@mantine/core';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import type { TagCountView } from '../../../shared/contract/tags';
import { useClient } from '../rpc/core';
import { qk, useAccountsQuery } from '../state/queries';
import { IconMail, IconX } from '../ui/icons';

const NO_TAGS: TagCountView[] = [];

interface AccountRow {
  id: number;
  channel: 'email' | 'x';
  name: string;
  open: number;
}

function TagFilter({ accountId, active, onPick }: { accountId: number | null; active: string | null; onPick: (tag: string | null) => void }) {
  const client = useClient();
  // Counting tags reads every tagged conversation (~30 ms at 100,000): at most every 500 ms.
  const { data: tags = NO_TAGS } = useQuery({
    queryKey: qk.tags(accountId),
    queryFn: () => client.call('tags.list', accountId != null ? { accountId } : {}),
    placeholderData: keepPreviousData,
  });
  // A tag filter left over from a tag nobody uses any more still shows, so it can be turned off.
  const shown = active && !tags.some((t) => t.tag === active) ? [...tags, { tag: active, open: 0, total: 0 }] : tags;
  if (!shown.length) return null;
  return (
    <div className="nav-tags" data-testid="tag-filter">
      <div className="nav-sep" />
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" px={12} py={4}>
        Tags
      </Text>
      {shown.map((t) => (
        <NavLink
          key={t.tag}
          label={t.tag}
          leftSection={
            <Text span size="xs" c="dimmed" aria-hidden>
              #
            </Text>
          }
          rightSection={
            <Text size="xs" c="dimmed" title={`${t.open} open of ${t.total}`} data-testid="tag-count">
              {(t.open || t.total).toLocaleString()}
            </Text>
          }
          active={active === t.tag}
          onClick={() => onPick(active === t.tag ? null : t.tag)}
          className="nav-link"
          aria-current={active === t.tag ? 'true' : undefined}
          data-testid={`tag-filter-${t.tag}`}
        />
      ))}
    </div>
  );
}

export function AccountFilter({ active, onPick, tag = null, onTag }: { active: number | null; onPick: (id: number | null) => void; tag?: string | null; onTag?: (tag: string | null) => void }) {
  const client = useClient();
  const accounts = useAccountsQuery().data;
  const list = useMemo(
    () =>
      accounts
        ? [
            ...accounts.email.map((a) => ({ id: a.id, channel: 'email' as const, name: a.address ?? a.name })),
            ...accounts.x.map((a) => ({ id: a.id, channel: 'x' as const, name: a.handle ? `@${a.handle}` : a.name })),
          ]
        : [],
    [accounts],
  );
  // One count per account (the same cache entries as the views' counts for that account).
  const counts = useQueries({
    queries: list.map((a) => ({
      queryKey: qk.counts({ accountId: a.id }),
      queryFn: () => client.call('conversations.counts', { filter: { accountId: a.id } }),
    })),
  });
  const rows: AccountRow[] = list.map((a, i) => ({ ...a, open: counts[i]?.data?.open ?? 0 }));
  const tags = onTag ? <TagFilter accountId={active} active={tag} onPick={onTag} /> : null;
  if (rows.length < 2) return tags;
  return (
    <>
      <div className="nav-accounts" data-testid="account-filter">
        <div className="nav-sep" />
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" px={12} py={4}>
          Accounts
        </Text>
        {rows.map((a) => (
          <NavLink
            key={a.id}
            label={a.name}
            leftSection={a.channel === 'email' ? <IconMail size={14} /> : <IconX size={12} />}
            rightSection={
              a.open ? (
                <Text size="xs" c="dimmed">
                  {a.open.toLocaleString()}
                </Text>
              ) : null
            }
            active={active === a.id}
            onClick={() => onPick(active === a.id ? null : a.id)}
            className="nav-link"
            aria-current={active === a.id ? 'true' : undefined}
          />
        ))}
      </div>
      {tags}
    </>
  );
}
