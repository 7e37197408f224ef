// Reply in place: email (reply or reply-all) or X (a public reply or a DM). The text is a draft
// saved as you type (per conversation, in this window's storage) until it is queued; what was
// queued shows with its outbox state (queued, sending, sent, failed with the reason; retry, cancel).
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Badge, Button, Checkbox, Group, SegmentedControl, Stack, Text, TextInput, Textarea } from '@mantine/core';
import type { ConversationSummary } from '../../../shared/domain/types';
import { displayFilename } from '../../../shared/domain/filename';
import type { OutboxItemView } from '../../../shared/contract/outbox';
import { keyLabel } from '../keys/keymap';
import { useQuery } from '@tanstack/react-query';
import { useClient } from '../rpc/core';
import { qk } from '../state/queries';
import { useCommand } from '../commands/registry';
import { fullTime, messageTime } from '../lib/time';
import { useSavedReplyInsert } from './SavedReplyPicker';
import { useCrossAnswer, useXCheck, XCheckNotes } from './CrossAnswer';

const DRAFT_PREFIX = 'canary.draft.';

interface Draft {
  text: string;
  all: boolean;
  savedAt: number;
}

export function loadDraft(conversationId: number): Draft | null {
  try {
    const raw = localStorage.getItem(DRAFT_PREFIX + conversationId);
    if (!raw) return null;
    const d = JSON.parse(raw) as Partial<Draft>;
    return typeof d.text === 'string' ? { text: d.text, all: !!d.all, savedAt: Number(d.savedAt) || 0 } : null;
  } catch {
    return null;
  }
}

function saveDraft(conversationId: number, d: Draft | null): void {
  try {
    if (d && d.text.trim()) localStorage.setItem(DRAFT_PREFIX + conversationId, JSON.stringify(d));
    else localStorage.removeItem(DRAFT_PREFIX + conversationId);
  } catch {
    // storage full or unavailable: the text stays in the box
  }
}

type OutItem = { id: number; state: OutboxItemView['state']; lastError: string | null; createdAt: number; updatedAt: number; what: string };

/** How an outbox item is named: a reply, a forward, or a part of a cross-channel answer. */
function whatOf(o: OutboxItemView): string {
  if (o.groupId) return o.channel === 'email' ? 'Your email answer' : o.kind === 'dm' ? 'Your DM on X' : 'Your reply on X';
  return o.channel === 'email' && /^fwd?:/i.test(o.subject) ? 'Your forward' : 'Your reply';
}

const STATE_COLOR = { queued: 'gray', sending: 'blue', sent: 'teal', failed: 'red', cancelled: 'gray' } as const;

const NO_ITEMS: OutItem[] = [];

function useOutbox(c: ConversationSummary): { items: OutItem[]; reload: () => void } {
  const client = useClient();
  const { data, refetch } = useQuery({
    queryKey: qk.outbox(c.channel, c.id),
    queryFn: async () => {
      try {
        // withGroup: the other part of a cross-channel answer shows here too, with its own state.
        const r = (await client.call('outbox.list', { conversationId: c.id, withGroup: true })).map((o: OutboxItemView) => ({
          id: o.id,
          state: o.state,
          lastError: o.lastError,
          createdAt: o.createdAt,
          updatedAt: o.updatedAt,
          what: whatOf(o),
        }));
        return r.sort((a, b) => b.createdAt - a.createdAt).slice(0, 5);
      } catch {
        return NO_ITEMS;
      }
    },
    // While something is on its way, look again every second (sending has no event of its own to wait for).
    refetchInterval: (q) => (q.state.data?.some((o) => o.state === 'queued' || o.state === 'sending') ? 1000 : false),
  });
  const reload = useCallback(() => void refetch(), [refetch]);
  return { items: data ?? NO_ITEMS, reload };
}

