// Admin routes need `Authorization: Bearer <ADMIN_TOKEN>` until the identity issue lands
// (then: the admin role from a verified token). Compared in constant time on digests, so
// neither the token's content nor its length leaks through response timing.
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '@shopnow/chassis';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { productErrors } from '../errors.ts';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export function requireAdminToken(adminToken: string) {
  const expected = digest(adminToken);
  return async function checkAdminToken(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.authorization ?? '');
    const given = match?.[1];
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return;
    reply.header('www-authenticate', 'Bearer realm="shopnow-admin"');
    throw new AppError(
      productErrors['product.admin_token_required'],
      given === undefined ? 'Send Authorization: Bearer <admin token>' : 'The admin token is not valid',
    );
  };
}
