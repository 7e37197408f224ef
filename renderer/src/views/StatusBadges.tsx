// The top bar's status badges, connected to the core (the badges themselves are presentational).
import { LinkingBadge } from '../ui/LinkingBadge';
import { NetworkBadge } from '../ui/NetworkBadge';
import { useLinkingProgress, useNetworkStatus } from '../state/status';

export function LinkingStatus() {
  return <LinkingBadge progress={useLinkingProgress()} />;
}

export function NetworkStatus() {
  const { browserOnline, status } = useNetworkStatus();
  return <NetworkBadge browserOnline={browserOnline} status={status} />;
}
