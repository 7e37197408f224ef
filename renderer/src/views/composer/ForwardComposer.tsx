// Forward an email conversation (the `f` command), queued in the email outbox.
import { useRef, useState } from 'react';
import { Alert, Button, Checkbox, Group, Stack, Text, TextInput, Textarea } from '@mantine/core';
import type { ConversationSummary } from '../../../../shared/domain/types';
import { displayFilename } from '../../../../shared/domain/filename';
import { keyLabel } from '../../keys/keymap';
import { useClient } from '../../rpc/core';
import { useCommand } from '../../commands/registry';

/**
 * Forward an email conversation: To, the "Fwd:" subject, the owner's note above the quoted
 * original, and the original's attachments (each can be left out). Queued in the email outbox.
 */
export function ForwardComposer({ c, onSent, onCompose }: { c: ConversationSummary; onSent: (message: string) => void; onCompose: () => void }) {
  const client = useClient();
  const [open, setOpen] = useState(false);
  const [to, setTo] = useState('');
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [files, setFiles] = useState<{ id: number; filename: string; size: number; on: boolean }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const toRef = useRef<HTMLInputElement>(null);
  const key = useRef<string | null>(null);

  useCommand('conversation.forward', () => {
    onCompose();
    setOpen(true);
    setError(null);
    client.call('email.forward.draft', { conversationId: c.id }).then(
      (d) => {
        setSubject(d.subject);
        setText((t) => t || `\n\n${d.quoted}`);
        setFiles(d.attachments.map((a) => ({ id: a.id, filename: a.filename || `attachment-${a.id}`, size: a.size, on: true })));
        setTimeout(() => toRef.current?.focus(), 0);
      },
      (err: Error) => setError(err.message),
    );
  });

  const recipients = to
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const send = async () => {
    if (!recipients.length || sending) return;
    setSending(true);
    setError(null);
    try {
      const idempotencyKey = (key.current ??= `fwd-${c.id}-${Date.now()}`);
      await client.call('email.forward', {
        conversationId: c.id,
        to: recipients,
        subject,
        text,
        attachmentIds: files.filter((f) => f.on).map((f) => f.id),
        idempotencyKey,
      });
      key.current = null;
      setOpen(false);
      setTo('');
      setText('');
      onSent(`Forward to ${recipients.join(', ')} queued for sending`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSending(false);
    }
  };
  if (!open) return null;
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      e.stopPropagation();
      void send();
    }
  };
  return (
    <div className="composer" data-testid="forward-composer">
      <Text size="sm" fw={600} mb={6}>
        Forward
      </Text>
      <Stack gap={6}>
        <TextInput ref={toRef} size="xs" label="To" placeholder="colleague@example.com" value={to} onChange={(e) => setTo(e.currentTarget.value)} onKeyDown={onKey} data-testid="forward-to" />
        <TextInput size="xs" label="Subject" value={subject} onChange={(e) => setSubject(e.currentTarget.value)} onKeyDown={onKey} data-testid="forward-subject" />
        <Textarea value={text} onChange={(e) => setText(e.currentTarget.value)} autosize minRows={4} maxRows={14} aria-label="Forward text" onKeyDown={onKey} data-testid="forward-text" />
        {files.length ? (
          <Group gap={10}>
            {files.map((f) => (
              <Checkbox
                key={f.id}
                size="xs"
                checked={f.on}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  setFiles((list) => list.map((x) => (x.id === f.id ? { ...x, on } : x)));
                }}
                label={`${displayFilename(f.filename)} (${f.size < 1024 ? `${f.size} B` : `${Math.round(f.size / 1024)} KB`})`}
                data-testid="forward-attachment"
              />
            ))}
          </Group>
        ) : null}
      </Stack>
      {error ? (
        <Alert color="red" mt={6} p={8} role="alert" data-testid="forward-error">
          <Text size="xs">{error}</Text>
        </Alert>
      ) : null}
      <Group mt={8} gap={8}>
        <Button size="xs" onClick={() => void send()} loading={sending} disabled={!recipients.length} data-testid="forward-send">
          Forward{' '}
          <Text span size="xs" ml={6}>
            {keyLabel('mod+Enter').join(' ')}
          </Text>
        </Button>
        <Button size="xs" variant="subtle" color="gray" onClick={() => setOpen(false)}>
          Close
        </Button>
      </Group>
    </div>
  );
}
