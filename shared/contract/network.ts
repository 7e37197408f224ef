// Whether Canary can reach the servers of its accounts: the offline indicator. The browser's
// navigator.onLine only knows whether a network interface is up (a captive portal, a dead router or
// a firewall still say "online"), so the core checks the accounts' own servers.
import { z } from 'zod';

export const networkSchemas = {
  /** The last check; `refresh` checks again now (deduplicated while a check runs). */
  'network.status': z.object({ refresh: z.boolean().optional() }).strict(),
} as const;

export interface NetworkEndpointView {
  /** "IMAP Support", "SMTP Support", "X @shop". */
  label: string;
  host: string;
  port: number;
  ok: boolean;
  /** Why it could not be reached: "host not found", "connection refused", "timed out after 4 s". */
  error: string | null;
  ms: number | null;
}

export interface NetworkStatus {
  /** online: some account server answered; offline: none did; unknown: no account to reach or not checked yet. */
  state: 'online' | 'offline' | 'unknown';
  checkedAt: number | null;
  endpoints: NetworkEndpointView[];
}

export interface NetworkResults {
  'network.status': NetworkStatus;
}
