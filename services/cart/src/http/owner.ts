// Whose cart a request is about: a verified user's (their access token), else the anonymous cart
// its X-Cart-Token opens. A user's request uses the user's cart even if it carries a cart token
// (the anonymous cart joins it only through POST /carts/me/merge). Service tokens have no cart.
import { AppError, commonErrors } from '@shopnow/chassis';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CartOwner } from '../carts/current-cart.ts';
import { hashCartToken } from '../domain/cart-token.ts';
import { forUsersOnly } from '../errors.ts';

export function ownerOf(request: FastifyRequest, reply: FastifyReply): CartOwner {
  const identity = request.identity;
  if (identity?.kind === 'service') throw forUsersOnly();
  if (identity?.kind === 'user') return { kind: 'user', userId: identity.userId.toLowerCase() };
  const token = request.headers['x-cart-token'];
  if (typeof token === 'string') return { kind: 'anonymous', tokenHash: hashCartToken(token) };
  reply.header('www-authenticate', 'Bearer realm="shopnow"');
  throw new AppError(
    commonErrors.unauthorized,
    'Send an access token, or X-Cart-Token for an anonymous cart',
  );
}
