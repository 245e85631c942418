// The user service's own events, published in the caller's transaction (outbox).
import {
  UserReactivatedV1,
  UserRolesChangedV1,
  UserSuspendedV1,
  UserTierChangedV1,
} from '@shopnow/contracts';
import type { Events } from '@shopnow/events';
import type pg from 'pg';
import type { Role, Tier } from '../domain/user.ts';

export type Publisher = Pick<Events, 'publish'>;

export async function publishRolesChanged(
  events: Publisher,
  tx: pg.ClientBase,
  data: { userId: string; roles: readonly Role[]; previousRoles: readonly Role[] },
): Promise<void> {
  const { userId, roles, previousRoles } = data;
  await events.publish(tx, UserRolesChangedV1, {
    subject: userId,
    data: { userId, roles: [...roles], previousRoles: [...previousRoles] },
  });
}

export async function publishTierChanged(
  events: Publisher,
  tx: pg.ClientBase,
  data: { userId: string; tier: Tier; previousTier: Tier },
): Promise<void> {
  await events.publish(tx, UserTierChangedV1, { subject: data.userId, data });
}

/** The token service revokes every session of the user on this event. */
export async function publishSuspended(
  events: Publisher,
  tx: pg.ClientBase,
  data: { userId: string; reason: string },
): Promise<void> {
  await events.publish(tx, UserSuspendedV1, { subject: data.userId, data });
}

export async function publishReactivated(
  events: Publisher,
  tx: pg.ClientBase,
  data: { userId: string },
): Promise<void> {
  await events.publish(tx, UserReactivatedV1, { subject: data.userId, data });
}
