// A minimal authoritative DNS server over UDP answering A queries from a table, so
// DnsDiscovery is tested against a real resolver round trip, not a stubbed function.
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

export interface TestDnsServer {
  /** `127.0.0.1:port`, for Resolver.setServers. */
  address: string;
  records: Map<string, string[]>;
  queries: string[];
  close(): Promise<void>;
}

export async function startDnsServer(records: Record<string, string[]>): Promise<TestDnsServer> {
  const socket = createSocket('udp4');
  const server: TestDnsServer = {
    address: '',
    records: new Map(Object.entries(records)),
    queries: [],
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
  socket.on('message', (query, remote) => {
    const { name, end } = readName(query, 12);
    const type = query.readUInt16BE(end);
    server.queries.push(name);
    const ips = type === 1 ? server.records.get(name.toLowerCase()) : undefined;
    const answers = (ips ?? []).map((ip) =>
      Buffer.concat([
        Buffer.from([0xc0, 0x0c]), // pointer to the question's name
        u16(1), // type A
        u16(1), // class IN
        Buffer.from([0, 0, 0, 5]), // TTL 5 s
        u16(4),
        Buffer.from(ip.split('.').map(Number)),
      ]),
    );
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2); // id
    // QR=1, AA=1, RD copied, RA=1; RCODE 3 (NXDOMAIN) when the name is unknown.
    header.writeUInt16BE(
      0x8480 | (query.readUInt16BE(2) & 0x0100) | (server.records.has(name.toLowerCase()) ? 0 : 3),
      2,
    );
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    socket.send(
      Buffer.concat([header, query.subarray(12, end + 4), ...answers]),
      remote.port,
      remote.address,
    );
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  server.address = `127.0.0.1:${(socket.address() as AddressInfo).port}`;
  return server;
}

function readName(packet: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  for (let length = packet[at] ?? 0; length > 0; length = packet[at] ?? 0) {
    labels.push(packet.toString('ascii', at + 1, at + 1 + length));
    at += length + 1;
  }
  return { name: labels.join('.'), end: at + 1 };
}

function u16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(value);
  return buffer;
}
