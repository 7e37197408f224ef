// The top bar's status badges, connected to the core (the badges themselves are presentational).
import { LinkingBadge } from '../ui/LinkingBadge';
import { NetworkBadge } from '../ui/NetworkBadge';
import { useLinkingProgress, useNetworkStatus } from '../state/status';
import { Badge, Tooltip } from '@mantine/core';
import { useAccountsQuery } from '../state/queries';

export function LinkingStatus() {
  return <LinkingBadge progress={useLinkingProgress()} />;
}

export function NetworkStatus() {
  const { browserOnline, status } = useNetworkStatus();
  return <NetworkBadge browserOnline={browserOnline} status={status} />;
}

/** Email accounts paused because their provider refused to renew the sign-in (Settings → Accounts has "Sign in again"). */
export function SignInStatus() {
  const paused = (useAccountsQuery().data?.email ?? []).filter((a) => a.signInNeeded);
  if (!paused.length) return null;
  const detail = paused.map((a) => `${a.name}: ${a.signInNeeded!.reason}`).join('\n');
  return (
    <Tooltip label={<span style={{ whiteSpace: 'pre-line' }}>{`${detail}\nSettings → Accounts: Sign in again.`}</span>} multiline w={360} withArrow>
      <Badge color="#a84300" variant="filled" data-testid="sign-in-needed-badge" role="status" tabIndex={0}>
        {paused.length === 1 ? `${paused[0]!.name}: sign in again` : `${paused.length} accounts: sign in again`}
      </Badge>
    </Tooltip>
  );
}
