// A TCP proxy between a client (imapflow) and a server (Dovecot) that pulls the connection: each
// connection gets a byte budget when it opens, and once the server has sent that many bytes
// through it (the last chunk cut at the exact byte), both sockets are destroyed, as when a cable
// is pulled or a NAT forgets the connection mid-response. For fault tests of the sync.
import net from 'node:net';

export interface CutProxy {
  readonly host: string;
  readonly port: number;
  /** Connections pulled so far. */
  readonly cuts: number;
  /** Connections opened so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * Start a proxy to `target`. `budget()` is asked once per new connection: the bytes the server may
 * send through it before it is pulled, or null to leave it alone. After `maxCuts` pulls no
 * connection is pulled any more, also those opened before with a budget (a fetch worker keeps
 * its connection between passes).
 */
export async function startCutProxy(target: { host: string; port: number }, budget: () => number | null, maxCuts = Infinity): Promise<CutProxy> {
  let cuts = 0;
  let connections = 0;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    connections++;
    const limit = budget();
    const upstream = net.connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    let sent = 0;
    let pulled = false;
    upstream.on('data', (chunk: Buffer) => {
      if (pulled) return;
      if (limit !== null && cuts < maxCuts && sent + chunk.length >= limit) {
        // Pull: nothing more goes either way; the bytes up to the budget reach the client first.
        pulled = true;
        cuts++;
        upstream.destroy();
        const part = chunk.subarray(0, Math.max(0, limit - sent));
        sent += part.length;
        // Half the pulls close (FIN), half reset (RST) the client's side.
        const close = () => (limit % 2 ? client.resetAndDestroy() : client.destroy());
        if (part.length) client.write(part, close);
        else close();
        return;
      }
      sent += chunk.length;
      client.write(chunk);
    });
    client.on('data', (chunk: Buffer) => {
      if (!pulled) upstream.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    get cuts() {
      return cuts;
    },
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
