// Whether team mode is on (settings.team.enabled), from the settings query the window shares (re-read on settings.changed).
import { useQuery } from '@tanstack/react-query';
import { useClient } from '../../rpc/core';
import { qk } from '../../state/queries';

export function useTeamEnabled(): boolean {
  const client = useClient();
  const { data } = useQuery({ queryKey: qk.settings(), queryFn: () => client.call('settings.get', {}) });
  return data?.team.enabled ?? false;
}
