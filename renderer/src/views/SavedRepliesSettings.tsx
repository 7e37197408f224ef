// Settings → Saved replies: your name (the {agent} variable), the saved replies with search, a form
// to create or edit one (name, email text, short X text, tags, shortcut, escalation default), remove,
// and export/import as a JSON file (a download in the browser host; an import refused whole, with
// the reason, when the file is not a saved-replies file).
import { useRef, useState } from 'react';
import { Alert, Badge, Button, Checkbox, FileButton, Group, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { ErrorLine } from '../ui/ErrorLine';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { SAVED_REPLY_VARIABLES, X_TEXT_MAX, type SavedReplyView } from '../../../shared/contract/saved-replies';
import { useClient } from '../rpc/core';
import { qk } from '../state/queries';

interface Draft {
  id?: number;
  name: string;
  body: string;
  xText: string;
  tags: string;
  shortcut: string;
  escalationDefault: boolean;
}

const EMPTY: Draft = { name: '', body: '', xText: '', tags: '', shortcut: '', escalationDefault: false };
const VARIABLES = SAVED_REPLY_VARIABLES.map((v) => `{${v}}`).join(' ');

function AgentName() {
  const client = useClient();
  const queries = useQueryClient();
  const { data: settings } = useQuery({ queryKey: qk.settings(), queryFn: () => client.call('settings.get', {}) });
  const [value, setValue] = useState<string | null>(null);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const shown = value ?? settings?.agentName ?? '';
  const save = () => {
    if (value === null) return;
    client.call('settings.set', { agentName: value }).then(
      (v) => {
        queries.setQueryData(qk.settings(), v);
        setValue(null);
        setNote({ ok: true, text: 'Saved.' });
      },
      (e: Error) => setNote({ ok: false, text: e.message }),
    );
  };
  return (
    <Group align="flex-end" gap="xs">
      <TextInput
        size="xs"
        label="Your name"
        description="Fills {agent} in saved replies"
        placeholder="e.g. Sam from Hilltop Coffee"
        value={shown}
        disabled={!settings}
        onChange={(e) => {
          setValue(e.currentTarget.value);
          setNote(null);
        }}
        onBlur={save}
        onKeyDown={(e) => e.key === 'Enter' && save()}
        data-testid="agent-name"
        w={280}
      />
      {note ? (
        <Text size="xs" c={note.ok ? 'dimmed' : 'red'} role={note.ok ? undefined : 'alert'} pb={6}>
          {note.text}
        </Text>
      ) : null}
    </Group>
  );
}

function Editor({ draft, onDone }: { draft: Draft; onDone: (saved: SavedReplyView | null) => void }) {
  const client = useClient();
  const [d, setD] = useState(draft);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof Draft) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setD({ ...d, [k]: e.currentTarget.value });
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const saved = await client.call('savedReplies.save', {
        ...(d.id !== undefined ? { id: d.id } : {}),
        name: d.name,
        body: d.body,
        xText: d.xText,
        tags: d.tags.split(','),
        shortcut: d.shortcut,
        escalationDefault: d.escalationDefault,
      });
      onDone(saved);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap={6} className="saved-reply-editor" data-testid="saved-reply-editor">
      <Text fw={650} size="sm">
        {d.id !== undefined ? `Edit "${draft.name}"` : 'New saved reply'}
      </Text>
      <TextInput size="xs" label="Name" value={d.name} onChange={set('name')} data-testid="saved-reply-name" required />
      <Textarea size="xs" label="Email text" description={`Variables: ${VARIABLES}`} value={d.body} onChange={set('body')} autosize minRows={4} maxRows={12} data-testid="saved-reply-body" required />
      <Textarea
        size="xs"
        label="X version (optional)"
        description={`Used for X replies and DMs; a public reply is at most ${X_TEXT_MAX} characters once the variables are filled (checked when inserted). Without it, X gets the email text.`}
        value={d.xText}
        onChange={set('xText')}
        autosize
        minRows={2}
        maxRows={5}
        data-testid="saved-reply-x"
      />
      <Group grow gap="xs">
        <TextInput size="xs" label="Tags (comma-separated)" value={d.tags} onChange={set('tags')} data-testid="saved-reply-tags" />
        <TextInput size="xs" label="Shortcut" description="Typed in the picker to find it first" value={d.shortcut} onChange={set('shortcut')} data-testid="saved-reply-shortcut" />
      </Group>
      <Checkbox
        size="xs"
        label="Default public X answer for escalations"
        checked={d.escalationDefault}
        onChange={(e) => setD({ ...d, escalationDefault: e.currentTarget.checked })}
        data-testid="saved-reply-escalation-default"
      />
      {error ? (
        <Alert color="red" p={8} role="alert" data-testid="saved-reply-error">
          <Text size="xs">{error}</Text>
        </Alert>
      ) : null}
      <Group gap="xs">
        <Button size="xs" onClick={() => void save()} loading={busy} disabled={!d.name.trim() || !d.body.trim()} data-testid="saved-reply-save">
          Save
        </Button>
        <Button size="xs" variant="subtle" color="gray" onClick={() => onDone(null)}>
          Cancel
        </Button>
      </Group>
    </Stack>
  );
}

