// Who the client is when the gateway sits behind load balancers: X-Forwarded-For is believed only
// as far as the chain of hops we trust, so a client cannot pick its own IP (and so its rate-limit
// bucket, IP rules or X-Client-IP) by sending the header itself.
import { BlockList } from 'node:net';
import { addCidr, listHas, type ParsedIp, parseIp } from './ip-address.ts';

/** Hops walked at most; a longer header is an attack or a loop, and the rest is not trusted. */
const MAX_HOPS = 32;

/**
 * The trusted-proxy list from `TRUSTED_PROXIES` (`"127.0.0.1/32,10.0.0.0/8,::1/128"`; commas or
 * whitespace separate; a bare address means that one host). Empty → trust nobody (the socket peer
 * is the client). Throws an Error naming the bad entry.
 */
export function parseTrustedProxies(cidrs: string): BlockList {
  const list = new BlockList();
  for (const entry of cidrs.split(/[\s,]+/)) {
    if (entry !== '') addCidr(list, entry, 'TRUSTED_PROXIES');
  }
  return list;
}

/** Whether the socket peer is a trusted proxy (false when the socket is gone). */
export function isTrustedPeer(remoteAddress: string | undefined, trusted: BlockList): boolean {
  const ip = remoteAddress === undefined ? undefined : parseIp(remoteAddress);
  return ip !== undefined && listHas(trusted, ip);
}

/**
 * The client's IP: start at the socket peer and walk X-Forwarded-For right to left while the
 * current hop is a trusted proxy; the first untrusted address is the client. When every hop is
 * trusted, the leftmost one is. A garbage entry (not an IP; `ip:port` and `[v6]:port` are
 * understood) stops the walk at the trusted hop that wrote it, since nothing it relayed can be
 * believed. Addresses come back normalised (`::ffff:1.2.3.4` → `1.2.3.4`). An empty string only
 * when the socket is already gone (no remote address).
 */
export function clientIpOf(
  remoteAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trusted: BlockList,
): string {
  if (remoteAddress === undefined) return '';
  const ip = parseIp(remoteAddress);
  if (ip === undefined) return remoteAddress;
  return clientIpBehind({ ip, trusted: listHas(trusted, ip) }, forwardedFor, trusted);
}

/** A connection's peer, parsed and checked against the trusted proxies once per socket. */
export interface Peer {
  ip: ParsedIp;
  /** Whether the peer is a trusted proxy (so its X-Forwarded-* are believed). */
  trusted: boolean;
}

const peers = new WeakMap<object, { list: BlockList; peer: Peer | undefined }>();

/**
 * The socket's peer (undefined when it has no address, or not an IP), remembered on the socket:
 * every request of a kept-alive connection has the same one, so it is parsed and looked up in
 * the trusted list once per connection rather than twice per request.
 */
export function peerOf(socket: { remoteAddress?: string | undefined }, trusted: BlockList): Peer | undefined {
  const known = peers.get(socket);
  if (known !== undefined && known.list === trusted) return known.peer;
  const remote = socket.remoteAddress;
  // A socket that lost its address (already closed) is not remembered: it has no next request.
  if (remote === undefined) return undefined;
  const ip = parseIp(remote);
  const peer = ip === undefined ? undefined : { ip, trusted: listHas(trusted, ip) };
  peers.set(socket, { list: trusted, peer });
  return peer;
}

/** clientIpOf for a peer from peerOf. */
export function clientIpBehind(
  peer: Peer,
  forwardedFor: string | string[] | undefined,
  trusted: BlockList,
): string {
  let current = peer.ip;
  if (forwardedFor === undefined || !peer.trusted) return current.address;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
  const stop = Math.max(0, hops.length - MAX_HOPS);
  for (let i = hops.length - 1; i >= stop; i--) {
    const hop = parseIp(stripPort(hops[i] ?? ''));
    if (hop === undefined) return current.address;
    current = hop;
    if (!listHas(trusted, current)) return current.address;
  }
  return current.address;
}

/**
 * The scheme the client used: `X-Forwarded-Proto` only from a trusted peer (its last value, the
 * one the nearest proxy wrote), otherwise whether our own socket is TLS. Values other than
 * http/https are ignored.
 */
export function forwardedProtoOf(
  socketEncrypted: boolean,
  header: string | string[] | undefined,
  remoteTrusted: boolean,
): 'http' | 'https' {
  const own = socketEncrypted ? 'https' : 'http';
  if (!remoteTrusted || header === undefined) return own;
  const joined = Array.isArray(header) ? header.join(',') : header;
  const last = joined
    .slice(joined.lastIndexOf(',') + 1)
    .trim()
    .toLowerCase();
  return last === 'https' || last === 'http' ? last : own;
}

/** `1.2.3.4:80` → `1.2.3.4`, `[::1]:80` → `::1`, `[::1]` → `::1`; anything else as is. */
function stripPort(hop: string): string {
  const text = hop.trim();
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    const rest = text.slice(end + 1);
    return end !== -1 && (rest === '' || /^:\d{1,5}$/.test(rest)) ? text.slice(1, end) : text;
  }
  const colon = text.indexOf(':');
  if (colon !== -1 && colon === text.lastIndexOf(':') && /^\d{1,5}$/.test(text.slice(colon + 1))) {
    return text.slice(0, colon);
  }
  return text;
}
