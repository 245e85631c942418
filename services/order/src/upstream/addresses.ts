// The shipping address comes from the profile service, read with the customer's own token: the
// profile service answers 404 for an address that is not theirs, so another user's address can
// never be shipped to, and the order service needs no special right to read profiles.

import type { ServiceClient } from '@shopnow/chassis';
import type { ShippingAddress } from '@shopnow/contracts';
import { unusable } from './answers.ts';

interface ProfileAddress extends ShippingAddress {
  id: string;
  userId: string;
}

/** The user's address `addressId`, or undefined when they have no such address. */
export async function addressOf(
  client: ServiceClient,
  caller: { userId: string; authorization: string },
  addressId: string,
): Promise<ShippingAddress | undefined> {
  const res = await client.request<ProfileAddress>({
    method: 'GET',
    path: `/profiles/${caller.userId}/addresses/${addressId}`,
    headers: { authorization: caller.authorization },
  });
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw unusable('profile', res);
  const a = res.body;
  if (a.userId.toLowerCase() !== caller.userId.toLowerCase()) return undefined;
  return {
    recipientName: a.recipientName,
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    region: a.region,
    postalCode: a.postalCode,
    country: a.country,
    phone: a.phone,
  };
}
