// Reply in place: email (reply or reply-all, with files and the account's signature) or X (a public
// reply or a DM). The text is a draft saved as you type (per conversation, in this window's storage)
// until it is queued; the reply then waits the undo seconds with an Undo button here
// (composer/UndoBar.tsx); what was queued shows with its outbox state (composer/Outbox.tsx).
// The box has spellcheck on: Electron's checker in the desktop app (Settings → Privacy), the browser's own in the browser host.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Group, SegmentedControl, Text, Textarea } from '@mantine/core';
import type { ConversationSummary } from '../../../shared/domain/types';
import { keyLabel } from '../keys/keymap';
import { useClient } from '../rpc/core';
import { useCommand } from '../commands/registry';
import { messageTime } from '../lib/time';
import { useSavedReplyInsert } from './SavedReplyPicker';
import { useCrossAnswer, useXCheck, XCheckNotes } from './CrossAnswer';
import { loadDraft, saveDraft } from './composer/drafts';
import { Outbox } from './composer/Outbox';
import { ForwardComposer } from './composer/ForwardComposer';
import { AttachmentBar, SignatureLine, useAttachments, type PickedFile } from './composer/attachments';
import { UndoBar, type PendingSend } from './composer/UndoBar';
import { useTeamReply } from './team/useTeamReply';

export { loadDraft };

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
      <Composer c={c} onSent={queued} onCompose={onCompose} onUndone={() => setVersion((v) => v + 1)} />
      {c.channel === 'email' ? <ForwardComposer c={c} onSent={queued} onCompose={onCompose} /> : null}
    </>
  );
}

function Composer({ c, onSent, onCompose, onUndone }: { c: ConversationSummary; onSent: (message: string) => void; onCompose: () => void; onUndone: () => void }) {
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
  const att = useAttachments(c, open);
  const [pending, setPending] = useState<PendingSend<PickedFile[]> | null>(null);
  const gone = useCallback(() => setPending(null), []);

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
  // Team mode: the "replying" claim while open; before sending, did someone else answer? (views/team)
  const team = useTeamReply(c.id, open, text);

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

  const withFiles = c.channel === 'email' && !cross.on && att.files.length > 0;
  const send = async () => {
    if ((!text.trim() && !withFiles) || sending || (withFiles && att.over)) return;
    if (!(await team.confirmSend())) return;
    setSending(true);
    setError(null);
    const idempotencyKey = (key.current ??= `${c.id}-${Date.now()}`);
    try {
      let done: string | null = null;
      if (cross.on) done = await cross.send({ text, all, confirmPrivate, idempotencyKey });
      else {
        // Both channels wait the undo seconds in the outbox, with Undo where the composer was.
        const attachments = withFiles ? await att.encode() : undefined;
        const item = await client.call(
          'replies.send',
          c.channel === 'email'
            ? { channel: 'email', conversationId: c.id, text, all, idempotencyKey, undo: true, ...(attachments ? { attachments } : {}) }
            : { channel: 'x', conversationId: c.id, text, confirmPrivate, idempotencyKey, undo: true },
        );
        const wait = item.nextAttemptAt - item.createdAt;
        if (item.state === 'queued' && wait > 0) {
          setPending({ id: item.id, until: Date.now() + wait, keep: att.files });
          done = `${c.channel === 'email' ? 'Reply queued' : c.kind === 'dm' ? 'Message queued' : 'Reply queued for posting'}: sending in ${Math.round(wait / 1000)} s`;
        }
        att.setFiles([]);
      }
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

  const undoBar = pending ? (
    <UndoBar
      key={pending.id}
      pending={pending}
      what={c.channel === 'email' ? 'Sending your reply' : c.kind === 'dm' ? 'Sending your message' : 'Posting your reply'}
      onGone={gone}
      onUndone={(r, files) => {
        // The reply is taken back: its text and files return to the box, nothing was sent.
        setPending(null);
        setText(r.text);
        setAll(r.all);
        att.setFiles(files);
        const at = Date.now();
        saveDraft(c.id, { text: r.text, all: r.all, savedAt: at });
        setSavedAt(at);
        setOpen(true);
        setFocusTick((t) => t + 1);
        onUndone();
      }}
    />
  ) : null;
  if (!open) return undoBar;
  const what = c.channel === 'email' ? (all ? 'Reply to all' : 'Reply') : c.kind === 'dm' ? 'Direct message' : 'Public reply';
  const tooLong = check ? !check.length.valid : false;
  const needsConfirm = !!check?.needsConfirmation && !confirmPrivate;
  return (
    <div
      className="composer"
      data-testid="composer"
      onDragOver={(e) => {
        if (c.channel === 'email' && !cross.on && e.dataTransfer.types.includes('Files')) e.preventDefault();
      }}
      onDrop={(e) => {
        if (c.channel !== 'email' || cross.on || !e.dataTransfer.files.length) return;
        e.preventDefault();
        att.add([...e.dataTransfer.files]);
      }}
    >
      {undoBar}
      {team.notice}
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
        spellCheck
        onPaste={(e) => {
          if (c.channel !== 'email' || cross.on) return;
          const images = [...e.clipboardData.files].filter((f) => f.type.startsWith('image/'));
          if (!images.length) return;
          e.preventDefault();
          att.add(images, true);
        }}
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
      {c.channel === 'email' && !cross.on ? <SignatureLine limits={att.limits} /> : null}
      <AttachmentBar c={c} att={att} crossOn={cross.on} />
      <XCheckNotes check={check} dm={c.kind === 'dm'} confirmed={confirmPrivate} onConfirm={() => setConfirmPrivate(true)} />
      {cross.element}
      {error ? (
        <Alert color="red" mt={6} p={8} role="alert" data-testid="composer-error">
          <Text size="xs">{error} Your draft is kept.</Text>
        </Alert>
      ) : null}
      <Group mt={8} gap={8}>
        <Button
          size="xs"
          onClick={() => void send()}
          loading={sending}
          disabled={(!text.trim() && !withFiles) || tooLong || needsConfirm || cross.blocked || (withFiles && att.over)}
          data-testid="composer-send"
        >
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
            att.setFiles([]);
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