function Outbox({ c, version }: { c: ConversationSummary; version: number }) {
  const client = useClient();
  const { items, reload } = useOutbox(c);
  useEffect(() => {
    if (version) reload();
  }, [version, reload]);
  if (!items.length) return null;
  const act = async (o: OutItem, what: 'retry' | 'cancel') => {
    try {
      await client.call(`outbox.${what}`, { id: o.id });
    } finally {
      reload();
    }
  };
  return (
    <Stack gap={4} className="outbox" data-testid="outbox">
      {items.map((o) => (
        <Group key={o.id} gap={8} wrap="nowrap" className="outbox-item" data-testid="outbox-item" data-state={o.state}>
          <Badge size="xs" variant="filled" color={`${STATE_COLOR[o.state]}.9`}>
            {o.state}
          </Badge>
          <Text size="xs" truncate style={{ flex: 1 }} title={fullTime(o.updatedAt)}>
            {o.what} · {messageTime(o.createdAt)}
            {o.lastError ? ` · ${o.lastError}` : ''}
          </Text>
          {o.state === 'failed' ? (
            <Button size="compact-xs" variant="default" onClick={() => void act(o, 'retry')}>
              Retry
            </Button>
          ) : null}
          {o.state === 'queued' || o.state === 'failed' ? (
            <Button size="compact-xs" variant="subtle" color="gray" onClick={() => void act(o, 'cancel')}>
              Cancel
            </Button>
          ) : null}
        </Group>
      ))}
    </Stack>
  );
}

/**
 * The outbox of a conversation and its composers, which own the reply, reply-all and forward
 * commands; queuing a reply refreshes the outbox at once and tells the window (`onReplied`: a reply
 * usually moves its conversation out of the current view, which keeps showing it). `onCompose` is
 * called when a command opens a composer (the window moves the keyboard into the reading pane).
 */
export function ReplyArea({ c, onSent, onReplied, onCompose }: { c: ConversationSummary; onSent: (message: string) => void; onReplied: (conversationId: number) => void; onCompose: () => void }) {
  const [version, setVersion] = useState(0);
  const queued = useCallback(
    (message: string) => {
      setVersion((v) => v + 1);
      onSent(message);
      onReplied(c.id);
    },
    [onSent, onReplied, c.id],
  );
  return (
    <>
      <Outbox c={c} version={version} />
      <Composer c={c} onSent={queued} onCompose={onCompose} />
      {c.channel === 'email' ? <ForwardComposer c={c} onSent={queued} onCompose={onCompose} /> : null}
    </>
  );
}

