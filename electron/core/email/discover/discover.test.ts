// Discovery against a local DNS stub and a local HTTP server (nothing leaves 127.0.0.1): each source,
// the order between them, each one's timeout, and documents that are malformed, hostile or too big.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/contract/errors';
import { startDnsStub, type DnsStub } from '../../testing/dnsStub';
import { configXml, startAutoconfigServer, type AutoconfigServer } from '../../testing/autoconfigServer';
import { discoverMailSettings, discoverOptionsFromEnv, type DiscoverOptions } from './discover';

const ACPATH = '/mail/config-v1.1.xml';
const WELLKNOWN = '/.well-known/autoconfig/mail/config-v1.1.xml';

describe('discoverMailSettings', () => {
  let dns: DnsStub;
  let web: AutoconfigServer;
  let opts: DiscoverOptions;
  beforeAll(async () => {
    dns = await startDnsStub({});
    web = await startAutoconfigServer();
    opts = { dnsServers: [dns.server], httpBase: web.base, stepTimeoutMs: 1500 };
  });
  afterAll(async () => {
    await dns?.close();
    await web?.close();
  });
  beforeEach(() => {
    dns.table = {};
    dns.queries.length = 0;
    web.routes.clear();
    web.requests.length = 0;
  });

  it('takes a big provider from the built-in table without asking the network', async () => {
    const g = await discoverMailSettings('Jane.Doe@GMail.com', opts);
    expect(g.found).toMatchObject({
      source: 'preset',
      imap: { host: 'imap.gmail.com', port: 993, tls: 'on' },
      smtp: { host: 'smtp.gmail.com', port: 465, tls: 'on' },
      auth: 'oauth2-google',
      user: 'Jane.Doe@GMail.com',
    });
    expect(g.found?.from).toMatch(/built in: Google/);
    const o = await discoverMailSettings('sam@hotmail.com', opts);
    expect(o.found).toMatchObject({ source: 'preset', imap: { host: 'outlook.office365.com' }, smtp: { host: 'smtp.office365.com', port: 587, tls: 'starttls' }, auth: 'oauth2-microsoft' });
    const i = await discoverMailSettings('kim@me.com', opts);
    expect(i.found).toMatchObject({ imap: { host: 'imap.mail.me.com' }, user: 'kim', smtpUser: 'kim@me.com', auth: 'password', note: expect.stringMatching(/app-specific password/) });
    const p = await discoverMailSettings('lee@proton.me', opts);
    expect(p.found).toMatchObject({ imap: { host: '127.0.0.1', port: 1143, tls: 'starttls' }, smtp: { host: '127.0.0.1', port: 1025 }, note: expect.stringMatching(/Bridge/) });
    expect(dns.queries).toEqual([]);
    expect(web.requests).toEqual([]);
  });

  it('reads autoconfig.DOMAIN, sending the address and filling the username template', async () => {
    web.routes.set(`/autoconfig.shop.test${ACPATH}`, {
      body: configXml({ imapHost: 'imap.%EMAILDOMAIN%', smtpHost: 'smtp.shop.test', smtpPort: 587, smtpSocket: 'STARTTLS', username: '%EMAILLOCALPART%' }),
    });
    web.routes.set(`/shop.test${WELLKNOWN}`, { body: configXml({ imapHost: 'other.shop.test' }) });
    const r = await discoverMailSettings('ann@shop.test', opts);
    expect(r.found).toEqual({
      imap: { host: 'imap.shop.test', port: 993, tls: 'on' },
      smtp: { host: 'smtp.shop.test', port: 587, tls: 'starttls' },
      user: 'ann',
      smtpUser: null,
      auth: 'password',
      source: 'autoconfig',
      from: 'https://autoconfig.shop.test/mail/config-v1.1.xml',
      provider: 'Example Mail',
      note: null,
    });
    expect(r.tried).toEqual([]);
    expect(web.requests).toContain(`/autoconfig.shop.test${ACPATH}?emailaddress=ann%40shop.test`);
  });

  it('reads DOMAIN/.well-known/autoconfig when autoconfig.DOMAIN has nothing, and says why the first failed', async () => {
    web.routes.set(`/shop.test${WELLKNOWN}`, { body: configXml({ imapHost: 'mail.shop.test', imapPort: 143, imapSocket: 'STARTTLS' }) });
    const r = await discoverMailSettings('ann@shop.test', opts);
    expect(r.found).toMatchObject({
      source: 'autoconfig',
      imap: { host: 'mail.shop.test', port: 143, tls: 'starttls' },
      smtp: null,
      from: 'https://shop.test/.well-known/autoconfig/mail/config-v1.1.xml',
    });
  });

  it('follows a redirect to https, refuses one to http', async () => {
    web.routes.set(`/autoconfig.shop.test${ACPATH}`, { status: 301, location: 'https://config.hoster.test/shop.xml' });
    web.routes.set('/config.hoster.test/shop.xml', { body: configXml({ imapHost: 'imap.hoster.test' }) });
    expect((await discoverMailSettings('ann@shop.test', opts)).found).toMatchObject({ source: 'autoconfig', imap: { host: 'imap.hoster.test' } });
    web.routes.set(`/autoconfig.shop.test${ACPATH}`, { status: 302, location: 'http://config.hoster.test/shop.xml' });
    const r = await discoverMailSettings('ann@shop.test', opts);
    expect(r.found).toBeNull();
    expect(r.tried[0]).toEqual({ source: 'autoconfig', reason: expect.stringMatching(/autoconfig\.shop\.test: refused http:\/\/ \(https only\)/) });
  });

  it('uses RFC 6186 SRV records when there is no autoconfig, implicit TLS first', async () => {
    dns.table = {
      srv: {
        '_imap._tcp.firm.test': [{ priority: 0, weight: 1, port: 143, target: 'plain.firm.test' }],
        '_imaps._tcp.firm.test': [
          { priority: 10, weight: 1, port: 993, target: 'backup.firm.test' },
          { priority: 0, weight: 5, port: 993, target: 'mail.firm.test' },
        ],
        '_submission._tcp.firm.test': [{ priority: 0, weight: 1, port: 587, target: 'smtp.firm.test.' }],
      },
    };
    const r = await discoverMailSettings('bo@firm.test', opts);
    expect(r.found).toMatchObject({
      source: 'srv',
      imap: { host: 'mail.firm.test', port: 993, tls: 'on' },
      smtp: { host: 'smtp.firm.test', port: 587, tls: 'starttls' },
      user: 'bo@firm.test',
      auth: 'password',
      from: 'SRV _imaps._tcp.firm.test, _submission._tcp.firm.test',
    });
    expect(r.tried).toEqual([{ source: 'autoconfig', reason: 'autoconfig.firm.test: HTTP 404; firm.test/.well-known: HTTP 404' }]);
    // "." means the service is not offered: the plain _imap record is used, on STARTTLS.
    dns.table.srv!['_imaps._tcp.firm.test'] = [{ priority: 0, weight: 0, port: 0, target: '.' }];
    expect((await discoverMailSettings('bo@firm.test', opts)).found).toMatchObject({
      imap: { host: 'plain.firm.test', port: 143, tls: 'starttls' },
      from: 'SRV _imap._tcp.firm.test, _submission._tcp.firm.test',
    });
  });

  it('gives Google Workspace settings to a domain whose MX is Google', async () => {
    dns.table = {
      mx: {
        'bakery.test': [
          { priority: 5, exchange: 'alt1.aspmx.l.google.com' },
          { priority: 1, exchange: 'aspmx.l.google.com' },
        ],
      },
    };
    const r = await discoverMailSettings('max@bakery.test', opts);
    expect(r.found).toMatchObject({
      source: 'mx',
      imap: { host: 'imap.gmail.com', port: 993, tls: 'on' },
      smtp: { host: 'smtp.gmail.com' },
      auth: 'oauth2-google',
      user: 'max@bakery.test',
      from: 'MX aspmx.l.google.com',
    });
    expect(r.tried.map((t) => t.source)).toEqual(['autoconfig', 'srv']);
    expect(r.tried[1]!.reason).toBe('no _imaps._tcp.bakery.test or _imap._tcp.bakery.test record');
  });

  it('gives Microsoft 365 settings to a domain whose MX is Exchange Online', async () => {
    dns.table = { mx: { 'clinic.test': [{ priority: 0, exchange: 'clinic-test.mail.protection.outlook.com' }] } };
    const r = await discoverMailSettings('eva@clinic.test', opts);
    expect(r.found).toMatchObject({
      source: 'mx',
      imap: { host: 'outlook.office365.com' },
      smtp: { host: 'smtp.office365.com', port: 587, tls: 'starttls' },
      auth: 'oauth2-microsoft',
      from: 'MX clinic-test.mail.protection.outlook.com',
    });
  });

  it('says why each source gave nothing when nothing is found', async () => {
    dns.table = { mx: { 'own.test': [{ priority: 10, exchange: 'mx1.own.test' }] } };
    const r = await discoverMailSettings('x@own.test', opts);
    expect(r.found).toBeNull();
    expect(r.tried).toEqual([
      { source: 'autoconfig', reason: 'autoconfig.own.test: HTTP 404; own.test/.well-known: HTTP 404' },
      { source: 'srv', reason: 'no _imaps._tcp.own.test or _imap._tcp.own.test record' },
      { source: 'mx', reason: 'MX mx1.own.test is not a provider Canary knows' },
    ]);
    const none = await discoverMailSettings('x@nowhere.test', opts);
    expect(none.tried[2]).toEqual({ source: 'mx', reason: 'no MX record for nowhere.test' });
  });

  it('gives each source its own timeout and falls through to the next', async () => {
    web.routes.set(`/autoconfig.slow.test${ACPATH}`, { hang: true });
    web.routes.set(`/slow.test${WELLKNOWN}`, { hang: true });
    dns.table = { mx: { 'slow.test': [{ priority: 1, exchange: 'aspmx.l.google.com' }] }, silent: ['_imaps._tcp.slow.test'] };
    const t0 = Date.now();
    const r = await discoverMailSettings('a@slow.test', { ...opts, stepTimeoutMs: 400 });
    const took = Date.now() - t0;
    expect(r.found).toMatchObject({ source: 'mx', auth: 'oauth2-google' });
    expect(r.tried).toEqual([
      { source: 'autoconfig', reason: 'timed out after 400 ms' },
      { source: 'srv', reason: 'timed out after 400 ms' },
    ]);
    // The sources run at once: one timeout's worth, not three.
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(1_500);
    // Every source silent: found nothing, in about one timeout.
    dns.table = { silent: ['_imaps._tcp.slow.test', 'slow.test'] };
    const t1 = Date.now();
    const all = await discoverMailSettings('a@slow.test', { ...opts, stepTimeoutMs: 400 });
    expect(all.found).toBeNull();
    expect(all.tried.map((t) => t.reason)).toEqual(['timed out after 400 ms', 'timed out after 400 ms', 'timed out after 400 ms']);
    expect(Date.now() - t1).toBeLessThan(1_500);
  });

  it('falls through on a malformed document, saying what is wrong with it', async () => {
    web.routes.set(`/autoconfig.bad.test${ACPATH}`, { body: '<clientConfig><emailProvider><incomingServer type="imap"><hostname>imap.bad.test</hostname></emailProvider></clientConfig>' });
    web.routes.set(`/bad.test${WELLKNOWN}`, { body: '<html><body>Welcome</body></html>' });
    dns.table = { mx: { 'bad.test': [{ priority: 1, exchange: 'bad-test.mail.protection.outlook.com' }] } };
    const r = await discoverMailSettings('a@bad.test', opts);
    expect(r.found).toMatchObject({ source: 'mx', auth: 'oauth2-microsoft' });
    expect(r.tried[0]).toEqual({
      source: 'autoconfig',
      reason: 'autoconfig.bad.test: malformed XML: </emailProvider> does not close <incomingServer>; bad.test/.well-known: not an autoconfig document (root <html>)',
    });
  });

  it('refuses a hostile document: entities are never expanded, size is capped, plain-text servers are not chosen', async () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE clientConfig [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<clientConfig><emailProvider><incomingServer type="imap"><hostname>&lol2;&xxe;</hostname><port>993</port><socketType>SSL</socketType></incomingServer></emailProvider></clientConfig>`;
    web.routes.set(`/autoconfig.evil.test${ACPATH}`, { body: laughs });
    web.routes.set(`/evil.test${WELLKNOWN}`, { body: configXml({ imapHost: 'imap.evil.test', name: 'x'.repeat(120_000) }) });
    const r = await discoverMailSettings('a@evil.test', opts);
    expect(r.found).toBeNull();
    expect(r.tried[0]!.reason).toBe(
      'autoconfig.evil.test: malformed XML: the document declares a DOCTYPE (refused: entities are never expanded); evil.test/.well-known: the document is larger than 100 KB',
    );
    web.routes.set(`/autoconfig.evil.test${ACPATH}`, { body: configXml({ imapHost: 'imap.evil.test', imapPort: 143, imapSocket: 'plain' }) });
    web.routes.set(`/evil.test${WELLKNOWN}`, { body: configXml({ imapHost: 'imap.evil.test', username: '&undeclared;' }) });
    const p = await discoverMailSettings('a@evil.test', opts);
    expect(p.tried[0]!.reason).toBe(
      'autoconfig.evil.test: no IMAP server with TLS or STARTTLS in the document; evil.test/.well-known: malformed XML: an undeclared entity &undeclared; (entities are not expanded)',
    );
  });

  it('refuses an address without a usable domain', async () => {
    await expect(discoverMailSettings('nobody', opts)).rejects.toBeInstanceOf(AppError);
    await expect(discoverMailSettings('a@b_c.test', opts)).rejects.toThrow(/not an email address/);
  });

  it('reads its test-only options from the environment', () => {
    expect(discoverOptionsFromEnv({ CANARY_DISCOVER_DNS: '127.0.0.1:5300, 127.0.0.1:5301', CANARY_DISCOVER_HTTP_BASE: 'http://127.0.0.1:9', CANARY_DISCOVER_TIMEOUT_MS: '800' })).toEqual({
      dnsServers: ['127.0.0.1:5300', '127.0.0.1:5301'],
      httpBase: 'http://127.0.0.1:9',
      stepTimeoutMs: 800,
    });
    expect(discoverOptionsFromEnv({})).toEqual({});
  });
});
