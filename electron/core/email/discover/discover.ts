// Find an email address's servers as Thunderbird does, in this order: the built-in table of big
// providers (presets.ts), the domain's autoconfig document (autoconfig.ts), its SRV records, then its
// MX records (dns.ts). The three network sources start together, each under its own timeout; the
// first in that order to answer wins, and the reasons of those before it are kept for the owner
// ("autoconfig: timed out after 4 s").
import { domainToASCII } from 'node:url';
import type { DiscoveredSettings, DiscoverSource, DiscoverView } from '../../../../shared/contract/accounts';
import { AppError } from '../../../../shared/contract/errors';
import { autoconfigUrls, fetchText, networkReason, parseAutoconfig, StepFailure } from './autoconfig';
import { dnsReason, fromMx, fromSrv, makeResolver } from './dns';
import { fromPreset, presetForDomain } from './presets';

export const DEFAULT_STEP_TIMEOUT_MS = 4_000;

export interface DiscoverOptions {
  /** DNS servers to ask ("127.0.0.1:5353"); the system's when absent. */
  dnsServers?: string[];
  /** Autoconfig requests for https://HOST/PATH go to BASE/HOST/PATH instead (a local server: tests and the e2e host only). */
  httpBase?: string;
  /** Each source's own timeout (default 4 s). */
  stepTimeoutMs?: number;
}

/**
 * The options of the test-only environment: CANARY_DISCOVER_DNS (comma-separated DNS servers, host:port),
 * CANARY_DISCOVER_HTTP_BASE (a base URL every autoconfig request goes to) and CANARY_DISCOVER_TIMEOUT_MS.
 * The end-to-end tests point them at local stubs; unset, the system's DNS and the real hosts are used.
 */
export function discoverOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DiscoverOptions {
  const dns = env.CANARY_DISCOVER_DNS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const timeout = Number(env.CANARY_DISCOVER_TIMEOUT_MS);
  return {
    ...(dns?.length ? { dnsServers: dns } : {}),
    ...(env.CANARY_DISCOVER_HTTP_BASE ? { httpBase: env.CANARY_DISCOVER_HTTP_BASE } : {}),
    ...(Number.isInteger(timeout) && timeout > 0 ? { stepTimeoutMs: timeout } : {}),
  };
}

/** The address's domain in ASCII (IDN as punycode), or an invalid_args error. */
export function addressDomain(address: string): { address: string; domain: string } {
  const a = address.trim();
  const at = a.lastIndexOf('@');
  const domain =
    at > 0
      ? domainToASCII(
          a
            .slice(at + 1)
            .replace(/\.$/, '')
            .toLowerCase(),
        )
      : '';
  if (!domain || !domain.includes('.') || !/^[a-z0-9.-]+$/.test(domain)) throw new AppError('invalid_args', `"${address}" is not an email address with a domain Canary can look up`);
  return { address: a, domain };
}

type Outcome = { ok: DiscoveredSettings } | { reason: string };

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${ms / 1000} s`;
}

/** Run one source under its own timeout and the shared abort signal; never throws. */
async function step(timeoutMs: number, stop: AbortSignal, run: (signal: AbortSignal) => Promise<DiscoveredSettings>, reasonOf: (e: unknown) => string): Promise<Outcome> {
  const ac = new AbortController();
  const onStop = () => ac.abort();
  stop.addEventListener('abort', onStop);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => {
      ac.abort();
      resolve({ reason: `timed out after ${seconds(timeoutMs)}` });
    }, timeoutMs);
  });
  try {
    return await Promise.race([
      run(ac.signal).then(
        (ok): Outcome => ({ ok }),
        (e): Outcome => ({ reason: reasonOf(e) }),
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
    stop.removeEventListener('abort', onStop);
  }
}

/** The autoconfig source: both URLs at once, the first (autoconfig.DOMAIN) preferred. */
async function autoconfig(address: string, domain: string, opts: DiscoverOptions, signal: AbortSignal): Promise<DiscoveredSettings> {
  const urls = autoconfigUrls(address, domain);
  const tries = urls.map((u) => fetchText(u, { httpBase: opts.httpBase, signal }).then((xml) => parseAutoconfig(xml, address, u.replace(/\?.*$/, ''))));
  for (const t of tries) t.catch(() => {}); // the one not awaited is cancelled when another wins
  const reasons: string[] = [];
  for (const [i, t] of tries.entries()) {
    try {
      return await t;
    } catch (e) {
      reasons.push(`${new URL(urls[i]!).host}${i === 1 ? '/.well-known' : ''}: ${networkReason(e)}`);
    }
  }
  throw new StepFailure(reasons.join('; '));
}

export async function discoverMailSettings(input: string, opts: DiscoverOptions = {}): Promise<DiscoverView> {
  const { address, domain } = addressDomain(input);
  const preset = presetForDomain(domain);
  if (preset) return { address, found: fromPreset(preset, address, 'preset', `built in: ${preset.provider}`), tried: [] };
  const timeoutMs = opts.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  const stop = new AbortController();
  const resolver = makeResolver(opts.dnsServers, timeoutMs);
  stop.signal.addEventListener('abort', () => resolver.cancel());
  const sources: [DiscoverSource, Promise<Outcome>][] = [
    ['autoconfig', step(timeoutMs, stop.signal, (s) => autoconfig(address, domain, opts, s), networkReason)],
    ['srv', step(timeoutMs, stop.signal, () => fromSrv(resolver, address, domain), dnsReason)],
    ['mx', step(timeoutMs, stop.signal, () => fromMx(resolver, address, domain), dnsReason)],
  ];
  const tried: DiscoverView['tried'] = [];
  try {
    for (const [source, p] of sources) {
      const r = await p;
      if ('ok' in r) return { address, found: r.ok, tried };
      tried.push({ source, reason: r.reason });
    }
    return { address, found: null, tried };
  } finally {
    stop.abort();
  }
}
