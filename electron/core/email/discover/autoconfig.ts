// The domain's own autoconfig document (Thunderbird's config-v1.1 format): fetched over https only
// from https://autoconfig.DOMAIN/mail/config-v1.1.xml?emailaddress=ADDRESS and
// https://DOMAIN/.well-known/autoconfig/mail/config-v1.1.xml (Thunderbird also tries http:// for the
// first; Canary does not, since a document over plain http could send the password anywhere). At most
// 3 redirects, to https only; 100 KB at most; parsed by xml.ts (no DOCTYPE, no entities).
import http from 'node:http';
import https from 'node:https';
import type { DiscoveredSettings } from '../../../../shared/contract/accounts';
import type { EmailServerView } from '../../../../shared/contract/email';
import { authForHost } from './presets';
import { childText, childrenNamed, parseXml, XmlError, type XmlElement } from './xml';

export const MAX_AUTOCONFIG_BYTES = 100_000;
const MAX_REDIRECTS = 3;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** Why a source gave nothing: its message is what the owner reads after "autoconfig: ". */
export class StepFailure extends Error {}

export function autoconfigUrls(address: string, domain: string): string[] {
  return [`https://autoconfig.${domain}/mail/config-v1.1.xml?emailaddress=${encodeURIComponent(address)}`, `https://${domain}/.well-known/autoconfig/mail/config-v1.1.xml`];
}

/**
 * Where a request for this https URL really goes: itself, or with `httpBase` (tests and the e2e host
 * only) BASE/HOST/PATH, so a local server answers for every domain.
 */
export function mapUrl(url: URL, httpBase?: string): URL {
  if (!httpBase) return url;
  const base = httpBase.replace(/\/+$/, '');
  return new URL(`${base}/${url.host}${url.pathname}${url.search}`);
}

/** GET an https URL's body as text: 200 only, redirects to https followed, size capped, aborted by the signal. */
export async function fetchText(url: string, opts: { httpBase?: string; signal: AbortSignal; maxBytes?: number }): Promise<string> {
  let current = new URL(url);
  const maxBytes = opts.maxBytes ?? MAX_AUTOCONFIG_BYTES;
  for (let hop = 0; ; hop++) {
    if (current.protocol !== 'https:') throw new StepFailure(`refused ${current.protocol}// (https only)`);
    const target = mapUrl(current, opts.httpBase);
    const r = await get(target, opts.signal, maxBytes);
    if (r.status >= 300 && r.status < 400 && r.location) {
      if (hop >= MAX_REDIRECTS) throw new StepFailure(`more than ${MAX_REDIRECTS} redirects`);
      current = new URL(r.location, current);
      continue;
    }
    if (r.status !== 200) throw new StepFailure(`HTTP ${r.status}`);
    return r.body;
  }
}

function get(url: URL, signal: AbortSignal, maxBytes: number): Promise<{ status: number; location?: string; body: string }> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new StepFailure('cancelled'));
    const mod = url.protocol === 'http:' ? http : https;
    const req = mod.get(url, { headers: { accept: 'application/xml, text/xml' }, signal }, (res) => {
      const status = res.statusCode ?? 0;
      if (status !== 200) {
        res.resume();
        return resolve({ status, location: res.headers.location, body: '' });
      }
      const declared = Number(res.headers['content-length']);
      if (declared > maxBytes) {
        req.destroy();
        return reject(new StepFailure(`the document is larger than ${maxBytes / 1000} KB`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          req.destroy();
          reject(new StepFailure(`the document is larger than ${maxBytes / 1000} KB`));
        } else chunks.push(c);
      });
      res.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => reject(e));
    });
    req.on('error', (e) => reject(signal.aborted ? new StepFailure('cancelled') : e));
  });
}

/** A network error in the owner's words. */
export function networkReason(e: unknown): string {
  if (e instanceof StepFailure) return e.message;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET') return 'connection reset';
  if (code && /CERT|SSL|TLS/.test(code)) return `TLS certificate refused (${code})`;
  return (e as Error).message || String(e);
}

type Vars = { address: string; local: string; domain: string };

function fill(template: string, v: Vars): string {
  return template
    .replace(/%EMAILADDRESS%/g, v.address)
    .replace(/%EMAILLOCALPART%/g, v.local)
    .replace(/%EMAILDOMAIN%/g, v.domain);
}

interface ServerEntry {
  server: EmailServerView;
  user: string | null;
}

/** The first server of this type with TLS or STARTTLS, in the document's order (plain-text servers are never chosen). */
function pickServer(list: XmlElement[], type: string, v: Vars): ServerEntry | null {
  for (const el of list) {
    if ((el.attrs.type ?? '').toLowerCase() !== type) continue;
    const host = fill(childText(el, 'hostname') ?? '', v).toLowerCase();
    const port = Number(childText(el, 'port'));
    const socket = (childText(el, 'socketType') ?? '').toUpperCase();
    const tls = socket === 'SSL' || socket === 'TLS' ? 'on' : socket === 'STARTTLS' ? 'starttls' : null;
    if (!tls || !HOSTNAME.test(host) || !Number.isInteger(port) || port < 1 || port > 65535) continue;
    const user = childText(el, 'username');
    return { server: { host, port, tls }, user: user ? fill(user, v) : null };
  }
  return null;
}

/** Settings from a config-v1.1 document; throws StepFailure when it is malformed or names no usable IMAP server. */
export function parseAutoconfig(xml: string, address: string, from: string): DiscoveredSettings {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (e) {
    throw new StepFailure(e instanceof XmlError ? `malformed XML: ${e.message}` : `malformed XML`);
  }
  if (root.name !== 'clientConfig') throw new StepFailure(`not an autoconfig document (root <${root.name}>)`);
  const provider = childrenNamed(root, 'emailProvider')[0];
  if (!provider) throw new StepFailure('no <emailProvider> in the document');
  const at = address.lastIndexOf('@');
  const v: Vars = { address, local: address.slice(0, at), domain: address.slice(at + 1) };
  const incoming = pickServer(childrenNamed(provider, 'incomingServer'), 'imap', v);
  if (!incoming) throw new StepFailure('no IMAP server with TLS or STARTTLS in the document');
  const outgoing = pickServer(childrenNamed(provider, 'outgoingServer'), 'smtp', v);
  const user = incoming.user ?? address;
  const smtpUser = outgoing?.user && outgoing.user !== user ? outgoing.user : null;
  const name = childText(provider, 'displayName') || childText(provider, 'displayShortName');
  return { imap: incoming.server, smtp: outgoing?.server ?? null, user, smtpUser, auth: authForHost(incoming.server.host), source: 'autoconfig', from, provider: name || null, note: null };
}
