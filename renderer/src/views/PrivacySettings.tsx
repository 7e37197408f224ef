// Settings → Privacy: what Canary may fetch from third parties. Spellcheck is off until the owner
// turns it on, because Chromium downloads its dictionaries from Google on Windows and Linux.
import { useCallback, useEffect, useState } from 'react';
import { Stack, Switch, Text } from '@mantine/core';
import type { AppSettings } from '../../../shared/contract/settings';
import { useClient, useCoreEvent } from '../rpc/core';

export function PrivacySettings() {
  const client = useClient();
  const [settings, setSettings] = useState<AppSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    client.call('settings.get', {}).then(setSettings, (e: Error) => setError(e.message));
  }, [client]);
  useEffect(load, [load]);
  useCoreEvent('settings.changed', load);
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
          client.call('settings.set', { spellcheck }).then(setSettings, (err: Error) => setError(err.message));
        }}
      />
      <Text size="xs" c="dimmed">
        Remote images in email stay blocked until you allow them for a message or a sender; nothing else is fetched from third parties.
      </Text>
      {error ? (
        <Text size="xs" c="red" role="alert">
          {error}
        </Text>
      ) : null}
    </Stack>
  );
}
