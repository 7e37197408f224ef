// A minimal DNS server on 127.0.0.1 (UDP) for tests: answers A, MX and SRV questions from a table,
// NXDOMAIN for names it does not know, an empty answer for a known name without that type, and
// nothing at all for the names listed as silent (to test timeouts). Enough for node:dns's Resolver
// (c-ares) pointed at it with setServers(['127.0.0.1:PORT']); no compression beyond the question
// pointer, no TCP, no EDNS in the answers.
import dgram from 'node:dgram';

export interface DnsTable {
  a?: Record<string, string[]>;
  mx?: Record<string, { priority: number; exchange: string }[]>;
  srv?: Record<string, { priority: number; weight: number; port: number; target: string }[]>;
  /** Names whose questions get no answer at all. */
  silent?: string[];
}

export interface DnsStub {
  /** "127.0.0.1:PORT", for Resolver.setServers or CANARY_DISCOVER_DNS. */
  server: string;
  /** The table, changeable between questions. */
  table: DnsTable;
  /** Every question received: name (lower case) and type (A, MX, SRV or the number). */
  queries: { name: string; type: string }[];
  close(): Promise<void>;
}

const TYPES: Record<number, string> = { 1: 'A', 15: 'MX', 33: 'SRV' };

function readName(buf: Buffer, off: number): { name: string; end: number } {
  const labels: string[] = [];
  let i = off;
  for (;;) {
    const len = buf[i];
    if (len === undefined) throw new Error('truncated name');
    if (len === 0) return { name: labels.join('.'), end: i + 1 };
    if (len >= 0xc0) throw new Error('compressed question name');
    labels.push(buf.toString('latin1', i + 1, i + 1 + len));
    i += 1 + len;
  }
}

function writeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').filter(Boolean);
  const out: Buffer[] = parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'latin1')]));
  return Buffer.concat([...out, Buffer.from([0])]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function answers(table: DnsTable, name: string, type: number): Buffer[] | null {
  const lookup = <T>(m: Record<string, T[]> | undefined): T[] | undefined => (m ? Object.entries(m).find(([k]) => k.toLowerCase() === name)?.[1] : undefined);
  const a = lookup(table.a);
  const mx = lookup(table.mx);
  const srv = lookup(table.srv);
  if (!a && !mx && !srv) return null;
  const rr = (t: number, rdata: Buffer) => Buffer.concat([u16(0xc00c), u16(t), u16(1), Buffer.from([0, 0, 0, 60]), u16(rdata.length), rdata]);
  if (type === 1) return (a ?? []).map((ip) => rr(1, Buffer.from(ip.split('.').map(Number))));
  if (type === 15) return (mx ?? []).map((m) => rr(15, Buffer.concat([u16(m.priority), writeName(m.exchange)])));
  if (type === 33) return (srv ?? []).map((s) => rr(33, Buffer.concat([u16(s.priority), u16(s.weight), u16(s.port), writeName(s.target)])));
  return [];
}

export async function startDnsStub(table: DnsTable): Promise<DnsStub> {
  const sock = dgram.createSocket('udp4');
  const stub: DnsStub = { server: '', table, queries: [], close: () => new Promise((r) => sock.close(() => r())) };
  sock.on('message', (msg, rinfo) => {
    try {
      if (msg.length < 12 || msg.readUInt16BE(4) < 1) return;
      const { name: raw, end } = readName(msg, 12);
      const name = raw.toLowerCase();
      const type = msg.readUInt16BE(end);
      stub.queries.push({ name, type: TYPES[type] ?? String(type) });
      if (stub.table.silent?.some((s) => s.toLowerCase() === name)) return;
      const rrs = answers(stub.table, name, type);
      const rd = msg.readUInt16BE(2) & 0x0100;
      const flags = 0x8000 | 0x0400 | rd | 0x0080 | (rrs === null ? 3 : 0); // QR, AA, RD copied, RA, NXDOMAIN or NOERROR
      const header = Buffer.concat([msg.subarray(0, 2), u16(flags), u16(1), u16(rrs?.length ?? 0), u16(0), u16(0)]);
      sock.send(Buffer.concat([header, msg.subarray(12, end + 4), ...(rrs ?? [])]), rinfo.port, rinfo.address);
    } catch {
      // a question this stub cannot read: no answer, as a lossy network would do
    }
  });
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, '127.0.0.1', () => resolve());
  });
  stub.server = `127.0.0.1:${sock.address().port}`;
  return stub;
}
