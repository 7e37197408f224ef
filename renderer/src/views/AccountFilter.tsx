// Narrow every view to one account (with each account's open count) and/or one tag (with its open
// and total counts).
import { useEffect, useState } from 'react';
import { NavLink, Text } from '@mantine/core';
import type { TagCountView } from '../../../shared/contract/tags';
import type { EventName } from '../../../shared/contract/events';
import { useClient } from '../rpc/core';
import { useReloadOn } from '../lib/useThrottled';
import { IconMail, IconX } from '../ui/icons';

const TAG_EVENTS: readonly EventName[] = ['conversations.changed'];
const ACCOUNT_EVENTS: readonly EventName[] = ['sync.status', 'conversations.changed'];

interface AccountRow {
  id: number;
  channel: 'email' | 'x';
  name: string;
  open: number;
}

function TagFilter({ accountId, active, onPick }: { accountId: number | null; active: string | null; onPick: (tag: string | null) => void }) {
  const client = useClient();
  const [tags, setTags] = useState<TagCountView[]>([]);
  // Counting tags reads every tagged conversation (~30 ms at 100,000): at most every 500 ms.
  const tick = useReloadOn(TAG_EVENTS, 500);
  useEffect(() => {
    let live = true;
    client.call('tags.list', accountId != null ? { accountId } : {}).then(
      (r) => live && setTags(r),
      () => live && setTags([]),
    );
    return () => {
      live = false;
    };
  }, [client, accountId, tick]);
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

export function AccountFilter({
  active,
  onPick,
  tag = null,
  onTag,
}: {
  active: number | null;
  onPick: (id: number | null) => void;
  tag?: string | null;
  onTag?: (tag: string | null) => void;
}) {
  const client = useClient();
  const [rows, setRows] = useState<AccountRow[]>([]);
  // One count per account each time: at most every 500 ms while a sync reports changes.
  const tick = useReloadOn(ACCOUNT_EVENTS, 500);
  useEffect(() => {
    let live = true;
    (async () => {
      const [email, x] = await Promise.all([client.call('email.accounts.list', {}), client.call('x.accounts.list', {})]);
      const list = [
        ...email.map((a) => ({ id: a.id, channel: 'email' as const, name: a.address ?? a.name })),
        ...x.map((a) => ({ id: a.id, channel: 'x' as const, name: a.handle ? `@${a.handle}` : a.name })),
      ];
      const counts = await Promise.all(list.map((a) => client.call('conversations.counts', { filter: { accountId: a.id } })));
      if (live) setRows(list.map((a, i) => ({ ...a, open: counts[i]!.open })));
    })().catch(() => live && setRows([]));
    return () => {
      live = false;
    };
  }, [client, tick]);
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
            rightSection={a.open ? <Text size="xs" c="dimmed">{a.open.toLocaleString()}</Text> : null}
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
