// Settings: accounts with their sync state and errors (adding an email account: AddEmailAccount.tsx), X usage
// against the monthly cap, response goals and business hours (GoalSettings.tsx), desktop notifications (NotificationSettings.tsx), the keymap (remap any command, or switch single keys off), and privacy (spellcheck).
import { useCallback, useState } from 'react';
import { Badge, Button, Group, Modal, NumberInput, Progress, Stack, Switch, Table, Tabs, Text, TextInput } from '@mantine/core';
import { ErrorLine } from '../ui/ErrorLine';
import type { EmailAccountSummary } from '../../../shared/contract/email';
import type { XAccountView } from '../../../shared/contract/x';
import { COMMANDS, DEFAULT_KEYMAP, keyLabel, type Keymap } from '../keys/keymap';
import { useClient } from '../rpc/core';
import { type Accounts, useAccountsQuery } from '../state/queries';
import { fullTime } from '../lib/time';
import { AccountAddresses } from './AccountAddresses';
import { DiagnosticsPanel } from './Diagnostics';
import { TeamSettings } from './team/TeamSettings';
import { PrivacySettings } from './PrivacySettings';
import { ConnectX, ReachTable } from './ConnectX';
import { ImportForm } from './ImportDialog';
import { AddEmailAccount } from './AddEmailAccount';
import { MailOAuthClients, SignInAgain } from './MailSignIn';
import { XListeningForm } from './XListeningForm';
import { GoalSettings } from './GoalSettings';
import { NotificationSettings } from './NotificationSettings';
import { SavedRepliesSettings } from './SavedRepliesSettings';
import { ReplySettings } from './ReplySettings';

export type SettingsTab = 'accounts' | 'add-email' | 'connect-x' | 'import' | 'goals' | 'notifications' | 'saved-replies' | 'keys' | 'team' | 'privacy' | 'help';

const NO_ACCOUNTS: Accounts = { email: [], x: [] };

/** The accounts from the query cache; `reload` after a change made here (add, remove, update). */
function useAccounts(): { email: EmailAccountSummary[]; x: XAccountView[]; error: string | null; reload: () => void } {
  const { data = NO_ACCOUNTS, error, refetch } = useAccountsQuery();
  const reload = useCallback(() => void refetch(), [refetch]);
  return { ...data, error: error ? error.message : null, reload };
}

function EmailAccounts({ accounts, onChanged }: { accounts: EmailAccountSummary[]; onChanged: () => void }) {
  if (!accounts.length)
    return (
      <Text size="sm" c="dimmed">
        No email account yet.
      </Text>
    );
  return (
    <Stack gap="sm">
      {accounts.map((a) => {
        const errors = a.sync.filter((f) => f.lastError);
        return (
          <div key={a.id} className="acct" data-testid="email-account">
            <Group justify="space-between" wrap="nowrap">
              <div style={{ minWidth: 0 }}>
                <Text fw={600} truncate>
                  {a.name}
                </Text>
                <Text size="xs" c="dimmed" truncate>
                  {a.address ?? a.addresses.find((x) => x.active)?.address ?? a.user}
                  {a.address || a.user.includes('@') ? '' : ` (login ${a.user})`} · IMAP {a.imap.host}:{a.imap.port}
                  {a.smtp ? ` · SMTP ${a.smtp.host}:${a.smtp.port}` : ' · no SMTP (cannot send)'}
                </Text>
              </div>
              <Badge color={a.signInNeeded ? '#a84300' : !a.enabled ? 'gray.7' : errors.length ? 'red.9' : 'teal.9'} variant="filled">
                {a.signInNeeded ? 'sign in again' : !a.enabled ? 'paused' : errors.length ? 'error' : 'ok'}
              </Badge>
            </Group>
            <SignInAgain account={a} onDone={onChanged} />
            <SyncStateTable rows={a.sync.map((f) => ({ name: f.folder, status: f.status, lastError: f.lastError, updatedAt: f.updatedAt }))} />
            <AccountAddresses accountId={a.id} addresses={a.addresses} />
          </div>
        );
      })}
    </Stack>
  );
}

