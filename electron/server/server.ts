// The browser host: the core in plain Node, the built renderer over HTTP, RPC over one WebSocket.
// Safety: loopback only unless asked, a random per-launch token checked on upgrade, an Origin
// check (only the page we served may connect), a Host check against DNS rebinding, a strict CSP.
import crypto from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Core } from '../core/createCore';
import type { RpcEvent, RpcResponse } from '../../shared/rpc/protocol';
import { APP_CSP_HEADER } from '../../shared/security/csp';
import { serveStatic } from './static';

export const RPC_PATH = '/rpc';
/**
 * Largest request frame a client may send (only after the token check): a reply with its files
 * (25 MB of attachments as base64, shared/contract/compose.ts) and its text; the contract caps each field.
 */
export const MAX_REQUEST_BYTES = 40 * 1024 * 1024;

export interface ServeOptions {
  core: Core;
  /** Folder with the built renderer (index.html and assets/). */
  staticDir: string;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Allow binding to a non-loopback address. */
  allowRemote?: boolean;
  /** Fixed token (tests); random per launch otherwise. */
  token?: string;
  log?: (line: string) => void;
}

export interface RunningServer {
  host: string;
  port: number;
  origin: string;
  token: string;
  /** The URL to open in a browser, token included. */
  url: string;
  clientCount(): number;
  close(): Promise<void>;
}

export class ServeError extends Error {}

/** True for 127.0.0.0/8, ::1, ::ffff:127.x and "localhost". */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || /^::ffff:127\./.test(h) || /^0*:0*:0*:0*:0*:0*:0*:0*1$/.test(h);
  return false;
}

/** A text frame's payload as a string (ws hands it over as a Buffer, a list of Buffers or an ArrayBuffer). */
export function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

function refuse(socket: Duplex, status: number, reason: string): void {
  // end() rather than destroy(): the refusal is flushed before the FIN, so the client always reads
  // the status instead of a reset; a client that keeps the socket open is cut off after a second.
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length}\r\n\r\n${reason}`);
  setTimeout(() => socket.destroy(), 1000).unref();
}

function hostForUrl(host: string): string {
  return net.isIPv6(host) ? `[${host}]` : host;
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? (() => {});
  if (!isLoopbackHost(host) && !opts.allowRemote) {
    throw new ServeError(`Refusing to listen on ${host}: it is reachable from other machines. Use 127.0.0.1, or pass --allow-remote if you really mean it.`);
  }
  const token = opts.token ?? crypto.randomBytes(24).toString('base64url');
  let port = 0;
  /** Host headers we answer to: the loopback names for our port, or anything when remote access was allowed. */
  const hostAllowed = (h: string | undefined): boolean => {
    if (!h) return false;
    if (opts.allowRemote) return true;
    return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${hostForUrl(host)}:${port}`].includes(h.toLowerCase());
  };

  const server = http.createServer((req, res) => {
    const headers = {
      // The app's one policy (shared/security/csp.ts): the same text as the page's <meta> and Electron's header.
      'Content-Security-Policy': APP_CSP_HEADER,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
    };
    if (!hostAllowed(req.headers.host)) {
      res.writeHead(421, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Misdirected request\n');
      return;
    }
    serveStatic(opts.staticDir, req, res, headers);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== RPC_PATH) return refuse(socket, 404, 'Not Found');
    if (!hostAllowed(req.headers.host)) return refuse(socket, 421, 'Misdirected Request');
    const origin = req.headers.origin;
    if (!origin || origin !== `http://${req.headers.host}`) {
      log(`refused a WebSocket from origin ${origin ?? '(none)'}`);
      return refuse(socket, 403, 'Forbidden');
    }
    const given = url.searchParams.get('token') ?? '';
    if (!safeEqual(given, token)) {
      log('refused a WebSocket with a wrong token');
      return refuse(socket, 401, 'Unauthorized');
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', (data, isBinary) => {
      void handleFrame(ws, isBinary ? null : frameText(data));
    });
    ws.on('error', () => ws.terminate());
  });

  async function handleFrame(ws: WebSocket, text: string | null): Promise<void> {
    let msg: unknown;
    try {
      msg = text === null ? null : JSON.parse(text);
    } catch {
      msg = null;
    }
    const m = msg as { t?: unknown; id?: unknown; method?: unknown; args?: unknown } | null;
    if (!m || typeof m !== 'object' || m.t !== 'req' || typeof m.id !== 'number' || !Number.isSafeInteger(m.id)) {
      const res: RpcResponse = { t: 'res', id: 0, ok: false, error: { code: 'invalid_args', message: 'Malformed request frame' } };
      send(ws, res);
      return;
    }
    const res = await opts.core.handle({ id: m.id, method: m.method, args: m.args }, { transport: 'ws' });
    send(ws, res);
  }

  function send(ws: WebSocket, msg: RpcResponse | RpcEvent): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  }

  const unsubscribe = opts.core.events.subscribe((evt) => {
    const frame = JSON.stringify(evt);
    for (const ws of wss.clients) if (ws.readyState === ws.OPEN) ws.send(frame);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as net.AddressInfo).port;
  // A wildcard bind is opened through loopback on this machine.
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const origin = `http://${hostForUrl(shownHost)}:${port}`;
  let closed = false;
  return {
    host,
    port,
    origin,
    token,
    url: `${origin}/?token=${token}`,
    clientCount: () => wss.clients.size,
    close: async () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
