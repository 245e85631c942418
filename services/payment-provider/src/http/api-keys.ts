// Who may call: the merchant's server with the secret key, a browser with the publishable key
// (tokenization only). A key is compared by digest in constant time, so response timing says
// nothing about how much of a guess was right.
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '@shopnow/chassis';
import type { FastifyRequest } from 'fastify';
import { providerErrors } from '../errors.ts';

export type KeyKind = 'secret' | 'publishable';

const digest = (key: string) => createHash('sha256').update(key).digest();

/** An onRequest hook admitting only `Authorization: Bearer <key>` with one of the given keys. */
export function requireKey(keys: Partial<Record<KeyKind, string>>, accepted: readonly KeyKind[]) {
  const digests = accepted.map((kind) => {
    const key = keys[kind];
    if (key === undefined) throw new Error(`requireKey: no ${kind} key configured`);
    return digest(key);
  });
  const names = accepted.map((kind) => `the ${kind} key`).join(' or ');
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([\x21-\x7e]{1,200})$/.exec(header) : null;
    const given = match?.[1] === undefined ? undefined : digest(match[1]);
    if (given === undefined || !digests.some((d) => timingSafeEqual(d, given))) {
      throw new AppError(providerErrors['provider.unauthorized'], `Send Authorization: Bearer <${names}>`);
    }
  };
}
