// Throttle keys: the account key hashes the normalised email whether or not an account has it,
// so the throttle table never reveals (or stores) which addresses exist.
import { createHash } from 'node:crypto';

export function accountThrottleKey(normalisedEmail: string): string {
  return `account:${createHash('sha256').update(normalisedEmail, 'utf8').digest('hex')}`;
}

export function ipThrottleKey(ip: string): string {
  return `ip:${ip}`;
}
