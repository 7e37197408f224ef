// Settings → Help: export what to send when asking for help (app.diagnostics): versions, settings
// without secrets, sync and linking states, counts and the newest log lines. Saved as a JSON file
// the owner can read before sending it.
import { useState } from 'react';
import { Alert, Button, List, Stack, Text } from '@mantine/core';
import { useClient } from '../rpc/core';

export function DiagnosticsPanel() {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const exportIt = async () => {
    setBusy(true);
    setError(null);
    try {
      const d = await client.call('app.diagnostics', {});
      const name = `canary-diagnostics-${d.generatedAt.slice(0, 19).replace(/[:T]/g, '-')}.json`;
      const url = URL.createObjectURL(new Blob([JSON.stringify(d, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setDone(`Saved ${name}: ${d.log.length} log lines, ${d.accounts.length} account(s), ${d.sync.length} sync state(s).`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="sm" data-testid="diagnostics">
      <Text size="sm">When something does not work, export diagnostics and send the file with your question. It holds:</Text>
      <List size="sm" spacing={2}>
        <List.Item>Canary's, the system's and SQLite's versions, and the size of your data</List.Item>
        <List.Item>counts (customers, conversations, messages), accounts with their servers and settings, and each folder's and timeline's sync state and last error</List.Item>
        <List.Item>linking and outbox states, your app settings, and the newest 500 lines of Canary's log</List.Item>
      </List>
      <Text size="sm">
        It never holds a password, a token, or the text of a message. The log is kept in the data folder under <code>logs/</code>, readable only by you.
      </Text>
      <div>
        <Button onClick={() => void exportIt()} loading={busy} data-testid="export-diagnostics">
          Export diagnostics
        </Button>
      </div>
      {done && (
        <Alert color="teal" variant="light" c="dark.7">
          {done}
        </Alert>
      )}
      {error && (
        <Alert color="red" variant="light" c="dark.7" role="alert">
          {error}
        </Alert>
      )}
    </Stack>
  );
}