function Transfer() {
  const client = useClient();
  const [replace, setReplace] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const reset = useRef<() => void>(null);
  const exportFile = async () => {
    try {
      const doc = await client.call('savedReplies.export', {});
      const url = URL.createObjectURL(new Blob([`${JSON.stringify(doc, null, 2)}\n`], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'canary-saved-replies.json';
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setNote({ ok: true, text: `Exported ${doc.replies.length} saved replies.` });
    } catch (e) {
      setNote({ ok: false, text: (e as Error).message });
    }
  };
  const importFile = async (file: File | null) => {
    reset.current?.();
    if (!file) return;
    try {
      const r = await client.call('savedReplies.import', { text: await file.text(), replace });
      setNote({ ok: true, text: `Imported ${file.name}: ${r.added} added, ${r.replaced} replaced${r.skipped.length ? `, ${r.skipped.length} kept as they were (${r.skipped.join(', ')})` : ''}.` });
    } catch (e) {
      setNote({ ok: false, text: (e as Error).message });
    }
  };
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Button size="xs" variant="default" onClick={() => void exportFile()} data-testid="saved-replies-export">
          Export…
        </Button>
        <FileButton resetRef={reset} onChange={(f) => void importFile(f)} accept="application/json,.json">
          {(props) => (
            <Button size="xs" variant="default" {...props} data-testid="saved-replies-import">
              Import…
            </Button>
          )}
        </FileButton>
        <Checkbox size="xs" label="Replace saved replies with the same name" checked={replace} onChange={(e) => setReplace(e.currentTarget.checked)} />
      </Group>
      {note ? (
        <Text size="xs" c={note.ok ? 'dimmed' : 'red'} role={note.ok ? 'status' : 'alert'} data-testid="saved-replies-transfer-note">
          {note.text}
        </Text>
      ) : null}
    </Stack>
  );
}

export function SavedRepliesSettings() {
  const client = useClient();
  const queries = useQueryClient();
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<Draft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const { data: list, error: loadError } = useQuery({ queryKey: qk.savedReplies(`settings:${q.trim()}`), queryFn: () => client.call('savedReplies.search', { q: q.trim(), limit: 200 }) });
  const remove = async (r: SavedReplyView) => {
    if (confirming !== r.id) {
      setConfirming(r.id);
      return;
    }
    setConfirming(null);
    try {
      await client.call('savedReplies.remove', { id: r.id });
      void queries.invalidateQueries({ queryKey: ['saved-replies'] });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const edit = (r: SavedReplyView) =>
    setEditing({ id: r.id, name: r.name, body: r.body, xText: r.xText ?? '', tags: r.tags.join(', '), shortcut: r.shortcut ?? '', escalationDefault: r.escalationDefault });
  return (
    <Stack gap="sm" data-testid="saved-replies-settings">
      <AgentName />
      <Text size="xs" c="dimmed">
        In a reply, press Ctrl/⌘ ; (or type ; in an empty reply box, or use the command palette: Insert saved reply) to insert one with its variables filled for the conversation: {VARIABLES}.{' '}
        {'{order}'} is the most recent order or reference number found in the customer&apos;s mail; what cannot be filled stays as written and is pointed out.
      </Text>
      {editing ? (
        <Editor
          key={editing.id ?? 'new'}
          draft={editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) void queries.invalidateQueries({ queryKey: ['saved-replies'] });
          }}
        />
      ) : (
        <Group gap="xs">
          <Button size="xs" onClick={() => setEditing({ ...EMPTY })} data-testid="saved-reply-new">
            New saved reply
          </Button>
          <TextInput size="xs" placeholder="Search saved replies…" aria-label="Search saved replies" value={q} onChange={(e) => setQ(e.currentTarget.value)} style={{ flex: 1 }} />
        </Group>
      )}
      <ErrorLine>{error ?? loadError?.message}</ErrorLine>
      <Stack gap={4}>
        {(list ?? []).map((r) => (
          <Group key={r.id} gap="xs" wrap="nowrap" align="flex-start" className="saved-reply-row" data-testid="saved-reply-row">
            <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
              <Group gap={6}>
                <Text size="sm" fw={600}>
                  {r.name}
                </Text>
                {r.shortcut ? (
                  <Badge size="xs" variant="default" tt="none">
                    ;{r.shortcut}
                  </Badge>
                ) : null}
                {r.tags.map((t) => (
                  <Badge key={t} size="xs" variant="default" tt="none">
                    #{t}
                  </Badge>
                ))}
                {r.xText ? (
                  <Badge size="xs" variant="default" tt="none">
                    X version
                  </Badge>
                ) : null}
                {r.escalationDefault ? (
                  <Badge size="xs" variant="default" tt="none">
                    escalation default
                  </Badge>
                ) : null}
              </Group>
              <Text size="xs" c="dimmed" lineClamp={2}>
                {r.body}
              </Text>
            </Stack>
            <Text size="xs" c="dimmed" style={{ flexShrink: 0 }} data-testid="saved-reply-usage">
              used {r.usageCount}×
            </Text>
            <Button size="compact-xs" variant="default" onClick={() => edit(r)}>
              Edit
            </Button>
            <Button size="compact-xs" variant={confirming === r.id ? 'filled' : 'subtle'} color="red" onClick={() => void remove(r)} onBlur={() => setConfirming(null)}>
              {confirming === r.id ? 'Remove: sure?' : 'Remove'}
            </Button>
          </Group>
        ))}
        {list && !list.length ? (
          <Text size="sm" c="dimmed">
            {q.trim() ? 'No saved reply matches.' : 'No saved replies yet.'}
          </Text>
        ) : null}
      </Stack>
      <Transfer />
    </Stack>
  );
}
