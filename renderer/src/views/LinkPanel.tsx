// Why Canary thinks an X account is one of your email customers, and the decision on it:
// confirm (l), reject, unlink, undo. Every decision can also be undone with z.
import { useCallback, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Group, Loader, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { ErrorLine } from '../ui/ErrorLine';
import type { LinkCandidate, XAccountLinks } from '../../../shared/contract/links';
import { useClient } from '../rpc/core';
import { qk } from '../state/queries';
import { useCommand } from '../commands/registry';
import { IconLink, IconLinkQuestion } from '../ui/icons';

const STATE_TEXT = {
  confirmed: { text: 'Linked (confirmed)', color: 'teal' },
  linked: { text: 'Linked by Canary', color: 'blue' },
  suggested: { text: 'Possible link', color: 'yellow' },
  rejected: { text: 'Rejected', color: 'gray' },
  unlinked: { text: 'Unlinked', color: 'gray' },
} as const;

/** Darker text where Mantine's light badge falls short of 4.5:1 on white. */
const BADGE_TEXT: Partial<Record<LinkCandidate['state'], string>> = {
  suggested: 'light-dark(#7a4a00, var(--mantine-color-yellow-3))',
  confirmed: 'light-dark(#0b6e5f, var(--mantine-color-teal-3))',
};

export function useXLinks(identityId: number | null): { links: XAccountLinks | null; loading: boolean; error: string | null; set: (v: XAccountLinks) => void } {
  const client = useClient();
  const queries = useQueryClient();
  const { data, error, isPending } = useQuery({
    queryKey: qk.identityLinks(identityId ?? 0),
    queryFn: async () => (await client.call('links.list', { identityId: identityId! }))[0] ?? null,
    enabled: identityId != null,
  });
  const set = useCallback((v: XAccountLinks) => queries.setQueryData(qk.identityLinks(v.identityId), v), [queries]);
  if (identityId == null) return { links: null, loading: false, error: null, set };
  if (error) return { links: null, loading: false, error: error.message, set };
  if (isPending) return { links: null, loading: true, error: null, set };
  return { links: data ?? null, loading: false, error: null, set };
}

function Candidate({ c, primary, busy, onConfirm, onReject, onUndo }: { c: LinkCandidate; primary: boolean; busy: boolean; onConfirm: () => void; onReject: () => void; onUndo: () => void }) {
  const st = STATE_TEXT[c.state];
  return (
    <div className="link-cand" data-testid="link-candidate" data-state={c.state}>
      <Group gap={6} wrap="nowrap" justify="space-between">
        <Badge
          variant="light"
          color={st.color}
          leftSection={c.state === 'suggested' ? <IconLinkQuestion size={12} /> : <IconLink size={12} />}
          data-testid="link-state"
          // The light yellow and teal badges' own text colours are too faint on white (WCAG AA, 4.5:1).
          style={BADGE_TEXT[c.state] ? { '--badge-color': BADGE_TEXT[c.state] } : undefined}
        >
          {st.text}
        </Badge>
        <Tooltip label="How sure Canary is that these are one person">
          <Text size="xs" c="dimmed">
            {Math.round(c.score * 100)}%
          </Text>
        </Tooltip>
      </Group>
      <Text size="sm" fw={600} mt={4} truncate>
        {c.customerName}
      </Text>
      <Text size="xs" c="dimmed" truncate>
        {c.email}
      </Text>
      {c.evidence.length ? (
        <ul className="evidence-list" data-testid="link-evidence">
          {c.evidence.map((e, i) => (
            <li key={i}>
              <Text size="xs">{e}</Text>
            </li>
          ))}
        </ul>
      ) : null}
      <Group gap={6} mt={6}>
        {c.state !== 'confirmed' ? (
          <Button size="compact-xs" onClick={onConfirm} loading={busy} data-testid="link-confirm" title={primary ? 'Confirm (L)' : 'Confirm'}>
            Confirm{primary ? ' (L)' : ''}
          </Button>
        ) : null}
        <Button size="compact-xs" variant="default" onClick={onReject} disabled={busy} data-testid="link-reject">
          {c.state === 'suggested' ? 'Not the same person' : 'Unlink'}
        </Button>
        {c.canUndo ? (
          <Button size="compact-xs" variant="subtle" onClick={onUndo} disabled={busy} data-testid="link-undo">
            Undo
          </Button>
        ) : null}
      </Group>
    </div>
  );
}

/** Link an X account to the customer behind an email address, found through their mail. */
function ManualLink({ identityId, onLinked, onNotify }: { identityId: number; onLinked: (v: XAccountLinks) => void; onNotify: (message: string) => void }) {
  const client = useClient();
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const a = address.trim().toLowerCase();
    if (!a.includes('@')) return setError('Type the customer’s email address.');
    setBusy(true);
    setError(null);
    try {
      const { hits } = await client.call('search.query', { q: `from:${a}`, limit: 20 });
      let customerId: number | null = null;
      for (const h of hits.filter((x) => x.kind === 'email')) {
        const d = await client.call('conversations.get', { id: h.conversationId });
        const c = d.customer;
        if (c && c.identities.some((i) => i.kind === 'email' && i.address === a)) {
          customerId = c.id;
          break;
        }
      }
      if (customerId == null) return setError(`No email from ${a} is stored, so there is no customer to link to.`);
      const v = await client.call('links.link', { identityId, customerId });
      onLinked(v);
      onNotify(`Linked to ${a}`);
      setAddress('');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="manual-link"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Group gap={6} wrap="nowrap" mt={6}>
        <TextInput
          size="xs"
          placeholder="customer@example.com"
          aria-label="Link to the customer with this email address"
          value={address}
          onChange={(e) => setAddress(e.currentTarget.value)}
          style={{ flex: 1 }}
          data-testid="manual-link-address"
        />
        <Button size="compact-sm" type="submit" variant="default" loading={busy} data-testid="manual-link">
          Link
        </Button>
      </Group>
      <ErrorLine mt={4}>{error}</ErrorLine>
    </form>
  );
}

/** The link decision for one X identity. */
export function LinkPanel({
  state,
  handle,
  remember,
  onNotify,
}: {
  state: ReturnType<typeof useXLinks>;
  handle: string;
  remember: (label: string, revert: () => Promise<unknown>) => void;
  onNotify: (message: string) => void;
}) {
  const client = useClient();
  const { links, loading, error, set } = state;
  const [busy, setBusy] = useState<number | null>(null);

  const decide = useCallback(
    async (c: LinkCandidate, action: 'confirm' | 'reject' | 'undo') => {
      setBusy(c.linkId);
      try {
        const v = await client.call(`links.${action}`, { linkId: c.linkId });
        set(v);
        if (action !== 'undo') {
          remember(action === 'confirm' ? `link confirmed` : `link rejected`, async () => set(await client.call('links.undo', { linkId: c.linkId })));
          onNotify(action === 'confirm' ? `Linked @${handle} to ${c.customerName}` : `@${handle} is not ${c.customerName}`);
        }
      } catch (e) {
        onNotify(`Could not ${action} the link: ${(e as Error).message}`);
      } finally {
        setBusy(null);
      }
    },
    [client, set, remember, onNotify, handle],
  );

  const candidates = links ? [...(links.linked ? [links.linked] : []), ...links.suggestions] : [];
  const primary = candidates.find((c) => c.state !== 'confirmed') ?? null;

  // l: confirm the suggestion this panel shows first.
  useCommand('link.confirm', () => void (primary && decide(primary, 'confirm')), { when: () => primary != null });

  if (loading) return <Loader size="xs" />;
  if (error) {
    return (
      <Text size="xs" c="red">
        {error}
      </Text>
    );
  }
  const manual = links ? <ManualLink identityId={links.identityId} onLinked={set} onNotify={onNotify} /> : null;
  if (!candidates.length) {
    return (
      <>
        <Text size="xs" c="dimmed">
          No email customer matches @{handle} yet{links?.rejected.length ? ` (${links.rejected.length} rejected)` : ''}. Link one by hand:
        </Text>
        {manual}
      </>
    );
  }
  return (
    <Stack gap={8}>
      {candidates.map((c) => (
        <Candidate
          key={c.linkId}
          c={c}
          primary={c === primary}
          busy={busy === c.linkId}
          onConfirm={() => void decide(c, 'confirm')}
          onReject={() => void decide(c, 'reject')}
          onUndo={() => void decide(c, 'undo')}
        />
      ))}
      {!links?.linked ? manual : null}
    </Stack>
  );
}
