// What auth keeps of the device behind a sign-in: the browser family, OS family and device type
// read from the User-Agent, a fingerprint of those three, and a short label for people ("Firefox
// on Linux"); and the client's network cut to /24 (IPv4) or /48 (IPv6). Coarse on purpose: the
// raw User-Agent and the full address are never stored, and a browser update is not a new device.
// A small matcher rather than a UA library: these few families are all we need, and the usual
// parser (ua-parser-js) is AGPL from version 2 on.
import { createHash } from 'node:crypto';

export type DeviceType = 'phone' | 'tablet' | 'desktop' | 'unknown';

export interface Device {
  browser: string;
  os: string;
  type: DeviceType;
  /** SHA-256 (hex) of browser, OS and type: what "the same device" means. */
  fingerprint: string;
  /** Shown to the owner, e.g. "Firefox on Linux", "Safari on iOS (phone)". */
  label: string;
}

// First match wins: many browsers also name the ones they derive from (Edge says Chrome and
// Safari, Chrome says Safari), so the more specific come first.
const BROWSERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\b(OPR|OPT|Opera)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bYaBrowser\//, 'Yandex Browser'],
  [/\bVivaldi\//, 'Vivaldi'],
  [/\b(Firefox|FxiOS)\//, 'Firefox'],
  [/\b(Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/\bAppleWebKit\/.*\bMobile\//, 'Safari'],
  [/\bcurl\//, 'curl'],
];

const SYSTEMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bWindows\b/, 'Windows'],
  [/\b(iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\b(Macintosh|Mac OS X)\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

export const UNKNOWN_BROWSER = 'Unknown browser';
export const UNKNOWN_OS = 'unknown system';

/** The longest User-Agent read; the families are named in the first few hundred characters. */
const MAX_USER_AGENT = 512;

function firstMatch(userAgent: string, table: ReadonlyArray<readonly [RegExp, string]>): string | undefined {
  for (const [pattern, name] of table) if (pattern.test(userAgent)) return name;
  return undefined;
}

function deviceType(userAgent: string, os: string | undefined): DeviceType {
  if (/\b(iPad|Tablet)\b/.test(userAgent)) return 'tablet';
  // An Android phone says "Mobile"; an Android tablet does not.
  if (os === 'Android') return /\bMobile\b/.test(userAgent) ? 'phone' : 'tablet';
  if (/\b(iPhone|iPod|Mobile|Mobi)\b/.test(userAgent)) return 'phone';
  if (os === undefined) return 'unknown';
  return 'desktop';
}

export function describeDevice(rawUserAgent: string): Device {
  const userAgent = rawUserAgent.slice(0, MAX_USER_AGENT);
  const detectedOs = firstMatch(userAgent, SYSTEMS);
  const browser = firstMatch(userAgent, BROWSERS) ?? UNKNOWN_BROWSER;
  const os = detectedOs ?? UNKNOWN_OS;
  const type = deviceType(userAgent, detectedOs);
  const suffix = type === 'phone' || type === 'tablet' ? ` (${type})` : '';
  return {
    browser,
    os,
    type,
    fingerprint: createHash('sha256').update(`${browser}\n${os}\n${type}`).digest('hex'),
    label: `${browser} on ${os}${suffix}`,
  };
}

/**
 * The network of an address, coarse enough that it says roughly where, not who: IPv4 → a.b.c.0/24,
 * IPv6 → its first 48 bits (an IPv4-mapped IPv6 address counts as IPv4). Not an address → null.
 */
export function ipPrefix(ip: string): string | null {
  const address = ip.trim();
  const v4 = ipv4Octets(/^::ffff:(.*)$/i.exec(address)?.[1] ?? address);
  if (v4 !== null) return `${v4.slice(0, 3).join('.')}.0/24`;
  const groups = ipv6Groups(address);
  if (groups === null) return null;
  return `${groups
    .slice(0, 3)
    .map((g) => g.toString(16))
    .join(':')}::/48`;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;
const ZONE = /^[\w.-]+$/;

function ipv4Octets(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return null;
  return parts.map(Number);
}

/** The eight 16-bit groups of an IPv6 address ("::" and a dotted IPv4 tail expanded, a zone dropped), or null. */
function ipv6Groups(address: string): number[] | null {
  const [withoutZone = '', zone, ...rest] = address.split('%');
  if (rest.length > 0 || (zone !== undefined && !ZONE.test(zone)) || !withoutZone.includes(':')) return null;
  const halves = withoutZone.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string, last: boolean): number[] | null => {
    if (part === '') return [];
    const pieces = part.split(':');
    const out: number[] = [];
    for (const [i, piece] of pieces.entries()) {
      const v4 = last && i === pieces.length - 1 ? ipv4Octets(piece) : null;
      if (v4 !== null)
        out.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      else if (HEX_GROUP.test(piece)) out.push(Number.parseInt(piece, 16));
      else return null;
    }
    return out;
  };
  const compressed = halves.length === 2;
  const left = parse(halves[0] as string, !compressed);
  const right = compressed ? parse(halves[1] as string, true) : [];
  if (left === null || right === null) return null;
  const missing = 8 - left.length - right.length;
  if (compressed ? missing < 1 : missing !== 0) return null;
  return [...left, ...new Array<number>(missing).fill(0), ...right];
}
