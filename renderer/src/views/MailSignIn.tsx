// "Sign in with Google / Microsoft" for email accounts: the button the add-account form shows instead
// of a password, "Sign in again" on an account the provider stopped renewing, and the owner's OAuth
// client per provider (Settings → Accounts) with the steps to register one. The core runs the
// sign-in (PKCE, its loopback listener); the window only opens the URL in the system browser.
import { useEffect, useRef, useState } from 'react';
import { Alert, Anchor, Button, Group, List, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import type { EmailAccountSummary } from '../../../shared/contract/email';
import type { MailOAuthClientView, MailOAuthFlowView, MailProvider } from '../../../shared/contract/mailauth';
import type { Args } from '../../../shared/contract/api';
import { useClient } from '../rpc/core';

export const PROVIDER_LABEL: Record<MailProvider, string> = { google: 'Google', microsoft: 'Microsoft' };

/** The provider of an account's authType, or null for a password. */
export function providerOf(auth: string | null | undefined): MailProvider | null {
  return auth === 'oauth2-google' ? 'google' : auth === 'oauth2-microsoft' ? 'microsoft' : null;
}

/** Start a sign-in, open its URL, follow it until it ends. */
function useSignIn(onConnected: (accountId: number) => void) {
  const client = useClient();
  const [flow, setFlow] = useState<MailOAuthFlowView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const done = useRef(onConnected);
  useEffect(() => {
    done.current = onConnected;
  });
  const start = async (args: Args<'mail.oauth.start'>) => {
    setError(null);
    setFlow(null);
    try {
      const f = await client.call('mail.oauth.start', args);
      setFlow(f);
      // In Electron the shell sends the provider's page to the system browser.
      window.open(f.url, '_blank', 'noopener,noreferrer');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const flowId = flow?.state === 'waiting' ? flow.flowId : null;
  useEffect(() => {
    if (!flowId) return;
    let live = true;
    const t = setInterval(() => {
      client.call('mail.oauth.status', { flowId }).then(
        (s) => {
          if (!live || s.state === 'waiting') return;
          setFlow(s);
          if (s.state === 'connected' && s.accountId) done.current(s.accountId);
          else if (s.state === 'failed') setError(s.error);
        },
        (e: Error) => {
          if (!live) return;
          setError(e.message);
          setFlow(null);
        },
      );
    }, 700);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [client, flowId]);
  const cancel = async () => {
    if (flow) setFlow(await client.call('mail.oauth.cancel', { flowId: flow.flowId }));
  };
  return { flow, error, start, cancel, waiting: flow?.state === 'waiting' };
}

function Waiting({ flow, onCancel }: { flow: MailOAuthFlowView; onCancel: () => void }) {
  return (
    <Alert color="blue" data-testid="mail-signin-waiting">
      <Text size="sm">
        Finish signing in to {PROVIDER_LABEL[flow.provider]} in your browser. If no page opened,{' '}
        <Anchor href={flow.url} target="_blank" rel="noopener noreferrer">
          open the sign-in page
        </Anchor>
        .
      </Text>
      <Button size="xs" variant="default" mt="xs" onClick={onCancel}>
        Cancel
      </Button>
    </Alert>
  );
}

/** The add-account form's button for an account that signs in with a provider (instead of a password). */
export function MailSignInButton({
  provider,
  account,
  disabled,
  onAdded,
}: {
  provider: MailProvider;
  /** The form's settings (no secret), read when the button is pressed. */
  account: () => NonNullable<Args<'mail.oauth.start'>['account']>;
  disabled?: boolean;
  onAdded: (accountId: number) => void;
}) {
  const s = useSignIn(onAdded);
  return (
    <Stack gap="xs" data-testid="mail-signin">
      <Group>
        <Button onClick={() => void s.start({ provider, account: account() })} disabled={disabled || s.waiting} loading={s.waiting} data-testid="mail-signin-button">
          Sign in with {PROVIDER_LABEL[provider]}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        Canary opens {PROVIDER_LABEL[provider]}&apos;s sign-in page in your browser, then tests the servers and saves the account. No password is stored: only the sign-in&apos;s tokens, on this
        machine. It needs your own {PROVIDER_LABEL[provider]} client id (Settings → Accounts → Sign-in clients).
      </Text>
      {s.flow?.state === 'waiting' ? <Waiting flow={s.flow} onCancel={() => void s.cancel()} /> : null}
      {s.error ? (
        <Alert color="red" data-testid="mail-signin-error">
          {s.error}
        </Alert>
      ) : null}
    </Stack>
  );
}

/** An account the provider stopped renewing: why, and "Sign in again". */
export function SignInAgain({ account, onDone }: { account: EmailAccountSummary; onDone: () => void }) {
  const provider = providerOf(account.authType);
  const s = useSignIn(() => onDone());
  if (!provider || (!account.signInNeeded && s.flow?.state !== 'waiting')) return null;
  return (
    <Stack gap={4} mt={4} data-testid="sign-in-needed">
      {account.signInNeeded ? (
        <Alert color="orange" p="xs">
          <Text size="sm">Paused: {account.signInNeeded.reason}</Text>
          <Button size="xs" mt={6} onClick={() => void s.start({ provider, accountId: account.id })} loading={s.waiting} data-testid="sign-in-again">
            Sign in again with {PROVIDER_LABEL[provider]}
          </Button>
        </Alert>
      ) : null}
      {s.flow?.state === 'waiting' ? <Waiting flow={s.flow} onCancel={() => void s.cancel()} /> : null}
      {s.error ? <Alert color="red">{s.error}</Alert> : null}
    </Stack>
  );
}

const STEPS: Record<MailProvider, { intro: string; steps: string[]; link: string }> = {
  google: {
    intro: 'Gmail and Google Workspace: a client of type "Desktop app" in your own Google Cloud project.',
    link: 'https://console.cloud.google.com/apis/credentials',
    steps: [
      'In the Google Cloud console, create a project (or pick one) and enable the Gmail API (APIs & Services → Library).',
      'APIs & Services → OAuth consent screen: choose Internal (Workspace) or External, fill in the app name and your email, and add the scope https://mail.google.com/. While the app is in "Testing", add the mailbox as a test user (Google then asks again every 7 days; publish the app to stop that).',
      'APIs & Services → Credentials → Create credentials → OAuth client ID → Application type "Desktop app".',
      "Copy its client ID and client secret here. Nothing else to register: a desktop client accepts Canary's http://127.0.0.1 redirect on any port.",
    ],
  },
  microsoft: {
    intro: 'Outlook.com and Microsoft 365: an app registration in Microsoft Entra ID (Azure).',
    link: 'https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade',
    steps: [
      'In the Microsoft Entra admin center, App registrations → New registration. Supported account types: "Accounts in any organizational directory and personal Microsoft accounts" (or your organization only).',
      'Authentication → Add a platform → "Mobile and desktop applications", custom redirect URI http://localhost (any port is accepted). Under Advanced settings, allow public client flows.',
      'API permissions → Add a permission → APIs my organization uses → Office 365 Exchange Online → Delegated: IMAP.AccessAsUser.All and SMTP.Send (offline_access comes with them). An administrator of a Microsoft 365 tenant may have to grant consent, and must leave SMTP AUTH on for the mailbox.',
      'Copy the Application (client) ID here. No client secret: Canary is a public client and proves itself with PKCE.',
    ],
  },
};

function ClientForm({ c, onSaved }: { c: MailOAuthClientView; onSaved: (v: MailOAuthClientView[]) => void }) {
  const client = useClient();
  const [clientId, setClientId] = useState(c.clientId ?? '');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const help = STEPS[c.provider];
  const save = async (forget = false) => {
    setError(null);
    setSaved(false);
    try {
      const v = await client.call(
        'mail.oauth.setClient',
        forget ? { provider: c.provider, clientId: null } : { provider: c.provider, clientId: clientId.trim(), ...(secret.trim() ? { clientSecret: secret.trim() } : {}) },
      );
      setSecret('');
      if (forget) setClientId('');
      setSaved(true);
      onSaved(v);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Stack gap={6} data-testid={`mail-client-${c.provider}`}>
      <Text fw={600} size="sm">
        {c.label}
      </Text>
      <Text size="xs">{help.intro}</Text>
      <List type="ordered" size="xs" spacing={2}>
        {help.steps.map((s) => (
          <List.Item key={s}>{s}</List.Item>
        ))}
      </List>
      <Text size="xs">
        <Anchor href={help.link} target="_blank" rel="noopener noreferrer">
          Open the {c.label} console
        </Anchor>{' '}
        · scopes: <code>{c.scopes.join(' ')}</code>
      </Text>
      <Group align="end" gap="xs" wrap="wrap">
        <TextInput label="Client id" value={clientId} onChange={(e) => setClientId(e.currentTarget.value)} w={340} />
        {c.provider === 'google' ? (
          <PasswordInput label="Client secret" placeholder={c.hasSecret ? 'stored (type to replace)' : ''} value={secret} onChange={(e) => setSecret(e.currentTarget.value)} w={240} />
        ) : null}
        <Button size="sm" onClick={() => void save()} disabled={!clientId.trim()}>
          Save
        </Button>
        {c.clientId ? (
          <Button size="sm" variant="default" onClick={() => void save(true)}>
            Forget
          </Button>
        ) : null}
      </Group>
      {c.custom ? (
        <Text size="xs" c="#a84300">
          Test endpoints in use: {c.authorizeUrl}, {c.tokenUrl}
        </Text>
      ) : null}
      {saved ? <Text size="xs">Saved.</Text> : null}
      {error ? <Alert color="red">{error}</Alert> : null}
    </Stack>
  );
}

/** Settings → Accounts: the owner's OAuth client per provider. */
export function MailOAuthClients() {
  const client = useClient();
  const [clients, setClients] = useState<MailOAuthClientView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    client.call('mail.oauth.clients', {}).then(
      (v) => live && setClients(v),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [client]);
  if (error) return <Alert color="red">{error}</Alert>;
  if (!clients) return null;
  return (
    <Stack gap="md" data-testid="mail-oauth-clients">
      <Text size="xs" c="dimmed">
        Gmail and Microsoft mailboxes sign in through your own OAuth client (Canary has no shared one). Register it once with the steps below; the client secret is stored like a password, on this
        machine only.
      </Text>
      {clients.map((c) => (
        <ClientForm key={c.provider} c={c} onSaved={setClients} />
      ))}
    </Stack>
  );
}
