// Settings → Accounts → Replies: each email account's signature (added below a "-- " line to email
// replies from that account, never to X) and how many seconds a reply (email or X) waits so Undo can take it back.
import { useState } from 'react';
import { Button, Group, NumberInput, Stack, Text, Textarea } from '@mantine/core';
import { ErrorLine } from '../ui/ErrorLine';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { MAX_SIGNATURE, MAX_UNDO_SECONDS, type SignatureView } from '../../../shared/contract/compose';
import { useClient } from '../rpc/core';
import { qk } from '../state/queries';

function SignatureEditor({ s, onSaved }: { s: SignatureView; onSaved: () => void }) {
  const client = useClient();
  const [text, setText] = useState(s.signature);
  const [state, setState] = useState<string | null>(null);
  const save = () => {
    setState(null);
    client.call('signatures.set', { accountId: s.accountId, text }).then(
      () => {
        setState('Saved.');
        onSaved();
      },
      (e: Error) => setState(e.message),
    );
  };
  return (
    <Stack gap={4} data-testid="signature-editor" data-account={s.accountId}>
      <Textarea
        label={`Signature for ${s.accountName}${s.address ? ` <${s.address}>` : ''}`}
        description='Added below a "-- " line to email replies from this account; never to replies on X.'
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        autosize
        minRows={2}
        maxRows={8}
        maxLength={MAX_SIGNATURE}
        spellCheck
        data-testid="signature-text"
      />
      <Group gap={8}>
        <Button size="compact-xs" variant="default" onClick={save} disabled={text === s.signature} data-testid="signature-save">
          Save signature
        </Button>
        {state ? (
          <Text size="xs" c={state === 'Saved.' ? 'dimmed' : 'red'} role="status">
            {state}
          </Text>
        ) : null}
      </Group>
    </Stack>
  );
}

export function ReplySettings() {
  const client = useClient();
  const queries = useQueryClient();
  const { data: sigs, refetch } = useQuery({ queryKey: ['signatures'], queryFn: () => client.call('signatures.list', {}) });
  const { data: settings } = useQuery({ queryKey: qk.settings(), queryFn: () => client.call('settings.get', {}) });
  const [error, setError] = useState<string | null>(null);
  return (
    <Stack gap="sm" data-testid="reply-settings">
      <NumberInput
        label="Undo send (seconds)"
        description="A reply (email or X) waits this long in the outbox, with an Undo button in the composer; 0 sends at once. canary reply always sends at once."
        min={0}
        max={MAX_UNDO_SECONDS}
        w={320}
        size="xs"
        value={settings?.undoSendSeconds ?? 5}
        disabled={!settings}
        data-testid="setting-undo-seconds"
        onChange={(v) => {
          const n = typeof v === 'number' ? v : Number(v);
          if (!Number.isInteger(n) || n < 0 || n > MAX_UNDO_SECONDS) return;
          client.call('settings.set', { undoSendSeconds: n }).then(
            (st) => {
              setError(null);
              queries.setQueryData(qk.settings(), st);
              void queries.invalidateQueries({ queryKey: ['compose.limits'] });
            },
            (e: Error) => setError(e.message),
          );
        }}
      />
      <ErrorLine>{error}</ErrorLine>
      {sigs?.length ? (
        sigs.map((s) => (
          <SignatureEditor
            key={s.accountId}
            s={s}
            onSaved={() => {
              void refetch();
              void queries.invalidateQueries({ queryKey: ['compose.limits'] });
            }}
          />
        ))
      ) : (
        <Text size="xs" c="dimmed">
          Signatures are set per email account; add an account first.
        </Text>
      )}
    </Stack>
  );
}
