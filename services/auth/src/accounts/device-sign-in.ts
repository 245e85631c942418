// A right password from a device: remembered for the account, and when the account has signed in
// before but never from this device, its owner is told (auth.new_device_signed_in.v1, through the
// outbox in the caller's transaction). The first device of an account alarms no one: every
// account has one, right after registration or after an admin created it.
import { AuthNewDeviceSignedInV1 } from '@shopnow/contracts';
import type { Events } from '@shopnow/events';
import type pg from 'pg';
import type { Device } from '../domain/device.ts';
import { recordDeviceSeen } from '../store/known-devices.ts';

export interface DeviceSighting {
  device: Device;
  /** The client's network (IPv4 /24, IPv6 /48), or null when unknown. */
  ipPrefix: string | null;
}

/** Returns whether the sign-in was from a new device (and so the event was published). */
export async function noteDeviceSignIn(
  tx: pg.ClientBase,
  events: Events,
  account: { id: string; email: string },
  sighting: DeviceSighting,
  now: Date,
): Promise<boolean> {
  const { device, ipPrefix } = sighting;
  const seen = await recordDeviceSeen(
    tx,
    account.id,
    { fingerprint: device.fingerprint, label: device.label, ipPrefix },
    now,
  );
  if (seen.known || seen.firstDevice) return false;
  await events.publish(tx, AuthNewDeviceSignedInV1, {
    subject: account.id,
    data: {
      userId: account.id,
      email: account.email,
      device: device.label,
      ipPrefix,
      signedInAt: now.toISOString(),
    },
  });
  return true;
}
