import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from './createCore';
import { tempDir } from './testing/tmp';
import { accountEndpoints, NetworkMonitor } from './network';

const t = tempDir('canary-network-');
afterAll(() => t.cleanup());

function listen(): Promise<net.Server & { port: number }> {
  return new Promise((resolve) => {
    const srv = net.createServer((s) => s.destroy());
    srv.listen(0, '127.0.0.1', () => resolve(Object.assign(srv, { port: (srv.address() as net.AddressInfo).port })));
  });
}

describe('network check (offline indicator)', () => {
  it('is unknown without accounts, online while a server answers, offline with the reason when none does', async () => {
    const core = createCore({ dataDir: t.dir });
    const events: string[] = [];
    core.events.subscribe((e) => events.push(e.name));
    try {
      expect((await core.call('network.status', {})).state).toBe('unknown');

      const imap = await listen();
      const insert = core.db.prepare('INSERT INTO accounts (channel, name, config, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)');
      insert.run('email', 'Support', JSON.stringify({ imap: { host: '127.0.0.1', port: imap.port, tls: 'off' }, smtp: { host: '127.0.0.1', port: imap.port, tls: 'off' } }), 1);
      insert.run('email', 'Old', JSON.stringify({ imap: { host: 'never.invalid', port: 993, tls: 'on' }, smtp: null }), 0); // disabled: not checked
      insert.run('x', 'Shop', JSON.stringify({ apiBase: 'http://127.0.0.1:1' }), 1);
      expect(accountEndpoints(core.ctx).map((e) => `${e.label} ${e.host}:${e.port}`)).toEqual([`IMAP Support 127.0.0.1:${imap.port}`, 'X Shop 127.0.0.1:1']);

      const on = await core.call('network.status', { refresh: true });
      expect(on.state).toBe('online');
      expect(on.endpoints.find((e) => e.label === 'IMAP Support')).toMatchObject({ ok: true, error: null });
      expect(on.endpoints.find((e) => e.label === 'X Shop')).toMatchObject({ ok: false, error: 'connection refused', ms: null });
      expect(events.filter((n) => n === 'network.changed')).toHaveLength(1);

      // The cached answer without refresh; the same state again emits nothing.
      expect((await core.call('network.status', {})).checkedAt).toBe(on.checkedAt);
      await core.call('network.status', { refresh: true });
      expect(events.filter((n) => n === 'network.changed')).toHaveLength(1);

      await new Promise<void>((r) => imap.close(() => r()));
      const off = await core.call('network.status', { refresh: true });
      expect(off.state).toBe('offline');
      expect(off.endpoints.every((e) => !e.ok && e.error === 'connection refused')).toBe(true);
      expect(events.filter((n) => n === 'network.changed')).toHaveLength(2);
    } finally {
      core.dispose();
    }
  });

  it('names a host that does not resolve or answer, and shares a check already running', async () => {
    const core = createCore({ dataDir: t.dir + '-2' });
    try {
      core.db
        .prepare("INSERT INTO accounts (channel, name, config, created_at, updated_at) VALUES ('email', 'Gone', ?, 0, 0)")
        .run(JSON.stringify({ imap: { host: 'mail.canary-test.invalid', port: 993, tls: 'on' }, smtp: null }));
      const m = new NetworkMonitor(core.ctx, { timeoutMs: 1500 });
      const [a, b] = [m.check(), m.check()];
      expect(a).toBe(b);
      const r = await a;
      expect(r.state).toBe('offline');
      expect(r.endpoints[0]!.error).toMatch(/host not found|timed out/);
    } finally {
      core.dispose();
    }
  });
});
