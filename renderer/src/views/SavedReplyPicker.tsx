// The saved-reply picker of the reply box: a searchable list (name, shortcut, tags, text; most used
// first) that inserts the chosen reply's version for this conversation's channel with its variables
// filled (savedReplies.render with insert, which counts the use). It opens from the command
// "Insert saved reply" (palette, Ctrl/⌘ ;) or when ';' is typed in an empty reply box; a ';' typed
// anywhere else is just a semicolon. What could not be filled stays in the text as written
// ("{order}") and is listed under the box while it is there.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Badge, Group, Modal, ScrollArea, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { ErrorLine } from '../ui/ErrorLine';
import { useQuery } from '@tanstack/react-query';
import type { SavedReplyView } from '../../../shared/contract/saved-replies';
import { useModalOpen } from '../commands/registry';
import { useClient } from '../rpc/core';
import { qk } from '../state/queries';

function SavedReplyPicker({
  conversationId,
  channel,
  onPick,
  onClose,
}: {
  conversationId: number;
  channel: 'email' | 'x';
  onPick: (text: string, warnings: string[], unfilled: string[]) => void;
  onClose: () => void;
}) {
  const client = useClient();
  const [q, setQ] = useState('');
  const [index, setIndex] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { data: list, error: loadError } = useQuery({ queryKey: qk.savedReplies(q.trim()), queryFn: () => client.call('savedReplies.search', { q: q.trim(), limit: 30 }) });
  const items = list ?? [];
  const current = Math.min(index, Math.max(items.length - 1, 0));

  const pick = async (r: SavedReplyView | undefined) => {
    if (!r || busy) return;
    setBusy(true);
    setError(null);
    try {
      const out = await client.call('savedReplies.render', { id: r.id, conversationId, insert: true });
      onPick(out.text, out.warnings, out.unfilled);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title="Insert saved reply" size="lg" closeButtonProps={{ 'aria-label': 'Close' }} data-testid="saved-reply-picker">
      <TextInput
        data-autofocus
        placeholder="Search by name, shortcut, tag or text…"
        aria-label="Search saved replies"
        value={q}
        onChange={(e) => {
          setQ(e.currentTarget.value);
          setIndex(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setIndex(Math.max(0, Math.min(items.length - 1, current + (e.key === 'ArrowDown' ? 1 : -1))));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            void pick(items[current]);
          }
        }}
        data-testid="saved-reply-search"
      />
      <ScrollArea.Autosize mah={360} mt="xs">
        <Stack gap={2} role="listbox" aria-label="Saved replies">
          {items.map((r, i) => {
            const text = channel === 'x' && r.xText ? r.xText : r.body;
            return (
              <UnstyledButton
                key={r.id}
                role="option"
                aria-selected={i === current}
                className="saved-reply-option"
                data-testid="saved-reply-option"
                onMouseEnter={() => setIndex(i)}
                onClick={() => void pick(r)}
                p={6}
                style={{ borderRadius: 4, background: i === current ? 'var(--mantine-color-default-hover)' : undefined }}
              >
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" fw={600} truncate>
                    {r.name}
                  </Text>
                  {r.shortcut ? (
                    <Badge size="xs" variant="default" tt="none">
                      ;{r.shortcut}
                    </Badge>
                  ) : null}
                  {channel === 'x' && r.xText ? (
                    <Badge size="xs" variant="default" tt="none">
                      X version
                    </Badge>
                  ) : null}
                  <Text size="xs" c="dimmed" ml="auto" style={{ flexShrink: 0 }}>
                    used {r.usageCount}×
                  </Text>
                </Group>
                <Text size="xs" c="dimmed" lineClamp={2}>
                  {text}
                </Text>
              </UnstyledButton>
            );
          })}
        </Stack>
      </ScrollArea.Autosize>
      {list && !items.length ? (
        <Text size="sm" c="dimmed" mt="xs">
          {q.trim() ? 'No saved reply matches.' : 'No saved replies yet: create them in Settings → Saved replies.'}
        </Text>
      ) : null}
      <ErrorLine mt="xs">{error ?? loadError?.message}</ErrorLine>
      <Text size="xs" c="dimmed" mt="xs">
        ↑ ↓ to choose, Enter to insert. Variables are filled for this conversation.
      </Text>
    </Modal>
  );
}

/**
 * The reply box's saved replies: `open()` shows the picker; `onKeyDown` opens it for ';' typed in an
 * empty box (returns true when it took the key); `element` is the picker and the warnings about what
 * was left unfilled. `insert` puts the text at the caret (after a space when it would touch a word), or
 * in place of the whole box when it still holds just `replaceable` (a prefill nobody edited).
 */
export function useSavedReplyInsert({
  conversationId,
  channel,
  text,
  textarea,
  setText,
  replaceable = null,
}: {
  conversationId: number;
  channel: 'email' | 'x';
  text: string;
  textarea: React.RefObject<HTMLTextAreaElement | null>;
  setText: (t: string) => void;
  replaceable?: string | null;
}) {
  const [open, setOpen] = useState(false);
  const [warnings, setWarnings] = useState<{ text: string; list: string[]; unfilled: string[] } | null>(null);
  useModalOpen(open);
  const caret = useRef<{ start: number; end: number } | null>(null);
  const focusAt = useRef<number | null>(null);

  const show = useCallback(() => {
    const el = textarea.current;
    caret.current = el ? { start: el.selectionStart, end: el.selectionEnd } : null;
    setOpen(true);
  }, [textarea]);

  const onPick = (picked: string, list: string[], unfilled: string[]) => {
    const whole = replaceable !== null && text.trim() === replaceable.trim();
    const at = whole ? { start: 0, end: text.length } : (caret.current ?? { start: text.length, end: text.length });
    // Not glued to the word before it.
    const inserted = at.start > 0 && /\S/.test(text.charAt(at.start - 1)) ? ` ${picked}` : picked;
    const next = text.slice(0, at.start) + inserted + text.slice(at.end);
    setText(next);
    setWarnings(list.length ? { text: next, list, unfilled } : null);
    focusAt.current = at.start + inserted.length;
    setOpen(false);
  };

  // Back in the box after the picker closes, the caret after what was inserted.
  useEffect(() => {
    if (open) return;
    const el = textarea.current;
    if (!el || focusAt.current === null) return;
    const pos = focusAt.current;
    focusAt.current = null;
    setTimeout(() => {
      el.focus();
      el.setSelectionRange(pos, pos);
    }, 0);
  }, [open, textarea]);

  const onKeyDown = (e: React.KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (e.key !== ';' || e.ctrlKey || e.metaKey || e.altKey || text.trim() !== '') return false;
    e.preventDefault();
    show();
    return true;
  };

  // Shown while the text is as inserted, or still holds a variable that was left unfilled.
  const shownWarnings = warnings && (warnings.text === text || warnings.unfilled.some((v) => text.includes(`{${v}}`))) ? warnings.list : null;
  const element = (
    <>
      {open ? (
        <SavedReplyPicker
          conversationId={conversationId}
          channel={channel}
          onPick={onPick}
          onClose={() => {
            focusAt.current = caret.current?.start ?? text.length;
            setOpen(false);
          }}
        />
      ) : null}
      {shownWarnings ? (
        <Alert color="orange" mt={6} p={8} title="Check before sending" data-testid="saved-reply-warnings">
          <Stack gap={2}>
            {shownWarnings.map((w) => (
              <Text size="xs" key={w}>
                {w}
              </Text>
            ))}
          </Stack>
        </Alert>
      ) : null}
    </>
  );
  return { open: show, onKeyDown, element };
}
