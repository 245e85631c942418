// Parsing of IP addresses and CIDR ranges shared by the trusted-proxy list and per-route IP rules.
import { type BlockList, isIP } from 'node:net';

/** An address in canonical text form with its family, as `BlockList.check` wants it. */
export interface ParsedIp {
  address: string;
  family: 'ipv4' | 'ipv6';
}

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * `address` as a plain IP, or undefined when it is not one. IPv4-mapped IPv6 (`::ffff:1.2.3.4`,
 * what a dual-stack socket reports for IPv4 peers) becomes IPv4 so logs, limits and rules see one
 * form; an IPv6 zone (`fe80::1%eth0`) is dropped because rules cannot name it.
 */
export function parseIp(address: string): ParsedIp | undefined {
  let text = address.trim();
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  const family = isIP(text);
  if (family === 4) return { address: text, family: 'ipv4' };
  if (family !== 6) return undefined;
  const mapped = MAPPED_V4.exec(text);
  if (mapped?.[1] !== undefined && isIP(mapped[1]) === 4) return { address: mapped[1], family: 'ipv4' };
  return { address: text.toLowerCase(), family: 'ipv6' };
}

/** `address` normalised as `parseIp` does, or undefined. */
export function normaliseIp(address: string): string | undefined {
  return parseIp(address)?.address;
}

/**
 * Add one `addr/prefix` or bare address to `list`; throws an Error naming `what` and the entry
 * when it is neither (a bad CIDR in config must stop the start, not silently match nothing).
 */
export function addCidr(list: BlockList, entry: string, what: string): void {
  const text = entry.trim();
  const slash = text.indexOf('/');
  const ip = parseIp(slash === -1 ? text : text.slice(0, slash));
  if (ip === undefined || text.includes('%')) {
    throw new Error(
      `${what}: "${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8, 2001:db8::/32)`,
    );
  }
  if (slash === -1) {
    list.addAddress(ip.address, ip.family);
    return;
  }
  const prefixText = text.slice(slash + 1);
  const max = ip.family === 'ipv4' ? 32 : 128;
  // No leading zeros: `/08` is more likely a typo than a prefix of 8.
  const prefix = /^(0|[1-9]\d{0,2})$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!(prefix >= 0 && prefix <= max)) {
    throw new Error(
      `${what}: "${entry}" has a bad prefix length (0-${max} for ${ip.family === 'ipv4' ? 'IPv4' : 'IPv6'})`,
    );
  }
  // `::ffff:10.0.0.0/104` was normalised to IPv4 above; its prefix counts IPv6 bits.
  const mappedShift = ip.family === 'ipv4' && isIP(text.slice(0, slash)) === 6 ? 96 : 0;
  if (mappedShift > 0 && prefix < mappedShift) {
    throw new Error(`${what}: "${entry}" is an IPv4-mapped range shorter than /96`);
  }
  list.addSubnet(ip.address, prefix - mappedShift, ip.family);
}

/** Whether `list` contains `ip` (already parsed). */
export function listHas(list: BlockList, ip: ParsedIp): boolean {
  return list.check(ip.address, ip.family);
}
