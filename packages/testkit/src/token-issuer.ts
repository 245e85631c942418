// Access tokens for tests of services other than the token service: a real Ed25519 key pair and
// real JWTs, signed the way the token service signs them, with a key source and a revocation list
// the service under test verifies against (no token service needed).
import { randomUUID } from 'node:crypto';
import {
  createIdentity,
  type IdentityKit,
  type KeySource,
  localKeySource,
  RevocationList,
} from '@shopnow/chassis';
import {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_TTL_SECONDS,
  ACCESS_TOKEN_TYPE,
  DEFAULT_TOKEN_AUDIENCE,
  DEFAULT_TOKEN_ISSUER,
  type Role,
  SERVICE_SUBJECT_PREFIX,
  type Tier,
} from '@shopnow/contracts';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWTPayload,
  SignJWT,
} from 'jose';

export interface SignOptions {
  /** Seconds; negative for an expired token. Default ACCESS_TOKEN_TTL_SECONDS. */
  expiresIn?: number;
  issuer?: string;
  audience?: string;
  typ?: string;
}

/** The Authorization header that carries `token`. */
export const bearer = (token: string): { authorization: string } => ({ authorization: `Bearer ${token}` });

export class TestTokenIssuer {
  readonly issuer = DEFAULT_TOKEN_ISSUER;
  readonly audience = DEFAULT_TOKEN_AUDIENCE;
  readonly kid: string;
  readonly #privateKey: CryptoKey;
  readonly #jwks: JSONWebKeySet;
  /** Feed it with `revoke…` below; hand it to the service under test. */
  readonly revocations: RevocationList;
  #seq = 0;

  private constructor(kid: string, privateKey: CryptoKey, jwks: JSONWebKeySet) {
    this.kid = kid;
    this.#privateKey = privateKey;
    this.#jwks = jwks;
    // Never polls: entries come from revokeSession/revokeUser.
    this.revocations = new RevocationList({
      client: {
        request: () => Promise.reject(new Error('test issuer: no token service')),
        close: async () => {},
      },
    });
  }

  static async create(): Promise<TestTokenIssuer> {
    const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { crv: 'Ed25519' });
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' };
    return new TestTokenIssuer(kid, privateKey, { keys: [jwk] });
  }

  jwks(): JSONWebKeySet {
    return this.#jwks;
  }

  get keys(): KeySource {
    return localKeySource(() => this.#jwks);
  }

  /** A user's access token (a fresh session id unless given). */
  user(
    userId: string,
    options: { roles?: Role[]; tier?: Tier; sessionId?: string } & SignOptions = {},
  ): Promise<string> {
    return this.sign(
      {
        sub: userId,
        roles: options.roles ?? ['customer'],
        tier: options.tier ?? 'free',
        sid: options.sessionId ?? randomUUID(),
      },
      options,
    );
  }

  /** The Authorization header of a user's access token (a fresh user unless given). */
  async headersFor(
    userId: string = randomUUID(),
    options: { roles?: Role[]; tier?: Tier; sessionId?: string } & SignOptions = {},
  ): Promise<{ authorization: string }> {
    return bearer(await this.user(userId, options));
  }

  /** The TOKEN_ISSUER and TOKEN_AUDIENCE a service under test is configured with. */
  get tokenConfig(): { TOKEN_ISSUER: string; TOKEN_AUDIENCE: string } {
    return { TOKEN_ISSUER: this.issuer, TOKEN_AUDIENCE: this.audience };
  }

  /** What `service`'s buildApp verifies callers with: this issuer's keys and revocation list. */
  identity(service: string): IdentityKit {
    return createIdentity({
      service,
      config: this.tokenConfig,
      keys: this.keys,
      revocations: this.revocations,
    });
  }

  /** A service's own token (client credentials). */
  service(name: string, options: SignOptions = {}): Promise<string> {
    return this.sign({ sub: `${SERVICE_SUBJECT_PREFIX}${name}`, roles: [], tier: 'enterprise' }, options);
  }

  sign(claims: JWTPayload & { sub: string }, options: SignOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...claims })
      .setProtectedHeader({
        alg: ACCESS_TOKEN_ALGORITHM,
        kid: this.kid,
        typ: options.typ ?? ACCESS_TOKEN_TYPE,
      })
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? this.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + (options.expiresIn ?? ACCESS_TOKEN_TTL_SECONDS))
      .setJti(randomUUID())
      .sign(this.#privateKey);
  }

  revokeSession(sessionId: string): void {
    this.revocations.apply({
      entries: [{ seq: ++this.#seq, sessionId, expiresAt: this.#expiry() }],
      lastSeq: this.#seq,
    });
  }

  /** Every token of the user issued until now. */
  revokeUser(userId: string): void {
    this.revocations.apply({
      entries: [
        {
          seq: ++this.#seq,
          userId,
          notBefore: new Date(Date.now() + 1000).toISOString(),
          expiresAt: this.#expiry(),
        },
      ],
      lastSeq: this.#seq,
    });
  }

  #expiry(): string {
    return new Date(Date.now() + ACCESS_TOKEN_TTL_SECONDS * 1000).toISOString();
  }
}