/** Sync state per folder (email) or timeline (X): status, and the last error or when it last ran. */
function SyncStateTable({ rows, testId }: { rows: { name: string; status: string; lastError: string | null; updatedAt: number }[]; testId?: string }) {
  if (!rows.length) {
    return (
      <Text size="xs" c="dimmed" mt={4}>
        Not synced yet.
      </Text>
    );
  }
  return (
    <Table fz="xs" mt={6} verticalSpacing={2} data-testid={testId}>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.name}>
            <Table.Td>{r.name}</Table.Td>
            <Table.Td>{r.status}</Table.Td>
            <Table.Td c={r.lastError ? 'red' : undefined}>{r.lastError ?? `updated ${fullTime(r.updatedAt)}`}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function XAccount({ a, onChanged }: { a: XAccountView; onChanged: () => void }) {
  const client = useClient();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [cap, setCap] = useState<number | string>(a.monthlyCapUsd ?? '');
  const [confirmRemove, setConfirmRemove] = useState(false);
  const act = async (what: string, fn: () => Promise<unknown>) => {
    setBusy(what);
    setError(null);
    try {
      await fn();
      onChanged();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  const limit = a.monthlyCapUsd;
  const pct = limit ? Math.min(100, (a.usage.spendUsd / limit) * 100) : 0;
  const errors = a.scopes.filter((s) => s.lastError);
  const capValue = cap === '' ? null : Number(cap);
  return (
    <div className="acct" data-testid="x-account">
      <Group justify="space-between" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Text fw={600} truncate>
            {a.name} {a.handle ? `@${a.handle}` : ''}
          </Text>
          <Text size="xs" c="dimmed">
            {a.auth === 'oauth2' ? 'OAuth 2.0' : a.auth === 'oauth1' ? 'OAuth 1.0a' : a.auth === 'bearer' ? 'App bearer token' : 'No credentials'}
            {a.apiBase ? ` · ${a.apiBase}` : ''} · polls every {Math.round(a.pollIntervalSec / 60)} min
            {a.watchedQueries.length ? ` · watching ${a.watchedQueries.join(', ')}` : ''}
          </Text>
        </div>
        <Badge color={a.running ? 'blue' : a.capped ? 'orange' : errors.length ? 'red' : a.enabled ? 'teal' : 'gray'} variant="light" data-testid="x-account-state">
          {a.running ? 'syncing' : a.capped ? 'capped' : errors.length ? 'error' : a.enabled ? 'ok' : 'paused'}
        </Badge>
      </Group>
      <Text size="xs" mt={6} data-testid="x-usage">
        {a.usage.month}: ~${a.usage.spendUsd.toFixed(2)} estimated
        {limit != null ? ` of a $${limit.toFixed(2)} monthly cap` : ' (no monthly cap)'} · {a.usage.requests} requests · {a.usage.postsRead} posts, {a.usage.usersRead} users and {a.usage.dmEventsRead}{' '}
        DM events read · {a.usage.postsCreated} posts and {a.usage.dmsSent} DMs sent
      </Text>
      {limit != null ? <Progress value={pct} color={pct > 90 ? 'red' : pct > 70 ? 'orange' : 'blue'} mt={4} size="sm" aria-label="Estimated spend against the monthly cap" /> : null}
      <Text size="xs" c="dimmed" mt={2}>
        Prices per item: post read ${a.prices.postRead}, user read ${a.prices.userRead}, DM event read ${a.prices.dmEventRead}, post ${a.prices.postCreate} (with a link ${a.prices.postCreateWithUrl}),
        DM ${a.prices.dmCreate}.
      </Text>
      {Object.keys(a.reach).length ? (
        <>
          <Text size="xs" fw={600} mt={6}>
            What the credentials reach (checked {fullTime(Math.max(...Object.values(a.reach).map((r) => r.checkedAt)))})
          </Text>
          <ReachTable reach={a.reach} />
        </>
      ) : null}
      <SyncStateTable testId="x-sync-state" rows={a.scopes.map((sc) => ({ name: sc.scope.replace(/^x:/, ''), status: sc.status, lastError: sc.lastError, updatedAt: sc.updatedAt }))} />
      <ErrorLine mt={4}>{error}</ErrorLine>
      <XListeningForm key={a.id} a={a} onChanged={onChanged} />
      <Group gap="xs" mt={6} align="flex-end">
        <Button size="compact-xs" variant="default" loading={busy === 'sync'} disabled={a.running} onClick={() => void act('sync', () => client.call('sync.run', { accountId: a.id }))}>
          Sync now
        </Button>
        <Button size="compact-xs" variant="default" loading={busy === 'check'} onClick={() => void act('check', () => client.call('accounts.check', { id: a.id }))} data-testid="x-check">
          Check the credentials
        </Button>
        <NumberInput size="xs" w={150} aria-label="Monthly cap in USD" placeholder="No cap (USD)" value={cap} onChange={setCap} min={0} decimalScale={2} prefix="$" />
        <Button
          size="compact-xs"
          variant="default"
          loading={busy === 'cap'}
          disabled={capValue === a.monthlyCapUsd || (capValue != null && !Number.isFinite(capValue))}
          onClick={() => void act('cap', () => client.call('accounts.update', { channel: 'x', id: a.id, patch: { monthlyCapUsd: capValue } }))}
        >
          Set the cap
        </Button>
        <Button
          size="compact-xs"
          variant={confirmRemove ? 'filled' : 'subtle'}
          color="red"
          loading={busy === 'remove'}
          onClick={() => (confirmRemove ? void act('remove', () => client.call('accounts.remove', { id: a.id })) : setConfirmRemove(true))}
        >
          {confirmRemove ? 'Remove: sure? (messages stay)' : 'Remove'}
        </Button>
      </Group>
    </div>
  );
}

function XAccounts({ accounts, onChanged, onConnect }: { accounts: XAccountView[]; onChanged: () => void; onConnect: () => void }) {
  if (!accounts.length) {
    return (
      <Group gap="xs">
        <Text size="sm" c="dimmed">
          No X account yet.
        </Text>
        <Button size="compact-xs" variant="light" onClick={onConnect} data-testid="settings-connect-x">
          Connect X
        </Button>
      </Group>
    );
  }
  return (
    <Stack gap="sm">
      {accounts.map((a) => (
        <XAccount key={a.id} a={a} onChanged={onChanged} />
      ))}
    </Stack>
  );
}

function KeymapEditor({ keymap, onChange, keysEnabled, onToggleKeys }: { keymap: Keymap; onChange: (k: Keymap) => void; keysEnabled: boolean; onToggleKeys: (on: boolean) => void }) {
  const [draft, setDraft] = useState(() => Object.fromEntries(COMMANDS.map((c) => [c.id, keymap[c.id].join(', ')])) as Record<string, string>);
  const [error, setError] = useState<string | null>(null);
  const save = () => {
    const next = { ...keymap };
    const seen = new Map<string, string>();
    for (const c of COMMANDS) {
      const keys = (draft[c.id] ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean);
      for (const k of keys) {
        if (/^alt\+/i.test(k)) return setError(`${c.title}: Alt chords are not allowed (they type letters in many layouts).`);
        const other = seen.get(k);
        if (other) return setError(`"${k}" is used by both ${other} and ${c.title}.`);
        seen.set(k, c.title);
      }
      next[c.id] = keys;
    }
    setError(null);
    onChange(next);
  };
  return (
    <Stack gap="xs">
      <Switch checked={keysEnabled} onChange={(e) => onToggleKeys(e.currentTarget.checked)} label="Single-key shortcuts (Ctrl/⌘ chords always work)" />
      <Text size="xs" c="dimmed">
        Keys as typed (j, ?, /), named keys (Enter, Escape, ArrowDown), mod+k for Ctrl/⌘ chords, and sequences with a space (g i). Several keys: separate with commas.
      </Text>
      <Table fz="sm" verticalSpacing={2}>
        <Table.Tbody>
          {COMMANDS.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{c.title}</Table.Td>
              <Table.Td w={200}>
                <TextInput
                  size="xs"
                  aria-label={`Keys for ${c.title}`}
                  value={draft[c.id] ?? ''}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setDraft((d) => ({ ...d, [c.id]: v }));
                  }}
                  placeholder={DEFAULT_KEYMAP[c.id].map((k) => keyLabel(k).join(' ')).join(', ') || 'none'}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ErrorLine>{error}</ErrorLine>
      <Group gap="xs">
        <Button size="xs" onClick={save}>
          Save the keymap
        </Button>
        <Button
          size="xs"
          variant="subtle"
          onClick={() => {
            setDraft(Object.fromEntries(COMMANDS.map((c) => [c.id, DEFAULT_KEYMAP[c.id].join(', ')])));
            onChange({ ...DEFAULT_KEYMAP });
          }}
        >
          Back to the defaults
        </Button>
      </Group>
    </Stack>
  );
}

export function Settings({
  opened,
  tab,
  onTab,
  onClose,
  keymap,
  onKeymap,
  keysEnabled,
  onToggleKeys,
}: {
  opened: boolean;
  tab: SettingsTab;
  onTab: (t: SettingsTab) => void;
  onClose: () => void;
  keymap: Keymap;
  onKeymap: (k: Keymap) => void;
  keysEnabled: boolean;
  onToggleKeys: (on: boolean) => void;
}) {
  const accounts = useAccounts();
  return (
    <Modal opened={opened} onClose={onClose} title="Settings" size={960} closeButtonProps={{ 'aria-label': 'Close' }} data-testid="settings">
      <Tabs value={tab} onChange={(v) => onTab((v as SettingsTab) ?? 'accounts')}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="accounts">Accounts</Tabs.Tab>
          <Tabs.Tab value="add-email">Add an email account</Tabs.Tab>
          <Tabs.Tab value="connect-x" data-testid="tab-connect-x">
            Connect X
          </Tabs.Tab>
          <Tabs.Tab value="import" data-testid="tab-import">
            Import
          </Tabs.Tab>
          <Tabs.Tab value="goals" data-testid="tab-goals">
            Goals
          </Tabs.Tab>
          <Tabs.Tab value="notifications" data-testid="tab-notifications">
            Notifications
          </Tabs.Tab>
          <Tabs.Tab value="saved-replies" data-testid="tab-saved-replies">
            Saved replies
          </Tabs.Tab>
          <Tabs.Tab value="keys">Keyboard</Tabs.Tab>
          <Tabs.Tab value="team">Team</Tabs.Tab>
          <Tabs.Tab value="privacy" data-testid="tab-privacy">
            Privacy
          </Tabs.Tab>
          <Tabs.Tab value="help" data-testid="tab-help">
            Help
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="accounts">
          {accounts.error ? (
            <Text c="red" size="sm">
              {accounts.error}
            </Text>
          ) : null}
          <Text fw={650} size="sm" mb={6}>
            Email
          </Text>
          <EmailAccounts accounts={accounts.email} onChanged={accounts.reload} />
          <Text fw={650} size="sm" mt="md" mb={6}>
            Replies: signatures and undo send
          </Text>
          <ReplySettings />
          <Text fw={650} size="sm" mt="md" mb={6}>
            X
          </Text>
          <XAccounts accounts={accounts.x} onChanged={accounts.reload} onConnect={() => onTab('connect-x')} />
          <Text fw={650} size="sm" mt="md" mb={6}>
            Sign-in clients (Google, Microsoft)
          </Text>
          <MailOAuthClients />
        </Tabs.Panel>
        <Tabs.Panel value="add-email">
          <AddEmailAccount
            onAdded={() => {
              accounts.reload();
              onTab('accounts');
            }}
          />
        </Tabs.Panel>
        <Tabs.Panel value="connect-x">
          <ConnectX onConnected={() => accounts.reload()} />
        </Tabs.Panel>
        <Tabs.Panel value="import">
          <ImportForm />
        </Tabs.Panel>
        <Tabs.Panel value="goals">
          <GoalSettings />
        </Tabs.Panel>
        <Tabs.Panel value="notifications">
          <NotificationSettings />
        </Tabs.Panel>
        <Tabs.Panel value="saved-replies">
          <SavedRepliesSettings />
        </Tabs.Panel>
        <Tabs.Panel value="keys">
          <KeymapEditor keymap={keymap} onChange={onKeymap} keysEnabled={keysEnabled} onToggleKeys={onToggleKeys} />
        </Tabs.Panel>
        <Tabs.Panel value="team">
          <TeamSettings />
        </Tabs.Panel>
        <Tabs.Panel value="privacy">
          <PrivacySettings />
        </Tabs.Panel>
        <Tabs.Panel value="help">
          <DiagnosticsPanel />
        </Tabs.Panel>
      </Tabs>
    </Modal>
  );
}
