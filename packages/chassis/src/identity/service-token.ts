// A service's own access token (OAuth client credentials, RFC 6749 §4.4), so that a call from one
// service to another is never anonymous. Fetched from the token service, cached, renewed a minute
// before it expires; concurrent callers share one fetch.
import type { ServiceClient } from '../http-client/service-client.ts';

export const SERVICE_TOKEN_PATH = '/oauth/token';

export interface ServiceTokenSourceOptions {
  /** A client for the token service. */
  client: ServiceClient;
  /** This service's name (its client id). */
  clientId: string;
  clientSecret: string;
  /** Renew this long before expiry. Default 60 s. */
  renewBeforeMs?: number;
}

interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
}

export class ServiceTokenSource {
  readonly #options: ServiceTokenSourceOptions;
  #cached: { token: string; renewAt: number } | undefined;
  #inFlight: Promise<string> | undefined;

  constructor(options: ServiceTokenSourceOptions) {
    this.#options = options;
  }

  /** `Authorization` header value for a call to another service. */
  async authorization(): Promise<string> {
    return `Bearer ${await this.token()}`;
  }

  async token(): Promise<string> {
    if (this.#cached !== undefined && Date.now() < this.#cached.renewAt) return this.#cached.token;
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #fetch(): Promise<string> {
    const { client, clientId, clientSecret } = this.#options;
    const response = await client.request<TokenResponse>({
      method: 'POST',
      path: SERVICE_TOKEN_PATH,
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
      idempotent: true,
    });
    if (response.status !== 200 || typeof response.body?.access_token !== 'string') {
      throw new Error(`service token: the token service answered ${response.status}`);
    }
    const renewBeforeMs = this.#options.renewBeforeMs ?? 60_000;
    const lifetimeMs = response.body.expires_in * 1000;
    this.#cached = {
      token: response.body.access_token,
      renewAt: Date.now() + Math.max(lifetimeMs - renewBeforeMs, lifetimeMs / 2),
    };
    return response.body.access_token;
  }
}
