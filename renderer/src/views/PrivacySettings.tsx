// Settings → Privacy: what Canary may fetch from third parties. Spellcheck is off until the owner
// turns it on, because Chromium downloads its dictionaries from Google on Windows and Linux. In the
// desktop app, looking for updates is off until turned on too (it asks the update server each start).
import { useState } from 'react';
import { Stack, Switch, Text } from '@mantine/core';
import { ErrorLine } from '../ui/ErrorLine';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useClient, useCore } from '../rpc/core';
import { qk } from '../state/queries';

export function PrivacySettings() {
  const client = useClient();
  const desktop = useCore().transport.kind === 'ipc';
  const queries = useQueryClient();
  const { data: settings, error: loadError } = useQuery({ queryKey: qk.settings(), queryFn: () => client.call('settings.get', {}) });
  const [saveError, setSaveError] = useState<string | null>(null);
  const error = saveError ?? loadError?.message ?? null;
  return (
    <Stack gap="xs" data-testid="privacy-settings">
      <Switch
        label="Check spelling while I type"
        description="In the desktop app, Chromium downloads spelling dictionaries from Google on Windows and Linux the first time; on macOS the system's own checker is used. Off by default."
        checked={settings?.spellcheck ?? false}
        disabled={!settings}
        data-testid="setting-spellcheck"
        onChange={(e) => {
          const spellcheck = e.currentTarget.checked;
          client.call('settings.set', { spellcheck }).then(
            (v) => queries.setQueryData(qk.settings(), v),
            (err: Error) => setSaveError(err.message),
          );
        }}
      />
      {desktop ? (
        <Switch
          label="Look for updates"
          description="When Canary starts and every six hours it asks its update server for a newer version, downloads it and installs it when you quit. Off by default."
          checked={settings?.autoUpdate ?? false}
          disabled={!settings}
          data-testid="setting-auto-update"
          onChange={(e) => {
            const autoUpdate = e.currentTarget.checked;
            client.call('settings.set', { autoUpdate }).then(
              (v) => queries.setQueryData(qk.settings(), v),
              (err: Error) => setSaveError(err.message),
            );
          }}
        />
      ) : null}
      <Text size="xs" c="dimmed">
        Remote images in email stay blocked until you allow them for a message or a sender; nothing else is fetched from third parties.
      </Text>
      <ErrorLine>{error}</ErrorLine>
    </Stack>
  );
}
