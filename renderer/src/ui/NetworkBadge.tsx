// "Offline" as the owner means it: Canary cannot reach the servers of its accounts. The window's
// navigator.onLine is believed only when it says offline (no network interface); when it says online
// the core checks the accounts' servers (network.status), because a captive portal, a dead router or
// a firewall still look "online" to the browser. Re-checked on the window's online/offline events and
// whenever the core reports a change.
import { Badge, Tooltip } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { NetworkStatus } from '../../../shared/contract/network';
import { useClient, useCoreEvent } from '../rpc/core';
import { IconWifiOff } from './icons';

export function NetworkBadge() {
  const client = useClient();
  const [status, setStatus] = useState<NetworkStatus | null>(null);
  const [browserOnline, setBrowserOnline] = useState(() => navigator.onLine);

  const refresh = useCallback(
    (force: boolean) => {
      client
        .call('network.status', force ? { refresh: true } : {})
        .then(setStatus)
        .catch(() => undefined); // the core connection has its own indicator
    },
    [client],
  );

  useEffect(() => {
    refresh(false);
    const onOnline = () => {
      setBrowserOnline(true);
      refresh(true);
    };
    const onOffline = () => {
      setBrowserOnline(false);
      refresh(true);
    };
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    return () => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
    };
  }, [refresh]);
  useCoreEvent(
    'network.changed',
    useCallback(() => refresh(false), [refresh]),
  );

  const offline = !browserOnline || status?.state === 'offline';
  if (!offline) return null;
  const failing = status?.endpoints.filter((e) => !e.ok) ?? [];
  const detail = !browserOnline
    ? 'This computer has no network connection.'
    : failing.map((e) => `${e.label} (${e.host}:${e.port}): ${e.error ?? 'no answer'}`).join('\n');
  return (
    <Tooltip label={<span style={{ whiteSpace: 'pre-line' }}>{`${detail}\nReplies wait in the outbox and go when the servers answer again.`}</span>} multiline w={340} withArrow>
      <Badge color="orange" variant="light" leftSection={<IconWifiOff size={12} />} data-testid="network-offline" role="status" tabIndex={0}>
        Offline: replies wait in the outbox
      </Badge>
    </Tooltip>
  );
}
