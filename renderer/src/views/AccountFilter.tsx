// Narrow every view to one account, with each account's open count.
import { useCallback, useEffect, useState } from 'react';
import { NavLink, Text } from '@mantine/core';
import { useClient, useCoreEvent } from '../rpc/core';
import { IconMail, IconX } from '../ui/icons';

interface AccountRow {
  id: number;
  channel: 'email' | 'x';
  name: string;
  open: number;
}

export function AccountFilter({ active, onPick }: { active: number | null; onPick: (id: number | null) => void }) {
  const client = useClient();
  const [rows, setRows] = useState<AccountRow[]>([]);
  const [tick, setTick] = useState(0);
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
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useCoreEvent('sync.status', reload);
  useCoreEvent('conversations.changed', reload);
  if (rows.length < 2) return null;
  return (
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
          aria-pressed={active === a.id}
        />
      ))}
    </div>
  );
}
