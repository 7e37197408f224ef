// Adding an email account: type the address and Canary finds its servers (accounts.discover: built-in
// settings, the domain's autoconfig, SRV, MX) on "Find settings" or when the field is left; the form
// says what was found and from where, and every field stays editable. Then test and add.
import { useRef, useState } from 'react';
import { Alert, Button, Group, NumberInput, PasswordInput, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { onChannel, type DiscoverView, type MailAuth } from '../../../shared/contract/accounts';
import type { EmailCheckView } from '../../../shared/contract/email';
import { useClient } from '../rpc/core';
import { MailSignInButton, providerOf } from './MailSignIn';

const TLS = [
  { value: 'on', label: 'TLS' },
  { value: 'starttls', label: 'STARTTLS' },
  { value: 'off', label: 'None' },
];

const TLS_WORDS = { on: 'TLS', starttls: 'STARTTLS', off: 'no TLS' } as const;
const SOURCE_WORDS = { preset: 'built-in settings', autoconfig: "the domain's autoconfig document", srv: "the domain's SRV records", mx: "the domain's MX records" } as const;
const looksLikeAddress = (s: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim());

type Fields = {
  name: string;
  address: string;
  imapHost: string;
  imapPort: number;
  imapTls: string;
  smtpHost: string;
  smtpPort: number;
  smtpTls: string;
  user: string;
  secret: string;
  /** A password, or the provider's sign-in (MailSignIn.tsx) instead of one. */
  auth: MailAuth;
};

const AUTH = [
  { value: 'password', label: 'Password' },
  { value: 'oauth2-google', label: 'Sign in with Google' },
  { value: 'oauth2-microsoft', label: 'Sign in with Microsoft' },
];
/** The fields discovery fills; typing in one of them keeps discovery-on-leave from overwriting it. */
const FOUND_FIELDS = ['imapHost', 'imapPort', 'imapTls', 'smtpHost', 'smtpPort', 'smtpTls', 'user'] as const;

/** What discovery found and from where, or why it found nothing; `onUse` when it was not filled in (servers typed by hand). */
function Discovery({ v, onUse }: { v: DiscoverView; onUse: (() => void) | null }) {
  const f = v.found;
  const tried = v.tried.map((t) => `${t.source}: ${t.reason}`);
  if (!f) {
    return (
      <Alert color="yellow" p="xs" data-testid="discovered">
        <Text size="sm" fw={600}>
          No settings found for {v.address}
        </Text>
        <Text size="xs">Enter the servers by hand (your provider's help pages list them).</Text>
        {tried.map((t) => (
          <Text size="xs" key={t}>
            {t}
          </Text>
        ))}
      </Alert>
    );
  }
  return (
    <Alert color="teal" p="xs" data-testid="discovered">
      <Text size="sm" fw={600}>
        Found {f.provider ? `${f.provider} ` : ''}settings in {SOURCE_WORDS[f.source]}
      </Text>
      <Text size="xs" data-testid="discovered-from">
        From {f.from}
      </Text>
      <Text size="xs">
        IMAP {f.imap.host}:{f.imap.port} ({TLS_WORDS[f.imap.tls]}) · {f.smtp ? `SMTP ${f.smtp.host}:${f.smtp.port} (${TLS_WORDS[f.smtp.tls]})` : 'no SMTP server given'} · user {f.user}
      </Text>
      {f.auth !== 'password' ? (
        <Text size="xs" data-testid="discovered-auth">
          {f.auth === 'oauth2-google' ? 'Google' : 'Microsoft'} accounts sign in with {f.auth === 'oauth2-google' ? 'Google' : 'Microsoft'}; a password here works only where the account allows app
          passwords.
        </Text>
      ) : null}
      {f.note ? <Text size="xs">{f.note}</Text> : null}
      {tried.length ? (
        <Text size="xs" c="dimmed">
          Tried first: {tried.join('; ')}
        </Text>
      ) : null}
      {onUse ? (
        <Group gap="xs" mt={4}>
          <Text size="xs">You typed servers by hand: they stay unless you</Text>
          <Button size="compact-xs" variant="default" onClick={onUse} data-testid="use-discovered">
            Use these settings
          </Button>
        </Group>
      ) : (
        <Text size="xs" c="dimmed">
          Check the fields below; you can change any of them.
        </Text>
      )}
    </Alert>
  );
}

export function AddEmailAccount({ onAdded }: { onAdded: () => void }) {
  const client = useClient();
  const [f, setF] = useState<Fields>({
    name: 'Support',
    address: '',
    imapHost: '',
    imapPort: 993,
    imapTls: 'on',
    smtpHost: '',
    smtpPort: 465,
    smtpTls: 'on',
    user: '',
    secret: '',
    auth: 'password',
  });
  const [busy, setBusy] = useState<'test' | 'add' | null>(null);
  const [check, setCheck] = useState<EmailCheckView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [found, setFound] = useState<DiscoverView | null>(null);
  const [finding, setFinding] = useState(false);
  /** Found but not filled in (the owner had typed servers): "Use these settings" fills them. */
  const [unused, setUnused] = useState(false);
  /** Fields the owner typed in since the last discovery filled them. */
  const typed = useRef(new Set<string>());
  /** The address of the newest discovery asked for (an older answer is dropped), and of the last one made. */
  const asked = useRef('');
  const set = <K extends keyof Fields>(k: K, v: Fields[K]) => {
    typed.current.add(k);
    setF((s) => ({ ...s, [k]: v }));
  };
  const fill = (v: DiscoverView, keepUser = false) => {
    const d = v.found;
    if (!d) return;
    setF((s) => ({
      ...s,
      imapHost: d.imap.host,
      imapPort: d.imap.port,
      imapTls: d.imap.tls,
      ...(d.smtp ? { smtpHost: d.smtp.host, smtpPort: d.smtp.port, smtpTls: d.smtp.tls } : { smtpHost: '' }),
      user: keepUser ? s.user : d.user,
      auth: d.auth,
    }));
    for (const k of FOUND_FIELDS) if (!(keepUser && k === 'user')) typed.current.delete(k);
    setUnused(false);
  };
  const find = async (how: 'button' | 'leave') => {
    const address = f.address.trim();
    if (!looksLikeAddress(address)) return;
    // Leaving the field looks up a new address only; the button always asks again.
    if (how === 'leave' && asked.current === address) return;
    asked.current = address;
    setFinding(true);
    setError(null);
    try {
      const v = await client.call('accounts.discover', { address });
      if (asked.current !== address) return;
      setFound(v);
      // Servers typed by hand stay when the lookup came from leaving the field: the owner chooses.
      const handTyped = FOUND_FIELDS.some((k) => typed.current.has(k) && k !== 'user');
      if (how === 'leave' && handTyped) setUnused(v.found !== null);
      else fill(v, how === 'leave' && typed.current.has('user'));
    } catch (e) {
      if (asked.current === address) setError((e as Error).message);
    } finally {
      if (asked.current === address) setFinding(false);
    }
  };
  const settings = () => ({
    name: f.name.trim(),
    address: f.address.trim() || null,
    imap: { host: f.imapHost.trim(), port: f.imapPort, tls: f.imapTls as 'on' | 'off' | 'starttls' },
    smtp: f.smtpHost.trim() ? { host: f.smtpHost.trim(), port: f.smtpPort, tls: f.smtpTls as 'on' | 'off' | 'starttls' } : null,
    user: f.user.trim(),
    ...(found?.found?.smtpUser && found.found.user === f.user.trim() ? { smtpUser: found.found.smtpUser } : {}),
  });
  const account = () => ({ ...settings(), secret: f.secret });
  const provider = providerOf(f.auth);
  const run = async (what: 'test' | 'add') => {
    setBusy(what);
    setError(null);
    try {
      if (what === 'test') setCheck(onChannel('email', await client.call('accounts.test', { channel: 'email', account: account() })).check);
      else {
        const r = onChannel('email', await client.call('accounts.add', { channel: 'email', account: account() }));
        setCheck(r.check);
        void client.call('sync.run', { accountId: r.account.id }).catch(() => {});
        onAdded();
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  const ready = f.name.trim() && f.imapHost.trim() && f.user.trim() && f.secret;
  return (
    <Stack gap="xs" data-testid="add-email-account">
      <Group gap="xs" align="flex-end">
        <TextInput
          label="Email address"
          description="Canary finds the servers from it; you can change anything it fills in."
          placeholder="support@example.com"
          value={f.address}
          onChange={(e) => set('address', e.currentTarget.value)}
          onBlur={() => void find('leave')}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void find('button');
          }}
          style={{ flex: 1 }}
        />
        <Button variant="default" size="sm" disabled={!looksLikeAddress(f.address)} loading={finding} onClick={() => void find('button')} data-testid="find-settings">
          Find settings
        </Button>
      </Group>
      {found ? <Discovery v={found} onUse={unused ? () => fill(found) : null} /> : null}
      <SimpleGrid cols={2} spacing="xs">
        <TextInput label="Name" value={f.name} onChange={(e) => set('name', e.currentTarget.value)} required />
        <TextInput label="User name" value={f.user} onChange={(e) => set('user', e.currentTarget.value)} required />
        <TextInput label="IMAP server" placeholder="imap.example.com" value={f.imapHost} onChange={(e) => set('imapHost', e.currentTarget.value)} required />
        <Group grow gap="xs">
          <NumberInput label="Port" value={f.imapPort} onChange={(v) => set('imapPort', Number(v) || 993)} min={1} max={65535} />
          <Select label="Security" data={TLS} value={f.imapTls} onChange={(v) => set('imapTls', v ?? 'on')} allowDeselect={false} />
        </Group>
        <TextInput label="SMTP server (to send replies)" placeholder="smtp.example.com" value={f.smtpHost} onChange={(e) => set('smtpHost', e.currentTarget.value)} />
        <Group grow gap="xs">
          <NumberInput label="Port" value={f.smtpPort} onChange={(v) => set('smtpPort', Number(v) || 465)} min={1} max={65535} />
          <Select label="Security" data={TLS} value={f.smtpTls} onChange={(v) => set('smtpTls', v ?? 'on')} allowDeselect={false} />
        </Group>
        <Select label="Sign-in" data={AUTH} value={f.auth} onChange={(v) => set('auth', (v ?? 'password') as MailAuth)} allowDeselect={false} data-testid="auth-select" />
        {provider ? null : <PasswordInput label="Password or app password" value={f.secret} onChange={(e) => set('secret', e.currentTarget.value)} required />}
      </SimpleGrid>
      {provider ? null : (
        <Text size="xs" c="dimmed">
          The password is stored only on this machine ({'the system keychain when available'}), never shown again.
        </Text>
      )}
      {error ? (
        <Alert color="red" p="xs" role="alert">
          <Text size="xs">{error}</Text>
        </Alert>
      ) : null}
      {check ? (
        <Alert color={check.ok ? 'teal' : 'red'} p="xs" data-testid="account-check">
          <Text size="xs">
            IMAP: {check.imap.ok ? 'ok' : 'failed'} — {check.imap.message}
          </Text>
          {check.smtp ? (
            <Text size="xs">
              SMTP: {check.smtp.ok ? 'ok' : 'failed'} — {check.smtp.message}
            </Text>
          ) : null}
        </Alert>
      ) : null}
      {provider ? (
        <MailSignInButton
          provider={provider}
          account={settings}
          disabled={!(f.name.trim() && f.imapHost.trim() && f.user.trim())}
          onAdded={(id) => {
            void client.call('sync.run', { accountId: id }).catch(() => {});
            onAdded();
          }}
        />
      ) : (
        <Group gap="xs">
          <Button variant="default" size="xs" disabled={!ready} loading={busy === 'test'} onClick={() => void run('test')}>
            Test the connection
          </Button>
          <Button size="xs" disabled={!ready} loading={busy === 'add'} onClick={() => void run('add')} data-testid="add-account">
            Add the account
          </Button>
        </Group>
      )}
    </Stack>
  );
}
