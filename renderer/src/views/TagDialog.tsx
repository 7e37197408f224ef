// Tags on the selected conversation(s), label-style: every known tag with a check (a dash when only
// some of the selection has it), a box to type a new one (Enter adds it), Apply (or Ctrl/⌘ Enter)
// writes the difference. Undo (z) puts the tags back as they were.
import { useMemo, useRef, useState } from 'react';
import { Alert, Badge, Button, Checkbox, Group, Modal, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import type { ConversationSummary } from '../../../shared/domain/types';
import { MAX_TAG_LENGTH } from '../../../shared/contract/tags';
import { useQuery } from '@tanstack/react-query';
import { useClient } from '../rpc/core';
import { qk } from '../state/queries';

type Want = 'all' | 'none' | 'some';

/** A conversation's tags, as shown in its header (T edits them). */
export function TagBadges({ tags }: { tags: string[] }) {
  if (!tags.length) return null;
  return (
    <>
      {tags.map((t) => (
        <Badge key={t} size="sm" variant="default" tt="none" fw={500} data-testid="conversation-tag">
          #{t}
        </Badge>
      ))}
    </>
  );
}

export function TagDialog({
  targets,
  onClose,
  onDone,
  remember,
}: {
  /** The conversations to tag; the dialog is open while this is non-empty. */
  targets: ConversationSummary[];
  onClose: () => void;
  onDone: (message: string) => void;
  remember?: (label: string, revert: () => Promise<unknown>) => void;
}) {
  const client = useClient();
  const opened = targets.length > 0;
  const [want, setWant] = useState<Record<string, Want>>({});
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  /** What the selection has now: all, some or none of it, per tag. */
  const initial = useMemo(() => {
    const out: Record<string, Want> = {};
    const all = new Set(targets.flatMap((t) => t.tags));
    for (const tag of all) {
      const n = targets.filter((t) => t.tags.includes(tag)).length;
      out[tag] = n === targets.length ? 'all' : 'some';
    }
    return out;
  }, [targets]);

  // Each new selection starts from what it has now (reset while rendering, not in an effect).
  const [startedWith, setStartedWith] = useState(initial);
  if (startedWith !== initial) {
    setStartedWith(initial);
    if (opened) {
      setWant(initial);
      setDraft('');
      setError(null);
    }
  }
  // The tags in use (the same cache entry as the tag filter's), for suggestions.
  const { data: tagList } = useQuery({ queryKey: qk.tags(null), queryFn: () => client.call('tags.list', {}), enabled: opened });
  const known = useMemo(() => (tagList ?? []).map((t) => t.tag), [tagList]);

  const names = useMemo(() => {
    const seen = new Map<string, string>();
    for (const t of [...Object.keys(want), ...known]) if (!seen.has(t.toLowerCase())) seen.set(t.toLowerCase(), t);
    return [...seen.values()].sort((a, b) => a.localeCompare(b));
  }, [want, known]);

  const addDraft = () => {
    const t = draft.trim().replace(/\s+/g, ' ');
    if (!t) return false;
    if (t.length > MAX_TAG_LENGTH) {
      setError(`A tag is at most ${MAX_TAG_LENGTH} characters.`);
      return true;
    }
    const existing = names.find((n) => n.toLowerCase() === t.toLowerCase()) ?? t;
    setWant((w) => ({ ...w, [existing]: 'all' }));
    setDraft('');
    setError(null);
    return true;
  };

  const apply = async () => {
    const add = Object.entries(want)
      .filter(([t, w]) => w === 'all' && initial[t] !== 'all')
      .map(([t]) => t);
    const remove = Object.entries(want)
      .filter(([t, w]) => w === 'none' && initial[t])
      .map(([t]) => t);
    if (!add.length && !remove.length) {
      onClose();
      return;
    }
    const ids = targets.map((t) => t.id);
    setBusy(true);
    setError(null);
    try {
      await client.call('conversations.tag', { ids, ...(add.length ? { add } : {}), ...(remove.length ? { remove } : {}) });
      const label = [...add.map((t) => `+${t}`), ...remove.map((t) => `−${t}`)].join(' ');
      // Undo: take the added tags off where they were not, put the removed ones back where they were.
      const before = targets.map((t) => ({ id: t.id, tags: t.tags }));
      remember?.(`Tags ${label}`, async () => {
        for (const tag of add) {
          const off = before.filter((b) => !b.tags.some((x) => x.toLowerCase() === tag.toLowerCase())).map((b) => b.id);
          if (off.length) await client.call('conversations.tag', { ids: off, remove: [tag] });
        }
        for (const tag of remove) {
          const on = before.filter((b) => b.tags.some((x) => x.toLowerCase() === tag.toLowerCase())).map((b) => b.id);
          if (on.length) await client.call('conversations.tag', { ids: on, add: [tag] });
        }
      });
      onDone(`Tags ${label}${ids.length > 1 ? ` (${ids.length})` : ''}`);
      onClose();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={targets.length > 1 ? `Tags of ${targets.length} conversations` : 'Tags'}
      size="sm"
      closeButtonProps={{ 'aria-label': 'Close' }}
      data-testid="tag-dialog"
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          void apply();
        }
      }}
    >
      <Stack gap="xs">
        <TextInput
          ref={input}
          data-autofocus
          size="xs"
          label="New tag"
          description="Enter adds it; Ctrl/⌘ Enter applies"
          placeholder="refund, vip, bug…"
          value={draft}
          onChange={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
              e.preventDefault();
              if (!addDraft()) void apply();
            }
          }}
          data-testid="tag-input"
        />
        {names.length ? (
          <ScrollArea.Autosize mah={260}>
            <Stack gap={6} data-testid="tag-list">
              {names.map((t) => {
                const w = want[t] ?? 'none';
                return (
                  <Checkbox
                    key={t}
                    size="xs"
                    label={t}
                    checked={w === 'all'}
                    indeterminate={w === 'some'}
                    onChange={() => setWant((cur) => ({ ...cur, [t]: (cur[t] ?? 'none') === 'all' ? 'none' : 'all' }))}
                    data-testid="tag-option"
                  />
                );
              })}
            </Stack>
          </ScrollArea.Autosize>
        ) : (
          <Text size="xs" c="dimmed">
            No tags yet: type one above.
          </Text>
        )}
        {error ? (
          <Alert color="red" p={6} role="alert">
            <Text size="xs">{error}</Text>
          </Alert>
        ) : null}
        <Group gap="xs" justify="flex-end">
          <Button size="xs" variant="subtle" color="gray" onClick={onClose}>
            Cancel
          </Button>
          <Button size="xs" onClick={() => void apply()} loading={busy} data-testid="tag-apply">
            Apply
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
