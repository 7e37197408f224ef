import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../core/createCore';
import { tempDir } from '../core/testing/tmp';
import type { RpcEvent, RpcResponse } from '../../shared/rpc/protocol';
import { APP_CSP_HEADER } from '../../shared/security/csp';
import { ensureEmailIdentity } from '../core/db/repos/customers';
import { ensureConversation, refreshConversation } from '../core/db/repos/conversations';
import { insertMessage } from '../core/db/repos/messages';
import { frameText, isLoopbackHost, startServer, type RunningServer } from './server';
import { resolveStaticPath as resolveStaticPathForTest } from './static';

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    // http.get would normalise the path; send it raw so traversal attempts reach the server as written.
    const req = http.request({ host: u.hostname, port: u.port, path: url.slice(u.origin.length) || '/', method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Try a WebSocket; resolve with the open socket or the HTTP status it was refused with. */
function connect(url: string, origin?: string): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.on('open', () => resolve({ ws }));
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode });
      ws.terminate();
    });
    ws.on('error', () => resolve({ status: -1 }));
  });
}

function rpc(ws: WebSocket, frame: unknown): Promise<RpcResponse> {
  return new Promise((resolve) => {
    const onMsg = (data: WebSocket.RawData) => {
      const msg = JSON.parse(frameText(data)) as RpcResponse | RpcEvent;
      if (msg.t === 'res') {
        ws.off('message', onMsg);
        resolve(msg);
      }
    };
    ws.on('message', onMsg);
    ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  });
}

