// canary accounts discover and the --address fill-in of accounts add imap, with the core's discovery
// pointed at a local DNS stub and a local HTTP server through its test-only environment.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../testing';
import { startDnsStub, type DnsStub } from '../../core/testing/dnsStub';
import { configXml, startAutoconfigServer, type AutoconfigServer } from '../../core/testing/autoconfigServer';
import { tempDir } from '../../core/testing/tmp';

describe('canary accounts discover', () => {
  let dns: DnsStub;
  let web: AutoconfigServer;
  const cleanups: (() => void)[] = [];
  beforeAll(async () => {
    dns = await startDnsStub({
      mx: { 'bakery.test': [{ priority: 1, exchange: 'aspmx.l.google.com' }], 'own.test': [{ priority: 1, exchange: 'mx.own.test' }] },
      srv: {
        '_imaps._tcp.firm.test': [{ priority: 0, weight: 0, port: 993, target: 'mail.firm.test' }],
        '_submissions._tcp.firm.test': [{ priority: 0, weight: 0, port: 465, target: 'mail.firm.test' }],
      },
    });
    web = await startAutoconfigServer({ '/autoconfig.shop.test/mail/config-v1.1.xml': { body: configXml({ imapHost: 'imap.shop.test', smtpHost: 'smtp.shop.test', username: '%EMAILLOCALPART%' }) } });
    process.env.CANARY_DISCOVER_DNS = dns.server;
    process.env.CANARY_DISCOVER_HTTP_BASE = web.base;
    process.env.CANARY_DISCOVER_TIMEOUT_MS = '1500';
  });
  afterAll(async () => {
    delete process.env.CANARY_DISCOVER_DNS;
    delete process.env.CANARY_DISCOVER_HTTP_BASE;
    delete process.env.CANARY_DISCOVER_TIMEOUT_MS;
    delete process.env.CANARY_TEST_DISCOVER_PASSWORD;
    await dns?.close();
    await web?.close();
  });
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });
  const db = () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    return path.join(t.dir, 'c.db');
  };

  it('prints what it found, from where, as text and as JSON', async () => {
    const file = db();
    const j = await cli(['--db', file, 'accounts', 'discover', 'max@bakery.test', '--json']);
    expect(j.code, j.err.join('\n')).toBe(0);
    expect(j.out).toHaveLength(1);
    expect(JSON.parse(j.out[0]!)).toEqual({
      address: 'max@bakery.test',
      imap: { host: 'imap.gmail.com', port: 993, tls: 'on' },
      smtp: { host: 'smtp.gmail.com', port: 465, tls: 'on' },
      auth: 'oauth2-google',
      source: 'mx',
      user: 'max@bakery.test',
      smtpUser: null,
      from: 'MX aspmx.l.google.com',
      provider: 'Google (Gmail, Google Workspace)',
      note: null,
      tried: [
        { source: 'autoconfig', reason: 'autoconfig.bakery.test: HTTP 404; bakery.test/.well-known: HTTP 404' },
        { source: 'srv', reason: 'no _imaps._tcp.bakery.test or _imap._tcp.bakery.test record' },
      ],
    });
    const t = await cli(['--db', file, 'accounts', 'discover', 'ann@shop.test']);
    expect(t.code, t.err.join('\n')).toBe(0);
    expect(t.out.join('\n')).toBe(
      [
        'ann@shop.test: found by autoconfig (https://autoconfig.shop.test/mail/config-v1.1.xml): Example Mail',
        '  IMAP     imap.shop.test:993 (TLS)',
        '  SMTP     smtp.shop.test:465 (TLS)',
        '  user     ann',
        '  sign-in  password',
      ].join('\n'),
    );
    const g = await cli(['--db', file, 'accounts', 'discover', 'a@gmail.com', '--json']);
    expect(JSON.parse(g.out[0]!)).toMatchObject({ source: 'preset', auth: 'oauth2-google', tried: [] });
  });

  it('fails with the reasons when nothing is found, and refuses what is not an address', async () => {
    const file = db();
    const r = await cli(['--db', file, 'accounts', 'discover', 'x@own.test']);
    expect(r.code).not.toBe(0);
    expect(r.out).toEqual([]);
    expect(r.err.join('\n')).toMatch(
      /no settings found for x@own\.test: autoconfig: autoconfig\.own\.test: HTTP 404; own\.test\/\.well-known: HTTP 404; srv: no _imaps\._tcp\.own\.test or _imap\._tcp\.own\.test record; mx: MX mx\.own\.test is not a provider Canary knows/,
    );
    const bad = await cli(['--db', file, 'accounts', 'discover', 'not-an-address']);
    expect(bad.code).not.toBe(0);
    expect(bad.err.join('\n')).toMatch(/not an email address/);
  });

  it('accounts add imap --address fills the servers and login it is not given', async () => {
    const file = db();
    process.env.CANARY_TEST_DISCOVER_PASSWORD = 'pw';
    const add = await cli(['--db', file, 'accounts', 'add', 'imap', '--name', 'Firm', '--address', 'bo@firm.test', '--password-env', 'CANARY_TEST_DISCOVER_PASSWORD', '--no-check']);
    expect(add.code, add.err.join('\n')).toBe(0);
    expect(add.err.join('\n')).toMatch(/settings for bo@firm\.test found by srv \(SRV _imaps\._tcp\.firm\.test, _submissions\._tcp\.firm\.test\)/);
    // Flags given win over what is found: here the login and the IMAP port.
    const add2 = await cli([
      '--db',
      file,
      'accounts',
      'add',
      'imap',
      '--name',
      'Shop',
      '--address',
      'ann@shop.test',
      '--user',
      'ann.login',
      '--port',
      '1993',
      '--password-env',
      'CANARY_TEST_DISCOVER_PASSWORD',
      '--no-check',
    ]);
    expect(add2.code, add2.err.join('\n')).toBe(0);
    const list = (await cli(['--db', file, 'accounts', 'list', '--json'])).out.map((l) => JSON.parse(l) as { name: string; user: string; imap: unknown; smtp: unknown });
    expect(list.map(({ name, user, imap, smtp }) => ({ name, user, imap, smtp }))).toEqual([
      { name: 'Firm', user: 'bo@firm.test', imap: { host: 'mail.firm.test', port: 993, tls: 'on' }, smtp: { host: 'mail.firm.test', port: 465, tls: 'on' } },
      { name: 'Shop', user: 'ann.login', imap: { host: 'imap.shop.test', port: 1993, tls: 'on' }, smtp: { host: 'smtp.shop.test', port: 465, tls: 'on' } },
    ]);
    // Nothing found and no --host: refused, nothing stored.
    const none = await cli(['--db', file, 'accounts', 'add', 'imap', '--name', 'Own', '--address', 'x@own.test', '--user', 'x', '--password-env', 'CANARY_TEST_DISCOVER_PASSWORD', '--no-check']);
    expect(none.code).not.toBe(0);
    expect(none.err.join('\n')).toMatch(/needs --host: no settings found for x@own\.test/);
    expect((await cli(['--db', file, 'accounts', 'list', '--json'])).out).toHaveLength(2);
  });
});
