// SRV (RFC 6186, RFC 8314) and MX lookups through node:dns/promises. The Resolver asks the system's
// DNS servers, or those given (tests and the e2e host: a local stub, testing/dnsStub.ts).
import type { SrvRecord } from 'node:dns';
import { Resolver } from 'node:dns/promises';
import type { DiscoveredSettings } from '../../../../shared/contract/accounts';
import type { EmailServerView } from '../../../../shared/contract/email';
import { StepFailure } from './autoconfig';
import { authForHost, fromPreset, presetForMx } from './presets';

export function makeResolver(servers: string[] | undefined, timeoutMs: number): Resolver {
  const r = new Resolver({ timeout: Math.max(100, Math.floor(timeoutMs / 2)), tries: 2 });
  if (servers?.length) r.setServers(servers);
  return r;
}

const NO_RECORD = new Set(['ENOTFOUND', 'ENODATA', 'ENONAME', 'NXDOMAIN']);

export function dnsReason(e: unknown): string {
  if (e instanceof StepFailure) return e.message;
  const code = (e as NodeJS.ErrnoException).code ?? '';
  if (code === 'ETIMEOUT') return 'the DNS server did not answer';
  if (code === 'ECONNREFUSED') return 'the DNS server refused the connection';
  if (code === 'ESERVFAIL') return 'the DNS server failed (SERVFAIL)';
  if (code === 'ECANCELLED') return 'cancelled';
  return (e as Error).message || String(e);
}

/** The records of a name, or [] when there are none (NXDOMAIN, no data); other errors are thrown. */
async function records<T>(q: Promise<T[]>): Promise<T[]> {
  try {
    return await q;
  } catch (e) {
    if (NO_RECORD.has((e as NodeJS.ErrnoException).code ?? '')) return [];
    throw e;
  }
}

/** RFC 2782's choice among records: the lowest priority, then the highest weight; a lone "." target means "not offered". */
function best(list: SrvRecord[]): SrvRecord | null {
  const offered = list.filter((r) => r.name && r.name !== '.' && r.port > 0);
  offered.sort((a, b) => a.priority - b.priority || b.weight - a.weight);
  return offered[0] ?? null;
}

/** IMAP and submission servers from _imaps/_imap and _submissions/_submission SRV records (implicit TLS preferred, RFC 8314). */
export async function fromSrv(resolver: Resolver, address: string, domain: string): Promise<DiscoveredSettings> {
  const names = ['_imaps._tcp', '_imap._tcp', '_submissions._tcp', '_submission._tcp'].map((s) => `${s}.${domain}`);
  const [imaps, imap, subs, sub] = await Promise.all(names.map((n) => records(resolver.resolveSrv(n))));
  const pick = (tlsList: SrvRecord[], plainList: SrvRecord[], tlsName: string, plainName: string): { server: EmailServerView; name: string } | null => {
    const a = best(tlsList);
    if (a) return { server: { host: a.name.replace(/\.$/, '').toLowerCase(), port: a.port, tls: 'on' }, name: tlsName };
    const b = best(plainList);
    return b ? { server: { host: b.name.replace(/\.$/, '').toLowerCase(), port: b.port, tls: b.port === 465 ? 'on' : 'starttls' }, name: plainName } : null;
  };
  const inc = pick(imaps!, imap!, names[0]!, names[1]!);
  if (!inc) throw new StepFailure(`no ${names[0]} or ${names[1]} record`);
  const out = pick(subs!, sub!, names[2]!, names[3]!);
  return {
    imap: inc.server,
    smtp: out?.server ?? null,
    user: address,
    smtpUser: null,
    auth: authForHost(inc.server.host),
    source: 'srv',
    from: `SRV ${inc.name}${out ? `, ${out.name}` : ''}`,
    provider: null,
    note: null,
  };
}

/** A provider's settings when the domain's MX records point at a provider Canary knows (Google Workspace, Microsoft 365, …). */
export async function fromMx(resolver: Resolver, address: string, domain: string): Promise<DiscoveredSettings> {
  const mx = (await records(resolver.resolveMx(domain))).sort((a, b) => a.priority - b.priority);
  if (!mx.length) throw new StepFailure(`no MX record for ${domain}`);
  for (const r of mx) {
    const p = presetForMx(r.exchange);
    if (p) return fromPreset(p, address, 'mx', `MX ${r.exchange.replace(/\.$/, '').toLowerCase()}`);
  }
  throw new StepFailure(`MX ${mx[0]!.exchange} is not a provider Canary knows`);
}
