// Settings → Team: team mode on or off, the name and address this copy signs its changes with, and
// the email account whose server holds the shared log (README "Team mode"). Saved through
// settings.set like the other settings; the core starts or stops sharing when it changes.
import { useState } from 'react';
import { Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { ErrorLine } from '../../ui/ErrorLine';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { TeamSettings as Team } from '../../../../shared/contract/settings';
import { useClient } from '../../rpc/core';
import { qk, useAccountsQuery } from '../../state/queries';

export function TeamSettings() {
  const client = useClient();
  const queries = useQueryClient();
  const { data: settings, error: loadError } = useQuery({ queryKey: qk.settings(), queryFn: () => client.call('settings.get', {}) });
  const accounts = useAccountsQuery().data?.email ?? [];
  // What is being typed (undefined: the saved value is shown).
  const [draft, setDraft] = useState<{ name?: string; address?: string }>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const team = settings?.team;
  const name = draft.name ?? team?.name ?? '';
  const address = draft.address ?? team?.address ?? '';
  const save = (patch: Partial<Team>) => {
    setSaveError(null);
    client.call('settings.set', { team: patch }).then(
      (v) => {
        queries.setQueryData(qk.settings(), v);
        setDraft((d) => ({ ...d, ...('name' in patch ? { name: undefined } : {}), ...('address' in patch ? { address: undefined } : {}) }));
      },
      (err: Error) => setSaveError(err.message),
    );
  };
  const error = saveError ?? loadError?.message ?? null;
  return (
    <Stack gap="xs" data-testid="team-settings" maw={520}>
      <Switch
        label="Share conversations with my team"
        description="Status, tags, assignment, notes, link decisions and who is replying travel through a hidden folder (Canary/Team) on the email account below, so teammates' copies of Canary see them. X sign-ins never leave this computer."
        checked={team?.enabled ?? false}
        disabled={!team || !accounts.length}
        data-testid="team-enabled"
        onChange={(e) => save({ enabled: e.currentTarget.checked })}
      />
      {!accounts.length && team ? (
        <Text size="xs" c="dimmed">
          Add an email account first: the team's shared folder lives on its server.
        </Text>
      ) : null}
      <TextInput
        label="Your name"
        description="How teammates see your changes ('Alex is replying'); empty: the agent name of Settings → Saved replies."
        value={name}
        disabled={!team}
        data-testid="team-name"
        onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
        onBlur={() => team && name !== team.name && save({ name })}
      />
      <TextInput
        label="Your address"
        description="Your own email address, to tell teammates apart; empty: the account's address."
        value={address}
        disabled={!team}
        data-testid="team-address"
        onChange={(e) => setDraft({ ...draft, address: e.currentTarget.value })}
        onBlur={() => team && address.trim() !== team.address && save({ address })}
      />
      <Select
        label="Shared folder on"
        data={[{ value: '', label: 'The first email account' }, ...accounts.map((a) => ({ value: String(a.id), label: a.address ? `${a.name} (${a.address})` : a.name }))]}
        value={team?.accountId ? String(team.accountId) : ''}
        disabled={!team}
        allowDeselect={false}
        data-testid="team-account"
        onChange={(v) => save({ accountId: v ? Number(v) : null })}
      />
      <ErrorLine>{error}</ErrorLine>
    </Stack>
  );
}
