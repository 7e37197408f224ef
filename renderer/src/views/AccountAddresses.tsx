// An email account's own addresses in Settings → Accounts: given ones (the address, the login,
// aliases) and the ones Canary learned from the mail, marked "learned" with the reason. None of
// them is ever a customer. The owner adds an alias, removes an alias or a learned address (it is
// then a customer again and never learned back), or takes a removed one back; the core re-threads
// what the change touches.
import { useState } from 'react';
import { Badge, Button, Group, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { ErrorLine } from '../ui/ErrorLine';
import type { AccountAddressView } from '../../../shared/contract/email';
import { useClient } from '../rpc/core';

const SOURCE: Record<AccountAddressView['source'], string> = {
  account: 'account address',
  login: 'login',
  alias: 'alias',
  inferred: 'learned',
};

export function AccountAddresses({ accountId, addresses }: { accountId: number; addresses: AccountAddressView[] }) {
  const client = useClient();
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const change = async (key: string, what: { add: string } | { remove: string }) => {
    setBusy(key);
    setError(null);
    try {
      await client.call('accounts.addresses', { id: accountId, ...what });
      if ('add' in what) setDraft('');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Stack gap={4} mt="xs" data-testid="account-addresses">
      <Text size="xs" fw={600}>
        The business's addresses (never customers)
      </Text>
      {!addresses.length && (
        <Text size="xs" c="dimmed">
          Not known yet: learned from the Sent folder and the mail during the first sync, or add one below.
        </Text>
      )}
      {addresses.map((a) => (
        <Group key={a.address} gap="xs" wrap="nowrap" data-testid="account-address" data-active={a.active ? 'yes' : 'no'}>
          <Text size="sm" td={a.active ? undefined : 'line-through'} c={a.active ? undefined : 'dimmed'} truncate>
            {a.address}
          </Text>
          <Tooltip label={a.reason || SOURCE[a.source]} disabled={!a.reason} multiline w={320}>
            <Badge size="xs" variant="light" color={a.source === 'inferred' ? 'yellow' : 'gray'} c="dark.7">
              {a.active ? SOURCE[a.source] : 'removed'}
            </Badge>
          </Tooltip>
          {a.reason && (
            <Text size="xs" c="dimmed" truncate>
              {a.reason}
            </Text>
          )}
          {(a.source === 'alias' || a.source === 'inferred') &&
            (a.active ? (
              <Button size="compact-xs" variant="subtle" color="red" loading={busy === a.address} onClick={() => void change(a.address, { remove: a.address })}>
                Not ours
              </Button>
            ) : (
              <Button size="compact-xs" variant="subtle" loading={busy === a.address} onClick={() => void change(a.address, { add: a.address })}>
                Ours after all
              </Button>
            ))}
        </Group>
      ))}
      <Group gap="xs" wrap="nowrap">
        <TextInput
          size="xs"
          placeholder="billing@yourshop.example"
          aria-label="Add an address of the business"
          value={draft}
          onChange={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && draft.trim()) void change('add', { add: draft.trim() });
          }}
        />
        <Button size="compact-sm" variant="default" disabled={!draft.trim()} loading={busy === 'add'} onClick={() => void change('add', { add: draft.trim() })}>
          Add address
        </Button>
      </Group>
      <ErrorLine>{error}</ErrorLine>
    </Stack>
  );
}
