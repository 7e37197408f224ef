// Undo send: a reply (email or X) queued with `undo` waits its seconds in the outbox (Settings → Accounts); this
// bar counts them down, and Undo takes it back (outbox.undo) and puts the text and files back in the
// composer. When the time is up it leaves; the outbox line shows what became of the reply.
import { useEffect, useState } from 'react';
import { Button, Group, Text } from '@mantine/core';
import { useClient } from '../../rpc/core';
import type { UndoSendView } from '../../../../shared/contract/compose';

export interface PendingSend<T> {
  id: number;
  /** When the outbox will send it (this window's clock). */
  until: number;
  /** What to put back in the composer besides the core's text (the picked files). */
  keep: T;
}

export function UndoBar<T>({ pending, what, onUndone, onGone }: { pending: PendingSend<T>; what: string; onUndone: (r: UndoSendView, keep: T) => void; onGone: () => void }) {
  const client = useClient();
  const [now, setNow] = useState(() => Date.now());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, []);
  const left = Math.max(0, Math.ceil((pending.until - now) / 1000));
  useEffect(() => {
    if (left > 0 || busy) return;
    const t = setTimeout(onGone, error ? 4000 : 600);
    return () => clearTimeout(t);
  }, [left, busy, error, onGone]);
  const undo = () => {
    setBusy(true);
    client.call('outbox.undo', { id: pending.id }).then(
      (r) => onUndone(r, pending.keep),
      (e: Error) => {
        setError(e.message);
        setBusy(false);
      },
    );
  };
  return (
    <Group gap={8} className="undo-send" data-testid="undo-send-bar" role="status" aria-live="polite" mt={6}>
      <Text size="xs">{error ?? (left > 0 ? `${what} in ${left} s` : `${what}…`)}</Text>
      {left > 0 && !error ? (
        <Button size="compact-xs" variant="filled" color="yellow.8" onClick={undo} loading={busy} data-testid="undo-send">
          Undo
        </Button>
      ) : null}
    </Group>
  );
}