function Composer({ c, onSent, onCompose }: { c: ConversationSummary; onSent: (message: string) => void; onCompose: () => void }) {
  const client = useClient();
  const initial = loadDraft(c.id);
  const [open, setOpen] = useState(initial != null);
  const [text, setText] = useState(initial?.text ?? '');
  const [all, setAll] = useState(initial?.all ?? false);
  const [savedAt, setSavedAt] = useState<number | null>(initial?.savedAt ?? null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [confirmPrivate, setConfirmPrivate] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  const [focusTick, setFocusTick] = useState(0);
  useEffect(() => {
    if (focusTick) ref.current?.focus();
  }, [focusTick]);
  // One idempotency key per reply, made at its first attempt and kept while it is retried.
  const key = useRef<string | null>(null);

  // Save the draft a moment after typing stops.
  useEffect(() => {
    if (!open) return;
    const t = setTimeout(() => {
      const now = Date.now();
      saveDraft(c.id, { text, all, savedAt: now });
      setSavedAt(text.trim() ? now : null);
    }, 300);
    return () => clearTimeout(t);
  }, [c.id, text, all, open]);

  // X: length and private-data check as you type.
  const check = useXCheck(c.channel === 'x' && open ? c.id : null, text);
  // The cross-channel answer: the email part on an escalation, or "Also reply on X" on its thread.
  const cross = useCrossAnswer(c, open, text, setText);

  const compose = (replyAll: boolean) => {
    onCompose();
    setOpen(true);
    if (c.channel === 'email') setAll(replyAll);
    setFocusTick((t) => t + 1);
  };
  useCommand('conversation.reply', () => compose(false));
  useCommand('conversation.replyAll', () => compose(true));
  // Saved replies: the palette's "Insert saved reply" (Ctrl/⌘ ;) or ';' in an empty box.
  const saved = useSavedReplyInsert({ conversationId: c.id, channel: c.channel, text, textarea: ref, setText, replaceable: cross.prefilled });
  useCommand('composer.insertSavedReply', () => {
    if (!open) compose(false);
    saved.open();
  });

  const send = async () => {
    if (!text.trim() || sending) return;
    setSending(true);
    setError(null);
    const idempotencyKey = (key.current ??= `${c.id}-${Date.now()}`);
    try {
      let done: string | null = null;
      if (cross.on) done = await cross.send({ text, all, confirmPrivate, idempotencyKey });
      else
        await client.call(
          'replies.send',
          c.channel === 'email' ? { channel: 'email', conversationId: c.id, text, all, idempotencyKey } : { channel: 'x', conversationId: c.id, text, confirmPrivate, idempotencyKey },
        );
      saveDraft(c.id, null);
      setText('');
      setSavedAt(null);
      setOpen(false);
      setConfirmPrivate(false);
      key.current = null;
      onSent(done ?? (c.channel === 'email' ? 'Reply queued for sending' : c.kind === 'dm' ? 'Message queued' : 'Reply queued for posting'));
    } catch (e) {
      // The draft stays as it is; nothing is lost.
      setError((e as Error).message);
    } finally {
      setSending(false);
    }
  };

  if (!open) return null;
  const what = c.channel === 'email' ? (all ? 'Reply to all' : 'Reply') : c.kind === 'dm' ? 'Direct message' : 'Public reply';
  const tooLong = check ? !check.length.valid : false;
  const needsConfirm = !!check?.needsConfirmation && !confirmPrivate;
  return (
    <div className="composer" data-testid="composer">
      <Group justify="space-between" mb={6}>
        {c.channel === 'email' ? (
          <SegmentedControl
            size="xs"
            value={all ? 'all' : 'one'}
            onChange={(v) => setAll(v === 'all')}
            data={[
              { value: 'one', label: 'Reply (R)' },
              { value: 'all', label: 'Reply all (A)' },
            ]}
            aria-label="Reply or reply to all"
          />
        ) : (
          <Text size="sm" fw={600}>
            {what}
          </Text>
        )}
        <Text size="xs" c="dimmed" data-testid="draft-state" aria-live="polite">
          {savedAt ? `Draft saved ${messageTime(savedAt)}` : 'Not saved yet'}
        </Text>
      </Group>
      <Textarea
        ref={ref}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        autosize
        minRows={3}
        maxRows={14}
        placeholder={c.channel === 'email' ? `Write your reply to ${c.customerName || c.customerAddress}…` : `Write to ${c.customerAddress || c.customerName}…`}
        aria-label={what}
        data-testid="composer-text"
        onKeyDown={(e) => {
          if (saved.onKeyDown(e)) return;
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            e.stopPropagation();
            void send();
          }
        }}
      />
      {saved.element}
      <XCheckNotes check={check} dm={c.kind === 'dm'} confirmed={confirmPrivate} onConfirm={() => setConfirmPrivate(true)} />
      {cross.element}
      {error ? (
        <Alert color="red" mt={6} p={8} role="alert" data-testid="composer-error">
          <Text size="xs">{error} Your draft is kept.</Text>
        </Alert>
      ) : null}
      <Group mt={8} gap={8}>
        <Button size="xs" onClick={() => void send()} loading={sending} disabled={!text.trim() || tooLong || needsConfirm || cross.blocked} data-testid="composer-send">
          Send{' '}
          <Text span size="xs" ml={6}>
            {keyLabel('mod+Enter').join(' ')}
          </Text>
        </Button>
        <Button
          size="xs"
          variant="subtle"
          color="gray"
          onClick={() => {
            setOpen(false);
          }}
        >
          Close (keeps the draft)
        </Button>
        <Button
          size="xs"
          variant="subtle"
          color="red"
          onClick={() => {
            saveDraft(c.id, null);
            cross.discard();
            setText('');
            setSavedAt(null);
            setOpen(false);
          }}
        >
          Discard
        </Button>
      </Group>
    </div>
  );
}

/**
 * Forward an email conversation: To, the "Fwd:" subject, the owner's note above the quoted
 * original, and the original's attachments (each can be left out). Queued in the email outbox.
 */
function ForwardComposer({ c, onSent, onCompose }: { c: ConversationSummary; onSent: (message: string) => void; onCompose: () => void }) {
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
