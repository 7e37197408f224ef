// The triage commands (done, waiting, back to the inbox, snooze, star, tags, undo) and their
// dialogs. They act on the conversations `targets()` names: the checked rows, else the open one.
import { memo, useCallback, useState } from 'react';
import { Kbd } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ConversationSummary } from '../../../shared/domain/types';
import type { QueueStore } from '../state/queue';
import { useCommand, useModalOpen } from '../commands/registry';
import { SnoozeModal } from '../ui/SnoozeModal';
import { TagDialog } from './TagDialog';

const STATUS_WORD = { open: 'Moved to the inbox', waiting: 'Marked waiting', snoozed: 'Snoozed', done: 'Marked done' } as const;

// The dialogs re-render only when their own props change.
const SnoozeModalM = memo(SnoozeModal);
const TagDialogM = memo(TagDialog);

function announce(message: string): void {
  notifications.show({
    message: (
      <span>
        {message} · <Kbd size="xs">Z</Kbd> to undo
      </span>
    ),
    autoClose: 3000,
    withCloseButton: false,
    'aria-label': message,
  });
}

export const Triage = memo(function Triage({
  store,
  targets,
  remember,
}: {
  store: QueueStore;
  targets: () => ConversationSummary[];
  remember: (label: string, revert: () => Promise<unknown>) => void;
}) {
  const [snoozeOpen, setSnoozeOpen] = useState(false);
  /** The conversations the tag dialog edits (open while non-empty). */
  const [tagTargets, setTagTargets] = useState<ConversationSummary[]>([]);
  useModalOpen(snoozeOpen || tagTargets.length > 0);

  const setStatus = useCallback(
    async (status: 'open' | 'waiting' | 'snoozed' | 'done', snoozeUntil: number | null = null, label?: string) => {
      const t = targets();
      if (!t.length) return;
      const ok = await store.setStatus(t, status, snoozeUntil, label);
      if (ok) announce(`${label ?? STATUS_WORD[status]}${t.length > 1 ? ` (${t.length})` : ''}`);
    },
    [targets, store],
  );

  useCommand('conversation.done', () => void setStatus('done'));
  useCommand('conversation.waiting', () => void setStatus('waiting'));
  useCommand('conversation.reopen', () => void setStatus('open'));
  useCommand('conversation.snooze', () => {
    if (!targets().length) return false;
    setSnoozeOpen(true);
  });
  useCommand('conversation.star', () => {
    const t = targets();
    if (!t.length) return false;
    const on = !(t[0]!.priority > 0);
    void store.setPriority(t, on ? 1 : 0).then((ok) => ok && announce(on ? 'Starred' : 'Unstarred'));
  });
  useCommand('conversation.tag', () => {
    const t = targets();
    if (!t.length) return false;
    setTagTargets(t);
  });
  useCommand('undo', () => {
    void store.undo().then((label) => {
      notifications.show({ message: label ? `Undone: ${label}` : 'Nothing to undo', autoClose: 2000, withCloseButton: false });
    });
  });

  const closeSnooze = useCallback(() => setSnoozeOpen(false), []);
  const closeTags = useCallback(() => setTagTargets([]), []);
  const pickSnooze = useCallback(
    (until: number, label: string) => {
      setSnoozeOpen(false);
      void setStatus('snoozed', until, `Snoozed: ${label.toLowerCase()}`);
    },
    [setStatus],
  );
  return (
    <>
      <SnoozeModalM opened={snoozeOpen} onClose={closeSnooze} onPick={pickSnooze} />
      <TagDialogM targets={tagTargets} onClose={closeTags} onDone={announce} remember={remember} />
    </>
  );
});
