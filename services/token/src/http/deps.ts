import type { Events } from '@shopnow/events';
import type pg from 'pg';
import type { ServiceClients } from '../domain/service-clients.ts';
import type { KeyRing } from '../keys/key-ring.ts';
import type { LocalRevocations } from '../revocation/local-revocations.ts';
import type { TokenMinter } from '../tokens/access-token.ts';

/** What the route modules need, built once by buildApp. */
export interface RouteDeps {
  db: pg.Pool;
  events: Events;
  keys: KeyRing;
  minter: TokenMinter;
  /** This service's own view of its revocations; reload after a local revocation commits. */
  revocations: LocalRevocations;
  serviceClients: ServiceClients;
  /** A rotated refresh token presented again within this window gets 409, not a family revocation. */
  refreshGraceMs: number;
}