describe('browser host', () => {
  const tmp = tempDir('canary-serve-');
  const staticDir = path.join(tmp.dir, 'renderer');
  let core: Core;
  let server: RunningServer;
  let convId = 0;

  beforeAll(async () => {
    fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Canary</title>');
    fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(staticDir, '.hidden'), 'hidden');
    fs.writeFileSync(path.join(tmp.dir, 'secret.txt'), 'TOP SECRET');
    fs.symlinkSync(path.join(tmp.dir, 'secret.txt'), path.join(staticDir, 'assets', 'link.txt'));
    core = createCore({ dataDir: path.join(tmp.dir, 'data') });
    const ident = ensureEmailIdentity(core.db, { address: 'ann@example.com', name: 'Ann' });
    convId = ensureConversation(core.db, { channel: 'email', kind: 'email', externalId: '<t1@x>', customerId: ident.customerId });
    insertMessage(core.db, {
      conversationId: convId,
      channel: 'email',
      kind: 'email',
      externalId: '<t1@x>',
      direction: 'in',
      sentAt: 1_700_000_000_000,
      subject: 'Refund',
      text: 'Where is my refund?',
    });
    refreshConversation(core.db, convId);
    server = await startServer({ core, staticDir });
  });
  afterAll(async () => {
    await server?.close();
    core?.dispose();
    tmp.cleanup();
  });

  it('listens on loopback with a free port and prints a URL with a long random token', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the renderer with a strict CSP and safety headers', async () => {
    const r = await get(`${server.origin}/`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Canary</title>');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
    // The app's one policy, the same text as the page's <meta> (shared/security/csp.ts), plus frame-ancestors.
    expect(csp).toBe(APP_CSP_HEADER);
    expect(csp).not.toMatch(/ws:|\*/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    const js = await get(`${server.origin}/assets/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toContain('javascript');
  });

  it('never serves anything outside its folder', async () => {
    for (const p of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/.hidden',
      '/assets/link.txt',
      '/%00',
      '/%E0%A4%A',
    ]) {
      const r = await get(`${server.origin}${p}`);
      expect(r.status, p).toBeGreaterThanOrEqual(400);
      expect(r.body).not.toContain('TOP SECRET');
      expect(r.body).not.toContain('hidden');
    }
    expect((await get(`${server.origin}/assets/`)).status).toBe(404);
    expect((await get(`${server.origin}/nope.js`)).status).toBe(404);
  });

  it('answers only to its own Host name (DNS rebinding)', async () => {
    const r = await get(`${server.origin}/`, { Host: `evil.example:${server.port}` });
    expect(r.status).toBe(421);
    expect((await get(`${server.origin}/`, { Host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('refuses a WebSocket without the token, with a wrong token, or from another origin', async () => {
    const base = `ws://127.0.0.1:${server.port}/rpc`;
    expect((await connect(base, server.origin)).status).toBe(401);
    // The token with its last character changed (to another one whatever it was).
    const wrong = server.token.slice(0, -1) + (server.token.endsWith('x') ? 'y' : 'x');
    expect((await connect(`${base}?token=${wrong}`, server.origin)).status).toBe(401);
    expect((await connect(`${base}?token=${server.token}`, 'http://evil.example')).status).toBe(403);
    expect((await connect(`${base}?token=${server.token}`, `http://127.0.0.1:${server.port + 1}`)).status).toBe(403);
    expect((await connect(`${base}?token=${server.token}`)).status).toBe(403);
    expect((await connect(`ws://127.0.0.1:${server.port}/other?token=${server.token}`, server.origin)).status).toBe(404);
    expect(server.clientCount()).toBe(0);
  });

  it('runs requests through the core, which validates them, and broadcasts core events', async () => {
    const { ws } = await connect(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`, server.origin);
    expect(ws).toBeDefined();
    const info = await rpc(ws!, { t: 'req', id: 1, method: 'stats.get', args: {} });
    expect(info).toMatchObject({ t: 'res', id: 1, ok: true, value: { conversations: 1, messages: 1 } });
    const bad = await rpc(ws!, { t: 'req', id: 2, method: 'conversations.get', args: { id: 'DROP TABLE' } });
    expect(bad).toMatchObject({ id: 2, ok: false, error: { code: 'invalid_args' } });
    const unknown = await rpc(ws!, { t: 'req', id: 3, method: 'fs.read', args: {} });
    expect(unknown).toMatchObject({ id: 3, ok: false, error: { code: 'unknown_method' } });
    const junk = await rpc(ws!, 'not json{');
    expect(junk).toMatchObject({ id: 0, ok: false, error: { code: 'invalid_args' } });

    const event = new Promise<RpcEvent>((resolve) => {
      ws!.on('message', (d) => {
        const m = JSON.parse(frameText(d)) as RpcEvent | RpcResponse;
        if (m.t === 'evt') resolve(m);
      });
    });
    const done = await rpc(ws!, { t: 'req', id: 4, method: 'conversations.setStatus', args: { ids: [convId], status: 'done' } });
    expect(done).toMatchObject({ ok: true, value: { updated: 1 } });
    expect(await event).toEqual({ t: 'evt', name: 'conversations.changed', payload: { ids: [convId] } });
    expect((core.db.prepare('SELECT status FROM conversations WHERE id = ?').get(convId) as { status: string }).status).toBe('done');
    ws!.close();
  });
});

describe('loopback only', () => {
  it('knows which hosts are loopback', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', '']) expect(isLoopbackHost(h), h).toBe(false);
  });

  it('refuses to listen beyond loopback unless allowed', async () => {
    const tmp = tempDir('canary-serve-');
    const core = createCore({ dataDir: tmp.dir });
    try {
      await expect(startServer({ core, staticDir: tmp.dir, host: '0.0.0.0' })).rejects.toThrow(/Refusing to listen on 0\.0\.0\.0/);
      const s = await startServer({ core, staticDir: tmp.dir, host: '0.0.0.0', allowRemote: true });
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
      await s.close();
    } finally {
      core.dispose();
      tmp.cleanup();
    }
  });

  it('maps URL paths inside the root only', () => {
    const root = path.resolve('/srv/r');
    expect(resolveStaticPathForTest(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveStaticPathForTest(root, '/assets/a.js')).toBe(path.join(root, 'assets', 'a.js'));
    expect(resolveStaticPathForTest(root, '/../x')).toBeNull();
    expect(resolveStaticPathForTest(root, '/a/%2e%2e/%2e%2e/x')).toBeNull();
    expect(resolveStaticPathForTest(root, '/a\\..\\x')).toBeNull();
  });
});

describe('npm run serve', () => {
  const tsx = path.resolve('node_modules/.bin/tsx');
  function run(args: string[]): Promise<{ code: number | null; out: string; err: string; child: ReturnType<typeof spawn> }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'electron/server/cli.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (/\?token=\S+\n/.test(out)) resolve({ code: null, out, err, child });
      });
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (code) => resolve({ code, out, err, child }));
    });
  }

  it('prints one line with the URL and serves the database given with --db', async () => {
    expect(fs.existsSync(tsx)).toBe(true);
    const tmp = tempDir('canary-serve-cli-');
    fs.writeFileSync(path.join(tmp.dir, 'index.html'), '<!doctype html><title>Canary</title>');
    const db = path.join(tmp.dir, 'x.db');
    try {
      const r = await run(['--db', db, '--port', '0', '--static', tmp.dir]);
      expect(r.code).toBeNull();
      const m = /(http:\/\/127\.0\.0\.1:(\d+)\/\?token=[\w-]+)/.exec(r.out);
      expect(m, r.out + r.err).not.toBeNull();
      const page = await get(m![1]!);
      expect(page.status).toBe(200);
      const { ws } = await connect(`ws://127.0.0.1:${m![2]}/rpc?${new URL(m![1]!).search.slice(1)}`, `http://127.0.0.1:${m![2]}`);
      const info = await rpc(ws!, { t: 'req', id: 1, method: 'app.info', args: {} });
      expect(info).toMatchObject({ ok: true, value: { dbPath: db } });
      ws!.close();
      const exited = new Promise((res) => r.child.on('exit', res));
      r.child.kill('SIGTERM');
      await exited;
      expect(fs.existsSync(db)).toBe(true);
    } finally {
      tmp.cleanup();
    }
  });

  it('refuses a non-loopback host without --allow-remote, and bad options', async () => {
    const tmp = tempDir('canary-serve-cli-');
    try {
      const r = await run(['--db', path.join(tmp.dir, 'x.db'), '--host', '0.0.0.0', '--static', tmp.dir]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/Refusing to listen on 0\.0\.0\.0.*--allow-remote/);
      const p = await run(['--port', 'abc']);
      expect(p.code).toBe(2);
      expect(p.err).toMatch(/--port must be a number/);
    } finally {
      tmp.cleanup();
    }
  });
});
