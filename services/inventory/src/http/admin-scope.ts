// Who an admin write is recorded as, and the idempotency scope of their keys.
import { userOf } from '@shopnow/chassis';
import type { FastifyRequest } from 'fastify';

/** The ledger's actor for a write by the verified admin of `request`. */
export function actorOf(request: FastifyRequest): string {
  return `user:${userOf(request).userId}`;
}

/** Idempotency keys are each admin's own: two admins never share a key space. */
export function writeScope(request: FastifyRequest): string {
  return `inventory-admin:${userOf(request).userId}`;
}
