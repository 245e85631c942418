// The profile preferences source against a real HTTP stand-in for profile: answers are remembered
// for PREFERENCES_CACHE_MS, except where consent decides (marketing asks afresh every time).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, it } from 'node:test';
import { createServiceClient, StaticDiscovery } from '@shopnow/chassis';
import { profilePreferences } from '../src/profile/preferences-source.ts';
import { type ProfileStandIn, startProfileStandIn } from './helpers.ts';

const BEARER = 'Bearer service-token';
let profile: ProfileStandIn;
let client: ReturnType<typeof createServiceClient>;

before(async () => {
  profile = await startProfileStandIn(BEARER);
  client = createServiceClient({
    service: 'profile',
    discovery: new StaticDiscovery(`profile=${profile.url}`),
    timeoutMs: 2000,
  });
});
after(async () => {
  await client.close();
  await profile.close();
});

it('remembers an answer for cacheMs, but a fresh read sees an opt-out made a moment ago', async () => {
  const source = profilePreferences({
    client,
    authorization: async () => BEARER,
    cacheMs: 60_000,
    logger: { warn: () => {} },
  });
  const userId = randomUUID();
  profile.prefs.set(userId, { marketingOptIn: true, channels: ['email', 'in_app'], locale: 'de-DE' });
  assert.equal((await source.get(userId))?.marketingOptIn, true);
  const calls = profile.calls;

  profile.prefs.set(userId, { marketingOptIn: false, channels: ['email', 'in_app'], locale: 'de-DE' });
  assert.equal((await source.get(userId))?.marketingOptIn, true, 'remembered within cacheMs');
  assert.equal(profile.calls, calls);
  assert.equal((await source.get(userId, { fresh: true }))?.marketingOptIn, false, 'consent read afresh');
  assert.equal(profile.calls, calls + 1);
  assert.equal((await source.get(userId))?.marketingOptIn, false, 'the fresh answer is remembered');
});
