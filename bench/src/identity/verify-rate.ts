// Access-token verification per core: the chassis verifier (what every service runs on every
// request: header and claim checks, key lookup by kid, the revocation check) against the bare
// Ed25519 signature check of the same token (node:crypto), in the same process, one core.
import { createPublicKey, type JsonWebKey, verify } from 'node:crypto';
import { createTokenVerifier } from '@shopnow/chassis';
import { TestTokenIssuer } from '@shopnow/testkit';

export interface VerifyRateResult {
  seconds: number;
  /** Verifications per second through the chassis verifier. */
  verifierPerSec: number;
  /** Bare Ed25519 signature checks per second of the same token. */
  signaturePerSec: number;
  /** verifierPerSec / signaturePerSec. */
  ratio: number;
  /** Revocation entries the verifier held during the run. */
  revocations: number;
}

/** Runs `work` back to back for `seconds`; returns completions per second. */
async function rate(seconds: number, work: () => Promise<unknown> | unknown): Promise<number> {
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  let done = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) await work();
    done += 100;
  }
  return Math.round(done / ((performance.now() - started) / 1000));
}

export async function verifyRate(options: { seconds: number; warmupSec: number }): Promise<VerifyRateResult> {
  const issuer = await TestTokenIssuer.create();
  // A realistic list: a thousand recently revoked sessions and users.
  const expiresAt = new Date(Date.now() + 900_000).toISOString();
  issuer.revocations.apply({
    entries: Array.from({ length: 1000 }, (_, i) =>
      i % 2 === 0
        ? { seq: i + 1, sessionId: crypto.randomUUID(), expiresAt }
        : { seq: i + 1, userId: crypto.randomUUID(), notBefore: new Date().toISOString(), expiresAt },
    ),
    lastSeq: 1000,
  });
  const verifier = createTokenVerifier({
    keys: issuer.keys,
    issuer: issuer.issuer,
    audience: issuer.audience,
    revocations: issuer.revocations,
  });
  const token = await issuer.user(crypto.randomUUID(), { roles: ['customer'], tier: 'premium' });
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const publicKey = createPublicKey({ key: issuer.jwks().keys[0] as JsonWebKey, format: 'jwk' });
  const signed = Buffer.from(`${header}.${payload}`);
  const sig = Buffer.from(signature, 'base64url');
  const bare = () => {
    if (!verify(null, signed, publicKey, sig)) throw new Error('bad signature');
  };
  const full = () => verifier.verify(token);

  await rate(options.warmupSec, full);
  await rate(options.warmupSec, bare);
  // Interleaved halves, so drift of the machine hits both sides alike.
  const half = options.seconds / 2;
  const verifierRuns = [await rate(half, full)];
  const signatureRuns = [await rate(half, bare)];
  signatureRuns.push(await rate(half, bare));
  verifierRuns.push(await rate(half, full));
  const verifierPerSec = Math.round((verifierRuns[0]! + verifierRuns[1]!) / 2);
  const signaturePerSec = Math.round((signatureRuns[0]! + signatureRuns[1]!) / 2);
  return {
    seconds: options.seconds,
    verifierPerSec,
    signaturePerSec,
    ratio: Math.round((verifierPerSec / signaturePerSec) * 100) / 100,
    revocations: 1000,
  };
}
