// Import a folder (or one file) from the app: .eml files, mbox archives, X API v2 pages or an X
// archive's direct-messages.js. The core reads the path on its own machine; progress arrives as
// counts, then the summary with every file it could not use and why.
import { useCallback, useRef, useState } from 'react';
import { Alert, Button, Group, List, Modal, Progress, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import type { ImportSummaryView } from '../../../shared/contract/import';
import { useClient, useCoreEvent } from '../rpc/core';

export function ImportForm({ onImported }: { onImported?: (summary: ImportSummaryView) => void }) {
  const client = useClient();
  const [path, setPath] = useState('');
  const [self, setSelf] = useState('');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ importer: string; done: number; total: number } | null>(null);
  const [summary, setSummary] = useState<ImportSummaryView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const importId = useRef<string>('');
  useCoreEvent(
    'import.progress',
    useCallback((p: { importId: string | null; importer: string; done: number; total: number }) => {
      if (p.importId && p.importId === importId.current) setProgress({ importer: p.importer, done: p.done, total: p.total });
    }, []),
  );
  const run = async () => {
    setBusy(true);
    setError(null);
    setSummary(null);
    setProgress(null);
    importId.current = `import-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    try {
      const selfAddresses = self
        .split(/[,;\s]+/)
        .map((s) => s.trim())
        .filter(Boolean);
      const r = await client.call('import.path', { path: path.trim(), importId: importId.current, ...(selfAddresses.length ? { selfAddresses } : {}) });
      setSummary(r);
      onImported?.(r);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const pct = progress && progress.total ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <Stack gap="xs" data-testid="import-form">
      <Text size="sm" c="dimmed">
        Canary reads .eml files, mbox archives, saved X API v2 pages (me.json, mentions-*.json, dm_events-*.json) and an X archive’s direct-messages.js. Importing the same files again stores nothing
        twice.
      </Text>
      <TextInput
        label="Folder or file"
        description="The full path on this computer, e.g. /home/you/support-mail or ~/Downloads/export"
        placeholder="/path/to/folder"
        value={path}
        onChange={(e) => setPath(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && path.trim() && !busy) void run();
        }}
        data-testid="import-path"
        required
      />
      <TextInput
        label="Your own addresses (optional)"
        description="Mail from these is yours; Canary guesses them from the mail when empty."
        placeholder="support@example.com"
        value={self}
        onChange={(e) => setSelf(e.currentTarget.value)}
        data-testid="import-self"
      />
      {busy ? (
        <Stack gap={2} data-testid="import-progress">
          <Progress value={progress ? pct : 100} animated={!progress} striped={!progress} aria-label="Import progress" />
          <Text size="xs" c="dimmed" aria-live="polite">
            {progress ? `${progress.importer}: ${progress.done.toLocaleString()} of ${progress.total.toLocaleString()} files` : 'Reading the folder…'}
          </Text>
        </Stack>
      ) : null}
      {error ? (
        <Alert color="red" p="xs" role="alert" data-testid="import-error">
          <Text size="xs">{error}</Text>
        </Alert>
      ) : null}
      {summary ? (
        <Alert color={summary.imported ? 'teal' : 'gray'} p="xs" data-testid="import-summary">
          <Text size="sm" fw={700}>
            Imported {summary.imported.toLocaleString()} new message{summary.imported === 1 ? '' : 's'}
          </Text>
          <Text size="xs">
            {summary.files.toLocaleString()} file{summary.files === 1 ? '' : 's'} read · {summary.conversations.toLocaleString()} conversation{summary.conversations === 1 ? '' : 's'} touched ·{' '}
            {summary.duplicates.toLocaleString()} already stored · {(summary.ms / 1000).toFixed(1)} s
          </Text>
          {summary.notes.map((n) => (
            <Text key={n} size="xs" c="dimmed">
              {n}
            </Text>
          ))}
          {summary.problemCount ? (
            <>
              <Text size="xs" fw={600} mt={6}>
                {summary.problemCount} file{summary.problemCount === 1 ? '' : 's'} not imported:
              </Text>
              <ScrollArea.Autosize mah={160}>
                <List size="xs" spacing={2} data-testid="import-problems">
                  {summary.problems.map((p, i) => (
                    <List.Item key={i}>
                      <Text span size="xs" ff="monospace">
                        {p.file.startsWith(summary.path) ? p.file.slice(summary.path.length).replace(/^\//, '') || p.file : p.file}
                      </Text>
                      : {p.reason}
                    </List.Item>
                  ))}
                </List>
              </ScrollArea.Autosize>
              {summary.problemCount > summary.problems.length ? (
                <Text size="xs" c="dimmed">
                  …and {summary.problemCount - summary.problems.length} more.
                </Text>
              ) : null}
            </>
          ) : null}
        </Alert>
      ) : null}
      <Group gap="xs">
        <Button size="xs" onClick={() => void run()} disabled={!path.trim()} loading={busy} data-testid="import-run">
          Import
        </Button>
      </Group>
    </Stack>
  );
}

export function ImportDialog({ opened, onClose, onImported }: { opened: boolean; onClose: () => void; onImported?: (s: ImportSummaryView) => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Import a folder" size="lg" closeButtonProps={{ 'aria-label': 'Close' }} data-testid="import-dialog">
      <ImportForm onImported={onImported} />
    </Modal>
  );
}
