// Password hashing with argon2id from node:crypto (Node >= 24.7): no native addon to build or
// ship. Parameters are OWASP's first recommendation (m = 19 MiB, t = 2, p = 1). Hashes are PHC
// strings carrying their parameters, so raising them later leaves old hashes verifiable.
import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const argon2Async = promisify(argon2);

export interface Argon2Params {
  /** KiB. */
  memory: number;
  passes: number;
  parallelism: number;
}

export const OWASP_ARGON2ID: Argon2Params = { memory: 19_456, passes: 2, parallelism: 1 };
const SALT_BYTES = 16;
const TAG_LENGTH = 32;
const VERSION = 19;

async function derive(
  password: string,
  salt: Buffer,
  params: Argon2Params,
  tagLength: number,
): Promise<Buffer> {
  return argon2Async('argon2id', {
    message: Buffer.from(password, 'utf8'),
    nonce: salt,
    parallelism: params.parallelism,
    tagLength,
    memory: params.memory,
    passes: params.passes,
  });
}

/** `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` (base64 without padding, as PHC says). */
export async function hashPassword(password: string, params: Argon2Params = OWASP_ARGON2ID): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, params, TAG_LENGTH);
  return `$argon2id$v=${VERSION}$m=${params.memory},t=${params.passes},p=${params.parallelism}$${b64(salt)}$${b64(hash)}`;
}

interface ParsedHash {
  params: Argon2Params;
  salt: Buffer;
  hash: Buffer;
}

const PHC =
  /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]{11,})\$([A-Za-z0-9+/]{22,})$/;

export function parsePhc(phc: string): ParsedHash | undefined {
  const match = PHC.exec(phc);
  if (match === null) return undefined;
  const [, m, t, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
  return {
    params: { memory: Number(m), passes: Number(t), parallelism: Number(p) },
    salt: Buffer.from(salt, 'base64'),
    hash: Buffer.from(hash, 'base64'),
  };
}

/** True when `password` matches the PHC string; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, phc: string): Promise<boolean> {
  const parsed = parsePhc(phc);
  if (parsed === undefined) return false;
  const candidate = await derive(password, parsed.salt, parsed.params, parsed.hash.length);
  return timingSafeEqual(candidate, parsed.hash);
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}
