// A local stand-in for the web during discovery tests: one HTTP server on 127.0.0.1 that answers for
// every host under /HOST/PATH (what discover's httpBase maps https://HOST/PATH to), from a table of
// routes; a route may hang (never answer) to test timeouts.
import http from 'node:http';

export type Route = { status?: number; body?: string; location?: string; hang?: boolean };

export interface AutoconfigServer {
  base: string;
  routes: Map<string, Route>;
  /** Every request's path with its query, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startAutoconfigServer(routes: Record<string, Route> = {}): Promise<AutoconfigServer> {
  const table = new Map(Object.entries(routes));
  const requests: string[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const route = table.get((req.url ?? '').replace(/\?.*$/, ''));
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    if (route.hang) {
      hanging.add(res);
      return;
    }
    res.writeHead(route.status ?? 200, { 'content-type': 'application/xml', ...(route.location ? { location: route.location } : {}) }).end(route.body ?? '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    base: `http://127.0.0.1:${port}`,
    routes: table,
    requests,
    close: () =>
      new Promise<void>((r) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A Thunderbird config-v1.1 document for these servers. */
export function configXml(o: { imapHost: string; imapPort?: number; imapSocket?: string; smtpHost?: string; smtpPort?: number; smtpSocket?: string; username?: string; name?: string }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example">
    <domain>example.com</domain>
    <displayName>${o.name ?? 'Example Mail'}</displayName>
    <!-- a POP3 server first, to be passed over -->
    <incomingServer type="pop3">
      <hostname>pop.example.com</hostname><port>995</port><socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication>
    </incomingServer>
    <incomingServer type="imap">
      <hostname>${o.imapHost}</hostname>
      <port>${o.imapPort ?? 993}</port>
      <socketType>${o.imapSocket ?? 'SSL'}</socketType>
      <username>${o.username ?? '%EMAILADDRESS%'}</username>
      <authentication>password-cleartext</authentication>
    </incomingServer>
    ${
      o.smtpHost
        ? `<outgoingServer type="smtp">
      <hostname>${o.smtpHost}</hostname>
      <port>${o.smtpPort ?? 465}</port>
      <socketType>${o.smtpSocket ?? 'SSL'}</socketType>
      <username>${o.username ?? '%EMAILADDRESS%'}</username>
      <authentication>password-cleartext</authentication>
    </outgoingServer>`
        : ''
    }
  </emailProvider>
</clientConfig>`;
}
