// The core's view of the network: a TCP connection to each enabled account's servers (IMAP, SMTP,
// the X API). Online when any answers, offline when none does, unknown without accounts. Checked at
// start and every minute while the core syncs, again after each sync report (a failed sync is
// often the first sign), and whenever the UI asks (the window's online/offline events).
import net from 'node:net';
import type { NetworkEndpointView, NetworkStatus } from '../../shared/contract/network';
import type { CoreContext } from './context';
import { listAccounts } from './db/repos/accounts';

export interface Endpoint {
  label: string;
  host: string;
  port: number;
}

interface EmailCfg {
  imap?: { host?: string; port?: number };
  smtp?: { host?: string; port?: number } | null;
}

/** The servers the enabled accounts talk to, each once. */
export function accountEndpoints(ctx: CoreContext): Endpoint[] {
  const out = new Map<string, Endpoint>();
  const add = (label: string, host: string | undefined, port: number | undefined) => {
    if (!host || !port) return;
    const key = `${host.toLowerCase()}:${port}`;
    if (!out.has(key)) out.set(key, { label, host, port });
  };
  for (const a of listAccounts(ctx.db, 'email')) {
    if (!a.enabled) continue;
    const cfg = a.config as EmailCfg;
    add(`IMAP ${a.name}`, cfg.imap?.host, cfg.imap?.port);
    add(`SMTP ${a.name}`, cfg.smtp?.host, cfg.smtp?.port);
  }
  for (const a of listAccounts(ctx.db, 'x')) {
    if (!a.enabled) continue;
    const apiBase = (a.config as { apiBase?: string }).apiBase;
    let url: URL;
    try {
      url = new URL(apiBase ?? 'https://api.x.com');
    } catch {
      continue;
    }
    add(`X ${a.name}`, url.hostname.replace(/^\[|\]$/g, ''), Number(url.port) || (url.protocol === 'http:' ? 80 : 443));
  }
  return [...out.values()];
}

function reason(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return 'network unreachable';
    case 'ECONNRESET':
      return 'connection reset';
    default:
      return e.message || String(e.code ?? e);
  }
}

/** Open (and close) a TCP connection to each endpoint, all at once. */
export function probeEndpoints(endpoints: readonly Endpoint[], timeoutMs = 4000): Promise<NetworkEndpointView[]> {
  return Promise.all(
    endpoints.map(
      (ep) =>
        new Promise<NetworkEndpointView>((resolve) => {
          const t0 = performance.now();
          const socket = net.connect({ host: ep.host, port: ep.port });
          const done = (error: string | null) => {
            socket.destroy();
            resolve({ ...ep, ok: error === null, error, ms: error === null ? Math.round(performance.now() - t0) : null });
          };
          socket.setTimeout(timeoutMs, () => done(`timed out after ${Math.round(timeoutMs / 1000)} s`));
          socket.once('connect', () => done(null));
          socket.once('error', (e: NodeJS.ErrnoException) => done(reason(e)));
        }),
    ),
  );
}

export class NetworkMonitor {
  private status: NetworkStatus = { state: 'unknown', checkedAt: null, endpoints: [] };
  private running: Promise<NetworkStatus> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly ctx: CoreContext,
    private readonly opts: { timeoutMs?: number } = {},
  ) {}

  current(): NetworkStatus {
    return this.status;
  }

  /** Check now; a check already running is shared. Emits network.changed when the state changes. */
  check(): Promise<NetworkStatus> {
    this.running ??= (async () => {
      let endpoints: Endpoint[];
      try {
        endpoints = accountEndpoints(this.ctx);
      } catch {
        return this.status; // the database was closed
      }
      const results = await probeEndpoints(endpoints, this.opts.timeoutMs);
      const state: NetworkStatus['state'] = !results.length ? 'unknown' : results.some((r) => r.ok) ? 'online' : 'offline';
      const before = this.status;
      this.status = { state, checkedAt: this.ctx.now(), endpoints: results };
      const changed = before.state !== state || JSON.stringify(before.endpoints.map((e) => [e.host, e.ok])) !== JSON.stringify(results.map((e) => [e.host, e.ok]));
      if (changed) this.ctx.events.emit('network.changed', {});
      return this.status;
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Periodic checks, and one shortly after each sync report or account change (core bus). */
  start(intervalMs = 60_000): void {
    void this.check();
    this.timer = setInterval(() => void this.check(), intervalMs);
    this.timer.unref();
    const soon = () => {
      if (this.debounce) return;
      this.debounce = setTimeout(() => {
        this.debounce = null;
        void this.check();
      }, 2000);
      this.debounce.unref();
    };
    const offs = [this.ctx.bus.on('SyncStatusChanged', soon), this.ctx.bus.on('AccountsChanged', soon)];
    this.unsubscribe = () => offs.forEach((off) => off());
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.debounce) clearTimeout(this.debounce);
    this.timer = this.debounce = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.running;
  }
}
