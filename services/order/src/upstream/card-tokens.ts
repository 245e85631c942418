// The card token is checked at the card processor before an order is accepted (GET /v1/tokens/:id
// with the secret key): it must be active (not expired, not used) and made for this customer, so
// an order never waits in the saga for a charge that cannot succeed.
import type { ServiceClient } from '@shopnow/chassis';
import { unusable } from './answers.ts';

export interface CardToken {
  id: string;
  status: 'active' | 'expired' | 'used';
  customer: string | null;
  expiresAt: string;
}

export type TokenCheck = { ok: true } | { ok: false; why: string };

export async function checkCardToken(
  client: ServiceClient,
  secretKey: string,
  tokenId: string,
  userId: string,
): Promise<TokenCheck> {
  const res = await client.request<CardToken>({
    method: 'GET',
    path: `/v1/tokens/${encodeURIComponent(tokenId)}`,
    headers: { authorization: `Bearer ${secretKey}` },
  });
  if (res.status === 404) return { ok: false, why: 'the card token is unknown' };
  if (res.status !== 200) throw unusable('payment-provider', res);
  const token = res.body;
  if (token.status !== 'active') return { ok: false, why: `the card token is ${token.status}` };
  if (token.customer === null || token.customer.toLowerCase() !== userId.toLowerCase()) {
    return { ok: false, why: 'the card token was not made for this customer' };
  }
  return { ok: true };
}
