// Customers for checkout tests, made as a real one is: register and log in through the gateway,
// then add a shipping address. Each gets its own client address (X-Forwarded-For), so the
// per-IP login bucket and the per-caller checkout bucket never mix two test customers.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiCall } from './api-client.ts';
import { waitUntil } from './wait.ts';

export interface Shopper {
  email: string;
  userId: string;
  token: string;
  clientIp: string;
  addressId: string;
}

/** What a test needs from SHOPNOW_HOME/secrets.json: the processor's keys and the demo accounts. */
export interface PlatformSecrets {
  paymentProvider: { secretKey: string; publishableKey: string };
  demo?: { accounts: Array<{ email: string; password: string; role: string; userId: string }> };
  /** The embedded Postgres's superuser, for tests that audit every service's database. */
  postgres?: { user: string; password: string };
}

export async function readPlatformSecrets(home: string): Promise<PlatformSecrets> {
  return JSON.parse(await readFile(join(home, 'secrets.json'), 'utf8')) as PlatformSecrets;
}

let nextClient = 0;
/** A client address no other caller of this process got (10.0.0.0/8, never a real neighbour). */
export function newClientIp(): string {
  nextClient++;
  return `10.${(nextClient >> 16) & 255}.${(nextClient >> 8) & 255}.${nextClient & 255}`;
}

/** The subject (user id) and roles of an access token: read, not verified (the services verify it). */
export function claimsOf(token: string): { sub: string; roles: string[] } {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    sub: string;
    roles?: string[];
  };
  return { sub: payload.sub, roles: payload.roles ?? [] };
}

const PASSWORD = 'correct horse battery staple 42';

/** A new customer with one shipping address in `country` (postal code required there). */
export async function registerShopper(
  api: ApiCall,
  { country = 'DE', postalCode = '10115' }: { country?: string; postalCode?: string } = {},
): Promise<Shopper> {
  const clientIp = newClientIp();
  const email = `buyer-${randomUUID()}@example.com`;
  const registered = await api('POST', '/api/auth/register', {
    clientIp,
    body: { email, password: PASSWORD, displayName: 'E2E Buyer' },
  });
  if (registered.status !== 202) throw new Error(`register: ${registered.status} ${registered.text}`);
  const token = await login(api, email, PASSWORD, clientIp);
  const address = await api<{ id: string }>('POST', '/api/profiles/me/addresses', {
    token,
    clientIp,
    body: { recipientName: 'E2E Buyer', line1: '1 Test Street', city: 'Berlin', postalCode, country },
  });
  if (address.status !== 201) throw new Error(`address: ${address.status} ${address.text}`);
  return { email, userId: claimsOf(token).sub, token, clientIp, addressId: address.body.id };
}

export async function login(
  api: ApiCall,
  email: string,
  password: string,
  clientIp: string,
): Promise<string> {
  const res = await api<{ accessToken: string }>('POST', '/api/auth/login', {
    clientIp,
    body: { email, password },
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${res.text}`);
  return res.body.accessToken;
}

/**
 * The demo admin's access token. The admin role reaches the token service as an event after the
 * seed, so a login in the first moments may still carry a customer's roles: log in until not. Each
 * attempt comes from another client address, or a slow event would run into the gateway's login
 * limit per address (20 a minute) before the role arrives.
 */
export async function demoAdminToken(api: ApiCall, secrets: PlatformSecrets): Promise<string> {
  const admin = secrets.demo?.accounts.find((a) => a.role === 'admin');
  if (!admin) throw new Error('secrets.json has no demo admin');
  // A 503 right after start (the gateway has not yet seen auth's instance) is another "not yet".
  const attempt = () =>
    login(api, admin.email, admin.password, newClientIp()).catch((err: Error) => {
      if (/: 503 /.test(err.message)) return undefined;
      throw err;
    });
  const token = await waitUntil(
    'an admin token',
    attempt,
    (result) => result !== undefined && claimsOf(result).roles.includes('admin'),
    { timeoutMs: 60_000, intervalMs: 250 },
  );
  return token!;
}
