// "Offline" as the owner means it: Canary cannot reach the servers of its accounts. The window's
// navigator.onLine is believed only when it says offline (no network interface); when it says online
// the core's check of the accounts' servers decides (state/status.ts), because a captive portal, a
// dead router or a firewall still look "online" to the browser.
import { Badge, Tooltip } from '@mantine/core';
import type { NetworkStatus } from '../../../shared/contract/network';
import { IconWifiOff } from './icons';

export function NetworkBadge({ browserOnline, status }: { browserOnline: boolean; status: NetworkStatus | null }) {
  const offline = !browserOnline || status?.state === 'offline';
  if (!offline) return null;
  const failing = status?.endpoints.filter((e) => !e.ok) ?? [];
  const detail = !browserOnline ? 'This computer has no network connection.' : failing.map((e) => `${e.label} (${e.host}:${e.port}): ${e.error ?? 'no answer'}`).join('\n');
  return (
    <Tooltip label={<span style={{ whiteSpace: 'pre-line' }}>{`${detail}\nReplies wait in the outbox and go when the servers answer again.`}</span>} multiline w={340} withArrow>
      <Badge color="orange" variant="light" leftSection={<IconWifiOff size={12} />} data-testid="network-offline" role="status" tabIndex={0}>
        Offline: replies wait in the outbox
      </Badge>
    </Tooltip>
  );
}
