// Which way the renderer reaches the core: Electron's preload bridge (IPC) when present,
// otherwise a WebSocket to the browser host that served this page, authenticated by the
// per-launch token from the URL.
import type { ClientTransport } from '../../../shared/rpc/client';
import type { RpcEvent, RpcRequest, RpcResponse, ServerMessage } from '../../../shared/rpc/protocol';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface Transport extends ClientTransport {
  kind: 'ipc' | 'ws';
  state(): ConnectionState;
  /** False until the first successful connection (a wrong or missing token never gets there). */
  everOpened(): boolean;
  onState(cb: (s: ConnectionState) => void): () => void;
}

const TOKEN_KEY = 'canary.token';

/** The token from ?token=… (kept for reloads in sessionStorage, then removed from the address bar). */
export function takeToken(loc: Location = window.location): string | null {
  const params = new URLSearchParams(loc.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    try {
      sessionStorage.setItem(TOKEN_KEY, fromUrl);
      params.delete('token');
      const rest = params.toString();
      history.replaceState(null, '', `${loc.pathname}${rest ? `?${rest}` : ''}${loc.hash}`);
    } catch {
      // storage may be unavailable; the token still works for this page's life
    }
    return fromUrl;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function ipcTransport(bridge: NonNullable<Window['canary']>): Transport {
  return {
    kind: 'ipc',
    invoke: (method, args) => bridge.invoke(method, args),
    onEvent: (cb) => bridge.onEvent(cb),
    state: () => 'open',
    everOpened: () => true,
    onState: () => () => {},
  };
}

/** A WebSocket transport that reconnects with backoff and fails pending calls when the socket drops. */
export function wsTransport(url: string): Transport {
  let ws: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let seq = 0;
  let retry = 0;
  let opened = false;
  const pending = new Map<number, { resolve: (r: RpcResponse) => void }>();
  const queue: string[] = [];
  const eventListeners = new Set<(e: RpcEvent) => void>();
  const stateListeners = new Set<(s: ConnectionState) => void>();

  const setState = (s: ConnectionState) => {
    if (s === state) return;
    state = s;
    for (const l of stateListeners) l(s);
  };

  const failPending = (message: string) => {
    for (const [id, p] of pending) p.resolve({ t: 'res', id, ok: false, error: { code: 'unavailable', message } });
    pending.clear();
  };

  const open = () => {
    setState('connecting');
    const sock = new WebSocket(url);
    ws = sock;
    sock.onopen = () => {
      retry = 0;
      opened = true;
      setState('open');
      for (const f of queue.splice(0)) sock.send(f);
    };
    sock.onmessage = (e: MessageEvent<string>) => {
      let msg: ServerMessage;
      try {
        msg = JSON.parse(e.data) as ServerMessage;
      } catch {
        return;
      }
      if (msg.t === 'res') {
        const p = pending.get(msg.id);
        if (p) {
          pending.delete(msg.id);
          p.resolve(msg);
        }
      } else if (msg.t === 'evt') {
        for (const l of eventListeners) l(msg);
      }
    };
    sock.onclose = () => {
      if (ws !== sock) return;
      ws = null;
      setState('closed');
      failPending('Lost the connection to Canary; reconnecting.');
      const delay = Math.min(5000, 250 * 2 ** retry++);
      setTimeout(open, delay);
    };
  };
  open();

  return {
    kind: 'ws',
    invoke(method, args) {
      const id = ++seq;
      const req: RpcRequest = { t: 'req', id, method, args };
      const frame = JSON.stringify(req);
      return new Promise<RpcResponse>((resolve) => {
        pending.set(id, { resolve });
        if (ws && ws.readyState === WebSocket.OPEN) ws.send(frame);
        else if (state === 'connecting') queue.push(frame);
        else {
          pending.delete(id);
          resolve({ t: 'res', id, ok: false, error: { code: 'unavailable', message: 'Not connected to Canary.' } });
        }
      });
    },
    onEvent(cb) {
      eventListeners.add(cb);
      return () => eventListeners.delete(cb);
    },
    state: () => state,
    everOpened: () => opened,
    onState(cb) {
      stateListeners.add(cb);
      return () => stateListeners.delete(cb);
    },
  };
}

export function chooseTransport(): Transport {
  if (window.canary) return ipcTransport(window.canary);
  const token = takeToken() ?? '';
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return wsTransport(`${proto}//${location.host}/rpc?token=${encodeURIComponent(token)}`);
}
