// Connect X from the app: "Sign in with X" (OAuth 2.0 with PKCE; the core listens on the loopback
// callback registered in the owner's X app) or the owner's own tokens (OAuth 2.0 user token, the
// four OAuth 1.0a keys, or an app bearer token), optionally against another X API v2 server. The
// credentials are tested first and the endpoints they reach are shown; secrets are stored by the
// core only and never shown again.
import { useEffect, useRef, useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, NumberInput, PasswordInput, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { onChannel } from '../../../shared/contract/accounts';
import type { XAccountView } from '../../../shared/contract/x';
import type { XOAuthFlowView, XReachView } from '../../../shared/contract/xconnect';
import { useClient } from '../rpc/core';

type Method = 'signin' | 'oauth2' | 'oauth1' | 'bearer';

const METHODS = [
  { value: 'signin', label: 'Sign in with X' },
  { value: 'oauth2', label: 'OAuth 2.0 token' },
  { value: 'oauth1', label: 'OAuth 1.0a keys' },
  { value: 'bearer', label: 'App bearer token' },
];

export function ReachTable({ reach }: { reach: Record<string, { ok: boolean; error?: string }> }) {
  const rows = Object.entries(reach);
  if (!rows.length) return null;
  return (
    <Table fz="xs" verticalSpacing={2} data-testid="x-reach">
      <Table.Tbody>
        {rows.map(([ep, r]) => (
          <Table.Tr key={ep} data-ok={r.ok}>
            <Table.Td w={90}>
              <Badge size="xs" variant="filled" color={r.ok ? 'teal.9' : 'red.9'} tt="none">
                {r.ok ? 'reaches' : 'cannot'}
              </Badge>
            </Table.Td>
            <Table.Td ff="monospace">{ep}</Table.Td>
            <Table.Td c={r.ok ? 'dimmed' : 'red'}>{r.error ?? ''}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function ConnectX({ onConnected }: { onConnected?: (account: XAccountView) => void }) {
  const client = useClient();
  const [method, setMethod] = useState<Method>('oauth2');
  const [f, setF] = useState({
    name: 'Support on X',
    accessToken: '',
    refreshToken: '',
    clientId: '',
    clientSecret: '',
    appKey: '',
    appSecret: '',
    accessSecret: '',
    bearer: '',
    userId: '',
    handle: '',
    apiBase: '',
    watch: '',
    port: 8765 as number | string,
    cap: '' as number | string,
  });
  const set = <K extends keyof typeof f>(k: K, v: (typeof f)[K]) => setF((s) => ({ ...s, [k]: v }));
  const [busy, setBusy] = useState<'test' | 'add' | 'signin' | null>(null);
  const [reach, setReach] = useState<XReachView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<XAccountView | null>(null);
  const [flow, setFlow] = useState<XOAuthFlowView | null>(null);
  const doneRef = useRef(onConnected);
  useEffect(() => {
    doneRef.current = onConnected;
  });

  const credentials = () => {
    if (method === 'oauth2')
      return {
        kind: 'oauth2' as const,
        accessToken: f.accessToken.trim(),
        ...(f.refreshToken.trim() ? { refreshToken: f.refreshToken.trim() } : {}),
        ...(f.clientId.trim() ? { clientId: f.clientId.trim() } : {}),
        ...(f.clientSecret.trim() ? { clientSecret: f.clientSecret.trim() } : {}),
      };
    if (method === 'oauth1') return { kind: 'oauth1' as const, appKey: f.appKey.trim(), appSecret: f.appSecret.trim(), accessToken: f.accessToken.trim(), accessSecret: f.accessSecret.trim() };
    return { kind: 'bearer' as const, token: f.bearer.trim() };
  };
  const settings = () => {
    const watchedQueries = f.watch
      .split(';')
      .map((q) => q.trim())
      .filter(Boolean);
    return {
      ...(f.apiBase.trim() ? { apiBase: f.apiBase.trim() } : {}),
      ...(watchedQueries.length ? { watchedQueries } : {}),
      ...(f.cap !== '' && Number.isFinite(Number(f.cap)) ? { monthlyCapUsd: Number(f.cap) } : {}),
    };
  };

  const run = async (what: 'test' | 'add') => {
    setBusy(what);
    setError(null);
    try {
      if (what === 'test') setReach(onChannel('x', await client.call('accounts.test', { channel: 'x', credentials: credentials(), ...(f.apiBase.trim() ? { apiBase: f.apiBase.trim() } : {}) })).reach);
      else {
        const r = onChannel(
          'x',
          await client.call('accounts.add', {
            channel: 'x',
            name: f.name.trim(),
            credentials: credentials(),
            ...settings(),
            ...(method === 'bearer' && f.userId.trim() ? { userId: f.userId.trim(), ...(f.handle.trim() ? { handle: f.handle.trim() } : {}) } : {}),
          }),
        );
        setReach(r.reach);
        setDone(r.account);
        doneRef.current?.(r.account);
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const signIn = async () => {
    setBusy('signin');
    setError(null);
    setFlow(null);
    try {
      const fl = await client.call('x.oauth.start', {
        name: f.name.trim(),
        clientId: f.clientId.trim(),
        ...(f.clientSecret.trim() ? { clientSecret: f.clientSecret.trim() } : {}),
        port: f.port === '' ? 8765 : Number(f.port),
        ...settings(),
      });
      setFlow(fl);
      // In Electron this goes to the system browser (the shell opens any web address outside).
      window.open(fl.url, '_blank', 'noopener,noreferrer');
    } catch (e) {
      setError((e as Error).message);
      setBusy(null);
    }
  };

  // Wait for the redirect to reach the core.
  const flowId = flow?.state === 'waiting' ? flow.flowId : null;
  useEffect(() => {
    if (!flowId) return;
    let live = true;
    const t = setInterval(() => {
      client.call('x.oauth.status', { flowId }).then(
        (s) => {
          if (!live || s.state === 'waiting') return;
          setFlow(s);
          setBusy(null);
          if (s.state === 'connected' && s.account) {
            setReach(s.reach);
            setDone(s.account);
            doneRef.current?.(s.account);
          } else if (s.state === 'failed') setError(s.error);
        },
        (e: Error) => {
          if (!live) return;
          setError(e.message);
          setBusy(null);
          setFlow(null);
        },
      );
    }, 800);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [client, flowId]);

  const cancel = async () => {
    if (!flow) return;
    try {
      setFlow(await client.call('x.oauth.cancel', { flowId: flow.flowId }));
    } finally {
      setBusy(null);
    }
  };

  const ready =
    !!f.name.trim() &&
    (method === 'signin'
      ? !!f.clientId.trim()
      : method === 'oauth2'
        ? !!f.accessToken.trim()
        : method === 'oauth1'
          ? !!(f.appKey.trim() && f.appSecret.trim() && f.accessToken.trim() && f.accessSecret.trim())
          : !!f.bearer.trim());

  return (
    <Stack gap="xs" data-testid="connect-x">
      <SegmentedControl
        size="xs"
        value={method}
        onChange={(v) => {
          // Another way to connect (or another account): start from a clean result.
          setMethod(v as Method);
          setDone(null);
          setReach(null);
          setError(null);
          setFlow(null);
        }}
        data={METHODS}
        aria-label="How to connect"
        data-testid="x-method"
      />
      <SimpleGrid cols={2} spacing="xs">
        <TextInput label="Name in Canary" value={f.name} onChange={(e) => set('name', e.currentTarget.value)} required />
        <TextInput
          label="API base URL (optional)"
          placeholder="https://api.x.com"
          description="Another X API v2 server: a proxy or a local test server"
          value={f.apiBase}
          onChange={(e) => set('apiBase', e.currentTarget.value)}
          data-testid="x-api-base"
        />
      </SimpleGrid>
      {method === 'signin' ? (
        <>
          <Text size="xs" c="dimmed">
            Uses your own X developer app (OAuth 2.0, PKCE). Register the callback <code>http://127.0.0.1:{String(f.port || 8765)}/callback</code> in the app’s settings; Canary asks for reading and
            writing posts and DMs, and offline access so the token is renewed.
          </Text>
          <SimpleGrid cols={3} spacing="xs">
            <TextInput label="Client ID" value={f.clientId} onChange={(e) => set('clientId', e.currentTarget.value)} required data-testid="x-client-id" />
            <PasswordInput label="Client secret (confidential apps)" value={f.clientSecret} onChange={(e) => set('clientSecret', e.currentTarget.value)} />
            <NumberInput label="Callback port" value={f.port} onChange={(v) => set('port', v)} min={0} max={65535} allowDecimal={false} data-testid="x-port" />
          </SimpleGrid>
        </>
      ) : method === 'oauth2' ? (
        <SimpleGrid cols={2} spacing="xs">
          <PasswordInput label="User access token" value={f.accessToken} onChange={(e) => set('accessToken', e.currentTarget.value)} required data-testid="x-access-token" />
          <PasswordInput label="Refresh token (optional)" value={f.refreshToken} onChange={(e) => set('refreshToken', e.currentTarget.value)} />
          <TextInput label="Client ID (needed to refresh)" value={f.clientId} onChange={(e) => set('clientId', e.currentTarget.value)} />
          <PasswordInput label="Client secret (optional)" value={f.clientSecret} onChange={(e) => set('clientSecret', e.currentTarget.value)} />
        </SimpleGrid>
      ) : method === 'oauth1' ? (
        <SimpleGrid cols={2} spacing="xs">
          <PasswordInput label="API key" value={f.appKey} onChange={(e) => set('appKey', e.currentTarget.value)} required />
          <PasswordInput label="API key secret" value={f.appSecret} onChange={(e) => set('appSecret', e.currentTarget.value)} required />
          <PasswordInput label="Access token" value={f.accessToken} onChange={(e) => set('accessToken', e.currentTarget.value)} required />
          <PasswordInput label="Access token secret" value={f.accessSecret} onChange={(e) => set('accessSecret', e.currentTarget.value)} required />
        </SimpleGrid>
      ) : (
        <>
          <Text size="xs" c="dimmed">
            An app-only bearer token reads mentions and searches but not users/me or DMs, and cannot post: say which account it is for.
          </Text>
          <SimpleGrid cols={3} spacing="xs">
            <PasswordInput label="Bearer token" value={f.bearer} onChange={(e) => set('bearer', e.currentTarget.value)} required />
            <TextInput label="User id of the account" placeholder="1234567890" value={f.userId} onChange={(e) => set('userId', e.currentTarget.value)} />
            <TextInput label="Handle" placeholder="@yourshop" value={f.handle} onChange={(e) => set('handle', e.currentTarget.value)} />
          </SimpleGrid>
        </>
      )}
      <SimpleGrid cols={2} spacing="xs">
        <TextInput label="Watched searches (optional)" description="Separate with ; e.g. yourshop;your product" value={f.watch} onChange={(e) => set('watch', e.currentTarget.value)} />
        <NumberInput
          label="Monthly spend cap in USD (optional)"
          description="Polling pauses before the estimate crosses it"
          value={f.cap}
          onChange={(v) => set('cap', v)}
          min={0}
          decimalScale={2}
          data-testid="x-cap"
        />
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        Tokens are stored only on this machine (the system keychain when available) and never shown again.
      </Text>
      {error ? (
        <Alert color="red" p="xs" role="alert" data-testid="x-connect-error">
          <Text size="xs">{error}</Text>
        </Alert>
      ) : null}
      {flow?.state === 'waiting' ? (
        <Alert color="blue" p="xs" data-testid="x-signin-waiting">
          <Text size="xs">
            Waiting for X… Allow Canary in the page that opened. If nothing opened,{' '}
            <Anchor href={flow.url} target="_blank" rel="noopener noreferrer" size="xs" data-testid="x-signin-link">
              open the X sign-in page
            </Anchor>
            .
          </Text>
          <Button size="compact-xs" variant="subtle" mt={4} onClick={() => void cancel()}>
            Cancel the sign-in
          </Button>
        </Alert>
      ) : null}
      {reach ? (
        <Alert color={done ? 'teal' : reach.me ? 'blue' : 'orange'} p="xs" data-testid="x-connect-result">
          <Text size="sm" fw={700}>
            {done ? `Connected ${done.handle ? `@${done.handle}` : done.name}` : reach.me ? `These credentials belong to @${reach.me.username}` : 'users/me is not reachable'}
          </Text>
          <ReachTable reach={reach.endpoints} />
        </Alert>
      ) : done ? (
        <Alert color="teal" p="xs" data-testid="x-connect-result">
          <Text size="sm" fw={700}>
            Connected {done.handle ? `@${done.handle}` : done.name}
          </Text>
        </Alert>
      ) : null}
      <Group gap="xs">
        {method === 'signin' ? (
          <Button size="xs" disabled={!ready || !!done} loading={busy === 'signin'} onClick={() => void signIn()} data-testid="x-signin">
            Sign in with X
          </Button>
        ) : (
          <>
            <Button variant="default" size="xs" disabled={!ready} loading={busy === 'test'} onClick={() => void run('test')} data-testid="x-test">
              Test the credentials
            </Button>
            <Button size="xs" disabled={!ready || !!done} loading={busy === 'add'} onClick={() => void run('add')} data-testid="x-add">
              Connect the account
            </Button>
          </>
        )}
      </Group>
    </Stack>
  );
}
